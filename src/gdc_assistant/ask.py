"""ask(): one question -> a Response: ranked hits, exact answers for count / list / lookup
questions, and whether the system is confident (abstention)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace

from .corpus import Commitment, Filters
from .coverage import out_of_scope, question_features
from .exact import StructuredAnswer, answer_structured
from .index.store import Index
from .lexical import vocabulary_share
from .query.language import MULTILINGUAL, NAMES, NON_LATIN, Language
from .query.out_of_scope import unknown_names, unknown_names_foreign, vocabulary
from .query.parse import Intent, ParsedQuery, parse_query
from .relevance import RelevanceModel, hit_probabilities, judge_hits
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
    params = params or PARAMS
    scope_only = not parsed.topic and not effective.is_empty
    if scope_only and structured is None:
        k = max(k, _explicit_total(index, parsed, effective))  # a scope's list is not cut short
    run = SearchRun(index=index, retriever=Retriever.HYBRID, params=params, k=k, filters=filters)
    hits = rank_parsed(run, texts=[text], parsed=[parsed])[0]
    notes = tuple(m.error for m in parsed.invalid if m.error) + _language_notes(parsed)
    names = _names_not_in_matrix(index, parsed, params)
    if structured is not None and parsed.intent in (Intent.COUNT, Intent.LIST):
        hits = _structured_hits(structured, hits, k, named=_named(parsed, effective))
    elif structured is not None and parsed.intent is Intent.LOOKUP and structured.commitments:
        judged = judge_relevance(hits, parsed=parsed, filters=effective, params=params)
        weak_subject = _weak_subject(structured, judged, parsed)
        if weak_subject or (names and not parsed.commitment_ids):
            notes += (weak_subject,) if weak_subject else ()
            hits, structured = judged, None
        else:
            hits = _looked_up_hits(structured, hits)
    else:
        hits = judge_relevance(hits, parsed=parsed, filters=effective, params=params)
        hits = _named_first(index, hits, parsed, k)
    exact = structured is not None and not parsed.invalid  # an exact answer, even "none"
    covered = structured is not None or not _not_covered(index, hits, parsed, params)
    if covered and parsed.intent is Intent.SEARCH and parsed.topic and hits:
        if not any(h.relevant for h in hits):  # the matrix covers it: its best match answers it
            hits = [replace(hits[0], relevant=True), *hits[1:]]
    relevant = any(h.relevant for h in hits)
    confident = not parsed.invalid and covered and (exact or scope_only or relevant)
    if names and structured is None:
        confident = False
        notes += tuple(f"“{name}” is not mentioned anywhere in the matrix" for name in names)
    if not confident or not Language(parsed.language).supported:
        confident = False
        hits = [replace(h, relevant=False) for h in hits]
    return Response(text, parsed, effective, tuple(hits), confident, structured, notes)


def judge_relevance(
    hits: list[Hit], *, parsed: ParsedQuery, filters: Filters, params: FusionParams
) -> list[Hit]:
    """Mark the hits that answer the question. A scope with no topic ("commitments under SDG 4
    and C4") is answered by the commitments mapped to it explicitly; a topic by the hits that
    the relevance model (relevance.py, fitted on dev) judges to answer it."""
    if not hits:
        return hits
    if not parsed.topic and not filters.is_empty:
        named = _named(parsed, filters)
        return [
            replace(h, relevant=_explicit_count(h.commitment, named) == len(named)) for h in hits
        ]
    if parsed.language == "en" and max(h.similarity for h in hits) < params.answer_floor:
        return [replace(h, relevant=False) for h in hits]
    flags = judge_hits(
        hits, language=parsed.language, words=len(parsed.text.split()), model=params.relevance
    )
    return [replace(h, relevant=flag) for h, flag in zip(hits, flags, strict=True)]


def _not_covered(index: Index, hits: list[Hit], parsed: ParsedQuery, params: FusionParams) -> bool:
    """Whether a topical question is judged outside the matrix (coverage.py; for English, also
    a best similarity under the answer floor)."""
    if not parsed.topic or parsed.commitment_ids or not hits:
        return False
    if parsed.language == "en" and max(h.similarity for h in hits) < params.answer_floor:
        return True
    row = coverage_row(index, hits, parsed=parsed, relevance=params.relevance)
    return out_of_scope(row, model=params.coverage)


def coverage_row(
    index: Index, hits: list[Hit], *, parsed: ParsedQuery, relevance: RelevanceModel | None
) -> dict[str, float]:
    """The coverage model's input for a topical question and its hits (coverage.FEATURES); the
    same row eval/calibrate.py fits the model on."""
    words = len(parsed.text.split())
    probabilities = hit_probabilities(hits, language=parsed.language, words=words, model=relevance)
    return question_features(
        best_probability=max(probabilities),
        best_similarity=max(h.similarity for h in hits),
        vocabulary=vocabulary_share(index, parsed.topic, language=parsed.language),
        words=words,
        language=parsed.language,
    )


def _named_first(index: Index, hits: list[Hit], parsed: ParsedQuery, k: int) -> list[Hit]:
    """A commitment named by its id ("O3-IG-04") answers the question, in any language."""
    known = {c.id for c in index.corpus}
    named = [cid for cid in parsed.commitment_ids if cid in known]
    if not named:
        return hits
    by_id = {h.commitment.id: h for h in hits}
    first = [
        replace(by_id[cid], relevant=True)
        if cid in by_id
        else Hit(index.commitment(cid), 1.0, 0, ("named by its id",), True, relevant=True)
        for cid in named
    ]
    rest = [h for h in hits if h.commitment.id not in named]
    return [replace(h, rank=rank) for rank, h in enumerate((first + rest)[:k], start=1)]


def _language_notes(parsed: ParsedQuery) -> tuple[str, ...]:
    """A notice when the question's language is one the multilingual model does not read."""
    language = Language(parsed.language)
    if language.supported:
        return ()
    readable = ", ".join(sorted(NAMES[code] for code in MULTILINGUAL))
    return (
        f"this question seems to be in {language.name}, which the search model does not read, "
        f"so these results are a guess; ask in one of: {readable}",
    )


def _names_not_in_matrix(index: Index, parsed: ParsedQuery, params: FusionParams):
    """Proper names ("EU AI Act", "Marco Civil") the matrix never uses, in short questions
    written in English or another Latin-script language."""
    if len(parsed.text.split()) >= params.long_query_words or parsed.language in NON_LATIN:
        return ()
    known = _VOCABULARY.get(index)
    if known is None:
        known = _VOCABULARY[index] = vocabulary(index.corpus)
    if parsed.language == "en":
        return unknown_names(parsed.text, known)
    return unknown_names_foreign(parsed.text, known)


def _named(parsed: ParsedQuery, filters: Filters) -> tuple[tuple[str, int | str], ...]:
    """The SDGs and Action Lines a scope names, as ("sdg", 4) / ("action_line", "C4")."""
    sdgs = dict.fromkeys((*filters.sdgs, *parsed.sdgs))
    lines = dict.fromkeys((*filters.action_lines, *parsed.action_lines))
    return tuple(("sdg", s) for s in sdgs) + tuple(("action_line", a) for a in lines)


def _explicit_total(index: Index, parsed: ParsedQuery, filters: Filters) -> int:
    """How many commitments a scope-only question ("commitments under C8") names explicitly."""
    named = _named(parsed, filters)
    return sum(filters.matches(c) and _explicit_count(c, named) == len(named) for c in index.corpus)


def _explicit_count(commitment: Commitment, named: tuple[tuple[str, int | str], ...]) -> int:
    """How many of the named SDGs / Action Lines the commitment is mapped to by name."""
    return sum(
        commitment.has_sdg(value, include_all=False)
        if kind == "sdg"
        else commitment.has_action_line(value, include_all=False)
        for kind, value in named
    )


def _structured_hits(
    structured: StructuredAnswer, hits: list[Hit], k: int, *, named: tuple
) -> list[Hit]:
    """For count / list questions, the exact matches: mapped explicitly to every named SDG /
    Action Line first, then to fewer of them, then only through "All ..."; topic score next.
    Every explicit match is kept even past k: an exact answer is not cut short."""
    by_id = {h.commitment.id: h for h in hits}
    explicit_ids = {c.id for c in structured.explicit}
    ordered = sorted(
        structured.commitments,
        key=lambda c: (
            c.id not in explicit_ids,
            -_explicit_count(c, named),
            -(by_id[c.id].score if c.id in by_id else 0.0),
        ),
    )
    return [
        Hit(
            commitment=c,
            score=1.0 if c.id in explicit_ids else 0.5,
            rank=rank,
            reasons=("exact: explicit mapping" if c.id in explicit_ids else "exact: via All",),
            confident=True,
            relevant=c.id in explicit_ids,
        )
        for rank, c in enumerate(ordered[: max(k, len(explicit_ids))], start=1)
    ]


def _looked_up_hits(structured: StructuredAnswer, hits: list[Hit]) -> list[Hit]:
    """For a lookup ("which SDGs is the commitment on X mapped to?"): the commitment(s) only."""
    by_id = {h.commitment.id: h for h in hits}
    return [
        replace(by_id[c.id], rank=rank, relevant=True)
        if c.id in by_id
        else Hit(
            c, score=1.0, rank=rank, reasons=("exact: looked up",), confident=True, relevant=True
        )
        for rank, c in enumerate(structured.commitments, start=1)
    ]


def _weak_subject(
    structured: StructuredAnswer, judged: list[Hit], parsed: ParsedQuery
) -> str | None:
    """Why a lookup described in words has no subject: its commitment is ranked but not judged
    relevant (None when the subject is an id, or matches its commitment well)."""
    if parsed.commitment_ids or not parsed.topic:
        return None
    subject = structured.commitments[0].id
    hit = next((h for h in judged if h.commitment.id == subject), None)
    if hit is None or hit.relevant:
        return None
    return (
        f"no commitment matches “{parsed.topic}” closely, so no mapping is given as its answer; "
        f"the nearest is {subject}"
    )


# --------------------------------------------------------------------------- batches


def ask_many(
    index: Index,
    questions: list[str],
    *,
    k: int = 10,
    filters: Filters | None = None,
    params: FusionParams | None = None,
) -> list[Response]:
    """ask() for many questions, their search texts embedded in one batch per model; each
    Response is the one ask() gives. InvalidQueryError for the first unusable question."""
    import copy

    texts = [validate_question(q) for q in questions]
    parsed = [parse_query(t) for t in texts]
    searched = [p.topic or t for t, p in zip(texts, parsed, strict=True)]  # as hybrid search does
    # ask() runs unchanged on a handle whose embedders answer from the batch's vectors, so the
    # results cannot drift from ask()'s; a text not foreseen here is simply embedded on demand.
    prepared = copy.copy(index)
    prepared.embedder = _PreparedEmbedder(index.embedder, searched)
    if index.has_multilingual():
        foreign = [s for s, p in zip(searched, parsed, strict=True) if p.language != "en"]
        prepared.multilingual = _PreparedEmbedder(index.multilingual, foreign)
    return [ask(prepared, t, k=k, filters=filters, params=params) for t in texts]


class _PreparedEmbedder:
    """An embedder that answers from vectors embedded in advance, in one batch."""

    def __init__(self, embedder, texts: list[str]) -> None:
        self.name = embedder.name
        self._embedder = embedder
        unique = list(dict.fromkeys(texts))
        self._vectors = dict(zip(unique, embedder.embed(unique), strict=True)) if unique else {}

    def embed(self, texts: list[str]):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])
