"""The counts behind the Matrix tab and the Browse table, checked against the real corpus.

Expected figures were counted by hand in corpus/source/gdc_wsis_sdg_matrix.txt (line numbers given).
"""

import pytest

from gdc_assistant.corpus import load_corpus
from gdc_assistant.errors import InvalidFilterError
from gdc_assistant.matrix import (
    ALL_ACTION_LINES_LABEL,
    ALL_SDGS_LABEL,
    NO_SDG_LABEL,
    TABLE_COLUMNS,
    action_line_columns,
    action_line_rows,
    commitments_per_action_line,
    commitments_per_sdg,
    filter_table,
    sdg_action_line_counts,
)

C7_NAMED = [
    "C7 E-government",
    "C7 E-business",
    "C7 E-learning",
    "C7 E-health",
    "C7 E-employment",
    "C7 E-environment",
    "C7 E-agriculture",
]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def explicit(corpus):
    return sdg_action_line_counts(corpus, include_all=False)


@pytest.fixture(scope="module")
def with_all(corpus):
    return sdg_action_line_counts(corpus, include_all=True)


def ids(table):
    return list(table["ID"])


# --------------------------------------------------------------------------- heatmap


def test_matrix_columns_split_c7_into_the_sub_lines_the_source_names(corpus, explicit):
    expected = ["C1", "C2", "C3", "C4", "C5", "C6", *C7_NAMED, "C8", "C9", "C10", "C11"]
    assert list(action_line_columns(corpus)) == expected
    assert list(explicit.columns) == ["name", *expected]
    assert "C7" not in explicit.columns  # never named bare in the source
    assert "C7 E-science" not in explicit.columns  # never named at all


def test_matrix_rows_are_the_17_sdgs_with_names(explicit):
    assert list(explicit.index) == list(range(1, 18))
    assert explicit.loc[3, "name"] == "Good Health and Well-being"
    assert explicit.loc[17, "name"] == "Partnerships for the Goals"


@pytest.mark.parametrize(
    ("sdg", "code", "count"),
    [
        (3, "C7 E-health", 4),  # lines 47, 136, 138, 146
        (6, "C7 E-environment", 1),  # line 49
        (9, "C2", 12),
        (2, "C1", 0),  # no commitment names SDG 2
        (15, "C11", 0),  # nor SDG 15
    ],
)
def test_explicit_cells_counted_by_hand(explicit, sdg, code, count):
    assert explicit.loc[sdg, code] == count


def test_sdg_3_e_health_lists_the_four_commitments(corpus):
    table = filter_table(corpus, sdg=3, action_line="C7 E-health", include_all=False)
    assert ids(table) == ["O1-CONN-04", "O3-TRUST-01", "O3-TRUST-02", "O3-TRUST-06"]


def test_all_mappings_raise_cells_by_the_all_statements(with_all):
    # 25 commitments say both "All SDGs" and "All WSIS Action Lines"; three more say "All SDGs"
    # with C2, C3, C7 E-business and C10 (lines 167, 169, 173), none with C1.
    assert with_all.loc[2, "C1"] == 25
    assert with_all.loc[2, "C2"] == 28
    assert with_all.loc[2, "C7 E-environment"] == 26  # line 169 names E-environment
    assert with_all.loc[3, "C7 E-health"] == 30


def test_including_all_never_lowers_a_cell(explicit, with_all):
    codes = list(explicit.columns[1:])
    assert (with_all[codes] >= explicit[codes]).all().all()
    assert (with_all[codes] > explicit[codes]).any().any()


@pytest.mark.parametrize("include_all", [False, True])
def test_every_cell_lists_exactly_its_count(corpus, include_all):
    counts = sdg_action_line_counts(corpus, include_all=include_all)
    for sdg in counts.index:
        for code in counts.columns[1:]:
            table = filter_table(corpus, sdg=sdg, action_line=code, include_all=include_all)
            assert len(table) == counts.loc[sdg, code], (sdg, code)


def test_commitment_without_sdg_is_in_no_row(corpus, with_all):
    # O5-07 (line 212) maps to C2, C5 and C10 only; with every "All" counted, SDG rows for C5
    # still leave it out.
    c5_any_sdg = {i for sdg in range(1, 18) for i in ids(filter_table(corpus, sdg=sdg))}
    assert "O5-07" not in c5_any_sdg
    assert "O5-07" in ids(filter_table(corpus, action_line="C5", include_all=False))


# --------------------------------------------------------------------------- per SDG / Action Line


@pytest.mark.parametrize(
    ("sdg", "explicit_count"),
    [(1, 2), (2, 0), (3, 9), (9, 17), (10, 16), (15, 0), (16, 15), (17, 17)],
)
def test_commitments_per_sdg(corpus, sdg, explicit_count):
    counts = commitments_per_sdg(corpus)
    assert counts.loc[sdg, "explicit"] == explicit_count
    assert counts.loc[sdg, "via_all"] == 28
    assert counts.loc[sdg, "total"] == explicit_count + 28


def test_commitments_per_sdg_has_names_for_all_17(corpus):
    counts = commitments_per_sdg(corpus)
    assert list(counts.index) == list(range(1, 18))
    assert counts.loc[9, "name"] == "Industry, Innovation and Infrastructure"


@pytest.mark.parametrize(
    ("code", "explicit_count"),
    [
        ("C1", 20),
        ("C2", 44),
        ("C7", 39),  # any C7 sub-line
        ("C7 E-health", 8),
        ("C7 E-agriculture", 25),
        ("C11", 26),
    ],
)
def test_commitments_per_action_line(corpus, code, explicit_count):
    counts = commitments_per_action_line(corpus)
    assert counts.loc[code, "explicit"] == explicit_count
    assert counts.loc[code, "via_all"] == 37
    assert counts.loc[code, "total"] == explicit_count + 37


def test_per_action_line_rows_put_c7_before_its_sub_lines(corpus):
    rows = list(action_line_rows(corpus))
    assert rows[:8] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C7 E-government"]
    assert rows[-4:] == ["C8", "C9", "C10", "C11"]
    assert "C7 E-science" not in rows
    assert list(commitments_per_action_line(corpus).index) == rows


# --------------------------------------------------------------------------- filter_table


def test_no_filter_gives_all_85_in_document_order(corpus):
    table = filter_table(corpus)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert ids(table) == [c.id for c in corpus]
    assert len(table) == 85


def test_text_search_is_case_insensitive_over_text_section_and_id(corpus):
    expected = [
        "O3-TRUST-03",
        "O4-DATA-PRIV-01",
        "O4-DATA-PRIV-02",  # only its section says "privacy"
        "O4-DATA-PRIV-03",
        "O4-DATA-PRIV-04",
        "O4-DATA-PRIV-05",
        "O4-DATA-DEV-02",
    ]
    assert ids(filter_table(corpus, text="privacy")) == expected
    assert ids(filter_table(corpus, text="  PRIVACY ")) == expected
    assert ids(filter_table(corpus, text="o3-ig")) == [f"O3-IG-0{n}" for n in range(1, 5)]


def test_text_search_needs_every_word(corpus):
    both = ids(filter_table(corpus, text="privacy consent"))
    assert both == ["O4-DATA-PRIV-03"]
    assert filter_table(corpus, text="privacy zebra").empty


def test_text_search_keeps_the_source_spelling(corpus):
    # README irregularity 11: "capacitybuilding" is kept as written and still found
    assert len(filter_table(corpus, text="capacitybuilding")) == 1


def test_all_sdgs_shown_as_a_statement_not_a_list(corpus):
    table = filter_table(corpus, sdg=2)
    assert len(table) == 28
    assert set(table["SDGs"]) == {ALL_SDGS_LABEL}
    assert filter_table(corpus, sdg=2, include_all=False).empty


def test_all_action_lines_shown_as_a_statement(corpus):
    row = filter_table(corpus, text="O5-01").iloc[0]
    assert row["SDGs"] == ALL_SDGS_LABEL
    assert row["WSIS Action Lines"] == ALL_ACTION_LINES_LABEL


def test_explicit_mapping_shown_as_the_source_lists_it(corpus):
    row = filter_table(corpus, text="O1-CONN-01").iloc[0]
    assert row["SDGs"] == "9"
    assert row["WSIS Action Lines"] == (
        "C1, C2, C3, C5, C6, C7 E-government, C7 E-employment, C7 E-agriculture, C11"
    )
    assert row["Objective"] == "Objective 1"
    assert row["Section"] == "Connectivity"


def test_commitment_without_sdg_says_so(corpus):
    row = filter_table(corpus, text="O5-07").iloc[0]
    assert row["SDGs"] == NO_SDG_LABEL
    assert row["WSIS Action Lines"] == "C2, C5, C10"
    assert row["Section"] == "—"


def test_repeated_commitment_shows_its_occurrences(corpus):
    table = filter_table(corpus, text="O1-DPI-02")
    assert table.iloc[0]["Listed"] == 2


def test_filters_combine(corpus):
    # Objective 4 names SDG 3 on lines 178 and 189 only
    table = filter_table(corpus, objective=4, sdg=3, include_all=False)
    assert ids(table) == ["O4-DATA-STD-01", "O4-DATA-DEV-03"]
    # + its six "All SDGs" (lines 167, 169, 173, 180, 182, 187)
    assert len(filter_table(corpus, objective=4, sdg=3)) == 2 + 6
    follow_up = filter_table(corpus, objective="follow-up")
    assert ids(follow_up) == [f"FR-{n:02d}" for n in range(1, 12)]


def test_bare_c7_and_lower_case_codes(corpus):
    assert len(filter_table(corpus, action_line="c7", include_all=False)) == 39
    health = filter_table(corpus, action_line="c7 e-health", include_all=False)
    assert len(health) == 8


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sdg": 18}, "SDG 18"),
        ({"action_line": "C12"}, "C12"),
        ({"action_line": "C7 E-banking"}, "E-banking"),
        ({"objective": 7}, "objective 7"),
    ],
)
def test_unknown_filter_values_say_what_exists(corpus, kwargs, message):
    with pytest.raises(InvalidFilterError, match=message):
        filter_table(corpus, **kwargs)
