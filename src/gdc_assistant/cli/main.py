"""The gdc-assistant command group; each command parses, makes one library call, renders."""

from __future__ import annotations

import sys

import click

from .ask_cmds import ask, search_cmd
from .common import chroma_option, handle_errors, settings_from
from .corpus_cmds import corpus, index
from .eval_cmds import eval_cmd
from .portfolio_cmds import map_portfolio_cmd
from .proposal_cmds import map_proposal_cmd
from .proposal_eval_cmds import eval_proposals_cmd


class OneLineErrorGroup(click.Group):
    """A command group whose usage errors take one line, `Error: ...` and where the help is,
    instead of click's four (usage, hint, blank line, error)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            message = " ".join(exc.format_message().split())
            where = exc.ctx.command_path if exc.ctx is not None else self.name
            click.echo(f"Error: {message} See `{where} --help`.", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)  # --help and --version give their code


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gdc-assistant")
def cli() -> None:
    """Question the UN Global Digital Compact: commitments, SDGs and WSIS Action Lines.

    Example: gdc-assistant ask "Which commitments relate to data privacy?"
    """


@click.command()
@click.option("--host", help="Interface to bind (GDC_ASSISTANT_HOST; default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (GDC_ASSISTANT_PORT; 7860).")
@chroma_option
@handle_errors
def serve(host: str | None, port: int | None, chroma_url: str | None) -> None:
    """Start the web app; the first run builds the index. Set GDC_ASSISTANT_AUTH=user:password
    to require a login.

    Example: gdc-assistant serve --port 7860
    """
    from ..ui.app import serve as serve_app

    serve_app(settings_from(host=host, port=port, chroma_url=chroma_url))


for command in (
    corpus,
    index,
    ask,
    search_cmd,
    map_proposal_cmd,
    map_portfolio_cmd,
    eval_cmd,
    eval_proposals_cmd,
    serve,
):
    cli.add_command(command)


def main() -> None:
    """Entry point of the gdc-assistant console script."""
    cli()
