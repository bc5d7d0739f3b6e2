"""Query understanding: SDG / Action Line / objective / section mentions -> filters and intents.

Pure functions, no model and no index: everything here is table-driven and tested as such.
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Commitment, ObjectiveKey


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
