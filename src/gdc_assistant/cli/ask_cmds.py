"""`ask` and the batch `search` command."""

from __future__ import annotations

import click

from .common import handle_errors, index_options, open_ready_index, settings_from


@click.command()
@click.argument("question")
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@click.option("--sdg", type=click.IntRange(1, 17), multiple=True, help="Only this SDG (repeat).")
@click.option(
    "--action-line", multiple=True, help="Only this Action Line, e.g. C10 or 'C7 E-health'."
)
@click.option("--objective", multiple=True, help="Only this objective: 1-5 or follow-up.")
@click.option("--explicit-only", is_flag=True, help='Do not count "All SDGs / Action Lines".')
@click.option("--json", "as_json", is_flag=True, help="Print the answer and hits as JSON.")
@index_options
@handle_errors
def ask(question, k, sdg, action_line, objective, explicit_only, as_json, model, chroma_url):
    """Ask a question; prints the matching commitments with their mappings.

    Example: gdc-assistant ask "Which commitments relate to data privacy?" -k 5
    """
    import json

    from ..answer.compose import compose_answer
    from ..answer.payload import ask_payload
    from ..answer.render import answer_text
    from ..ask import ask as ask_question
    from ..retrieval import validate_question
    from ..scope import parse_filters

    validate_question(question)  # fail fast, before loading the model
    filters = parse_filters(
        sdgs=sdg, action_lines=action_line, objectives=objective, explicit_only=explicit_only
    )
    idx = open_ready_index(settings_from(model=model, chroma_url=chroma_url))
    if as_json:
        payload = ask_payload(idx, question, k=k, filters=filters)
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        response = ask_question(idx, question, k=k, filters=filters)
        click.echo(answer_text(compose_answer(response, idx.corpus)))


@click.command("search")
@click.option(
    "--queries",
    "queries_path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help='JSON lines {"id": ..., "question": ...}; - for stdin.',
)
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@index_options
@handle_errors
def search_cmd(queries_path, k, model, chroma_url):
    """Batch search: one JSON line of ranked results per query, in input order.

    Example: gdc-assistant search --queries eval/questions.jsonl -k 10 > runs.jsonl
    """
    import json

    from ..answer.payload import search_rows

    queries = _read_queries(queries_path)
    idx = open_ready_index(settings_from(model=model, chroma_url=chroma_url))
    for row in search_rows(idx, queries, k=k):
        click.echo(json.dumps(row, ensure_ascii=False))


_QUERY_EXAMPLE = '{"id": "q1", "question": "Which commitments relate to data privacy?"}'


def _read_queries(path: str) -> list[tuple[object, str]]:
    """(id, question) pairs from a JSON-lines file or stdin, read with a byte limit."""
    from pathlib import Path

    from ..errors import InvalidQueryError
    from ..inputs import MAX_JSONL_BYTES, read_file_bytes, read_stream_bytes, text_or_error

    fix = "split the queries into several files."
    if path == "-":
        name = "stdin"
        with click.open_file("-", "rb") as stdin:
            data = read_stream_bytes(stdin, name=name, limit=MAX_JSONL_BYTES, fix=fix)
    else:
        name = Path(path).name
        data = read_file_bytes(path, limit=MAX_JSONL_BYTES, what="a JSON-lines file", fix=fix)
    decoded = text_or_error(data, name)
    if note := decoded.note(name):
        click.echo(f"Note: {note}", err=True)
    queries = [
        _query(line, f"{name} line {number}")
        for number, line in enumerate(decoded.text.splitlines(), start=1)
        if line.strip()
    ]
    if not queries:
        raise InvalidQueryError(
            f"{name} has no queries: each line is one object like {_QUERY_EXAMPLE}"
        )
    return queries


def _query(line: str, where: str) -> tuple[object, str]:
    import json

    from ..errors import InvalidQueryError
    from ..inputs import json_type

    try:
        row = json.loads(line)
    except ValueError as exc:
        raise InvalidQueryError(
            f"{where} is not valid JSON ({exc}); each line is one object like {_QUERY_EXAMPLE}"
        ) from None
    if not isinstance(row, dict) or "id" not in row or "question" not in row:
        raise InvalidQueryError(
            f'{where} is not a JSON object with "id" and "question"; each line looks like '
            f"{_QUERY_EXAMPLE}"
        )
    if not isinstance(row["question"], str):
        raise InvalidQueryError(
            f'{where}: "question" must be a string, not {json_type(row["question"])}.'
        )
    return row["id"], row["question"]
