"""Judged proposals: what a careful reader insists a proposal maps to, and how map_proposal does.

Each line of eval/proposals.jsonl (dev) or eval/proposals_test.jsonl (the blind test split) is a
proposal with the SDGs, WSIS Action Lines and commitments a careful reader would insist on. The
suggestions are scored as a user reads them, in order: precision@5 and recall@5 for SDGs and Action
Lines, recall@10 for commitments, and "met": the share of all those expectations found there.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT
from ..corpus import Corpus, normalise_action_line
from ..errors import EvaluationError

PROPOSALS_PATH = PROJECT_ROOT / "eval" / "proposals.jsonl"  # dev: read while tuning
TEST_PROPOSALS_PATH = PROJECT_ROOT / "eval" / "proposals_test.jsonl"  # blind: aggregates only
DEFAULT_PROPOSAL_FILES = (PROPOSALS_PATH, TEST_PROPOSALS_PATH)
PROPOSAL_METRICS = (
    "sdg_precision@5",
    "sdg_recall@5",
    "al_precision@5",
    "al_recall@5",
    "commitment_recall@10",
    "met",
)
_REQUIRED = ("id", "text", "sdgs", "action_lines", "commitments")


@dataclass(frozen=True)
class JudgedProposal:
    """A proposal and what a careful reader expects among its suggestions."""

    id: str
    title: str
    text: str
    split: str
    sdgs: tuple[int, ...]
    action_lines: tuple[str, ...]
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class ProposalScore:
    """One proposal's figures and its ranked suggestions (top 5 / 5 / 10)."""

    id: str
    split: str
    metrics: dict[str, float]
    found: int  # expectations met
    expected: int
    sdgs: tuple[int, ...]
    action_lines: tuple[str, ...]
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class ProposalEvalReport:
    """Per-proposal scores; metrics() averages them over a split."""

    scores: tuple[ProposalScore, ...]
    sources: tuple[str, ...]

    def select(self, split: str = "all") -> list[ProposalScore]:
        return [s for s in self.scores if split == "all" or s.split == split]

    def metrics(self, split: str = "all") -> dict[str, float]:
        """Mean of each metric over the split's proposals; "met" is pooled over expectations."""
        chosen = self.select(split)
        out: dict[str, float] = {"n": float(len(chosen))}
        for name in PROPOSAL_METRICS[:-1]:
            out[name] = statistics.mean(s.metrics[name] for s in chosen) if chosen else math.nan
        expected = sum(s.expected for s in chosen)
        out["met"] = sum(s.found for s in chosen) / expected if expected else math.nan
        return out

    def to_dict(self, *, details: bool = True) -> dict:
        """Figures per split; each dev proposal's row when details (never a blind test row)."""
        splits = sorted({s.split for s in self.scores})
        data: dict[str, Any] = {
            "sources": list(self.sources),
            "metrics": {split: self.metrics(split) for split in [*splits, "all"]},
        }
        if details:
            data["proposals"] = [
                {
                    "id": s.id,
                    "split": s.split,
                    **{k: round(v, 4) for k, v in s.metrics.items()},
                    "sdgs@5": list(s.sdgs),
                    "action_lines@5": list(s.action_lines),
                    "commitments@10": list(s.commitments),
                }
                for s in self.scores
                if s.split != "test"
            ]
        return data


def load_judged_proposals(path: Path | str, *, corpus: Corpus) -> list[JudgedProposal]:
    """Read a judged-proposal file, checking every SDG, Action Line and commitment it names."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(
            f"cannot read {path} ({exc.strerror}): give an existing file."
        ) from exc
    known_lines = set(corpus.action_line_names)
    known_ids = {c.id for c in corpus.commitments}
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationError(f"{where} is not JSON ({exc.msg}): one object per line.") from exc
        missing = [key for key in _REQUIRED if key not in record]
        if missing:
            raise EvaluationError(f"{where} lacks {', '.join(missing)}: see eval/README.md.")
        codes = tuple(_action_line(str(code)) for code in record["action_lines"])
        bad = [c for c in codes if c not in known_lines]
        bad += [str(s) for s in record["sdgs"] if s not in range(1, 18)]
        bad += [c for c in record["commitments"] if c not in known_ids]
        if bad:
            raise EvaluationError(f"{where} names unknown {', '.join(bad)}: fix the judgement.")
        out.append(
            JudgedProposal(
                id=str(record["id"]),
                title=str(record.get("title", "")),
                text=str(record["text"]),
                split=str(record.get("split", "dev")),
                sdgs=tuple(int(s) for s in record["sdgs"]),
                action_lines=codes,
                commitments=tuple(record["commitments"]),
            )
        )
    return out


def _action_line(code: str) -> str:
    try:
        return normalise_action_line(code)
    except ValueError:
        return code  # reported below as unknown, with the others


def score_proposal(
    judged: JudgedProposal,
    *,
    sdgs: Sequence[int],
    action_lines: Sequence[str],
    commitments: Sequence[str],
) -> ProposalScore:
    """Score ranked suggestions against one judgement."""
    top_sdgs, top_lines, top_ids = tuple(sdgs[:5]), tuple(action_lines[:5]), tuple(commitments[:10])
    hits = (
        len(set(top_sdgs) & set(judged.sdgs)),
        len(set(top_lines) & set(judged.action_lines)),
        len(set(top_ids) & set(judged.commitments)),
    )
    expected = (len(judged.sdgs), len(judged.action_lines), len(judged.commitments))
    metrics = {
        "sdg_precision@5": hits[0] / 5,
        "sdg_recall@5": hits[0] / expected[0] if expected[0] else math.nan,
        "al_precision@5": hits[1] / 5,
        "al_recall@5": hits[1] / expected[1] if expected[1] else math.nan,
        "commitment_recall@10": hits[2] / expected[2] if expected[2] else math.nan,
    }
    return ProposalScore(
        judged.id, judged.split, metrics, sum(hits), sum(expected), top_sdgs, top_lines, top_ids
    )


def evaluate_proposals(
    index: Any,
    proposals: Sequence[JudgedProposal],
    *,
    split: str = "all",
    sources: Sequence[str] = (),
    mapper: Callable | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ProposalEvalReport:
    """Map each judged proposal of the split (map_proposal unless a mapper is given), score it."""
    if mapper is None:
        from ..proposal.mapping import map_proposal as mapper
    chosen = [p for p in proposals if split == "all" or p.split == split]
    scores = []
    for done, judged in enumerate(chosen, start=1):
        pmap = mapper(index, judged.text, k=10)
        scores.append(
            score_proposal(
                judged,
                sdgs=[s.sdg for s in pmap.sdgs],
                action_lines=[a.code for a in pmap.action_lines],
                commitments=[rc.commitment.id for rc in pmap.commitments],
            )
        )
        if progress:
            progress(done, len(chosen))
    return ProposalEvalReport(tuple(scores), tuple(sources))


def format_proposal_table(report: ProposalEvalReport, *, details: bool = False) -> str:
    """Figures per split as a text table; with details, one row per dev proposal."""
    names = ["n", *PROPOSAL_METRICS]
    splits = sorted({s.split for s in report.scores})
    lines = [f"{'split':<6} " + " ".join(f"{n:>20}" for n in names)]
    for split in [*splits, "all"] if len(splits) > 1 else splits:
        m = report.metrics(split)
        cells = [f"{int(m['n']):>20}"] + [f"{m[n]:>20.3f}" for n in PROPOSAL_METRICS]
        lines.append(f"{split:<6} " + " ".join(cells))
    if details:
        for s in report.select():
            if s.split == "test":
                continue  # blind: only its aggregate is shown
            cells = " ".join(f"{s.metrics[n]:.2f}" for n in PROPOSAL_METRICS[:-1])
            lines.append(
                f"  {s.id:<8} {cells}  SDGs {list(s.sdgs)}  ALs {list(s.action_lines)}"
                f"  met {s.found}/{s.expected}"
            )
    return "\n".join(lines)
