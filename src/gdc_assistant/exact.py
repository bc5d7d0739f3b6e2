"""Exact answers from the matrix's metadata: counts, complete lists and mapping lookups.

Pure: a count or a list is read from the commitments' SDG / Action Line / objective / section
fields, never estimated from search results. "All SDGs" and "All WSIS Action Lines" are the
source's own statements: every answer says whether they were counted and how many matches came
only through them, and never presents them as a list of 17 SDGs or 11 Action Lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .corpus import Commitment, Corpus, Filters
from .query.parse import Intent, ParsedQuery

ALL_SDGS_QUOTED = '"All SDGs"'
ALL_ACTION_LINES_QUOTED = '"All WSIS Action Lines"'


@dataclass(frozen=True)
class StructuredAnswer:
    """An exact answer. For COUNT / LIST, `commitments` holds every match in document order,
    `explicit` those mapped explicitly and `via_all` those counted only through "All SDGs" /
    "All WSIS Action Lines" (so `commitments` is always `explicit` plus `via_all`). When
    `include_all` is False, `via_all` is empty and `not_counted` holds the commitments that "All
    ..." would have added, so the answer can say how many were left out. For LOOKUP,
    `commitments` holds the looked-up commitment(s) and the other tuples are empty."""

    intent: Intent
    description: str  # "commitments mapped to SDG 9 (Industry, Innovation and Infrastructure)"
    commitments: tuple[Commitment, ...]
    explicit: tuple[Commitment, ...]
    via_all: tuple[Commitment, ...]
    include_all: bool
    text: str  # one exact line, e.g. 'SDG 9: 45 commitments — 17 map to it explicitly and ...'
    not_counted: tuple[Commitment, ...] = ()


def answer_structured(
    corpus: Corpus,
    parsed: ParsedQuery,
    *,
    filters: Filters,
    find: Callable[[str], Sequence[Commitment]],
) -> StructuredAnswer | None:
    """Answer a COUNT / LIST exactly from metadata, or a LOOKUP from `find(topic)`'s top result.

    `filters` are the effective filters (the question's strong mentions merged with the user's
    own, `include_all` resolved). Returns None for SEARCH, for a LOOKUP with no subject, and for a
    COUNT / LIST that carries a topic (a topic cannot be counted exactly; search it instead).
    """
    if parsed.intent is Intent.SEARCH:
        return None
    if parsed.invalid:
        return _invalid(parsed, filters)
    if parsed.intent is Intent.LOOKUP:
        return _lookup(corpus, parsed, filters, find)
    if parsed.topic:
        return None
    return _count_or_list(corpus, parsed, filters)


# --------------------------------------------------------------------------- count / list


def _count_or_list(corpus: Corpus, parsed: ParsedQuery, filters: Filters) -> StructuredAnswer:
    def statement_ok(c: Commitment) -> bool:
        return (
            (not parsed.all_sdgs or c.sdgs_all)
            and (not parsed.all_action_lines or c.action_lines_all)
            and (not parsed.no_sdg or not (c.sdgs or c.sdgs_all))
        )

    with_all = replace(filters, include_all=True)
    without_all = replace(filters, include_all=False)
    matches = tuple(c for c in corpus if statement_ok(c) and with_all.matches(c))
    explicit = tuple(c for c in matches if without_all.matches(c))
    only_all = tuple(c for c in matches if not without_all.matches(c))
    counted = only_all if filters.include_all else ()
    return StructuredAnswer(
        intent=parsed.intent,
        description=_description(corpus, filters, parsed),
        commitments=matches if filters.include_all else explicit,
        explicit=explicit,
        via_all=counted,
        include_all=filters.include_all,
        text=_count_text(filters, parsed, explicit, only_all),
        not_counted=() if filters.include_all else only_all,
    )


def _count_text(
    filters: Filters,
    parsed: ParsedQuery,
    explicit: tuple[Commitment, ...],
    via_all: tuple[Commitment, ...],
) -> str:
    label = _label(filters, parsed)
    if not label:
        return f"The matrix lists {len(explicit)} distinct commitments."
    if not (filters.sdgs or filters.action_lines):
        if parsed.no_sdg:
            return f"{label}: {_n(len(explicit))} the source gives no SDG for."
        if parsed.all_sdgs or parsed.all_action_lines:
            said = [ALL_SDGS_QUOTED] * parsed.all_sdgs + [
                ALL_ACTION_LINES_QUOTED
            ] * parsed.all_action_lines
            return f"{label}: {_n(len(explicit))} say {' and '.join(said)} in the source."
        return f"{label}: {_n(len(explicit))}."
    statement = " or ".join(
        name
        for name, used in (
            (ALL_SDGS_QUOTED, filters.sdgs),
            (ALL_ACTION_LINES_QUOTED, filters.action_lines),
        )
        if used
    )
    single = len(filters.sdgs) + len(filters.action_lines) == 1
    target = "map to it" if single else "match"
    e, v = len(explicit), len(via_all)
    if not filters.include_all and v == 0:
        return f"{label}: {_n(e)} {_verb(e, target)} explicitly (none more through {statement})."
    if not filters.include_all:
        return (
            f"{label}: {_n(e)} {_verb(e, target)} explicitly; {v} more that {_verb(v, 'match')} "
            "only through "
            f"{statement} {'is' if v == 1 else 'are'} not counted."
        )
    if e + v == 0:
        return f"{label}: no commitments, even counting {statement}."
    return (
        f"{label}: {_n(e + v)} — {e} {_verb(e, target)} explicitly and {v} only through "
        f"{statement}."
    )


def _verb(count: int, phrase: str) -> str:
    """'map to it' -> 'maps to it' for one commitment."""
    if count != 1:
        return phrase
    head, _, rest = phrase.partition(" ")
    return f"{head}es {rest}".strip() if head.endswith("ch") else f"{head}s {rest}".strip()


def _n(count: int) -> str:
    return f"{count} commitment" + ("" if count == 1 else "s")


def _sdg_label(corpus: Corpus | None, sdgs: tuple[int, ...]) -> str:
    if len(sdgs) == 1 and corpus is None:
        return f"SDG {sdgs[0]}"
    if len(sdgs) == 1:
        return f"SDG {sdgs[0]} ({corpus.sdg_names.get(sdgs[0], '')})"
    return "SDGs " + _join([str(s) for s in sdgs], "or")


def _action_line_label(corpus: Corpus | None, codes: tuple[str, ...]) -> str:
    if len(codes) == 1 and corpus is None:
        return f"Action Line {codes[0]}"
    if len(codes) == 1:
        return f"Action Line {codes[0]} ({corpus.action_line_names.get(codes[0], '')})"
    return "Action Lines " + _join(list(codes), "or")


def _objective_label(objectives: tuple) -> str:
    names = ["Follow-up and Review" if o == "follow-up" else f"objective {o}" for o in objectives]
    return _join(names, "or")


def _label(filters: Filters, parsed: ParsedQuery) -> str:
    """'SDG 9 under objective 1'; '' for no scope."""
    parts = []
    if filters.sdgs:
        parts.append(_sdg_label(None, filters.sdgs))
    if filters.action_lines:
        parts.append(_action_line_label(None, filters.action_lines))
    if parsed.all_sdgs:
        parts.append(ALL_SDGS_QUOTED)
    if parsed.all_action_lines:
        parts.append(ALL_ACTION_LINES_QUOTED)
    if parsed.no_sdg:
        parts.append("No SDG")
    label = " and ".join(parts)
    if filters.objectives:
        label += (" under " if label else "") + _objective_label(filters.objectives)
    if filters.sections:
        sections = _join([f'"{s}"' for s in filters.sections], "or")
        label += (" in section " if label else "section ") + sections
    return label[:1].upper() + label[1:]


def _description(corpus: Corpus, filters: Filters, parsed: ParsedQuery) -> str:
    """'commitments mapped to SDG 9 (...)', 'commitments under objective 4', 'all commitments'."""
    mapped = []
    if filters.sdgs:
        mapped.append(_sdg_label(corpus, filters.sdgs))
    if filters.action_lines:
        mapped.append(_action_line_label(corpus, filters.action_lines))
    text = "commitments"
    if mapped:
        text += " mapped to " + " and ".join(mapped)
    statements = [
        label
        for label, used in (
            (ALL_SDGS_QUOTED, parsed.all_sdgs),
            (ALL_ACTION_LINES_QUOTED, parsed.all_action_lines),
        )
        if used
    ]
    if statements:
        text += " that say " + " and ".join(statements)
    if parsed.no_sdg:
        text += " the source gives no SDG for"
    if filters.objectives:
        text += " under " + _objective_label(filters.objectives)
    if filters.sections:
        text += " in section " + _join([f'"{s}"' for s in filters.sections], "or")
    if mapped:
        text += " (counting " if filters.include_all else " (not counting "
        text += " or ".join(
            label
            for label, used in (
                (ALL_SDGS_QUOTED, filters.sdgs),
                (ALL_ACTION_LINES_QUOTED, filters.action_lines),
            )
            if used
        )
        text += ")"
    return "all commitments" if text == "commitments" else text


# --------------------------------------------------------------------------- lookup


def _lookup(
    corpus: Corpus,
    parsed: ParsedQuery,
    filters: Filters,
    find: Callable[[str], Sequence[Commitment]],
) -> StructuredAnswer | None:
    if parsed.commitment_ids:
        found = []
        for commitment_id in parsed.commitment_ids:
            try:
                found.append(corpus.get(commitment_id))
            except KeyError:
                return _answer(
                    parsed,
                    filters,
                    f"commitment {commitment_id}",
                    (),
                    f"There is no commitment {commitment_id} in the matrix (ids look like "
                    "O3-IG-04 or FR-02).",
                )
        subject = "commitment " + ", ".join(parsed.commitment_ids)
    elif parsed.topic:
        hits = find(parsed.topic)
        subject = f'the commitment on "{parsed.topic}"'
        if not hits:
            return _answer(parsed, filters, subject, (), f'No commitment matches "{parsed.topic}".')
        found = [hits[0]]
    else:
        return None
    fields = parsed.lookup_fields or ("sdgs", "action_lines")
    text = " ".join(_mapping_sentence(c, fields) for c in found)
    return _answer(parsed, filters, f"mapping of {subject}", tuple(found), text)


def _answer(
    parsed: ParsedQuery,
    filters: Filters,
    description: str,
    commitments: tuple[Commitment, ...],
    text: str,
) -> StructuredAnswer:
    return StructuredAnswer(
        intent=parsed.intent,
        description=description,
        commitments=commitments,
        explicit=(),
        via_all=(),
        include_all=filters.include_all,
        text=text,
    )


def _mapping_sentence(commitment: Commitment, fields: tuple[str, ...]) -> str:
    """'O3-IG-04 "Refrain from Internet shutdowns…" is mapped to SDG 16 and to All WSIS
    Action Lines.' in the source's own terms."""
    c = commitment
    mapped = []
    if "sdgs" in fields:
        if c.sdgs_all:
            mapped.append("All SDGs")
        elif c.sdgs:
            mapped.append(("SDG " if len(c.sdgs) == 1 else "SDGs ") + _join(c.sdgs, "and"))
    if "action_lines" in fields:
        if c.action_lines_all:
            mapped.append("All WSIS Action Lines")
        else:
            word = "WSIS Action Line " if len(c.action_lines) == 1 else "WSIS Action Lines "
            mapped.append(word + _join(c.action_lines, "and"))
    clauses = []
    if "sdgs" in fields and not c.sdgs and not c.sdgs_all:
        clauses.append("has no SDG in the source")
    if mapped:
        clauses.append("is mapped to " + " and to ".join(mapped))
    return f'{c.id} "{_short(c.text)}" ' + " and ".join(clauses) + "."


def _short(text: str, limit: int = 32) -> str:
    """The commitment's opening words, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _invalid(parsed: ParsedQuery, filters: Filters) -> StructuredAnswer:
    errors = "; ".join(dict.fromkeys(m.error for m in parsed.invalid if m.error))
    return _answer(
        parsed, filters, "a scope that does not exist", (), errors[:1].upper() + errors[1:] + "."
    )


def _join(items: Sequence[object], word: str) -> str:
    """'3, 4, 9 and 16'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
