"""Benchmark map_proposal: passages and warm map time for 500 / 5,000 / 15,000-word proposals,
read time for PDF / DOCX files, and (--quality) the aggregation variants on the proposal questions.

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/proposal.py [--quality] [--index PATH]
Goal: a 5,000-word proposal maps in under 2 s warm (p50) on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import itertools
import random
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
    from gdc_assistant.proposal.mapping import map_proposal, split_proposal

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


def _question_sets() -> list[Path]:
    sets = [ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "questions_a.jsonl"]
    return [p for p in sets if p.exists()]


def _proposal_questions(corpus, split: str) -> dict[str, tuple[str, dict[str, int]]]:
    from gdc_assistant.evaluation.questions import load_questions

    found: dict[str, tuple[str, dict[str, int]]] = {}
    for path in _question_sets():
        for q in load_questions(path, corpus=corpus):
            if q.type == "proposal" and q.relevant and q.split == split:
                found.setdefault(q.question, (q.id, dict(q.relevant)))
    return {qid: (text, rel) for text, (qid, rel) in found.items()}


def _composites(singles: dict, size: int) -> dict[str, tuple[str, dict[str, int]]]:
    """Multi-topic proposals: `size` single proposals joined; relevant = union (best grade).
    Pairs: every pair. Larger: windows of `size` over three fixed shuffles of the questions."""
    ids = sorted(singles)
    if size == 2:
        combos = list(itertools.combinations(ids, 2))
    else:
        combos = []
        for seed in (1, 2, 3):
            order = ids[:]
            random.Random(seed).shuffle(order)
            combos += [
                tuple(order[(i + j) % len(order)] for j in range(size)) for i in range(len(order))
            ]
    out = {}
    for combo in combos:
        text = "\n\n".join(singles[qid][0] for qid in combo)
        relevant: dict[str, int] = {}
        for qid in combo:
            for cid, grade in singles[qid][1].items():
                relevant[cid] = max(grade, relevant.get(cid, 0))
        out["+".join(combo)] = (text, relevant)
    return out


def bench_quality(index) -> None:
    import gdc_assistant.proposal.mapping as proposal
    from gdc_assistant.evaluation.scoring import score_rankings
    from gdc_assistant.proposal.mapping import Aggregation, aggregate, split_proposal
    from gdc_assistant.retrieval import search_many

    sets = {}
    for split in ("dev", "test"):  # the choice was made on dev; test is reported, not tuned on
        singles = _proposal_questions(index.corpus, split)
        sets[f"{split} 1"] = singles
        sets[f"{split} 2"] = _composites(singles, 2)
        sets[f"{split} 4"] = _composites(singles, 4)
    if not sets["dev 1"]:
        print("\nno proposal questions in eval/: skipping --quality")
        return
    sizes = ", ".join(f"{name}: {len(questions)}" for name, questions in sets.items())
    print(f"\nproposal questions, alone (1) and joined by 2 and 4 (relevant: the union): {sizes}")
    variants = [
        ("max", Aggregation.MAX, 0.0),
        ("sum", Aggregation.SUM, 0.0),
        ("max+cov 0.10", Aggregation.MAX_COVERAGE, 0.10),
        ("max+cov 0.25", Aggregation.MAX_COVERAGE, 0.25),
        ("max+cov 0.50", Aggregation.MAX_COVERAGE, 0.50),
    ]
    print(f"{'tokens':>6} {'set':<7} {'passages':>8} " + " ".join(f"{v[0]:>13}" for v in variants))
    default_tokens, default_bonus = proposal.PASSAGE_TOKENS, proposal.COVERAGE_BONUS
    try:
        for tokens in (64, 96, 128, 254):
            proposal.PASSAGE_TOKENS = tokens  # measured here, then fixed in proposal.py
            for name, questions in sets.items():
                prepared = []
                for qid, (text, _) in questions.items():
                    passages = split_proposal(text, embedder=index.embedder)
                    hits = search_many(index, [p.text for p in passages], k=proposal.PASSAGE_K)
                    prepared.append((qid, text, passages, hits))
                cells = []
                for _, how, bonus in variants:
                    proposal.COVERAGE_BONUS = bonus
                    rankings = {
                        qid: [
                            rc.commitment.id
                            for rc in aggregate(
                                text, passages, hits, corpus=index.corpus, aggregation=how
                            ).commitments
                        ]
                        for qid, text, passages, hits in prepared
                    }
                    relevant = {qid: rel for qid, (_, rel) in questions.items()}
                    scores = score_rankings(relevant, rankings)
                    ndcg = statistics.mean(s["ndcg@10"] for s in scores.values())
                    recall = statistics.mean(s["recall@10"] for s in scores.values())
                    cells.append(f"{ndcg:.3f}/{recall:.3f}")
                mean_passages = statistics.mean(len(p[2]) for p in prepared)
                print(
                    f"{tokens:>6} {name:<7} {mean_passages:>8.1f} "
                    + " ".join(f"{c:>13}" for c in cells)
                )
    finally:
        proposal.PASSAGE_TOKENS, proposal.COVERAGE_BONUS = default_tokens, default_bonus
    print("cells: ndcg@10/recall@10 (mean over questions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index", type=Path, help="an index folder to use (default: a new tmp one)"
    )
    parser.add_argument("--quality", action="store_true", help="also compare aggregation variants")
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
