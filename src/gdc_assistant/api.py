"""The REST API for integrators, served beside the UI: JSON in, the CLI's JSON out.

POST /api/v1/ask returns what `gdc-assistant ask --json` prints, POST /api/v1/search the objects
`search --queries` prints, POST /api/v1/map-proposal what `map-proposal --json` prints; GET
/api/v1/commitments lists the matrix. OpenAPI docs at /api/docs. Bad input gets a 4xx whose
"error" is one line saying the fix. Thin: parse, one library call under the shared work gate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .answer.payload import ask_payload, search_rows
from .corpus import Corpus
from .errors import GdcAssistantError, InvalidQueryError, ProposalReadError, ServerBusyError
from .proposal.readers import MAX_FILE_BYTES
from .scope import parse_filters

log = logging.getLogger("gdc_assistant.api")

MAX_BATCH = 1000  # queries in one POST /api/v1/search
MAX_JSON_BYTES = 12 * 1024 * 1024  # a request body (JSON text or a multipart file)
OneOrMany = int | str | list[int | str] | None


class AskRequest(BaseModel):
    """One question, with the filters `gdc-assistant ask` takes."""

    question: str
    k: int = Field(10, ge=1, le=85)
    sdg: OneOrMany = Field(None, description="SDG number(s), 1-17", examples=[16])
    action_line: OneOrMany = Field(None, description="e.g. C10 or 'C7 E-health'")
    objective: OneOrMany = Field(None, description="1-5 or follow-up")
    explicit_only: bool = Field(False, description='do not count "All SDGs / Action Lines"')


class SearchQuery(BaseModel):
    id: Any
    question: Any = Field(..., description="the question text")


class SearchRequest(BaseModel):
    """A batch, as the lines of `gdc-assistant search --queries`."""

    queries: list[SearchQuery] = Field(..., max_length=MAX_BATCH)
    k: int = Field(10, ge=1, le=85)


class ProposalRequest(BaseModel):
    text: str
    k: int = Field(10, ge=1, le=85)


def build_api(
    get_index: Callable,
    corpus: Corpus,
    *,
    run: Callable[..., Any],
    authorise: Callable[[Request], None] | None = None,
) -> FastAPI:
    """The REST app, mounted at /api. `run(fn, *args)` runs work under the server's shared
    limit; `authorise(request)` raises HTTPException(401) when a login is required and missing."""
    dependencies = []
    if authorise is not None:
        from fastapi import Depends

        dependencies.append(Depends(authorise))
    api = FastAPI(
        title="GDC Assistant API",
        version="1",
        description=__doc__,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
        dependencies=dependencies,
    )
    _add_error_handlers(api)

    @api.post("/v1/ask", summary="Ask one question (the JSON of `gdc-assistant ask --json`)")
    def ask(body: AskRequest) -> dict:
        filters = parse_filters(
            sdgs=_many(body.sdg),
            action_lines=_many(body.action_line),
            objectives=_many(body.objective),
            explicit_only=body.explicit_only,
        )
        return run(ask_payload, get_index(), body.question, k=body.k, filters=filters)

    @api.post("/v1/search", summary="Batch search (the lines of `gdc-assistant search`)")
    def search(body: SearchRequest) -> list[dict]:
        queries = []
        for n, query in enumerate(body.queries, start=1):
            if not isinstance(query.question, str):
                raise InvalidQueryError(f"query {n} (id {query.id!r}): the question is not text.")
            queries.append((query.id, query.question))
        return run(lambda: list(search_rows(get_index(), queries, k=body.k)))

    @api.post(
        "/v1/map-proposal",
        summary="Map a proposal: JSON {text, k} or a multipart file (+ k)",
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {"schema": ProposalRequest.model_json_schema()},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "k": {"type": "integer", "default": 10},
                            },
                            "required": ["file"],
                        }
                    },
                }
            }
        },
    )
    async def map_proposal(request: Request) -> dict:
        text, k = await _proposal_input(request)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(run, _map, get_index, text, k)

    @api.get("/v1/commitments", summary="Commitments, filtered like `ask`")
    def commitments(
        sdg: Annotated[list[str] | None, Query(description="SDG number, repeatable")] = None,
        action_line: Annotated[list[str] | None, Query(description="e.g. C10")] = None,
        objective: Annotated[list[str] | None, Query(description="1-5 or follow-up")] = None,
        explicit_only: bool = False,
    ) -> list[dict]:
        filters = parse_filters(
            sdgs=sdg or (),
            action_lines=action_line or (),
            objectives=objective or (),
            explicit_only=explicit_only,
        )
        return [c.to_dict() for c in corpus if filters is None or filters.matches(c)]

    @api.get("/v1/commitments/{commitment_id}", summary="One commitment by id")
    def commitment(commitment_id: str) -> dict:
        try:
            return corpus.get(commitment_id.strip()).to_dict()
        except KeyError:
            raise HTTPException(
                404,
                f"there is no commitment {commitment_id!r}: ids look like O4-DATA-PRIV-01 "
                "(GET /api/v1/commitments lists them).",
            ) from None

    return api


def _many(value: OneOrMany) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _map(get_index: Callable, text: str, k: int) -> dict:
    from .proposal.mapping import map_proposal

    return map_proposal(get_index(), text, k=k).to_dict()


async def _proposal_input(request: Request) -> tuple[str, int]:
    """(text, k) from a JSON body or a multipart upload, read within the size limits."""
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_JSON_BYTES:
        raise _too_large(length)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidQueryError('send the proposal as a multipart field named "file".')
        data = await upload.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(len(data))
        from .proposal.readers import read_document_bytes

        document = read_document_bytes(data, upload.filename or "upload.txt")
        return document.text, _k(form.get("k"))
    try:
        body = ProposalRequest.model_validate_json(await request.body())
    except ValueError as exc:
        raise InvalidQueryError(
            'send JSON {"text": "...", "k": 10} or a multipart "file": ' + _first_error(exc)
        ) from None
    return body.text, body.k


def _k(value) -> int:
    try:
        k = int(value) if value not in (None, "") else 10
    except (TypeError, ValueError):
        k = 0
    if not 1 <= k <= 85:
        raise InvalidQueryError(f"k must be a whole number from 1 to 85 (got {value!r}).")
    return k


def _too_large(size: int) -> ProposalReadError:
    return ProposalReadError(
        f"the upload is {size / 1024 / 1024:.1f} MB, more than the "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB allowed: send plain text, or map sections separately."
    )


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc).splitlines()[0]


def _add_error_handlers(api: FastAPI) -> None:
    def one_line(status: int, message: str) -> JSONResponse:
        message = message[:1].upper() + message[1:]
        return JSONResponse({"error": message}, status_code=status)

    @api.exception_handler(GdcAssistantError)
    async def expected(request: Request, exc: GdcAssistantError) -> JSONResponse:
        if isinstance(exc, ServerBusyError):
            status = 503
        elif isinstance(exc, ProposalReadError) and "MB" in str(exc):
            status = 413
        elif isinstance(exc, InvalidQueryError | ProposalReadError):
            status = 400
        else:
            status = 500
        # a caller's mistake is one log line, never a traceback
        log.info("%s %s refused (%d): %s", request.method, request.url.path, status, exc)
        return one_line(status, str(exc))

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        log.info("%s %s refused (422): %s", request.method, request.url.path, _first_error(exc))
        return one_line(422, f"the request is not valid: {_first_error(exc)}.")

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        response = one_line(exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
