"""Translations of the commitments, used only to match questions asked in other languages.

`corpus/translations/<language>.jsonl` holds one line per commitment, in corpus order:
`{"id", "section", "text"}`, the commitment's section and text rendered in that language (see
corpus/README.md for who wrote them and how). They are never shown: every answer quotes the
English source. They let a question in Chinese, Russian or Arabic be compared with text in its
own language, by the multilingual model and by BM25, instead of across languages only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from .errors import CorpusError

FOLDER_NAME = "translations"
T = TypeVar("T")


def translations_folder(commitments_path: Path) -> Path:
    """Where the translations of a corpus file live: `translations/` beside it."""
    return Path(commitments_path).parent / FOLDER_NAME


def load_translations(folder: Path, *, ids: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """language -> commitment id -> the text matched ("section: text"); {} with no folder.

    A file that does not cover exactly the corpus's commitments is a CorpusError naming it.
    """
    if not folder.is_dir():
        return {}
    return {path.stem: _read(path, ids=ids) for path in sorted(folder.glob("*.jsonl"))}


def _read(path: Path, *, ids: tuple[str, ...]) -> dict[str, str]:
    fix = "restore it from git, or remove it to match that language across languages only"
    return read_per_commitment(path, ids=ids, what="translation", fix=fix, value=_matched_text)


def read_per_commitment(
    path: Path, *, ids: tuple[str, ...], what: str, fix: str, value: Callable[[dict], T]
) -> dict[str, T]:
    """A JSON-lines file with one `{"id", ...}` line per commitment of `ids`: id -> value(row).
    A damaged file, or one that does not cover exactly those commitments, is a CorpusError
    naming the file, what it is ("translation", "situations") and the `fix`."""
    try:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        values = {str(row["id"]): value(row) for row in rows}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"the {what} file {path} is damaged ({exc}): {fix}.") from exc
    if set(values) != set(ids) or len(rows) != len(ids):
        missing = sorted(set(ids) - set(values))[:3]
        extra = sorted(set(values) - set(ids))[:3]
        raise CorpusError(
            f"the {what} file {path} does not match the corpus (missing {missing}, "
            f"unknown {extra}, {len(rows)} lines for {len(ids)} commitments): {fix}."
        )
    return values


def _matched_text(row: Mapping[str, str]) -> str:
    text = str(row["text"]).strip()
    if not text:
        raise ValueError(f"empty text for {row['id']}")
    section = str(row.get("section") or "").strip()
    return f"{section}: {text}" if section else text
