"""Map a whole portfolio: a CSV of proposals or a folder of files -> per-proposal maps + coverage.

Every proposal is mapped exactly as map_proposal() maps it (the same passages, scores and
rankings, without the sentence highlights), but all passages of all proposals are embedded in
large batches. Bad rows (empty or unmappable text, unreadable files, malformed CSV rows) are
reported by name in `skipped` and skipped; nothing else is lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import GdcAssistantError, ProposalReadError
from .gaps import LEADING
from .mapping import RELEVANT_MIN, ProposalMap, check_proposal_text, map_passages
from .passages import split_proposal
from .readers import SUPPORTED_SUFFIXES, read_document

MAX_CSV_BYTES = 200 * 1024 * 1024
COVERAGE_TOP = LEADING  # an SDG / Action Line is supported by a proposal that has it in its top 3


@dataclass(frozen=True)
class PortfolioItem:
    """One proposal of a portfolio: its id, title and text."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Skipped:
    """A row or file left out, by name (`id` for a CSV row, `file` for a folder), and why."""

    name: str
    reason: str
    is_file: bool = False

    def to_dict(self) -> dict:
        return {"file" if self.is_file else "id": self.name, "reason": self.reason}


@dataclass(frozen=True)
class Coverage:
    """One commitment, SDG or Action Line: the proposals that support it and how strongly."""

    key: int | str
    proposals: tuple[str, ...]
    score: float  # the strongest support: best commitment score / best suggestion score


@dataclass(frozen=True)
class Portfolio:
    """The result of map_portfolio()."""

    items: tuple[PortfolioItem, ...]
    maps: tuple[ProposalMap, ...]
    commitments: tuple[Coverage, ...]  # every commitment, in corpus order
    sdgs: tuple[Coverage, ...]
    action_lines: tuple[Coverage, ...]
    skipped: tuple[Skipped, ...]

    def uncovered(self) -> dict:
        """The commitments, SDGs and Action Lines no proposal supports."""
        return {
            name: [c.key for c in getattr(self, name) if not c.proposals]
            for name in ("commitments", "sdgs", "action_lines")
        }

    def to_dict(self) -> dict:
        """The documented JSON: proposals, coverage, uncovered, skipped."""
        return {
            "proposals": [
                proposal_dict(item, pmap) for item, pmap in zip(self.items, self.maps, strict=True)
            ],
            "coverage": {
                "commitments": [_coverage_dict("id", c) for c in self.commitments],
                "sdgs": [_coverage_dict("sdg", c) for c in self.sdgs],
                "action_lines": [_coverage_dict("code", c) for c in self.action_lines],
            },
            "uncovered": self.uncovered(),
            "skipped": [s.to_dict() for s in self.skipped],
        }


def proposal_dict(item: PortfolioItem, pmap: ProposalMap) -> dict:
    """One proposal's entry: its ranked SDGs, Action Lines and commitments, as map-proposal."""
    return {
        "id": item.id,
        "title": item.title,
        "sdgs": [
            {"sdg": s.sdg, "score": round(s.score, 4), "explicit": s.explicit} for s in pmap.sdgs
        ],
        "action_lines": [
            {"code": a.code, "score": round(a.score, 4), "explicit": a.explicit}
            for a in pmap.action_lines
        ],
        "commitments": [
            {"id": rc.commitment.id, "score": round(rc.score, 4), "relevant": rc.relevant}
            for rc in pmap.commitments
        ],
    }


def _coverage_dict(key: str, c: Coverage) -> dict:
    return {key: c.key, "proposals": list(c.proposals), "score": round(c.score, 4)}


# --------------------------------------------------------------------------- reading


def read_portfolio(
    path: str | Path,
    *,
    id_column: str = "id",
    title_column: str = "title",
    text_column: str = "text",
) -> tuple[list[PortfolioItem], list[Skipped]]:
    """Proposals from a CSV file or a folder of .txt/.md/.pdf/.docx files, and what was skipped."""
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.exists():
        raise ProposalReadError(f"no such file or folder: {path}. Give a CSV file or a folder.")
    if path.suffix.lower() != ".csv":
        raise ProposalReadError(
            f"{path.name} is not a .csv file or a folder: give a CSV with columns "
            f"{id_column}, {title_column}, {text_column}, or a folder of proposal files."
        )
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ProposalReadError(f"{path.name} is over {MAX_CSV_BYTES // 2**20} MB: split it.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProposalReadError(
            f"{path.name} is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8."
        ) from exc
    return read_portfolio_csv(
        text,
        name=path.name,
        id_column=id_column,
        title_column=title_column,
        text_column=text_column,
    )


def read_portfolio_csv(
    text: str,
    *,
    name: str = "the CSV",
    id_column: str = "id",
    title_column: str = "title",
    text_column: str = "text",
) -> tuple[list[PortfolioItem], list[Skipped]]:
    """Proposals from CSV text with a header row; rows that cannot be used are skipped."""
    csv.field_size_limit(MAX_CSV_BYTES)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    if text_column not in columns:
        found = ", ".join(columns) or "no header row"
        raise ProposalReadError(
            f"{name} has no column {text_column!r} (columns: {found}): name the text column "
            "with --text-column (and --id-column, --title-column)."
        )
    items: list[PortfolioItem] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    try:
        for number, row in enumerate(reader, start=1):
            ident = (row.get(id_column) or "").strip() or f"row {number}"
            if None in row or any(value is None for value in row.values()):
                fields = (
                    len(columns) + len(row.get(None) or []) - sum(v is None for v in row.values())
                )
                skipped.append(
                    Skipped(ident, f"row {number} has {fields} fields, the header {len(columns)}")
                )
            elif ident in seen:
                skipped.append(Skipped(ident, f"row {number} repeats the id {ident!r}"))
            elif not (row.get(text_column) or "").strip():
                skipped.append(Skipped(ident, f"row {number} has an empty {text_column!r}"))
            else:
                seen.add(ident)
                title = (row.get(title_column) or "").strip()
                items.append(PortfolioItem(ident, title, row[text_column]))
    except csv.Error as exc:
        raise ProposalReadError(f"{name} is not valid CSV ({exc}): check its quoting.") from exc
    return items, skipped


def _read_folder(folder: Path) -> tuple[list[PortfolioItem], list[Skipped]]:
    items: list[PortfolioItem] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            skipped.append(Skipped(path.name, f"not a proposal file ({kinds})", is_file=True))
            continue
        read = read_proposal_file(path)
        (items if isinstance(read, PortfolioItem) else skipped).append(read)
    if not items and not skipped:
        raise ProposalReadError(f"{folder} has no proposal files (.txt, .md, .pdf, .docx).")
    return items, skipped


# --------------------------------------------------------------------------- mapping


def read_proposal_file(path: Path) -> PortfolioItem | Skipped:
    """One proposal file (.txt .md .pdf .docx) as a portfolio item, or why it was skipped."""
    try:
        document = read_document(path)
    except GdcAssistantError as exc:
        return Skipped(path.name, str(exc), is_file=True)
    return PortfolioItem(path.stem, path.name, document.text)


def map_portfolio(
    index,
    items: Sequence[PortfolioItem],
    *,
    k: int = 10,
    skipped: Sequence[Skipped] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Portfolio:
    """Map every proposal (passages embedded in large batches) and say what the portfolio covers."""
    ready, lost = [], []  # lost: (position, Skipped), reported in the portfolio's order
    for position, item in enumerate(items):
        try:
            check_proposal_text(item.text)
        except GdcAssistantError as exc:
            lost.append((position, Skipped(item.id, str(exc))))
            continue
        passages = split_proposal(item.text, embedder=index.embedder)
        if not passages:
            lost.append((position, Skipped(item.id, "the text has no letters or digits")))
            continue
        ready.append((position, item, passages))
    maps = map_passages(index, [(i.text, p) for _, i, p in ready], k=k, progress=progress)
    kept_items, kept_maps = [], []
    for (position, item, _), pmap in zip(ready, maps, strict=True):
        if pmap.notice:
            lost.append((position, Skipped(item.id, pmap.notice)))
        else:
            kept_items.append(item)
            kept_maps.append(pmap)
    lost = [*skipped, *(s for _, s in sorted(lost, key=lambda row: row[0]))]
    return _with_coverage(index.corpus, kept_items, kept_maps, lost)


def _with_coverage(corpus, items, maps, skipped) -> Portfolio:
    commitments = []
    for i, c in enumerate(corpus.commitments):
        support = [  # the proposals for which it is relevant, as map-proposal decides
            (m.scores[i], item.id)
            for item, m in zip(items, maps, strict=True)
            if m.similarities[i] >= RELEVANT_MIN
        ]
        commitments.append(_coverage(c.id, support))
    sdgs = [_coverage(sdg, _target_support(items, maps, "sdgs", sdg)) for sdg in corpus.sdg_names]
    lines = [
        _coverage(code, _target_support(items, maps, "action_lines", code))
        for code in corpus.action_line_names
    ]
    return Portfolio(
        tuple(items), tuple(maps), tuple(commitments), tuple(sdgs), tuple(lines), tuple(skipped)
    )


def _target_support(items, maps, field: str, key) -> list[tuple[float, str]]:
    support = []
    for item, pmap in zip(items, maps, strict=True):
        for s in getattr(pmap, field)[:COVERAGE_TOP]:
            if s.key == key:
                support.append((s.score, item.id))
    return support


def _coverage(key, support: list[tuple[float, str]]) -> Coverage:
    support.sort(key=lambda row: -row[0])  # strongest supporter first
    return Coverage(key, tuple(i for _, i in support), max((s for s, _ in support), default=0.0))
