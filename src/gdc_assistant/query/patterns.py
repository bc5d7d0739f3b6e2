"""The tables and regular expressions that recognise mentions: names of SDGs, Action Lines,
objectives and sections in several languages, and the patterns for codes and numbers."""

from __future__ import annotations

import re

from .kinds import AL, OBJ, SDG, SEC, STRONG, WEAK, MentionKind, Strength
from .names import c7_sub_names, fold, name_rows, phrase_pattern

# --------------------------------------------------------------------------- tables

NUMBER_WORDS = {
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
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_C7_SUBS = "government|business|learning|health|employment|environment|agriculture|science"


_SKILLS = "Digital literacy, skills and capacities"
_DPI = "Digital public goods and digital public infrastructure"
_DATA_DEV = "Data for the Sustainable Development Goals and for development"

_SDG_SHORT_WORDS = {
    1: "poverty",
    2: "hunger food",
    3: "health",
    4: "education",
    5: "gender",
    6: "water sanitation",
    7: "energy",
    8: "jobs employment",
    9: "infrastructure industry innovation",
    10: "inequality inequalities",
    11: "cities",
    12: "consumption",
    13: "climate",
    14: "ocean oceans",
    15: "biodiversity",
    16: "peace justice",
    17: "partnership partnerships",
}

# (phrase, kind, value, strength). Strong phrases never occur in a commitment's text (tested).
NAMES: tuple[tuple[str, MentionKind, int | str, Strength], ...] = (
    ("no poverty", SDG, 1, STRONG),
    ("poverty", SDG, 1, WEAK),
    ("zero hunger", SDG, 2, STRONG),
    ("hunger", SDG, 2, WEAK),
    ("good health and well-being", SDG, 3, STRONG),
    ("good health", SDG, 3, WEAK),
    ("well-being", SDG, 3, WEAK),
    ("quality education", SDG, 4, WEAK),
    ("gender equality", SDG, 5, WEAK),
    ("clean water and sanitation", SDG, 6, STRONG),
    ("clean water", SDG, 6, WEAK),
    ("sanitation", SDG, 6, WEAK),
    ("affordable and clean energy", SDG, 7, STRONG),
    ("clean energy", SDG, 7, WEAK),
    ("decent work and economic growth", SDG, 8, STRONG),
    ("decent work", SDG, 8, WEAK),
    ("economic growth", SDG, 8, WEAK),
    ("industry, innovation and infrastructure", SDG, 9, STRONG),
    ("reduced inequalities", SDG, 10, STRONG),
    ("inequalities", SDG, 10, WEAK),
    ("sustainable cities and communities", SDG, 11, STRONG),
    ("sustainable cities", SDG, 11, WEAK),
    ("responsible consumption and production", SDG, 12, STRONG),
    ("responsible consumption", SDG, 12, WEAK),
    ("climate action", SDG, 13, WEAK),
    ("life below water", SDG, 14, STRONG),
    ("life on land", SDG, 15, STRONG),
    ("peace, justice and strong institutions", SDG, 16, STRONG),
    ("strong institutions", SDG, 16, WEAK),
    ("partnerships for the goals", SDG, 17, STRONG),
    # an SDG's usual one-word name framed as a goal: "the health goal", "the climate SDG"
    *(
        (f"{word} {kind}", SDG, number, STRONG)
        for number, words in _SDG_SHORT_WORDS.items()
        for word in words.split()
        for kind in ("goal", "SDG")
    ),
    ("role of public governance authorities", AL, "C1", STRONG),
    ("information and communication infrastructure", AL, "C2", STRONG),
    ("access to information and knowledge", AL, "C3", STRONG),
    ("capacity building", AL, "C4", WEAK),
    ("building confidence and security", AL, "C5", STRONG),
    ("enabling environment", AL, "C6", WEAK),
    ("ICT applications", AL, "C7", STRONG),
    ("cultural diversity and identity", AL, "C8", STRONG),
    ("cultural diversity", AL, "C8", WEAK),
    ("linguistic diversity", AL, "C8", WEAK),
    ("local content", AL, "C8", WEAK),
    ("media", AL, "C9", WEAK),
    ("ethical dimensions of the information society", AL, "C10", STRONG),
    ("ethical dimensions", AL, "C10", STRONG),
    ("international and regional cooperation", AL, "C11", STRONG),
    *((f"e-{sub}", AL, f"C7 E-{sub}", WEAK) for sub in _C7_SUBS.split("|")),
    ("close all digital divides", OBJ, 1, STRONG),
    ("digital divides", OBJ, 1, WEAK),
    ("digital divide", OBJ, 1, WEAK),
    ("inclusion in and benefits from the digital economy", OBJ, 2, STRONG),
    ("digital economy", OBJ, 2, WEAK),
    ("inclusive, open, safe, and secure digital space", OBJ, 3, STRONG),
    ("interoperable data governance approaches", OBJ, 4, STRONG),
    ("data governance", OBJ, 4, WEAK),
    ("international governance of artificial intelligence", OBJ, 5, STRONG),
    ("governance of artificial intelligence", OBJ, 5, WEAK),
    ("governance of AI", OBJ, 5, WEAK),
    ("AI governance", OBJ, 5, WEAK),
    ("follow-up and review", OBJ, "follow-up", STRONG),
    ("connectivity", SEC, "Connectivity", WEAK),
    ("digital literacy, skills and capacities", SEC, _SKILLS, STRONG),
    ("digital literacy", SEC, _SKILLS, WEAK),
    ("digital skills", SEC, _SKILLS, WEAK),
    ("digital public goods and digital public infrastructure", SEC, _DPI, WEAK),
    ("digital public goods", SEC, _DPI, WEAK),
    ("digital public infrastructure", SEC, _DPI, WEAK),
    ("human rights", SEC, "Human rights", WEAK),
    ("internet governance", SEC, "Internet governance", WEAK),
    ("digital trust and safety", SEC, "Digital trust and safety", STRONG),
    ("trust and safety", SEC, "Digital trust and safety", WEAK),
    ("information integrity", SEC, "Information integrity", WEAK),
    ("data privacy and security", SEC, "Data privacy and security", STRONG),
    ("data privacy", SEC, "Data privacy and security", WEAK),
    ("data exchanges and standards", SEC, "Data exchanges and standards", STRONG),
    ("data for the sustainable development goals and for development", SEC, _DATA_DEV, STRONG),
    ("data for development", SEC, _DATA_DEV, WEAK),
    ("cross-border data flows", SEC, "Cross-border data flows", WEAK),
    ("data flows", SEC, "Cross-border data flows", WEAK),
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


# English names and the other languages' (names.json), longest first; matched on `fold`ed text.
_NAME_ROWS = sorted(
    [(p, _phrase_pattern(fold(p)), k, v, s) for p, k, v, s in NAMES]
    + [(p, phrase_pattern(p, lang), k, v, s) for p, k, v, s, lang in name_rows()],
    key=lambda row: -len(row[0]),
)
NAME_PATTERNS = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, value, strength)
    for _, pattern, kind, value, strength in _NAME_ROWS
)
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")


def name_anchor(phrase: str) -> str:
    """Characters every match of a name's pattern contains (case-folded, accents folded), so the
    pattern is tried only on text that has them; "" (always try) where its letters can vary."""
    if _ARABIC_LETTERS.search(phrase):
        return ""  # alef forms and clitics vary
    parts = [p for p in re.split(r"[\s,、，&'’-]+", fold(phrase).casefold()) if p]
    longest = max(parts, key=len, default="")
    return longest[:3] if len(longest) >= 3 else ""


NAME_ANCHORS = tuple(name_anchor(phrase) for phrase, *_ in _NAME_ROWS)

# --------------------------------------------------------------------------- code patterns

_NUM = r"(?:\d{1,3}(?![\d,]\d)|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_SEP = (  # "and" / "or" in the languages whose SDG names are recognised
    r"(?:\s*(?:,|&|\band\b|\bor\b|\bet\b|\bou\b|\by\b|\bo\b|\bund\b|\boder\b|\be\b"
    r"|\bи\b|\bили\b)\s*)"
)
_NOT_QUANTITY = r"(?!\s*(?:%|percent|per\s+cent|billion|million|thousand|people|years?)\b)"
_TARGET = r"(?:\.(?:\d{1,2}|[a-c])(?![\w.]))?"
_ITEM = rf"{_NUM}{_TARGET}{_NOT_QUANTITY}"
_MORE = rf"\d{{1,3}}(?![\d,]\d){_TARGET}{_NOT_QUANTITY}"  # "and one other" is no SDG 1
SDG_NUMBERS = re.compile(
    r"(?<![\w-])(?P<kw>SDGs?|goals?|ODDs?|ODS|objectifs?\s+de\s+d[ée]veloppement\s+durable"
    r"|objetivos?\s+de\s+desarrollo\s+sostenible|objetivos?\s+de\s+desenvolvimento\s+sustent[aá]vel"
    r"|(?:nachhaltig\w*\s+)?Entwicklungsziel(?:e|s|en)?|Nachhaltigkeitsziel(?:e|s|en)?|Ziel(?:e|s|en)?"
    r"|ЦУР|цел(?:ь|и|ей|ям|ях|ью)(?:\s+(?:в\s+области\s+)?устойчивого\s+развития)?)"
    rf"\s*(?:-|#|n°|no\.|Nr\.|№|number)?\s*(?P<list>{_ITEM}(?:{_SEP}{_MORE})*)(?!\w|\.\w)",
    re.IGNORECASE,
)
_AR_NUM = r"\d{1,3}"
SDG_ARABIC = re.compile(
    r"(?:ال)?(?:هدف|أهداف)(?:\s+التنمية\s+المستدامة)?\s*(?:رقم\s*)?"
    rf"(?P<list>{_AR_NUM}(?:\s*(?:,|،|و)\s*{_AR_NUM})*)(?!\d)"
)
# Chinese writes no spaces: the goal's name is delimited by the digits that follow it.
SDG_CHINESE = re.compile(
    r"(?:可持续发展目标|可持续发展|SDGs?|目标)\s*(?:第\s*)?"
    r"(?P<list>\d{1,3}(?:\s*(?:、|,|，|和|与|及|或)\s*\d{1,3})*)(?!\d)",
    re.IGNORECASE,
)
_OBJ_ITEM = r"(?:\d{1,2}(?!\d)|[IVX]{1,4}\b|" + "|".join(NUMBER_WORDS) + r")"
OBJECTIVE_NUMBERS = re.compile(
    r"(?<![\w-])(?P<kw>objectives?|objectifs?|objetivos?)\s*(?:#|n°|no\.|number)?\s*"
    rf"(?P<list>{_OBJ_ITEM}(?:{_SEP}(?:\d{{1,2}}(?!\d)|[IVX]{{1,4}}\b))*)(?![\w.])",
    re.IGNORECASE,
)
OBJECTIVE_ORDINAL = re.compile(
    r"(?<![\w-])(?P<ord>first|second|third|fourth|fifth)\s+objective\b", re.IGNORECASE
)
_C7_SUBS_I18N = "|".join(
    r"\s+".join(re.escape(w) for w in name.split())
    for name in sorted(c7_sub_names(), key=len)[::-1]
)
# Codes and ids are ASCII: they are delimited against ASCII letters only, so that they are found
# inside Chinese text too ("行动方针C4的", "承诺O3-IG-04").
AL_CODE = re.compile(
    r"(?<![A-Za-z0-9_-])(?:WSIS\s+)?(?:action\s+lines?\s+)?C(?P<num>\d{1,2})(?!\d)"
    rf"(?:\s*(?P<sub>e-?(?:{_C7_SUBS})|{_C7_SUBS_I18N}|e-[a-z]+))?(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
AL_NUMBERS = re.compile(
    rf"(?<![\w-])(?:WSIS\s+)?action\s+lines?\s*(?P<list>\d{{1,2}}(?:{_SEP}\d{{1,2}})*)(?![\w.])",
    re.IGNORECASE,
)
ALL_SDGS_PATTERN = re.compile(
    r"[\"“']?\ball\s+(?:the\s+)?(?:17\s+)?(?:SDGs|sustainable\s+development\s+goals)\b[\"”']?",
    re.IGNORECASE,
)
ALL_ACTION_LINES_PATTERN = re.compile(
    r"[\"“']?\ball\s+(?:the\s+)?(?:11\s+)?(?:WSIS\s+)?action\s+lines\b[\"”']?", re.IGNORECASE
)
NO_SDG_PATTERN = re.compile(
    r"\b(?:no|without(?:\s+(?:an?|any))?|lacks?(?:\s+(?:an?|any))?|not\s+mapped\s+to\s+any)"
    r"\s+SDGs?\b(?!\s*\d)|\bsans\s+(?:aucun\s+)?ODD\b(?!\s*\d)|\bsin\s+(?:ning[uú]n\s+)?ODS\b(?!\s*\d)"
    r"|\bsem\s+(?:nenhum\s+)?ODS\b(?!\s*\d)|\bohne\s+(?:ein\s+)?SDG\b(?!\s*\d)|\bбез\s+ЦУР\b(?!\s*\d)"
    r"|没有(?:对应(?:的)?)?(?:任何)?(?:可持续发展目标|SDG)(?!\s*\d)",
    re.IGNORECASE,
)
COMMITMENT_ID = re.compile(
    r"(?<![A-Za-z0-9_-])(?:O[1-5](?:-[A-Z]+){0,2}-\d{2}|FR-\d{2})(?![A-Za-z0-9_-])", re.IGNORECASE
)
# The kind words of an SDG and an Action Line in the other seven languages (text folded: no
# accents), as the UN's language versions of the SDGs and of the WSIS Plan of Action write them.
_SDG_KIND_I18N = (
    r"ODD|ODS|objectifs?\s+de\s+developpement\s+durable|objetivos?\s+de\s+desarrollo\s+sostenible"
    r"|objetivos?\s+de\s+desenvolvimento\s+sustentavel|Nachhaltigkeitsziel\w*|ЦУР"
    r"|цел\w*\s+устойчивого\s+развития|(?:ال)?هدف|可持续发展目标"
)
_AL_KIND_I18N = (
    r"lignes?\s+d['’]action(?:\s+du\s+SMSI)?|grandes?\s+orientations?(?:\s+du\s+SMSI)?"
    r"|lineas?\s+de\s+accion(?:\s+de\s+la\s+CMSI)?|linhas?\s+de\s+acao(?:\s+da\s+CMSI)?"
    r"|(?:WSIS-)?Aktionslinie\w*|направлени\w*(?:\s+деятельности)?(?:\s+ВВУИО)?"
    r"|лини\w*\s+действий(?:\s+ВВУИО)?|(?:ب|ل)?خط(?:وط)?\s+(?:ال)?عمل|行动方针|行动路线"
)
SDG_KIND_WORD = re.compile(_SDG_KIND_I18N, re.IGNORECASE)
AL_KIND_WORD = re.compile(_AL_KIND_I18N, re.IGNORECASE)
KIND_BEFORE = re.compile(
    r"(?P<kw>\b(?:SDG|goal|(?:WSIS\s+)?action\s+line|objective|section|sub-?heading|heading)s?"
    rf"|(?<!\w)(?:{_SDG_KIND_I18N}|{_AL_KIND_I18N}))"
    r"\s*(?:(?:on|of|for|about|called|named|de|du|des|del|da|do|sobre|relatif\s+a|relative\s+a"
    r"|relativo\s+a|relativa\s+a|zu[rm]?|fur|uber|по|о|в\s+области)\s+)?"
    r"(?:(?:the|l['’]|la|le|les|el|los|las|o|a|os|as|der|die|das|dem|den)\s*)?[\"“'«„]?\s*$",
    re.IGNORECASE,
)
KIND_AFTER = re.compile(
    r"^[\"”'»“]?\s*(?P<kw>(?:(?<=\s)(?:SDG|goal|(?:WSIS\s+)?action\s+line|objective|section"
    r"|sub-?heading|heading)s?\b)|行动方针|行动路线|可持续发展目标|目标)",
    re.IGNORECASE,
)
SCOPE_VERB_BEFORE = re.compile(
    r"\b(?:mapped\s+to|maps?\s+to|cites?|cited|citing|under|belongs?\s+to|belonging\s+to"
    r"|falls?\s+under|tagged(?:\s+with)?|linked\s+to)\s+(?:the\s+)?[\"“']?$",
    re.IGNORECASE,
)
SCOPE_END = re.compile(
    r"[\"”']?\s*(?:$|[?.!,;:)]|(?:and|or|&|under|in|with|that|which|commitments?)\b)",
    re.IGNORECASE,
)
KIND_OF_WORD = {
    "sdg": SDG,
    "goal": SDG,
    "action line": AL,
    "objective": OBJ,
    "section": SEC,
    "heading": SEC,
    "subheading": SEC,
    "sub-heading": SEC,
}

# "Ziel 3 des Digitalpakts", "goal 3 of the compact": a generic goal word then the GDC is an
# objective of the GDC, not an SDG.
GDC_AFTER = re.compile(
    r"\s*(?:(?:of|in|from|des|der|du|de|dans|del|do|da|из|в|من|في)\s+)?(?:(?:the|la|le|el|o)\s+)?"
    r"(?:GDC\b|(?:global\s+digital\s+)?compact\b|(?:Global\w*\s+)?Digitalpakt\w*|Pakt\w*"
    r"|pacte\b|pacto\b|договор\w*|الميثاق|(?:全球)?数字契约|契约)",
    re.IGNORECASE,
)
_ORDINAL_STEMS = (  # the objective's ordinal in each language, text folded (no accents)
    ("premi", "primer", "primeir", "erst", "перв", "الأول", "الاول", "一"),
    ("second", "deuxi", "segund", "zweit", "втор", "الثاني", "二"),
    ("troisi", "tercer", "terceir", "dritt", "трет", "الثالث", "三"),
    ("quatri", "cuart", "quart", "viert", "четверт", "الرابع", "四"),
    ("cinqui", "quint", "funft", "fuenft", "пят", "الخامس", "五"),
)


def ordinal_number(word: str) -> int:
    """1-5 for an ordinal word in any of the eight languages ("cinquieme", "الخامس", "五")."""
    word = word.casefold()
    return next(n for n, stems in enumerate(_ORDINAL_STEMS, 1) if word.startswith(stems))


_NOT_SDG_AFTER = (
    r"(?!\s+(?:de\s+(?:d[ée]veloppement|desarrollo|desenvolvimento)|der\s+nachhaltig|устойчив"
    r"|للتنمية|من\s+أهداف))"
)
OBJECTIVE_ORDINALS_I18N = tuple(
    (re.compile(pattern + _NOT_SDG_AFTER, re.IGNORECASE), ordinal_number)
    for pattern in (
        r"(?<![\w-])(?P<ord>premi[eè]re?|deuxi[eè]me|second[e]?|troisi[eè]me|quatri[eè]me"
        r"|cinqui[eè]me)\s+objectif\b",
        r"(?<![\w-])(?P<ord>primer[oa]?|primeir[oa]|segund[oa]|tercer[oa]?|terceir[oa]|cuart[oa]"
        r"|quart[oa]|quint[oa])\s+objetivo\b",
        r"(?<![\w-])(?P<ord>(?:erst|zweit|dritt|viert|f[uü]nft|fuenft)(?:e[nrsm]?)?)\s+Ziel\w*",
        r"(?<![\w-])(?P<ord>(?:перв|втор|трет|четв[её]рт|пят)\w*)\s+цел\w*",
        r"(?:ال)?هدف\s+(?P<ord>ال[أا]ول|الثاني|الثالث|الرابع|الخامس)(?!\w)",
        r"第(?P<ord>[一二三四五])(?:个|項|项)?目标",
    )
)
