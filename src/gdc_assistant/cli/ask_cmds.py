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
    from ..answer.render import answer_text, answer_to_json
    from ..ask import ask as ask_question
    from ..retrieval import validate_question

    validate_question(question)  # fail fast, before loading the model
    filters = _filters(sdg, action_line, objective, explicit_only)
    idx = open_ready_index(settings_from(model=model, chroma_url=chroma_url))
    response = ask_question(idx, question, k=k, filters=filters)
    answer = compose_answer(response, idx.corpus)
    if as_json:
        payload = {**answer_to_json(answer), "results": [_result(h) for h in response.hits]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(answer_text(answer))


def _filters(sdg, action_line, objective, explicit_only):
    from ..corpus import Filters, normalise_action_line
    from ..errors import InvalidFilterError

    if not (sdg or action_line or objective or explicit_only):
        return None
    try:
        codes = tuple(normalise_action_line(a) for a in action_line)
    except ValueError as exc:
        raise InvalidFilterError(f"{exc}; use C1-C11 or e.g. 'C7 E-health'.") from exc
    objectives = []
    for o in objective:
        if o.strip().lower() in {"follow-up", "followup", "fr"}:
            objectives.append("follow-up")
        elif o.strip() in {"1", "2", "3", "4", "5"}:
            objectives.append(int(o))
        else:
            raise InvalidFilterError(f"there is no objective {o!r}: use 1-5 or follow-up.")
    return Filters(
        sdgs=tuple(sdg),
        action_lines=codes,
        objectives=tuple(objectives),
        include_all=not explicit_only,
    )


@click.command("search")
@click.option(
    "--queries",
    "queries_file",
    required=True,
    type=click.File("r", encoding="utf-8"),
    help='JSON lines {"id": ..., "question": ...}; - for stdin.',
)
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@index_options
@handle_errors
def search_cmd(queries_file, k, model, chroma_url):
    """Batch search: one JSON line of ranked results per query, in input order.

    Example: gdc-assistant search --queries eval/questions.jsonl -k 10 > runs.jsonl
    """
    import json

    from ..ask import ask as ask_question
    from ..errors import InvalidQueryError

    queries = _read_queries(queries_file)
    idx = open_ready_index(settings_from(model=model, chroma_url=chroma_url))
    for query_id, question in queries:
        try:
            response = ask_question(idx, question, k=k)
        except InvalidQueryError as exc:
            row = {"id": query_id, "confident": False, "results": [], "error": str(exc)}
        else:
            results = [_result(h) for h in response.hits]
            row = {"id": query_id, "confident": response.confident, "results": results}
        click.echo(json.dumps(row, ensure_ascii=False))


def _result(hit) -> dict:
    """One ranked result as the batch `search` contract defines it."""
    return {key: hit.to_dict()[key] for key in ("id", "text", "score", "sdgs", "action_lines")}


def _read_queries(handle) -> list[tuple[object, str]]:
    import json

    from ..errors import InvalidQueryError

    queries = []
    for line_no, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            queries.append((row["id"], str(row["question"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidQueryError(
                f"line {line_no} of the queries file is not a JSON object with "
                f'"id" and "question" ({exc}).'
            ) from exc
    return queries
