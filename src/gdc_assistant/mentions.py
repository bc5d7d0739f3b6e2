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
from dataclasses import dataclass
from enum import Enum

from .corpus import normalise_action_line

# --------------------------------------------------------------------------- value types


class MentionKind(Enum):
    SDG = "sdg"
    ACTION_LINE = "action_line"
    OBJECTIVE = "objective"
    SECTION = "section"
    ALL_SDGS = "all_sdgs"  # the source's statement "All SDGs" as a scope of its own
    ALL_ACTION_LINES = "all_action_lines"
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


# --------------------------------------------------------------------------- tables

_NUMBER_WORDS = {
    w: n
    for n, words in enumerate(
        [
            (),
            ("one", "un", "une", "uno"),
            ("two", "deux", "dos"),
            ("three", "trois", "tres"),
            ("four", "quatre", "cuatro"),
            ("five", "cinq", "cinco"),
            ("six", "seis"),
            ("seven", "sept", "siete"),
            ("eight", "huit", "ocho"),
            ("nine", "neuf", "nueve"),
            ("ten", "dix", "diez"),
            ("eleven",),
            ("twelve",),
            ("thirteen",),
            ("fourteen",),
            ("fifteen",),
            ("sixteen",),
            ("seventeen",),
        ]
    )
    for w in words
}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_C7_SUBS = "government|business|learning|health|employment|environment|agriculture|science"

_STRONG, _WEAK = Strength.STRONG, Strength.WEAK
_SDG, _AL, _OBJ, _SEC = (
    MentionKind.SDG,
    MentionKind.ACTION_LINE,
    MentionKind.OBJECTIVE,
    MentionKind.SECTION,
)

_SKILLS = "Digital literacy, skills and capacities"
_DPI = "Digital public goods and digital public infrastructure"
_DATA_DEV = "Data for the Sustainable Development Goals and for development"

# (phrase, kind, value, strength). Strong phrases never occur in a commitment's text (tested).
NAMES: tuple[tuple[str, MentionKind, int | str, Strength], ...] = (
    ("no poverty", _SDG, 1, _STRONG),
    ("poverty", _SDG, 1, _WEAK),
    ("zero hunger", _SDG, 2, _STRONG),
    ("hunger", _SDG, 2, _WEAK),
    ("good health and well-being", _SDG, 3, _STRONG),
    ("good health", _SDG, 3, _WEAK),
    ("well-being", _SDG, 3, _WEAK),
    ("quality education", _SDG, 4, _WEAK),
    ("gender equality", _SDG, 5, _WEAK),
    ("clean water and sanitation", _SDG, 6, _STRONG),
    ("clean water", _SDG, 6, _WEAK),
    ("sanitation", _SDG, 6, _WEAK),
    ("affordable and clean energy", _SDG, 7, _STRONG),
    ("clean energy", _SDG, 7, _WEAK),
    ("decent work and economic growth", _SDG, 8, _STRONG),
    ("decent work", _SDG, 8, _WEAK),
    ("economic growth", _SDG, 8, _WEAK),
    ("industry, innovation and infrastructure", _SDG, 9, _STRONG),
    ("reduced inequalities", _SDG, 10, _STRONG),
    ("inequalities", _SDG, 10, _WEAK),
    ("sustainable cities and communities", _SDG, 11, _STRONG),
    ("sustainable cities", _SDG, 11, _WEAK),
    ("responsible consumption and production", _SDG, 12, _STRONG),
    ("responsible consumption", _SDG, 12, _WEAK),
    ("climate action", _SDG, 13, _WEAK),
    ("life below water", _SDG, 14, _STRONG),
    ("life on land", _SDG, 15, _STRONG),
    ("peace, justice and strong institutions", _SDG, 16, _STRONG),
    ("strong institutions", _SDG, 16, _WEAK),
    ("partnerships for the goals", _SDG, 17, _STRONG),
    ("role of public governance authorities", _AL, "C1", _STRONG),
    ("information and communication infrastructure", _AL, "C2", _STRONG),
    ("access to information and knowledge", _AL, "C3", _STRONG),
    ("capacity building", _AL, "C4", _WEAK),
    ("building confidence and security", _AL, "C5", _STRONG),
    ("enabling environment", _AL, "C6", _WEAK),
    ("ICT applications", _AL, "C7", _STRONG),
    ("cultural diversity and identity", _AL, "C8", _STRONG),
    ("cultural diversity", _AL, "C8", _WEAK),
    ("linguistic diversity", _AL, "C8", _WEAK),
    ("local content", _AL, "C8", _WEAK),
    ("media", _AL, "C9", _WEAK),
    ("ethical dimensions of the information society", _AL, "C10", _STRONG),
    ("ethical dimensions", _AL, "C10", _STRONG),
    ("international and regional cooperation", _AL, "C11", _STRONG),
    *((f"e-{sub}", _AL, f"C7 E-{sub}", _WEAK) for sub in _C7_SUBS.split("|")),
    ("close all digital divides", _OBJ, 1, _STRONG),
    ("digital divides", _OBJ, 1, _WEAK),
    ("digital divide", _OBJ, 1, _WEAK),
    ("inclusion in and benefits from the digital economy", _OBJ, 2, _STRONG),
    ("digital economy", _OBJ, 2, _WEAK),
    ("inclusive, open, safe, and secure digital space", _OBJ, 3, _STRONG),
    ("interoperable data governance approaches", _OBJ, 4, _STRONG),
    ("data governance", _OBJ, 4, _WEAK),
    ("international governance of artificial intelligence", _OBJ, 5, _STRONG),
    ("governance of artificial intelligence", _OBJ, 5, _WEAK),
    ("governance of AI", _OBJ, 5, _WEAK),
    ("AI governance", _OBJ, 5, _WEAK),
    ("follow-up and review", _OBJ, "follow-up", _STRONG),
    ("connectivity", _SEC, "Connectivity", _WEAK),
    ("digital literacy, skills and capacities", _SEC, _SKILLS, _STRONG),
    ("digital literacy", _SEC, _SKILLS, _WEAK),
    ("digital skills", _SEC, _SKILLS, _WEAK),
    ("digital public goods and digital public infrastructure", _SEC, _DPI, _WEAK),
    ("digital public goods", _SEC, _DPI, _WEAK),
    ("digital public infrastructure", _SEC, _DPI, _WEAK),
    ("human rights", _SEC, "Human rights", _WEAK),
    ("internet governance", _SEC, "Internet governance", _WEAK),
    ("digital trust and safety", _SEC, "Digital trust and safety", _STRONG),
    ("trust and safety", _SEC, "Digital trust and safety", _WEAK),
    ("information integrity", _SEC, "Information integrity", _WEAK),
    ("data privacy and security", _SEC, "Data privacy and security", _STRONG),
    ("data privacy", _SEC, "Data privacy and security", _WEAK),
    ("data exchanges and standards", _SEC, "Data exchanges and standards", _STRONG),
    ("data for the sustainable development goals and for development", _SEC, _DATA_DEV, _STRONG),
    ("data for development", _SEC, _DATA_DEV, _WEAK),
    ("cross-border data flows", _SEC, "Cross-border data flows", _WEAK),
    ("data flows", _SEC, "Cross-border data flows", _WEAK),
)


def _phrase_pattern(phrase: str) -> str:
    words = []
    for word in phrase.split(" "):
        comma = word.endswith(",")
        word = word.rstrip(",")
        if word == "and":
            part = r"(?:and|&)"
        else:
            part = r"[-\s]?".join(re.escape(p) for p in word.split("-"))
        words.append(part + (",?" if comma else ""))
    return r"(?<![\w-])" + r"\s+".join(words) + r"s?(?![\w-])"


_NAME_PATTERNS = tuple(
    (re.compile(_phrase_pattern(p), re.IGNORECASE), kind, value, strength)
    for p, kind, value, strength in sorted(NAMES, key=lambda row: -len(row[0]))
)

# --------------------------------------------------------------------------- code patterns

_NUM = r"(?:\d{1,3}(?![\d,]\d)|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_SEP = r"(?:\s*(?:,|&|\band\b|\bor\b|\bet\b|\bou\b|\by\b|\bo\b)\s*)"
_NOT_QUANTITY = r"(?!\s*(?:%|percent|per\s+cent|billion|million|thousand|people|years?)\b)"
_TARGET = r"(?:\.(?:\d{1,2}|[a-c])(?![\w.]))?"
_ITEM = rf"{_NUM}{_TARGET}{_NOT_QUANTITY}"
_MORE = rf"\d{{1,3}}(?![\d,]\d){_TARGET}{_NOT_QUANTITY}"  # "and one other" is no SDG 1
_SDG_NUMBERS = re.compile(
    r"(?<![\w-])(?P<kw>SDGs?|goals?|ODDs?|ODS|objectifs?\s+de\s+d[ée]veloppement\s+durable"
    r"|objetivos?\s+de\s+desarrollo\s+sostenible)"
    rf"\s*(?:-|#|n°|no\.|number)?\s*(?P<list>{_ITEM}(?:{_SEP}{_MORE})*)(?![\w.])",
    re.IGNORECASE,
)
_AR_NUM = r"\d{1,3}"
_SDG_ARABIC = re.compile(
    r"(?:ال)?(?:هدف|أهداف)(?:\s+التنمية\s+المستدامة)?\s*(?:رقم\s*)?"
    rf"(?P<list>{_AR_NUM}(?:\s*(?:,|،|و)\s*{_AR_NUM})*)(?!\d)"
)
_OBJ_ITEM = r"(?:\d{1,2}(?!\d)|[IVX]{1,4}\b|" + "|".join(_NUMBER_WORDS) + r")"
_OBJECTIVE_NUMBERS = re.compile(
    r"(?<![\w-])(?P<kw>objectives?|objectifs?|objetivos?)\s*(?:#|n°|no\.|number)?\s*"
    rf"(?P<list>{_OBJ_ITEM}(?:{_SEP}(?:\d{{1,2}}(?!\d)|[IVX]{{1,4}}\b))*)(?![\w.])",
    re.IGNORECASE,
)
_OBJECTIVE_ORDINAL = re.compile(
    r"(?<![\w-])(?P<ord>first|second|third|fourth|fifth)\s+objective\b", re.IGNORECASE
)
_AL_CODE = re.compile(
    r"(?<![\w-])(?:WSIS\s+)?(?:action\s+lines?\s+)?C(?P<num>\d{1,2})(?!\d)"
    rf"(?:\s+(?P<sub>e-?(?:{_C7_SUBS})|e-[a-z]+))?(?![\w-])",
    re.IGNORECASE,
)
_AL_NUMBERS = re.compile(
    rf"(?<![\w-])(?:WSIS\s+)?action\s+lines?\s*(?P<list>\d{{1,2}}(?:{_SEP}\d{{1,2}})*)(?![\w.])",
    re.IGNORECASE,
)
_ALL_SDGS = re.compile(
    r"[\"“']?\ball\s+(?:the\s+)?(?:17\s+)?(?:SDGs|sustainable\s+development\s+goals)\b[\"”']?",
    re.IGNORECASE,
)
_ALL_ACTION_LINES = re.compile(
    r"[\"“']?\ball\s+(?:the\s+)?(?:11\s+)?(?:WSIS\s+)?action\s+lines\b[\"”']?", re.IGNORECASE
)
_COMMITMENT_ID = re.compile(
    r"(?<![\w-])(?:O[1-5](?:-[A-Z]+){0,2}-\d{2}|FR-\d{2})(?![\w-])", re.IGNORECASE
)
_KIND_BEFORE = re.compile(
    r"(?P<kw>\b(?:SDG|goal|(?:WSIS\s+)?action\s+line|objective|section|sub-?heading|heading)s?)"
    r"\s+(?:(?:on|of|for|about|called|named)\s+)?(?:the\s+)?[\"“']?$",
    re.IGNORECASE,
)
_KIND_AFTER = re.compile(
    r"^[\"”']?\s+(?P<kw>(?:SDG|goal|(?:WSIS\s+)?action\s+line|objective|section|sub-?heading"
    r"|heading)s?)\b",
    re.IGNORECASE,
)
_SCOPE_VERB_BEFORE = re.compile(
    r"\b(?:mapped\s+to|maps?\s+to|cites?|cited|citing|under|belongs?\s+to|belonging\s+to"
    r"|falls?\s+under|tagged(?:\s+with)?|linked\s+to)\s+(?:the\s+)?[\"“']?$",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(
    r"[\"”']?\s*(?:$|[?.!,;:)]|(?:and|or|&|under|in|with|that|which|commitments?)\b)",
    re.IGNORECASE,
)
_KIND_OF_WORD = {
    "sdg": _SDG,
    "goal": _SDG,
    "action line": _AL,
    "objective": _OBJ,
    "section": _SEC,
    "heading": _SEC,
    "subheading": _SEC,
    "sub-heading": _SEC,
}

# --------------------------------------------------------------------------- recognition


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LIST_TOKEN = r"\d+(?:\.(?:\d{1,2}|[a-c])(?![\w.]))?|[^\W\d_]+"


def _number(token: str) -> int | None:
    token = token.strip().split(".")[0]  # a target ("16.10") names its goal
    if token.isdigit():
        return int(token)
    if token in _ROMAN:  # upper case only: "objective I" yes, "objective i..." no
        return _ROMAN[token]
    return _NUMBER_WORDS.get(token.casefold())


def _list_items(text: str, start: int, pattern: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), start + m.start(), start + m.end()) for m in re.finditer(pattern, text)]


class _Recogniser:
    """Collects non-overlapping mentions; earlier (more specific) patterns claim spans first."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = normalise_digits(text)
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
        strength: Strength = _STRONG,
        error: str | None = None,
    ) -> None:
        self.mentions.append(
            Mention(kind, value, start, end, self.text[start:end], strength, error)
        )

    def claim(self, start: int, end: int) -> None:
        self.claimed.append((start, end))

    def run(self) -> None:
        for m in _COMMITMENT_ID.finditer(self.norm):
            self.claim(*m.span())
            self.add(MentionKind.COMMITMENT, m.group(0).upper(), *m.span())
        self._all_statements()
        self._sdg_numbers()
        self._action_line_codes()
        self._objective_numbers()
        self._names()
        self.mentions.sort(key=lambda m: m.start)

    def _all_statements(self) -> None:
        for pattern, kind in ((_ALL_SDGS, MentionKind.ALL_SDGS), (_ALL_ACTION_LINES, None)):
            for m in pattern.finditer(self.norm):
                if self.free(*m.span()):
                    self.claim(*m.span())
                    self.add(kind or MentionKind.ALL_ACTION_LINES, None, *m.span())

    def _sdg_numbers(self) -> None:
        for pattern in (_SDG_NUMBERS, _SDG_ARABIC):
            for m in pattern.finditer(self.norm):
                if not self.free(*m.span()):
                    continue
                is_goal = (m.groupdict().get("kw") or "").casefold().startswith("goal")
                items = _list_items(m["list"], m.start("list"), _LIST_TOKEN)
                numbers = [(n, s, e) for tok, s, e in items if (n := _number(tok)) is not None]
                if is_goal and any(n >= 100 for n, _, _ in numbers):
                    continue  # "goal 2030": prose, not an SDG
                self.claim(*m.span())
                for n, s, e in numbers:
                    if 1 <= n <= 17:
                        self.add(_SDG, n, m.start() if s == numbers[0][1] else s, e)
                    else:
                        error = f"there is no SDG {n} (the SDGs run from 1 to 17)"
                        self.add(_SDG, n, m.start() if s == numbers[0][1] else s, e, error=error)

    def _action_line_codes(self) -> None:
        for m in _AL_CODE.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            self.claim(*m.span())
            code = f"C{m['num']}" + (f" {m['sub']}" if m["sub"] else "")
            if m["sub"] and not m["sub"].lower().startswith("e-"):
                code = f"C{m['num']} E-{m['sub'][1:]}"
            try:
                self.add(_AL, normalise_action_line(code), *m.span())
            except ValueError as exc:
                self.add(_AL, code.upper(), *m.span(), error=str(exc))
        for m in _AL_NUMBERS.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            self.claim(*m.span())
            for i, (tok, s, e) in enumerate(_list_items(m["list"], m.start("list"), r"\d+")):
                start = m.start() if i == 0 else s
                n = int(tok)
                if 1 <= n <= 11:
                    self.add(_AL, f"C{n}", start, e)
                else:
                    error = f"there is no WSIS Action Line C{n} (they run C1 to C11)"
                    self.add(_AL, f"C{n}", start, e, error=error)

    def _objective_numbers(self) -> None:
        for m in _OBJECTIVE_NUMBERS.finditer(self.norm):
            if not self.free(*m.span()):
                continue
            items = _list_items(m["list"], m.start("list"), _LIST_TOKEN)
            numbers = [(n, s, e) for tok, s, e in items if (n := _number(tok)) is not None]
            if not numbers:
                continue
            self.claim(m.start(), numbers[-1][2])
            for i, (n, s, e) in enumerate(numbers):
                start = m.start() if i == 0 else s
                if 1 <= n <= 5:
                    self.add(_OBJ, n, start, e)
                else:
                    error = (
                        f"there is no objective {n} (the Global Digital Compact has objectives 1 "
                        "to 5, plus Follow-up and Review)"
                    )
                    self.add(_OBJ, n, start, e, error=error)
        for m in _OBJECTIVE_ORDINAL.finditer(self.norm):
            if self.free(*m.span()):
                self.claim(*m.span())
                self.add(_OBJ, _ORDINALS[m["ord"].casefold()], *m.span())

    def _names(self) -> None:
        for pattern, kind, value, strength in _NAME_PATTERNS:
            for m in pattern.finditer(self.norm):
                start, end = m.span()
                if not self.free(start, end):
                    continue
                if strength is _WEAK:
                    start, end, strength = self._framing(kind, start, end)
                self.claim(start, end)
                self.add(kind, value, start, end, strength)

    def _framing(self, kind: MentionKind, start: int, end: int) -> tuple[int, int, Strength]:
        """A weak name framed by its kind word or a scoping verb is strong."""
        before = _KIND_BEFORE.search(self.norm[:start])
        if before and _kind_word(before["kw"]) is kind and self.free(before.start(), start):
            return before.start(), end, _STRONG
        after = _KIND_AFTER.match(self.norm[end:])
        if after and _kind_word(after["kw"]) is kind and self.free(end, end + after.end()):
            return start, end + after.end(), _STRONG
        # "mapped to media" is a scope; "cite media freedom" is a topic that starts with a name
        if _SCOPE_VERB_BEFORE.search(self.norm[:start]) and _SCOPE_END.match(self.norm[end:]):
            return start, end, _STRONG
        return start, end, _WEAK


def _kind_word(word: str) -> MentionKind | None:
    key = re.sub(r"\s+", " ", word.casefold()).removeprefix("wsis ").rstrip("s")
    return _KIND_OF_WORD.get(key)


def normalise_digits(text: str) -> str:
    """Arabic-Indic digits -> ASCII, one character for one, so spans stay valid."""
    return text.translate(_DIGITS)


def find_mentions(text: str) -> tuple[Mention, ...]:
    """Every SDG / Action Line / objective / section / commitment-id mention, in text order."""
    recogniser = _Recogniser(text)
    recogniser.run()
    return tuple(recogniser.mentions)
