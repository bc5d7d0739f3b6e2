"""Command-line interface: each command parses, makes one library call, renders."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from .errors import GdcAssistantError


def _handle_errors(func: Callable) -> Callable:
    """Turn expected failures into a one-line message and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GdcAssistantError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gdc-assistant")
def cli() -> None:
    """Question the UN Global Digital Compact: commitments, SDGs and WSIS Action Lines.

    Example: gdc-assistant ask "Which commitments relate to data privacy?"
    """


# --------------------------------------------------------------------------- corpus


@cli.group()
def corpus() -> None:
    """Build and inspect the structured corpus (corpus/commitments.jsonl)."""


@corpus.command("build")
@click.option("--source", type=click.Path(dir_okay=False), help="Source document to parse.")
@click.option("--output", type=click.Path(dir_okay=False), help="Where to write the JSON lines.")
@_handle_errors
def corpus_build(source: str | None, output: str | None) -> None:
    """Parse the source document into commitments.jsonl.

    Example: gdc-assistant corpus build
    """
    from pathlib import Path

    from .corpus import build_corpus, load_corpus

    path = build_corpus(Path(source) if source else None, Path(output) if output else None)
    click.echo(f"Wrote {len(load_corpus(path))} commitments to {path}")


@corpus.command("stats")
@_handle_errors
def corpus_stats() -> None:
    """Counts per objective and section, per SDG and per Action Line.

    Example: gdc-assistant corpus stats
    """
    from .corpus import load_corpus
    from .stats import render_stats

    click.echo(render_stats(load_corpus()))


def main() -> None:
    """Entry point of the gdc-assistant console script."""
    cli()
