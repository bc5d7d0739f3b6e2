"""`map-proposal`: one proposal to commitments, SDGs and Action Lines."""

from __future__ import annotations

import click

from .common import handle_errors, index_options, open_ready_index, settings_from


@click.command("map-proposal")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@click.option("--json", "as_json", is_flag=True, help="Print the full mapping as JSON.")
@click.option(
    "--gaps", is_flag=True, help="Also list what the proposal leaves out of its leading themes."
)
@index_options
@handle_errors
def map_proposal_cmd(file, k, as_json, gaps, model, chroma_url):
    """Map a proposal (.txt .md .pdf .docx, or - for stdin) to commitments, SDGs and Action Lines.

    Example: gdc-assistant map-proposal proposal.pdf -k 5 --gaps
    """
    import json

    from ..proposal.mapping import map_proposal
    from ..proposal.readers import read_document, read_document_stream
    from ..proposal.render import proposal_text

    if file == "-":
        with click.open_file("-", "rb") as stdin:  # read up to the size limit, never beyond
            document = read_document_stream(stdin, "stdin.txt")
    else:
        document = read_document(file)
    for note in document.notes:
        click.echo(f"Note: {note}", err=True)
    pmap = map_proposal(
        open_ready_index(settings_from(model=model, chroma_url=chroma_url)), document.text, k=k
    )
    if as_json:
        click.echo(json.dumps(pmap.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(proposal_text(pmap, gaps=gaps))
