"""conversation.py: follow-ups refine, page and re-scope the last search on the real index."""

from __future__ import annotations

import copy
import pickle

import pytest

from gdc_assistant.conversation import Conversation, ConversationState
from gdc_assistant.corpus import Filters
from gdc_assistant.errors import InvalidQueryError

pytestmark = pytest.mark.slow

PRIVACY = "Which commitments relate to data privacy?"


def _ids(response):
    return [h.commitment.id for h in response.hits]


def test_first_message_is_a_new_search(real_index):
    chat = Conversation(real_index, k=10)
    response = chat.send(PRIVACY)
    assert "O4-DATA-PRIV-01" in _ids(response)
    assert chat.state.question == PRIVACY
    assert [h.commitment.id for h in chat.state.shown] == _ids(response)
    assert chat.note is None


def _full_results(index, question, **kw):
    """The matches of a search's whole ranked list: the hits judged relevant (the first page is
    what the chat shows)."""
    from gdc_assistant.ask import ask

    return [h for h in ask(index, question, k=len(index), **kw).hits if h.relevant]


def test_refine_by_sdg_narrows_the_results_shown(real_index):
    chat = Conversation(real_index, k=10)
    before = _ids(chat.send(PRIVACY))
    response = chat.send("only those under SDG 16")
    after = _ids(response)
    # exactly the shown results that map to SDG 16 (explicitly or through "All SDGs"), in order:
    # nothing that was never shown is added
    expected = [i for i in before if real_index.commitment(i).has_sdg(16)]
    assert after and after == expected and len(after) < len(before)
    assert [h.rank for h in response.hits] == list(range(1, len(after) + 1))
    assert all("refined: under SDG 16" in h.reasons for h in response.hits)
    # the count is out of what was shown; matches further down are counted, not added
    pool = _full_results(real_index, PRIVACY)
    below = sum(h.commitment.has_sdg(16) and h.commitment.id not in before for h in pool)
    note = f"{len(after)} of the 10 results shown for “{PRIVACY}” are under SDG 16."
    if below:
        note += f" {below} more further down the list: say “show more”."
    assert chat.note == note


def test_show_more_after_a_refinement_pages_through_the_refined_results(real_index):
    chat = Conversation(real_index, k=10)
    shown = _ids(chat.send(PRIVACY))
    chat.send("only those under SDG 16")
    more = _ids(chat.send("show more"))
    assert more and not set(more) & set(shown)
    assert all(real_index.commitment(i).has_sdg(16) for i in more)


def test_refine_that_finds_nothing_shown_says_so_and_changes_nothing(real_index):
    chat = Conversation(real_index, k=10)
    shown = _ids(chat.send("Which commitments relate to data?"))
    assert not any(i.startswith("O1-") for i in shown)  # objective 4 fills the first page
    state = chat.state
    response = chat.send("only those under objective 1")
    assert response.hits == ()
    assert chat.note.startswith(
        "None of the 10 results shown for “Which commitments relate to data?” are under "
        "Objective 1; the conversation stays on those results."
    )
    assert chat.state.shown == state.shown and chat.state.refinements == state.refinements


def test_a_follow_up_that_finds_nothing_does_not_change_later_answers(real_index):
    question = "Which commitments address misinformation?"
    direct = Conversation(real_index, k=10)
    direct.send(question)
    expected = _ids(direct.send("only those under objective 3"))

    detour = Conversation(real_index, k=10)
    detour.send(question)
    assert detour.send("which of these are about agriculture?").hits == ()
    assert _ids(detour.send("only those under objective 3")) == expected
    assert expected and all(i.startswith("O3-") for i in expected)


def test_refine_respects_explicit_only_filter(real_index):
    chat = Conversation(real_index, k=10, filters=Filters(include_all=False))
    before = _ids(chat.send(PRIVACY))
    after = _ids(chat.send("only those under SDG 16"))
    assert after == [i for i in before if real_index.commitment(i).has_sdg(16, include_all=False)]
    assert "O4-DATA-PRIV-01" not in after  # it says "All SDGs", not SDG 16


def test_refine_to_explicit_mappings_drops_all_sdgs(real_index):
    chat = Conversation(real_index, k=10)
    first = chat.send("Which commitments under SDG 16 relate to data privacy?")
    assert first.filters.sdgs == (16,)
    before = _ids(first)
    assert any(real_index.commitment(i).sdgs_all for i in before)  # "All SDGs" counted at first
    after = _ids(chat.send("only the explicit ones"))
    assert after == [i for i in before if real_index.commitment(i).has_sdg(16, include_all=False)]
    assert len(after) < len(before)
    assert chat.note.endswith("are mapped explicitly, not through “All”.")


def test_lookup_keeps_the_looked_up_commitment_in_view(real_index):
    chat = Conversation(real_index, k=10)
    response = chat.send("Which SDGs and Action Lines is O5-07 mapped to?")
    assert response.structured is not None
    assert [h.commitment.id for h in chat.state.shown] == ["O5-07"]


def test_refine_by_topic_narrows_to_on_topic_results(real_index):
    chat = Conversation(real_index, k=15)
    before = _ids(chat.send("Which commitments are about data?"))
    response = chat.send("which of these are about consent to the use of personal data?")
    after = _ids(response)
    assert set(after) <= set(before)
    assert "O4-DATA-PRIV-03" in after  # "give and withdraw their consent to the use of their data"
    assert len(after) < len(before)
    assert all(any(r.startswith("refined: about") for r in h.reasons) for h in response.hits)


def test_show_more_pages_without_repeats_until_exhausted(real_index):
    chat = Conversation(real_index, k=10, filters=Filters(objectives=(4,)))
    first = _ids(chat.send(PRIVACY))
    second = chat.send("show more")
    assert len(first) == 10 and len(_ids(second)) == 2  # objective 4 has 12 commitments
    assert not set(first) & set(_ids(second))
    assert [h.rank for h in second.hits] == [11, 12]
    assert chat.note == f"More results for “{PRIVACY}”: 11–12."
    third = chat.send("show more")
    assert third.hits == () and not third.confident
    assert chat.note == f"No more results for “{PRIVACY}”: all 12 are shown above."


def test_replace_asks_the_same_question_with_the_new_scope(real_index):
    chat = Conversation(real_index, k=10)
    chat.send("How many commitments map to C5?")
    response = chat.send("what about C10 instead?")
    assert chat.state.question == "How many commitments map to C10?"
    assert response.filters.action_lines == ("C10",)
    assert response.structured is not None
    assert all(h.commitment.has_action_line("C10") for h in response.hits)
    assert chat.note.startswith("Asking again: “How many commitments map to C10?”")


def test_a_new_topic_starts_a_new_search(real_index):
    chat = Conversation(real_index, k=10)
    chat.send(PRIVACY)
    chat.send("only those under SDG 16")
    response = chat.send("Internet shutdowns")
    assert _ids(response)[0] == "O3-IG-04"
    assert chat.state.refinements == () and chat.state.question == "Internet shutdowns"


def test_ui_filters_apply_to_every_turn(real_index):
    chat = Conversation(real_index, k=5, filters=Filters(objectives=(3,)))
    for message in (PRIVACY, "show more", "Internet shutdowns"):
        response = chat.send(message)
        assert all(h.commitment.objective == 3 for h in response.hits), message


def test_bad_message_raises_and_keeps_the_conversation(real_index):
    chat = Conversation(real_index, k=10)
    chat.send(PRIVACY)
    state = chat.state
    for bad in ("", "   ", "x" * 100_000, "🔒🔒🔒"):
        with pytest.raises(InvalidQueryError):
            chat.send(bad)
        assert chat.state is state


def test_state_is_small_and_copyable_for_gr_state(real_index):
    chat = Conversation(real_index, k=30)
    chat.send(PRIVACY)
    chat.send("show more")
    blob = pickle.dumps(chat.state)
    assert len(blob) < 100_000
    assert copy.deepcopy(chat.state) == chat.state
    # a new Conversation picks the state up where the last one left it (as the UI does per turn)
    again = Conversation(real_index, k=30, state=pickle.loads(blob))
    response = again.send("only those under objective 4")
    assert response.hits and all(h.commitment.objective == 4 for h in response.hits)


def test_fresh_state_is_empty():
    assert ConversationState().question is None and ConversationState().shown == ()


def test_replace_rewrites_the_question_the_way_followup_does(real_index):
    from gdc_assistant.query.followup import parse_followup

    first = "Which SDG 5 and C10 commitments address online violence?"
    chat = Conversation(real_index, k=10)
    chat.send(first)
    chat.send("what about SDG 4?")
    assert chat.state.question == parse_followup("what about SDG 4?").rewrite(first)
    assert chat.state.question == "Which SDG 4 commitments address online violence?"


def test_a_refinement_keeping_only_less_close_results_is_not_confident(real_index):
    chat = Conversation(real_index, k=10)
    first = chat.send("Which commitments protect people's personal data?")
    closer = {h.commitment.id for h in first.hits if h.relevant}
    assert closer and all(cid.startswith("O4-") for cid in closer)
    # objective 3 results were shown only as related less closely: the refinement says so
    narrowed = chat.send("only those under objective 3")
    assert narrowed.hits and not any(h.relevant for h in narrowed.hits)
    assert not narrowed.confident
    kept = Conversation(real_index, k=10)
    kept.send("Which commitments protect people's personal data?")
    assert kept.send("only those under objective 4").confident
