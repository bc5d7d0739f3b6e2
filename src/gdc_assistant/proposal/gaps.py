"""The gap view: what a proposal leaves out of its own leading SDGs and Action Lines.

For the LEADING best SDGs and Action Lines, every commitment the matrix maps there explicitly
(not through "All ...") that no passage addresses (no passage scores `addressed` or more), with
the closest passage and its score: the reviewer's question "what does this proposal leave out?".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..corpus import Commitment, Corpus

if TYPE_CHECKING:
    from .suggestions import Suggestion

LEADING = 3  # leading SDGs and leading Action Lines looked at


@dataclass(frozen=True)
class Gap:
    """A commitment mapped to one of the proposal's leading targets that no passage addresses."""

    kind: str  # "sdg" or "action_line"
    target: int | str  # SDG number or Action Line code
    target_name: str
    commitment: Commitment
    score: float  # the closest passage's similarity (below the addressed threshold)
    passage: int | None  # the closest passage (Passage.index)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "target": self.target,
            "target_name": self.target_name,
            "id": self.commitment.id,
            "text": self.commitment.text,
            "score": round(self.score, 4),
            "closest_passage": self.passage,
        }


def find_gaps(
    sims: np.ndarray,
    *,
    corpus: Corpus,
    sdgs: Sequence[Suggestion],
    action_lines: Sequence[Suggestion],
    addressed: float,
    leading: int = LEADING,
) -> tuple[Gap, ...]:
    """Gaps for the leading SDGs then Action Lines, each target's closest commitments first.

    sims[p, i] is passage p's similarity to corpus.commitments[i]."""
    gaps = []
    targets = [("sdg", s) for s in sdgs[:leading]] + [
        ("action_line", a) for a in action_lines[:leading]
    ]
    for kind, suggestion in targets:
        found = []
        for i, c in enumerate(corpus.commitments):
            if not _names(c, kind, suggestion.key):
                continue
            column = sims[:, i]
            best = int(np.argmax(column)) if len(column) else None
            score = float(column[best]) if best is not None else 0.0
            if score < addressed:
                found.append(Gap(kind, suggestion.key, suggestion.name, c, score, best))
        gaps += sorted(found, key=lambda g: -g.score)
    return tuple(gaps)


def _names(c: Commitment, kind: str, key: int | str) -> bool:
    if kind == "sdg":
        return not c.sdgs_all and key in c.sdgs
    return not c.action_lines_all and key in c.action_lines
