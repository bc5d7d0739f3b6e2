"""search(): dense + lexical retrieval, fused, filtered -> list[Hit]. (Work in progress.)"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .corpus import Commitment
from .query import Filters


class Retriever(Enum):
    DENSE = "dense"
    LEXICAL = "lexical"
    HYBRID = "hybrid"


@dataclass(frozen=True)
class Hit:
    """One commitment returned for a query, with its score and why it matched."""

    commitment: Commitment
    score: float
    rank: int
    reasons: tuple[str, ...]  # e.g. ("dense", "lexical", "filter: SDG 5 (explicit)")
    confident: bool
