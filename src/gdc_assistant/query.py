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
from typing import TYPE_CHECKING

from .corpus import Commitment, ObjectiveKey
from .mentions import NAMES, Mention, MentionKind, Strength, find_mentions, normalise_digits

if TYPE_CHECKING:
    from .followup import FollowUp, FollowUpKind, parse_followup

__all__ = [
    "NAMES",
    "Filters",
    "FollowUp",
    "FollowUpKind",
    "Intent",
    "Mention",
    "MentionKind",
    "ParsedQuery",
    "Strength",
    "detect_language",
    "find_mentions",
    "parse_followup",
    "parse_query",
]

_STRONG, _WEAK = Strength.STRONG, Strength.WEAK
_SDG, _AL, _OBJ, _SEC = (
    MentionKind.SDG,
    MentionKind.ACTION_LINE,
    MentionKind.OBJECTIVE,
    MentionKind.SECTION,
)


@dataclass(frozen=True)
class Filters:
    """Hard constraints on results. Within one field values are alternatives (any of);
    across fields all must hold. `include_all` decides whether "All SDGs" / "All WSIS
    Action Lines" mappings satisfy an SDG / Action Line constraint."""

    sdgs: tuple[int, ...] = ()
    action_lines: tuple[str, ...] = ()
    objectives: tuple[ObjectiveKey, ...] = ()
    sections: tuple[str, ...] = ()
    include_all: bool = True

    @property
    def is_empty(self) -> bool:
        return not (self.sdgs or self.action_lines or self.objectives or self.sections)

    def matches(self, commitment: Commitment) -> bool:
        """True when the commitment satisfies every constraint."""
        c, all_ok = commitment, self.include_all
        return (
            (not self.sdgs or any(c.has_sdg(s, include_all=all_ok) for s in self.sdgs))
            and (
                not self.action_lines
                or any(c.has_action_line(a, include_all=all_ok) for a in self.action_lines)
            )
            and (not self.objectives or c.objective in self.objectives)
            and (
                not self.sections
                or (c.section or "").casefold() in {s.casefold() for s in self.sections}
            )
        )


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
        return not self.filters().is_empty or self.all_sdgs or self.all_action_lines

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
        sdgs=values(_SDG),
        action_lines=values(_AL),
        objectives=values(_OBJ),
        sections=values(_SEC),
        include_all=include_all,
    )


# --------------------------------------------------------------------------- topic

_STOP = frozenset(
    """
    a an the which what who whom whose where when how why is are was were be been being do does
    did have has had can could would should will shall may might must i me my we our you your it
    its they them their these those this that there here of to in on at by for from with about
    into under over between among within and or but not all any every each some many much more
    most only just also please show list give tell find get search look display enumerate count
    number total altogether overall commitment commitments item items entry entries
    mapped map maps mapping mappings linked link links associated relate relates related relating
    relevant cite cites cited citing reference references referenced mention mentions mentioned
    mentioning tagged concern concerns concerning regarding address addresses addressing cover
    covers covered covering deal deals dealing talk talks say says said fall falls belong belongs
    belonging listed explicitly explicit including include includes exist exists matrix sdg sdgs
    wsis line lines goal goals objective objectives section sections heading sub-heading ones one
    else other any anything something like same instead now then so whole full complete exactly
    counting counted commit commits committed contribute contributes contributing support
    supports agree agrees agreed
    le la les un une des du de et ou est sont quel quels quelle quelles qui que quoi combien y a
    il ils engagement engagements lié liés liée liées relatif relatifs relatives concernant sur
    dans pour avec au aux en par ce ces cette moi montre montrez liste donne donnez existe odd
    objectif objectifs mentionnent portent traitent parlent tous toutes ceux à concernent concerne
    visent abordent dit disent comment a-t-il aborde-t-il y-a-t-il
    el los las unos unas del es son qué cuál cuáles cuántos cuántas cuantos cuantas hay
    compromiso compromisos relacionado relacionados relacionada relacionadas sobre para con por
    al lo se muestra muéstrame lista ods objetivo objetivos mencionan tratan hablan todos todas
    están esta está abordan dice dicen cómo
    ما ماذا كم هل التي الذي في من على عن إلى و الالتزامات التزامات التزام الالتزام المتعلقة
    تتعلق أي ما هي هو عدد كيف يقول يتضمن بشأن
    """.split()
)
_BOILERPLATE = re.compile(
    r"\b(?:the\s+)?global\s+digital\s+compact\b|\b(?:WSIS\s+)?action\s+lines?\b"
    r"|\bsustainable\s+development\s+goals?\b|\bpacte\s+num[ée]rique\s+mondial\b"
    r"|\bpacto\s+digital\s+mundial\b|الميثاق\s+الرقمي\s+العالمي",
    re.IGNORECASE,
)
# Words that never carry a topic in this corpus, wherever they stand ("e-business commitments
# that help SMEs" -> "e-business ... help SMEs").
_DROP = frozenset(
    "commitment commitments gdc compact pact pacte pacto engagement engagements compromiso "
    "compromisos الالتزامات التزامات الالتزام الميثاق".split()
)
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
_BREAK = re.compile(r"[?!;:()\[\]\"“”«»¿¡؟،]|[.,](?!\d)")
_ELISION = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t)['’]", re.IGNORECASE)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _is_boilerplate(word: str) -> bool:
    return _ELISION.sub("", word.casefold()) in _DROP


def _is_stop(word: str) -> bool:
    word = _ELISION.sub("", word.casefold())
    return word in _STOP


def _clean_topic(
    text: str,
    removed: list[tuple[int, int]],
    protected: list[tuple[int, int]],
    region: tuple[int, int] | None = None,
    *,
    boilerplate: bool = True,
) -> str:
    """The topical words left once scope, intent and boilerplate are taken out. With
    `boilerplate` False (a lookup's subject) only the edges are trimmed."""
    start, end = region or (0, len(text))
    if boilerplate:
        removed = removed + [m.span() for m in _BOILERPLATE.finditer(text)]
        removed += [
            m.span() for m in _TOKEN.finditer(text, start, end) if _is_boilerplate(m.group(0))
        ]

    def inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
        return any(s < span[1] and span[0] < e for s, e in spans)

    segments: list[list[tuple[int, int, bool]]] = [[]]
    previous_end = start
    for m in _TOKEN.finditer(text, start, end):
        span = m.span()
        stop = _BREAK.search(text, previous_end)  # not endpos: "2.6" looks past the gap
        gap = (previous_end, span[0])
        gap_broken = (
            stop is not None and stop.start() < span[0] and not _within(gap, protected)
        ) or inside(gap, removed)
        if gap_broken or inside(span, removed):
            segments.append([])
        previous_end = span[1]
        if inside(span, removed):
            continue
        keep = inside(span, protected) or not _is_stop(m.group(0))
        segments[-1].append((span[0], span[1], keep))
    parts = []
    for tokens in segments:
        kept = [i for i, (_, _, keep) in enumerate(tokens) if keep]
        if kept:
            part = text[tokens[kept[0]][0] : tokens[kept[-1]][1]]
            parts.append(
                _ELISION.sub("", part)
                if not inside((tokens[kept[0]][0], tokens[kept[0]][1]), protected)
                else part
            )
    return " ".join(parts)


# --------------------------------------------------------------------------- intents

_COUNT = re.compile(
    r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\bcombien\b|\bcu[aá]nt[oa]s\b"
    r"|\bnombre\s+(?:de|d['’])|\bn[uú]mero\s+de\b|(?<!\w)كم(?!\w)|(?<!\w)عدد(?!\w)",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"^\s*(?:please\s+)?(?:list|enumerate|liste[rz]?|lista|enumera|donne[zr]?\s+(?:moi\s+)?la\s+liste"
    r"|show\s+(?:me\s+)?(?:all|every)|give\s+me\s+(?:all|every|a\s+(?:full\s+)?list)"
    r"|display\s+all|montre[rz]?\s+(?:moi\s+)?tous|muestra(?:me)?\s+todos)\b"
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
    mentions = _absorb_adjacent_names(text, mentions)
    ids = tuple(m.value for m in mentions if m.kind is MentionKind.COMMITMENT)

    def topic_for(region: tuple[int, int] | None = None) -> str:
        removed = hint_spans + [m.span for m in mentions if m.strength is _STRONG]
        protected = [m.span for m in mentions if m.strength is _WEAK]
        return _clean_topic(text, removed, protected, region)

    lookup = _lookup(norm, ids)
    lookup_fields: tuple[str, ...] = ()
    intent: Intent | None = None
    topic = ""
    if lookup is not None:
        (start, end), fields, says_commitment = lookup
        # The subject of a lookup is a description to search for, not a scope to filter by.
        subject = [
            replace(m, strength=_WEAK)
            if start <= m.start
            and m.end <= end
            and m.valid
            and m.kind is not MentionKind.COMMITMENT
            else m
            for m in mentions
        ]
        topic = _clean_topic(
            text,
            hint_spans + [m.span for m in subject if m.strength is _STRONG],
            [m.span for m in subject if m.strength is _WEAK],
            (start, end),
            boilerplate=False,
        )
        # "which SDGs does objective 3 cover?" asks about a scope, not about one commitment
        scope_only = not _clean_topic(
            text, hint_spans + [m.span for m in subject], [], (start, end), boilerplate=False
        )
        if ids or (topic and (says_commitment or not scope_only)):
            intent, lookup_fields, mentions = Intent.LOOKUP, fields, subject
    if intent is None:
        if _COUNT.search(norm):
            intent = Intent.COUNT
        elif _LIST.search(norm):
            intent = Intent.LIST
        else:
            intent = Intent.SEARCH
        topic = topic_for()
        strong_scope = any(m.strength is _STRONG and m.valid for m in mentions)
        if intent in (Intent.COUNT, Intent.LIST) and not strong_scope and mentions:
            weak_only = _clean_topic(text, hint_spans, [], None) and not _clean_topic(
                text, hint_spans + [m.span for m in mentions], [], None
            )
            if weak_only:  # an exact count needs a scope: the weak names are the scope
                mentions = [replace(m, strength=_STRONG) for m in mentions]
                topic = topic_for()
        if ids and intent is Intent.SEARCH and not topic:
            intent, lookup_fields = Intent.LOOKUP, ("sdgs", "action_lines")
        elif intent is Intent.SEARCH and not topic and _has_scope(mentions):
            intent = Intent.LIST  # a bare scope ("SDG 5 commitments") asks for all of it

    strong = tuple(m for m in mentions if m.strength is _STRONG)
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
        all_action_lines=any(m.kind is MentionKind.ALL_ACTION_LINES for m in strong),
        commitment_ids=ids,
    )


_NAME_GAP = re.compile(r"[\s:,()\-–—\"“”']*")


def _absorb_adjacent_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A weak name right next to the code it names ("SDG 4 Quality Education", "Objective 2:
    digital economy") is that code's label, not a topic: it becomes strong too."""
    out = list(mentions)
    for i, m in enumerate(out):
        if m.strength is not _WEAK:
            continue
        for other in out:
            if other.strength is _STRONG and (other.kind, other.value) == (m.kind, m.value):
                gap = (
                    text[other.end : m.start] if other.end <= m.start else text[m.end : other.start]
                )
                if _NAME_GAP.fullmatch(gap):
                    out[i] = replace(m, strength=_STRONG)
                    break
    return out


def _has_scope(mentions: list[Mention]) -> bool:
    return any(
        m.strength is _STRONG and m.valid and m.kind is not MentionKind.COMMITMENT for m in mentions
    )


# --------------------------------------------------------------------------- language

_EN_WORDS = frozenset(
    "the is are which what how many of to and on about commitments commitment does do with for "
    "in show list mapped under who that this these those more any".split()
)
_FR_WORDS = frozenset(
    "le les des du est sont quels quelles quel quelle combien engagements engagement avec pour "
    "dans sur une qui ce ces cette au aux et ou liés lié liées relatifs concernant odd objectif "
    "objectifs numérique données droits pas mais leur leurs il elle ils ont montrez montre "
    "quoi parmi ceux également vie privée".split()
)
_ES_WORDS = frozenset(
    "el los las del es son cuáles cuál cuántos cuántas cuantos compromisos compromiso con para "
    "sobre una qué por al lo y hay están relacionados relacionadas ods objetivo objetivos "
    "digitales datos derechos privacidad inteligencia muestra también pero su sus estos esos "
    "cuales ellos".split()
)


def detect_language(text: str) -> str:
    """ISO 639-1 guess: 'ar' for Arabic script, 'fr' / 'es' by stop words and accents, else 'en'."""
    if re.search(r"[\u0600-\u06ff\u0750-\u077f]", text):
        return "ar"
    lowered = text.casefold()
    words = re.findall(r"[^\W\d_]+", lowered)
    scores = {
        "en": sum(w in _EN_WORDS for w in words),
        "fr": sum(w in _FR_WORDS for w in words) + 2 * len(re.findall(r"[çèêëàâîôûœ]", lowered)),
        "es": sum(w in _ES_WORDS for w in words) + 2 * len(re.findall(r"[ñ¿¡áíóú]", lowered)),
    }
    if re.search(r"\b(?:l|d|qu)['’]\w", lowered):
        scores["fr"] += 2
    best = max(("fr", "es"), key=lambda lang: scores[lang])
    return best if scores[best] > scores["en"] else "en"


# --------------------------------------------------------------------------- chat follow-ups


def __getattr__(name: str) -> object:
    # The follow-up names are re-exported lazily: followup imports this module, so a plain import
    # here would be a cycle whenever followup is imported first.
    if name in ("FollowUp", "FollowUpKind", "parse_followup"):
        from . import followup

        return getattr(followup, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
