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

    from .corpus import load_corpus
    from .source import build_corpus

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


# --------------------------------------------------------------------------- index


def _settings(**overrides):
    from .config import Settings

    return Settings.from_env(**overrides)


@cli.group()
def index() -> None:
    """Build and inspect the Chroma index of the commitments."""


@index.command("build")
@click.option("--model", help="sentence-transformers model name or path (GDC_ASSISTANT_MODEL).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@click.option("--force", is_flag=True, help="Re-embed everything; set a damaged index aside.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_handle_errors
def index_build(model: str | None, chroma_url: str | None, force: bool, quiet: bool) -> None:
    """Embed the commitments into the index; skips the work when nothing changed.

    Example: gdc-assistant index build
    """
    import time

    from .corpus import load_corpus
    from .index import build_index

    settings = _settings(model=model, chroma_url=chroma_url)
    started = time.perf_counter()
    built = build_index(
        load_corpus(settings.corpus_path), settings=settings, progress=not quiet, force=force
    )
    seconds = time.perf_counter() - started
    manifest = built.manifest
    click.echo(
        f"Index ready: {manifest['count']} commitments, model {manifest['model']}, "
        f"built {manifest['built_at']} ({seconds:.2f} s this run)"
    )


@index.command("status")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@_handle_errors
def index_status_cmd(chroma_url: str | None) -> None:
    """Show what the current index was built from.

    Example: gdc-assistant index status
    """
    import json

    from .index import index_status

    manifest = index_status(_settings(chroma_url=chroma_url))
    if manifest is None:
        click.echo("No index yet: run `gdc-assistant index build`.")
        sys.exit(1)
    click.echo(json.dumps(manifest, indent=2, sort_keys=True))


# --------------------------------------------------------------------------- ask / search


def _open(settings, quiet: bool = True):
    from .index import ensure_index

    return ensure_index(settings, progress=not quiet)


@cli.command()
@click.argument("question")
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@click.option("--sdg", type=click.IntRange(1, 17), multiple=True, help="Only this SDG (repeat).")
@click.option(
    "--action-line", multiple=True, help="Only this Action Line, e.g. C10 or 'C7 E-health'."
)
@click.option("--objective", multiple=True, help="Only this objective: 1-5 or follow-up.")
@click.option("--explicit-only", is_flag=True, help='Do not count "All SDGs / Action Lines".')
@click.option("--json", "as_json", is_flag=True, help="Print the answer and hits as JSON.")
@click.option("--model", help="sentence-transformers model name or path.")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@_handle_errors
def ask(question, k, sdg, action_line, objective, explicit_only, as_json, model, chroma_url):
    """Ask a question; prints the matching commitments with their mappings.

    Example: gdc-assistant ask "Which commitments relate to data privacy?" -k 5
    """
    import json

    from .answer.compose import compose_answer
    from .answer.render import answer_to_json, render_text
    from .ask import ask as ask_question
    from .retrieval import validate_question

    validate_question(question)  # fail fast, before loading the model
    filters = _filters(sdg, action_line, objective, explicit_only)
    idx = _open(_settings(model=model, chroma_url=chroma_url))
    response = ask_question(idx, question, k=k, filters=filters)
    answer = compose_answer(response, idx.corpus)
    if as_json:
        payload = {**answer_to_json(answer), "results": [_result(h) for h in response.hits]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(answer))


def _filters(sdg, action_line, objective, explicit_only):
    from .corpus import Filters, normalise_action_line
    from .errors import InvalidFilterError

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


@cli.command("search")
@click.option(
    "--queries",
    "queries_file",
    required=True,
    type=click.File("r", encoding="utf-8"),
    help='JSON lines {"id": ..., "question": ...}; - for stdin.',
)
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@click.option("--model", help="sentence-transformers model name or path.")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@_handle_errors
def search_cmd(queries_file, k, model, chroma_url):
    """Batch search: one JSON line of ranked results per query, in input order.

    Example: gdc-assistant search --queries eval/questions.jsonl -k 10 > runs.jsonl
    """
    import json

    from .ask import ask as ask_question
    from .errors import InvalidQueryError

    queries = _read_queries(queries_file)
    idx = _open(_settings(model=model, chroma_url=chroma_url))
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

    from .errors import InvalidQueryError

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


# --------------------------------------------------------------------------- map-proposal


@cli.command("map-proposal")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-k", "k", default=10, show_default=True, type=click.IntRange(1, 85))
@click.option("--json", "as_json", is_flag=True, help="Print the full mapping as JSON.")
@click.option("--model", help="sentence-transformers model name or path.")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@_handle_errors
def map_proposal_cmd(file, k, as_json, model, chroma_url):
    """Map a proposal (.txt .md .pdf .docx, or - for stdin) to commitments, SDGs and Action Lines.

    Example: gdc-assistant map-proposal proposal.pdf -k 5
    """
    import json

    from .proposal.mapping import map_proposal
    from .proposal.readers import read_document, read_document_bytes
    from .proposal.render import render_text

    if file == "-":
        with click.open_file("-", "rb") as stdin:
            document = read_document_bytes(stdin.read(), "stdin.txt")
    else:
        document = read_document(file)
    for note in document.notes:
        click.echo(f"Note: {note}", err=True)
    pmap = map_proposal(_open(_settings(model=model, chroma_url=chroma_url)), document.text, k=k)
    if as_json:
        click.echo(json.dumps(pmap.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(pmap))


# --------------------------------------------------------------------------- eval


@cli.command("eval")
@click.option(
    "--questions",
    type=click.Path(dir_okay=False),
    help="Question set (JSON lines, see eval/README.md). Default: eval/questions.jsonl.",
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
@click.option("--model", help="sentence-transformers model name or path.")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_handle_errors
def eval_cmd(questions, retriever, split, as_json, min_ndcg, report, model, chroma_url, quiet):
    """Score retrieval on a judged question set: nDCG@10, MRR@10, Recall@5/10, abstention.

    Example: gdc-assistant eval --retriever all --split test --min-ndcg 0.6
    """
    import json
    from pathlib import Path

    from tqdm import tqdm

    from .corpus import load_corpus
    from .evaluation.questions import QUESTIONS_PATH, load_questions
    from .evaluation.report import format_table, write_report
    from .evaluation.scoring import REPORT_PATH, RETRIEVERS, evaluate

    settings = _settings(model=model, chroma_url=chroma_url)
    corpus = load_corpus(settings.corpus_path)  # check the questions before loading the model
    path = Path(questions) if questions else QUESTIONS_PATH
    qs = load_questions(path, corpus=corpus)
    idx = _open(settings, quiet)
    chosen = RETRIEVERS if retriever == "all" else (retriever,)
    with tqdm(desc="Evaluating", unit="run", disable=quiet, leave=False, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(1)

        result = evaluate(
            idx, qs, retrievers=chosen, split=split, progress=progress, source=path.name
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


# --------------------------------------------------------------------------- serve


@cli.command()
@click.option("--host", help="Interface to bind (GDC_ASSISTANT_HOST; default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (GDC_ASSISTANT_PORT; 7860).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://localhost:8000.")
@_handle_errors
def serve(host: str | None, port: int | None, chroma_url: str | None) -> None:
    """Start the web app; the first run builds the index. Set GDC_ASSISTANT_AUTH=user:password
    to require a login.

    Example: gdc-assistant serve --port 7860
    """
    from .ui.app import serve as serve_app

    serve_app(_settings(host=host, port=port, chroma_url=chroma_url))


def main() -> None:
    """Entry point of the gdc-assistant console script."""
    cli()
