"""One filter parser for the CLI, the UI and the REST API: raw values -> Filters.

`parse_filters(sdgs=("5",), action_lines=("c7 e-health",), objectives=("follow-up",))` gives the
Filters the search applies; a value that does not exist raises InvalidFilterError with the fix.
"" and None mean "any" (an empty dropdown), so every caller can pass what it received.
"""

from __future__ import annotations

from collections.abc import Iterable

from .corpus import Filters, ObjectiveKey, normalise_action_line
from .errors import InvalidFilterError

_FOLLOW_UP = {"follow-up", "followup", "follow up", "fr"}


def parse_filters(
    *,
    sdgs: Iterable[object] = (),
    action_lines: Iterable[object] = (),
    objectives: Iterable[object] = (),
    explicit_only: bool = False,
) -> Filters | None:
    """Filters from raw values (strings or numbers), or None when nothing is constrained."""
    numbers = tuple(parse_sdg(v) for v in _given(sdgs))
    codes = tuple(parse_action_line(v) for v in _given(action_lines))
    keys = tuple(parse_objective(v) for v in _given(objectives))
    if not (numbers or codes or keys or explicit_only):
        return None
    return Filters(
        sdgs=_unique(numbers),
        action_lines=_unique(codes),
        objectives=_unique(keys),
        include_all=not explicit_only,
    )


def parse_sdg(value: object) -> int:
    """'5' or 5 -> 5; anything outside 1-17 raises InvalidFilterError."""
    text = str(value).strip().removeprefix("SDG").removeprefix("sdg").strip()
    if not (text.isdigit() and 1 <= int(text) <= 17):
        raise InvalidFilterError(f"there is no SDG {str(value).strip()!r}: SDGs run from 1 to 17.")
    return int(text)


def parse_action_line(value: object) -> str:
    """'c7 e-health' -> 'C7 E-health'; a code that does not exist raises InvalidFilterError."""
    try:
        return normalise_action_line(str(value))
    except ValueError as exc:
        raise InvalidFilterError(f"{exc}; use C1-C11 or e.g. 'C7 E-health'.") from exc


def parse_objective(value: object) -> ObjectiveKey:
    """'3' or 3 -> 3, 'follow-up' (or 'FR') -> 'follow-up'; others raise InvalidFilterError."""
    text = str(value).strip().lower()
    if text in _FOLLOW_UP:
        return "follow-up"
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    raise InvalidFilterError(f"there is no objective {str(value).strip()!r}: use 1-5 or follow-up.")


def _given(values: Iterable[object] | object) -> list[object]:
    # One value is accepted where a sequence is expected (an API caller's "sdg": 5).
    if values is None or isinstance(values, str | int):
        values = (values,)
    return [v for v in values if v is not None and str(v).strip() != ""]


def _unique(values: tuple) -> tuple:
    return tuple(dict.fromkeys(values))
