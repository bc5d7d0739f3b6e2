"""What every command shares: error handling, the --model / --chroma-url options, settings."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from ..errors import GdcAssistantError


def handle_errors(func: Callable) -> Callable:
    """Turn expected failures into a one-line message and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except GdcAssistantError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def chroma_option(func: Callable) -> Callable:
    """--chroma-url, for every command that opens the index."""
    return click.option(
        "--chroma-url",
        help="Use a Chroma server, e.g. http://localhost:8000 (GDC_ASSISTANT_CHROMA_URL).",
    )(func)


def index_options(func: Callable) -> Callable:
    """--model and --chroma-url, for every command that embeds or searches."""
    func = chroma_option(func)
    return click.option(
        "--model", help="sentence-transformers model name or path (GDC_ASSISTANT_MODEL)."
    )(func)


def settings_from(**overrides):
    """Settings from GDC_ASSISTANT_* variables, with the command's options on top."""
    from ..config import Settings

    return Settings.from_env(**overrides)


def open_ready_index(settings, quiet: bool = True):
    """The index for these settings, opened read-only: a missing or stale index is an error
    that says to run `gdc-assistant index build` (commands that only read never build)."""
    from ..index.store import open_index

    return open_index(settings)
