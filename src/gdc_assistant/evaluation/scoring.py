"""Evaluation: question sets, IR metrics via ir-measures, retriever comparison -> EvalReport.

Metric names follow the sentence-transformers convention: ``ndcg@10``, ``mrr@10``, ``recall@5``,
``recall@10``. Out-of-scope questions (no relevant commitment) are scored on abstention instead.
The table, Markdown report and chart are drawn by eval_report.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING, Any

from ..config import PROJECT_ROOT
from ..errors import EvaluationError, InvalidQueryError
from ..evaluation.questions import (
    QUESTION_TYPES,
    SPLITS,
    STRUCTURED_TYPES,
    Question,
)

if TYPE_CHECKING:
    from ..exact import StructuredAnswer


EVAL_DIR = PROJECT_ROOT / "eval"
REPORT_PATH = EVAL_DIR / "report.md"

RETRIEVERS = ("dense", "lexical", "hybrid")
METRICS = ("ndcg@10", "mrr@10", "recall@5", "recall@10")
K = 10

# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Miss:
    """A relevant commitment outside the top 10 (rank None) or ranked below a non-relevant one."""

    commitment_id: str
    grade: int
    rank: int | None


@dataclass(frozen=True)
class Exactness:
    """How a structured answer (count, list, lookup) compares with the expected one."""

    correct: bool
    detail: str
    precision: float | None = None
    recall: float | None = None


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
        }


def score_rankings(
    relevant: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, float]]:
    """nDCG@10, MRR@10, Recall@5, Recall@10 per question id, computed by ir-measures."""
    import ir_measures
    from ir_measures import RR, R, ScoredDoc, nDCG

    measures = {"ndcg@10": nDCG @ K, "mrr@10": RR @ K, "recall@5": R @ 5, "recall@10": R @ K}
    names = {str(measure): name for name, measure in measures.items()}
    judged = {qid: rel for qid, rel in relevant.items() if rel}
    qrels = [
        ir_measures.Qrel(qid, cid, grade)
        for qid, rel in judged.items()
        for cid, grade in rel.items()
    ]
    # Strictly decreasing scores: ir-measures providers break score ties differently.
    run = [
        ScoredDoc(qid, cid, float(K - rank))
        for qid, ranking in rankings.items()
        if qid in judged
        for rank, cid in enumerate(ranking[:K])
    ]
    scores = {qid: dict.fromkeys(METRICS, 0.0) for qid in judged}
    if run:
        for metric in ir_measures.iter_calc(list(measures.values()), qrels, run):
            scores[metric.query_id][names[str(metric.measure)]] = float(metric.value)
    return scores


def find_misses(relevant: Mapping[str, int], ranking: Sequence[str]) -> tuple[Miss, ...]:
    """Relevant commitments missing from the top 10 or ranked below a non-relevant one."""
    top = list(ranking[:K])
    first_wrong = next((i for i, cid in enumerate(top) if cid not in relevant), None)
    misses = []
    for cid, grade in sorted(relevant.items(), key=lambda item: (-item[1], item[0])):
        if cid not in top:
            misses.append(Miss(cid, grade, None))
        elif first_wrong is not None and top.index(cid) > first_wrong:
            misses.append(Miss(cid, grade, top.index(cid) + 1))
    return tuple(sorted(misses, key=lambda m: (m.rank is None, m.rank or 0, -m.grade)))


def score_structured(question: Question, facts: Mapping[str, Any] | None) -> Exactness:
    """Compare a structured answer's facts (see structured_facts) with question.expected."""
    expected = question.expected or {}
    if facts is None or facts.get("kind") != question.type:
        got = "no structured answer" if facts is None else f"a {facts.get('kind')} answer"
        return Exactness(False, f"expected a {question.type} answer, got {got}")
    if question.type == "count":
        want = tuple(expected[k] for k in ("explicit", "via_all", "total"))
        have = tuple(facts[k] for k in ("explicit", "via_all", "total"))
        detail = "explicit/via_all/total {}/{}/{} (expected {}/{}/{})".format(*have, *want)
        return Exactness(have == want, detail)
    if question.type == "list":
        # include_all=false: the explicit list; otherwise every match, via "All ..." included.
        listed = facts["ids"] if expected["include_all"] else facts["explicit_ids"]
        want_ids, have_ids = set(expected["ids"]), set(listed)
        hits = len(want_ids & have_ids)
        precision = hits / len(have_ids) if have_ids else float(not want_ids)
        recall = hits / len(want_ids) if want_ids else 1.0
        extra, missing = sorted(have_ids - want_ids), sorted(want_ids - have_ids)
        detail = f"{len(have_ids)} listed, {len(want_ids)} expected"
        detail += f"; missing {', '.join(missing)}" if missing else ""
        detail += f"; extra {', '.join(extra)}" if extra else ""
        return Exactness(want_ids == have_ids, detail, precision, recall)
    wrong = [
        name
        for name in ("commitment", "sdgs", "sdgs_all", "action_lines", "action_lines_all")
        if _plain(facts.get(name)) != _plain(expected[name])
    ]
    detail = "commitment and mapping match" if not wrong else f"differs in {', '.join(wrong)}"
    return Exactness(not wrong, f"{facts.get('commitment')}: {detail}")


def _plain(value: object) -> object:
    return sorted(value) if isinstance(value, list | tuple) else value


def structured_facts(answer: StructuredAnswer | None) -> dict[str, Any] | None:
    """The comparable facts of a StructuredAnswer: its kind plus counts, ids or one mapping."""
    if answer is None:
        return None
    kind = answer.intent.value
    if kind == "count":
        e, v = len(answer.explicit), len(answer.via_all)
        return {"kind": kind, "explicit": e, "via_all": v, "total": e + v}
    if kind == "list":
        return {
            "kind": kind,
            "ids": [c.id for c in (*answer.explicit, *answer.via_all)],
            "explicit_ids": [c.id for c in answer.explicit],
        }
    if kind == "lookup" and answer.commitments:
        c = answer.commitments[0]
        return {
            "kind": kind,
            "commitment": c.id,
            "sdgs": list(c.sdgs),
            "sdgs_all": c.sdgs_all,
            "action_lines": list(c.action_lines),
            "action_lines_all": c.action_lines_all,
        }
    return {"kind": kind}


# --------------------------------------------------------------------------- running


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

    def select(self, retriever: str, *, split: str = "all", **where: str) -> list[QuestionResult]:
        """Results of one retriever, optionally only one split / type / language."""
        return [
            r
            for r in self.results
            if r.retriever == retriever
            and split in ("all", r.question.split)
            and all(getattr(r.question, name) == value for name, value in where.items())
        ]

    def metrics(self, retriever: str, *, split: str = "all", **where: str) -> dict[str, float]:
        """Mean IR metrics over in-scope questions, plus `n` (how many were averaged)."""
        scored = [r.scores for r in self.select(retriever, split=split, **where) if r.scores]
        summary: dict[str, float] = {"n": len(scored)}
        for name in METRICS:
            summary[name] = mean(s[name] for s in scored) if scored else float("nan")
        return summary

    def abstention(self, retriever: str, *, split: str = "all") -> dict[str, float]:
        """Abstention accuracy on out-of-scope questions; false-abstention rate on in-scope ones."""
        chosen = [r for r in self.select(retriever, split=split) if r.error is None]
        outside = [r.abstained for r in chosen if not r.question.in_scope]
        inside = [r.abstained for r in chosen if r.question.in_scope]
        return {
            "out_of_scope": len(outside),
            "abstention_accuracy": mean(outside) if outside else float("nan"),
            "in_scope": len(inside),
            "false_abstention_rate": mean(inside) if inside else float("nan"),
        }

    def exactness(self, retriever: str, *, split: str = "all") -> dict[str, dict[str, float]]:
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

    def worst(self, retriever: str, *, n: int = 10) -> list[QuestionResult]:
        """The in-scope questions with the lowest nDCG@10 (then most misses)."""
        scored = [r for r in self.select(retriever, split=self.split) if r.scores]
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
            "results": [r.to_dict() for r in self.results],
        }


def _clean(values: Mapping[str, float]) -> dict[str, float | None]:
    return {k: (None if v != v else v) for k, v in values.items()}  # NaN -> null in JSON


def evaluate(
    index: Any,
    questions: Sequence[Question],
    *,
    retrievers: Iterable[str] = RETRIEVERS,
    split: str = "all",
    progress: Callable[[int, int], None] | None = None,
    source: str = "",
) -> EvalReport:
    """Run every question through each retriever and score it: "dense" and "lexical" are raw
    search() baselines, "hybrid" is the full system, ask(). `progress(done, total)` is called
    after each run; `source` (the question file's name) is shown in the report."""
    retrievers = tuple(retrievers)
    unknown = [name for name in retrievers if name not in RETRIEVERS]
    if unknown or not retrievers:
        raise EvaluationError(f"unknown retriever {unknown}; choose from {', '.join(RETRIEVERS)}")
    if split not in (*SPLITS, "all"):
        raise EvaluationError(f"unknown split {split!r}; choose dev, test or all")
    by_id = {q.id: q for q in questions}
    chosen = [q for q in questions if split in ("all", q.split)]
    if not chosen:
        raise EvaluationError(f"no questions in split {split!r}; choose another split")
    results = []
    total = len(chosen) * len(retrievers)
    for retriever in retrievers:
        runs = {}
        for q in chosen:
            runs[q.id] = _run(index, q, retriever, by_id)
            if progress is not None:
                progress(len(results) + len(runs), total)
        rankings = {qid: run[0] for qid, run in runs.items()}
        scores = score_rankings({q.id: q.relevant for q in chosen}, rankings)
        for q in chosen:
            ranking, abstained, facts, error = runs[q.id]
            graded = retriever == "hybrid" and q.expected is not None
            results.append(
                QuestionResult(
                    question=q,
                    retriever=retriever,
                    ranking=ranking,
                    scores=scores.get(q.id, {}),
                    abstained=abstained,
                    misses=find_misses(q.relevant, ranking),
                    exactness=score_structured(q, facts) if graded else None,
                    error=error,
                )
            )
    return EvalReport(tuple(results), retrievers, split, source)


def _run(index: Any, q: Question, retriever: str, by_id: Mapping[str, Question]):
    """-> (ranking, abstained, structured facts, error) for one question and retriever."""
    from ..ask import ask
    from ..conversation import Conversation
    from ..retrieval import Retriever, search

    turns = [q]
    while turns[0].follows is not None:
        turns.insert(0, by_id[turns[0].follows])
    try:
        if retriever != "hybrid":
            # Raw search has no conversation state: a follow-up is searched with its turns joined.
            text = " ".join(t.question for t in turns)
            hits = search(index, text, k=K, retriever=Retriever(retriever))
            return (
                tuple(h.commitment.id for h in hits),
                not any(h.confident for h in hits),
                None,
                None,
            )
        if len(turns) > 1:
            chat = Conversation(index, k=K)
            for turn in turns:
                response = chat.send(turn.question)
        else:
            response = ask(index, q.question, k=K)
    except InvalidQueryError as exc:
        return (), True, None, str(exc)
    ids = tuple(h.commitment.id for h in response.hits)
    return ids, not response.confident, structured_facts(response.structured), None
