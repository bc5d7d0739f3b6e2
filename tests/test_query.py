"""Query understanding: intents, topics, lookups, include-All hints, filters and languages."""

from __future__ import annotations

import pytest

from gdc_assistant.corpus import Filters
from gdc_assistant.query.language import detect_language
from gdc_assistant.query.parse import Intent, parse_query

# --------------------------------------------------------------------------- intents and topics


@pytest.mark.parametrize(
    ("question", "intent", "topic"),
    [
        ("which commitments relate to data privacy?", Intent.SEARCH, "data privacy"),
        ("what is mapped to C10?", Intent.LIST, ""),
        ("how many commitments cite SDG 5?", Intent.COUNT, ""),
        ("How many commitments are there?", Intent.COUNT, ""),
        ("number of commitments under objective 4", Intent.COUNT, ""),
        ("count the commitments in the Connectivity section", Intent.COUNT, ""),
        ("how many GDC commitments are linked with SDG 9 in total?", Intent.COUNT, ""),
        ("list every commitment under SDG 9", Intent.LIST, ""),
        ("Show all commitments for objective 2", Intent.LIST, ""),
        ("which commitments are mapped to SDG 16?", Intent.LIST, ""),
        ("which commitments cite C9?", Intent.LIST, ""),
        ("SDG 5 commitments", Intent.LIST, ""),
        ("which commitments under SDG 5 relate to women?", Intent.SEARCH, "women"),
        (
            "which commitments map to SDG 16 and mention internet shutdowns?",
            Intent.SEARCH,
            "internet shutdowns",
        ),
        (
            "What commitments address AI in developing countries?",
            Intent.SEARCH,
            "AI in developing countries",
        ),
        ("the C10 commitments about ethics", Intent.SEARCH, "ethics"),
        ("how many commitments mention children?", Intent.COUNT, "children"),
        ("Which commitments contribute to SDG 13?", Intent.LIST, ""),
        ("Which commitments support gender equality?", Intent.SEARCH, "gender equality"),
        (
            "commitments on artificial intelligence that support SDG 17",
            Intent.SEARCH,
            "artificial intelligence",
        ),
        ("Which commitments are mapped to SDG 4 Quality Education?", Intent.LIST, ""),
        ("What does the objective on the digital economy commit to?", Intent.LIST, ""),
        (
            "e-business commitments that help small and medium-sized enterprises",
            Intent.SEARCH,
            "e-business help small and medium-sized enterprises",
        ),
        (
            "What does the compact say about Internet shutdowns?",
            Intent.SEARCH,
            "Internet shutdowns",
        ),
        (
            "How will digital development be financed under the Global Digital Compact?",
            Intent.SEARCH,
            "digital development be financed",
        ),
        (
            "Comment le Pacte numérique mondial aborde-t-il la désinformation ?",
            Intent.SEARCH,
            "désinformation",
        ),
        (
            "¿Qué dice el pacto sobre la igualdad de género en el acceso digital?",
            Intent.SEARCH,
            "igualdad de género en el acceso digital",
        ),
        (
            "ماذا يقول الميثاق الرقمي العالمي عن المراقبة والتشفير؟",
            Intent.SEARCH,
            "المراقبة والتشفير",
        ),
        ("What is the capital of France?", Intent.SEARCH, "capital of France"),
        ("combien d'engagements sont liés à l'ODD 9 ?", Intent.COUNT, ""),
        ("¿cuántos compromisos hay en el objetivo 3?", Intent.COUNT, ""),
        ("كم عدد الالتزامات المتعلقة بالهدف 5؟", Intent.COUNT, ""),
        (
            "Quels engagements concernent l'intelligence artificielle ?",
            Intent.SEARCH,
            "intelligence artificielle",
        ),
    ],
)
def test_intent_and_topic(question, intent, topic):
    parsed = parse_query(question)
    assert (parsed.intent, parsed.topic) == (intent, topic)


@pytest.mark.parametrize(
    ("question", "topic", "fields"),
    [
        (
            "which SDGs is the commitment on Internet shutdowns mapped to?",
            "Internet shutdowns",
            ("sdgs",),
        ),
        (
            "Which Action Lines does the commitment on child online safety cite?",
            "child online safety",
            ("action_lines",),
        ),
        (
            "what is the mapping of the commitment to refrain from internet shutdowns?",
            "refrain from internet shutdowns",
            ("sdgs", "action_lines"),
        ),
        (
            "What SDGs and Action Lines does the commitment about open standards cover?",
            "open standards",
            ("sdgs", "action_lines"),
        ),
        (
            "how is the commitment on the Independent Scientific Panel mapped?",
            "Independent Scientific Panel",
            ("sdgs", "action_lines"),
        ),
        (
            "Which SDGs is the request to appoint co-facilitators mapped to?",
            "request to appoint co-facilitators",
            ("sdgs",),
        ),
        (
            "SDGs and Action Lines for the commitment to counter misinformation",
            "counter misinformation",
            ("sdgs", "action_lines"),
        ),
        (
            "How is the High-level review of the Global Digital Compact mapped?",
            "High-level review of the Global Digital Compact",
            ("sdgs", "action_lines"),
        ),
        (
            "which SDGs is the commitment on peace, justice and strong institutions mapped to?",
            "peace, justice and strong institutions",
            ("sdgs",),
        ),
    ],
)
def test_lookup_questions(question, topic, fields):
    parsed = parse_query(question)
    assert parsed.intent is Intent.LOOKUP
    assert (parsed.topic, parsed.lookup_fields) == (topic, fields)
    assert parsed.filters().is_empty


@pytest.mark.parametrize(
    ("question", "intent", "objectives"),
    [
        ("which SDGs does objective 3 cover?", Intent.LIST, (3,)),
        ("what is the mapping of objective 3?", Intent.LIST, (3,)),
    ],
)
def test_a_mapping_question_about_a_scope_is_not_a_lookup(question, intent, objectives):
    parsed = parse_query(question)
    assert (parsed.intent, parsed.objectives) == (intent, objectives)


def test_lookup_by_commitment_id():
    parsed = parse_query("What is O3-IG-04 mapped to?")
    assert (parsed.intent, parsed.commitment_ids, parsed.topic) == (
        Intent.LOOKUP,
        ("O3-IG-04",),
        "",
    )


def test_count_over_a_weak_name_promotes_it_to_a_scope():
    parsed = parse_query("how many commitments are about gender equality?")
    assert (parsed.intent, parsed.sdgs, parsed.topic) == (Intent.COUNT, (5,), "")


def test_search_over_a_weak_name_keeps_it_a_topic():
    parsed = parse_query("which commitments are about gender equality?")
    assert (parsed.intent, parsed.sdgs, parsed.topic) == (Intent.SEARCH, (), "gender equality")


@pytest.mark.parametrize(
    ("question", "include_all", "all_sdgs", "all_action_lines"),
    [
        ("how many commitments are explicitly mapped to SDG 9?", False, False, False),
        ("commitments with only explicit mappings to C10", False, False, False),
        ("How many map to SDG 9, including All SDGs?", True, False, False),
        ("commitments under C10 excluding All WSIS Action Lines", False, False, False),
        ("count SDG 5 commitments including All", True, False, False),
        ("how many commitments say All SDGs?", None, True, False),
        ("list every commitment mapped to All WSIS Action Lines", None, False, True),
        ("how many commitments cite SDG 5?", None, False, False),
        ("Which commitments cite SDG 16 but not All SDGs?", False, False, False),
        ("which commitments under C10 are not via All WSIS Action Lines?", False, False, False),
    ],
)
def test_include_all_hint_and_all_statements(question, include_all, all_sdgs, all_action_lines):
    parsed = parse_query(question)
    assert (parsed.include_all, parsed.all_sdgs, parsed.all_action_lines) == (
        include_all,
        all_sdgs,
        all_action_lines,
    )
    assert parsed.topic == ""


def test_filters_take_the_question_hint_over_the_default():
    parsed = parse_query("how many commitments are explicitly mapped to SDG 9?")
    assert parsed.filters(include_all=True) == Filters(sdgs=(9,), include_all=False)
    assert parse_query("SDG 9").filters(include_all=False) == Filters(sdgs=(9,), include_all=False)


def test_filters_with_ui_filters_keep_fields_the_question_does_not_name():
    ui = Filters(sdgs=(4,), objectives=(1,), include_all=False)
    merged = parse_query("what about C10?").filters_with(ui)
    assert merged == Filters(sdgs=(4,), action_lines=("C10",), objectives=(1,), include_all=False)
    assert parse_query("SDG 5").filters_with(ui).sdgs == (5,)


# --------------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Which commitments relate to data privacy?", "en"),
        ("SDG 5", "en"),
        ("AI", "en"),
        ("Quels engagements concernent la protection des données ?", "fr"),
        ("combien d'engagements sont liés à l'ODD 9 ?", "fr"),
        ("ODD 5", "fr"),
        ("¿Qué compromisos tratan la privacidad de los datos?", "es"),
        ("compromisos sobre inteligencia artificial", "es"),
        ("ODS 5", "es"),
        ("ما هي الالتزامات المتعلقة بحماية البيانات؟", "ar"),
        ("هدف 5", "ar"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language
    assert parse_query(text).language == language


@pytest.mark.parametrize(
    ("text", "intent", "sdgs", "action_lines"),
    [
        ("Сколько обязательств относится к ЦУР 9?", Intent.COUNT, (9,), ()),
        ("Перечислите обязательства, связанные с ЦУР 10.", Intent.LIST, (10,), ()),
        ("有多少承诺对应可持续发展目标16？", Intent.COUNT, (16,), ()),
        ("列出对应目标3的承诺", Intent.LIST, (3,), ()),
        ("Wie viele Verpflichtungen gehören zu SDG 13?", Intent.COUNT, (13,), ()),
        ("Quantos compromissos estão ligados ao ODS 7?", Intent.COUNT, (7,), ()),
        ("对应WSIS行动方针C5的承诺", Intent.LIST, (), ("C5",)),
    ],
)
def test_counts_and_lists_in_other_languages(text, intent, sdgs, action_lines):
    parsed = parse_query(text)
    assert (parsed.intent, parsed.sdgs, parsed.action_lines, parsed.topic) == (
        intent,
        sdgs,
        action_lines,
        "",
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("关于网络安全的承诺有哪些？", "网络安全"),
        ("Welche Verpflichtungen betreffen die Cybersicherheit?", "Cybersicherheit"),
        ("Quais compromissos tratam de inclusão digital?", "inclusão digital"),
    ],
)
def test_topic_drops_question_words_in_other_languages(text, topic):
    assert parse_query(text).topic == topic


def test_an_id_inside_chinese_text_is_found():
    assert parse_query("承诺O2-05对应哪些目标？").commitment_ids == ("O2-05",)


@pytest.mark.parametrize(
    ("text", "intent", "include_all"),
    [
        (
            "Liste alle Verpflichtungen auf, die ausdrücklich C7 E-Health (Gesundheit) "
            "zugeordnet sind",
            Intent.LIST,
            False,
        ),  # fmt: skip
        (
            "Combien d'engagements sont liés explicitement à l'ODD 4 (éducation) ?",
            Intent.COUNT,
            False,
        ),
        ("有多少项承诺对应C3（获取信息和知识）？", Intent.COUNT, None),
    ],
)
def test_a_bracketed_label_after_a_code_is_no_topic(text, intent, include_all):
    parsed = parse_query(text)
    assert (parsed.intent, parsed.topic, parsed.include_all) == (intent, "", include_all)


def test_an_id_with_only_mapping_words_around_it_is_a_lookup_in_other_languages():
    parsed = parse_query("Quais linhas de ação da CMSI correspondem ao compromisso O2-07?")
    assert parsed.intent is Intent.LOOKUP and parsed.commitment_ids == ("O2-07",)


@pytest.mark.parametrize(
    "text",
    [
        "How many commitments have no SDG?",
        "Which commitment is not mapped to any SDG?",
        "Quels engagements sont sans ODD ?",
        "没有对应可持续发展目标的承诺有哪些？",
    ],
)
def test_no_sdg_is_a_scope_of_its_own(text):
    parsed = parse_query(text)
    assert parsed.no_sdg and parsed.topic == "" and parsed.intent in (Intent.COUNT, Intent.LIST)


def test_no_sdg_with_a_number_is_not_the_no_sdg_scope():
    assert not parse_query("no SDG 18 please").no_sdg


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("<b>privacy</b> <img src=/nothing-here>", "privacy"),
        ('<a href="https://example.org">internet shutdowns</a>', "internet shutdowns"),
        ("commitments where x < 5 and y > 3", "x < 5 and y > 3"),
    ],
)
def test_pasted_markup_is_not_part_of_the_topic(question, topic):
    assert parse_query(question).topic == topic
