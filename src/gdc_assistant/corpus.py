"""The GDC matrix as data: Commitment records, the Corpus, and the reference tables.

Records are read from corpus/commitments.jsonl, which source.py generates from the source document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from .config import PROJECT_ROOT
from .errors import CorpusError
from .situations import load_situations, situations_path
from .translations import load_translations, translations_folder

CORPUS_DIR = PROJECT_ROOT / "corpus"
SOURCE_PATH = CORPUS_DIR / "source" / "gdc_wsis_sdg_matrix.txt"
COMMITMENTS_PATH = CORPUS_DIR / "commitments.jsonl"

ObjectiveKey = int | Literal["follow-up"]
ALL_SDGS = tuple(range(1, 18))
ALL_ACTION_LINES = tuple(f"C{n}" for n in range(1, 12))
C7_SUBLINES = (
    "E-government",
    "E-business",
    "E-learning",
    "E-health",
    "E-employment",
    "E-environment",
    "E-agriculture",
    "E-science",  # an official C7 sub-line the source never names
)


# --------------------------------------------------------------------------- reference tables


@dataclass(frozen=True)
class Section:
    title: str
    code: str


@dataclass(frozen=True)
class Objective:
    objective: ObjectiveKey
    key: str
    title: str
    sections: tuple[Section, ...]


def _read_json(name: str) -> list[dict]:
    path = CORPUS_DIR / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(
            f"cannot read reference table {path}: {exc}. Restore it from git."
        ) from exc


def load_sdg_names() -> dict[int, str]:
    """SDG number -> short official name, from corpus/sdgs.json."""
    return {row["sdg"]: row["name"] for row in _read_json("sdgs.json")}


def load_action_line_names() -> dict[str, str]:
    """Action Line code ('C10', 'C7 E-health') -> official name, from corpus/action_lines.json."""
    return {row["code"]: row["name"] for row in _read_json("action_lines.json")}


def load_objectives() -> tuple[Objective, ...]:
    """The five objectives plus Follow-up and Review, with their sections, in document order."""
    return tuple(
        Objective(
            objective=row["objective"],
            key=row["key"],
            title=row["title"],
            sections=tuple(Section(**s) for s in row["sections"]),
        )
        for row in _read_json("objectives.json")
    )


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Commitment:
    """One distinct GDC commitment with its mapping, exactly as the source states it."""

    id: str
    objective: ObjectiveKey
    objective_title: str
    section: str | None
    text: str
    sdgs: tuple[int, ...]
    sdgs_all: bool
    action_lines: tuple[str, ...]
    action_lines_all: bool
    mapping_text: str
    source_lines: tuple[int, ...]
    occurrences: int

    def to_dict(self) -> dict:
        """Plain-JSON form, field names as in commitments.jsonl."""
        record = asdict(self)
        record["sdgs"] = list(self.sdgs)
        record["action_lines"] = list(self.action_lines)
        record["source_lines"] = list(self.source_lines)
        return record

    @classmethod
    def from_dict(cls, record: dict) -> Commitment:
        return cls(
            **{
                **record,
                "sdgs": tuple(record["sdgs"]),
                "action_lines": tuple(record["action_lines"]),
                "source_lines": tuple(record["source_lines"]),
            }
        )

    def has_sdg(self, sdg: int, *, include_all: bool = True) -> bool:
        """True when the source maps this commitment to `sdg` (through "All SDGs" if allowed)."""
        if self.sdgs_all:
            return include_all
        return sdg in self.sdgs

    def has_action_line(self, code: str, *, include_all: bool = True) -> bool:
        """True when mapped to `code`; a bare 'C7' matches every C7 sub-line."""
        if self.action_lines_all:
            return include_all
        code = normalise_action_line(code)
        if code == "C7":
            return any(line.startswith("C7") for line in self.action_lines)
        return code in self.action_lines


@dataclass(frozen=True)
class Filters:
    """Hard constraints on results. Within one field values are alternatives (any of);
    across fields all must hold. `include_all` decides whether "All SDGs" / "All WSIS
    Action Lines" mappings satisfy an SDG / Action Line constraint."""

    sdgs: tuple[int, ...] = ()
    action_lines: tuple[str, ...] = ()
    objectives: tuple[ObjectiveKey, ...] = ()
    sections: tuple[str, ...] = ()
    include_all: bool = True

    @property
    def is_empty(self) -> bool:
        return not (self.sdgs or self.action_lines or self.objectives or self.sections)

    def matches(self, commitment: Commitment) -> bool:
        """True when the commitment satisfies every constraint."""
        c, all_ok = commitment, self.include_all
        return (
            (not self.sdgs or any(c.has_sdg(s, include_all=all_ok) for s in self.sdgs))
            and (
                not self.action_lines
                or any(c.has_action_line(a, include_all=all_ok) for a in self.action_lines)
            )
            and (not self.objectives or c.objective in self.objectives)
            and (
                not self.sections
                or (c.section or "").casefold() in {s.casefold() for s in self.sections}
            )
        )


@dataclass(frozen=True)
class Corpus:
    """All commitments in document order, plus the reference tables."""

    commitments: tuple[Commitment, ...]
    sdg_names: dict[int, str]
    action_line_names: dict[str, str]
    objectives: tuple[Objective, ...]
    # language -> commitment id -> translated "section: text", for matching only (translations.py)
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    # commitment id -> everyday situations it addresses, for matching only (situations.py)
    situations: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def __len__(self) -> int:
        return len(self.commitments)

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self.commitments)

    def get(self, commitment_id: str) -> Commitment:
        """The commitment with this id; KeyError names the id if there is none."""
        for commitment in self.commitments:
            if commitment.id == commitment_id:
                return commitment
        raise KeyError(f"no commitment with id {commitment_id!r}")

    def objective(self, key: ObjectiveKey) -> Objective:
        for objective in self.objectives:
            if objective.objective == key:
                return objective
        raise KeyError(f"no objective {key!r}")

    def filter(
        self,
        *,
        sdg: int | None = None,
        action_line: str | None = None,
        objective: ObjectiveKey | None = None,
        section: str | None = None,
        include_all: bool = True,
    ) -> tuple[Commitment, ...]:
        """Commitments matching every given criterion; `include_all` counts "All ..." mappings."""
        return tuple(
            c
            for c in self.commitments
            if (sdg is None or c.has_sdg(sdg, include_all=include_all))
            and (action_line is None or c.has_action_line(action_line, include_all=include_all))
            and (objective is None or c.objective == objective)
            and (section is None or (c.section or "").casefold() == section.casefold())
        )

    def by_sdg(self, sdg: int, *, include_all: bool = True) -> tuple[Commitment, ...]:
        """Commitments mapped to one SDG."""
        return self.filter(sdg=sdg, include_all=include_all)

    def by_action_line(self, code: str, *, include_all: bool = True) -> tuple[Commitment, ...]:
        """Commitments mapped to one Action Line ('C7' matches any C7 sub-line)."""
        return self.filter(action_line=code, include_all=include_all)

    def by_objective(self, objective: ObjectiveKey) -> tuple[Commitment, ...]:
        """Commitments under one objective (1-5 or 'follow-up')."""
        return self.filter(objective=objective)

    def by_section(self, section: str) -> tuple[Commitment, ...]:
        """Commitments under one sub-heading, matched case-insensitively."""
        return self.filter(section=section)


def load_corpus(path: Path | None = None) -> Corpus:
    """Load commitments.jsonl (default: the checked-in corpus) with the reference tables."""
    path = COMMITMENTS_PATH if path is None else Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(
            f"cannot read the corpus at {path}: {exc.strerror}. "
            "Run `gdc-assistant corpus build` to regenerate it from the source document."
        ) from exc
    try:
        commitments = tuple(Commitment.from_dict(json.loads(line)) for line in lines if line)
    except (ValueError, TypeError, KeyError) as exc:
        raise CorpusError(
            f"the corpus at {path} is damaged ({exc}). "
            "Run `gdc-assistant corpus build` to regenerate it from the source document."
        ) from exc
    _check_commitments(commitments, path)
    ids = tuple(c.id for c in commitments)
    return Corpus(
        commitments=commitments,
        sdg_names=load_sdg_names(),
        action_line_names=load_action_line_names(),
        objectives=load_objectives(),
        translations=load_translations(translations_folder(path), ids=ids),
        situations=load_situations(situations_path(path), ids=ids),
    )


def _check_commitments(commitments: tuple[Commitment, ...], path: Path) -> None:
    """An empty corpus or one id used twice would build an index that answers wrongly."""
    fix = "Run `gdc-assistant corpus build` to regenerate it from the source document."
    if not commitments:
        raise CorpusError(f"the corpus at {path} has no commitments. {fix}")
    seen: set[str] = set()
    for commitment in commitments:
        if commitment.id in seen:
            raise CorpusError(
                f"the corpus at {path} uses the id {commitment.id!r} more than once; ids must "
                f"be unique. {fix}"
            )
        seen.add(commitment.id)


def write_corpus(commitments: Iterable[Commitment], path: Path | None = None) -> Path:
    """Write commitments as JSON lines; same input, byte-identical output."""
    path = COMMITMENTS_PATH if path is None else Path(path)
    text = "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in commitments)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- Action Line codes

AL_CODE = re.compile(r"\bC(?P<num>\d+)(?:\s+(?P<sub>[Ee]-[A-Za-z]+))?")


def normalise_action_line(code: str) -> str:
    """'c7 e-health' -> 'C7 E-health'; raises ValueError for codes that do not exist."""
    match = AL_CODE.fullmatch(code.strip().upper().replace("  ", " "))
    if match is None:
        raise ValueError(f"not an Action Line code: {code!r}")
    number = int(match["num"])
    if not 1 <= number <= 11:
        raise ValueError(f"there is no WSIS Action Line C{number} (they run C1 to C11)")
    if match["sub"] is None:
        return f"C{number}"
    sub = "E-" + match["sub"][2:].lower()
    if number != 7 or sub not in C7_SUBLINES:
        raise ValueError(f"unknown Action Line C{number} {sub}")
    return f"C7 {sub}"


def action_line_key(code: str) -> tuple[int, int]:
    number, _, sub = code.partition(" ")
    return int(number[1:]), (C7_SUBLINES.index(sub) + 1 if sub else 0)
