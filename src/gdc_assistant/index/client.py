"""The Chroma seam: a client for the embedded index or a server, with timeouts and retries, and
the translation of Chroma, HTTP and file-system failures into one-line errors that say the fix.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from ..config import Settings
from ..errors import (
    ChromaServerError,
    GdcAssistantError,
    IndexCorruptError,
    IndexNotFoundError,
    IndexReadOnlyError,
)

POINTER = "gdc-current"
RETRIES = 2  # extra attempts for a read that could not connect (a server restarting)
_RETRY_PAUSE = 0.3  # seconds, doubled after each attempt

T = TypeVar("T")


def location(settings: Settings) -> str:
    """Where the index lives, for messages: the server URL or the embedded folder."""
    if settings.chroma_url:
        return f"the Chroma server at {settings.chroma_url}"
    return str(settings.index_path)


def connect(settings: Settings, *, create: bool) -> Any:
    """A Chroma client; `create` makes the embedded folder when it is missing."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        host, port, ssl = _parse_url(settings.chroma_url)
        _check_server(settings)  # HttpClient() talks to the server with no timeout of its own
        with chroma_errors(settings):
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        _set_timeout(client, settings)
        return client
    path = Path(settings.index_path)
    if not create and not (path / "chroma.sqlite3").exists():
        raise IndexNotFoundError(
            f"no index at {path}: run `gdc-assistant index build` (the app builds it on first run)."
        )
    with chroma_errors(settings):
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _parse_url(url: str) -> tuple[str, int, bool]:
    parsed = urlparse(url)
    if not parsed.hostname or parsed.scheme not in ("http", "https"):
        raise ChromaServerError(
            f"GDC_ASSISTANT_CHROMA_URL={url!r} is not a URL like http://localhost:8000"
        )
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError as exc:  # a port that is not a number, or out of range
        raise ChromaServerError(
            f"GDC_ASSISTANT_CHROMA_URL={url!r} is not a URL like http://localhost:8000"
        ) from exc
    return parsed.hostname, port, parsed.scheme == "https"


def _timeout(settings: Settings):
    import httpx

    return httpx.Timeout(settings.chroma_timeout, connect=min(settings.chroma_timeout, 5.0))


def _check_server(settings: Settings) -> None:
    """One heartbeat with our timeout, retried, before the untimed HttpClient() handshake."""
    import httpx

    url = settings.chroma_url.rstrip("/") + "/api/v2/heartbeat"

    def heartbeat() -> None:
        with chroma_errors(settings):
            httpx.get(url, timeout=_timeout(settings)).raise_for_status()

    with_retries(heartbeat, settings=settings)


def _set_timeout(client: Any, settings: Settings) -> None:
    """chromadb 1.5 builds its httpx session with timeout=None and no setting to change it."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise ChromaServerError(
            "this chromadb version does not expose its HTTP session, so calls to "
            f"{settings.chroma_url} cannot be given a timeout: install chromadb 1.5 "
            "(`pip install 'chromadb>=1.5,<2'`)."
        )
    session.timeout = _timeout(settings)


def with_retries(call: Callable[[], T], *, settings: Settings) -> T:
    """Run a read; retry it when a server could not be reached (never after a timeout)."""
    pause = _RETRY_PAUSE
    for attempt in range(RETRIES + 1):
        try:
            return call()
        except ChromaServerError as exc:
            if not settings.chroma_url or not exc.retryable or attempt == RETRIES:
                raise
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")


@contextmanager
def chroma_errors(settings: Settings) -> Iterator[None]:
    """Turn a Chroma, HTTP or file-system failure into the project's one-line errors."""
    try:
        yield
    except GdcAssistantError:
        raise
    except Exception as exc:
        raise translate(exc, settings) from exc


def translate(exc: BaseException, settings: Settings) -> GdcAssistantError:
    """The one-line error for a failure of the index store."""
    if settings.chroma_url:
        return _server_error(exc, settings)
    if is_read_only(settings.index_path, exc):
        return read_only(settings)
    return corrupt(settings, exc)


def _server_error(exc: BaseException, settings: Settings) -> ChromaServerError:
    import httpx

    url = settings.chroma_url
    if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
        error = ChromaServerError(
            f"the Chroma server at {url} did not answer within {settings.chroma_timeout:g} s "
            "(hung or overloaded): restart it, or raise GDC_ASSISTANT_CHROMA_TIMEOUT."
        )
        error.retryable = False
        return error
    if isinstance(exc, httpx.TransportError | ConnectionError):
        error = ChromaServerError(
            f"cannot reach the Chroma server at {url} ({type(exc).__name__}). Start it "
            "(`chroma run --path DIR --port PORT`) or unset GDC_ASSISTANT_CHROMA_URL to use "
            "the embedded index."
        )
        error.retryable = True
        return error
    return ChromaServerError(
        f"the Chroma server at {url} failed ({type(exc).__name__}: {_first_line(exc)}): check "
        "its log; `gdc-assistant index build` rebuilds the index there."
    )


def is_read_only(path: Path, exc: BaseException | None = None) -> bool:
    """True when the embedded index (or the folder it would go in) cannot be written."""
    text = str(exc or "").lower()
    if "readonly database" in text or "read-only file system" in text:
        return True
    if isinstance(exc, PermissionError) or "permission denied" in text:
        return True
    path = Path(path)
    target = path if path.exists() else path.parent
    database = path / "chroma.sqlite3"
    if target.exists() and not os.access(target, os.W_OK):
        return True
    return database.exists() and not os.access(database, os.W_OK)


def read_only(settings: Settings) -> IndexReadOnlyError:
    path = settings.index_path
    return IndexReadOnlyError(
        f"the index at {path} is read-only (Chroma must write to its folder even to read it): "
        f"make it writable (`chmod -R u+w {path}`), or copy it to a writable folder and set "
        "GDC_ASSISTANT_INDEX to that folder."
    )


def corrupt(settings: Settings, exc: BaseException) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index at {settings.index_path} cannot be read ({type(exc).__name__}: "
        f"{_first_line(exc)}): run `gdc-assistant index build --force` to rebuild it (the "
        "damaged copy is kept aside)."
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else ""


def collection_names(client: Any) -> set[str]:
    """Names of every collection (chromadb 1.x gives Collection objects, some versions names)."""
    return {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}


def read_pointer(client: Any, settings: Settings) -> dict | None:
    """The pointer collection's metadata (the manifest in use and retired builds), or None."""

    def read() -> dict | None:
        with chroma_errors(settings):
            if POINTER not in collection_names(client):
                return None
            return client.get_collection(POINTER, embedding_function=None).metadata or {}

    return with_retries(read, settings=settings)


def read_manifest(client: Any, settings: Settings) -> dict | None:
    """The manifest of the build in use, or None when nothing was built yet."""
    return manifest_of(read_pointer(client, settings), settings)


def manifest_of(pointer: dict | None, settings: Settings) -> dict | None:
    """The manifest a pointer's metadata holds (None for no pointer); damaged: IndexCorruptError."""
    if pointer is None:
        return None
    try:
        return json.loads(pointer["manifest"])
    except (KeyError, ValueError, TypeError) as exc:
        raise corrupt(settings, exc) from exc
