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

from dataclasses import dataclass, replace
from enum import Enum

from ..corpus import Filters, ObjectiveKey
from .cues import COUNT_PATTERN, EXCLUDE_ALL, INCLUDE_ALL, LIST_PATTERN, find_lookup
from .kinds import AL, OBJ, SDG, SEC, STRONG, WEAK, Mention, MentionKind, Strength
from .labels import absorb_names, is_scope_name, with_bracketed_labels
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


def _hints(norm: str) -> tuple[bool | None, list[tuple[int, int]]]:
    """The question's own "explicitly" (False) / "including All" (True) and their spans."""
    include_all: bool | None = None
    spans = []
    for pattern, value in ((EXCLUDE_ALL, False), (INCLUDE_ALL, True)):
        for m in pattern.finditer(norm):
            include_all = value if include_all is None else include_all
            spans.append(m.span())
    return include_all, spans


def _count_or_list(norm: str) -> tuple[Intent, list[tuple[int, int]]]:
    """COUNT, LIST or SEARCH from the question's cue words, and the cues' spans (no topic)."""
    for pattern, intent in ((COUNT_PATTERN, Intent.COUNT), (LIST_PATTERN, Intent.LIST)):
        spans = [m.span() for m in pattern.finditer(norm)]
        if spans:
            return intent, spans
    return Intent.SEARCH, []


def parse_query(text: str) -> ParsedQuery:
    """Understand a question: scope (SDGs, Action Lines, objectives, sections), topic, intent."""
    mentions = list(find_mentions(text))
    norm = normalise_digits(text)
    include_all, hint_spans = _hints(norm)
    # "including All SDGs" is a hint about counting, not a scope on the statement "All SDGs".
    mentions = [
        m
        for m in mentions
        if m.kind not in (MentionKind.ALL_SDGS, MentionKind.ALL_ACTION_LINES)
        or not any(s <= m.start and m.end <= e + 1 for s, e in hint_spans)
    ]
    mentions = with_bracketed_labels(text, absorb_names(mentions))
    ids = tuple(m.value for m in mentions if m.kind is MentionKind.COMMITMENT)
    found = _parse_lookup(text, norm, ids, mentions, hint_spans)
    if found is not None:
        intent, lookup_fields, mentions, topic = found
    else:
        intent, topic, mentions = _parse_scope(text, norm, ids, mentions, hint_spans)
        lookup_fields = ("sdgs", "action_lines") if intent is Intent.LOOKUP else ()
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


def _parse_lookup(
    text: str,
    norm: str,
    ids: tuple[str, ...],
    mentions: list[Mention],
    hint_spans: list[tuple[int, int]],
) -> tuple[Intent, tuple[str, ...], list[Mention], str] | None:
    """(LOOKUP, fields, mentions, subject) for a mapping question about one commitment."""
    lookup = find_lookup(norm, ids)
    if lookup is None:
        return None
    start, end = lookup.span
    # The subject of a lookup is a description to search for, not a scope to filter by.
    subject = [
        replace(m, strength=WEAK)
        if start <= m.start and m.end <= end and m.valid and m.kind is not MentionKind.COMMITMENT
        else m
        for m in mentions
    ]
    topic = clean_topic(
        text,
        hint_spans + [m.span for m in subject if m.strength is STRONG],
        [m.span for m in subject if m.strength is WEAK],
        (start, end),
        boilerplate=not lookup.english,
    )
    # "which SDGs does objective 3 cover?" asks about a scope, not about one commitment
    scope_only = not clean_topic(
        text,
        hint_spans + [m.span for m in subject],
        [],
        (start, end),
        boilerplate=not lookup.english,
    )
    if ids or (topic and (lookup.says_commitment or not scope_only)):
        return Intent.LOOKUP, lookup.fields, subject, topic
    return None


def _parse_scope(
    text: str,
    norm: str,
    ids: tuple[str, ...],
    mentions: list[Mention],
    hint_spans: list[tuple[int, int]],
) -> tuple[Intent, str, list[Mention]]:
    """COUNT / LIST / SEARCH with its topic; a scope's own name is no topic."""
    intent, cue_spans = _count_or_list(norm)
    removed = hint_spans + cue_spans

    def topic_for(mentions: list[Mention]) -> str:
        strong = [m.span for m in mentions if m.strength is STRONG]
        weak = [m.span for m in mentions if m.strength is WEAK]
        return clean_topic(text, removed + strong, weak, None)

    topic = topic_for(mentions)
    if topic and is_scope_name(topic, mentions):
        topic = ""
    strong_scope = any(m.strength is STRONG and m.valid for m in mentions)
    if intent in (Intent.COUNT, Intent.LIST) and not strong_scope and mentions:
        weak_only = clean_topic(text, removed, [], None) and not clean_topic(
            text, removed + [m.span for m in mentions], [], None
        )
        if weak_only:  # an exact count needs a scope: the weak names are the scope
            mentions = [replace(m, strength=STRONG) for m in mentions]
            topic = topic_for(mentions)
    if ids and intent is Intent.SEARCH and not topic:
        intent = Intent.LOOKUP
    elif intent is Intent.SEARCH and not topic and _has_scope(mentions):
        intent = Intent.LIST  # a bare scope ("SDG 5 commitments") asks for all of it
    return intent, topic, mentions


def _has_scope(mentions: list[Mention]) -> bool:
    return any(
        m.strength is STRONG and m.valid and m.kind is not MentionKind.COMMITMENT for m in mentions
    )
