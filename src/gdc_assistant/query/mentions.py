"""Mention recognition: SDG / Action Line / objective / section / commitment-id references.

Pure functions, no model and no index: everything here is table-driven and tested as such.

Design decision: strong and weak mentions
-----------------------------------------
A mention is *strong* when the user names the framework itself: an explicit code or number
("SDG 5", "goal 16", "C10", "action line 9", "objective 3", "Objective IV", "ODD 5"), an
official name that nobody writes as an ordinary topic ("Peace, Justice and Strong Institutions",
"Ethical dimensions of the Information Society", "Follow-up and Review"), or any name framed by
its kind or by a scoping verb ("the gender equality SDG", "the Media Action Line", "the
Connectivity section", "mapped to gender equality", "under human rights"). Strong mentions become
hard filters and their words leave the topic.

A name that is also an everyday topic ("gender equality", "media", "capacity building",
"connectivity", "human rights", "poverty", "data governance", "e-health") is *weak*: it is
recorded (so retrieval can boost commitments mapped there) but its words stay in the topic and it
never filters, because a user asking about "human rights" wants commitments on human rights, not
only the four under the "Human rights" sub-heading. A test checks that no strong name occurs in any
commitment's text, so a hard filter can never hide a commitment that uses those very words.

A number outside the framework ("SDG 18", "C12", "objective 7") is an *invalid* mention: kept with
an `error` message ("there is no SDG 18 ...") so the caller can say so, never silently dropped and
never a filter.

How a whole question turns mentions into a scope (promotion for COUNT / LIST, code labels, lookup
subjects) is `query.parse_query`'s business.
"""

from __future__ import annotations

import re

from ..corpus import normalise_action_line
from .kinds import AL, OBJ, SDG, STRONG, WEAK, Mention, MentionKind, Strength
from .names import c7_sub_names, fold
from .patterns import (
    AL_CODE,
    AL_KIND_WORD,
    AL_NUMBERS,
    ALL_ACTION_LINES_PATTERN,
    ALL_SDGS_PATTERN,
    COMMITMENT_ID,
    GDC_AFTER,
    KIND_AFTER,
    KIND_BEFORE,
    KIND_OF_WORD,
    NAME_ANCHORS,
    NAME_PATTERNS,
    NO_SDG_PATTERN,
    NUMBER_WORDS,
    OBJECTIVE_NUMBERS,
    OBJECTIVE_ORDINAL,
    OBJECTIVE_ORDINALS_I18N,
    ORDINALS,
    ROMAN,
    SCOPE_END,
    SCOPE_VERB_BEFORE,
    SDG_ARABIC,
    SDG_CHINESE,
    SDG_KIND_WORD,
    SDG_NUMBERS,
)

# --------------------------------------------------------------------------- recognition


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LIST_TOKEN = r"\d+(?:\.(?:\d{1,2}|[a-c])(?![\w.]))?|[^\W\d_]+"
_DIGIT_TOKEN = r"\d+(?:\.(?:\d{1,2}|[a-c])(?![\w.]))?"  # no letters: Chinese has no spaces
_GENERIC_GOAL_WORDS = ("goal", "ziel", "цел")  # "goal 2030" is prose, not an SDG


def _number(token: str) -> int | None:
    token = token.strip().split(".")[0]  # a target ("16.10") names its goal
    if token.isdigit():
        return int(token)
    if token in ROMAN:  # upper case only: "objective I" yes, "objective i..." no
        return ROMAN[token]
    return NUMBER_WORDS.get(token.casefold())


def _list_items(text: str, start: int, pattern: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), start + m.start(), start + m.end()) for m in re.finditer(pattern, text)]


class _Recogniser:
    """Collects non-overlapping mentions; earlier (more specific) patterns claim spans first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = fold(normalise_digits(text))
        self.mentions: list[Mention] = []
        self.claimed: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.claimed)

    def add(
        self,
        kind: MentionKind,
        value: int | str | None,
        start: int,
        end: int,
        strength: Strength = STRONG,
        error: str | None = None,
    ) -> None:
        self.mentions.append(
            Mention(kind, value, start, end, self.text[start:end], strength, error)
        )

    def claim(self, start: int, end: int) -> None:
        self.claimed.append((start, end))

    def run(self) -> None:
        for m in COMMITMENT_ID.finditer(self.norm):
            self.claim(*m.span())
            self.add(MentionKind.COMMITMENT, m.group(0).upper(), *m.span())
        self._all_statements()
        self._sdg_numbers()
        self._action_line_codes()
        self._objective_numbers()
        self._names()
        self.mentions.sort(key=lambda m: m.start)

    def _all_statements(self) -> None:
        for pattern, kind in (
            (NO_SDG_PATTERN, MentionKind.NO_SDG),
            (ALL_SDGS_PATTERN, MentionKind.ALL_SDGS),
            (ALL_ACTION_LINES_PATTERN, None),
        ):
            for m in pattern.finditer(self.norm):
                if self.free(*m.span()):
                    self.claim(*m.span())
                    self.add(kind or MentionKind.ALL_ACTION_LINES, None, *m.span())

    def _sdg_numbers(self) -> None:
        for pattern in (SDG_NUMBERS, SDG_ARABIC, SDG_CHINESE):
            for m in pattern.finditer(self.norm):
                if not self.free(*m.span()):
                    continue
                keyword = (m.groupdict().get("kw") or "").casefold()
                is_goal = pattern is SDG_CHINESE or keyword.startswith(_GENERIC_GOAL_WORDS)
                token = _DIGIT_TOKEN if pattern is SDG_CHINESE else _LIST_TOKEN
                items = _list_items(m["list"], m.start("list"), token)
                numbers = [(n, s, e) for tok, s, e in items if (n := _number(tok)) is not None]
                if is_goal and any(n >= 100 for n, _, _ in numbers):
                    continue  # "goal 2030": prose, not an SDG
                self.claim(*m.span())
                if (
                    is_goal
                    and max(n for n, _, _ in numbers) <= 5
                    and GDC_AFTER.match(self.norm, m.end())
                ):
                    self._objectives(m.start(), numbers)  # "Ziel 3 des Digitalpakts"
                    continue
                for n, s, e in numbers:
                    if 1 <= n <= 17:
                        self.add(SDG, n, m.start() if s == numbers[0][1] else s, e)
                    else:
                        error = f"there is no SDG {n} (the SDGs run from 1 to 17)"
                        self.add(SDG, n, m.start() if s == numbers[0][1] else s, e, error=error)

    def _action_line_codes(self) -> None:
        for m in AL_CODE.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            self.claim(*m.span())
            code = f"C{m['num']}" + (f" {m['sub']}" if m["sub"] else "")
            named = c7_sub_names().get(" ".join((m["sub"] or "").casefold().split()))
            if named and m["num"] == "7":
                code = named  # "C7 e-sante", "C7 cibersalud": the sub-line's name in a language
            elif m["sub"] and not m["sub"].lower().startswith("e-"):
                code = f"C{m['num']} E-{m['sub'][1:]}"
            try:
                self.add(AL, normalise_action_line(code), *m.span())
            except ValueError as exc:
                self.add(AL, code.upper(), *m.span(), error=str(exc))
        for m in AL_NUMBERS.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            self.claim(*m.span())
            for i, (tok, s, e) in enumerate(_list_items(m["list"], m.start("list"), r"\d+")):
                start = m.start() if i == 0 else s
                n = int(tok)
                if 1 <= n <= 11:
                    self.add(AL, f"C{n}", start, e)
                else:
                    error = f"there is no WSIS Action Line C{n} (they run C1 to C11)"
                    self.add(AL, f"C{n}", start, e, error=error)

    def _objective_numbers(self) -> None:
        for m in OBJECTIVE_NUMBERS.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            items = _list_items(m["list"], m.start("list"), _LIST_TOKEN)
            numbers = [(n, s, e) for tok, s, e in items if (n := _number(tok)) is not None]
            if not numbers:
                continue
            self.claim(m.start(), numbers[-1][2])
            self._objectives(m.start(), numbers)
        for m in OBJECTIVE_ORDINAL.finditer(self.norm):
            if self.free(*m.span()):
                self.claim(*m.span())
                self.add(OBJ, ORDINALS[m["ord"].casefold()], *m.span())
        for pattern, numbers_of in OBJECTIVE_ORDINALS_I18N:
            for m in pattern.finditer(self.norm):
                if self.free(*m.span()):
                    self.claim(*m.span())
                    self.add(OBJ, numbers_of(m["ord"]), *m.span())

    def _objectives(self, start: int, numbers: list[tuple[int, int, int]]) -> None:
        for i, (n, s, e) in enumerate(numbers):
            if 1 <= n <= 5:
                self.add(OBJ, n, start if i == 0 else s, e)
            else:
                error = (
                    f"there is no objective {n} (the Global Digital Compact has objectives 1 "
                    "to 5, plus Follow-up and Review)"
                )
                self.add(OBJ, n, start if i == 0 else s, e, error=error)

    def _names(self) -> None:
        folded = self.norm.casefold()
        for (pattern, kind, value, strength), anchor in zip(
            NAME_PATTERNS, NAME_ANCHORS, strict=True
        ):
            if anchor not in folded:
                continue  # the name cannot be there: skip its regular expression
            for m in pattern.finditer(self.norm):
                start, end = m.span()
                if not self.free(start, end):
                    continue
                if strength is WEAK:
                    start, end, strength = self._framing(kind, start, end)
                self.claim(start, end)
                self.add(kind, value, start, end, strength)

    def _framing(self, kind: MentionKind, start: int, end: int) -> tuple[int, int, Strength]:
        """A weak name framed by its kind word or a scoping verb is strong."""
        before = KIND_BEFORE.search(self.norm[:start])
        if before and _kind_word(before["kw"]) is kind and self.free(before.start(), start):
            return before.start(), end, STRONG
        after = KIND_AFTER.match(self.norm[end:])
        if after and _kind_word(after["kw"]) is kind and self.free(end, end + after.end()):
            return start, end + after.end(), STRONG
        # "mapped to media" is a scope; "cite media freedom" is a topic that starts with a name
        if SCOPE_VERB_BEFORE.search(self.norm[:start]) and SCOPE_END.match(self.norm[end:]):
            return start, end, STRONG
        return start, end, WEAK


def _kind_word(word: str) -> MentionKind | None:
    key = re.sub(r"\s+", " ", word.casefold()).removeprefix("wsis ").rstrip("s")
    if key in KIND_OF_WORD:
        return KIND_OF_WORD[key]
    if word == "目标" or SDG_KIND_WORD.fullmatch(word):
        return SDG
    return AL if AL_KIND_WORD.fullmatch(word) else None


def normalise_digits(text: str) -> str:
    """Arabic-Indic digits -> ASCII, one character for one, so spans stay valid."""
    return text.translate(_DIGITS)


def find_mentions(text: str) -> tuple[Mention, ...]:
    """Every SDG / Action Line / objective / section / commitment-id mention, in text order."""
    recogniser = _Recogniser(text)
    recogniser.run()
    return tuple(recogniser.mentions)
