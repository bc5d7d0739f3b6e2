"""Benchmark map_portfolio: N proposals of about 300 words (sentences of the sample portfolio,
shuffled into new proposals), mapped warm, all passages embedded in large batches.

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/portfolio.py [--n 1000] [--words 300] [--index PATH]
Goal: 1,000 proposals of about 300 words in under 90 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "portfolio" / "proposals.csv"


def _index(path: Path | None):
    from gdc_assistant.config import Settings
    from gdc_assistant.corpus import load_corpus
    from gdc_assistant.index.build import build_index

    settings = Settings.from_env(index_path=path or Path(tempfile.mkdtemp(prefix="gdc-bench-")))
    return build_index(load_corpus(settings.corpus_path), settings=settings)


def _proposals(n: int, words: int):
    """n proposals of about `words` words: paragraphs of sample sentences, seeded shuffles."""
    from gdc_assistant.proposal.portfolio import PortfolioItem, read_portfolio

    items, _ = read_portfolio(SAMPLE)
    sentences = [s for item in items for s in re.split(r"(?<=[.!?])\s+", item.text) if len(s) > 40]
    rng = random.Random(7)
    out = []
    for number in range(1, n + 1):
        chosen, count = [], 0
        while count < words:
            sentence = rng.choice(sentences)
            chosen.append(sentence)
            count += len(sentence.split())
        paragraphs = [" ".join(chosen[i : i + 4]) for i in range(0, len(chosen), 4)]
        out.append(PortfolioItem(f"B-{number:04d}", f"bench {number}", "\n\n".join(paragraphs)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="proposals (default 1000)")
    parser.add_argument("--words", type=int, default=300, help="words per proposal (default 300)")
    parser.add_argument(
        "--index", type=Path, help="an index folder to use (default: a new tmp one)"
    )
    args = parser.parse_args()
    from gdc_assistant.proposal.mapping import map_proposal
    from gdc_assistant.proposal.portfolio import map_portfolio

    index = _index(args.index)
    items = _proposals(args.n, args.words)
    map_portfolio(index, items[:5])  # warm: model, tokenizer, reference vectors
    words = sum(len(i.text.split()) for i in items) / len(items)
    print(f"{len(items)} proposals, {words:.0f} words on average, {os.cpu_count()} CPU(s)")
    started = time.perf_counter()
    portfolio = map_portfolio(index, items)
    elapsed = time.perf_counter() - started
    passages = sum(len(m.passages) for m in portfolio.maps)
    print(
        f"mapped {len(portfolio.maps)} (skipped {len(portfolio.skipped)}) in {elapsed:.1f} s: "
        f"{passages} passages, {passages / elapsed:.0f} passages/s, "
        f"{len(portfolio.maps) / elapsed:.1f} proposals/s"
    )
    alone = map_proposal(index, items[0].text, evidence=False)
    same = alone.to_dict() == portfolio.maps[0].to_dict()
    print(
        f"goal: under 90 s for 1,000: {'met' if elapsed < 90 * args.n / 1000 else 'NOT met'}; "
        f"first proposal alone == in the portfolio: {same}"
    )


if __name__ == "__main__":
    main()
