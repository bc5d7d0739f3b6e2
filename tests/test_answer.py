"""answer.py: prose and cards written only from the records; renderers and exports stay faithful."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from gdc_assistant.answer.compose import compose_answer
from gdc_assistant.answer.render import (
    answer_markdown,
    answer_text,
    answer_to_json,
    hits_to_csv,
    hits_to_json,
)
from gdc_assistant.ask import Response
from gdc_assistant.corpus import Filters
from gdc_assistant.query.parse import parse_query
from gdc_assistant.retrieval import Hit

PRIVACY = ["O4-DATA-PRIV-01", "O4-DATA-PRIV-02", "O4-DATA-PRIV-03", "O4-DATA-PRIV-04"]


def _hits(corpus, ids, *, confident=True, reasons=("dense 0.61", "lexical 0.80"), relevant=None):
    """Hits for ids; `relevant` is how many of the first hits answer (default: all if confident)."""
    n_relevant = (len(ids) if confident else 0) if relevant is None else relevant
    return tuple(
        Hit(
            corpus.get(i),
            score=1.0 - n / 100,
            rank=n,
            reasons=reasons,
            confident=confident,
            relevant=n <= n_relevant,
        )
        for n, i in enumerate(ids, start=1)
    )


def _response(
    corpus, ids, *, question="data privacy", filters=None, confident=True, relevant=None, **kw
):
    hits = _hits(corpus, ids, confident=confident, relevant=relevant)
    return Response(
        question=question,
        parsed=parse_query(question),
        filters=filters if filters is not None else Filters(),
        hits=hits,
        confident=confident and bool(hits),
        **kw,
    )


def test_summary_counts_objectives_and_most_frequent_mappings(corpus):
    answer = compose_answer(_response(corpus, PRIVACY + ["O4-DATA-PRIV-05"]), corpus)
    summary = answer.summary
    assert summary.startswith("5 commitments match.")
    assert "All sit in Objective 4 (" + corpus.objective(4).title + ")." in summary
    # C2 and C3 are named by all five, C7 E-business by four: ranked by count, with names
    assert (
        "Action Lines named most often: C2 Information and communication infrastructure (5), "
        "C3 Access to information and knowledge (5), C7 E-business (4)."
    ) in summary
    # three of the five say "All SDGs": they are counted apart, never as 17 explicit SDGs
    assert '3 of them are mapped only through "All SDGs".' in summary
    assert "SDGs named most often: SDG 8 Decent Work and Economic Growth (1)" in summary
    assert "(3)" not in summary.split("SDGs named most often:")[1].split(".")[0]


def test_summary_names_several_objectives_by_frequency(corpus):
    ids = ["O3-IG-04", "O4-DATA-PRIV-01", "O4-DATA-PRIV-03", "FR-01"]
    summary = compose_answer(_response(corpus, ids), corpus).summary
    assert "They sit in Objective 4 (2), Objective 3 (1), Follow-up and Review (1)." in summary
    # O4-DATA-PRIV-01 and FR-01 say "All SDGs"; O3-IG-04 and FR-01 "All WSIS Action Lines"
    assert '2 of them are mapped only through "All SDGs".' in summary
    assert '2 of them are mapped only through "All WSIS Action Lines".' in summary


def test_summary_agrees_in_number(corpus):
    ids = ["O4-DATA-PRIV-01", "O4-DATA-PRIV-03"]
    summary = compose_answer(_response(corpus, ids, filters=Filters(sdgs=(16,))), corpus).summary
    assert '1 of them matches the SDG filter only through "All SDGs".' in summary
    summary = compose_answer(_response(corpus, ids), corpus).summary
    assert '1 of them is mapped only through "All SDGs".' in summary


def test_summary_says_when_a_filter_matches_only_through_all(corpus):
    response = _response(corpus, ["O4-DATA-PRIV-01", "FR-01"], filters=Filters(sdgs=(5,)))
    summary = compose_answer(response, corpus).summary
    assert summary.startswith("2 commitments match within SDG 5 Gender Equality.")
    assert 'All of them match the SDG filter only through "All SDGs".' in summary


def test_card_shows_all_sdgs_badge_not_seventeen_chips(corpus):
    answer = compose_answer(_response(corpus, ["O4-DATA-PRIV-01"]), corpus)
    card = answer.cards[0]
    assert card.sdgs_all and card.sdgs == ()
    assert card.action_lines == (
        ("C2", "Information and communication infrastructure"),
        ("C3", "Access to information and knowledge"),
        ("C7 E-business", "ICT applications: E-business"),
        ("C10", "Ethical dimensions of the Information Society"),
    )
    markdown = answer_markdown(answer)
    assert ">All SDGs<" in markdown
    assert "SDG 1 ·" not in markdown and "SDG 17 ·" not in markdown
    assert "C10 · Ethical dimensions of the Information Society" in markdown
    # a C7 sub-line's code is its name: one chip "C7 E-business", the full name as its tooltip
    assert '<span class="gdc-badge gdc-al" title="ICT applications: E-business">C7 E-business<' in (
        markdown
    )
    assert markdown.startswith("**1 commitment matches.** It sits in Objective 4 (")


def test_card_shows_all_action_lines_badge_and_explicit_sdg(corpus):
    answer = compose_answer(_response(corpus, ["O3-IG-04"]), corpus)
    markdown = answer_markdown(answer)
    assert "SDG 16 · Peace, Justice and Strong Institutions" in markdown
    assert ">All WSIS Action Lines<" in markdown
    assert "C1 ·" not in markdown
    text = answer_text(answer)
    assert "SDGs: 16 Peace, Justice and Strong Institutions" in text
    assert "WSIS Action Lines: All WSIS Action Lines" in text


def test_commitment_without_sdg_says_so(corpus):
    answer = compose_answer(_response(corpus, ["O5-07"]), corpus)
    assert answer.cards[0].no_sdg
    assert "no SDG given in the source" in answer_markdown(answer)
    assert "SDGs: no SDG given in the source" in answer_text(answer)
    assert "The source gives no SDG for it." in answer.summary
    assert "SDGs named most often" not in answer.summary


@pytest.mark.parametrize("commitment_index", range(85))
def test_every_commitment_text_is_shown_verbatim(corpus, commitment_index):
    c = corpus.commitments[commitment_index]
    answer = compose_answer(_response(corpus, [c.id]), corpus)
    markdown = answer_markdown(answer)
    # the card holds the source's words exactly (escaping is undone by the browser)
    assert c.text in html.unescape(re.sub(r"<[^>]+>", "", markdown))
    assert c.text in answer_text(answer)
    names = set(re.findall(r'title="([^"]*)"', markdown))
    known = set(corpus.sdg_names.values()) | set(corpus.action_line_names.values())
    assert {html.unescape(n) for n in names} <= known


def test_markdown_escapes_html_and_markdown_in_question_context(corpus):
    response = _response(corpus, PRIVACY[:1], question="<script>alert(1)</script> *bold*")
    markdown = answer_markdown(compose_answer(response, corpus, context="<b>x</b> _y_"))
    assert "<script>" not in markdown and "<b>x</b>" not in markdown
    assert "&#60;b&#62;x&#60;/b&#62; &#95;y&#95;" in markdown  # shown as typed, not as markup


def test_nothing_matched_suggests_rephrasing(corpus):
    answer = compose_answer(_response(corpus, [], question="zzz qqq"), corpus)
    assert not answer.confident and answer.cards == ()
    assert answer.summary == "No commitment in the matrix matches this question."
    assert "rephras" in answer.notice.lower()
    assert "SDG 5" in answer.notice


def test_filters_that_exclude_everything_say_which_and_how_to_fix(corpus):
    # explicit SDG 5 within Follow-up and Review: the matrix has none
    filters = Filters(sdgs=(5,), objectives=("follow-up",), include_all=False)
    assert not any(filters.matches(c) for c in corpus)
    answer = compose_answer(_response(corpus, [], filters=filters), corpus)
    assert "SDG 5 Gender Equality" in answer.summary
    assert "Follow-up and Review" in answer.summary
    assert "remove one of them" in answer.notice
    assert "include All" in answer.notice


def test_weak_results_are_flagged(corpus):
    answer = compose_answer(_response(corpus, PRIVACY, confident=False), corpus)
    assert not answer.confident
    assert "The matrix may not cover this" in answer.notice
    assert answer.summary.startswith("No commitment clearly answers this question; the 4 closest")
    markdown = answer_markdown(answer)
    assert markdown.count("related less closely</span>") == len(PRIVACY)
    assert markdown.index("gdc-notice") < markdown.index("No commitment clearly answers")
    assert (
        '<details class="gdc-related"><summary>4 more commitments related less closely' in markdown
    )


def test_matches_are_shown_apart_from_related_ones(corpus):
    answer = compose_answer(_response(corpus, PRIVACY, relevant=1), corpus)
    assert answer.summary.startswith("1 commitment matches; 3 more are related less closely.")
    assert [c.id for c in answer.matches] == PRIVACY[:1]
    markdown = answer_markdown(answer)
    opened = markdown.index("<details")
    assert markdown.index(PRIVACY[0]) < opened < markdown.index(PRIVACY[1])
    text = answer_text(answer)
    assert text.index(PRIVACY[0]) < text.index("Related less closely:") < text.index(PRIVACY[1])
    assert [c["relevant"] for c in answer_to_json(answer)["cards"]] == [True, False, False, False]


def test_notes_from_the_query_are_passed_on(corpus):
    response = _response(corpus, PRIVACY, notes=("there is no SDG 18",))
    assert compose_answer(response, corpus).notice.startswith("Note: there is no SDG 18.")


def test_exact_answer_comes_first_and_summary_says_how_many_are_shown(corpus):
    from gdc_assistant.exact import answer_structured

    question = "How many commitments map to SDG 5?"
    parsed = parse_query(question)
    structured = answer_structured(corpus, parsed, filters=parsed.filters(), find=lambda t: [])
    shown = [c.id for c in structured.commitments[:4]]
    response = _response(
        corpus, shown, question=question, filters=parsed.filters(), structured=structured
    )
    answer = compose_answer(response, corpus)
    assert answer.exact == structured.text
    markdown = answer_markdown(answer)
    assert markdown.index(structured.text[:20]) < markdown.index(answer.cards[0].id)
    assert answer_text(answer).startswith(structured.text)
    total = len(structured.commitments)
    assert answer.summary.startswith(
        f"Showing 4 of the {total} commitments within SDG 5 Gender Equality"
    )
    assert answer.notice is None


def test_lookup_shows_the_looked_up_commitment(corpus):
    from gdc_assistant.exact import answer_structured

    question = "Which SDGs and Action Lines is O5-07 mapped to?"
    parsed = parse_query(question)
    structured = answer_structured(corpus, parsed, filters=parsed.filters(), find=lambda t: [])
    assert [c.id for c in structured.commitments] == ["O5-07"]
    # ask() answers a lookup with the looked-up commitment only (tested in test_retrieval.py)
    response = _response(corpus, ["O5-07"], question=question, structured=structured)
    answer = compose_answer(response, corpus)
    assert [card.id for card in answer.cards] == ["O5-07"]
    assert answer.exact == structured.text
    assert answer.summary == (
        "1 commitment found. It sits in Objective 5 ("
        + corpus.objective(5).title
        + "). Action Lines named most often: C2 Information and communication infrastructure (1), "
        "C5 Building confidence and security in the use of ICTs (1), "
        "C10 Ethical dimensions of the Information Society (1). The source gives no SDG for it."
    )


def test_reasons_read_as_words_on_cards(corpus):
    card = compose_answer(_response(corpus, ["O3-IG-04"]), corpus).cards[0]
    assert card.reasons == ("similar meaning 0.61", "shared words 0.80")


def test_answer_to_json_round_trips(corpus):
    answer = compose_answer(_response(corpus, ["O3-IG-04", "O5-07"]), corpus)
    data = json.loads(json.dumps(answer_to_json(answer)))
    first, second = data["cards"]
    assert first["id"] == "O3-IG-04" and first["action_lines_all"] is True
    assert first["action_lines"] == []
    assert first["sdgs"] == [{"sdg": 16, "name": "Peace, Justice and Strong Institutions"}]
    assert second["sdgs"] == [] and second["sdgs_all"] is False
    assert first["text"] == corpus.get("O3-IG-04").text


def test_csv_export_is_faithful(corpus):
    hits = _hits(corpus, ["O4-DATA-PRIV-01", "O3-IG-04", "O5-07"])
    rows = list(csv.DictReader(io.StringIO(hits_to_csv(hits, corpus))))
    assert [r["id"] for r in rows] == ["O4-DATA-PRIV-01", "O3-IG-04", "O5-07"]
    assert rows[0]["sdgs"] == "All SDGs" and rows[0]["sdg_names"] == "All SDGs"
    assert rows[0]["action_lines"] == "C2; C3; C7 E-business; C10"
    assert rows[1]["action_lines"] == "All WSIS Action Lines"
    assert rows[1]["sdg_names"] == "Peace, Justice and Strong Institutions"
    assert rows[2]["sdgs"] == ""
    for row in rows:
        c = corpus.get(row["id"])
        assert row["text"] == c.text and row["mapping_text"] == c.mapping_text


def test_json_export_keeps_records_and_flags(corpus):
    hits = _hits(corpus, ["O4-DATA-PRIV-01", "O3-IG-04"])
    records = json.loads(hits_to_json(hits, corpus))
    assert records[0]["sdgs"] == list(range(1, 18)) and records[0]["sdgs_all"] is True
    assert records[0]["sdg_names"] == ["All SDGs"]
    assert records[1]["action_line_names"] == ["All WSIS Action Lines"]
    assert records[1]["reasons"] == ["dense 0.61", "lexical 0.80"]  # as the retriever wrote them
    assert {k: records[1][k] for k in corpus.get("O3-IG-04").to_dict()} == corpus.get(
        "O3-IG-04"
    ).to_dict()


@pytest.mark.slow
def test_real_question_gives_privacy_cards(real_index):
    from gdc_assistant.ask import ask

    response = ask(real_index, "Which commitments relate to data privacy?", k=5)
    answer = compose_answer(response, real_index.corpus)
    ids = [card.id for card in answer.cards]
    assert "O4-DATA-PRIV-01" in ids
    assert answer.confident and answer.notice is None
    matched = [card.id for card in answer.matches]
    assert "O4-DATA-PRIV-01" in matched and answer.cards[0].relevant
    assert answer.summary.startswith(f"{len(matched)} commitments match")
    markdown = answer_markdown(answer)
    assert "C10 · Ethical dimensions of the Information Society" in markdown


def test_markdown_keeps_quotation_marks_as_written(corpus):
    all_sdgs = [c.id for c in corpus if c.sdgs_all][:2]
    markdown = answer_markdown(compose_answer(_response(corpus, all_sdgs), corpus))
    assert 'only through "All SDGs"' in markdown and "&#34;" not in markdown


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("¿Qué dice el pacto sobre las recetas de cocina?", "Es posible que el Pacto"),
        ("Что говорится в договоре о рецептах?", "Возможно, Договор"),
        ("契约里有关于菜谱的内容吗？", "《全球数字契约》可能没有"),
    ],
)
def test_the_not_covered_warning_is_said_in_the_askers_language(corpus, question, start):
    response = _response(corpus, PRIVACY, question=question, confident=False)
    notice = compose_answer(response, corpus).notice
    assert notice.startswith(start) and "The matrix may not cover this" in notice
