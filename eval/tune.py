"""Tune the fusion parameters of retrieval.py on the dev split (never on test).

    python eval/tune.py [--split dev] [--grid small|full]

Prints nDCG@10 of the full pipeline (`ask`) for each parameter set, overall and per question type,
and the abstention accuracy on out-of-scope questions for a range of confidence thresholds.
Follow-up questions need a conversation and are left to `gdc-assistant eval`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ir_measures  # noqa: E402
from ir_measures import Qrel, ScoredDoc, nDCG  # noqa: E402

from gdc_assistant.ask import ask
from gdc_assistant.config import Settings  # noqa: E402
from gdc_assistant.index import ensure_index  # noqa: E402
from gdc_assistant.retrieval import PARAMS, FusionParams

QUESTIONS = Path(__file__).with_name("questions.jsonl")


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if (split == "all" or r["split"] == split) and "follows" not in r]


def run(index, questions: list[dict], params: FusionParams):
    runs, confident = [], {}
    for q in questions:
        response = ask(index, q["question"], k=10, params=params)
        confident[q["id"]] = response.confident
        runs += [ScoredDoc(q["id"], h.commitment.id, 100 - h.rank) for h in response.hits]
    return runs, confident


def score(questions: list[dict], runs, confident) -> dict[str, float]:
    in_scope = [q for q in questions if q["relevant"]]
    qrels = [Qrel(q["id"], d, g) for q in in_scope for d, g in q["relevant"].items()]
    per_query = {m.query_id: m.value for m in ir_measures.iter_calc([nDCG @ 10], qrels, runs)}
    by_type = defaultdict(list)
    for q in in_scope:
        by_type[q["type"]].append(per_query.get(q["id"], 0.0))
    result = {"all": sum(per_query.get(q["id"], 0.0) for q in in_scope) / len(in_scope)}
    result.update({t: sum(v) / len(v) for t, v in sorted(by_type.items())})
    oos = [q for q in questions if not q["relevant"]]
    result["abstain"] = sum(not confident[q["id"]] for q in oos) / max(1, len(oos))
    result["false_abstain"] = sum(not confident[q["id"]] for q in in_scope) / len(in_scope)
    return result


def grid(kind: str) -> list[FusionParams]:
    if kind == "small":
        short, long, boosts = [0.0, 0.1, 0.2], [0.2, 0.4], [0.1, 0.2]
    else:
        short, long, boosts = (
            [0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
            [0.1, 0.2, 0.3, 0.4, 0.6],
            [0.05, 0.1, 0.15, 0.2, 0.3],
        )
    return [
        replace(PARAMS, lexical_weight=s, long_lexical_weight=lw, explicit_boost=b)
        for s, lw, b in itertools.product(short, long, boosts)
    ]


class _CachedEmbedder:
    """Memoises query vectors so a grid of fusion settings embeds each question once."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.cache = inner, inner.name, {}

    def embed(self, texts):
        import numpy as np

        missing = [t for t in texts if t not in self.cache]
        if missing:
            self.cache.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.vstack([self.cache[t] for t in texts])


def _variant_text(style: str):
    def text(c) -> str:
        parts = {
            "text": [c.text],
            "section+text": [c.section, c.text],
            "objective+section+text": [c.objective_title, c.section, c.text],
        }[style]
        return ": ".join(p for p in parts if p)

    return text


def compare_embedded_text(questions: list[dict]) -> None:
    """Dense-only nDCG@10 for each choice of embedded text (a fresh index per choice)."""
    import tempfile

    import gdc_assistant.index as index_module
    import gdc_assistant.retrieval as retrieval_module
    from gdc_assistant.corpus import load_corpus
    from gdc_assistant.index import build_index
    from gdc_assistant.retrieval import Retriever, search

    print("embedded text (dense retrieval only, and the full pipeline):")
    for style in ("text", "section+text", "objective+section+text"):
        index_module.embed_text = retrieval_module.embed_text = _variant_text(style)
        index_module.EMBED_TEXT_VERSION = style
        with tempfile.TemporaryDirectory() as tmp:
            settings = replace(Settings.from_env(), index_path=Path(tmp))
            index = build_index(load_corpus(), settings=settings)
            dense_runs = [
                ScoredDoc(q["id"], h.commitment.id, 100 - h.rank)
                for q in questions
                for h in search(index, q["question"], k=10, retriever=Retriever.DENSE)
            ]
            full_runs, confident = run(index, questions, PARAMS)
            dense = score(questions, dense_runs, dict.fromkeys(confident, True))["all"]
            full = score(questions, full_runs, confident)["all"]
        print(f"  {style:<24} dense nDCG@10 {dense:.3f}   full pipeline {full:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    parser.add_argument("--grid", default="small", choices=["small", "full", "none"])
    parser.add_argument("--embedded-text", action="store_true", help="compare embedded texts")
    args = parser.parse_args()
    if args.embedded_text:
        compare_embedded_text(load(args.split))
        return
    index = ensure_index(Settings.from_env())
    index.embedder = _CachedEmbedder(index.embedder)
    if index.multilingual is not None:
        index.multilingual = _CachedEmbedder(index.multilingual)
    questions = load(args.split)
    print(f"{len(questions)} {args.split} questions (follow-ups excluded)", file=sys.stderr)
    candidates = [PARAMS] if args.grid == "none" else grid(args.grid)
    results = []
    for params in candidates:
        runs, confident = run(index, questions, params)
        results.append((score(questions, runs, confident), params))
    results.sort(key=lambda r: -r[0]["all"])
    types = [k for k in results[0][0] if k not in ("all", "abstain", "false_abstain")]
    header = " ".join(f"{t[:9]:>9}" for t in types)
    print(f"{'lex':>5} {'long':>5} {'boost':>5} {'nDCG@10':>8} {header}")
    for res, p in results[:15]:
        print(f"{p.lexical_weight:>5} {p.long_lexical_weight:>5} {p.explicit_boost:>5} "
              f"{res['all']:>8.3f} "
              + " ".join(f"{res[t]:>9.3f}" for t in types))  # fmt: skip
    best = results[0][1]
    print(f"\nbest: {best}")
    print("non-English questions, MiniLM weight added to the multilingual similarity:")
    for w in (0.0, 0.25, 0.5, 1.0):
        p = replace(best, foreign_minilm_weight=w)
        runs, confident = run(index, questions, p)
        print(
            f"  {w:.2f}: non_english nDCG@10 {score(questions, runs, confident)['non_english']:.3f}"
        )
    print("abstention with the best fusion, by confidence threshold (english / multilingual):")
    for en, multi in [(0.25, 0.2), (0.3, 0.25), (0.35, 0.3), (0.4, 0.3), (0.45, 0.35), (0.5, 0.4)]:
        p = replace(best, confidence_threshold=en, multilingual_threshold=multi)
        runs, confident = run(index, questions, p)
        res = score(questions, runs, confident)
        print(
            f"  {en:.2f} / {multi:.2f}: out-of-scope abstained {res['abstain']:.2f}, "
            f"in-scope wrongly abstained {res['false_abstain']:.2f}"
        )


if __name__ == "__main__":
    main()
