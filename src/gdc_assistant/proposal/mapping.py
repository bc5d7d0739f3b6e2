"""Map a proposal: text -> passages -> related commitments, SDG and Action Line suggestions, gaps.

Every passage is embedded (many proposals share large batches: map_passages) and compared with
every commitment and with the SDG and Action Line descriptions (references.py). A commitment's
score is its best passage: cosine similarity plus, for passages of LEXICAL_MIN_WORDS words or
more, LEXICAL_WEIGHT x BM25 scaled to the passage's best match (the words a proposal names, such
as "curricula" or "recycling", matter; on the dev judged proposals 0.3 kept the share of
expectations met and brought back named activities that dense similarity alone ranked 20th).
A commitment is `relevant` when its best cosine similarity reaches RELEVANT_MIN; too little
text, or no commitment near NO_MATCH_MAX, gives a notice instead of results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np

from ..corpus import Commitment, Corpus
from ..errors import InvalidQueryError
from .gaps import Gap, find_gaps
from .passages import Passage, split_proposal, split_sentences
from .readers import MAX_TEXT_CHARS
from .references import References, references
from .suggestions import Related, Suggestion, suggest_action_lines, suggest_sdgs

# Calibrated on the dev judged proposals (cosine similarity, not the fused score, so short and
# long passages are judged alike): at 0.425 a commitment flagged relevant is a judged one 38% of
# the time and 72% of judged ones are flagged (best F1 of 0.30 ... 0.55; the judgements list
# only what a reader insists on, so many unjudged "relevant" ones are fair).
RELEVANT_MIN = 0.425
LEXICAL_WEIGHT = 0.3
LEXICAL_MIN_WORDS = 25  # shorter passages: cosine only (as search() does for short questions)
NO_MATCH_MAX = 0.30  # best commitment under this: nothing in the proposal is about the GDC
MIN_WORDS = 5  # fewer words than this: too little text to map
PASSAGES_SHOWN = 3  # passages kept as evidence per commitment
SENTENCE_MARGIN = 0.05  # a second sentence is evidence too when within this of the best one
EVIDENCE_PASSAGES = 2  # the best passages whose sentences are compared for the evidence
EMBED_CHUNK = 256  # passages embedded per call (the progress bar moves per chunk)


@dataclass(frozen=True)
class PassageMatch:
    """One passage compared with one commitment."""

    passage: int  # Passage.index
    score: float


@dataclass(frozen=True)
class SentenceMatch:
    """A sentence of the proposal that matches a commitment by meaning (offsets index the text)."""

    text: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class RelatedCommitment:
    """A commitment the proposal supports: its best passages and sentences, best first."""

    commitment: Commitment
    score: float  # the best passage's cosine similarity + its lexical part
    relevant: bool  # the best cosine similarity reaches RELEVANT_MIN
    matches: tuple[PassageMatch, ...]
    sentences: tuple[SentenceMatch, ...] = ()
    similarity: float = 0.0  # the best passage's cosine similarity


@dataclass(frozen=True)
class ProposalMap:
    """The result of map_proposal(); `notice` (then no results) when there is nothing to map."""

    text: str
    passages: tuple[Passage, ...]
    commitments: tuple[RelatedCommitment, ...]
    sdgs: tuple[Suggestion, ...]
    action_lines: tuple[Suggestion, ...]
    gaps: tuple[Gap, ...] = ()
    notice: str | None = None
    scores: tuple[float, ...] = ()  # every commitment's score, in corpus order
    similarities: tuple[float, ...] = ()  # every commitment's best cosine similarity

    @property
    def relevant(self) -> tuple[RelatedCommitment, ...]:
        return tuple(rc for rc in self.commitments if rc.relevant)

    @property
    def less_close(self) -> tuple[RelatedCommitment, ...]:
        return tuple(rc for rc in self.commitments if not rc.relevant)

    def to_dict(self) -> dict:
        """Plain-JSON form: notice, commitments, sdgs, action_lines, gaps and passages."""
        return {
            "notice": self.notice,
            "commitments": [_commitment_dict(rc) for rc in self.commitments],
            "sdgs": [{"sdg": s.sdg, **_suggestion_dict(s)} for s in self.sdgs],
            "action_lines": [{"code": a.code, **_suggestion_dict(a)} for a in self.action_lines],
            "gaps": [g.to_dict() for g in self.gaps],
            "passages": [asdict(p) for p in self.passages],
        }


def _commitment_dict(rc: RelatedCommitment) -> dict:
    record = rc.commitment.to_dict()  # id, text, then the mapping exactly as the source gives it
    return {
        "id": record.pop("id"),
        "text": record.pop("text"),
        "score": round(rc.score, 4),
        "similarity": round(rc.similarity, 4),
        "relevant": rc.relevant,
        "passages": [{**asdict(m), "score": round(m.score, 4)} for m in rc.matches],
        "sentences": [{**asdict(s), "score": round(s.score, 4)} for s in rc.sentences],
        **record,
    }


def _suggestion_dict(s: Suggestion) -> dict:
    return {
        "name": s.name,
        "score": round(s.score, 4),
        "explicit": s.explicit,
        "matrix": round(s.matrix, 4),
        "direct": round(s.direct, 4),
        "evidence": [{**asdict(e), "weight": round(e.weight, 4)} for e in s.evidence],
        "passages": [{"passage": p.passage, "score": round(p.score, 4)} for p in s.passages],
    }


# --------------------------------------------------------------------------- mapping


def map_proposal(index, text: str, *, k: int = 10, evidence: bool = True) -> ProposalMap:
    """Map a proposal's text to the k most related commitments, SDGs, Action Lines and gaps;
    with evidence, the sentences that best match each commitment."""
    check_proposal_text(text)
    if k < 1:
        raise InvalidQueryError(f"k must be at least 1 (got {k}).")
    passages = split_proposal(text, embedder=index.embedder)
    if not passages:
        raise InvalidQueryError("the proposal has no letters or digits: paste it as text.")
    pmap = map_passages(index, [(text, passages)], k=k)[0]
    return with_sentences(index, pmap) if evidence else pmap


def check_proposal_text(text: str) -> None:
    """InvalidQueryError when the text is empty or too long to map."""
    if not text or not text.strip():
        raise InvalidQueryError(
            "the proposal is empty: paste its text or give a .txt, .md, .pdf or .docx file."
        )
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidQueryError(
            f"the proposal has {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} "
            "allowed (about 100 pages): map the relevant sections separately."
        )


def map_passages(
    index,
    proposals: Sequence[tuple[str, Sequence[Passage]]],
    *,
    k: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> list[ProposalMap]:
    """Map many (text, passages) at once: all passages are embedded in large batches."""
    texts = [p.text for _, passages in proposals for p in passages]
    vectors = _embed(index.embedder, texts, progress=progress)
    refs = references(index)
    out, start = [], 0
    for text, passages in proposals:
        end = start + len(passages)
        lexical = _lexical(index, passages, refs)
        out.append(
            assemble(
                text,
                passages,
                vectors[start:end],
                refs=refs,
                corpus=index.corpus,
                k=k,
                lexical=lexical,
            )
        )
        start = end
    return out


def _lexical(index, passages: Sequence[Passage], refs: References) -> np.ndarray:
    """Passages x commitments: BM25 scaled to each passage's best match; 0 for short passages."""
    from ..lexical import lexical_scores

    column = {cid: j for j, cid in enumerate(refs.commitment_ids)}
    out = np.zeros((len(passages), len(column)), dtype=np.float32)
    for i, passage in enumerate(passages):
        if len(passage.text.split()) >= LEXICAL_MIN_WORDS:
            for cid, score in lexical_scores(index, passage.text).items():
                out[i, column[cid]] = score
    return out


def _embed(embedder, texts: list[str], *, progress) -> np.ndarray:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    parts = []
    for start in range(0, len(texts), EMBED_CHUNK):
        parts.append(embedder.embed(texts[start : start + EMBED_CHUNK]))
        if progress:
            progress(min(start + EMBED_CHUNK, len(texts)), len(texts))
    return np.vstack(parts)


def assemble(
    text: str,
    passages: Sequence[Passage],
    vectors: np.ndarray,
    *,
    refs: References,
    corpus: Corpus,
    k: int = 10,
    lexical: np.ndarray | None = None,
) -> ProposalMap:
    """The ProposalMap of one proposal from its passages' unit vectors (rows of `vectors`) and
    their scaled BM25 scores per commitment (`lexical`, LEXICAL_WEIGHT applied here)."""
    if len(vectors) != len(passages):
        raise ValueError(f"{len(vectors)} vectors for {len(passages)} passages")
    passages = tuple(passages)
    sims = vectors @ refs.commitments.T  # passages x commitments, cosine
    fused = sims if lexical is None else sims + LEXICAL_WEIGHT * lexical
    best, cosine = fused.max(axis=0), sims.max(axis=0)
    notice = _notice(text, float(cosine.max()) if len(cosine) else 0.0)
    scores = tuple(float(s) for s in best)
    similarities = tuple(float(s) for s in cosine)
    if notice:
        return ProposalMap(text, passages, (), (), (), (), notice, scores, similarities)
    order = sorted(range(len(best)), key=lambda i: (-best[i], i))  # ties: source order
    ranked = [_related(corpus.commitments[i], fused[:, i], cosine[i]) for i in order]
    related = [
        Related(rc.commitment, rc.score, tuple(m.passage for m in rc.matches)) for rc in ranked
    ]
    sdgs = suggest_sdgs(
        related,
        _columns(refs.sdg_similarities(vectors), refs.sdgs, corpus.sdg_names),
        names=corpus.sdg_names,
    )
    lines = suggest_action_lines(
        related,
        _columns(vectors @ refs.action_line_vectors.T, refs.action_lines, corpus.action_line_names),
        names=corpus.action_line_names,
    )
    gaps = find_gaps(sims, corpus=corpus, sdgs=sdgs, action_lines=lines, addressed=RELEVANT_MIN)
    return ProposalMap(
        text, passages, tuple(ranked[:k]), sdgs, lines, gaps, None, scores, similarities
    )


def _related(commitment: Commitment, column: np.ndarray, cosine: float) -> RelatedCommitment:
    top = np.argsort(-column, kind="stable")[:PASSAGES_SHOWN]
    matches = tuple(PassageMatch(int(p), float(column[p])) for p in top)
    relevant = bool(cosine >= RELEVANT_MIN)
    return RelatedCommitment(
        commitment, float(column[top[0]]), relevant, matches, (), float(cosine)
    )


def _columns(sims: np.ndarray, descriptions, names: dict) -> np.ndarray:
    """Passage x target similarities (columns in `descriptions` order) reordered as `names` (the
    corpus tables)."""
    position = {d.key: j for j, d in enumerate(descriptions)}
    return np.stack([sims[:, position[key]] for key in names], axis=1)


def _notice(text: str, best: float) -> str | None:
    words = len(text.split())
    if words < MIN_WORDS:
        return (
            f"Too little text to map ({words} word{'s' if words != 1 else ''}): paste the "
            "proposal's summary or a paragraph or more."
        )
    if best < NO_MATCH_MAX:
        return (
            f"Nothing in this text is close to a GDC commitment (best score {best:.2f}, under "
            f"{NO_MATCH_MAX:.2f}): check that it is the proposal, in English."
        )
    return None


def with_sentences(index, pmap: ProposalMap) -> ProposalMap:
    """The map with each commitment's best-matching sentence(s), compared by meaning.

    Only the sentences of each commitment's EVIDENCE_PASSAGES best passages are compared: that
    is where the match is, and a 5,000-word proposal then embeds about 80 sentences, not 300."""
    if not pmap.commitments:
        return pmap
    sentences = split_sentences(pmap.text)
    within: dict[int, list[int]] = {}  # passage -> its sentences
    for rc in pmap.commitments:
        for match in rc.matches[:EVIDENCE_PASSAGES]:
            p = pmap.passages[match.passage]
            within.setdefault(
                p.index, [i for i, s in enumerate(sentences) if s.start < p.end and s.end > p.start]
            )
    needed = sorted({i for found in within.values() for i in found})
    if not needed:
        return pmap
    refs = references(index)
    row = {cid: n for n, cid in enumerate(refs.commitment_ids)}
    vectors = index.embedder.embed([sentences[i].text for i in needed])
    position = {i: n for n, i in enumerate(needed)}
    updated = []
    for rc in pmap.commitments:
        candidates = sorted({i for m in rc.matches[:EVIDENCE_PASSAGES] for i in within[m.passage]})
        if not candidates:
            updated.append(rc)
            continue
        scores = (
            vectors[[position[i] for i in candidates]] @ refs.commitments[row[rc.commitment.id]]
        )
        best = float(scores.max())
        picked = [
            (i, float(score))
            for i, score in sorted(zip(candidates, scores, strict=True), key=lambda r: -r[1])[:2]
            if score >= best - SENTENCE_MARGIN
        ]
        found = tuple(
            SentenceMatch(sentences[i].text, sentences[i].start, sentences[i].end, score)
            for i, score in sorted(picked)
        )
        updated.append(replace(rc, sentences=found))
    return replace(pmap, commitments=tuple(updated))
