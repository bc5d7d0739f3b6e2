"""search() and ask() with the real model and a real index: what a user would notice."""

from __future__ import annotations

import pytest
from fakes import KeywordEmbedder

from gdc_assistant.ask import ask
from gdc_assistant.config import Settings
from gdc_assistant.corpus import Filters
from gdc_assistant.errors import InvalidQueryError
from gdc_assistant.index.build import build_index
from gdc_assistant.index.manifest import embed_text
from gdc_assistant.query.parse import Intent
from gdc_assistant.retrieval import Retriever, search, search_many, validate_question

pytestmark = pytest.mark.slow


def ids(hits) -> list[str]:
    return [h.commitment.id for h in hits]


@pytest.mark.parametrize(
    ("question", "expected_in_top", "k"),
    [
        ("Which commitments relate to data privacy?", {"O4-DATA-PRIV-01", "O4-DATA-PRIV-03"}, 5),
        ("What does the compact say about Internet shutdowns?", {"O3-IG-04"}, 1),
        ("keeping kids safe from predators online", {"O3-TRUST-06"}, 3),
        ("connecting every school and hospital to the Internet", {"O1-CONN-04"}, 3),
        ("an international scientific panel on AI", {"O5-05"}, 2),
        ("misinformation and disinformation", {"O3-INFO-03"}, 3),
        ("Quels engagements concernent la protection des données personnelles ?",
         {"O4-DATA-PRIV-01"}, 5),
        ("¿Qué dice el pacto sobre los cortes de Internet?", {"O3-IG-04"}, 3),
    ],
)  # fmt: skip
def test_topic_questions_find_the_right_commitments(real_index, question, expected_in_top, k):
    assert expected_in_top <= set(ids(search(real_index, question, k=k)))


def test_hits_are_ranked_and_explain_themselves(real_index):
    hits = search(real_index, "Which commitments relate to data privacy?", k=5)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(any(r.startswith("dense") for r in h.reasons) for h in hits)
    assert hits[0].confident


def test_user_filters_restrict_every_hit(real_index):
    flt = Filters(sdgs=(16,), include_all=False)
    hits = search(real_index, "online safety and harms", k=10, filters=flt)
    assert hits
    assert all(h.commitment.has_sdg(16, include_all=False) for h in hits)


def test_include_all_switch_changes_the_result(real_index):
    explicit = search(real_index, "data", k=85, filters=Filters(sdgs=(2,), include_all=False))
    with_all = search(real_index, "data", k=85, filters=Filters(sdgs=(2,), include_all=True))
    assert explicit == []  # no commitment names SDG 2 explicitly
    assert len(with_all) == 28 and all(h.commitment.sdgs_all for h in with_all)


def test_sdg_named_in_the_question_puts_explicit_mappings_first(real_index):
    hits = search(real_index, "SDG 5 commitments on digital skills", k=10)
    explicit = [h.commitment.has_sdg(5, include_all=False) for h in hits]
    assert explicit[0]
    # every explicit SDG 5 match comes before the ones that match only through "All SDGs"
    assert explicit == sorted(explicit, reverse=True)


def test_bare_c7_question_matches_sub_lines(real_index):
    response = ask(real_index, "list every commitment under C7 E-health")
    assert response.structured is not None
    assert {c.id for c in response.structured.explicit} == {
        c.id for c in real_index.corpus.by_action_line("C7 E-health", include_all=False)
    }


@pytest.mark.parametrize(
    ("question", "explicit", "via_all"),
    [
        ("how many commitments cite SDG 5?", 9, 28),
        ("How many commitments are mapped to C10?", 12, 37),
        ("how many commitments map to SDG 9?", 17, 28),
    ],
)
def test_counts_are_exact(real_index, question, explicit, via_all):
    response = ask(real_index, question)
    assert response.parsed.intent is Intent.COUNT
    s = response.structured
    assert (len(s.explicit), len(s.via_all)) == (explicit, via_all)
    assert str(explicit) in s.text and str(via_all) in s.text
    assert response.confident


def test_list_question_returns_the_complete_list_as_hits(real_index):
    response = ask(real_index, "list every commitment under C9", k=85)
    expected = {c.id for c in real_index.corpus.by_action_line("C9", include_all=False)}
    assert {c.id for c in response.structured.explicit} == expected
    assert set(ids(response.hits[: len(expected)])) == expected  # explicit first


def test_lookup_names_the_commitment_and_its_mapping(real_index):
    response = ask(
        real_index, "which Action Lines is the commitment on Internet shutdowns mapped to?"
    )
    assert response.structured.commitments[0].id == "O3-IG-04"
    assert ids(response.hits) == ["O3-IG-04"]  # the answer shows the commitment looked up
    assert "All WSIS Action Lines" in response.structured.text


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "recipe for hummus", "who won the 2022 World Cup"],
)
def test_out_of_scope_questions_are_not_confident(real_index, question):
    response = ask(real_index, question)
    assert not response.confident
    assert response.hits  # still listed, but flagged


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 2001, "2,001 characters"),
        ("?!…", "no letters or digits"),
    ],
)
def test_bad_questions_get_a_clear_error(question, message):
    with pytest.raises(InvalidQueryError, match=message):
        validate_question(question)


def test_odd_unicode_is_searchable(real_index):
    hits = search(real_index, "🔒 données privées — privacy ‮ of data", k=3)
    assert len(hits) == 3


def test_impossible_sdg_is_reported_not_silently_dropped(real_index):
    response = ask(real_index, "commitments mapped to SDG 18")
    assert response.notes == ("there is no SDG 18 (the SDGs run from 1 to 17)",)
    assert not response.confident and not any(h.relevant for h in response.hits)


def test_search_many_equals_search(real_index):
    questions = ["data privacy", "Internet shutdowns", "gender"]
    batched = search_many(real_index, questions, k=5)
    assert [ids(h) for h in batched] == [ids(search(real_index, q, k=5)) for q in questions]


def test_baselines_differ_from_hybrid(real_index):
    q = "how many commitments cite SDG 5?"
    dense = ids(search(real_index, q, k=10, retriever=Retriever.DENSE))
    lexical = ids(search(real_index, q, k=10, retriever=Retriever.LEXICAL))
    hybrid = ids(search(real_index, q, k=10))
    assert all(real_index.corpus.get(i).has_sdg(5) for i in hybrid)
    # the raw baselines do not filter on the SDG the question names; the full system does
    assert not all(real_index.corpus.get(i).has_sdg(5) for i in dense)
    assert not all(real_index.corpus.get(i).has_sdg(5) for i in lexical)
    explicit = {c.id for c in real_index.corpus if c.has_sdg(5, include_all=False)}
    answered = ask(real_index, q, k=10).hits
    assert {h.commitment.id for h in answered if h.relevant} == explicit
    assert [h.commitment.id in explicit for h in answered] == sorted(
        (h.commitment.id in explicit for h in answered), reverse=True
    )


def test_keyword_fake_gives_exact_dense_ranking(tmp_path, corpus):
    settings = Settings(index_path=tmp_path / "idx", multilingual_model=None)
    index = build_index(corpus, settings=settings, embedder=KeywordEmbedder())
    hits = search(index, "shutdowns", k=1, retriever=Retriever.DENSE)
    assert ids(hits) == ["O3-IG-04"]
    fake = KeywordEmbedder()
    c = corpus.get("O3-IG-04")
    expected = float(fake.embed(["shutdowns"])[0] @ fake.embed([embed_text(c)])[0])
    assert hits[0].score == pytest.approx(expected, abs=1e-4)  # cosine, not distance


def test_combined_scope_ranks_explicit_on_both_first(real_index):
    response = ask(real_index, "Which commitments are mapped to SDG 4 and C4?", k=20)
    corpus = real_index.corpus

    def explicit(cid):
        c = corpus.get(cid)
        return c.has_sdg(4, include_all=False) + c.has_action_line("C4", include_all=False)

    levels = [explicit(h.commitment.id) for h in response.hits]
    assert levels == sorted(levels, reverse=True) and levels[0] == 2
    assert [h.relevant for h in response.hits] == [level == 2 for level in levels]


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Какие обязательства касаются защиты персональных данных?", "Data privacy and security"),
        ("哪些承诺涉及互联网关闭？", "Internet governance"),
        ("Welche Verpflichtungen betreffen Desinformation im Netz?", "Information integrity"),
    ],
)
def test_other_languages_are_read_by_the_multilingual_model(real_index, question, section):
    response = ask(real_index, question, k=5)
    assert response.parsed.language != "en"
    assert response.hits[0].commitment.section == section


def test_a_lookup_of_something_the_matrix_never_mentions_is_not_confident(real_index):
    response = ask(real_index, "Which SDGs is the commitment on the Kyoto Protocol mapped to?")
    assert not response.confident and response.structured is None
    assert any("Kyoto Protocol" in note for note in response.notes)


def test_an_unsupported_language_is_named_not_read_as_english(real_index):
    response = ask(real_index, "Vilka åtaganden handlar om öppen källkod?")
    assert response.parsed.language == "sv" and not response.confident
    assert "Swedish" in response.notes[-1]


def test_a_commitment_named_by_id_leads_in_any_language(real_index):
    response = ask(real_index, "O que diz o compromisso O2-05 sobre pequenas empresas?")
    assert response.hits[0].commitment.id == "O2-05" and response.hits[0].relevant


def test_a_scope_only_question_lists_every_explicit_match_past_k(real_index, corpus):
    from gdc_assistant.ask import ask

    explicit = [c.id for c in corpus if c.has_action_line("C8", include_all=False)]
    assert len(explicit) > 5
    response = ask(real_index, "commitments under C8", k=5)
    relevant = [h.commitment.id for h in response.hits if h.relevant]
    assert sorted(relevant) == sorted(explicit)
