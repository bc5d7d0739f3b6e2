"""The question-level coverage model: exact arithmetic with hand-made weights, the shipped
weights, and what ask() does with its judgement on real questions (written for these tests)."""

from __future__ import annotations

import json
import math

import pytest

from gdc_assistant.ask import ask
from gdc_assistant.coverage import (
    FEATURES,
    CoverageModel,
    load_coverage_model,
    out_of_scope,
    question_features,
)
from gdc_assistant.errors import GdcAssistantError


def test_features_name_the_question_not_the_hits():
    row = question_features(
        best_probability=0.7, best_similarity=0.5, vocabulary=0.25, words=9, language="ru"
    )
    assert set(row) == set(FEATURES)
    assert row["log_words"] == pytest.approx(math.log(10))
    assert (row["english"], row["other_script"], row["vocabulary"]) == (0.0, 1.0, 0.25)


def test_a_question_is_out_of_scope_above_the_threshold():
    model = CoverageModel(weights={"vocabulary": -10.0}, bias=5.0, threshold=0.5)
    row = dict.fromkeys(FEATURES, 0.0)
    assert out_of_scope({**row, "vocabulary": 0.1}, model=model)  # z = 4
    assert not out_of_scope({**row, "vocabulary": 0.9}, model=model)  # z = -4


def test_shipped_weights_load_and_name_known_features():
    model = load_coverage_model()
    assert set(model.weights) == set(FEATURES)
    assert 0 < model.threshold < 1
    assert model.weights["vocabulary"] < 0  # words the matrix uses make a question covered


def test_a_damaged_weights_file_says_how_to_restore_it(tmp_path):
    path = tmp_path / "coverage.json"
    path.write_text(json.dumps({"weights": {}}), encoding="utf-8")
    with pytest.raises(GdcAssistantError, match="eval/calibrate.py"):
        load_coverage_model.__wrapped__(path)


@pytest.mark.parametrize(
    "question",
    [
        "what is a good marinade for grilled lamb chops",
        "Quelle est la meilleure saison pour planter des tulipes ?",
        "Как доехать от вокзала до аэропорта на автобусе?",
    ],
)
def test_questions_about_something_else_are_not_answered(real_index, question):
    response = ask(real_index, question)
    assert not response.confident
    assert not any(h.relevant for h in response.hits)


@pytest.mark.parametrize(
    "question",
    [
        "My village has no mobile signal at all. Is anything planned for places like mine?",
        "Mi empresa quiere vigilar todo lo que hago en el ordenador, ¿protege algo mis datos?",
        "我们学校的老师不会用电脑上课，契约里有培训老师的内容吗？",
    ],
)
def test_a_covered_question_is_answered_by_at_least_its_best_match(real_index, question):
    response = ask(real_index, question)
    assert response.confident
    assert response.hits[0].relevant
