"""SDG and WSIS Action Line suggestions from two kinds of evidence.

- The matrix: the related commitments' mappings. Each commitment counts once, with its relevance
  (score / rank) spread evenly over the targets it names, so a broad commitment naming 12 Action
  Lines adds a twelfth of its weight to each and cannot drown the proposal's own theme. A
  mapping only through "All SDGs" / "All WSIS Action Lines" is worth ALL_WEIGHT of that.
- Direct evidence: the proposal's passages compared with the SDG goal statements and targets and
  the Action Line descriptions (corpus/descriptions.json); a target's direct score is its best
  passage (for an SDG, the best of its goal statement and its targets).

Both are scaled to [0, 1] within the proposal and mixed: MATRIX_SHARE x matrix + the rest x direct.
Measured on the dev judged proposals (bench/proposal.py --quality): the mix beats either alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus import ALL_ACTION_LINES, ALL_SDGS, Commitment

MATRIX_COMMITMENTS = 10  # the best related commitments whose mappings count
MATRIX_SHARE = 0.4  # dev: 0.4 gave the best SDG + Action Line recall@5 with telemedicine right
ALL_WEIGHT = 0.25  # what a mapping through "All ..." is worth, before spreading over all targets
DIRECT_PASSAGES = 2  # passages kept as direct evidence per target


@dataclass(frozen=True)
class Evidence:
    """Matrix evidence: a related commitment mapped to the target, and what it contributed."""

    commitment: str  # commitment id
    explicit: bool  # False: the commitment reaches the target only through "All ..."
    weight: float
    passages: tuple[int, ...]  # the passages that matched the commitment best


@dataclass(frozen=True)
class PassageEvidence:
    """Direct evidence: a passage compared with the target's statement or description."""

    passage: int
    score: float  # cosine similarity


@dataclass(frozen=True)
class Suggestion:
    """An SDG (key: its number) or Action Line (key: its code) suggested for the proposal."""

    key: int | str
    name: str
    score: float  # MATRIX_SHARE x matrix + (1 - MATRIX_SHARE) x direct, both scaled to [0, 1]
    explicit: bool  # a related commitment names it explicitly (not only through "All ...")
    matrix: float  # the matrix part, scaled
    direct: float  # the direct part, scaled
    evidence: tuple[Evidence, ...]
    passages: tuple[PassageEvidence, ...]

    @property
    def sdg(self) -> int:
        return int(self.key)

    @property
    def code(self) -> str:
        return str(self.key)


@dataclass(frozen=True)
class Related:
    """What suggest() needs of a related commitment: it, its score and its best passages."""

    commitment: Commitment
    score: float
    passages: tuple[int, ...]


def suggest_sdgs(
    related: Sequence[Related], direct: np.ndarray, *, names: dict[int, str]
) -> tuple[Suggestion, ...]:
    """SDG suggestions; direct[p, j] is passage p's similarity to SDG j + 1."""

    def targets(c: Commitment) -> tuple[tuple, bool]:
        return (ALL_SDGS if c.sdgs_all else c.sdgs), not c.sdgs_all

    return _suggest(related, direct, keys=list(names), names=names, targets=targets)


def suggest_action_lines(
    related: Sequence[Related], direct: np.ndarray, *, names: dict[str, str]
) -> tuple[Suggestion, ...]:
    """Action Line suggestions; direct[p, j] is passage p's similarity to the j-th Action Line
    of `names` (reference order: C1 ... C7, its sub-lines, ... C11)."""

    def targets(c: Commitment) -> tuple[tuple, bool]:
        return (ALL_ACTION_LINES if c.action_lines_all else c.action_lines), not c.action_lines_all

    return _suggest(related, direct, keys=list(names), names=names, targets=targets)


def _suggest(related, direct: np.ndarray, *, keys: list, names: dict, targets) -> tuple:
    position = {key: n for n, key in enumerate(keys)}
    matrix = np.zeros(len(keys))
    evidence: dict = {key: [] for key in keys}
    for rank, rc in enumerate(related[:MATRIX_COMMITMENTS], start=1):
        named, explicit = targets(rc.commitment)
        named = [t for t in named if t in position]
        if not named or rc.score <= 0:
            continue
        share = rc.score / rank / len(named) * (1.0 if explicit else ALL_WEIGHT)
        for target in named:
            matrix[position[target]] += share
            evidence[target].append(Evidence(rc.commitment.id, explicit, share, rc.passages))
    best = direct.max(axis=0) if len(direct) else np.zeros(len(keys))
    matrix_scaled = _scaled(matrix, low=0.0)
    direct_scaled = _scaled(best, low=float(best.min()) if len(best) else 0.0)
    scores = MATRIX_SHARE * matrix_scaled + (1 - MATRIX_SHARE) * direct_scaled
    rows = []
    for key in keys:
        j = position[key]
        found = sorted(evidence[key], key=lambda e: (not e.explicit, -e.weight))
        column = direct[:, j] if len(direct) else np.zeros(0)
        top = np.argsort(-column, kind="stable")[:DIRECT_PASSAGES]
        rows.append(
            Suggestion(
                key=key,
                name=names[key],
                score=float(scores[j]),
                explicit=any(e.explicit for e in found),
                matrix=float(matrix_scaled[j]),
                direct=float(direct_scaled[j]),
                evidence=tuple(found),
                passages=tuple(PassageEvidence(int(p), float(column[p])) for p in top),
            )
        )
    rows.sort(key=lambda s: (-round(s.score, 9), position[s.key]))
    return tuple(rows)


def _scaled(values: np.ndarray, *, low: float) -> np.ndarray:
    span = float(values.max()) - low if len(values) else 0.0
    if span <= 0:
        return np.zeros_like(values, dtype=float)
    return (values - low) / span
