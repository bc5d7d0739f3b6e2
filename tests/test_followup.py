"""Chat follow-ups: refine, page, replace and new questions read against the previous turn."""

from __future__ import annotations

import pytest

from gdc_assistant.corpus import Filters, load_corpus
from gdc_assistant.query.followup import FollowUpKind, parse_followup


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


# --------------------------------------------------------------------------- follow-ups


@pytest.mark.parametrize(
    ("text", "kind", "filters", "topic", "replace"),
    [
        ("only those under SDG 5", FollowUpKind.REFINE, Filters(sdgs=(5,)), "", ()),
        ("just the ones in objective 3", FollowUpKind.REFINE, Filters(objectives=(3,)), "", ()),
        ("filter to C10", FollowUpKind.REFINE, Filters(action_lines=("C10",)), "", ()),
        ("which of these are about AI?", FollowUpKind.REFINE, Filters(), "AI", ()),
        (
            "of those, which mention developing countries",
            FollowUpKind.REFINE,
            Filters(),
            "developing countries",
            (),
        ),
        ("among them, which are about children?", FollowUpKind.REFINE, Filters(), "children", ()),
        ("show more", FollowUpKind.PAGE, Filters(), "", ()),
        ("more", FollowUpKind.PAGE, Filters(), "", ()),
        ("next", FollowUpKind.PAGE, Filters(), "", ()),
        ("more results", FollowUpKind.PAGE, Filters(), "", ()),
        ("Next page please.", FollowUpKind.PAGE, Filters(), "", ()),
        (
            "what about C10 instead?",
            FollowUpKind.REPLACE,
            Filters(action_lines=("C10",)),
            "",
            ("sdgs", "action_lines"),
        ),
        ("and for SDG 4?", FollowUpKind.REPLACE, Filters(sdgs=(4,)), "", ("sdgs", "action_lines")),
        (
            "same for objective 2",
            FollowUpKind.REPLACE,
            Filters(objectives=(2,)),
            "",
            ("objectives", "sections"),
        ),
        ("what about AI?", FollowUpKind.REPLACE, Filters(), "AI", ("topic",)),
        ("Which commitments relate to data privacy?", FollowUpKind.NEW, Filters(), "", ()),
        ("more about internet shutdowns in Africa", FollowUpKind.NEW, Filters(), "", ()),
        ("only SDG 18", FollowUpKind.NEW, Filters(), "", ()),
    ],
)
def test_parse_followup(text, kind, filters, topic, replace):
    followup = parse_followup(text)
    assert followup.kind is kind
    if kind is not FollowUpKind.NEW:
        assert (followup.filters, followup.topic, followup.replace) == (filters, topic, replace)


def test_refine_to_explicit_mappings_only():
    followup = parse_followup("only explicit ones")
    assert (followup.kind, followup.include_all) == (FollowUpKind.REFINE, False)
    previous = Filters(sdgs=(9,))
    assert followup.filters_after(previous) == (Filters(sdgs=(9,), include_all=False),)


def test_followup_filters_after_previous(corpus):
    previous = Filters(sdgs=(10,), include_all=False)
    refine = parse_followup("only those under SDG 5").filters_after(previous)
    matching = [c.id for c in corpus if all(f.matches(c) for f in refine)]
    # both SDG 10 and SDG 5, explicitly: the refinement narrows, it does not widen
    assert matching == [c.id for c in corpus if 5 in c.sdgs and 10 in c.sdgs and not c.sdgs_all]
    assert matching
    # "instead" swaps what the commitments are mapped to: C10, no longer SDG 10
    replaced = parse_followup("what about C10 instead?").filters_after(previous)
    assert replaced == (Filters(action_lines=("C10",), include_all=False),)
    located = Filters(sdgs=(16,), objectives=(3,), sections=("Internet governance",))
    assert parse_followup("same for objective 2").filters_after(located) == (
        Filters(sdgs=(16,), objectives=(2,)),
    )
    assert parse_followup("more").filters_after(previous) == (previous,)


@pytest.mark.parametrize(
    ("previous", "text", "rewritten"),
    [
        (
            "How many commitments cite SDG 10?",
            "what about C10 instead?",
            "How many commitments cite C10?",
        ),
        (
            "which commitments under objective 3 cite SDG 16?",
            "and for SDG 4?",
            "which commitments under objective 3 cite SDG 4?",
        ),
        (
            "which commitments under objective 3 cite SDG 16?",
            "same for objective 2",
            "which commitments under objective 2 cite SDG 16?",
        ),
        (
            "which commitments relate to data privacy?",
            "and for SDG 4?",
            "which commitments relate to data privacy under SDG 4?",
        ),
        (
            "which commitments under SDG 5 relate to women?",
            "what about AI?",
            "which commitments under SDG 5 relate to AI?",
        ),
        (
            "SDG 5 and C10 commitments on women and girls",
            "what about SDG 4?",
            "SDG 4 commitments on women and girls",
        ),
    ],
)
def test_replace_rewrites_the_previous_question(previous, text, rewritten):
    followup = parse_followup(text)
    assert followup.kind is FollowUpKind.REPLACE
    assert followup.rewrite(previous) == rewritten
