"""Question sets for evaluation: the judged format, loaded and checked line by line.

The format is documented in eval/README.md; every problem is reported with its line and the fix.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import PROJECT_ROOT
from ..corpus import Corpus
from ..errors import EvaluationError, InputReadError
from ..inputs import MAX_JSONL_BYTES, json_type, read_text_file

QUESTIONS_PATH = PROJECT_ROOT / "eval" / "questions.jsonl"  # the dev split, read while tuning
TEST_QUESTIONS_PATH = PROJECT_ROOT / "eval" / "test_questions.jsonl"  # the blind test split
DEFAULT_QUESTION_FILES = (QUESTIONS_PATH, TEST_QUESTIONS_PATH)
QUESTION_TYPES = (
    "topic",
    "narrow",
    "everyday",
    "paraphrase",
    "sdg",
    "action_line",
    "objective",
    "count",
    "list",
    "lookup",
    "proposal",
    "follow_up",
    "non_english",
    "out_of_scope",
)
STRUCTURED_TYPES = ("count", "list", "lookup")
SPLITS = ("dev", "test")

_REQUIRED = ("id", "question", "type", "relevant")
_OPTIONAL = ("language", "split", "expected", "follows", "notes")
_EXAMPLE = (
    '{"id": "q001", "question": "Which commitments relate to data privacy?", "type": "topic", '
    '"language": "en", "split": "dev", "relevant": {"O4-DATA-PRIV-01": 2}}'
)
_EXPECTED_KEYS = {
    "count": {"explicit": int, "via_all": int, "total": int},
    "list": {"ids": list, "include_all": bool},
    "lookup": {
        "commitment": str,
        "sdgs": list,
        "sdgs_all": bool,
        "action_lines": list,
        "action_lines_all": bool,
    },
}


@dataclass(frozen=True)
class Question:
    """One judged question: relevant commitment id -> grade (2 answers it, 1 is related)."""

    id: str
    question: str
    type: str
    relevant: Mapping[str, int]
    language: str = "en"
    split: str = "dev"
    expected: Mapping[str, Any] | None = None
    follows: str | None = None
    notes: str | None = None
    line: int = 0

    @property
    def in_scope(self) -> bool:
        return bool(self.relevant)


def load_questions(path: Path | str, *, corpus: Corpus | None = None) -> list[Question]:
    """Read and validate a question set (JSON lines); EvaluationError lists every problem found."""
    path = Path(path)
    try:  # bounded, so /dev/zero or a huge file cannot exhaust memory; any BOM or encoding
        lines = read_text_file(
            path,
            limit=MAX_JSONL_BYTES,
            what="a JSON-lines question set (see eval/README.md)",
            fix="split the question set into several files.",
        ).text.splitlines()
    except InputReadError as exc:
        raise EvaluationError(f"cannot read the question set: {exc}") from None
    ids = {c.id for c in corpus} if corpus is not None else None
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            question = _parse_question(text, number, ids, seen)
        except _LineProblem as exc:
            problems.append(f"{path.name} line {number}: {exc}")
            continue
        seen[question.id] = number
        questions.append(question)
    if not problems and not questions:
        problems.append(
            f"{path.name} has no questions. Each line is one JSON object, e.g. {_EXAMPLE}"
        )
    if problems:
        shown = problems[:20] + (
            [f"... and {len(problems) - 20} more"] if len(problems) > 20 else []
        )
        if len(problems) == 1:
            raise EvaluationError(f"invalid question set: {problems[0]}")
        raise EvaluationError("invalid question set:\n  " + "\n  ".join(shown))
    return questions


def load_question_files(
    paths: Sequence[Path | str], *, corpus: Corpus | None = None
) -> list[Question]:
    """Several question sets read as one; an id used in two files is an error."""
    questions: list[Question] = []
    first_file: dict[str, str] = {}
    for path in paths:
        for question in load_questions(path, corpus=corpus):
            if question.id in first_file:
                raise EvaluationError(
                    f"duplicate id {question.id!r} in {Path(path).name} (first used in "
                    f"{first_file[question.id]}); ids must be unique across question sets"
                )
            first_file[question.id] = Path(path).name
            questions.append(question)
    return questions


class _LineProblem(Exception):
    """One line's problem, turned into a line-numbered message by load_questions."""


def _parse_question(text: str, number: int, ids: set[str] | None, seen: dict[str, int]) -> Question:
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise _LineProblem(f"not valid JSON ({exc}). Each line must be one JSON object.") from None
    if not isinstance(record, dict):
        raise _LineProblem(f"expected a JSON object like {_EXAMPLE}")
    missing = [name for name in _REQUIRED if name not in record]
    if missing:
        raise _LineProblem(
            f"missing field(s) {', '.join(missing)}; a question looks like {_EXAMPLE}"
        )
    unknown = sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _LineProblem(
            f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(_REQUIRED + _OPTIONAL)}"
        )
    qid, qtype = record["id"], record["type"]
    if not isinstance(qid, str) or not qid.strip():
        raise _LineProblem('`id` must be a non-empty string such as "q001"')
    if qid in seen:
        raise _LineProblem(
            f"duplicate id {qid!r} (first used on line {seen[qid]}); ids must be unique"
        )
    if not isinstance(record["question"], str) or not record["question"].strip():
        got = json_type(record["question"])
        raise _LineProblem(f"`question` must be a non-empty string, not {got}")
    if qtype not in QUESTION_TYPES:
        raise _LineProblem(f"unknown type {qtype!r}; use one of: {', '.join(QUESTION_TYPES)}")
    split = record.get("split", "dev")
    if split not in SPLITS:
        raise _LineProblem(f'split {split!r} must be "dev" or "test"')
    language = record.get("language", "en")
    if not isinstance(language, str) or not language.strip():
        raise _LineProblem('`language` must be a language code such as "en" or "fr"')
    relevant = _check_relevant(record["relevant"], qtype, ids)
    follows = record.get("follows")
    if follows is not None and follows not in seen:
        raise _LineProblem(
            f"follows {follows!r}, which is not the id of an earlier question in this file; "
            "put the first question of the conversation above its follow-up"
        )
    if qtype == "follow_up" and follows is None:
        raise _LineProblem(
            'a follow_up question needs "follows": the id of the question it follows'
        )
    expected = record.get("expected")
    if expected is not None:
        _check_expected(expected, qtype, ids)
    notes = record.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise _LineProblem("`notes` must be a string")
    return Question(
        id=qid,
        question=record["question"],
        type=qtype,
        relevant=relevant,
        language=language,
        split=split,
        expected=expected,
        follows=follows,
        notes=notes,
        line=number,
    )


def _check_relevant(relevant: object, qtype: str, ids: set[str] | None) -> dict[str, int]:
    if not isinstance(relevant, dict):
        raise _LineProblem(
            '`relevant` must be an object of commitment id -> grade, e.g. {"O2-04": 2}'
        )
    for cid, grade in relevant.items():
        if isinstance(grade, bool) or grade not in (1, 2):
            raise _LineProblem(
                f"grade {grade!r} for {cid!r} must be 2 (directly answers) or 1 (related); "
                "leave non-relevant commitments out"
            )
        _check_id(cid, ids, "relevant")
    if qtype == "out_of_scope" and relevant:
        raise _LineProblem('an out_of_scope question must have "relevant": {}')
    if qtype != "out_of_scope" and not relevant:
        raise _LineProblem(
            f"`relevant` is empty for a {qtype} question: judge at least one commitment, "
            "or make it type out_of_scope"
        )
    return dict(relevant)


def _check_id(cid: object, ids: set[str] | None, where: str) -> None:
    if not isinstance(cid, str):
        raise _LineProblem(f"commitment ids in `{where}` must be strings, got {cid!r}")
    if ids is not None and cid not in ids:
        close = difflib.get_close_matches(cid, sorted(ids), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _LineProblem(
            f"unknown commitment id {cid!r} in `{where}`{hint}; ids are listed in "
            "corpus/commitments.jsonl"
        )


def _check_expected(expected: object, qtype: str, ids: set[str] | None) -> None:
    if qtype not in STRUCTURED_TYPES:
        raise _LineProblem(f"`expected` is only for count, list and lookup questions, not {qtype}")
    keys = _EXPECTED_KEYS[qtype]
    if not isinstance(expected, dict) or set(expected) != set(keys):
        raise _LineProblem(
            f"`expected` for a {qtype} question must have exactly: {', '.join(keys)}"
        )
    for name, kind in keys.items():
        value = expected[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _LineProblem(f"expected.{name} must be a {kind.__name__}, got {value!r}")
    if qtype == "count" and expected["explicit"] + expected["via_all"] != expected["total"]:
        raise _LineProblem("expected.total must equal expected.explicit + expected.via_all")
    if qtype == "list":
        for cid in expected["ids"]:
            _check_id(cid, ids, "expected.ids")
    if qtype == "lookup":
        _check_id(expected["commitment"], ids, "expected.commitment")
