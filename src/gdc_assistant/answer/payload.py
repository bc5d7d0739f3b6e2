"""The JSON contracts shared by the CLI and the REST API: `ask --json` and `search --queries`.

One function builds each payload, so `gdc-assistant ask --json` and `POST /api/v1/ask` print the
same object, and `search --queries` lines equal the items of `POST /api/v1/search`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from ..ask import ask, ask_many
from ..corpus import Filters
from ..errors import InvalidQueryError
from ..retrieval import Hit, validate_question
from .compose import compose_answer
from .render import answer_to_json

# The batch `search` contract: exactly these keys of Hit.to_dict() (tests/test_cli.py locks it).
RESULT_KEYS = ("id", "text", "score", "sdgs", "action_lines")
# `ask --json` results also say whether each hit is a match or only related less closely.
ASK_RESULT_KEYS = (*RESULT_KEYS, "relevant")


def result_record(hit: Hit, *, keys: tuple[str, ...] = RESULT_KEYS) -> dict:
    """One ranked result as `search --queries` prints it (`keys` that the hit has)."""
    full = hit.to_dict()
    return {key: full[key] for key in keys if key in full}


def ask_payload(index, question: str, *, k: int = 10, filters: Filters | None = None) -> dict:
    """What `gdc-assistant ask --json` prints: the composed answer plus its ranked results."""
    response = ask(index, question, k=k, filters=filters)
    answer = compose_answer(response, index.corpus)
    results = [result_record(h, keys=ASK_RESULT_KEYS) for h in response.hits]
    return {**answer_to_json(answer), "results": results}


def search_rows(
    index, queries: Iterable[tuple[object, str]], *, k: int = 10, batch: int = 256
) -> Iterator[dict]:
    """One `search --queries` object per (id, question), in input order; a bad question gives
    a row with an "error" instead of stopping the batch. Questions are embedded `batch` at a
    time (ask_many), which is several times faster than one by one."""
    pending = iter(queries)
    while chunk := list(itertools.islice(pending, batch)):
        errors: dict[int, str] = {}
        for i, (_, question) in enumerate(chunk):
            try:
                validate_question(question)
            except InvalidQueryError as exc:
                errors[i] = str(exc)
        valid = [i for i in range(len(chunk)) if i not in errors]
        answered = ask_many(index, [chunk[i][1] for i in valid], k=k)
        responses = dict(zip(valid, answered, strict=True))
        for i, (query_id, _) in enumerate(chunk):
            if i in errors:
                yield {"id": query_id, "confident": False, "results": [], "error": errors[i]}
            else:
                results = [result_record(h) for h in responses[i].hits]
                yield {"id": query_id, "confident": responses[i].confident, "results": results}
