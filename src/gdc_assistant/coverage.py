"""Does the matrix cover a question at all? A question-level judgement, before any hit is shown.

The per-hit relevance model (relevance.py) says which hits answer a question; this one says
whether any could: a logistic model over the best hit's relevance probability and similarity,
the share of the question's words the matrix uses in the question's language (its translation,
stemmed; lexical.py), the question's length and language family. Fitted on the dev split by
`eval/calibrate.py`, which writes `coverage_weights.json` beside this module, with a threshold
that keeps 97% of the in-scope dev questions answered. Plain arithmetic, no model, no index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .query.language import NON_LATIN
from .relevance import read_weights

WEIGHTS_PATH = Path(__file__).with_name("coverage_weights.json")
FEATURES = (
    "best_probability",
    "best_similarity",
    "vocabulary",
    "log_words",
    "english",
    "other_script",
)


@dataclass(frozen=True)
class CoverageModel:
    """Logistic weights for "the matrix does not cover this question", and the probability
    above which a question is judged out of scope."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, row: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in row.items())
        return 1.0 / (1.0 + math.exp(-z))


def question_features(
    *, best_probability: float, best_similarity: float, vocabulary: float, words: int, language: str
) -> dict[str, float]:
    """The model's input for one question (see FEATURES)."""
    return {
        "best_probability": best_probability,
        "best_similarity": best_similarity,
        "vocabulary": vocabulary,
        "log_words": math.log1p(words),
        "english": float(language == "en"),
        "other_script": float(language in NON_LATIN),
    }


def out_of_scope(row: dict[str, float], *, model: CoverageModel | None = None) -> bool:
    """Whether a question with these features is judged not covered by the matrix."""
    model = model or load_coverage_model()
    return model.probability(row) > model.threshold


@cache
def load_coverage_model(path: Path = WEIGHTS_PATH) -> CoverageModel:
    """The fitted model (written by eval/calibrate.py)."""
    return read_weights(
        path,
        what="coverage",
        build=lambda data: CoverageModel(
            weights={k: float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        ),
    )
