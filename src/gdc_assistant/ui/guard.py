"""What keeps the web server safe to expose: one work limit for every endpoint, throttled sign-in,
capped uploads, and a refusal to serve the network without a login unless asked to.

The limits are plain ASGI middleware and a semaphore, so the Gradio UI and the REST API share them.
"""

from __future__ import annotations

import base64
import functools
import inspect
import ipaddress
import json
import os
import secrets
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from ..config import Settings
from ..errors import GdcAssistantError, ServerBusyError

# Work (a search, a proposal mapping) is CPU-bound: more at once than cores only slows everyone.
WORK_SLOTS = max(2, min(8, os.cpu_count() or 2))
WORK_WAIT_S = 60.0  # a request waits this long for a free slot, then gets "busy, retry"

LOGIN_FAILURES = 5  # wrong passwords allowed per address ...
LOGIN_WINDOW_S = 300.0  # ... in this many seconds; then sign-in is refused until the window ends
UPLOADS_PER_HOUR = 30  # per address
UPLOAD_BYTES_PER_HOUR = 100 * 1024 * 1024  # per address
MAX_UPLOAD = "10mb"  # one file (proposal/readers.py MAX_FILE_BYTES says the same)


class WorkGate:
    """One limit on concurrent work across the whole server (UI events and REST calls)."""

    def __init__(self, slots: int = WORK_SLOTS) -> None:
        self.slots = slots
        self._semaphore = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.active = 0
        self.peak = 0  # the most ever running at once (the load test reads it)

    def run(self, fn: Callable, *args, **kwargs):
        """fn(*args, **kwargs) once a slot is free; BusyError after WORK_WAIT_S."""
        if not self._semaphore.acquire(timeout=WORK_WAIT_S):
            raise ServerBusyError(
                f"the server is busy ({self.slots} requests at work): retry in a few seconds."
            )
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            return fn(*args, **kwargs)
        finally:
            with self._lock:
                self.active -= 1
            self._semaphore.release()

    def wrap(self, fn: Callable) -> Callable:
        """fn, run under the gate (its signature and type hints unchanged, for Gradio)."""

        @functools.wraps(fn)
        def gated(*args, **kwargs):
            return self.run(fn, *args, **kwargs)

        return gated


def gate_all_events(blocks, gate: WorkGate) -> None:
    """Put every Gradio event under one queue limit and the shared gate."""
    for block_fn in blocks.fns.values():
        block_fn.concurrency_id = "gdc-work"
        block_fn.concurrency_limit = gate.slots
        fn = block_fn.fn
        if fn is None or inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn):
            continue
        if inspect.isasyncgenfunction(fn) or getattr(fn, "__gdc_gated__", False):
            continue
        block_fn.fn = gate.wrap(fn)
        block_fn.fn.__gdc_gated__ = True


# --------------------------------------------------------------------------- exposure


def check_exposure(settings: Settings) -> str | None:
    """Refuse to serve beyond this machine without a login, unless allow_open; then a warning."""
    if settings.auth is not None or _is_loopback(settings.host):
        return None
    if not settings.allow_open:
        raise GdcAssistantError(
            f"refusing to listen on {settings.host} without a login: anyone on the network could "
            "use the app. Set GDC_ASSISTANT_AUTH=user:password, or GDC_ASSISTANT_ALLOW_OPEN=1 to "
            "serve it openly anyway."
        )
    warning = (
        f"WARNING: GDC Assistant is listening on {settings.host} with NO LOGIN "
        "(GDC_ASSISTANT_ALLOW_OPEN=1): anyone who can reach this machine can use it."
    )
    print(warning, file=sys.stderr)
    return warning


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------- per-address limits


class _Window:
    """Events per key in a sliding time window (thread-safe; old keys are forgotten)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._events: dict[str, deque[tuple[float, int]]] = defaultdict(deque)
        self._lock = threading.Lock()

    def add(self, key: str, amount: int = 1) -> None:
        with self._lock:
            self._events[key].append((time.monotonic(), amount))

    def total(self, key: str) -> tuple[int, float]:
        """(sum within the window, seconds until the oldest event leaves it)."""
        now = time.monotonic()
        with self._lock:
            events = self._events.get(key)
            if not events:
                return 0, 0.0
            while events and now - events[0][0] > self.seconds:
                events.popleft()
            if not events:
                del self._events[key]
                return 0, 0.0
            return sum(n for _, n in events), self.seconds - (now - events[0][0])

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


class LoginThrottle:
    """Counts failed sign-ins per address; past LOGIN_FAILURES in the window, sign-in is refused
    (even with the right password) until the window ends."""

    def __init__(self, failures: int = LOGIN_FAILURES, window_s: float = LOGIN_WINDOW_S) -> None:
        self.failures = failures
        self._window = _Window(window_s)

    def wait_s(self, address: str) -> float:
        """Seconds this address must wait before trying again; 0 when it may try now."""
        count, wait = self._window.total(address)
        return wait if count >= self.failures else 0.0

    def failed(self, address: str) -> None:
        self._window.add(address)

    def succeeded(self, address: str) -> None:
        self._window.clear(address)


def client_address(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _refuse(send, status: int, message: str, retry_after: float | None = None) -> None:
    headers = [(b"content-type", b"application/json")]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, round(retry_after))).encode()))
    body = json.dumps({"error": message, "detail": message}).encode()
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class LoginThrottleMiddleware:
    """ASGI middleware: Gradio's POST /login answers 429 once an address failed too often."""

    def __init__(self, app, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        if scope.get("path", "").rstrip("/") != "/login":
            return await self.app(scope, receive, send)
        address = client_address(scope)
        wait = self.throttle.wait_s(address)
        if wait:
            return await _refuse(send, 429, _too_many_sign_ins(wait), wait)
        status = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") in (400, 401, 403):
            self.throttle.failed(address)
        elif status.get("code") == 200:
            self.throttle.succeeded(address)


def _too_many_sign_ins(wait: float) -> str:
    return (
        f"Too many failed sign-ins from your address: wait {max(1, round(wait))} s and try again."
    )


class UploadLimitMiddleware:
    """ASGI middleware: caps Gradio uploads per address (count and bytes per hour)."""

    def __init__(
        self, app, *, count: int = UPLOADS_PER_HOUR, total_bytes: int = UPLOAD_BYTES_PER_HOUR
    ) -> None:
        self.app = app
        self.count, self.total_bytes = count, total_bytes
        self._uploads = _Window(3600.0)
        self._bytes = _Window(3600.0)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST":
            return await self.app(scope, receive, send)
        if not scope.get("path", "").rstrip("/").endswith("/gradio_api/upload"):
            return await self.app(scope, receive, send)
        address = client_address(scope)
        size = _content_length(scope)
        uploads, wait_count = self._uploads.total(address)
        sent, wait_bytes = self._bytes.total(address)
        if uploads >= self.count:
            message = (
                f"Too many uploads from your address ({self.count} an hour): try again in "
                f"{max(1, round(wait_count / 60))} min."
            )
            return await _refuse(send, 429, message, wait_count)
        if sent + size > self.total_bytes:
            message = (
                f"Too much uploaded from your address ({self.total_bytes // 1024 // 1024} MB an "
                f"hour): try again in {max(1, round(wait_bytes / 60))} min."
            )
            return await _refuse(send, 429, message, wait_bytes)
        self._uploads.add(address)
        self._bytes.add(address, size)
        await self.app(scope, receive, send)


def _content_length(scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


# --------------------------------------------------------------------------- REST login


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """'Basic dXNlcjpwdw==' -> ('user', 'pw'); None when absent or malformed."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        user, sep, password = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def credentials_match(given: tuple[str, str], expected: tuple[str, str]) -> bool:
    """Constant-time comparison of a user:password pair."""
    user_ok = secrets.compare_digest(given[0].encode(), expected[0].encode())
    password_ok = secrets.compare_digest(given[1].encode(), expected[1].encode())
    return user_ok and password_ok
