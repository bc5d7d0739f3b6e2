"""What a question can mention: kinds (SDG, Action Line, ...), strengths, and the Mention value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class MentionKind(Enum):
    SDG = "sdg"
    ACTION_LINE = "action_line"
    OBJECTIVE = "objective"
    SECTION = "section"
    ALL_SDGS = "all_sdgs"  # the source's statement "All SDGs" as a scope of its own
    ALL_ACTION_LINES = "all_action_lines"
    NO_SDG = "no_sdg"  # "no SDG": the commitments the source gives no SDG for
    COMMITMENT = "commitment"  # a commitment id such as O3-IG-04


class Strength(Enum):
    STRONG = "strong"  # becomes a filter; its words leave the topic
    WEAK = "weak"  # a boost hint; its words stay in the topic


@dataclass(frozen=True)
class Mention:
    """One recognised reference to the framework, with its character span in the question."""

    kind: MentionKind
    value: int | str | None  # 5, "C10", "C7 E-health", 3, "follow-up", "Internet governance"
    start: int
    end: int
    text: str
    strength: Strength
    error: str | None = None  # set for numbers outside the framework ("there is no SDG 18 ...")

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def valid(self) -> bool:
        return self.error is None


# Short names for the kinds and strengths, shared by the query modules.
STRONG, WEAK = Strength.STRONG, Strength.WEAK
SDG, AL, OBJ, SEC = (
    MentionKind.SDG,
    MentionKind.ACTION_LINE,
    MentionKind.OBJECTIVE,
    MentionKind.SECTION,
)
