"""Exact counts, lists and lookups against the real corpus (no model, no index)."""

from __future__ import annotations

import pytest

from gdc_assistant.corpus import Filters, load_corpus
from gdc_assistant.exact import answer_structured
from gdc_assistant.query.parse import Intent, parse_query


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


class FakeFind:
    """Stands in for search: returns fixed commitment ids and records what it was asked."""

    def __init__(self, corpus, ids=()):
        self.corpus, self.ids, self.calls = corpus, ids, []

    def __call__(self, topic):
        self.calls.append(topic)
        return [self.corpus.get(i) for i in self.ids]


def ask(corpus, question, ui=None, find=None):
    parsed = parse_query(question)
    ui = ui or Filters()
    finder = find or FakeFind(corpus)
    return answer_structured(corpus, parsed, filters=parsed.filters_with(ui), find=finder)


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("question", "explicit", "via_all", "total", "text"),
    [
        (
            "How many commitments are mapped to SDG 9?",
            17,
            28,
            45,
            'SDG 9: 45 commitments — 17 map to it explicitly and 28 only through "All SDGs".',
        ),
        (
            "how many commitments cite C10?",
            12,
            37,
            49,
            "Action Line C10: 49 commitments — 12 map to it explicitly and 37 only through "
            '"All WSIS Action Lines".',
        ),
        (
            "how many commitments are mapped to SDG 14?",
            1,
            28,
            29,
            'SDG 14: 29 commitments — 1 maps to it explicitly and 28 only through "All SDGs".',
        ),
        ("number of commitments under objective 4", 12, 0, 12, "Objective 4: 12 commitments."),
        (
            "how many commitments say All SDGs?",
            28,
            0,
            28,
            '"All SDGs": 28 commitments say "All SDGs" in the source.',
        ),
        (
            "how many commitments are mapped to All WSIS Action Lines?",
            37,
            0,
            37,
            '"All WSIS Action Lines": 37 commitments say "All WSIS Action Lines" in the source.',
        ),
        ("How many commitments are there?", 85, 0, 85, "The matrix lists 85 distinct commitments."),
        (
            "how many commitments are in the Internet governance section?",
            4,
            0,
            4,
            'Section "Internet governance": 4 commitments.',
        ),
        (
            "how many commitments cite Follow-up and Review?",
            11,
            0,
            11,
            "Follow-up and Review: 11 commitments.",
        ),
    ],
)
def test_counts(corpus, question, explicit, via_all, total, text):
    answer = ask(corpus, question)
    assert answer.intent is Intent.COUNT
    assert (len(answer.explicit), len(answer.via_all), len(answer.commitments)) == (
        explicit,
        via_all,
        total,
    )
    assert answer.text == text
    assert answer.include_all


def test_explicit_count_says_what_was_left_out(corpus):
    answer = ask(corpus, "How many commitments are explicitly mapped to SDG 9?")
    assert answer.include_all is False
    assert len(answer.commitments) == 17
    assert answer.commitments == answer.explicit
    assert answer.via_all == ()
    assert len(answer.not_counted) == 28 and all(c.sdgs_all for c in answer.not_counted)
    assert all(9 in c.sdgs and not c.sdgs_all for c in answer.commitments)
    assert answer.text == (
        "SDG 9: 17 commitments map to it explicitly; 28 more that match only through "
        '"All SDGs" are not counted.'
    )
    assert answer.description == (
        "commitments mapped to SDG 9 (Industry, Innovation and Infrastructure) (not counting "
        '"All SDGs")'
    )


@pytest.mark.parametrize(
    ("question", "ui", "text"),
    [
        (
            "how many commitments under objective 5 say All SDGs?",
            None,
            '"All SDGs" under objective 5: 5 commitments say "All SDGs" in the source.',
        ),
        (
            "how many commitments are explicitly mapped to SDG 9?",
            Filters(objectives=(2,)),
            "SDG 9 under objective 2: 5 commitments map to it explicitly; 1 more that matches only "
            'through "All SDGs" is not counted.',
        ),
        (
            "how many commitments are explicitly mapped to SDG 9?",
            Filters(objectives=(1,), sections=("Connectivity",)),
            'SDG 9 under objective 1 in section "Connectivity": 3 commitments map to it '
            'explicitly (none more through "All SDGs").',
        ),
        (
            "how many commitments are there?",
            Filters(objectives=(1,)),
            "Objective 1: 21 commitments.",
        ),
    ],
)
def test_count_texts_with_combined_scopes(corpus, question, ui, text):
    assert ask(corpus, question, ui=ui).text == text


def test_ui_include_all_switch_is_honoured(corpus):
    answer = ask(corpus, "how many commitments cite C10?", ui=Filters(include_all=False))
    assert (len(answer.commitments), answer.include_all) == (12, False)
    assert "37 more" in answer.text and "not counted" in answer.text


def test_counts_agree_with_the_corpus_filters(corpus):
    for sdg in range(1, 18):
        answer = ask(corpus, f"how many commitments cite SDG {sdg}?")
        assert answer.commitments == corpus.by_sdg(sdg)
        assert answer.explicit == corpus.by_sdg(sdg, include_all=False)
        assert len(answer.via_all) == 28  # every SDG is reached by the 28 "All SDGs" commitments
    for code in [f"C{n}" for n in range(1, 12)]:
        answer = ask(corpus, f"how many commitments cite {code}?")
        assert answer.explicit == corpus.by_action_line(code, include_all=False)
        assert len(answer.via_all) == 37


def test_bare_c7_counts_every_c7_sub_line(corpus):
    answer = ask(corpus, "how many commitments cite C7?")
    expected = [
        c
        for c in corpus
        if not c.action_lines_all and any(a.startswith("C7") for a in c.action_lines)
    ]
    assert list(answer.explicit) == expected


def test_two_sdgs_are_alternatives(corpus):
    answer = ask(corpus, "How many commitments map to SDGs 5 and 10?")
    expected = [c for c in corpus if not c.sdgs_all and ({5, 10} & set(c.sdgs))]
    assert list(answer.explicit) == expected
    assert answer.text.startswith(f"SDGs 5 or 10: {len(expected) + 28} commitments — ")
    assert answer.text.endswith(f'{len(expected)} match explicitly and 28 only through "All SDGs".')


def test_question_scope_is_combined_with_ui_filters(corpus):
    answer = ask(corpus, "how many commitments cite SDG 9?", ui=Filters(objectives=(1,)))
    assert [c.id for c in answer.commitments] == [
        "O1-CONN-01",
        "O1-CONN-02",
        "O1-CONN-03",
        "O1-DPI-01",
        "O1-DPI-02",
    ]
    assert [c.id for c in answer.via_all] == ["O1-DPI-02"]
    assert answer.text == (
        "SDG 9 under objective 1: 5 commitments — 4 map to it explicitly and 1 only through "
        '"All SDGs".'
    )


# --------------------------------------------------------------------------- lists


def test_list_objective_4_in_document_order(corpus):
    answer = ask(corpus, "list all commitments under objective 4")
    assert answer.intent is Intent.LIST
    assert [c.id for c in answer.commitments] == [c.id for c in corpus if c.objective == 4]
    assert len(answer.commitments) == 12
    assert answer.description == "commitments under objective 4"


def test_list_all_sdgs_statement(corpus):
    answer = ask(corpus, "which commitments are mapped to All SDGs?")
    assert answer.intent is Intent.LIST
    assert len(answer.commitments) == 28
    assert all(c.sdgs_all for c in answer.commitments)


def test_list_what_is_mapped_to_c10(corpus):
    answer = ask(corpus, "what is mapped to C10?")
    assert answer.intent is Intent.LIST
    assert len(answer.explicit) == 12
    assert len(answer.commitments) == 49
    ids = [c.id for c in answer.commitments]
    assert ids == sorted(ids, key=[c.id for c in corpus].index)


@pytest.mark.parametrize(
    "question",
    [
        "How many commitments are mapped to SDG 9?",
        "which commitments are mapped to All SDGs?",
        "list every commitment that says All WSIS Action Lines",
        "What is O1-DPI-02 mapped to?",
        "what is mapped to C10?",
    ],
)
def test_all_statements_are_never_spelled_out(corpus, question):
    answer = ask(corpus, question)
    for wrong in ("1-17", "1–17", "SDGs 1, 2", "C1-C11", "C1, C2, C3, C4"):
        assert wrong not in answer.text
        assert wrong not in answer.description


# --------------------------------------------------------------------------- lookups


def test_lookup_reads_the_top_commitment(corpus):
    find = FakeFind(corpus, ids=("O3-IG-04", "O3-HR-04"))
    answer = ask(corpus, "what is the mapping of the commitment on Internet shutdowns?", find=find)
    assert find.calls == ["Internet shutdowns"]
    assert answer.intent is Intent.LOOKUP
    assert [c.id for c in answer.commitments] == ["O3-IG-04"]
    assert answer.text == (
        'O3-IG-04 "Refrain from Internet shutdowns…" is mapped to SDG 16 and to '
        "All WSIS Action Lines."
    )


@pytest.mark.parametrize(
    ("question", "ids", "text"),
    [
        (
            "which SDGs is the commitment on Internet shutdowns mapped to?",
            ("O3-IG-04",),
            'O3-IG-04 "Refrain from Internet shutdowns…" is mapped to SDG 16.',
        ),
        (
            "Which Action Lines does the commitment on information ecosystems cite?",
            ("O3-INFO-03",),
            'O3-INFO-03 "Provide, promote and facilitate…" is mapped to WSIS Action Lines C9 '
            "and C11.",
        ),
        (
            "which SDGs does the commitment on open standards map to?",
            ("O1-DPI-02",),
            'O1-DPI-02 "Promote the adoption of open…" is mapped to All SDGs.',
        ),
        (
            "what is the mapping of O5-07?",
            (),
            'O5-07 "We therefore request the…" has no SDG in the source and is mapped to WSIS '
            "Action Lines C2, C5 and C10.",
        ),
        (
            "What is O3-INFO-03 mapped to?",
            (),
            'O3-INFO-03 "Provide, promote and facilitate…" is mapped to SDGs 3, 4, 9 and 16 and '
            "to WSIS Action Lines C9 and C11.",
        ),
    ],
)
def test_lookup_texts(corpus, question, ids, text):
    find = FakeFind(corpus, ids=ids)
    answer = ask(corpus, question, find=find)
    assert answer.text == text
    if not ids:
        assert find.calls == []  # an id in the question needs no search


def test_lookup_with_no_match_says_so(corpus):
    answer = ask(corpus, "which SDGs is the commitment on space debris mapped to?")
    assert answer.commitments == ()
    assert answer.text == 'No commitment matches "space debris".'


def test_lookup_of_unknown_id(corpus):
    answer = ask(corpus, "what is O1-CONN-99 mapped to?")
    assert answer.commitments == ()
    assert "There is no commitment O1-CONN-99" in answer.text


# --------------------------------------------------------------------------- no structured answer


@pytest.mark.parametrize(
    "question",
    [
        "which commitments relate to data privacy?",  # SEARCH
        "how many commitments mention children?",  # a topic cannot be counted exactly
        "which SDGs is the commitment mapped to?",  # a lookup with no subject
        "AI",
    ],
)
def test_no_structured_answer(corpus, question):
    assert ask(corpus, question) is None


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("how many commitments cite SDG 18?", "There is no SDG 18 (the SDGs run from 1 to 17)."),
        (
            "list the commitments under C12",
            "There is no WSIS Action Line C12 (they run C1 to C11).",
        ),
        (
            "how many commitments are under objective 6?",
            "There is no objective 6 (the Global Digital Compact has objectives 1 to 5, plus "
            "Follow-up and Review).",
        ),
    ],
)
def test_invalid_scope_is_answered_not_ignored(corpus, question, text):
    answer = ask(corpus, question)
    assert answer.commitments == ()
    assert answer.text == text


def test_commitments_without_an_sdg_are_counted_from_the_source(corpus):
    parsed = parse_query("How many commitments have no SDG?")
    answer = answer_structured(corpus, parsed, filters=parsed.filters(), find=lambda t: [])
    expected = [c.id for c in corpus if not c.sdgs and not c.sdgs_all]
    assert [c.id for c in answer.commitments] == expected == ["O5-07"]
    assert answer.text == "No SDG: 1 commitment the source gives no SDG for."
