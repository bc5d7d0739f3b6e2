"""Map a proposal: long text -> passages -> related commitments -> suggested SDGs and Action Lines.

A proposal is split into passages that fit the embedding model's window, every passage is searched
(one batched call), and the per-passage hits are aggregated into ranked commitments. SDGs and WSIS
Action Lines are then derived from what the source maps those commitments to, keeping the
evidence: which passage matched which commitment, and whether the mapping is explicit or comes
only through "All SDGs" / "All WSIS Action Lines".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ..corpus import Commitment, Corpus
from ..errors import InvalidQueryError
from ..proposal.readers import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from ..index import Index
    from ..retrieval import Hit

# Passages of at most 96 word-piece tokens, well inside all-MiniLM-L6-v2's 256 (it was trained on
# 128): a passage about as long as a commitment matches it more sharply than a page does. On the
# dev proposal questions, alone and joined into longer ones, 96 beat 64, 128 and 254, and the best
# passage (MAX) beat summing passages and matched or beat a coverage bonus (bench/proposal.py
# --quality). The overlap only applies where a paragraph is longer than a passage.
PASSAGE_TOKENS = 96
PASSAGE_OVERLAP_TOKENS = 24
CHARS_PER_TOKEN = 4  # for embedders without a tokenizer: a character-sized splitter
PASSAGE_K = 10  # hits kept per passage
COVERAGE_BONUS = 0.10  # MAX_COVERAGE: best score x (1 + bonus x share of passages that match)
ALL_WEIGHT = 0.25  # what a mapping through "All SDGs" / "All WSIS Action Lines" is worth
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


class Aggregation(Enum):
    """How per-passage hits add up to one score per commitment."""

    MAX = "max"  # the best single passage
    SUM = "sum"  # every matching passage adds its score
    MAX_COVERAGE = "max+coverage"  # the best passage + a bonus for the share of passages matching


@dataclass(frozen=True)
class Passage:
    """A piece of the proposal that was searched on its own; offsets index the proposal text."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PassageMatch:
    """Evidence: one passage retrieved one commitment, with this score and rank."""

    passage: int  # Passage.index
    score: float
    rank: int


@dataclass(frozen=True)
class RelatedCommitment:
    """A commitment the proposal supports, with the passages that matched it (best first)."""

    commitment: Commitment
    score: float
    matches: tuple[PassageMatch, ...]


@dataclass(frozen=True)
class Evidence:
    """Why an SDG or Action Line is suggested: a commitment mapped to it matched passages."""

    commitment: str  # commitment id
    explicit: bool  # False: the commitment reaches it only through "All ..."
    weight: float  # what it contributed to the score
    passages: tuple[int, ...]


@dataclass(frozen=True)
class SdgSuggestion:
    """An SDG the proposal touches, through the related commitments mapped to it."""

    sdg: int
    name: str
    score: float
    explicit: bool  # True when at least one contributing commitment names it explicitly
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ActionLineSuggestion:
    """A WSIS Action Line (or C7 sub-line) the proposal touches."""

    code: str
    name: str
    score: float
    explicit: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ProposalMap:
    """The result of map_proposal(): ranked commitments, SDGs and Action Lines, with evidence."""

    text: str
    passages: tuple[Passage, ...]
    commitments: tuple[RelatedCommitment, ...]
    sdgs: tuple[SdgSuggestion, ...]
    action_lines: tuple[ActionLineSuggestion, ...]

    def to_dict(self) -> dict:
        """Plain-JSON form: commitments, sdgs, action_lines (with evidence) and passages."""
        return {
            "commitments": [_commitment_dict(rc) for rc in self.commitments],
            "sdgs": [{"sdg": s.sdg, **_suggestion_dict(s)} for s in self.sdgs],
            "action_lines": [{"code": a.code, **_suggestion_dict(a)} for a in self.action_lines],
            "passages": [asdict(p) for p in self.passages],
        }


def _commitment_dict(rc: RelatedCommitment) -> dict:
    record = rc.commitment.to_dict()  # id, text, then the mapping exactly as the source gives it
    passages = [{**asdict(m), "score": round(m.score, 4)} for m in rc.matches]
    return {
        "id": record.pop("id"),
        "text": record.pop("text"),
        "score": round(rc.score, 4),
        "passages": passages,
        **record,
    }


def _suggestion_dict(s: SdgSuggestion | ActionLineSuggestion) -> dict:
    evidence = [{**asdict(e), "weight": round(e.weight, 4)} for e in s.evidence]
    return {
        "name": s.name,
        "score": round(s.score, 4),
        "explicit": s.explicit,
        "evidence": evidence,
    }


# --------------------------------------------------------------------------- mapping


def map_proposal(
    index: Index,
    text: str,
    *,
    k: int = 10,
    aggregation: Aggregation = Aggregation.MAX,
) -> ProposalMap:
    """Map a proposal's text to the k most related commitments and their SDGs / Action Lines."""
    from ..retrieval import search_many

    _check_text(text)
    if k < 1:
        raise InvalidQueryError(f"k must be at least 1 (got {k}).")
    passages = split_proposal(text, embedder=index.embedder)
    if not passages:
        raise InvalidQueryError("the proposal has no letters or digits: paste it as text.")
    hits = search_many(index, [p.text for p in passages], k=max(k, PASSAGE_K))
    return aggregate(text, passages, hits, corpus=index.corpus, k=k, aggregation=aggregation)


def _check_text(text: str) -> None:
    if not text or not text.strip():
        raise InvalidQueryError(
            "the proposal is empty: paste its text or give a .txt, .md, .pdf or .docx file."
        )
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidQueryError(
            f"the proposal has {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} "
            "allowed (about 100 pages): map the relevant sections separately."
        )


def split_proposal(text: str, *, embedder: object) -> list[Passage]:
    """Split text into overlapping passages sized to the embedder's window (words only)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    tokenizer = getattr(embedder, "tokenizer", None)
    options = {"separators": _SEPARATORS, "keep_separator": "end", "add_start_index": True}
    if tokenizer is not None:
        # tokenizer.tokenize() counts word pieces without [CLS]/[SEP]; keep room for those two.
        window = int(getattr(embedder, "max_seq_length", PASSAGE_TOKENS + 2)) - 2
        size = min(PASSAGE_TOKENS, window)
        splitter = RecursiveCharacterTextSplitter.from_huggingface_tokenizer(
            tokenizer,
            chunk_size=size,
            chunk_overlap=min(PASSAGE_OVERLAP_TOKENS, size // 4),
            **options,
        )
    else:
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=PASSAGE_TOKENS * CHARS_PER_TOKEN,
            chunk_overlap=PASSAGE_OVERLAP_TOKENS * CHARS_PER_TOKEN,
            **options,
        )
    passages = []
    for document in splitter.create_documents([text]):
        chunk = document.page_content.strip()
        if not any(ch.isalnum() for ch in chunk):
            continue  # a rule of dashes or a row of emoji: nothing to search for
        start = text.find(chunk, max(0, int(document.metadata.get("start_index", 0))))
        start = start if start >= 0 else text.find(chunk)
        passages.append(Passage(len(passages), chunk, start, start + len(chunk)))
    return passages


def aggregate(
    text: str,
    passages: Sequence[Passage],
    hits: Sequence[Sequence[Hit]],
    *,
    corpus: Corpus,
    k: int = 10,
    aggregation: Aggregation = Aggregation.MAX,
) -> ProposalMap:
    """Combine per-passage hits (hits[i] for passages[i]) into a ProposalMap."""
    if len(hits) != len(passages):
        raise ValueError(f"{len(hits)} hit lists for {len(passages)} passages")
    matches: dict[str, list[PassageMatch]] = {}
    commitments: dict[str, Commitment] = {}
    for passage, passage_hits in zip(passages, hits, strict=True):
        for hit in passage_hits:
            commitments[hit.commitment.id] = hit.commitment
            matches.setdefault(hit.commitment.id, []).append(
                PassageMatch(passage.index, float(hit.score), hit.rank)
            )
    related = [
        RelatedCommitment(
            commitment=commitments[cid],
            score=_commitment_score(found, len(passages), aggregation),
            matches=tuple(sorted(found, key=lambda m: (-m.score, m.passage))),
        )
        for cid, found in matches.items()
    ]
    order = {c.id: n for n, c in enumerate(corpus.commitments)}
    related.sort(key=lambda rc: (-rc.score, order.get(rc.commitment.id, len(order))))
    top = tuple(related[:k])
    return ProposalMap(
        text=text,
        passages=tuple(passages),
        commitments=top,
        sdgs=_suggest_sdgs(top, corpus),
        action_lines=_suggest_action_lines(top, corpus),
    )


def _commitment_score(found: list[PassageMatch], n_passages: int, how: Aggregation) -> float:
    scores = [m.score for m in found]
    if how is Aggregation.MAX:
        return max(scores)
    if how is Aggregation.SUM:
        return sum(scores)
    # The share of passages matching, not their count, so long documents are not favoured.
    coverage = (len(scores) - 1) / (n_passages - 1) if n_passages > 1 else 0.0
    return max(scores) * (1 + COVERAGE_BONUS * coverage)


def _suggest_sdgs(related: Sequence[RelatedCommitment], corpus: Corpus) -> tuple:
    def targets(c: Commitment) -> list[tuple[int, bool]]:
        return [(s, not c.sdgs_all) for s in c.sdgs]

    rows = _suggest(related, targets, _specificity(corpus, targets), order=list(corpus.sdg_names))
    return tuple(SdgSuggestion(t, corpus.sdg_names.get(t, f"SDG {t}"), *rest) for t, *rest in rows)


def _suggest_action_lines(related: Sequence[RelatedCommitment], corpus: Corpus) -> tuple:
    def targets(c: Commitment) -> list[tuple[str, bool]]:
        return [(a, not c.action_lines_all) for a in c.action_lines]

    names = corpus.action_line_names  # in reference order: C1 ... C7, its sub-lines, ... C11
    rows = _suggest(related, targets, _specificity(corpus, targets), order=list(names))
    return tuple(ActionLineSuggestion(t, names.get(t, t), *rest) for t, *rest in rows)


def _specificity(corpus: Corpus, targets) -> dict:
    """ln(1 + N / n): the matrix names C2 for 44 of 85 commitments, C7 E-health for 8, so a
    match on an E-health commitment says more about E-health than one says about C2.
    Never below ln 2, so an explicit mapping always outweighs an "All ..." one (ALL_WEIGHT)."""
    counts: dict = {}
    for c in corpus.commitments:
        for target, explicit in targets(c):
            counts[target] = counts.get(target, 0) + explicit
    return {t: math.log(1 + len(corpus) / n) for t, n in counts.items() if n}


def _suggest(related: Sequence[RelatedCommitment], targets, specificity: dict, *, order) -> list:
    """(target, score, explicit, evidence) rows, explicit first, then by score, then source order.

    A commitment adds score / rank (the best match counts fully, the second half, ...), times
    the target's specificity when it names the target, else times ALL_WEIGHT."""
    grouped: dict = {}
    for rank, rc in enumerate(related, start=1):
        passages = tuple(sorted({m.passage for m in rc.matches}))
        for target, explicit in targets(rc.commitment):
            factor = specificity.get(target, 1.0) if explicit else ALL_WEIGHT
            grouped.setdefault(target, []).append(
                Evidence(rc.commitment.id, explicit, rc.score / rank * factor, passages)
            )
    rows = []
    for target, evidence in grouped.items():
        evidence.sort(key=lambda e: (not e.explicit, -e.weight))
        is_explicit = any(e.explicit for e in evidence)
        rows.append((target, sum(e.weight for e in evidence), is_explicit, tuple(evidence)))
    position = {t: n for n, t in enumerate(order)}
    rows.sort(key=lambda r: (not r[2], -r[1], position.get(r[0], len(position))))
    return rows
