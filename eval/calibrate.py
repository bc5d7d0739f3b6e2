"""Fit the per-hit relevance model (relevance.py) and the question-level coverage model
(coverage.py) on the dev split; never on test.

    python eval/calibrate.py            # fit, print dev figures, write both weight files
    python eval/calibrate.py --dry-run  # fit and print only

Relevance: every dev question whose answer is ranked by topic (not an exact count, list or
lookup, and not a follow-up) is asked with ask(); each of its top-10 hits becomes one example:
relevant when the judgement grades it 1 or 2 (out-of-scope questions have none). A logistic
regression is fitted on hit_features(), and the threshold is the one that maximises the smaller of
the flagged hits' precision and the grade-2 recall on dev, overall and for each language group
(English, other Latin-script languages, other scripts), whose similarity scales differ.

Coverage: every topical dev question becomes one example, out of scope or not, with
question_features() (the best hit's relevance probability under the model just fitted, its
similarity, the share of the question's words the matrix uses in its language, length, language
family). The threshold keeps 97% of in-scope dev questions answered: the goal is 95% on questions
never seen, and a dev-fitted cut keeps fewer of those.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from gdc_assistant.ask import ask, coverage_row  # noqa: E402
from gdc_assistant.config import Settings  # noqa: E402
from gdc_assistant.coverage import FEATURES as COVERAGE_FEATURES  # noqa: E402
from gdc_assistant.coverage import WEIGHTS_PATH as COVERAGE_PATH  # noqa: E402
from gdc_assistant.coverage import CoverageModel  # noqa: E402
from gdc_assistant.evaluation.questions import QUESTIONS_PATH, load_questions  # noqa: E402
from gdc_assistant.index.store import open_index  # noqa: E402
from gdc_assistant.relevance import (  # noqa: E402
    FEATURES,
    WEIGHTS_PATH,
    RelevanceModel,
    hit_features,
    language_group,
)
from gdc_assistant.retrieval import PARAMS  # noqa: E402

KEEP_IN_SCOPE = 0.97  # the coverage threshold keeps this share of in-scope dev questions
# While fitting, ask() must not use the coverage model being refitted (nor need its file).
FITTING = replace(PARAMS, coverage=CoverageModel(weights={}, bias=0.0, threshold=1.0))


def examples(index):
    """Feature rows, labels (grade >= 1), grades, the question each row belongs to, whether
    that question is in scope, and each row's language group."""
    rows, labels, grades, owners, in_scope, groups = [], [], [], [], {}, []
    questions = load_questions(QUESTIONS_PATH, corpus=index.corpus)
    for n, q in enumerate(q for q in questions if q.split == "dev" and q.follows is None):
        response = ask(index, q.question, k=10, params=FITTING)
        topical = response.structured is None and (
            response.parsed.topic or response.filters.is_empty
        )
        if not topical:
            continue
        in_scope[n] = q.in_scope
        feats = hit_features(
            response.hits, language=response.parsed.language, words=len(q.question.split())
        )
        for hit, row in zip(response.hits, feats, strict=True):
            grade = q.relevant.get(hit.commitment.id, 0)
            rows.append([row[f] for f in FEATURES])
            labels.append(int(grade > 0))
            grades.append(grade)
            owners.append(n)
            groups.append(language_group(response.parsed.language))
    return np.array(rows), np.array(labels), np.array(grades), owners, in_scope, np.array(groups)


def coverage_examples(index, relevance):
    """Question-level rows (coverage.FEATURES) of the topical dev questions, and whether each
    is out of scope."""
    rows, labels = [], []
    questions = load_questions(QUESTIONS_PATH, corpus=index.corpus)
    for q in (q for q in questions if q.split == "dev" and q.follows is None):
        response = ask(index, q.question, k=10, params=FITTING)
        parsed = response.parsed
        if response.structured is not None or not parsed.topic or parsed.commitment_ids:
            continue
        if not response.hits:
            continue
        row = coverage_row(index, list(response.hits), parsed=parsed, relevance=relevance)
        rows.append([row[f] for f in COVERAGE_FEATURES])
        labels.append(int(not q.in_scope))
    return np.array(rows), np.array(labels)


def fit_coverage(index, relevance) -> dict:
    """The coverage model, with the threshold that keeps 97% of in-scope dev questions."""
    x, y = coverage_examples(index, relevance)
    model = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced").fit(x, y)
    probs = model.predict_proba(x)[:, 1]
    inside = np.sort(probs[y == 0])
    threshold = float(inside[int(np.ceil(KEEP_IN_SCOPE * len(inside))) - 1]) + 1e-6
    flagged = probs > threshold
    print(
        f"coverage: {len(y)} topical dev questions, {y.sum()} out of scope; threshold "
        f"{threshold:.3f} keeps {1 - flagged[y == 0].mean():.3f} of in-scope, flags "
        f"{flagged[y == 1].mean():.3f} of out-of-scope (in-sample)",
        file=sys.stderr,
    )
    return {
        "weights": dict(
            zip(COVERAGE_FEATURES, (round(float(w), 6) for w in model.coef_[0]), strict=True)
        ),
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": round(threshold, 6),
        "fitted_on": f"{QUESTIONS_PATH.name}, dev split, {len(y)} questions",
    }


def best_threshold(probs: np.ndarray, labels: np.ndarray, grades: np.ndarray) -> float:
    best, chosen = -1.0, 0.5
    grade2 = max(1, int((grades == 2).sum()))
    for t in np.arange(0.2, 0.81, 0.01):
        flagged = probs >= t
        if not flagged.any():
            continue
        precision = labels[flagged].mean()
        recall = (flagged & (grades == 2)).sum() / grade2
        if min(precision, recall) > best:
            best, chosen = min(precision, recall), float(t)
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args()
    index = open_index(Settings.from_env())
    x, y, grades, owners, in_scope, groups = examples(index)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    probs = model.predict_proba(x)[:, 1]
    threshold = best_threshold(probs, y, grades)
    flagged = probs >= threshold
    print(
        f"{len(y)} hits of topical dev questions, {y.sum()} relevant; threshold {threshold:.2f}: "
        f"precision {y[flagged].mean():.3f}, grade-2 recall "
        f"{(flagged & (grades == 2)).sum() / max(1, (grades == 2).sum()):.3f} (in-sample)",
        file=sys.stderr,
    )
    weights = {
        "weights": dict(zip(FEATURES, (round(float(w), 6) for w in model.coef_[0]), strict=True)),
        "bias": round(float(model.intercept_[0]), 6),
        "threshold": round(threshold, 2),
        "group_thresholds": {
            g: round(best_threshold(probs[groups == g], y[groups == g], grades[groups == g]), 2)
            for g in ("en", "latin", "other")
        },
        "fitted_on": f"{QUESTIONS_PATH.name}, dev split, {len(y)} hits",
    }
    relevance = RelevanceModel(
        weights=weights["weights"],
        bias=weights["bias"],
        threshold=weights["threshold"],
        group_thresholds=weights["group_thresholds"],
    )
    coverage = fit_coverage(index, relevance)
    print(json.dumps({"relevance": weights, "coverage": coverage}, indent=2))
    if not args.dry_run:
        for path, data in ((WEIGHTS_PATH, weights), (COVERAGE_PATH, coverage)):
            path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
