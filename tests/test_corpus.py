"""The corpus is an exact, structured copy of the source document."""

from __future__ import annotations

from collections import Counter

import pytest

from gdc_assistant.corpus import (
    ALL_ACTION_LINES,
    ALL_SDGS,
    COMMITMENTS_PATH,
    SOURCE_PATH,
    load_corpus,
    normalise_action_line,
)
from gdc_assistant.errors import CorpusError, CorpusParseError
from gdc_assistant.source import build_corpus, is_mapping_line, parse_mapping, parse_source

SEED = SOURCE_PATH.parents[2].parent / "shared" / "seed" / "gdc_wsis_sdg_matrix.txt"


def test_source_copy_is_verbatim():
    if not SEED.exists():
        pytest.skip("shared/seed is not beside this checkout")
    assert SOURCE_PATH.read_bytes() == SEED.read_bytes()


def test_regenerating_gives_byte_identical_output(tmp_path):
    out = build_corpus(output=tmp_path / "commitments.jsonl")
    assert out.read_bytes() == COMMITMENTS_PATH.read_bytes()


def test_85_distinct_commitments_with_unique_ids(corpus):
    assert len(corpus) == 85
    assert len({c.id for c in corpus}) == 85
    assert len({c.text for c in corpus}) == 85


@pytest.mark.parametrize(
    ("objective", "count"),
    [(1, 21), (2, 10), (3, 19), (4, 12), (5, 12), ("follow-up", 11)],
)
def test_counts_per_objective(corpus, objective, count):
    assert len(corpus.by_objective(objective)) == count


@pytest.mark.parametrize(
    ("section", "count"),
    [
        ("Connectivity", 7),
        ("Digital literacy, skills and capacities", 8),
        ("Digital public goods and digital public infrastructure", 6),
        ("Human rights", 4),
        ("Internet governance", 4),
        ("Digital trust and safety", 6),
        ("Information integrity", 5),
        ("Data privacy and security", 5),
        ("Data exchanges and standards", 3),
        ("Data for the Sustainable Development Goals and for development", 3),
        ("Cross-border data flows", 1),
    ],
)
def test_counts_per_section(corpus, section, count):
    assert len(corpus.by_section(section)) == count


def test_sections_are_null_where_the_source_has_no_subheadings(corpus):
    assert {c.section for c in corpus if c.objective in (2, 5, "follow-up")} == {None}


def test_records_are_in_document_order(corpus):
    firsts = [c.source_lines[0] for c in corpus]
    assert firsts == sorted(firsts)


# Each row was read off the source by hand: id, objective, section, the start and end of the
# text, sdgs, sdgs_all, action_lines, action_lines_all, source_lines, occurrences.
SPOT_CHECKS = [
    (  # first record
        "O1-CONN-01", 1, "Connectivity",
        "Develop and strengthen targets, indicators and metrics", "national development strategies",
        (9,), False,
        ("C1", "C2", "C3", "C5", "C6", "C7 E-government", "C7 E-employment", "C7 E-agriculture",
         "C11"), False,
        (40, 41), 1,
    ),
    (  # "SDGs 10 & 11"
        "O1-CONN-06", 1, "Connectivity",
        "Include the needs of people in vulnerable situations", "digital connectivity strategies",
        (10, 11), False,
        ("C1", "C2", "C3", "C4", "C5", "C6", "C7 E-health", "C7 E-environment",
         "C7 E-agriculture", "C8", "C10", "C11"), False,
        (50, 51), 1,
    ),
    (  # SDG 5 with "All WSIS Action Lines"
        "O1-CONN-07", 1, "Connectivity",
        "Mainstream a gender perspective", "for all women and girls",
        (5,), False, ALL_ACTION_LINES, True, (52, 53), 1,
    ),
    (  # "WSIS Action C1 C2, C3, ..." (missing "Lines" and a comma)
        "O1-SKILLS-01", 1, "Digital literacy, skills and capacities",
        "Establish and support national digital skills strategies",
        "intermediate or advanced digital skills",
        (4, 5), False,
        ("C1", "C2", "C3", "C4", "C6", "C7 E-government", "C7 E-learning", "C7 E-employment",
         "C11"), False,
        (55, 56), 1,
    ),
    (  # list without "and": "C6, C7 E-learning, C8"
        "O1-SKILLS-07", 1, "Digital literacy, skills and capacities",
        "Develop interoperable digital competency frameworks", "the prevention of brain drain",
        (4, 17), False, ("C2", "C3", "C4", "C6", "C7 E-learning", "C8"), False, (67, 68), 1,
    ),
    (  # listed twice (lines 74 and 76): one record, occurrences 2
        "O1-DPI-02", 1, "Digital public goods and digital public infrastructure",
        "Promote the adoption of open standards and interoperability",
        "across different platforms and systems",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (74, 75, 76, 77), 2,
    ),
    (  # Objective 2 has no sections
        "O2-01", 2, None,
        "Foster an open, fair, inclusive and nondiscriminatory digital environment",
        "access and compete in the digital economy",
        (9,), False,
        ("C1", "C2", "C3", "C4", "C5", "C6", "C7 E-business", "C7 E-agriculture", "C11"), False,
        (91, 92), 1,
    ),
    (  # source typo "Rightsof" kept as written
        "O3-HR-03", 3, "Human rights",
        "Strengthen legal and policy frameworks to protect the rights of the child",
        "including the Convention on the Rightsof the Child",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (121, 122), 1,
    ),
    (
        "O3-IG-04", 3, "Internet governance",
        "Refrain from Internet shutdowns", "measures that target Internet access",
        (16,), False, ALL_ACTION_LINES, True, (132, 133), 1,
    ),
    (  # "best practice's" kept
        "O3-TRUST-03", 3, "Digital trust and safety",
        "Establish regular collaboration between national online safety institutions to exchange "
        "best practice's", "while addressing harms",
        (17,), False, ("C2", "C5", "C6", "C7 E-government", "C7 E-health"), False, (139, 140), 1,
    ),
    (  # "C7 e-agriculture" in lower case
        "O3-TRUST-05", 3, "Digital trust and safety",
        "Develop, in consultation with all relevant stakeholders", "abuse in the digital space",
        (5, 16), False,
        ("C2", "C5", "C6", "C7 E-government", "C7 E-learning", "C7 E-health", "C7 E-employment",
         "C7 E-agriculture", "C9", "C11"), False,
        (143, 144), 1,
    ),
    (  # "WSIS Action Line C9" (singular)
        "O3-INFO-02", 3, "Information integrity",
        "Promote diverse and resilient information ecosystems", "journalists and media workers",
        (9, 16), False, ("C9",), False, (150, 151), 1,
    ),
    (  # listed twice; "SDGs 3, 4, 9 and 16" without serial comma; "factbased"
        "O3-INFO-03", 3, "Information integrity",
        "Provide, promote and facilitate access to and dissemination of independent, factbased",
        "to counter misinformation and disinformation",
        (3, 4, 9, 16), False, ("C9", "C11"), False, (152, 153, 154, 155), 2,
    ),
    (  # "All SDGs" with explicit Action Lines
        "O4-DATA-PRIV-01", 4, "Data privacy and security",
        "Draw on existing international and regional guidelines on the protection of privacy",
        "data governance frameworks",
        ALL_SDGS, True, ("C2", "C3", "C7 E-business", "C10"), False, (166, 167), 1,
    ),
    (  # a plain paragraph under a sub-heading, blank lines around it
        "O4-DATA-FLOW-01", 4, "Cross-border data flows",
        "Advance consultations among all relevant stakeholders",
        "develop publicly available knowledge and best practices",
        (17,), False, ALL_ACTION_LINES, True, (192, 194), 1,
    ),
    (  # four numbered items ("1." to "4.") share one mapping line: first and last
        "O5-01", 5, None,
        "Assess the future directions and implications of artificial intelligence systems",
        "promote scientific understanding",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (200, 204), 1,
    ),
    (
        "O5-04", 5, None,
        "Promote transparency, accountability and robust human oversight",
        "in compliance with international law",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (203, 204), 1,
    ),
    (  # Action Lines and no SDG at all
        "O5-07", 5, None,
        "We therefore request the President of the General Assembly to appoint",
        "the Global Dialogue on AI Governance for the adoption by the General Assembly.",
        (), False, ("C2", "C5", "C10"), False, (210, 212), 1,
    ),
    (  # "capacitybuilding" kept
        "O5-10", 5, None,
        "We encourage the development of international partnerships on artificial intelligence "
        "capacitybuilding", "in the digital economy",
        (4, 17), False, ("C2", "C3", "C4", "C5", "C10", "C11"), False, (222, 224), 1,
    ),
    (  # Follow-up and Review: "SecretaryGeneral" kept
        "FR-03", "follow-up", None,
        "We invite international and regional organizations",
        "accessible from December 2024.",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (247, 249), 1,
    ),
    (  # the last line of the file has no newline; "followup" kept
        "FR-11", "follow-up", None,
        "The cross-cutting nature of digital technologies",
        "the modalities for this high-level meeting.",
        ALL_SDGS, True, ALL_ACTION_LINES, True, (279, 281), 1,
    ),
]  # fmt: skip


@pytest.mark.parametrize("row", SPOT_CHECKS, ids=[row[0] for row in SPOT_CHECKS])
def test_spot_check_against_the_source(corpus, row):
    (cid, objective, section, start, end, sdgs, sdgs_all, lines, lines_all, src, occ) = row
    c = corpus.get(cid)
    assert c.objective == objective
    assert c.section == section
    assert c.text.startswith(start)
    assert c.text.endswith(end)
    assert c.sdgs == tuple(sdgs)
    assert c.sdgs_all is sdgs_all
    assert c.action_lines == tuple(lines)
    assert c.action_lines_all is lines_all
    assert c.source_lines == src
    assert c.occurrences == occ


def test_text_is_the_source_wording(corpus):
    source = SOURCE_PATH.read_text(encoding="utf-8").splitlines()
    for c in corpus:
        line = " ".join(source[c.source_lines[0] - 1].split())
        assert line.endswith(c.text), c.id
        assert " ".join(source[c.source_lines[1] - 1].split()) == c.mapping_text, c.id


def test_source_spelling_slips_are_kept(corpus):
    texts = " ".join(c.text for c in corpus)
    for slip in ("Rightsof", "best practice's", "factbased", "mediumsized", "capacitybuilding",
                 "SecretaryGeneral", "followup", "“hard-to-reach”", "nondiscriminatory",
                 "multistakeholder"):  # fmt: skip
        assert slip in texts


def test_objective_titles(corpus):
    titles = {c.objective: c.objective_title for c in corpus}
    assert (
        titles[4] == "Advance Responsible, Equitable, and Interoperable Data Governance Approaches"
    )
    assert titles["follow-up"] == "Follow-up and Review"


def test_all_flags_count(corpus):
    assert sum(c.sdgs_all for c in corpus) == 28
    assert sum(c.action_lines_all for c in corpus) == 37
    assert all(c.sdgs == ALL_SDGS for c in corpus if c.sdgs_all)
    assert all(c.action_lines == ALL_ACTION_LINES for c in corpus if c.action_lines_all)


# --------------------------------------------------------------------------- all-flag semantics


@pytest.mark.parametrize(
    ("sdg", "explicit", "total"),
    [(9, 17, 45), (5, 9, 37), (2, 0, 28), (15, 0, 28), (17, 17, 45)],
)
def test_sdg_filter_with_and_without_all(corpus, sdg, explicit, total):
    assert len(corpus.by_sdg(sdg, include_all=False)) == explicit
    assert len(corpus.by_sdg(sdg)) == total


@pytest.mark.parametrize(
    ("code", "explicit", "total"),
    [
        ("C10", 12, 49),
        ("C9", 8, 45),
        ("C7 E-health", 8, 45),
        ("C7", 39, 76),
        ("c7 e-health", 8, 45),
    ],
)
def test_action_line_filter_with_and_without_all(corpus, code, explicit, total):
    assert len(corpus.by_action_line(code, include_all=False)) == explicit
    assert len(corpus.by_action_line(code)) == total


def test_bare_c7_matches_any_sub_line(corpus):
    c = corpus.get("O1-CONN-04")  # C7 E-health, C7 E-learning, C7 E-agriculture
    assert c.has_action_line("C7", include_all=False)
    assert not c.has_action_line("C7 E-government", include_all=False)


def test_all_sdgs_is_not_an_explicit_mapping(corpus):
    c = corpus.get("O4-DATA-PRIV-01")
    assert c.has_sdg(3)
    assert not c.has_sdg(3, include_all=False)


def test_no_sdg_commitment_matches_no_sdg(corpus):
    c = corpus.get("O5-07")
    assert not any(c.has_sdg(n) for n in range(1, 18))


def test_combined_filter(corpus):
    found = corpus.filter(sdg=16, objective=3, include_all=False)
    assert {c.id for c in found} == {
        "O3-IG-03", "O3-IG-04", "O3-TRUST-01", "O3-TRUST-04", "O3-TRUST-05",
        "O3-INFO-02", "O3-INFO-03",
    }  # fmt: skip


def test_get_unknown_id(corpus):
    with pytest.raises(KeyError, match="O9-XX-01"):
        corpus.get("O9-XX-01")


def test_reference_tables(corpus):
    assert len(corpus.sdg_names) == 17
    assert corpus.sdg_names[5] == "Gender Equality"
    assert corpus.action_line_names["C10"] == "Ethical dimensions of the Information Society"
    assert corpus.action_line_names["C7 E-health"].endswith("E-health")
    used = {a for c in corpus for a in c.action_lines}
    assert used <= set(corpus.action_line_names)


# --------------------------------------------------------------------------- mapping lines


@pytest.mark.parametrize(
    ("line", "sdgs", "sdgs_all", "lines", "lines_all"),
    [
        ("SDG 9 WSIS Action Lines C1, C2, and C11", (9,), False, ("C1", "C2", "C11"), False),
        ("SDGs 10 & 11 WSIS Action Lines C8, C10", (10, 11), False, ("C8", "C10"), False),
        ("SDGs 3, 4, 9 and 16 WSIS Action Lines C9, and C11", (3, 4, 9, 16), False,
         ("C9", "C11"), False),
        ("SDGs 4 and 5 WSIS Action C1 C2, C3", (4, 5), False, ("C1", "C2", "C3"), False),
        ("SDGs 9 and 16 WSIS Action Line C9", (9, 16), False, ("C9",), False),
        ("All SDGs All WSIS Action Lines", ALL_SDGS, True, ALL_ACTION_LINES, True),
        ("SDG 17 All WSIS Action Lines", (17,), False, ALL_ACTION_LINES, True),
        ("All SDGs WSIS Action Lines C2, C3, C7 E-business, and C10", ALL_SDGS, True,
         ("C2", "C3", "C7 E-business", "C10"), False),
        ("WSIS Action Lines C2, C5, and C10", (), False, ("C2", "C5", "C10"), False),
        ("SDG 3 WSIS Action Lines C7 e-agriculture, C7 E-health", (3,), False,
         ("C7 E-health", "C7 E-agriculture"), False),
    ],
)  # fmt: skip
def test_parse_mapping(line, sdgs, sdgs_all, lines, lines_all):
    m = parse_mapping(line)
    assert (m.sdgs, m.sdgs_all, m.action_lines, m.action_lines_all) == (
        sdgs, sdgs_all, lines, lines_all,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("SDG 18 WSIS Action Lines C1", "no SDG 18"),
        ("SDG 9 WSIS Action Lines C12", "no WSIS Action Line C12"),
        ("SDG 9 WSIS Action Lines C7 E-banking", "unknown Action Line C7 E-banking"),
        ("SDG 9 WSIS Action Lines C3 E-health", "unknown Action Line C3 E-health"),
        ("SDG 9 and maybe 10 WSIS Action Lines C1", "unrecognised"),
        ("SDG 9 WSIS Action Lines C1, X5", "unrecognised"),
        ("SDG 9", "no WSIS Action Lines part"),
    ],
)
def test_parse_mapping_rejects_bad_lines(line, message):
    with pytest.raises(CorpusParseError, match=message) as info:
        parse_mapping(line, 42)
    assert "source line 42" in str(info.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("All SDGs All WSIS Action Lines", True),
        ("SDG 5 All WSIS Action Lines", True),
        ("WSIS Action Lines C2, C5, and C10", True),
        ("Connectivity", False),
        ("  1. Develop and strengthen targets", False),
        ("SDGs are important", False),
    ],
)
def test_is_mapping_line(line, expected):
    assert is_mapping_line(line) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("c10", "C10"), ("C7 e-health", "C7 E-health"), ("C7  E-Learning", "C7 E-learning")],
)
def test_normalise_action_line(code, expected):
    assert normalise_action_line(code) == expected


# --------------------------------------------------------------------------- damaged sources


def _damaged(tmp_path, transform) -> object:
    lines = SOURCE_PATH.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "damaged.txt"
    path.write_text("\n".join(transform(lines)), encoding="utf-8")
    return path


def test_missing_mapping_line_fails_naming_the_line(tmp_path):
    path = _damaged(tmp_path, lambda lines: lines[:40] + lines[41:])  # drop line 41
    with pytest.raises(CorpusParseError, match="source line 40: commitment has no SDG"):
        parse_source(path)


def test_unknown_action_line_fails_naming_the_line(tmp_path):
    def damage(lines):
        lines[40] = lines[40].replace("C11", "C13")
        return lines

    with pytest.raises(CorpusParseError, match="source line 41: there is no WSIS Action Line C13"):
        parse_source(_damaged(tmp_path, damage))


def test_duplicate_with_different_mapping_fails(tmp_path):
    def damage(lines):
        lines[76] = "SDG 17 All WSIS Action Lines"  # the second copy of O1-DPI-02
        return lines

    with pytest.raises(CorpusParseError, match="source line 76: commitment repeats line 74"):
        parse_source(_damaged(tmp_path, damage))


def test_mapping_line_without_commitment_fails(tmp_path):
    def damage(lines):
        return lines[:40] + lines[41:42] + lines[40:41] + lines[42:]  # mapping swapped up

    with pytest.raises(CorpusParseError, match="source line 40"):
        parse_source(_damaged(tmp_path, damage))


def test_unknown_subheading_fails_instead_of_becoming_a_commitment(tmp_path):
    def damage(lines):
        lines[38] = "Connectivity and access"  # a heading the reference table does not know
        return lines

    with pytest.raises(CorpusParseError, match="source line 39: commitment has no SDG"):
        parse_source(_damaged(tmp_path, damage))


def test_missing_source_file(tmp_path):
    with pytest.raises(CorpusError, match="cannot read the source document"):
        parse_source(tmp_path / "nope.txt")


def test_damaged_corpus_file_says_how_to_fix(tmp_path):
    path = tmp_path / "commitments.jsonl"
    path.write_text('{"id": "O1-CONN-01"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="gdc-assistant corpus build"):
        load_corpus(path)


def test_missing_corpus_file_says_how_to_fix(tmp_path):
    with pytest.raises(CorpusError, match="gdc-assistant corpus build"):
        load_corpus(tmp_path / "nothing.jsonl")


def test_ids_are_stable_and_follow_the_scheme(corpus):
    prefixes = Counter(c.id.rsplit("-", 1)[0] for c in corpus)
    assert prefixes == {
        "O1-CONN": 7, "O1-SKILLS": 8, "O1-DPI": 6, "O2": 10, "O3-HR": 4, "O3-IG": 4,
        "O3-TRUST": 6, "O3-INFO": 5, "O4-DATA-PRIV": 5, "O4-DATA-STD": 3, "O4-DATA-DEV": 3,
        "O4-DATA-FLOW": 1, "O5": 12, "FR": 11,
    }  # fmt: skip
