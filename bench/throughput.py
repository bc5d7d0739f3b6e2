"""Batch search throughput: `gdc-assistant search --queries` on 1,000 generated questions.

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/throughput.py [--queries 1000] [--index PATH]
Goal (issue 13): 1,000 queries in under 20 s on the 2-core development machine, end to end.

Prints queries/s for three runs over the same questions: the library path the command uses
(search_rows, which embeds 256 questions at a time through ask_many), one ask() per question
(the old way, on the first 100), and the real command in a subprocess, model load included.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
TOPICS = [
    "data privacy", "internet shutdowns", "protecting children online", "digital public goods",
    "open source software", "financing connectivity", "misinformation", "AI capacity building",
    "the gender digital divide", "cross-border data flows", "e-waste",
    "digital skills for teachers",
    "cybersecurity of critical infrastructure", "human rights online", "hate speech",
    "affordable broadband", "data governance", "interoperable digital identity",
    "scientific panel on AI", "AI governance dialogue", "persons with disabilities",
    "multilingual content", "small businesses going digital", "digital health", "e-government",
    "access for rural communities", "the environmental footprint of data centres",
    "tech company accountability", "standards bodies", "youth participation",
]  # fmt: skip
TEMPLATES = [
    "Which commitments relate to {t}?", "{t}", "What does the compact say about {t}?",
    "Is there anything on {t}?", "commitments on {t} for developing countries",
    "How does the GDC address {t}?",
]  # fmt: skip
OTHER = [
    "How many commitments are mapped to SDG {n}?", "List the commitments under SDG {n}",
    "Quels engagements concernent la protection des données ?",
    "¿Qué dice el pacto sobre la brecha digital de género?",
    "Which commitments mention C{c}?",
]  # fmt: skip


def generated_queries(n: int, *, seed: int = 13) -> list[tuple[str, str]]:
    """n (id, question) pairs: topic questions in several phrasings, plus counts, lists and
    questions in French and Spanish, so every path of ask() is timed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if rng.random() < 0.15:
            question = rng.choice(OTHER).format(n=rng.randint(1, 17), c=rng.randint(1, 11))
        else:
            question = rng.choice(TEMPLATES).format(t=rng.choice(TOPICS))
        out.append((f"g{i:05d}", question))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--index", type=Path, help="index folder (default: a temporary one)")
    args = parser.parse_args()

    from gdc_assistant.answer.payload import search_rows
    from gdc_assistant.ask import ask
    from gdc_assistant.config import Settings
    from gdc_assistant.corpus import load_corpus
    from gdc_assistant.index.build import build_index

    index_path = args.index or Path(tempfile.mkdtemp(prefix="gdc-throughput-"))
    settings = Settings.from_env(index_path=index_path)
    index = build_index(load_corpus(settings.corpus_path), settings=settings)
    queries = generated_queries(args.queries)
    list(search_rows(index, queries[:20]))  # load the models outside the timing

    started = time.perf_counter()
    rows = list(search_rows(index, queries))
    batched = time.perf_counter() - started
    errors = sum("error" in row for row in rows)

    sample = queries[:100]
    started = time.perf_counter()
    for _, question in sample:
        ask(index, question)
    single = time.perf_counter() - started

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for query_id, question in queries:
            handle.write(json.dumps({"id": query_id, "question": question}) + "\n")
    command = [str(Path(sys.executable).parent / "gdc-assistant"), "search", "--queries"]
    env = {**os.environ, "GDC_ASSISTANT_INDEX": str(index_path)}
    started = time.perf_counter()
    done = subprocess.run(
        [*command, handle.name], capture_output=True, text=True, env=env, check=True
    )
    cli = time.perf_counter() - started
    os.unlink(handle.name)
    lines = done.stdout.count("\n")

    print(f"{len(queries)} generated queries ({errors} refused as invalid), {os.cpu_count()} CPUs")
    print(
        f"search_rows (batches of 256):  {batched:6.1f} s  {len(queries) / batched:6.1f} queries/s"
    )
    print(f"ask() one at a time (100):     {single:6.1f} s  {len(sample) / single:6.1f} queries/s")
    print(
        f"gdc-assistant search (CLI):    {cli:6.1f} s  {lines / cli:6.1f} queries/s "
        "(model load and start-up included)"
    )
    print(f"goal: {len(queries)} queries under 20 s end to end: {'met' if cli < 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
