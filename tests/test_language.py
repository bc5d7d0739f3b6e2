"""Language identification (py3langid, with our handling of codes and short questions)."""

from __future__ import annotations

import pytest

from gdc_assistant.query.language import MULTILINGUAL, identify_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Which commitments deal with digital public infrastructure?", "en"),
        ("SDG 9 and C2", "en"),  # codes only: the matrix's language
        ("e-health", "en"),
        ("broadband affordability", "en"),  # too short to be sure: English
        ("Quels engagements visent l'accès des femmes au numérique ?", "fr"),
        ("¿Qué compromisos hablan de los derechos humanos en línea?", "es"),
        ("Welche Verpflichtungen betreffen die Cybersicherheit von Schulen?", "de"),
        ("Quais compromissos falam de inclusão digital nas escolas?", "pt"),
        ("哪些承诺涉及人工智能的治理？", "zh"),
        ("Какие обязательства касаются защиты детей в интернете?", "ru"),
        ("ما هي الالتزامات الخاصة بالبنية التحتية الرقمية العامة؟", "ar"),
        ("デジタル格差に関する約束は？", "ja"),
        ("ODD 4", "fr"),
        ("ЦУР 16", "ru"),
    ],
)
def test_identifies_the_language(text, code):
    assert identify_language(text).code == code


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("Vilka åtaganden handlar om öppen källkod?", "sv", "Swedish"),
        ("Які зобов'язання стосуються цифрових навичок?", "uk", "Ukrainian"),
        ("Ni ahadi zipi zinahusu elimu ya kidijitali?", "sw", "Swahili"),
    ],
)
def test_names_a_language_the_multilingual_model_does_not_read(text, code, name):
    language = identify_language(text)
    assert (language.code, language.name, language.supported) == (code, name, False)


def test_every_un_language_is_read_by_the_multilingual_model():
    assert {"ar", "zh", "en", "fr", "ru", "es", "de", "pt"} <= MULTILINGUAL
