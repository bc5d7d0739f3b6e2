"""The per-hit relevance model: exact arithmetic with hand-made weights, and the shipped weights."""

from __future__ import annotations

import json
import math

import pytest

from gdc_assistant.errors import GdcAssistantError
from gdc_assistant.relevance import (
    FEATURES,
    RelevanceModel,
    hit_features,
    judge_hits,
    load_model,
)
from gdc_assistant.retrieval import Hit


def _hits(corpus, scores, sims=None):
    ids = [c.id for c in corpus][: len(scores)]
    sims = sims or scores
    return [
        Hit(corpus.get(i), score=s, rank=n, reasons=(), confident=True, similarity=d)
        for n, (i, s, d) in enumerate(zip(ids, scores, sims, strict=True), start=1)
    ]


def test_features_describe_the_ranked_list(corpus):
    rows = hit_features(_hits(corpus, [0.6, 0.5], sims=[0.5, 0.5]), language="zh", words=30)
    first, second = rows
    assert first["gap"] == 0.0 and second["gap"] == pytest.approx(0.1)
    assert second["relative_gap"] == pytest.approx(0.1 / 0.6)
    assert (first["inverse_rank"], second["inverse_rank"]) == (1.0, 0.5)
    assert first["boost"] == pytest.approx(0.1) and second["boost"] == 0.0
    assert first["standardised"] == 0.0  # equal similarities: no spread
    assert (first["english"], first["other_script"], first["long_question"]) == (0.0, 1.0, 1.0)
    assert set(first) == set(FEATURES)


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = RelevanceModel(weights={"similarity": 2.0, "gap": -1.0}, bias=-0.5, threshold=0.5)
    z = -0.5 + 2.0 * 0.7 - 1.0 * 0.2
    assert model.probability({"similarity": 0.7, "gap": 0.2}) == pytest.approx(
        1 / (1 + math.exp(-z))
    )


def test_hits_over_the_threshold_are_relevant(corpus):
    model = RelevanceModel(weights={"similarity": 10.0}, bias=-5.0, threshold=0.5)
    flags = judge_hits(_hits(corpus, [0.9, 0.55, 0.4]), language="en", words=5, model=model)
    assert flags == [True, True, False]


def test_shipped_weights_load_and_name_known_features():
    model = load_model()
    assert set(model.weights) <= set(FEATURES)
    assert 0 < model.threshold < 1
    assert all(0 < t < 1 for t in model.group_thresholds.values())


def test_a_damaged_weights_file_says_how_to_restore_it(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {}}), encoding="utf-8")
    with pytest.raises(GdcAssistantError, match="eval/calibrate.py"):
        load_model(path)
