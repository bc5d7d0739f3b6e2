"""The GDC matrix as tables: SDG x Action Line counts, counts per SDG / Action Line, browse rows.

Pure functions over a Corpus returning pandas DataFrames; the UI draws them, tests check them.

Columns for Action Lines are C1-C11 with C7 split into the sub-lines the source names. The source
never maps a commitment to a bare "C7" (only "All WSIS Action Lines" covers it): every explicit C7
mapping names a sub-line (E-health, E-agriculture, ...), so an aggregated C7 column would hide what
the source says. E-science, an official sub-line the source never names, gets no column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .corpus import ALL_SDGS, Commitment, Corpus, ObjectiveKey, normalise_action_line
from .errors import InvalidFilterError

if TYPE_CHECKING:
    import pandas as pd

ALL_SDGS_LABEL = "All SDGs"
ALL_ACTION_LINES_LABEL = "All WSIS Action Lines"
NO_SDG_LABEL = "— (none given in the source)"
TABLE_COLUMNS = ("ID", "Objective", "Section", "Commitment", "SDGs", "WSIS Action Lines", "Listed")


def action_line_columns(corpus: Corpus) -> tuple[str, ...]:
    """Action Line codes for matrix columns: C1-C11, with C7 as the sub-lines the source names."""
    named = {line for c in corpus if not c.action_lines_all for line in c.action_lines}
    columns = []
    for code in corpus.action_line_names:
        if code == "C7":
            continue  # never named bare; its sub-lines follow in the reference table
        if code.startswith("C7 ") and code not in named:
            continue  # E-science: official, but the source never names it
        columns.append(code)
    return tuple(columns)


def action_line_rows(corpus: Corpus) -> tuple[str, ...]:
    """Codes for per-Action-Line counts: C1-C11 (C7 as a whole) plus the C7 sub-lines named."""
    columns = action_line_columns(corpus)
    rows: list[str] = []
    for code in columns:
        if code.startswith("C7 ") and "C7" not in rows:
            rows.append("C7")
        rows.append(code)
    return tuple(rows)


def sdg_action_line_counts(corpus: Corpus, *, include_all: bool) -> pd.DataFrame:
    """SDG x Action Line matrix: a cell counts the commitments mapped to both.

    With `include_all=False` both mappings must be explicit; with `include_all=True` "All SDGs" and
    "All WSIS Action Lines" count too. Index: SDG number; column "name", then one per Action Line.
    """
    import pandas as pd

    columns = action_line_columns(corpus)
    rows = []
    for sdg in ALL_SDGS:
        linked = [c for c in corpus if c.has_sdg(sdg, include_all=include_all)]
        counts = [
            sum(c.has_action_line(code, include_all=include_all) for c in linked)
            for code in columns
        ]
        rows.append([corpus.sdg_names[sdg], *counts])
    frame = pd.DataFrame(rows, columns=["name", *columns], index=pd.Index(ALL_SDGS, name="SDG"))
    return frame.astype({code: "int64" for code in columns})


def commitments_per_sdg(corpus: Corpus) -> pd.DataFrame:
    """Commitments per SDG: `explicit` (named in the mapping), `via_all` ("All SDGs"), `total`."""
    import pandas as pd

    via_all = sum(c.sdgs_all for c in corpus)
    rows = []
    for sdg in ALL_SDGS:
        explicit = len(corpus.by_sdg(sdg, include_all=False))
        rows.append([corpus.sdg_names[sdg], explicit, via_all, explicit + via_all])
    return pd.DataFrame(
        rows,
        columns=["name", "explicit", "via_all", "total"],
        index=pd.Index(ALL_SDGS, name="SDG"),
    )


def commitments_per_action_line(corpus: Corpus) -> pd.DataFrame:
    """Commitments per Action Line (C7 as a whole and per sub-line): explicit, via_all, total."""
    import pandas as pd

    via_all = sum(c.action_lines_all for c in corpus)
    codes = action_line_rows(corpus)
    rows = []
    for code in codes:
        explicit = len(corpus.by_action_line(code, include_all=False))
        rows.append([corpus.action_line_names[code], explicit, via_all, explicit + via_all])
    return pd.DataFrame(
        rows,
        columns=["name", "explicit", "via_all", "total"],
        index=pd.Index(codes, name="Action Line"),
    )


def filter_table(
    corpus: Corpus,
    *,
    text: str = "",
    objective: ObjectiveKey | None = None,
    sdg: int | None = None,
    action_line: str | None = None,
    include_all: bool = True,
) -> pd.DataFrame:
    """Browse-table rows for the commitments matching every filter, in document order.

    `text` matches case-insensitively when every word in it occurs in the id, section or text.
    `action_line` "C7" matches any C7 sub-line; `include_all` lets "All ..." mappings match.
    """
    import pandas as pd

    _check_filters(corpus, objective=objective, sdg=sdg)
    if action_line is not None:
        try:
            action_line = normalise_action_line(action_line)
        except ValueError as exc:
            raise InvalidFilterError(
                f"{exc}. Choose one of C1 to C11 or a C7 sub-line such as 'C7 E-health'."
            ) from exc
    words = text.casefold().split()
    matches = [
        c
        for c in corpus.filter(
            sdg=sdg, action_line=action_line, objective=objective, include_all=include_all
        )
        if all(word in _haystack(c) for word in words)
    ]
    return pd.DataFrame([_row(c) for c in matches], columns=list(TABLE_COLUMNS))


def objective_label(objective: ObjectiveKey) -> str:
    """'Objective 3' or 'Follow-up and Review'."""
    return "Follow-up and Review" if objective == "follow-up" else f"Objective {objective}"


def sdgs_label(commitment: Commitment) -> str:
    """The SDG mapping as the source states it: 'All SDGs', '3, 4, 9' or the no-SDG marker."""
    if commitment.sdgs_all:
        return ALL_SDGS_LABEL
    if not commitment.sdgs:
        return NO_SDG_LABEL
    return ", ".join(str(n) for n in commitment.sdgs)


def action_lines_label(commitment: Commitment) -> str:
    """The Action Line mapping: 'All WSIS Action Lines' or 'C1, C2, C7 E-health'."""
    if commitment.action_lines_all:
        return ALL_ACTION_LINES_LABEL
    return ", ".join(commitment.action_lines)


def _row(c: Commitment) -> list:
    return [
        c.id,
        objective_label(c.objective),
        c.section or "—",
        c.text,
        sdgs_label(c),
        action_lines_label(c),
        c.occurrences,
    ]


def _haystack(c: Commitment) -> str:
    return f"{c.id}\n{c.section or ''}\n{c.text}".casefold()


def _check_filters(corpus: Corpus, *, objective: ObjectiveKey | None, sdg: int | None) -> None:
    if sdg is not None and sdg not in corpus.sdg_names:
        raise InvalidFilterError(f"there is no SDG {sdg}: choose an SDG from 1 to 17")
    keys = [o.objective for o in corpus.objectives]
    if objective is not None and objective not in keys:
        raise InvalidFilterError(
            f"there is no objective {objective!r}: choose 1 to 5 or 'follow-up'"
        )
