"""One builder at a time per index location: an inter-process lock file keyed by that location.

The lock lives in the temporary folder, not in the index: a damaged index folder that is moved
aside must not take its lock with it. It serialises builders on one machine; builders on other
machines that share a Chroma server are safe too (unique build ids, tolerant clean-up), only not
serialised.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import Settings
from ..errors import IndexBusyError
from .client import location

DEFAULT_WAIT = 600.0  # seconds a second builder waits for the first one


def lock_path(settings: Settings) -> Path:
    """The lock file for the configured index (one per folder or server URL)."""
    if settings.chroma_url:
        key = "url:" + settings.chroma_url.rstrip("/").lower()
    else:
        key = "path:" + str(Path(settings.index_path).resolve())
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return Path(tempfile.gettempdir()) / f"gdc-assistant-build-{digest}.lock"


@contextmanager
def build_lock(
    settings: Settings, *, wait: float = DEFAULT_WAIT, progress: bool = False
) -> Iterator[None]:
    """Hold the build lock; wait up to `wait` seconds for another builder, then IndexBusyError."""
    from filelock import FileLock, Timeout

    path = lock_path(settings)
    # mode 0o666: another user building the same index must be able to take the lock too
    lock = FileLock(path, mode=0o666, thread_local=False, preserve_lock_file=True)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if progress and wait > 0:
            print(
                f"Another build of {location(settings)} is running: waiting up to {wait:g} s "
                "for it to finish …",
                file=sys.stderr,
            )
        try:
            lock.acquire(timeout=max(wait, 0))
        except Timeout:
            raise IndexBusyError(
                f"another `gdc-assistant index build` is building {location(settings)} (lock "
                f"{path}): wait for it to finish, then run your command again."
            ) from None
    except OSError as exc:
        raise IndexBusyError(
            f"cannot take the build lock {path} ({exc.strerror or exc}): check that the "
            "temporary folder is writable."
        ) from exc
    try:
        yield
    finally:
        lock.release()
