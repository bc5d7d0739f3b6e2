"""`eval-proposals`: score proposal mapping on judged proposals."""

from __future__ import annotations

import sys

import click

from .common import handle_errors, index_options, open_ready_index, settings_from


@click.command("eval-proposals")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default="all",
    show_default=True,
    help="Judged proposals of the dev split, the blind test split, or both.",
)
@click.option("--details", is_flag=True, help="One row per dev proposal (never for test).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@index_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def eval_proposals_cmd(files, split, details, as_json, model, chroma_url, quiet):
    """Score map-proposal on judged proposals: precision@5 / recall@5 for SDGs and Action Lines,
    recall@10 for commitments, and the share of a careful reader's expectations met.

    Default files: eval/proposals.jsonl (dev) and eval/proposals_test.jsonl (test).

    Example: gdc-assistant eval-proposals --split dev --details
    """
    import json
    from pathlib import Path

    from tqdm import tqdm

    from ..corpus import load_corpus
    from ..evaluation.proposals import (
        DEFAULT_PROPOSAL_FILES,
        evaluate_proposals,
        format_proposal_table,
        load_judged_proposals,
    )

    settings = settings_from(model=model, chroma_url=chroma_url)
    corpus = load_corpus(settings.corpus_path)
    paths = [Path(f) for f in files] or [p for p in DEFAULT_PROPOSAL_FILES if p.exists()]
    judged = [p for path in paths for p in load_judged_proposals(path, corpus=corpus)]
    idx = open_ready_index(settings, quiet)
    with tqdm(desc="Mapping", unit="proposal", disable=quiet, leave=False, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(1)

        report = evaluate_proposals(
            idx, judged, split=split, sources=[p.name for p in paths], progress=progress
        )
    if as_json:
        click.echo(json.dumps(report.to_dict(details=details), ensure_ascii=False, indent=2))
    else:
        click.echo(format_proposal_table(report, details=details))
