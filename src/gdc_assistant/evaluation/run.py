"""Run a question set through the retrievers and summarise it: EvalReport.

Out-of-scope questions (no relevant commitment) are scored on abstention instead of IR metrics.
For the full system (hybrid) the report also scores its own judgements: the precision of the hits
it flags as relevant, the share of grade-2 commitments among them, and how often it is confident.
Per-question rows (misses, worst questions) are given for the dev split only: the test split is
blind, so only its aggregate figures are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING, Any

from ..errors import EvaluationError, InvalidQueryError
from ..retrieval import Retriever
from .questions import QUESTION_TYPES, SPLITS, STRUCTURED_TYPES, Question
from .scoring import (
    METRICS,
    Exactness,
    Miss,
    find_misses,
    score_rankings,
    score_structured,
    structured_facts,
)

if TYPE_CHECKING:
    from ..retrieval import FusionParams

K = 10
RETRIEVERS = tuple(Retriever)


@dataclass(frozen=True)
class QuestionResult:
    """One question run through one retriever."""

    question: Question
    retriever: str
    ranking: tuple[str, ...]
    scores: Mapping[str, float]  # empty for out-of-scope questions
    abstained: bool
    misses: tuple[Miss, ...] = ()
    exactness: Exactness | None = None
    error: str | None = None
    flagged: tuple[str, ...] = ()  # the hits the system itself marked relevant (hybrid only)

    def to_dict(self) -> dict:
        q = self.question
        return {
            "id": q.id,
            "question": q.question,
            "type": q.type,
            "language": q.language,
            "split": q.split,
            "retriever": self.retriever,
            "ranking": list(self.ranking),
            "scores": dict(self.scores),
            "abstained": self.abstained,
            "misses": [m.__dict__ for m in self.misses],
            "exactness": None if self.exactness is None else self.exactness.__dict__,
            "error": self.error,
            "flagged": list(self.flagged),
        }


@dataclass(frozen=True)
class EvalReport:
    """Every question's result for every retriever, with summaries per split, type and language."""

    results: tuple[QuestionResult, ...]
    retrievers: tuple[str, ...]
    split: str = "all"
    source: str = ""

    @property
    def primary(self) -> str:
        """The retriever that stands for the system: hybrid when it was run."""
        return "hybrid" if "hybrid" in self.retrievers else self.retrievers[0]

    @property
    def splits(self) -> tuple[str, ...]:
        return (*SPLITS, "all") if self.split == "all" else (self.split,)

    def select(
        self, retriever: Retriever | str, *, split: str = "all", **where: str
    ) -> list[QuestionResult]:
        """Results of one retriever, optionally only one split / type / language."""
        name = Retriever(retriever).value
        return [
            r
            for r in self.results
            if r.retriever == name
            and split in ("all", r.question.split)
            and all(getattr(r.question, name) == value for name, value in where.items())
        ]

    def metrics(
        self, retriever: Retriever | str, *, split: str = "all", **where: str
    ) -> dict[str, float]:
        """Mean IR metrics over in-scope questions, plus `n` (how many were averaged)."""
        scored = [r.scores for r in self.select(retriever, split=split, **where) if r.scores]
        summary: dict[str, float] = {"n": len(scored)}
        for name in METRICS:
            summary[name] = mean(s[name] for s in scored) if scored else float("nan")
        return summary

    def abstention(
        self, retriever: Retriever | str, *, split: str = "all", **where: str
    ) -> dict[str, float]:
        """Abstention accuracy on out-of-scope questions; false-abstention rate on in-scope ones."""
        chosen = [r for r in self.select(retriever, split=split, **where) if r.error is None]
        outside = [r.abstained for r in chosen if not r.question.in_scope]
        inside = [r.abstained for r in chosen if r.question.in_scope]
        return {
            "out_of_scope": len(outside),
            "abstention_accuracy": mean(outside) if outside else float("nan"),
            "in_scope": len(inside),
            "false_abstention_rate": mean(inside) if inside else float("nan"),
        }

    def relevance(
        self, retriever: Retriever | str, *, split: str = "all", **where: str
    ) -> dict[str, float]:
        """The system's own relevance flags, pooled over questions: `precision` of the flagged
        hits (a flag on an out-of-scope question is always wrong) and `grade2_recall`, the share
        of grade-2 commitments that were flagged."""
        chosen = [r for r in self.select(retriever, split=split, **where) if r.error is None]
        flagged = [(cid, r.question.relevant) for r in chosen for cid in r.flagged]
        right = sum(relevant.get(cid, 0) > 0 for cid, relevant in flagged)
        grade2 = [
            (cid, set(r.flagged))
            for r in chosen
            for cid, g in r.question.relevant.items()
            if g == 2
        ]
        found = sum(cid in marked for cid, marked in grade2)
        return {
            "flagged": len(flagged),
            "precision": right / len(flagged) if flagged else float("nan"),
            "grade2": len(grade2),
            "grade2_recall": found / len(grade2) if grade2 else float("nan"),
        }

    def exactness(
        self, retriever: Retriever | str, *, split: str = "all"
    ) -> dict[str, dict[str, float]]:
        """Per structured type: how many had `expected`, how many were exactly right."""
        out: dict[str, dict[str, float]] = {}
        for qtype in STRUCTURED_TYPES:
            graded = [
                r.exactness for r in self.select(retriever, split=split, type=qtype) if r.exactness
            ]
            if not graded:
                continue
            row: dict[str, float] = {"n": len(graded), "correct": sum(e.correct for e in graded)}
            row["accuracy"] = row["correct"] / len(graded)
            if qtype == "list":
                row["precision"] = mean(e.precision or 0.0 for e in graded)
                row["recall"] = mean(e.recall or 0.0 for e in graded)
            out[qtype] = row
        return out

    def worst(self, retriever: Retriever | str, *, n: int = 10) -> list[QuestionResult]:
        """The dev questions with the lowest nDCG@10 (then most misses); the test split is blind,
        so its questions are never listed one by one."""
        scored = [r for r in self.select(retriever, split="dev") if r.scores]
        scored.sort(key=lambda r: (r.scores["ndcg@10"], -len(r.misses), r.question.id))
        return [r for r in scored if r.scores["ndcg@10"] < 1.0 or r.misses][:n]

    def to_dict(self) -> dict:
        """Plain JSON: summaries per retriever and split, per type and language, and every row."""
        types = sorted({r.question.type for r in self.results}, key=QUESTION_TYPES.index)
        languages = sorted({r.question.language for r in self.results})
        return {
            "source": self.source,
            "split": self.split,
            "questions": len({r.question.id for r in self.results}),
            "retrievers": {
                name: {
                    split: {
                        "metrics": _clean(self.metrics(name, split=split)),
                        "abstention": _clean(self.abstention(name, split=split)),
                        "exactness": self.exactness(name, split=split),
                        "relevance": _clean(self.relevance(name, split=split)),
                        "relevance_by_language": {
                            lang: _clean(self.relevance(name, split=split, language=lang))
                            for lang in languages
                        },
                        "abstention_by_language": {
                            lang: _clean(self.abstention(name, split=split, language=lang))
                            for lang in languages
                        },
                        "by_type": {
                            t: _clean(self.metrics(name, split=split, type=t)) for t in types
                        },
                        "by_language": {
                            lang: _clean(self.metrics(name, split=split, language=lang))
                            for lang in languages
                        },
                    }
                    for split in self.splits
                }
                for name in self.retrievers
            },
            "results": [r.to_dict() for r in self.results if r.question.split != "test"],
        }


def _clean(values: Mapping[str, float]) -> dict[str, float | None]:
    return {k: (None if v != v else v) for k, v in values.items()}  # NaN -> null in JSON


def evaluate(
    index: Any,
    questions: Sequence[Question],
    *,
    retrievers: Iterable[Retriever] = RETRIEVERS,
    split: str = "all",
    progress: Callable[[int, int], None] | None = None,
    source: str = "",
    params: FusionParams | None = None,
) -> EvalReport:
    """Run every question through each retriever and score it: DENSE and LEXICAL are raw
    search() baselines, HYBRID is the full system, ask() (with `params`, default the tuned
    ones). `progress(done, total)` is called after each run; `source` names the question files."""
    names = ", ".join(r.value for r in Retriever)
    unknown = [r for r in retrievers if r not in {*Retriever, *(x.value for x in Retriever)}]
    if unknown:
        raise EvaluationError(f"unknown retriever {unknown[0]!r}; choose from {names}")
    chosen_retrievers = tuple(Retriever(r) for r in retrievers)
    if not chosen_retrievers:
        raise EvaluationError("no retriever chosen; choose from dense, lexical, hybrid")
    if split not in (*SPLITS, "all"):
        raise EvaluationError(f"unknown split {split!r}; choose dev, test or all")
    by_id = {q.id: q for q in questions}
    chosen = [q for q in questions if split in ("all", q.split)]
    if not chosen:
        raise EvaluationError(f"no questions in split {split!r}; choose another split")
    results = []
    total = len(chosen) * len(chosen_retrievers)
    for retriever in chosen_retrievers:
        runs = {}
        for q in chosen:
            runs[q.id] = _run(index, q, retriever=retriever, by_id=by_id, params=params)
            if progress is not None:
                progress(len(results) + len(runs), total)
        rankings = {qid: run[0] for qid, run in runs.items()}
        scores = score_rankings({q.id: q.relevant for q in chosen}, rankings)
        for q in chosen:
            ranking, abstained, facts, error, flagged = runs[q.id]
            graded = retriever is Retriever.HYBRID and q.expected is not None
            results.append(
                QuestionResult(
                    question=q,
                    retriever=retriever.value,
                    ranking=ranking,
                    scores=scores.get(q.id, {}),
                    abstained=abstained,
                    misses=find_misses(q.relevant, ranking),
                    exactness=score_structured(q, facts) if graded else None,
                    error=error,
                    flagged=flagged,
                )
            )
    names = tuple(r.value for r in chosen_retrievers)
    return EvalReport(tuple(results), names, split, source)


def _run(
    index: Any,
    q: Question,
    *,
    retriever: Retriever,
    by_id: Mapping[str, Question],
    params: FusionParams | None,
):
    """-> (ranking, abstained, structured facts, error, flagged) for one question and retriever."""
    from ..ask import ask
    from ..conversation import Conversation
    from ..retrieval import search

    turns = [q]
    while turns[0].follows is not None:
        turns.insert(0, by_id[turns[0].follows])
    try:
        if retriever is not Retriever.HYBRID:
            # Raw search has no conversation state: a follow-up is searched with its turns joined.
            text = " ".join(t.question for t in turns)
            hits = search(index, text, k=K, retriever=retriever)
            ids = tuple(h.commitment.id for h in hits)
            return ids, not any(h.confident for h in hits), None, None, ()
        if len(turns) > 1:
            chat = Conversation(index, k=K, params=params)
            for turn in turns:
                response = chat.send(turn.question)
        else:
            response = ask(index, q.question, k=K, params=params)
    except InvalidQueryError as exc:
        return (), True, None, str(exc), ()
    ids = tuple(h.commitment.id for h in response.hits)
    flagged = tuple(h.commitment.id for h in response.hits if h.relevant)
    facts = structured_facts(response.structured)
    return ids, not response.confident, facts, None, flagged
