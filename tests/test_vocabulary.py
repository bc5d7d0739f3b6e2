"""Names the matrix never uses make an answer not confident, and say so."""

from __future__ import annotations

import pytest

from gdc_assistant.query.out_of_scope import unknown_names, vocabulary


@pytest.fixture(scope="module")
def known(corpus):
    return vocabulary(corpus)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Which AI systems does the EU AI Act classify as high-risk?", ("EU AI Act",)),
        ("What did the Paris Agreement decide on carbon markets?", ("Paris Agreement",)),
        ("What does the Declaration on Future Generations say?",
         ("Declaration on Future Generations",)),
        ("Who won the 2022 FIFA World Cup?", ("FIFA World Cup",)),
        # things the matrix names, by its words or the usual acronyms
        ("What does the GDC say about the IGF?", ()),
        ("commitments on the Internet Governance Forum", ()),
        ("Which commitments mention the Giga initiative of ITU and UNICEF?", ()),
        ("What does the Pact for the Future say about AI?", ()),
        ("Action Line C9 commitments about online safety", ()),
        ("how many commitments are mapped to C7 E-health?", ()),
        ("Which commitments relate to data privacy?", ()),
        # single unknown words are left alone: "ID", "NGOs", "GPU" are ordinary ways to ask
        ("guardrails for government-run digital ID and payment platforms", ()),
        ("cheap GPU time for researchers in poorer nations", ()),
    ],
)  # fmt: skip
def test_unknown_names(known, question, names):
    assert unknown_names(question, known) == names


def test_vocabulary_holds_the_matrix_words(known):
    assert {"shutdowns", "telemedicine", "c10", "e-health", "interoperability"} <= known


@pytest.mark.slow
def test_question_about_another_instrument_is_not_confident(real_index):
    from gdc_assistant.ask import ask

    response = ask(real_index, "Which AI systems does the EU AI Act classify as high-risk?")
    assert not response.confident
    assert response.hits  # still shown, flagged
    assert any("EU AI Act" in note for note in response.notes)
    assert ask(real_index, "What does the compact say about AI oversight?").confident
