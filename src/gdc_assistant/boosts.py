"""Scope in the ranking: the bonus for commitments mapped to the SDGs and Action Lines a question
names (explicit above "All ..."), and the labels of the filters applied, shown as reasons."""

from __future__ import annotations

from .corpus import Commitment, Filters
from .query.mentions import MentionKind, Strength
from .query.parse import ParsedQuery


def mapping_boost(
    c: Commitment, parsed: ParsedQuery, *, explicit: float, via_all: float
) -> tuple[float, list[str]]:
    """The bonus for the SDGs and Action Lines a question names (`explicit` for an explicit
    mapping, `via_all` for one only through "All ..."), and the reasons to show."""
    bonus, reasons = 0.0, []
    sdgs, action_lines = named_sdgs_and_action_lines(parsed)
    for sdg in sdgs:
        if c.has_sdg(sdg, include_all=False):
            bonus, reasons = bonus + explicit, reasons + [f"explicit SDG {sdg}"]
        elif c.sdgs_all:
            bonus, reasons = bonus + via_all, reasons + [f"SDG {sdg} via All SDGs"]
    for code in action_lines:
        if c.has_action_line(code, include_all=False):
            bonus, reasons = bonus + explicit, reasons + [f"explicit {code}"]
        elif c.action_lines_all:
            bonus = bonus + via_all
            reasons = reasons + [f"{code} via All WSIS Action Lines"]
    return bonus, reasons


def named_sdgs_and_action_lines(parsed: ParsedQuery) -> tuple[list[int], list[str]]:
    """SDGs and Action Lines the question names, strongly (filters) or weakly (by name only)."""
    sdgs, lines = list(parsed.sdgs), list(parsed.action_lines)
    for m in parsed.mentions:
        if m.strength is Strength.WEAK and m.valid:
            if m.kind is MentionKind.SDG and m.value not in sdgs:
                sdgs.append(m.value)
            elif m.kind is MentionKind.ACTION_LINE and m.value not in lines:
                lines.append(m.value)
    return sdgs, lines


def filter_labels(constraints: list[Filters]) -> list[str]:
    labels = []
    for f in constraints:
        labels += [f"SDG {s}" for s in f.sdgs] + list(f.action_lines)
        labels += [f"objective {o}" for o in f.objectives] + list(f.sections)
    return labels
