"""search(): dense + lexical retrieval, fused, filtered -> list[Hit]; ask() adds exact answers.

Fusion is a weighted sum of the dense cosine similarity and the BM25 score scaled to the query's
best match, tuned on the dev split of eval/questions.jsonl (plain reciprocal-rank fusion scored
below dense alone there). Questions in other languages are embedded with the multilingual model
and scored densely only: BM25 over English text cannot match them.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .config import MAX_QUESTION_CHARS
from .corpus import Commitment
from .errors import InvalidQueryError
from .index import Index, embed_text
from .query import Filters, Intent, ParsedQuery, parse_query
from .structured import StructuredAnswer, answer_structured


class Retriever(Enum):
    DENSE = "dense"
    LEXICAL = "lexical"
    HYBRID = "hybrid"


@dataclass(frozen=True)
class Hit:
    """One commitment returned for a query, with its score and why it matched."""

    commitment: Commitment
    score: float
    rank: int
    reasons: tuple[str, ...]  # e.g. ("dense 0.61", "lexical 0.80", "explicit SDG 5")
    confident: bool

    def to_dict(self) -> dict:
        """The JSON form used by `gdc-assistant search` and `ask --json`."""
        c = self.commitment
        return {
            "id": c.id,
            "text": c.text,
            "score": round(self.score, 4),
            "rank": self.rank,
            "objective": c.objective,
            "section": c.section,
            "sdgs": list(c.sdgs),
            "sdgs_all": c.sdgs_all,
            "action_lines": list(c.action_lines),
            "action_lines_all": c.action_lines_all,
            "reasons": list(self.reasons),
            "confident": self.confident,
        }


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


@dataclass(frozen=True)
class FusionParams:
    """Tuned on the dev split (see eval/report.md); change them only with the evaluation."""

    dense_weight: float = 0.7
    lexical_weight: float = 0.3
    explicit_boost: float = 0.25  # a commitment explicitly mapped to an SDG / Action Line named
    all_boost: float = 0.05  # ... mapped to it only through "All ..."
    confidence_threshold: float = 0.35  # best dense similarity below this: nothing clearly matches
    multilingual_threshold: float = 0.30
    candidates: int = 100


PARAMS = FusionParams()


def validate_question(question: str, *, max_chars: int = MAX_QUESTION_CHARS) -> str:
    """The question stripped, or InvalidQueryError saying what is wrong with it."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQueryError("the question is empty: type a question about the GDC.")
    text = " ".join(question.split())
    if len(text) > max_chars:
        raise InvalidQueryError(
            f"the question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Shorten it, or map long text with `gdc-assistant map-proposal` or the "
            "Map a proposal tab."
        )
    if not any(ch.isalnum() for ch in text):
        raise InvalidQueryError("the question has no letters or digits: type a question in words.")
    return text


def search(
    index: Index,
    query: str,
    *,
    k: int = 10,
    filters: Filters | None = None,
    retriever: Retriever = Retriever.HYBRID,
) -> list[Hit]:
    """The k best commitments for a query, best first."""
    return search_many(index, [query], k=k, filters=filters, retriever=retriever)[0]


def search_many(
    index: Index,
    queries: list[str],
    *,
    k: int = 10,
    filters: Filters | None = None,
    retriever: Retriever = Retriever.HYBRID,
    params: FusionParams = PARAMS,
) -> list[list[Hit]]:
    """search() for many queries at once; the queries are embedded in one batch."""
    texts = [validate_question(q, max_chars=10 * MAX_QUESTION_CHARS) for q in queries]
    parsed = [parse_query(t) for t in texts]
    constraints = [_constraints(p, filters, retriever) for p in parsed]
    dense = _dense_scores(index, texts, parsed, constraints, retriever, params)
    return [
        _rank(index, p, c, d, retriever, params, k)
        for p, c, d in zip(parsed, constraints, dense, strict=True)
    ]


def ask(index: Index, question: str, *, k: int = 10, filters: Filters | None = None) -> Response:
    """Answer a question: ranked hits, plus an exact answer for count / list / lookup questions."""
    text = validate_question(question)
    parsed = parse_query(text)
    effective = _merge(filters, parsed.filters(_include_all(parsed, filters)))
    structured = None
    if parsed.intent is not Intent.SEARCH:
        structured = answer_structured(
            index.corpus,
            parsed,
            filters=effective,
            find=lambda topic: [h.commitment for h in search(index, topic, k=3, filters=filters)],
        )
    hits = search(index, text, k=k, filters=filters)
    if structured is not None and parsed.intent in (Intent.COUNT, Intent.LIST):
        hits = _structured_hits(structured, hits, k)
    confident = bool(hits) and (structured is not None or hits[0].confident)
    notes = tuple(f"there is no {m}" for m in getattr(parsed, "invalid", ()))
    return Response(text, parsed, effective, tuple(hits), confident, structured, notes)


# --------------------------------------------------------------------------- internals


def _include_all(parsed: ParsedQuery, user: Filters | None) -> bool:
    hint = getattr(parsed, "include_all", None)
    if hint is not None:
        return hint
    return True if user is None else user.include_all


def _merge(user: Filters | None, question: Filters) -> Filters:
    """One Filters from the user's filters and those named in the question (question wins)."""
    if user is None:
        return question

    def pick(a, b):
        return b if b else a

    return Filters(
        sdgs=pick(user.sdgs, question.sdgs),
        action_lines=pick(user.action_lines, question.action_lines),
        objectives=pick(user.objectives, question.objectives),
        sections=pick(user.sections, question.sections),
        include_all=user.include_all and question.include_all,
    )


def _constraints(parsed: ParsedQuery, user: Filters | None, retriever: Retriever) -> list[Filters]:
    """Hard filters: the user's, plus (hybrid only) the strong mentions in the question."""
    constraints = [user] if user is not None and not user.is_empty else []
    if retriever is Retriever.HYBRID:
        include_all = _include_all(parsed, user)
        question = parsed.filters(include_all)
        if not question.is_empty:
            constraints.append(question)
    return constraints


def _dense_scores(index, texts, parsed, constraints, retriever, params) -> list[dict[str, float]]:
    if retriever is Retriever.LEXICAL:
        return [{} for _ in texts]
    use_multi = [
        retriever is Retriever.HYBRID and p.language != "en" and index.has_multilingual()
        for p in parsed
    ]
    out: list[dict[str, float]] = [{} for _ in texts]
    for multi in (False, True):
        rows = [i for i, m in enumerate(use_multi) if m == multi]
        if not rows:
            continue
        embedder = index.multilingual if multi else index.embedder
        vectors = embedder.embed([_query_text(texts[i], parsed[i], retriever) for i in rows])
        for row, vector in zip(rows, vectors, strict=True):
            matches = index.dense(
                vector[None, :],
                k=params.candidates,
                filters=constraints[row],
                multilingual=multi,
            )[0]
            out[row] = {m.id: m.score for m in matches}
    return out


def _query_text(text: str, parsed: ParsedQuery, retriever: Retriever) -> str:
    """Hybrid search matches the topic (scoping words removed); baselines see the raw text."""
    return (parsed.topic or text) if retriever is Retriever.HYBRID else text


def _rank(index, parsed, constraints, dense, retriever, params, k) -> list[Hit]:
    multilingual = retriever is Retriever.HYBRID and parsed.language != "en"
    lexical = (
        {}
        if retriever is Retriever.DENSE or multilingual
        else _lexical_scores(index, _query_text(parsed.text, parsed, retriever))
    )
    candidates = [
        c for c in _candidates(index, dense, lexical) if all(f.matches(c) for f in constraints)
    ]
    scored = []
    for c in candidates:
        d, lex = dense.get(c.id, 0.0), lexical.get(c.id, 0.0)
        if retriever is Retriever.DENSE:
            score, reasons = d, [f"dense {d:.2f}"]
        elif retriever is Retriever.LEXICAL:
            score, reasons = lex, [f"lexical {lex:.2f}"]
        else:
            score = params.dense_weight * d + params.lexical_weight * lex
            reasons = [f"dense {d:.2f}"] + ([f"lexical {lex:.2f}"] if lex > 0 else [])
            bonus, why = _mapping_boost(c, parsed, params)
            score += bonus
            reasons += why
            reasons += [f"filter: {f}" for f in _filter_labels(constraints)]
        scored.append((score, d, c, tuple(reasons)))
    scored.sort(key=lambda row: (-row[0], row[2].id))
    threshold = params.multilingual_threshold if multilingual else params.confidence_threshold
    scoped = retriever is Retriever.HYBRID and not parsed.topic and constraints
    return [
        Hit(
            commitment=c,
            score=float(score),
            rank=rank,
            reasons=reasons,
            confident=bool(scoped) or d >= threshold or retriever is Retriever.LEXICAL,
        )
        for rank, (score, d, c, reasons) in enumerate(scored[:k], start=1)
    ]


def _candidates(index: Index, dense: dict, lexical: dict) -> list[Commitment]:
    ids = set(dense) | {i for i, s in lexical.items() if s > 0}
    if not dense and not lexical:
        ids = {c.id for c in index.corpus.commitments}  # scoped question with no words to match
    return [index.commitment(i) for i in sorted(ids)]


def _mapping_boost(c: Commitment, parsed: ParsedQuery, params: FusionParams):
    """Rank explicit mappings to a named SDG / Action Line above mappings through "All ..."."""
    bonus, reasons = 0.0, []
    for sdg in parsed.sdgs:
        if c.has_sdg(sdg, include_all=False):
            bonus, reasons = bonus + params.explicit_boost, reasons + [f"explicit SDG {sdg}"]
        elif c.sdgs_all:
            bonus, reasons = bonus + params.all_boost, reasons + [f"SDG {sdg} via All SDGs"]
    for code in parsed.action_lines:
        if c.has_action_line(code, include_all=False):
            bonus, reasons = bonus + params.explicit_boost, reasons + [f"explicit {code}"]
        elif c.action_lines_all:
            bonus = bonus + params.all_boost
            reasons = reasons + [f"{code} via All WSIS Action Lines"]
    return bonus, reasons


def _filter_labels(constraints: list[Filters]) -> list[str]:
    labels = []
    for f in constraints:
        labels += [f"SDG {s}" for s in f.sdgs] + list(f.action_lines)
        labels += [f"objective {o}" for o in f.objectives] + list(f.sections)
    return labels


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


# --------------------------------------------------------------------------- lexical (BM25)

_LEXICAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Lexical:
    """BM25 (bm25s, Snowball English stemming) over the commitments' section and text."""

    def __init__(self, index: Index) -> None:
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english")
        self.ids = [c.id for c in index.corpus.commitments]
        tokens = bm25s.tokenize(
            [embed_text(c) for c in index.corpus.commitments],
            stopwords="en",
            stemmer=self.stemmer,
            show_progress=False,
        )
        self.model = bm25s.BM25()
        self.model.index(tokens, show_progress=False)
        self._tokenize = bm25s.tokenize

    def scores(self, text: str) -> dict[str, float]:
        tokens = self._tokenize(
            [text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )[0]
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return {}
        raw = self.model.get_scores(known)
        best = float(np.max(raw))
        if best <= 0:
            return {}
        return {self.ids[i]: float(raw[i]) / best for i in np.flatnonzero(raw > 0)}


def _lexical_scores(index: Index, text: str) -> dict[str, float]:
    lexical = _LEXICAL.get(index)
    if lexical is None:
        lexical = _LEXICAL[index] = _Lexical(index)
    return lexical.scores(text)
