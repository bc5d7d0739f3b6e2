"""The dropdown choices every tab shares: (label, value) pairs, "" meaning any.

Values are what scope.parse_filters reads; labels carry the names the source uses.
"""

from __future__ import annotations

from ..corpus import Corpus
from ..matrix import action_line_rows, objective_label

ANY = ""  # dropdown value meaning "no filter"


def objective_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """("Objective 3: Foster an inclusive…", "3"), …, ("Follow-up and review", "follow-up")."""
    return [("Any objective", ANY)] + [
        (
            f"{objective_label(o.objective)}: {o.title}" if o.key != "FR" else o.title,
            str(o.objective),
        )
        for o in corpus.objectives
    ]


def sdg_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """("SDG 5 Gender Equality", "5") for the 17 SDGs, "Any SDG" first."""
    return [("Any SDG", ANY)] + [
        (f"SDG {n} {name}", str(n)) for n, name in sorted(corpus.sdg_names.items())
    ]


def action_line_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """C1-C11 (C7 as a whole, then the sub-lines the source names), "Any Action Line" first."""
    choices = [("Any Action Line", ANY)]
    for code in action_line_rows(corpus):
        name = corpus.action_line_names[code]
        if code == "C7":
            label = f"C7 {name} (any sub-line)"
        elif code.startswith("C7 "):
            label = f"{code} ({name})"
        else:
            label = f"{code} {name}"
        choices.append((label, code))
    return choices
