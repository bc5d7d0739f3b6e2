"""A question's topic: the question without its scope, intent words and boilerplate."""

from __future__ import annotations

import re

from .cues import MAPPING_STEMS, MAPPING_STOP_WORDS

_STOP = (
    frozenset(
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
    supports agree agrees agreed tied both either
    le la les un une des du de et ou est sont quel quels quelle quelles qui que quoi combien y a
    il ils engagement engagements lié liés liée liées relatif relatifs relatives concernant sur
    dans pour avec au aux en par ce ces cette moi montre montrez liste donne donnez existe odd
    objectif objectifs mentionnent portent traitent parlent tous toutes ceux à concernent concerne
    visent abordent dit disent comment a-t-il aborde-t-il y-a-t-il citent cite citant
    el los las unos unas del es son qué cuál cuáles cuántos cuántas cuantos cuantas hay
    compromiso compromisos relacionado relacionados relacionada relacionadas sobre para con por
    al lo se muestra muéstrame lista ods objetivo objetivos mencionan tratan hablan todos todas
    están esta está abordan dice dicen cómo vinculados vinculadas vinculado vinculada citan
    ما ماذا كم هل التي الذي في من على عن إلى و الالتزامات التزامات التزام الالتزام المتعلقة
    تتعلق أي ما هي هو عدد كيف يقول يتضمن بشأن المرتبطة المرتبط مرتبطة ترتبط
    der die das den dem des ein eine einer eines einem und oder ist sind welche welcher welches
    wie viele was gibt es zu zum zur mit für über von im in auf alle aller allen verpflichtung
    verpflichtungen zusage zusagen bezug beziehen bezieht beziehen sich gehören gehört zugeordnet
    verknüpft nennen nennt erwähnen erwähnt sagt liste zeige mir explizit ausdrücklich auch nur
    hat haben hatte betreffen betrifft behandeln behandelt sind werden wird zugeordnet zugeordneten
    o a os as um uma uns umas do da dos das de e ou é são qual quais quantos quantas há existem
    com para sobre por no na nos nas ao aos compromisso compromissos relacionados relacionadas
    ligados ligadas associados associadas mencionam tratam falam todos todas diz dizem como
    está estão estao ligado ligada associado associada correspondem corresponde correspondente
    pertencem pertence pertencentes pertenecen pertenece
    corresponden correspondent entsprechen entspricht соответствуют соответствует
    liste mostre listar explicitamente também apenas só
    и или в во на с со по о об обо к ко для из от до за какие какой какая каких какое сколько
    что все всех обязательство обязательства обязательств связаны связанные связанных относятся
    касаются касается упоминают упоминается говорится перечислите покажите покажи список явно
    связано связан связана относится
    также только есть ли это этот эти
    """.split()
    )
    | MAPPING_STOP_WORDS
)
_BOILERPLATE = re.compile(
    r"\b(?:the\s+)?global\s+digital\s+compact\b|\b(?:WSIS\s+)?action\s+lines?\b"
    r"|\bsustainable\s+development\s+goals?\b|\bpacte\s+num[ée]rique\s+mondial\b"
    r"|\bpacto\s+digital\s+mundial\b|الميثاق\s+الرقمي\s+العالمي"
    r"|\bpacto\s+digital\s+global\b|\bglobale[rn]?\s+digitalpakt\w*|\bdigitalpakt\w*"
    r"|\bглобальн\w+\s+цифров\w+\s+договор\w*\b|(?:全球)?数字契约中?|契约中?|契約"
    r"|WSIS行动方针|行动方针|行动路线|既|又"
    # "WSIS Action Line(s)" in the other languages
    r"|\b(?:WSIS-)?Aktionslinien?\b|\blinhas?\s+de\s+a[çc][ãa]o(?:\s+da\s+CMSI)?\b"
    r"|\bl[íi]neas?\s+de\s+acci[óo]n(?:\s+de\s+la\s+CMSI)?\b"
    r"|\blignes?\s+d['’]action(?:\s+du\s+SMSI)?\b|\bgrandes?\s+orientations?(?:\s+du\s+SMSI)?\b"
    r"|\bнаправлени\w*(?:\s+деятельности)?\b"
    r"|\bлини\w*\s+действий\b|\bВВУИО\b|(?:و)?خط(?:وط)?\s+(?:ال)?عمل|القمة\s+العالمية\s+لمجتمع\s+المعلومات"
    r"|(?:ب|ل|و)?(?:ال)?(?:أهداف|هدف)\s+التنمية\s+المستدامة|信息社会世界峰会|挂钩|关联|明确"
    # Chinese has no spaces: its question words and boilerplate are taken out as strings.
    r"|哪些|哪一些|什么|有没有|是否|属于|归属|相关的?|有关的?|关于|对应的?|涉及的?|承诺|条款|内容|方面的?"
    r"|请|列出|列举|一共有|总共有|共有|有多少项|有多少条|有多少个|有多少|多少项|多少条|多少个|多少"
    r"|有几项|有几个|有几条|几个|几项|几条|有哪些|都有|其中|的|了|吗|呢|与",
    re.IGNORECASE,
)
# Words that never carry a topic in this corpus, wherever they stand ("e-business commitments
# that help SMEs" -> "e-business ... help SMEs").
_DROP = frozenset(
    "commitment commitments gdc compact pact pacte pacto engagement engagements compromiso "
    "compromisos الالتزامات التزامات الالتزام الميثاق verpflichtung verpflichtungen pakt "
    "digitalpakt compromisso compromissos обязательство обязательства обязательств договор "
    "договоре пакт".split()
)
# Markup pasted with a question ("<b>privacy</b>") is shown as typed but never matched.
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# One Chinese character is one token (the text has no spaces to split on); other words as usual.
_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff]+(?:[-'’][^\W\u3400-\u9fff]+)*")
_BREAK = re.compile(r"[?!;:()\[\]\"“”«»¿¡؟،]|[.,](?!\d)")
_ELISION = re.compile(r"^(?:l|d|j|qu|n|s|c|m|t)['’]", re.IGNORECASE)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


# "بالالتزام", "والمتعلقة": a stop word with "and", "with" or "to" attached.
_ARABIC_CLITICS = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?=ال)|^(?:و|ف)(?=\w{2})")


def _is_boilerplate(word: str) -> bool:
    word = _ELISION.sub("", word.casefold())
    return word in _DROP or _ARABIC_CLITICS.sub("", word) in _DROP


def _is_stop(word: str) -> bool:
    word = _ELISION.sub("", word.casefold())
    return (
        word in _STOP
        or _ARABIC_CLITICS.sub("", word) in _STOP
        or word.replace("ё", "е").startswith(MAPPING_STEMS)
    )


def is_stop_word(word: str) -> bool:
    """True for question words, intent words and mapping verbs in the eight languages."""
    return _is_stop(word)


def topic_tokens(text: str) -> list[str]:
    """The words of `text` (one Chinese character is one word)."""
    return _TOKEN.findall(text)


def clean_topic(
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
    removed = removed + [m.span() for m in _MARKUP.finditer(text)]
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
