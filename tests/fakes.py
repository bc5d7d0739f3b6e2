"""Test doubles at the embedder seam only."""

from __future__ import annotations

import re

import numpy as np

KEYWORDS = (
    "privacy", "data", "internet", "shutdowns", "artificial", "intelligence", "gender", "women",
    "child", "children", "connectivity", "schools", "health", "skills", "misinformation", "open",
    "standards", "financing", "governance", "human", "rights", "media", "climate", "sustainable",
)  # fmt: skip


class KeywordEmbedder:
    """One dimension per keyword (plus one catch-all), L2-normalised: exact, explainable scores."""

    def __init__(self, name: str = "fake/keywords", fail_after: int | None = None) -> None:
        self.name = name
        self.calls = 0
        self.texts_embedded = 0
        self.fail_after = fail_after

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.fail_after is not None and self.texts_embedded >= self.fail_after:
            raise RuntimeError("simulated crash in the middle of a build")
        self.texts_embedded += len(texts)
        rows = []
        for text in texts:
            words = re.findall(r"[a-z]+", text.lower())
            row = np.array([words.count(k) for k in KEYWORDS] + [0.01], dtype=np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.vstack(rows)
