"""`eval`: score retrieval on a judged question set."""

from __future__ import annotations

import sys

import click

from .common import handle_errors, index_options, open_ready_index, settings_from


@click.command("eval")
@click.option(
    "--questions",
    type=click.Path(dir_okay=False),
    multiple=True,
    help="Question set (JSON lines, see eval/README.md); repeat for several. "
    "Default: eval/questions.jsonl (dev) and eval/test_questions.jsonl (blind test).",
)
@click.option(
    "--retriever",
    type=click.Choice(["dense", "lexical", "hybrid", "all"]),
    default="all",
    show_default=True,
    help="Raw dense / lexical search baselines, the full system (hybrid), or all three.",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default="all",
    show_default=True,
    help="Questions of the dev split, the held-out test split, or both.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every figure and row as JSON.")
@click.option(
    "--min-ndcg",
    type=click.FloatRange(0, 1),
    help="Exit 1 when nDCG@10 (hybrid, or the one retriever chosen) is below this.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    help="Markdown report to write (chart alongside, .png). Default: eval/report.md.",
)
@index_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def eval_cmd(questions, retriever, split, as_json, min_ndcg, report, model, chroma_url, quiet):
    """Score retrieval on a judged question set: nDCG@10, MRR@10, Recall@5/10, abstention.

    Example: gdc-assistant eval --retriever all --split test --min-ndcg 0.6
    """
    import json
    from pathlib import Path

    from tqdm import tqdm

    from ..corpus import load_corpus
    from ..errors import EvaluationError
    from ..evaluation.questions import DEFAULT_QUESTION_FILES, load_question_files
    from ..evaluation.report import REPORT_PATH, format_table, write_report
    from ..evaluation.run import RETRIEVERS, evaluate
    from ..retrieval import Retriever

    if report and not Path(report).parent.is_dir():  # before the run, not after it
        raise EvaluationError(
            f"cannot write the report {report}: the folder {Path(report).parent} does not "
            "exist. Create it first, or choose another --report path."
        )
    settings = settings_from(model=model, chroma_url=chroma_url)
    corpus = load_corpus(settings.corpus_path)  # check the questions before loading the model
    paths = [Path(q) for q in questions] if questions else list(DEFAULT_QUESTION_FILES)
    qs = load_question_files(paths, corpus=corpus)
    idx = open_ready_index(settings, quiet)
    chosen = RETRIEVERS if retriever == "all" else (Retriever(retriever),)
    with tqdm(desc="Evaluating", unit="run", disable=quiet, leave=False, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(1)

        result = evaluate(
            idx,
            qs,
            retrievers=chosen,
            split=split,
            progress=progress,
            source=" + ".join(p.name for p in paths),
        )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result))
        written, chart = write_report(result, Path(report) if report else REPORT_PATH)
        click.echo(f"Report: {written} (chart: {chart})", err=True)
    if min_ndcg is not None:
        gate = result.primary
        ndcg = result.metrics(gate, split=split)["ndcg@10"]
        if not ndcg >= min_ndcg:  # NaN (no in-scope question) fails too
            click.echo(
                f"FAIL: {gate} nDCG@10 on split {split} is {ndcg:.3f}, under --min-ndcg {min_ndcg}",
                err=True,
            )
            sys.exit(1)
