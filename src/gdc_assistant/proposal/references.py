"""What passages are compared with: the commitments, the SDG goal statements and the WSIS Action
Line descriptions (corpus/descriptions.json), embedded once per index with the index's embedder."""

from __future__ import annotations

import json
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..corpus import CORPUS_DIR
from ..errors import CorpusError

if TYPE_CHECKING:
    from ..index.store import Index

DESCRIPTIONS_PATH = CORPUS_DIR / "descriptions.json"

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Description:
    """An SDG's official goal statement, or an Action Line's description, with its source."""

    key: int | str  # SDG number or Action Line code
    name: str
    text: str
    source: str


@dataclass(frozen=True)
class References:
    """Unit vectors: commitments (corpus order), SDGs (1-17), Action Lines (descriptions order)."""

    commitment_ids: tuple[str, ...]
    commitments: np.ndarray
    sdgs: tuple[Description, ...]
    sdg_vectors: np.ndarray
    action_lines: tuple[Description, ...]
    action_line_vectors: np.ndarray


def load_descriptions(path: Path | None = None) -> tuple[tuple[Description, ...], ...]:
    """(SDG descriptions, Action Line descriptions) from corpus/descriptions.json."""
    path = path or DESCRIPTIONS_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sdgs = tuple(
            Description(int(r["sdg"]), r["name"], r["statement"], r["source"]) for r in data["sdgs"]
        )
        lines = tuple(
            Description(r["code"], r["name"], r["description"], r["source"])
            for r in data["action_lines"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CorpusError(
            f"cannot read the SDG and Action Line descriptions {path}: {exc}. Restore it from git."
        ) from exc
    return sdgs, lines


def description_text(d: Description) -> str:
    """What is embedded: the name gives the theme, the statement or description its scope."""
    return f"{d.name}: {d.text}"


def references(index: Index) -> References:
    """The index's reference vectors, embedded on first use and kept while the index lives."""
    from ..index.manifest import embed_text

    found = _CACHE.get(index)
    if found is not None:
        return found
    with _LOCK:
        found = _CACHE.get(index)
        if found is None:
            sdgs, lines = load_descriptions()
            commitments = index.corpus.commitments
            texts = [embed_text(c) for c in commitments]
            texts += [description_text(d) for d in (*sdgs, *lines)]
            vectors = index.embedder.embed(texts)
            n, m = len(commitments), len(sdgs)
            found = References(
                commitment_ids=tuple(c.id for c in commitments),
                commitments=vectors[:n],
                sdgs=sdgs,
                sdg_vectors=vectors[n : n + m],
                action_lines=lines,
                action_line_vectors=vectors[n + m :],
            )
            _CACHE[index] = found
    return found
