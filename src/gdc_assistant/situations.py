"""Everyday situations per commitment, used only to match questions worded as a person's problem.

`corpus/situations.jsonl` holds one line per commitment, in corpus order: `{"id", "situations"}`,
a few short plain-language descriptions of a need or plan the commitment addresses ("Our village
school has no internet and the nearest cable ends 40 km away"). They were written blind from the
source document (see corpus/README.md), never from evaluation questions. They are never shown:
every answer quotes the English source. Each is embedded on its own; a commitment's situation
similarity is the mean of its two best situations' (search engines call this document
expansion), so one situation's side detail ("farmers ask what AI will mean for them") does not
make an AI commitment a match for "agriculture".
"""

from __future__ import annotations

from pathlib import Path

from .translations import read_per_commitment

FILE_NAME = "situations.jsonl"


def situations_path(commitments_path: Path) -> Path:
    """Where the situations of a corpus file live: `situations.jsonl` beside it."""
    return Path(commitments_path).parent / FILE_NAME


def load_situations(path: Path, *, ids: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """commitment id -> its situations; {} with no file (matching then uses the wording only).

    A file that does not cover exactly the corpus's commitments is a CorpusError naming it.
    """
    if not path.is_file():
        return {}
    fix = "restore it from git, or remove it to match on the commitments' wording only"
    return read_per_commitment(path, ids=ids, what="situations", fix=fix, value=_texts)


def _texts(row: dict) -> tuple[str, ...]:
    texts = tuple(" ".join(str(t).split()) for t in row["situations"])
    if not texts or not all(texts):
        raise ValueError(f"no situations, or an empty one, for {row['id']}")
    return texts
