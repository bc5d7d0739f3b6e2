"""The source document -> Commitment records: mapping lines and the matrix's layout.

The source (corpus/source/gdc_wsis_sdg_matrix.txt) is a text export of a table and is irregular;
every irregularity the parser accepts is listed in corpus/README.md and has a test. Anything else
stops the build with a CorpusParseError naming the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .corpus import (
    AL_CODE,
    ALL_ACTION_LINES,
    ALL_SDGS,
    SOURCE_PATH,
    Commitment,
    Objective,
    ObjectiveKey,
    Section,
    action_line_key,
    load_objectives,
    normalise_action_line,
    write_corpus,
)
from .errors import CorpusError, CorpusParseError, InputReadError
from .inputs import read_text_file

# --------------------------------------------------------------------------- mapping lines

_AL_SPLIT = re.compile(r"\b(All WSIS Action Lines|WSIS Action(?: Lines?)?)\b")
_SDG_LIST = re.compile(r"^SDGs? (?P<list>.+)$")
_NUMBER = re.compile(r"\d+")
_LIST_SEPARATORS = re.compile(r"(,|&|\band\b|\s)+")


@dataclass(frozen=True)
class Mapping:
    sdgs: tuple[int, ...]
    sdgs_all: bool
    action_lines: tuple[str, ...]
    action_lines_all: bool


def is_mapping_line(line: str) -> bool:
    """True for the line under a commitment that gives its SDGs and Action Lines."""
    return bool(re.match(r"^(All SDGs|SDGs? \d|All WSIS Action Lines|WSIS Action)", line.strip()))


def parse_mapping(line: str, line_no: int = 0) -> Mapping:
    """Parse 'SDGs 10 & 11 WSIS Action Lines C1, C7 E-health and C11' and its variants."""
    text = " ".join(line.split())
    parts = _AL_SPLIT.split(text, maxsplit=1)
    sdg_part = parts[0].strip()
    if len(parts) == 1:
        raise CorpusParseError(line_no, f"mapping line has no WSIS Action Lines part: {text!r}")
    marker, al_part = parts[1], parts[2].strip()
    sdgs, sdgs_all = _parse_sdgs(sdg_part, line_no)
    if marker == "All WSIS Action Lines":
        if al_part:
            raise CorpusParseError(
                line_no, f"unexpected text after 'All WSIS Action Lines': {al_part!r}"
            )
        action_lines, action_lines_all = ALL_ACTION_LINES, True
    else:
        action_lines, action_lines_all = _parse_action_lines(al_part, line_no), False
    return Mapping(sdgs, sdgs_all, action_lines, action_lines_all)


def _parse_sdgs(text: str, line_no: int) -> tuple[tuple[int, ...], bool]:
    if text == "":
        return (), False  # the source gives Action Lines only (Objective 5, line 212)
    if text == "All SDGs":
        return ALL_SDGS, True
    match = _SDG_LIST.match(text)
    if match is None:
        raise CorpusParseError(line_no, f"cannot read the SDG part {text!r}")
    _check_only_separators(_NUMBER.sub("", match["list"]), text, line_no)
    numbers = sorted({int(n) for n in _NUMBER.findall(match["list"])})
    for number in numbers:
        if not 1 <= number <= 17:
            raise CorpusParseError(line_no, f"there is no SDG {number} (SDGs run 1 to 17)")
    return tuple(numbers), False


def _parse_action_lines(text: str, line_no: int) -> tuple[str, ...]:
    _check_only_separators(AL_CODE.sub("", text), text, line_no)
    codes = []
    for match in AL_CODE.finditer(text):
        try:
            codes.append(normalise_action_line(match.group(0)))
        except ValueError as exc:
            raise CorpusParseError(line_no, f"{exc} in {text!r}") from exc
    if not codes:
        raise CorpusParseError(line_no, f"no Action Line codes in {text!r}")
    return tuple(sorted(set(codes), key=action_line_key))


def _check_only_separators(rest: str, text: str, line_no: int) -> None:
    leftover = _LIST_SEPARATORS.sub("", rest)
    if leftover:
        raise CorpusParseError(line_no, f"unrecognised {leftover!r} in {text!r}")


# --------------------------------------------------------------------------- the document

_OBJECTIVE_HEADING = re.compile(r"^Objective (?P<num>\d+): (?P<title>.+)$")
_FOLLOW_UP_HEADING = "Follow-up and Review"
_NUMBERED_ITEM = re.compile(r"^(?P<num>\d+)\.\s+(?P<text>\S.*)$")
_BOILERPLATE = (re.compile(r"^Mapping of GDC .+"), re.compile(r"^Commitments and actions SDGs"))


@dataclass
class _Pending:
    """A commitment read from the text, waiting for its mapping line."""

    text: str
    line: int
    number: int | None  # the item's own number ("1.", "2."), None for a plain paragraph


def parse_source(path: Path | None = None) -> list[Commitment]:
    """Parse the source document into distinct commitments, in document order."""
    path = SOURCE_PATH if path is None else Path(path)
    try:  # bounded: the real source is about 60 KB
        lines = read_text_file(
            path, limit=10 * 1024 * 1024, what="the source text document", fix="is it the source?"
        ).text.splitlines()
    except InputReadError as exc:
        raise CorpusError(f"cannot read the source document: {exc}") from None
    return _Parser(load_objectives()).parse(lines)


class _Parser:
    def __init__(self, objectives: tuple[Objective, ...]) -> None:
        self.objectives = objectives
        self.objective: Objective | None = None
        self.section: Section | None = None
        self.pending: list[_Pending] = []
        self.records: list[Commitment] = []
        self.counters: dict[str, int] = {}

    def parse(self, lines: list[str]) -> list[Commitment]:
        for line_no, raw in enumerate(lines, start=1):
            self._line(line_no, raw.strip())
        if self.pending:
            self._missing_mapping(self.pending[-1].line)
        if self.objective is None:
            raise CorpusParseError(len(lines), "no 'Objective 1:' heading found")
        return self.records

    def _line(self, line_no: int, line: str) -> None:
        heading = self._objective_for_heading(line, line_no)
        if heading is not None:
            if self.pending:
                self._missing_mapping(self.pending[-1].line)
            self.objective, self.section = heading, None
            return
        if self.objective is None or not line or any(p.match(line) for p in _BOILERPLATE):
            return  # preamble before Objective 1, blank lines, table captions
        if is_mapping_line(line):
            self._mapping(line_no, line)
            return
        section = self._section_for_heading(line)
        if section is not None:
            if self.pending:
                self._missing_mapping(self.pending[-1].line)
            self.section = section
            return
        self._commitment_text(line_no, line)

    def _objective_for_heading(self, line: str, line_no: int) -> Objective | None:
        if line == _FOLLOW_UP_HEADING:
            return self._objective("follow-up", line_no)
        match = _OBJECTIVE_HEADING.match(line)
        if match is None:
            return None
        objective = self._objective(int(match["num"]), line_no)
        if objective.title != match["title"]:
            raise CorpusParseError(
                line_no,
                f"objective {objective.objective} is titled {match['title']!r} here but "
                f"{objective.title!r} in corpus/objectives.json",
            )
        return objective

    def _objective(self, key: ObjectiveKey, line_no: int) -> Objective:
        for objective in self.objectives:
            if objective.objective == key:
                return objective
        raise CorpusParseError(line_no, f"objective {key!r} is not in corpus/objectives.json")

    def _section_for_heading(self, line: str) -> Section | None:
        assert self.objective is not None
        for section in self.objective.sections:
            if section.title == line:
                return section
        return None

    def _commitment_text(self, line_no: int, line: str) -> None:
        match = _NUMBERED_ITEM.match(line)
        number = int(match["num"]) if match else None
        text = " ".join((match["text"] if match else line).split())
        if self.pending:
            # Several numbered items may share one mapping line only when they are numbered in
            # sequence (Objective 5: "1." to "4."); anything else means a mapping line is missing.
            previous = self.pending[-1].number
            if number is None or previous is None or number != previous + 1:
                self._missing_mapping(self.pending[-1].line)
        self.pending.append(_Pending(text=text, line=line_no, number=number))

    def _mapping(self, line_no: int, line: str) -> None:
        if not self.pending:
            raise CorpusParseError(line_no, f"mapping line with no commitment above it: {line!r}")
        mapping = parse_mapping(line, line_no)
        for item in self.pending:
            self._add(item, mapping, line_no, line)
        self.pending = []

    def _add(self, item: _Pending, mapping: Mapping, line_no: int, mapping_text: str) -> None:
        assert self.objective is not None
        section = self.section.title if self.section else None
        for index, existing in enumerate(self.records):
            if existing.text == item.text and existing.section == section:
                self.records[index] = self._merge_duplicate(existing, mapping, item.line, line_no)
                return
        self.records.append(
            Commitment(
                id=self._next_id(),
                objective=self.objective.objective,
                objective_title=self.objective.title,
                section=section,
                text=item.text,
                sdgs=mapping.sdgs,
                sdgs_all=mapping.sdgs_all,
                action_lines=mapping.action_lines,
                action_lines_all=mapping.action_lines_all,
                mapping_text=" ".join(mapping_text.split()),
                source_lines=(item.line, line_no),
                occurrences=1,
            )
        )

    @staticmethod
    def _merge_duplicate(
        existing: Commitment, mapping: Mapping, text_line: int, mapping_line: int
    ) -> Commitment:
        same = (existing.sdgs, existing.sdgs_all, existing.action_lines, existing.action_lines_all)
        if same != (mapping.sdgs, mapping.sdgs_all, mapping.action_lines, mapping.action_lines_all):
            raise CorpusParseError(
                text_line,
                f"commitment repeats line {existing.source_lines[0]} with a different mapping; "
                "decide which mapping is right before building the corpus",
            )
        return Commitment(
            **{
                **existing.__dict__,
                "source_lines": (*existing.source_lines, text_line, mapping_line),
                "occurrences": existing.occurrences + 1,
            }
        )

    def _next_id(self) -> str:
        assert self.objective is not None
        prefix = self.objective.key + (f"-{self.section.code}" if self.section else "")
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]:02d}"

    def _missing_mapping(self, text_line: int) -> None:
        raise CorpusParseError(
            text_line,
            "commitment has no SDG / WSIS Action Lines mapping line after it "
            "(expected a line such as 'SDG 9 WSIS Action Lines C1, C2')",
        )


def build_corpus(source: Path | None = None, output: Path | None = None) -> Path:
    """Parse the source document and write commitments.jsonl; returns the path written."""
    commitments = parse_source(source)
    if output is not None and not Path(output).parent.is_dir():
        raise CorpusError(
            f"cannot write {output}: the folder {Path(output).parent} does not exist. "
            "Create it first, or choose another --output path."
        )
    try:
        return write_corpus(commitments, output)
    except OSError as exc:
        raise CorpusError(f"cannot write {exc.filename}: {exc.strerror}.") from None
