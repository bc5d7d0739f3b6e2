"""Scoring one question: IR metrics via ir-measures, misses, and exactness of structured answers.

Metric names follow the sentence-transformers convention: ``ndcg@10``, ``mrr@10``, ``recall@5``,
``recall@10``. Running a question set and summarising it is run.py; the report is report.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..evaluation.questions import (
    Question,
)

if TYPE_CHECKING:
    from ..exact import StructuredAnswer


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
