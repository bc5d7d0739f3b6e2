"""`map-portfolio`: many proposals (a CSV or a folder of files) mapped at once, with coverage."""

from __future__ import annotations

import sys

import click

from .common import handle_errors, index_options, open_ready_index, settings_from


@click.command("map-portfolio")
@click.argument("source", type=click.Path())
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Folder for the CSV, JSON, Markdown summary and charts (created if missing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON on stdout.")
@click.option(
    "-k",
    "k",
    default=10,
    show_default=True,
    type=click.IntRange(1, 85),
    help="Commitments listed per proposal.",
)
@click.option("--id-column", default="id", show_default=True, help="CSV column with the id.")
@click.option("--title-column", default="title", show_default=True, help="CSV column: title.")
@click.option("--text-column", default="text", show_default=True, help="CSV column: the text.")
@index_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def map_portfolio_cmd(
    source, out_dir, as_json, k, id_column, title_column, text_column, model, chroma_url, quiet
):
    """Map every proposal of a CSV (columns id, title, text) or a folder of .txt/.md/.pdf/.docx
    files: each proposal's commitments, SDGs and Action Lines, and what the portfolio covers.

    Example: gdc-assistant map-portfolio examples/portfolio/proposals.csv --out build/portfolio
    """
    import json
    from pathlib import Path

    from tqdm import tqdm

    from ..proposal.portfolio import map_portfolio, read_portfolio
    from ..proposal.portfolio_report import write_portfolio

    items, skipped = read_portfolio(
        source, id_column=id_column, title_column=title_column, text_column=text_column
    )
    index = open_ready_index(settings_from(model=model, chroma_url=chroma_url), quiet)
    with tqdm(desc="Mapping passages", unit="passage", disable=quiet, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        portfolio = map_portfolio(index, items, k=k, skipped=skipped, progress=progress)
    for s in portfolio.skipped:
        click.echo(f"Skipped {'file' if s.is_file else 'id'} {s.name}: {s.reason}", err=True)
    if out_dir:
        written = write_portfolio(portfolio, index.corpus, Path(out_dir))
        click.echo(f"Wrote {len(written)} files to {out_dir} (summary.md first)", err=True)
    if as_json:
        click.echo(json.dumps(portfolio.to_dict(), ensure_ascii=False, indent=2))
    elif not out_dir:
        uncovered = portfolio.uncovered()
        click.echo(
            f"Mapped {len(portfolio.items)} proposal(s), skipped {len(portfolio.skipped)}. "
            f"Uncovered: {len(uncovered['commitments'])} commitments, "
            f"{len(uncovered['sdgs'])} SDGs, {len(uncovered['action_lines'])} Action Lines. "
            "Use --out DIR for the tables and summary, or --json."
        )
