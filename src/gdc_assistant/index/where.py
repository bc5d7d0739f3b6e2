"""Filters -> Chroma `where` clauses, and the metadata those clauses read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..corpus import Commitment, Filters


def where_all(filters: Sequence[Filters], *, language: str | None = None) -> dict | None:
    """One `where` clause meeting every filter (and, for translations, in `language`), or None
    when nothing is filtered."""
    clauses = [w for w in (_where(f) for f in filters) if w is not None]
    if language is not None:
        clauses.append({"language": language})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _where(filters: Filters) -> dict | None:
    clauses: list[dict] = []
    if filters.sdgs:
        options: list[dict] = [{"sdgs": {"$contains": s}} for s in filters.sdgs]
        if filters.include_all:
            options.append({"sdgs_all": True})
        clauses.append(_any(options))
    if filters.action_lines:
        options = [_action_line_clause(code) for code in filters.action_lines]
        if filters.include_all:
            options.append({"action_lines_all": True})
        clauses.append(_any(options))
    if filters.objectives:
        clauses.append(_any([{"objective": str(o)} for o in filters.objectives]))
    if filters.sections:
        clauses.append(_any([{"section": s} for s in filters.sections]))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _action_line_clause(code: str) -> dict:
    if code == "C7":  # a bare C7 matches every C7 sub-line
        return {"action_line_groups": {"$contains": "C7"}}
    return {"action_lines": {"$contains": code}}


def _any(options: list[dict]) -> dict:
    return options[0] if len(options) == 1 else {"$or": options}


def metadata(commitment: Commitment, text_hash: str, *, language: str = "en") -> dict:
    """Chroma metadata: list values must be non-empty, so empty lists are left out."""
    values: dict[str, Any] = {
        "language": language,
        "objective": str(commitment.objective),
        "section": commitment.section or "",
        "sdgs_all": commitment.sdgs_all,
        "action_lines_all": commitment.action_lines_all,
        "text_hash": text_hash,
    }
    if commitment.sdgs and not commitment.sdgs_all:
        values["sdgs"] = list(commitment.sdgs)
    if commitment.action_lines and not commitment.action_lines_all:
        values["action_lines"] = list(commitment.action_lines)
        values["action_line_groups"] = sorted({a.split(" ")[0] for a in commitment.action_lines})
    return values
