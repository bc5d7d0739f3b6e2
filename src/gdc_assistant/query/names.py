"""The framework's names in eight languages: the table in `names.json` as rows and patterns.

English names with their own strengths live in `patterns.NAMES`; this module adds the official
names and short forms in French, Spanish, Arabic, Chinese, Russian, German and Portuguese, and
builds a pattern for a name in each script: accents and "ё" are folded (`fold`), Latin and
Cyrillic words may take an inflected ending, Arabic words their attached prefixes ("بال", "و"),
and Chinese names match without word boundaries.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from .kinds import AL, OBJ, SDG, STRONG, WEAK, MentionKind, Strength

_PATH = Path(__file__).with_name("names.json")
_KINDS = {"sdg": SDG, "action_line": AL, "objective": OBJ}
_AND = {"and", "et", "y", "e", "und", "и"}
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ALEF = "[اأإآ]"


@cache
def _fold_char(ch: str) -> str:
    if ch in "ёЁ":
        return "е" if ch == "ё" else "Е"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() and base.isalpha() and ch.isalpha() else ch


def fold(text: str) -> str:
    """Latin accents and "ё" folded, one character for one (spans stay valid)."""
    return "".join(_fold_char(ch) for ch in text)


def _value(kind: MentionKind, key: str) -> int | str:
    return int(key) if kind in (SDG, OBJ) else key


@cache
def name_rows() -> tuple[tuple[str, MentionKind, int | str, Strength, str], ...]:
    """(phrase, kind, value, strength, language) for every name in `names.json`."""
    table = json.loads(_PATH.read_text(encoding="utf-8"))
    rows = []
    for kind_key, kind in _KINDS.items():
        for key, entry in table[kind_key].items():
            strength = STRONG if entry["strength"] == "strong" else WEAK
            for field, field_strength in (("names", strength), ("short", WEAK)):
                for language, phrases in entry[field].items():
                    value = _value(kind, key)
                    rows += [(p, kind, value, field_strength, language) for p in phrases]
    return tuple(rows)


def _latin_word(word: str, language: str) -> str:
    if word.casefold() in _AND:
        return rf"(?:{re.escape(word)}|&)"
    parts = [re.escape(p).replace("'", "['’]") for p in fold(word).split("-")]
    ending = r"(?:e|en|er|es|em|n|s)?" if language == "de" else "s?"
    return r"[-\s]?".join(parts) + ending


def _cyrillic_word(word: str) -> str:
    word = fold(word)
    if word.casefold() in _AND:
        return re.escape(word)
    if len(word) >= 5:
        return re.escape(word[:-2]) + r"\w{0,3}"
    return re.escape(word) + (r"\w{0,2}" if len(word) >= 3 else "")


def _arabic_word(word: str) -> str:
    core = word.removeprefix("و") if len(word) > 3 else word
    core = core.removeprefix("ال") if len(core) > 3 else core
    body = "".join(_ALEF if ch in "اأإآ" else re.escape(ch) for ch in core)
    return r"(?:و|ف)?(?:ب|ل|ك)?(?:ال|ل)?" + body


def phrase_pattern(phrase: str, language: str) -> str:
    """A regular expression for one name in its language (to match against `fold`ed text)."""
    phrase = phrase.rstrip()
    if _CJK.search(phrase):
        return r"[、，,\s]*".join(re.escape(part) for part in re.split(r"[、，,\s]+", phrase))
    words = [w.rstrip(",") for w in phrase.split()]
    commas = [w.endswith(",") for w in phrase.split()]
    if _ARABIC.search(phrase):
        make = _arabic_word
    elif _CYRILLIC.search(phrase):
        make = _cyrillic_word
    else:
        make = lambda w: _latin_word(w, language)  # noqa: E731
    body = r"\s+".join(make(w) + (",?" if c else "") for w, c in zip(words, commas, strict=True))
    return r"(?<![\w-])" + body + r"(?![\w-])"


@cache
def c7_sub_names() -> dict[str, str]:
    """Folded, lower-cased C7 sub-line names in every language -> code ("e-sante" -> E-health)."""
    return {
        fold(phrase).casefold(): value
        for phrase, kind, value, _, _ in name_rows()
        if kind is AL and str(value).startswith("C7 ")
    }


def names_of(kind: MentionKind, value: int | str) -> tuple[str, ...]:
    """Every name in `names.json` for one SDG / Action Line / objective, all languages."""
    return tuple(p for p, k, v, _, _ in name_rows() if (k, v) == (kind, value))
