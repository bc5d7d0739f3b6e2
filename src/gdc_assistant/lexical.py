"""BM25 over the commitments (bm25s, Snowball English stemming), built once per index."""

from __future__ import annotations

import weakref

import numpy as np

from .index.manifest import embed_text
from .index.store import Index

CANDIDATES = 100  # how many of the best BM25 matches are returned

_LEXICAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Lexical:
    """BM25 (bm25s, Snowball English stemming) over the commitments' section and text."""

    def __init__(self, index: Index) -> None:
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english")
        self.ids = [c.id for c in index.corpus.commitments]
        tokens = bm25s.tokenize(
            [embed_text(c) for c in index.corpus.commitments],
            stopwords="en",
            stemmer=self.stemmer,
            show_progress=False,
        )
        self.model = bm25s.BM25()
        self.model.index(tokens, show_progress=False)
        self._tokenize = bm25s.tokenize

    def scores(self, text: str, *, top: int = CANDIDATES) -> dict[str, float]:
        """BM25 scores of the `top` best commitments, scaled so the best is 1."""
        tokens = self._tokenize(
            [text], stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )[0]
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return {}
        raw = self.model.get_scores(known)
        best = float(np.max(raw))
        if best <= 0:
            return {}
        positive = np.flatnonzero(raw > 0)
        if len(positive) > top:
            positive = positive[np.argpartition(-raw[positive], top)[:top]]
        return {self.ids[i]: float(raw[i]) / best for i in positive}


def lexical_scores(index: Index, text: str) -> dict[str, float]:
    """BM25 scores of the best commitments for a text, scaled so the best is 1 (empty: no match)."""
    lexical = _LEXICAL.get(index)
    if lexical is None:
        lexical = _LEXICAL[index] = _Lexical(index)
    return lexical.scores(text)
