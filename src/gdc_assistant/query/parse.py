"""Query understanding: a question -> scope (filters), topic, intent and language.

Pure functions, no model and no index: everything here is table-driven and tested as such.
Mentions of the framework and what makes one strong or weak live in `mentions`; chat follow-ups
in `followup` (both re-exported here).

Scope
-----
Strong mentions (see `mentions`) become hard filters and their words leave the topic; weak ones
only boost. A COUNT or an explicit LIST whose only scope is weak ("how many commitments are about
gender equality?") promotes its weak mentions to strong: an exact count needs a scope, and the
answer names the scope it counted.

A weak name right next to the code it names ("SDG 4 Quality Education", "Objective 2: digital
economy") is only that code's label and becomes strong with it. Inside a LOOKUP's subject ("which
SDGs is the commitment on peace, justice and strong institutions mapped to?") every name is weak:
the subject is a description to search for, not a scope.

Intents
-------
COUNT ("how many", "number of", "count", "combien", "cuántos", "كم"), LIST ("list ...", "show
all ...", or any question whose only content is a scope: "what is mapped to C10?", "SDG 5
commitments"), LOOKUP ("which SDGs / Action Lines is the commitment on X mapped to?", "what is the
mapping of X?", "how is X mapped?", or a commitment id), else SEARCH. The topic is the question
without its scope, its intent words and its boilerplate ("commitments", "the Global Digital
Compact"), trimmed at the edges only, so "governance of AI" keeps its "of".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from ..corpus import Filters, ObjectiveKey
from .kinds import AL, OBJ, SDG, SEC, STRONG, WEAK, Mention, MentionKind, Strength
from .language import detect_language
from .mentions import find_mentions, normalise_digits
from .topic import clean_topic

# --------------------------------------------------------------------------- value types


class Intent(Enum):
    SEARCH = "search"  # ranked retrieval on the topic (within any filters)
    COUNT = "count"  # "how many ..." -> an exact number from metadata
    LIST = "list"  # every commitment in a scope, in document order
    LOOKUP = "lookup"  # "which SDGs is the commitment on X mapped to?"


@dataclass(frozen=True)
class ParsedQuery:
    """A question understood: its scope (strong mentions), topic, intent and language."""

    text: str
    topic: str
    sdgs: tuple[int, ...] = ()
    action_lines: tuple[str, ...] = ()
    objectives: tuple[ObjectiveKey, ...] = ()
    sections: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    intent: Intent = Intent.SEARCH
    lookup_fields: tuple[str, ...] = ()  # "sdgs" and/or "action_lines" for a LOOKUP
    include_all: bool | None = None  # None unless the question says "explicitly" / "including All"
    language: str = "en"
    all_sdgs: bool = False  # the question scopes on the statement "All SDGs" itself
    no_sdg: bool = False  # ... on the commitments the source gives no SDG for
    all_action_lines: bool = False
    commitment_ids: tuple[str, ...] = ()  # ids named in the question ("O3-IG-04")

    @property
    def invalid(self) -> tuple[Mention, ...]:
        """Mentions of things that do not exist (SDG 18, C12, objective 7)."""
        return tuple(m for m in self.mentions if not m.valid)

    @property
    def weak(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.valid and m.strength is Strength.WEAK)

    @property
    def has_scope(self) -> bool:
        """True when the question itself restricts the commitments (a filter or "All ...")."""
        return not self.filters().is_empty or self.all_sdgs or self.all_action_lines or self.no_sdg

    def filters(self, include_all: bool = True) -> Filters:
        """Filters from the strong mentions; the question's own "explicitly" / "including All"
        wins over the `include_all` default."""
        return Filters(
            sdgs=self.sdgs,
            action_lines=self.action_lines,
            objectives=self.objectives,
            sections=self.sections,
            include_all=include_all if self.include_all is None else self.include_all,
        )

    def filters_with(self, ui: Filters) -> Filters:
        """The effective filters: a field the question names replaces the UI's value for it
        (the question is the newer, more specific request); other fields keep the UI's."""
        own = self.filters(include_all=ui.include_all)
        return Filters(
            sdgs=own.sdgs or ui.sdgs,
            action_lines=own.action_lines or ui.action_lines,
            objectives=own.objectives or ui.objectives,
            sections=own.sections or ui.sections,
            include_all=own.include_all,
        )

    def boosts(self) -> Filters:
        """The weak mentions as a Filters value: for boosting ranked results, never filtering."""
        return _collect(self.weak, include_all=True)


# --------------------------------------------------------------------------- scope

_INCLUDE_ALL = re.compile(
    r"\b(?:including|include|counting|incl\.)\s+(?:the\s+)?[\"“']?all"
    r"(?:\s+(?:SDGs|(?:WSIS\s+)?action\s+lines|mappings?|ones))?[\"”']?"
    r"(?:(?<=SDGs)|(?<=lines)|(?<=mappings)|(?<=mapping)|(?<=ones)|(?<=[\"”'])|(?=\s*(?:[?.!,;)]|$)))",
    re.IGNORECASE,
)
_EXCLUDE_ALL = re.compile(
    r"\b(?:only\s+)?explicit(?:ly)?(?:\s+(?:mapped|mappings?|ones|links?))?\b"
    r"|\b(?:explicitement|explícitamente|explicitamente|ausdrücklich|explizit|явно)\b|明确"
    r"|\b(?:excluding|exclude|without|not\s+counting|not\s+including|ignoring|ignore|but\s+not"
    r"|not\s+(?:through|via)|except(?:\s+for)?|other\s+than)\s+(?:the\s+)?[\"“']?all"
    r"(?:\s+(?:SDGs|(?:WSIS\s+)?action\s+lines|mappings?|ones))?[\"”']?"
    r"(?:(?<=SDGs)|(?<=lines)|(?<=mappings)|(?<=mapping)|(?<=ones)|(?<=[\"”'])|(?=\s*(?:[?.!,;)]|$)))",
    re.IGNORECASE,
)


def _collect(mentions: tuple[Mention, ...], *, include_all: bool) -> Filters:
    def values(kind: MentionKind) -> tuple:
        return tuple(dict.fromkeys(m.value for m in mentions if m.kind is kind and m.valid))

    return Filters(
        sdgs=values(SDG),
        action_lines=values(AL),
        objectives=values(OBJ),
        sections=values(SEC),
        include_all=include_all,
    )


# --------------------------------------------------------------------------- intents

COUNT_PATTERN = re.compile(
    r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\bcombien\b|\bcu[aá]nt[oa]s\b"
    r"|\bnombre\s+(?:de|d['’])|\bn[uú]mero\s+de\b|(?<!\w)كم(?!\w)|(?<!\w)عدد(?!\w)"
    r"|\bquant[oa]s\b|\bwie\s*viele\b|\banzahl\b|\bсколько\b|\bчисло\b|多少|几个|几项|数量",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"^\s*(?:please\s+)?(?:list|enumerate|liste[rz]?|lista|enumera|donne[zr]?\s+(?:moi\s+)?la\s+liste"
    r"|show\s+(?:me\s+)?(?:all|every)|give\s+me\s+(?:all|every|a\s+(?:full\s+)?list)"
    r"|display\s+all|montre[rz]?\s+(?:moi\s+)?tous|muestra(?:me)?\s+todos|listar|liste\s+todos"
    r"|mostre\s+todos|zeige?\s+(?:mir\s+)?alle|liste\s+alle|nenne\s+alle|перечисл\w*"
    r"|покажите\s+все|покажи\s+все|список)\b|^\s*(?:请)?列(?:出|举)"
    r"|\blist\s+(?:of\s+)?(?:all|every)\b|\bshow\s+(?:me\s+)?all\b",
    re.IGNORECASE,
)
_LOOKUP_FIELDS = (
    r"(?P<fields>SDGs?(?:\s+and\s+(?:WSIS\s+)?action\s+lines?)?|goals?"
    r"|(?:WSIS\s+)?action\s+lines?(?:\s+and\s+SDGs?)?|mappings?)"
)
_LOOKUP_VERB = (
    r"(?:(?:been\s+)?(?:mapped|linked|tied|assigned|connected)(?:\s+to)?|maps?\s+to|cites?"
    r"|references?|covers?|refers?\s+to|falls?\s+under|under|ha(?:ve|s)|relates?\s+to"
    r"|belongs?\s+to|address(?:es)?|targets?|supports?)"
)
_LOOKUPS = (  # (pattern, whether the subject must say "commitment" or give an id)
    (
        re.compile(
            rf"^\s*(?:which|what)\s+{_LOOKUP_FIELDS}\s+(?:is|are|does|do|did)\s+(?P<x>.+?)\s+"
            rf"{_LOOKUP_VERB}\s*[?.!]*\s*$",
            re.IGNORECASE,
        ),
        False,
    ),
    (
        re.compile(
            r"^\s*(?:what\s+(?:is|are)|show(?:\s+me)?|give\s+me|tell\s+me)\s+the\s+"
            rf"{_LOOKUP_FIELDS}\s+(?:of|for)\s+(?P<x>.+?)\s*[?.!]*\s*$",
            re.IGNORECASE,
        ),
        False,
    ),
    (re.compile(r"^\s*how\s+is\s+(?P<x>.+?)\s+mapped\s*[?.!]*\s*$", re.IGNORECASE), False),
    (
        re.compile(r"^\s*what\s+(?:is|are)\s+(?P<x>.+?)\s+mapped\s+to\s*[?.!]*\s*$", re.I),
        True,
    ),
    (
        re.compile(
            rf"^\s*(?:the\s+)?{_LOOKUP_FIELDS}\s+(?:of|for)\s+(?P<x>.+?)\s*[?.!]*\s*$", re.I
        ),
        True,
    ),
)
_LOOKUP_SUBJECT = re.compile(r"\bcommitments?\b|\bthe\s+one\s+(?:on|about)\b", re.IGNORECASE)
_LOOKUP_LEAD = re.compile(
    r"^\s*(?:the\s+)?(?:GDC\s+)?(?:commitments?|one)\s+(?:on|about|regarding|concerning|that"
    r"|which|for|related\s+to|calling\s+for|to(?=\s))?",
    re.IGNORECASE,
)


def _lookup(
    text: str, ids: tuple[str, ...]
) -> tuple[tuple[int, int], tuple[str, ...], bool] | None:
    """(span of the looked-up subject, fields asked for, whether the subject says "commitment")
    for a mapping question, else None."""
    for pattern, needs_subject in _LOOKUPS:
        m = pattern.match(text)
        if m is None or (needs_subject and not (_LOOKUP_SUBJECT.search(m["x"]) or ids)):
            continue
        words = (m.groupdict().get("fields") or "mapping").casefold()
        fields = tuple(
            name
            for name, present in (
                ("sdgs", "sdg" in words or "goal" in words or "mapping" in words),
                ("action_lines", "action" in words or "mapping" in words),
            )
            if present
        )
        lead = _LOOKUP_LEAD.match(m["x"])
        start = m.start("x") + (lead.end() if lead else 0)
        return (start, m.end("x")), fields, bool(_LOOKUP_SUBJECT.search(m["x"]))
    return None


def parse_query(text: str) -> ParsedQuery:
    """Understand a question: scope (SDGs, Action Lines, objectives, sections), topic, intent."""
    mentions = list(find_mentions(text))
    norm = normalise_digits(text)

    include_all: bool | None = None
    hint_spans = []
    for pattern, value in ((_EXCLUDE_ALL, False), (_INCLUDE_ALL, True)):
        for m in pattern.finditer(norm):
            include_all = value if include_all is None else include_all
            hint_spans.append(m.span())
    # "including All SDGs" is a hint about counting, not a scope on the statement "All SDGs".
    mentions = [
        m
        for m in mentions
        if m.kind not in (MentionKind.ALL_SDGS, MentionKind.ALL_ACTION_LINES)
        or not any(s <= m.start and m.end <= e + 1 for s, e in hint_spans)
    ]
    mentions = _with_labels(text, _absorb_adjacent_names(text, mentions))
    ids = tuple(m.value for m in mentions if m.kind is MentionKind.COMMITMENT)

    def topic_for(region: tuple[int, int] | None = None) -> str:
        removed = hint_spans + [m.span for m in mentions if m.strength is STRONG]
        protected = [m.span for m in mentions if m.strength is WEAK]
        return clean_topic(text, removed, protected, region)

    lookup = _lookup(norm, ids)
    lookup_fields: tuple[str, ...] = ()
    intent: Intent | None = None
    topic = ""
    if lookup is not None:
        (start, end), fields, says_commitment = lookup
        # The subject of a lookup is a description to search for, not a scope to filter by.
        subject = [
            replace(m, strength=WEAK)
            if start <= m.start
            and m.end <= end
            and m.valid
            and m.kind is not MentionKind.COMMITMENT
            else m
            for m in mentions
        ]
        topic = clean_topic(
            text,
            hint_spans + [m.span for m in subject if m.strength is STRONG],
            [m.span for m in subject if m.strength is WEAK],
            (start, end),
            boilerplate=False,
        )
        # "which SDGs does objective 3 cover?" asks about a scope, not about one commitment
        scope_only = not clean_topic(
            text, hint_spans + [m.span for m in subject], [], (start, end), boilerplate=False
        )
        if ids or (topic and (says_commitment or not scope_only)):
            intent, lookup_fields, mentions = Intent.LOOKUP, fields, subject
    if intent is None:
        if COUNT_PATTERN.search(norm):
            intent = Intent.COUNT
        elif _LIST.search(norm):
            intent = Intent.LIST
        else:
            intent = Intent.SEARCH
        topic = topic_for()
        strong_scope = any(m.strength is STRONG and m.valid for m in mentions)
        if intent in (Intent.COUNT, Intent.LIST) and not strong_scope and mentions:
            weak_only = clean_topic(text, hint_spans, [], None) and not clean_topic(
                text, hint_spans + [m.span for m in mentions], [], None
            )
            if weak_only:  # an exact count needs a scope: the weak names are the scope
                mentions = [replace(m, strength=STRONG) for m in mentions]
                topic = topic_for()
        if ids and intent is Intent.SEARCH and not topic:
            intent, lookup_fields = Intent.LOOKUP, ("sdgs", "action_lines")
        elif intent is Intent.SEARCH and not topic and _has_scope(mentions):
            intent = Intent.LIST  # a bare scope ("SDG 5 commitments") asks for all of it

    strong = tuple(m for m in mentions if m.strength is STRONG)
    scope = _collect(strong, include_all=True)
    return ParsedQuery(
        text=text,
        topic=topic,
        sdgs=scope.sdgs,
        action_lines=scope.action_lines,
        objectives=scope.objectives,
        sections=scope.sections,
        mentions=tuple(mentions),
        intent=intent,
        lookup_fields=lookup_fields,
        include_all=include_all,
        language=detect_language(text),
        all_sdgs=any(m.kind is MentionKind.ALL_SDGS for m in strong),
        no_sdg=any(m.kind is MentionKind.NO_SDG for m in strong),
        all_action_lines=any(m.kind is MentionKind.ALL_ACTION_LINES for m in strong),
        commitment_ids=ids,
    )


_NAME_GAP = re.compile(r"[\s:,()\-–—\"“”']*")


def _absorb_adjacent_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A weak name right next to the code it names ("SDG 4 Quality Education", "Objective 2:
    digital economy") is that code's label, not a topic: it becomes strong too."""
    out = list(mentions)
    for i, m in enumerate(out):
        if m.strength is not WEAK:
            continue
        for other in out:
            if other.strength is STRONG and (other.kind, other.value) == (m.kind, m.value):
                gap = (
                    text[other.end : m.start] if other.end <= m.start else text[m.end : other.start]
                )
                if _NAME_GAP.fullmatch(gap):
                    out[i] = replace(m, strength=STRONG)
                    break
    return out


# "C10 (ethische Dimensionen)", "SDG 5 (igualdad de género)", "C8（文化多样性…）": the code's label.
_LABEL = re.compile(r"\s*[(（][^()（）]{1,120}[)）]")


def _with_labels(text: str, mentions: list[Mention]) -> list[Mention]:
    """A bracketed phrase right after an SDG or Action Line code is its label, in any language:
    the mention takes it in, so it is no topic."""
    out = []
    for m in mentions:
        label = _LABEL.match(text, m.end)
        if m.strength is STRONG and m.kind in (SDG, AL) and label:
            m = replace(m, end=label.end())
        out.append(m)
    return out


def _has_scope(mentions: list[Mention]) -> bool:
    return any(
        m.strength is STRONG and m.valid and m.kind is not MentionKind.COMMITMENT for m in mentions
    )
