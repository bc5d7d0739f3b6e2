"""A scope's own name in the question is part of the scope, not a topic.

"SDG 4 Quality Education", "Objective 2: digital economy", "C10 (ethische Dimensionen)", "ODD 5
sur l'égalité entre les sexes", "ЦУР 1 «Ликвидация нищеты»", "C1, also der Rolle von Regierungen
...": the words after (or around) a code that only name that code, in any of eight languages and
any inflection, leave the topic with the code.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from ..corpus import load_action_line_names, load_objectives, load_sdg_names
from .kinds import AL, OBJ, SDG, SEC, STRONG, WEAK, Mention, MentionKind
from .names import fold, names_of
from .patterns import NAMES
from .topic import is_stop_word, topic_tokens

# "C10 (ethische Dimensionen)", "SDG 5 (igualdad de género)", "C8（文化多样性…）": the code's label.
_BRACKETED = re.compile(r"\s*[(（][^()（）]{1,120}[)）]")
_ARABIC_CLITICS = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")


def absorb_names(mentions: list[Mention]) -> list[Mention]:
    """A weak name of a code the question names strongly ("objective 4 on data governance",
    "l'ODD 5 sur l'égalité entre les sexes") is that code's label: it becomes strong too."""
    named = {(m.kind, m.value) for m in mentions if m.strength is STRONG and m.valid}
    return [
        replace(m, strength=STRONG) if m.strength is WEAK and (m.kind, m.value) in named else m
        for m in mentions
    ]


def with_bracketed_labels(text: str, mentions: list[Mention]) -> list[Mention]:
    """A bracketed phrase right after an SDG or Action Line code is its label, in any language:
    the mention takes it in, so it is no topic."""
    out = []
    for m in mentions:
        label = _BRACKETED.match(text, m.end)
        if m.strength is STRONG and m.kind in (SDG, AL) and label:
            m = replace(m, end=label.end())
        out.append(m)
    return out


def _stem(word: str) -> str:
    word = fold(word).casefold()
    return _ARABIC_CLITICS.sub("", word) if len(word) > 4 else word


def _same_word(a: str, b: str) -> bool:
    """Equal, or the same word inflected: a shared start of 4+ letters, most of the shorter."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= 4 and shared >= 0.6 * min(len(a), len(b))


@cache
def _english_names(kind: MentionKind, value: int | str) -> tuple[str, ...]:
    own = tuple(p for p, k, v, _ in NAMES if (k, v) == (kind, value))
    if kind is SDG:
        return own + (load_sdg_names().get(int(value), ""),)
    if kind is AL:
        return own + (load_action_line_names().get(str(value), ""),)
    if kind is OBJ:
        return own + tuple(o.title for o in load_objectives() if o.objective == value)
    return own + ((str(value),) if kind is SEC else ())


@cache
def _name_words(kind: MentionKind, value: int | str) -> frozenset[str]:
    names = _english_names(kind, value) + names_of(kind, value)
    return frozenset(_stem(w) for name in names for w in topic_tokens(name))


def is_scope_name(topic: str, mentions: list[Mention]) -> bool:
    """True when every topical word left is a word of a name of the codes the question names
    strongly ("Ликвидация нищеты" with "ЦУР 1"): at least two such words, one whole name, or
    one word left over from a name the question already gives ("C8 ... الثقافي واللغوي")."""
    words = [_stem(w) for w in topic_tokens(topic) if not is_stop_word(w)]
    scoped = {(m.kind, m.value) for m in mentions if m.strength is STRONG and m.valid}
    if not words or not scoped:
        return False
    vocabulary = frozenset().union(*(_name_words(*key) for key in scoped))
    covered = all(any(_same_word(w, n) for n in vocabulary) for w in words)
    if not covered:
        return False
    whole = any(
        fold(topic).casefold() == fold(name).casefold()
        for key in scoped
        for name in _english_names(*key) + names_of(*key)
    )
    named = any(m.strength is STRONG and not _DIGIT.search(m.text) for m in mentions)
    return whole or named or len(words) >= (4 if _CJK.search(topic) else 2)
