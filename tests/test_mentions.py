"""Mention recognition: SDGs, Action Lines, objectives, sections, strength and invalid numbers."""

from __future__ import annotations

import pytest

from gdc_assistant.corpus import load_corpus, load_objectives, load_sdg_names
from gdc_assistant.query.kinds import MentionKind, Strength
from gdc_assistant.query.mentions import find_mentions
from gdc_assistant.query.parse import Intent, parse_query
from gdc_assistant.query.patterns import NAMES


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


# --------------------------------------------------------------------------- SDGs


@pytest.mark.parametrize(
    ("question", "sdgs"),
    [
        ("SDG 5", (5,)),
        ("commitments under SDG 5", (5,)),
        ("SDGs 5 and 10", (5, 10)),
        ("SDGs 3, 4, 9 and 16", (3, 4, 9, 16)),
        ("SDGs 10 & 11", (10, 11)),
        ("SDG 5 or 10", (5, 10)),
        ("goal 16", (16,)),
        ("Goal 4", (4,)),
        ("SDG 16.10", (16,)),
        ("SDG 5.b and goal 4", (5, 4)),
        ("SDG5", (5,)),
        ("sdg #5", (5,)),
        ("SDG-9 commitments", (9,)),
        ("SDG five", (5,)),
        ("ODD 5", (5,)),
        ("objectif de développement durable 13", (13,)),
        ("ODS 5", (5,)),
        ("objetivo de desarrollo sostenible 4", (4,)),
        ("هدف 5", (5,)),
        ("الهدف ١٦", (16,)),
        ("peace, justice and strong institutions", (16,)),
        ("Peace, Justice and Strong Institutions", (16,)),
        ("partnerships for the goals", (17,)),
        ("Industry, Innovation and Infrastructure", (9,)),
        ("life below water", (14,)),
        ("the SDG on gender equality", (5,)),
        ("commitments mapped to quality education", (4,)),
    ],
)
def test_sdg_mentions_become_filters(question, sdgs):
    assert parse_query(question).sdgs == sdgs


@pytest.mark.parametrize(
    ("question", "sdg"),
    [
        ("commitments on gender equality", 5),
        ("climate action and digital technologies", 13),
        ("decent work for young people", 8),
        ("digital tools against poverty", 1),
        ("quality education online", 4),
    ],
)
def test_everyday_sdg_names_are_weak_and_stay_in_the_topic(question, sdg):
    parsed = parse_query(question)
    assert parsed.sdgs == ()
    assert parsed.filters().is_empty
    assert parsed.boosts().sdgs == (sdg,)
    [weak] = parsed.weak
    assert weak.strength is Strength.WEAK
    assert weak.text.casefold() in parsed.topic.casefold()


@pytest.mark.parametrize(
    "question",
    [
        "the goal of connecting schools",
        "2.6 billion people remain offline",
        "our goal is universal connectivity by 2030",
        "goal 2030 agenda",
        "Sustainable Development Goals and data",
        "closing the gap by 2030 is the goal",
    ],
)
def test_no_false_sdg_mentions(question):
    parsed = parse_query(question)
    assert [m for m in parsed.mentions if m.kind is MentionKind.SDG] == []


@pytest.mark.parametrize(
    ("question", "sdgs"),
    [
        ("SDG 5 and 10 percent of budgets", (5,)),
        ("SDG 5 and one other goal", (5,)),
        ("SDG 9 and 2.6 billion people offline", (9,)),
    ],
)
def test_sdg_lists_stop_at_quantities(question, sdgs):
    assert parse_query(question).sdgs == sdgs


def test_numbers_stay_in_the_topic():
    assert parse_query("2.6 billion people remain offline").topic == (
        "2.6 billion people remain offline"
    )


def test_every_official_sdg_name_is_recognised():
    for number, name in load_sdg_names().items():
        mentions = [m for m in find_mentions(name) if m.kind is MentionKind.SDG]
        assert [m.value for m in mentions] == [number], name


# --------------------------------------------------------------------------- Action Lines


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("C10", ("C10",)),
        ("what is mapped to C10?", ("C10",)),
        ("c7 e-health", ("C7 E-health",)),
        ("C7 E-learning", ("C7 E-learning",)),
        ("C7 ehealth", ("C7 E-health",)),
        ("C7", ("C7",)),
        ("action line 9", ("C9",)),
        ("WSIS Action Lines 9 and 10", ("C9", "C10")),
        ("action line C5", ("C5",)),
        ("C1, C2 and C7 E-agriculture", ("C1", "C2", "C7 E-agriculture")),
        ("ethical dimensions", ("C10",)),
        ("Ethical dimensions of the Information Society", ("C10",)),
        ("building confidence and security in the use of ICTs", ("C5",)),
        ("international and regional cooperation", ("C11",)),
        ("the Media action line", ("C9",)),
        ("commitments that cite capacity building", ("C4",)),
    ],
)
def test_action_line_mentions_become_filters(question, codes):
    assert parse_query(question).action_lines == codes


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("e-health services", "C7 E-health"),
        ("e-government", "C7 E-government"),
        ("enabling environment for investment", "C6"),
        ("cultural diversity online", "C8"),
        ("media freedom", "C9"),
        ("capacity building for women", "C4"),
    ],
)
def test_everyday_action_line_names_are_weak(question, code):
    parsed = parse_query(question)
    assert parsed.action_lines == ()
    assert parsed.boosts().action_lines == (code,)
    assert parsed.topic == question


@pytest.mark.parametrize(
    ("question", "action_lines", "topic"),
    [
        ("which commitments cite media freedom?", (), "media freedom"),
        ("which commitments cite media?", ("C9",), ""),
        ("which commitments are mapped to e-health and C10?", ("C7 E-health", "C10"), ""),
    ],
)
def test_a_scoping_verb_frames_a_name_only_when_the_name_is_the_whole_object(
    question, action_lines, topic
):
    parsed = parse_query(question)
    assert (parsed.action_lines, parsed.topic) == (action_lines, topic)


@pytest.mark.parametrize("question", ["ABC10 XC7 C10x", "COVID-19 recovery", "vitamin C intake"])
def test_no_false_action_line_mentions(question):
    assert [m for m in find_mentions(question) if m.kind is MentionKind.ACTION_LINE] == []


# --------------------------------------------------------------------------- objectives, sections


@pytest.mark.parametrize(
    ("question", "objectives"),
    [
        ("objective 4", (4,)),
        ("objective three", (3,)),
        ("Objective IV", (4,)),
        ("objectives 1 and 3", (1, 3)),
        ("the third objective", (3,)),
        ("follow-up and review", ("follow-up",)),
        ("Follow up & Review", ("follow-up",)),
        ("objectif 3", (3,)),
        ("objetivo 3", (3,)),
        ("commitments under data governance", (4,)),
        ("the objective on the digital economy", (2,)),
        ("What commitments are under Objective 2: digital economy?", (2,)),
        ("Enhance International Governance of Artificial Intelligence", (5,)),
    ],
)
def test_objective_mentions_become_filters(question, objectives):
    assert parse_query(question).objectives == objectives


@pytest.mark.parametrize(
    ("question", "objective"),
    [
        ("AI governance", 5),
        ("new UN bodies for the governance of AI", 5),
        ("the governance of artificial intelligence", 5),
        ("the digital economy", 2),
        ("closing digital divides", 1),
        ("data governance", 4),
    ],
)
def test_objective_keywords_are_weak(question, objective):
    parsed = parse_query(question)
    assert parsed.objectives == ()
    assert parsed.boosts().objectives == (objective,)


@pytest.mark.parametrize(
    ("question", "sections"),
    [
        ("commitments in the Connectivity section", ("Connectivity",)),
        ("which commitments are under Internet governance?", ("Internet governance",)),
        ("Digital trust and safety", ("Digital trust and safety",)),
        ("the Information integrity section", ("Information integrity",)),
        ("which commitments are under human rights?", ("Human rights",)),
        ("list the commitments on cross-border data flows", ("Cross-border data flows",)),
        ("data privacy and security", ("Data privacy and security",)),
    ],
)
def test_section_mentions_become_filters(question, sections):
    assert parse_query(question).sections == sections


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("commitments on human rights", "Human rights"),
        ("universal connectivity", "Connectivity"),
        ("information integrity and disinformation", "Information integrity"),
        ("which commitments relate to data privacy?", "Data privacy and security"),
    ],
)
def test_section_names_without_framing_are_weak(question, section):
    parsed = parse_query(question)
    assert parsed.sections == ()
    assert parsed.boosts().sections == (section,)
    assert parsed.intent is Intent.SEARCH


def test_every_section_title_is_recognised():
    for objective in load_objectives():
        for section in objective.sections:
            parsed = parse_query(f"the {section.title} section")
            assert parsed.sections == (section.title,), section.title


def test_strong_names_never_occur_in_commitment_text(corpus):
    """A strong name filters hard, so it must never hide a commitment that uses those words."""
    texts = [c.text.casefold() for c in corpus]
    strong = [phrase for phrase, _, _, strength in NAMES if strength is Strength.STRONG]
    assert strong
    for phrase in strong:
        assert not any(phrase.casefold() in text for text in texts), phrase


# --------------------------------------------------------------------------- invalid mentions


@pytest.mark.parametrize(
    ("question", "kind", "value", "message"),
    [
        ("how many commitments cite SDG 18?", MentionKind.SDG, 18, "there is no SDG 18"),
        ("SDG 0", MentionKind.SDG, 0, "there is no SDG 0"),
        ("C12", MentionKind.ACTION_LINE, "C12", "there is no WSIS Action Line C12"),
        ("action line 14", MentionKind.ACTION_LINE, "C14", "there is no WSIS Action Line C14"),
        ("C7 E-banking", MentionKind.ACTION_LINE, "C7 E-BANKING", "unknown Action Line"),
        ("objective 7", MentionKind.OBJECTIVE, 7, "there is no objective 7"),
    ],
)
def test_invalid_mentions_are_reported_not_dropped(question, kind, value, message):
    parsed = parse_query(question)
    [invalid] = parsed.invalid
    assert (invalid.kind, invalid.value) == (kind, value)
    assert message in invalid.error
    assert parsed.filters().is_empty


def test_mention_spans_point_into_the_question():
    question = "Which commitments under SDGs 5 and 10 cite C7 E-health?"
    for mention in parse_query(question).mentions:
        assert question[mention.start : mention.end] == mention.text
    assert [m.text for m in find_mentions(question)] == ["SDGs 5", "10", "C7 E-health"]


# --------------------------------------------------------------------------- framed in any language


@pytest.mark.parametrize(
    ("question", "sdgs", "action_lines"),
    [
        ("Welche Zusagen gehören zur Aktionslinie E-Gesundheit?", (), ("C7 E-health",)),
        ("Quels engagements relèvent de la ligne d'action cybersanté ?", (), ("C7 E-health",)),
        ("Quels engagements relèvent de la grande orientation médias ?", (), ("C9",)),
        ("¿Qué compromisos corresponden al ODS de igualdad de género?", (5,), ()),
        ("Quais compromissos pertencem à linha de ação e-saúde?", (), ("C7 E-health",)),
        (
            "Какие обязательства относятся к направлению «Электронное здравоохранение»?",
            (),
            ("C7 E-health",),
        ),  # fmt: skip
        ("Какие обязательства относятся к направлению C9?", (), ("C9",)),
        ("ما الالتزامات المرتبطة بخط عمل الصحة الإلكترونية؟", (), ("C7 E-health",)),
        ("哪些承诺属于电子卫生行动方针？", (), ("C7 E-health",)),
        ("哪些承诺与性别平等目标相关？", (5,), ()),
        ("List the commitments linked to the health goal.", (3,), ()),
        ("What does the compact do for the climate SDG?", (13,), ()),
    ],
)
def test_a_name_framed_by_its_kind_word_is_a_scope_in_every_language(question, sdgs, action_lines):
    parsed = parse_query(question)
    assert (parsed.sdgs, parsed.action_lines, parsed.topic) == (sdgs, action_lines, "")


@pytest.mark.parametrize(
    "question",
    [
        "Quels engagements portent sur la cybersanté ?",
        "Welche Zusagen betreffen Gesundheit in Krankenhäusern?",
        "commitments on health",
        "Какие направления сотрудничества в области ИИ предусмотрены?",
    ],
)
def test_an_unframed_name_or_word_stays_a_topic(question):
    parsed = parse_query(question)
    assert parsed.topic and parsed.filters().is_empty
