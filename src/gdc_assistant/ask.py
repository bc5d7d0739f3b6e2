"""ask(): one question -> a Response: ranked hits, exact answers for count / list / lookup
questions, and whether the system is confident (abstention)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace

from .corpus import Filters
from .exact import StructuredAnswer, answer_structured
from .index import Index
from .query.out_of_scope import unknown_names, vocabulary
from .query.parse import Intent, ParsedQuery, parse_query
from .retrieval import (
    PARAMS,
    FusionParams,
    Hit,
    Retriever,
    SearchRun,
    rank_parsed,
    search,
    validate_question,
)

_VOCABULARY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Response:
    """Everything the app and the CLI need to answer one question."""

    question: str
    parsed: ParsedQuery
    filters: Filters
    hits: tuple[Hit, ...]
    confident: bool
    structured: StructuredAnswer | None = None
    notes: tuple[str, ...] = field(default=())


def ask(
    index: Index,
    question: str,
    *,
    k: int = 10,
    filters: Filters | None = None,
    params: FusionParams | None = None,
) -> Response:
    """Answer a question: ranked hits, plus an exact answer for count / list / lookup questions."""
    text = validate_question(question)
    parsed = parse_query(text)
    effective = parsed.filters_with(filters or Filters())
    structured = None
    if parsed.intent is not Intent.SEARCH:
        structured = answer_structured(
            index.corpus,
            parsed,
            filters=effective,
            find=lambda topic: [
                h.commitment for h in search(index, topic, k=3, filters=filters, params=params)
            ],
        )
    run = SearchRun(
        index=index, retriever=Retriever.HYBRID, params=params or PARAMS, k=k, filters=filters
    )
    hits = rank_parsed(run, texts=[text], parsed=[parsed])[0]
    if structured is not None and parsed.intent in (Intent.COUNT, Intent.LIST):
        hits = _structured_hits(structured, hits, k)
    elif structured is not None and parsed.intent is Intent.LOOKUP and structured.commitments:
        hits = _looked_up_hits(structured, hits)
    confident = bool(hits) and (structured is not None or hits[0].confident)
    notes = tuple(m.error for m in parsed.invalid if m.error)
    names = _names_not_in_matrix(index, parsed, params or PARAMS)
    if names and structured is None:
        confident = False
        notes += tuple(f"“{name}” is not mentioned anywhere in the matrix" for name in names)
    return Response(text, parsed, effective, tuple(hits), confident, structured, notes)


# --------------------------------------------------------------------------- internals


def _names_not_in_matrix(index: Index, parsed: ParsedQuery, params: FusionParams):
    """Multi-word names ("EU AI Act") the matrix never uses, in short English questions."""
    if parsed.language != "en" or len(parsed.text.split()) >= params.long_query_words:
        return ()
    known = _VOCABULARY.get(index)
    if known is None:
        known = _VOCABULARY[index] = vocabulary(index.corpus)
    return unknown_names(parsed.text, known)


def _structured_hits(structured: StructuredAnswer, hits: list[Hit], k: int) -> list[Hit]:
    """For count / list questions, the exact matches ranked explicit first, topic score second."""
    by_id = {h.commitment.id: h for h in hits}
    explicit_ids = {c.id for c in structured.explicit}
    ordered = sorted(
        structured.commitments,
        key=lambda c: (c.id not in explicit_ids, -(by_id[c.id].score if c.id in by_id else 0.0)),
    )
    return [
        Hit(
            commitment=c,
            score=1.0 if c.id in explicit_ids else 0.5,
            rank=rank,
            reasons=("exact: explicit mapping" if c.id in explicit_ids else "exact: via All",),
            confident=True,
        )
        for rank, c in enumerate(ordered[:k], start=1)
    ]


def _looked_up_hits(structured: StructuredAnswer, hits: list[Hit]) -> list[Hit]:
    """For a lookup ("which SDGs is the commitment on X mapped to?"): the commitment(s) only."""
    by_id = {h.commitment.id: h for h in hits}
    return [
        replace(by_id[c.id], rank=rank)
        if c.id in by_id
        else Hit(c, score=1.0, rank=rank, reasons=("exact: looked up",), confident=True)
        for rank, c in enumerate(structured.commitments, start=1)
    ]
