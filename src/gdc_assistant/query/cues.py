"""The words that say what a question asks, in eight languages: count, list, lookup, "explicitly"
or "including All", and the verbs that say "mapped to". Pure regular expressions and word sets;
`parse` decides what they mean together."""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- explicit / All

_ALL_TAIL = (
    r"[\"“']?all(?:\s+(?:SDGs|(?:WSIS\s+)?action\s+lines|mappings?|ones))?[\"”']?"
    r"(?:(?<=SDGs)|(?<=lines)|(?<=mappings)|(?<=mapping)|(?<=ones)|(?<=[\"”'])|(?=\s*(?:[?.!,;)]|$)))"
)
INCLUDE_ALL = re.compile(
    r"\b(?:including|include|counting|incl\.)\s+(?:the\s+)?" + _ALL_TAIL, re.IGNORECASE
)
EXCLUDE_ALL = re.compile(
    r"\b(?:only\s+)?explicit(?:ly)?(?:\s+(?:mapped|mappings?|ones|links?))?\b"
    r"|\b(?:explicitement|express[ée]ment|expl[íi]citamente|expresamente|expressamente"
    r"|ausdr[üu]cklich|explizit|явно|прямо|напрямую)(?!\w)"
    r"|\bde\s+(?:forma|manera|fa[çc]on|modo)\s+(?:expl[íi]cita|explicite|expresa|expressa)\b"
    r"|(?<!\w)(?:صراحة|بشكل\s+صريح)|明确|明示"
    r"|\b(?:excluding|exclude|without|not\s+counting|not\s+including|ignoring|ignore|but\s+not"
    r"|not\s+(?:through|via)|except(?:\s+for)?|other\s+than)\s+(?:the\s+)?" + _ALL_TAIL,
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- count / list

COUNT_PATTERN = re.compile(
    r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\b|\bcombien\b|\bcu[aá]nt[oa]s\b"
    r"|\bnombre\s+(?:de|d['’])|\bn[uú]mero\s+de\b|(?<!\w)كم(?!\w)|(?<!\w)عدد(?!\w)"
    r"|\bquant[oa]s\b|\bwie\s*viele\b|\banzahl\b|\bсколько\b|\bчисло\b|多少|几个|几项|数量",
    re.IGNORECASE,
)
LIST_PATTERN = re.compile(
    r"^\s*(?:please\s+)?(?:list|enumerate|liste[rz]?|lista|enumer[ae]r?|[ée]num[ée]re[rz]?"
    r"|donne[zr]?\s+(?:moi\s+)?la\s+liste"
    r"|show\s+(?:me\s+)?(?:all|every)|give\s+me\s+(?:all|every|a\s+(?:full\s+)?list)"
    r"|display\s+all|montre[rz]?\s+(?:moi\s+)?tous|muestra(?:me)?\s+todos|listar|liste\s+todos"
    r"|mostre\s+todos|zeige?\s+(?:mir\s+)?alle|liste\s+alle|nenne\s+alle|перечисл\w*|назови\w*"
    r"|покажите\s+все|покажи\s+все|список|(?:ا|أ)ذكر|اعرض)(?!\w)|^\s*(?:请)?列(?:出|举)"
    r"|\blist\s+(?:of\s+)?(?:all|every)\b|\bshow\s+(?:me\s+)?all\b|列出|列举",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- lookup

_FIELDS = (
    r"(?P<fields>SDGs?(?:\s+and\s+(?:WSIS\s+)?action\s+lines?)?|goals?"
    r"|(?:WSIS\s+)?action\s+lines?(?:\s+and\s+SDGs?)?|mappings?)"
)
_VERB = (
    r"(?:(?:been\s+)?(?:mapped|linked|tied|assigned|connected)(?:\s+to)?|maps?\s+to|cites?"
    r"|references?|covers?|refers?\s+to|falls?\s+under|under|ha(?:ve|s)|relates?\s+to"
    r"|belongs?\s+to|address(?:es)?|targets?|supports?)"
)
_END = r"\s*[?.!]*\s*$"
_LOOKUPS = (  # (pattern, whether the subject must say "commitment" or give an id)
    (
        rf"^\s*(?:which|what)\s+{_FIELDS}\s+(?:is|are|does|do|did)\s+(?P<x>.+?)\s+{_VERB}{_END}",
        False,
    ),
    (
        r"^\s*(?:what\s+(?:is|are)|show(?:\s+me)?|give\s+me|tell\s+me)\s+the\s+"
        rf"{_FIELDS}\s+(?:of|for)\s+(?P<x>.+?){_END}",
        False,
    ),
    (rf"^\s*how\s+is\s+(?P<x>.+?)\s+mapped{_END}", False),
    (rf"^\s*what\s+(?:is|are)\s+(?P<x>.+?)\s+mapped\s+to{_END}", True),
    (rf"^\s*(?:the\s+)?{_FIELDS}\s+(?:of|for)\s+(?P<x>.+?){_END}", True),
)
_LOOKUP_PATTERNS = tuple((re.compile(p, re.IGNORECASE), needs) for p, needs in _LOOKUPS)
_SUBJECT = re.compile(r"\bcommitments?\b|\bthe\s+one\s+(?:on|about)\b", re.IGNORECASE)
_LEAD = re.compile(
    r"^\s*(?:the\s+)?(?:GDC\s+)?(?:commitments?|one)\s+(?:on|about|regarding|concerning|that"
    r"|which|for|related\s+to|calling\s+for|to(?=\s))?",
    re.IGNORECASE,
)

# The same question in the other seven languages: "which SDGs (and Action Lines) ... <subject>".
_SDG_WORDS = (
    r"ODDs?|ODS|SDGs?|ЦУР|цел(?:и|ям|ей|ями)(?:\s+устойчивого\s+развития)?"
    r"|objectifs?\s+de\s+d[ée]veloppement\s+durable"
    r"|objetivos?\s+de\s+(?:desarrollo\s+sostenible|desenvolvimento\s+sustent[áa]vel)"
    r"|(?:Nachhaltigkeits|Entwicklungs)ziele?|(?:ال)?أهداف\s+التنمية\s+المستدامة"
    r"|可持续发展目标|目标"
)
_AL_WORDS = (
    r"lignes?\s+d['’]action(?:\s+du\s+SMSI)?|l[íi]neas?\s+de\s+acci[óo]n(?:\s+de\s+la\s+CMSI)?"
    r"|linhas?\s+de\s+a[çc][ãa]o(?:\s+da\s+CMSI)?|(?:WSIS-)?Aktionslinien?"
    r"|направлени\w*(?:\s+деятельности)?(?:\s+ВВУИО)?|лини\w*\s+действий(?:\s+ВВУИО)?"
    r"|(?:و)?خطوط\s+(?:ال)?عمل(?:\s+القمة\s+العالمية\s+لمجتمع\s+المعلومات)?"
    r"|(?:WSIS\s*)?行动方针|行动路线"
)
_MAPPING_WORDS = r"correspondances?|mapeos?|mapeamentos?|Zuordnung(?:en)?|соответстви\w*"
_FIELD = rf"(?:{_SDG_WORDS}|{_AL_WORDS}|{_MAPPING_WORDS})"
_WHICH = (
    r"(?:(?:à|a|avec|con|com|en|em|de|zu|mit|к|с|в|по|إلى)\s+)?"
    r"(?:quel(?:le)?s?|qu[ée]|cu[áa]l(?:es)?|quais|qual|welche[nmrs]?|как(?:ие|им|ими|их|ой|ому)"
    r"|ما(?:\s+هي)?|ماهي|أي)"
)
_ARTICLE = r"(?:(?:les|los|las|os|as|die|der|den)\s+)?"
_I18N_LOOKUP = re.compile(
    rf"^\s*¿?\s*{_WHICH}\s+{_ARTICLE}(?P<fields>{_FIELD}"
    rf"(?:\s*(?:,|\bet\b|\by\b|\be\b|\bund\b|\bи\b)?\s*(?:{_WHICH}\s+)?{_ARTICLE}{_FIELD})?)"
    r"(?P<x>\s.+?)\s*[?.!؟]*\s*$",
    re.IGNORECASE,
)
_CHINESE_LOOKUP = re.compile(
    r"^\s*(?P<x>.+?)(?:对应|涉及|关联|挂钩|属于|映射到)?于?(?:哪些|哪个|什么)"
    r"(?P<fields>(?:可持续发展目标|目标|SDGs?|(?:WSIS\s*)?行动方针|行动路线)"
    r"(?:\s*(?:和|与|及|以及)\s*(?:可持续发展目标|目标|SDGs?|(?:WSIS\s*)?行动方针|行动路线))?)",
    re.IGNORECASE,
)
_I18N_SUBJECT = re.compile(
    r"engagements?|compromisos?|compromissos?|обязательств\w*|(?:ال)?التزام|承诺"
    r"|Verpflichtung\w*|Zusage\w*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lookup:
    """A mapping question: where its subject is, which fields it asks for, whether the subject
    says "commitment", and whether the subject is English (trimmed at its edges only)."""

    span: tuple[int, int]
    fields: tuple[str, ...]
    says_commitment: bool
    english: bool


def _fields(words: str, english: bool) -> tuple[str, ...]:
    words = words.casefold()
    if english:
        sdgs, lines = "sdg" in words or "goal" in words, "action" in words
    else:
        sdgs = re.search(_SDG_WORDS, words, re.IGNORECASE) is not None
        lines = re.search(_AL_WORDS, words, re.IGNORECASE) is not None
    both = not (sdgs or lines) or "mapping" in words
    return tuple(f for f, on in (("sdgs", sdgs or both), ("action_lines", lines or both)) if on)


def find_lookup(text: str, ids: tuple[str, ...]) -> Lookup | None:
    """The mapping question in `text` (English first, then the other languages), else None."""
    for pattern, needs_subject in _LOOKUP_PATTERNS:
        m = pattern.match(text)
        if m is None or (needs_subject and not (_SUBJECT.search(m["x"]) or ids)):
            continue
        lead = _LEAD.match(m["x"])
        start = m.start("x") + (lead.end() if lead else 0)
        fields = _fields(m.groupdict().get("fields") or "mapping", english=True)
        return Lookup((start, m.end("x")), fields, bool(_SUBJECT.search(m["x"])), True)
    for pattern in (_I18N_LOOKUP, _CHINESE_LOOKUP):
        m = pattern.match(text)
        if m is not None:
            says = bool(_I18N_SUBJECT.search(m["x"]))
            return Lookup(m.span("x"), _fields(m["fields"], english=False), says, False)
    return None


# --------------------------------------------------------------------------- not topics

# "mapped to", "associated with", "explicitly", "WSIS" and their inflections: never a topic.
MAPPING_STOP_WORDS = frozenset(
    """
    rattaché rattachés rattachée rattachées associé associés associée associées relié reliés
    relèvent relève contribuent contribue correspond correspondent renvoient rattachent
    couverts couvre couvrent appartiennent figurent explicitement expressément smsi cmsi wsis
    asociados asociadas asociado asociada relaciona relacionan contribuyen contribuye
    aluden alude expresamente explícita explícito explícitamente forma manera vinculada
    vinculado vinculados vinculadas citam referem contribuem contribui expressamente
    explicitamente ligado ligada vinculam
    verbunden verknüpft beitragen tragen bei genannt zugeordneten zugewiesen also
    отнесены отнесено отнесен отнесён относится соответствует указано указаны указывают прямо
    вносят вклад упомянуты упоминаются которых которые котором ввуио
    تذكر يذكر تشير صراحة الخاص الخاصة المتعلق الواردة الوارد تساهم تسهم المرتبطة المرتبط
    tem têm possui possuem tiene tienen ont имеет имеют لديه لها
    deckt decken ab abdecken abgedeckt umfasst umfassen cubre cubren abarca abarcan cobre cobrem
    abrange abrangem охватывает охватывают يغطي تغطي يشمل تشمل
    """.split()
)
# Inflected mapping verbs ("отнесённые", "vinculadas", "zugeordneten"): never a topic either.
MAPPING_STEMS = (
    "rattach",
    "vincul",
    "associad",
    "asociad",
    "zugeordn",
    "verknüpf",
    "отнес",
    "связан",
    "указан",
    "соответств",
    "упомина",
    "упомян",
    "относя",
    "отнесен",
)
