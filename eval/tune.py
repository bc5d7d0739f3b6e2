"""Tune retrieval.py's FusionParams on the dev split (never on test) with the library's evaluation.

    python eval/tune.py                                    # the current parameters
    python eval/tune.py --set relevant_margin=0.08,0.12 --set relevant_floor=0.3,0.35

Every combination of the values given runs the whole dev question set through `evaluate()` (the
same code as `gdc-assistant eval`) and prints nDCG@10 overall, per type and per language, the
precision and grade-2 recall of the hits flagged relevant, and abstention. Query vectors are
cached, so a grid costs one embedding pass.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from dataclasses import fields, replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from gdc_assistant.config import Settings  # noqa: E402
from gdc_assistant.evaluation.questions import DEFAULT_QUESTION_FILES, load_question_files  # noqa: E402
from gdc_assistant.evaluation.run import evaluate  # noqa: E402
from gdc_assistant.index.store import open_index  # noqa: E402
from gdc_assistant.retrieval import PARAMS, FusionParams, Retriever  # noqa: E402


class _CachedEmbedder:
    """Memoises query vectors so a grid of settings embeds each question once."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.cache = inner, inner.name, {}

    def embed(self, texts):
        missing = [t for t in texts if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.vstack([self.cache[t] for t in texts])


def _grid(settings: list[str]) -> list[FusionParams]:
    known = {f.name: f.type for f in fields(FusionParams)}
    axes = []
    for item in settings:
        name, _, values = item.partition("=")
        if name not in known:
            sys.exit(f"unknown parameter {name!r}; FusionParams has: {', '.join(known)}")
        kind = known[name]
        cast = (
            int
            if kind in ("int", int)
            else (lambda v: v == "1")
            if kind in ("bool", bool)
            else float
        )
        axes.append([(name, cast(v)) for v in values.split(",")])
    return [replace(PARAMS, **dict(combo)) for combo in itertools.product(*axes)]


def _line(report, changed: dict) -> str:
    m = report.metrics(Retriever.HYBRID, split="dev")
    rel = report.relevance(Retriever.HYBRID, split="dev")
    ab = report.abstention(Retriever.HYBRID, split="dev")
    types = sorted({r.question.type for r in report.results})
    langs = sorted({r.question.language for r in report.results})
    per_type = " ".join(
        f"{t[:5]}={report.metrics(Retriever.HYBRID, split='dev', type=t)['ndcg@10']:.2f}"
        for t in types
        if report.metrics(Retriever.HYBRID, split="dev", type=t)["n"]
    )
    per_lang = " ".join(
        f"{lang}={report.metrics(Retriever.HYBRID, split='dev', language=lang)['ndcg@10']:.2f}"
        for lang in langs
    )
    return (
        f"{changed}\n  nDCG@10 {m['ndcg@10']:.3f}  flagged precision {rel['precision']:.3f} "
        f"grade-2 recall {rel['grade2_recall']:.3f}  abstain(oos) {ab['abstention_accuracy']:.2f} "
        f"false-abstain {ab['false_abstention_rate']:.3f}\n  {per_type}\n  {per_lang}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], help="name=v1,v2,... (repeat)")
    args = parser.parse_args()
    index = open_index(Settings.from_env())
    index.embedder = _CachedEmbedder(index.embedder)
    if index.multilingual is not None:
        index.multilingual = _CachedEmbedder(index.multilingual)
    questions = load_question_files(DEFAULT_QUESTION_FILES[:1], corpus=index.corpus)
    for params in _grid(args.set):
        report = evaluate(
            index, questions, retrievers=[Retriever.HYBRID], split="dev", params=params
        )
        changed = {
            f.name: getattr(params, f.name)
            for f in fields(params)
            if getattr(params, f.name) != getattr(PARAMS, f.name)
        }
        print(_line(report, changed), flush=True)


if __name__ == "__main__":
    main()
