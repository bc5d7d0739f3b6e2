"""`corpus` and `index` commands: build and inspect the corpus and the Chroma index."""

from __future__ import annotations

import sys

import click

from .common import handle_errors, index_options, settings_from


@click.group()
def corpus() -> None:
    """Build and inspect the structured corpus (corpus/commitments.jsonl)."""


@corpus.command("build")
@click.option("--source", type=click.Path(dir_okay=False), help="Source document to parse.")
@click.option("--output", type=click.Path(dir_okay=False), help="Where to write the JSON lines.")
@handle_errors
def corpus_build(source: str | None, output: str | None) -> None:
    """Parse the source document into commitments.jsonl.

    Example: gdc-assistant corpus build
    """
    from pathlib import Path

    from ..corpus import load_corpus
    from ..source import build_corpus

    path = build_corpus(Path(source) if source else None, Path(output) if output else None)
    click.echo(f"Wrote {len(load_corpus(path))} commitments to {path}")


@corpus.command("stats")
@handle_errors
def corpus_stats() -> None:
    """Counts per objective and section, per SDG and per Action Line.

    Example: gdc-assistant corpus stats
    """
    from ..corpus import load_corpus
    from ..stats import render_stats

    click.echo(render_stats(load_corpus(settings_from().corpus_path)))  # GDC_ASSISTANT_CORPUS


@click.group()
def index() -> None:
    """Build and inspect the Chroma index of the commitments."""


@index.command("build")
@index_options
@click.option("--force", is_flag=True, help="Re-embed everything; set a damaged index aside.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=600.0,
    show_default=True,
    help="Seconds to wait for another build of the same index to finish (0: fail at once).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def index_build(
    model: str | None, chroma_url: str | None, force: bool, wait: float, quiet: bool
) -> None:
    """Embed the commitments into the index; skips the work when nothing changed.

    One build runs at a time per index; processes using the index keep answering meanwhile.

    Example: gdc-assistant index build
    """
    import time

    from ..corpus import load_corpus
    from ..index.build import build_index

    settings = settings_from(model=model, chroma_url=chroma_url)
    started = time.perf_counter()
    built = build_index(
        load_corpus(settings.corpus_path),
        settings=settings,
        progress=not quiet,
        force=force,
        wait=wait,
    )
    seconds = time.perf_counter() - started
    manifest = built.manifest
    click.echo(
        f"Index ready: {manifest['count']} commitments, model {manifest['model']}, "
        f"built {manifest['built_at']} ({seconds:.2f} s this run)"
    )


@index.command("status")
@index_options
@handle_errors
def index_status_cmd(model: str | None, chroma_url: str | None) -> None:
    """Show what the current index was built from; exit 1 when it is missing or stale.

    Example: gdc-assistant index status
    """
    import json

    from ..errors import IndexStaleError
    from ..index.store import index_status, staleness

    settings = settings_from(model=model, chroma_url=chroma_url)
    manifest = index_status(settings)
    if manifest is None:
        click.echo("No index yet: run `gdc-assistant index build`.")
        sys.exit(1)
    click.echo(json.dumps(manifest, indent=2, sort_keys=True))
    problem = staleness(settings, manifest)
    if problem:
        raise IndexStaleError(problem)
