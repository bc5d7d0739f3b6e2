"""Benchmark map_proposal: passages and warm map time for 500 / 5,000 / 15,000-word proposals,
read time for PDF / DOCX files, and (--quality) the evidence mix on the dev judged proposals.

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/proposal.py [--quality] [--index PATH]
Goal: a 5,000-word proposal maps in under 2 s warm (p50) on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SIZES = (500, 5_000, 15_000)
RUNS = {500: 10, 5_000: 7, 15_000: 5}


def _index(path: Path | None):
    from gdc_assistant.config import Settings
    from gdc_assistant.corpus import load_corpus
    from gdc_assistant.index.build import build_index

    settings = Settings.from_env(index_path=path or Path(tempfile.mkdtemp(prefix="gdc-bench-")))
    return build_index(load_corpus(settings.corpus_path), settings=settings)


def _proposal_words(n: int) -> str:
    """A proposal of about n words: the sample proposals' paragraphs, cycled, numbered."""
    paragraphs = []
    for name in ("telemedicine.txt", "ai_skills.txt", "data_protection.md"):
        text = (DATA / name).read_text(encoding="utf-8")
        paragraphs += [p for p in text.split("\n\n") if len(p.split()) > 15]
    out, words = [], 0
    for number, paragraph in enumerate(itertools.cycle(paragraphs), start=1):
        out.append(f"Section {number}. {paragraph}")
        words += len(out[-1].split())
        if words >= n:
            break
    return "\n\n".join(out)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def bench_speed(index) -> None:
    from gdc_assistant.proposal.mapping import map_proposal
    from gdc_assistant.proposal.passages import split_proposal

    map_proposal(index, _proposal_words(200))  # warm: model, lexical index, tokenizer
    print(f"{'words':>7} {'passages':>9} {'split s':>8} {'p50 s':>7} {'p95 s':>7} runs")
    for size in SIZES:
        text = _proposal_words(size)
        started = time.perf_counter()
        passages = split_proposal(text, embedder=index.embedder)
        split = time.perf_counter() - started
        samples = []
        for _ in range(RUNS[size]):
            started = time.perf_counter()
            map_proposal(index, text)
            samples.append(time.perf_counter() - started)
        p50, p95 = _percentiles(samples)
        words = len(text.split())
        print(f"{words:>7,} {len(passages):>9} {split:>8.3f} {p50:>7.3f} {p95:>7.3f} {RUNS[size]}")


def _long_pdf_and_docx(folder: Path, words: int) -> list[Path]:
    """A ~30-page PDF (reportlab, dev extra) and a DOCX of the same text, for read timings."""
    import docx

    text = _proposal_words(words)
    paths = []
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import getSampleStyleSheet
        from reportlab.platypus import Paragraph, SimpleDocTemplate

        pdf = folder / f"proposal-{words}w.pdf"
        style = getSampleStyleSheet()["BodyText"]
        story = [Paragraph(p.replace("\n", " "), style) for p in text.split("\n\n")]
        SimpleDocTemplate(str(pdf), pagesize=A4).build(story)
        paths.append(pdf)
    except ImportError:
        print("(reportlab not installed: no long PDF timing; `pip install -e .[dev]`)")
    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.replace("\n", " "))
    path = folder / f"proposal-{words}w.docx"
    document.save(path)
    return [*paths, path]


def bench_read() -> None:
    from pypdf import PdfReader

    from gdc_assistant.proposal.readers import read_document

    folder = Path(tempfile.mkdtemp(prefix="gdc-bench-read-"))
    files = [DATA / "telemedicine.pdf", DATA / "ai_skills.docx"]
    files += _long_pdf_and_docx(folder, 15_000)
    print(f"\n{'file':<26} {'pages':>5} {'words':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for path in files:
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            document = read_document(path)
            samples.append(time.perf_counter() - started)
        pages = len(PdfReader(path).pages) if path.suffix == ".pdf" else "-"
        p50, p95 = _percentiles(samples)
        words = len(document.text.split())
        print(f"{path.name:<26} {pages:>5} {words:>7,} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f}")


# --------------------------------------------------------------------------- quality


def bench_quality(index) -> None:
    """The evidence mix on the dev judged proposals: matrix only, direct only, and mixes."""
    import gdc_assistant.proposal.suggestions as suggestions
    from gdc_assistant.evaluation.proposals import (
        PROPOSAL_METRICS,
        PROPOSALS_PATH,
        evaluate_proposals,
        load_judged_proposals,
    )

    judged = load_judged_proposals(PROPOSALS_PATH, corpus=index.corpus)  # dev only: tuned here
    print(f"\ndev judged proposals: {len(judged)}; MATRIX_SHARE = weight of the matrix evidence")
    print(f"{'share':>6} " + " ".join(f"{n:>20}" for n in PROPOSAL_METRICS))
    default = suggestions.MATRIX_SHARE
    try:
        for share in (1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.0):
            suggestions.MATRIX_SHARE = share  # measured here, then fixed in suggestions.py
            metrics = evaluate_proposals(index, judged, split="dev").metrics("dev")
            print(f"{share:>6.1f} " + " ".join(f"{metrics[n]:>20.3f}" for n in PROPOSAL_METRICS))
    finally:
        suggestions.MATRIX_SHARE = default


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index", type=Path, help="an index folder to use (default: a new tmp one)"
    )
    parser.add_argument("--quality", action="store_true", help="also compare evidence mixes")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing runs")
    args = parser.parse_args()
    started = time.perf_counter()
    index = _index(args.index)
    print(f"index ready in {time.perf_counter() - started:.1f} s ({index.embedder.name})\n")
    if not args.no_speed:
        bench_speed(index)
        bench_read()
    if args.quality:
        bench_quality(index)


if __name__ == "__main__":
    main()
