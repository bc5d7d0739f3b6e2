"""Count, list and lookup questions in the six UN languages, German and Portuguese: the intent is
recognised, a name of the scope in the question is part of the scope, and a topic stays a topic."""

from __future__ import annotations

import pytest

from gdc_assistant.query.mentions import find_mentions
from gdc_assistant.query.parse import Intent, parse_query

# --------------------------------------------------------------------------- count

COUNT = Intent.COUNT


@pytest.mark.parametrize(
    ("text", "sdgs", "action_lines", "objectives"),
    [
        ("How many commitments belong to objective 2 on the digital economy?", (), (), (2,)),
        ("Combien d'engagements relèvent de l'ODD 14, vie aquatique ?", (14,), (), ()),
        ("¿Cuántos compromisos contribuyen al ODS 6, agua limpia y saneamiento?", (6,), (), ()),
        (
            "Quantos compromissos contribuem para o ODS 12 (consumo e produção responsáveis)?",
            (12,),
            (),
            (),
        ),  # fmt: skip
        (
            "Wie viele Verpflichtungen sind dem SDG 7, bezahlbare und saubere Energie, zugeordnet?",
            (7,),
            (),
            (),
        ),  # fmt: skip
        (
            "Сколько обязательств относится к ЦУР 16 «Мир, правосудие и эффективные институты»?",
            (16,),
            (),
            (),
        ),  # fmt: skip
        ("كم عدد الالتزامات المرتبطة بخط العمل C3 النفاذ إلى المعلومات والمعارف؟", (), ("C3",), ()),
        ("与行动方针C11国际和区域合作挂钩的承诺有多少项？", (), ("C11",), ()),
        ("Combien d'engagements concernent la cybersanté ?", (), ("C7 E-health",), ()),
        ("Wie viele Verpflichtungen gehören zum zweiten Ziel?", (), (), (2,)),
        ("كم عدد الالتزامات في الهدف الثالث؟", (), (), (3,)),
        ("Сколько обязательств в четвертой цели?", (), (), (4,)),
    ],
)
def test_counts_name_their_scope_in_every_language(text, sdgs, action_lines, objectives):
    parsed = parse_query(text)
    assert (parsed.intent, parsed.topic) == (COUNT, "")
    assert (parsed.sdgs, parsed.action_lines, parsed.objectives) == (sdgs, action_lines, objectives)


# --------------------------------------------------------------------------- list


@pytest.mark.parametrize(
    ("text", "sdgs", "action_lines", "include_all"),
    [
        (
            "Which commitments are explicitly linked to SDG 9, industry, innovation and "
            "infrastructure?",
            (9,),
            (),
            False,
        ),  # fmt: skip
        ("Énumérez les engagements rattachés à la ligne d'action C2 du SMSI.", (), ("C2",), None),
        (
            "Quels engagements sont associés expressément à l'ODD 4, éducation de qualité ?",
            (4,),
            (),
            False,
        ),  # fmt: skip
        ("Enumera los compromisos vinculados al ODS 3, salud y bienestar.", (3,), (), None),
        ("Liste os compromissos que citam a linha de ação C7 e-saúde.", (), ("C7 E-health",), None),
        (
            "Welche Verpflichtungen sind ausdrücklich der Aktionslinie C6 zugeordnet?",
            (),
            ("C6",),
            False,
        ),  # fmt: skip
        (
            "Перечислите обязательства, прямо отнесённые к ЦУР 5 (гендерное равенство).",
            (5,),
            (),
            False,
        ),  # fmt: skip
        ("اذكر الالتزامات المرتبطة صراحةً بالهدف 13 العمل المناخي", (13,), (), False),
        ("列出明确对应可持续发展目标9的承诺", (9,), (), False),
        ("哪些承诺与行动方针C7电子卫生挂钩？", (), ("C7 E-health",), None),
    ],
)
def test_lists_name_their_scope_in_every_language(text, sdgs, action_lines, include_all):
    parsed = parse_query(text)
    assert (parsed.intent, parsed.topic) == (Intent.LIST, "")
    assert (parsed.sdgs, parsed.action_lines, parsed.include_all) == (
        sdgs,
        action_lines,
        include_all,
    )


# --------------------------------------------------------------------------- lookup


@pytest.mark.parametrize(
    ("text", "words", "fields"),
    [
        (
            "À quels ODD correspond l'engagement sur la protection des enfants en ligne ?",
            "protection des enfants",
            ("sdgs",),
        ),  # fmt: skip
        (
            "¿A qué líneas de acción se vincula el compromiso sobre las normas abiertas?",
            "normas abiertas",
            ("action_lines",),
        ),  # fmt: skip
        (
            "A quais ODS e linhas de ação está ligado o compromisso sobre a desinformação?",
            "desinformação",
            ("sdgs", "action_lines"),
        ),  # fmt: skip
        (
            "Welchen SDGs ist die Verpflichtung zum Schutz der Privatsphäre zugeordnet?",
            "Schutz der Privatsphäre",
            ("sdgs",),
        ),  # fmt: skip
        (
            "К каким ЦУР относится обязательство о защите детей в интернете?",
            "защите детей в интернете",
            ("sdgs",),
        ),  # fmt: skip
        (
            "ما أهداف التنمية المستدامة المرتبطة بالالتزام الخاص بحماية الأطفال على الإنترنت؟",
            "حماية الأطفال",
            ("sdgs",),
        ),  # fmt: skip
        ("关于儿童网络保护的承诺对应哪些可持续发展目标？", "儿童网络保护", ("sdgs",)),
    ],
)
def test_a_lookup_by_description_in_every_language(text, words, fields):
    parsed = parse_query(text)
    assert parsed.intent is Intent.LOOKUP
    assert words in parsed.topic and parsed.lookup_fields == fields
    assert parsed.filters().is_empty  # the subject is searched, not filtered by


@pytest.mark.parametrize(
    "text",
    [
        "Quais ODS e linhas de ação tem o compromisso O3-HR-02?",
        "К каким направлениям деятельности ВВУИО относится обязательство O4-DATA-STD-01?",
        "承诺 O1-DPI-02 对应哪些行动方针？",
    ],
)
def test_a_lookup_by_id_in_other_languages(text):
    parsed = parse_query(text)
    assert parsed.intent is Intent.LOOKUP and parsed.commitment_ids and parsed.topic == ""


def test_which_sdgs_an_objective_covers_is_no_lookup():
    parsed = parse_query("Welche SDGs deckt Ziel 3 des Digitalpakts ab?")
    assert parsed.intent is not Intent.LOOKUP and parsed.objectives == (3,)


# --------------------------------------------------------------------------- topics stay topics


@pytest.mark.parametrize(
    ("text", "sdgs", "topic"),
    [
        ("Which commitments on data privacy cite SDG 16?", (16,), "data privacy"),
        ("Quels engagements sur la vie privée des données citent l'ODD 16 ?", (16,), "vie privée"),
        ("¿Qué compromisos sobre la privacidad de los datos citan el ODS 16?", (16,), "privacidad"),
        ("Which SDG 16 commitments are about justice?", (16,), "justice"),
        ("Какие обязательства по кибербезопасности связаны с ЦУР 9?", (9,), "кибербезопасности"),
    ],
)
def test_a_topic_with_a_scope_keeps_its_topic(text, sdgs, topic):
    parsed = parse_query(text)
    assert parsed.intent is Intent.SEARCH and parsed.sdgs == sdgs
    assert topic in parsed.topic


def test_an_everyday_name_without_a_code_stays_a_topic_in_a_search():
    parsed = parse_query("Quels engagements portent sur l'égalité entre les sexes ?")
    assert (parsed.intent, parsed.sdgs) == (Intent.SEARCH, ())
    assert "égalité entre les sexes" in parsed.topic


def test_the_same_name_counted_is_a_scope():
    parsed = parse_query("Combien d'engagements portent sur l'égalité entre les sexes ?")
    assert (parsed.intent, parsed.sdgs, parsed.topic) == (COUNT, (5,), "")


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ликвидации нищеты", 1),  # inflected
        ("l'egalite entre les sexes", 5),  # no accents
        ("والمؤسسات القوية", 16),  # attached "and the"
        ("性别平等", 5),
        ("Frieden, Gerechtigkeit und starken Institutionen", 16),
    ],
)
def test_sdg_names_are_recognised_in_any_form(text, value):
    assert [m.value for m in find_mentions(text)] == [value]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("C7 E-santé", "C7 E-health"),
        ("C7 cibersalud", "C7 E-health"),
        ("C7 E-Gesundheit", "C7 E-health"),
        ("C7电子农业", "C7 E-agriculture"),
    ],
)
def test_c7_sub_lines_by_their_names_in_other_languages(text, code):
    assert [m.value for m in find_mentions(text)] == [code]


def test_goal_n_of_the_compact_is_an_objective_and_goal_n_alone_an_sdg():
    assert [(m.kind.value, m.value) for m in find_mentions("Ziel 3 des Digitalpakts")] == [
        ("objective", 3)
    ]
    assert [(m.kind.value, m.value) for m in find_mentions("Ziel 3")] == [("sdg", 3)]
