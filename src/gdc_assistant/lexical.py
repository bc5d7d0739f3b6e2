"""BM25 over the commitments (bm25s, Snowball stemming), built once per index and language.

English questions are matched against the English text; a question in another language against
the commitments' translations into it (translations.py), with that language's Snowball stemmer
and stop words. Chinese, written without spaces, is matched on overlapping character pairs
(bigrams), the usual unit for Chinese BM25.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable

import numpy as np

from .index.manifest import embed_text
from .index.store import Index

CANDIDATES = 100  # how many of the best BM25 matches are returned

# Snowball stemmers (PyStemmer) and bm25s stop-word lists per language code.
STEMMERS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
}
STOPWORDS = {"en": "en", "fr": "fr", "es": "es", "de": "de", "pt": "pt", "ru": "ru"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

_LEXICAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def cjk_bigrams(text: str) -> str:
    """Chinese runs rewritten as space-separated overlapping character pairs ("数字鸿沟" ->
    "数字 字鸿 鸿沟"); other text is left as it is."""

    def pairs(match: re.Match) -> str:
        run = match.group(0)
        return " " + " ".join(run[i : i + 2] for i in range(max(1, len(run) - 1))) + " "

    return _CJK.sub(pairs, text)


class _Lexical:
    """BM25 over one language's version of the commitments (section and text)."""

    def __init__(self, ids: list[str], texts: list[str], *, language: str) -> None:
        import bm25s
        import Stemmer

        self.language = language
        name = STEMMERS.get(language)
        self.stemmer = Stemmer.Stemmer(name) if name else None
        self.stopwords = STOPWORDS.get(language)
        self.ids = ids
        self._tokenize = bm25s.tokenize
        self.model = bm25s.BM25()
        tokens = self._tokens([self._prepare(t) for t in texts], return_ids=False)
        self.model.index(tokens, show_progress=False)
        self.terms = {i: frozenset(words) for i, words in zip(ids, tokens, strict=True)}

    def _prepare(self, text: str) -> str:
        return cjk_bigrams(text) if self.language == "zh" else text

    def _tokens(self, texts: list[str], **kwargs):
        return self._tokenize(
            texts,
            stopwords=self.stopwords,
            stemmer=self.stemmer,
            show_progress=False,
            **kwargs,
        )

    def scores(self, text: str, *, top: int = CANDIDATES) -> dict[str, float]:
        """BM25 scores of the `top` best commitments, scaled so the best is 1."""
        tokens = self._tokens([self._prepare(text)], return_ids=False)[0]
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

    def term_coverage(self, text: str, ids: Iterable[str]) -> dict[str, float]:
        """Per commitment of `ids`, the share of the text's distinct terms (stemmed, stop words
        left out) that it uses: 1.0 for every commitment on a one-word topic it names."""
        terms = set(self._tokens([self._prepare(text)], return_ids=False)[0])
        if not terms:
            return {}
        return {i: len(terms & self.terms[i]) / len(terms) for i in ids if i in self.terms}

    def vocabulary_share(self, text: str) -> float:
        """The share of the text's words (stemmed, stop words left out) the commitments use."""
        tokens = self._tokens([self._prepare(text)], return_ids=False)[0]
        if not tokens:
            return 0.0
        return sum(t in self.model.vocab_dict for t in tokens) / len(tokens)


def lexical_scores(index: Index, text: str, *, language: str = "en") -> dict[str, float]:
    """BM25 scores of the best commitments for a text, scaled so the best is 1 (empty: no match,
    or no translation into `language` to match against)."""
    lexical = _lexical(index, language)
    return lexical.scores(text) if lexical is not None else {}


def term_coverage(
    index: Index, text: str, *, ids: Iterable[str], language: str = "en"
) -> dict[str, float]:
    """Per commitment of `ids`, the share of a text's terms it uses, in `language` (its
    translation; empty when there is none)."""
    lexical = _lexical(index, language)
    return lexical.term_coverage(text, ids) if lexical is not None else {}


def vocabulary_share(index: Index, text: str, *, language: str = "en") -> float:
    """The share of a text's words that the commitments use, in the text's language (its
    translation; English when there is none)."""
    lexical = _lexical(index, language) or _lexical(index, "en")
    return lexical.vocabulary_share(text)


def _lexical(index: Index, language: str) -> _Lexical | None:
    per_language = _LEXICAL.get(index)
    if per_language is None:
        per_language = _LEXICAL[index] = {}
    if language not in per_language:
        per_language[language] = _build(index, language)
    return per_language[language]


def _build(index: Index, language: str) -> _Lexical | None:
    commitments = index.corpus.commitments
    ids = [c.id for c in commitments]
    if language == "en":
        return _Lexical(ids, [embed_text(c) for c in commitments], language="en")
    translated = index.corpus.translations.get(language)
    if translated is None:
        return None
    return _Lexical(ids, [translated[i] for i in ids], language=language)
