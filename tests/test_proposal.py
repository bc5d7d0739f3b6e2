"""map_proposal: aggregation maths with hand-made hits, then the real model on sample proposals."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdc_assistant.cli.main import cli
from gdc_assistant.corpus import load_corpus
from gdc_assistant.errors import InvalidQueryError
from gdc_assistant.proposal.mapping import (
    ALL_WEIGHT,
    COVERAGE_BONUS,
    Aggregation,
    Passage,
    aggregate,
    map_proposal,
    split_proposal,
)
from gdc_assistant.proposal.render import proposal_csv, proposal_markdown, proposal_text
from gdc_assistant.retrieval import Hit

DATA = Path(__file__).parent / "data"
CORPUS = load_corpus()


def _passages(n: int) -> list[Passage]:
    return [Passage(i, f"passage {i}", i * 20, i * 20 + 9) for i in range(n)]


def _hits(*pairs: tuple[str, float]) -> list[Hit]:
    """Hits for one passage, ranked in the order given."""
    return [
        Hit(CORPUS.get(cid), score, rank, ("dense",), True)
        for rank, (cid, score) in enumerate(pairs, start=1)
    ]


# --------------------------------------------------------------------------- aggregation maths

# O1-CONN-04: SDGs 3, 4 explicit. O5-01: All SDGs, All WSIS Action Lines.
# O4-DATA-PRIV-01: All SDGs, explicit C2, C3, C7 E-business, C10.
HITS_3 = [
    _hits(("O1-CONN-04", 0.6), ("O5-01", 0.5)),
    _hits(("O5-01", 0.5), ("O1-CONN-04", 0.2)),
    _hits(("O5-01", 0.5), ("O4-DATA-PRIV-01", 0.7)),
]


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (Aggregation.MAX, {"O4-DATA-PRIV-01": 0.7, "O1-CONN-04": 0.6, "O5-01": 0.5}),
        (Aggregation.SUM, {"O5-01": 1.5, "O1-CONN-04": 0.8, "O4-DATA-PRIV-01": 0.7}),
        (
            Aggregation.MAX_COVERAGE,
            {
                "O4-DATA-PRIV-01": 0.7,  # one passage of three: no bonus
                "O1-CONN-04": 0.6 * (1 + COVERAGE_BONUS * 1 / 2),
                "O5-01": 0.5 * (1 + COVERAGE_BONUS * 2 / 2),
            },
        ),
    ],
)
def test_commitment_scores_per_aggregation(how, expected):
    pmap = aggregate("x", _passages(3), HITS_3, corpus=CORPUS, aggregation=how)
    got = {rc.commitment.id: rc.score for rc in pmap.commitments}
    assert got == pytest.approx(expected)
    assert [rc.commitment.id for rc in pmap.commitments] == sorted(expected, key=lambda i: -got[i])


def test_coverage_bonus_lets_a_commitment_matched_throughout_beat_one_lucky_passage():
    hits = [_hits(("O1-CONN-04", 0.52)) for _ in range(4)] + [_hits(("O1-CONN-03", 0.55))]
    by_max = aggregate("x", _passages(5), hits, corpus=CORPUS, aggregation=Aggregation.MAX)
    by_cov = aggregate("x", _passages(5), hits, corpus=CORPUS, aggregation=Aggregation.MAX_COVERAGE)
    assert by_max.commitments[0].commitment.id == "O1-CONN-03"
    assert by_cov.commitments[0].commitment.id == "O1-CONN-04"


def test_matches_keep_every_passage_best_first_and_k_truncates():
    pmap = aggregate("x", _passages(3), HITS_3, corpus=CORPUS, k=2)
    assert len(pmap.commitments) == 2
    conn = next(rc for rc in pmap.commitments if rc.commitment.id == "O1-CONN-04")
    assert [(m.passage, m.score, m.rank) for m in conn.matches] == [(0, 0.6, 1), (1, 0.2, 2)]


def test_sdgs_weigh_explicit_mappings_above_all_sdgs():
    pmap = aggregate("x", _passages(3), HITS_3, corpus=CORPUS, aggregation=Aggregation.MAX)
    # Ranked: O4-DATA-PRIV-01 0.7 (All SDGs), O1-CONN-04 0.6 (SDGs 3, 4), O5-01 0.5 (All SDGs).
    # A commitment adds score / rank, times ln(1 + 85 / commitments naming the SDG) when it
    # names it, times ALL_WEIGHT when it reaches it through "All SDGs".
    all_part = (0.7 / 1 + 0.5 / 3) * ALL_WEIGHT
    sdgs = {s.sdg: s for s in pmap.sdgs}
    assert sdgs[3].score == pytest.approx(0.6 / 2 * math.log(1 + 85 / 9) + all_part)
    assert sdgs[4].score == pytest.approx(0.6 / 2 * math.log(1 + 85 / 10) + all_part)
    assert sdgs[3].explicit and sdgs[4].explicit
    assert sdgs[13].score == pytest.approx(all_part) and not sdgs[13].explicit
    assert [s.sdg for s in pmap.sdgs[:2]] == [3, 4]  # explicit ones first
    assert set(sdgs) == set(range(1, 18))
    evidence = {e.commitment: e for e in sdgs[3].evidence}
    assert evidence["O1-CONN-04"].explicit and evidence["O1-CONN-04"].passages == (0, 1)
    assert not evidence["O5-01"].explicit
    assert evidence["O5-01"].weight == pytest.approx(0.5 / 3 * ALL_WEIGHT)


def test_a_specific_action_line_outranks_one_the_matrix_names_everywhere():
    # C2 is named by 44 commitments, C7 E-health by 8: the same commitment adds more to E-health.
    pmap = aggregate("x", _passages(1), [_hits(("O1-CONN-04", 0.6))], corpus=CORPUS)
    codes = [a.code for a in pmap.action_lines]
    assert codes.index("C7 E-health") < codes.index("C2")
    lines = {a.code: a for a in pmap.action_lines}
    assert lines["C2"].score == pytest.approx(0.6 * math.log(1 + 85 / 44))


def test_action_lines_keep_c7_sublines_and_mark_all_only_ones():
    pmap = aggregate("x", _passages(3), HITS_3, corpus=CORPUS, aggregation=Aggregation.MAX)
    lines = {a.code: a for a in pmap.action_lines}
    assert lines["C7 E-health"].explicit  # from O1-CONN-04
    assert lines["C10"].explicit  # from O4-DATA-PRIV-01
    assert lines["C10"].name == CORPUS.action_line_names["C10"]
    assert not lines["C8"].explicit  # only O5-01's "All WSIS Action Lines"
    assert "C7 E-science" not in lines  # "All" expands to C1-C11, never to invented sub-lines
    explicit_first = [a.explicit for a in pmap.action_lines]
    assert explicit_first == sorted(explicit_first, reverse=True)


def test_commitment_without_sdg_adds_no_sdg():
    pmap = aggregate("x", _passages(1), [_hits(("O5-07", 0.9))], corpus=CORPUS)
    assert pmap.sdgs == ()
    assert {a.code for a in pmap.action_lines} == {"C2", "C5", "C10"}


def test_to_dict_has_the_documented_shape():
    pmap = aggregate("x", _passages(3), HITS_3, corpus=CORPUS)
    data = json.loads(json.dumps(pmap.to_dict()))
    assert {"commitments", "sdgs", "action_lines"} <= set(data)
    assert {"id", "text", "score", "passages"} <= set(data["commitments"][0])
    assert {"sdg", "name", "score", "explicit"} <= set(data["sdgs"][0])
    assert {"code", "name", "score", "explicit"} <= set(data["action_lines"][0])
    first = data["commitments"][0]
    assert first["text"] == CORPUS.get(first["id"]).text
    assert data["sdgs"][0] == {**data["sdgs"][0], "sdg": 3, "explicit": True}


def test_renderers_show_evidence_and_never_expand_all():
    text = "We will connect rural clinics. " * 3
    passages = [Passage(0, text.strip(), 0, len(text.strip()))]
    hits = [_hits(("O1-CONN-04", 0.6), ("O5-01", 0.5))]
    pmap = aggregate(text, passages, hits, corpus=CORPUS)
    report = proposal_text(pmap)
    assert "O1-CONN-04" in report and "SDGs 3 and 4" in report
    assert "All SDGs (stated by O5-01)" in report
    assert "SDG 13" not in report  # reached only through "All SDGs": not listed as if named
    markdown = proposal_markdown(pmap)
    assert "### 1. O1-CONN-04" in markdown and "| 3 | Good Health and Well-being" in markdown
    assert "| 13 |" in markdown and "| All |" in markdown
    rows = list(csv.DictReader(io.StringIO(proposal_csv(pmap))))
    kinds = [r["kind"] for r in rows]
    assert kinds.count("commitment") == 2 and kinds.count("sdg") == 17
    assert rows[0]["id"] == "O1-CONN-04" and "passage 1" in rows[0]["evidence"]


def test_hit_lists_must_match_passages():
    with pytest.raises(ValueError):
        aggregate("x", _passages(2), HITS_3, corpus=CORPUS)


# --------------------------------------------------------------------------- splitting


class _NoTokenizer:
    name = "fake"


def test_character_splitter_for_embedders_without_tokenizer():
    sentences = [
        f"Sentence number {i} talks about rural clinics and connectivity." for i in range(60)
    ]
    text = "\n\n".join(sentences)
    passages = split_proposal(text, embedder=_NoTokenizer())
    assert len(passages) > 3
    for p in passages:
        assert text[p.start : p.end] == p.text
        assert len(p.text) <= 512
    assert passages[1].start < passages[0].end  # overlap
    assert passages[-1].end == len(text)


def test_a_short_proposal_is_one_passage():
    passages = split_proposal("Connect all schools.", embedder=_NoTokenizer())
    assert [(p.text, p.start, p.end) for p in passages] == [("Connect all schools.", 0, 20)]


def test_passages_without_words_are_not_searched():
    text = "Connect all schools.\n\n" + "=" * 600 + "\n\n🙂🙂🙂"
    assert [p.text for p in split_proposal(text, embedder=_NoTokenizer())] == [
        "Connect all schools."
    ]
    assert split_proposal("----- *** 🙂", embedder=_NoTokenizer()) == []


@pytest.mark.slow
def test_proposal_with_no_words_is_refused(real_index):
    with pytest.raises(InvalidQueryError, match="no letters or digits"):
        map_proposal(real_index, "🙂 🙂 ----")


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_proposal_is_refused(text):
    with pytest.raises(InvalidQueryError, match="empty"):
        map_proposal(object(), text)


def test_overlong_proposal_is_refused():
    with pytest.raises(InvalidQueryError, match="more than"):
        map_proposal(object(), "word " * 70_000)


# --------------------------------------------------------------------------- real model


# real_index (conftest): the bundled model and a real embedded Chroma index, once per session.


def _top(pmap, n):
    return [rc.commitment.id for rc in pmap.commitments[:n]]


@pytest.mark.slow
def test_real_tokenizer_passages_fit_the_model_window(real_index):
    text = (DATA / "telemedicine.txt").read_text(encoding="utf-8") * 4
    passages = split_proposal(text, embedder=real_index.embedder)
    tokenizer = real_index.embedder.tokenizer
    assert len(passages) > 4
    assert max(len(tokenizer.encode(p.text)) for p in passages) <= 256
    assert all(text[p.start : p.end] == p.text for p in passages)


@pytest.mark.slow
def test_telemedicine_maps_to_connecting_hospitals_health_and_e_health(real_index):
    pmap = map_proposal(real_index, (DATA / "telemedicine.txt").read_text(encoding="utf-8"))
    assert "O1-CONN-04" in _top(pmap, 3)  # connect all schools and hospitals
    assert "O1-CONN-06" in _top(pmap, 10)  # underserved, rural and remote areas
    assert 3 in [s.sdg for s in pmap.sdgs[:3]]
    assert "C7 E-health" in [a.code for a in pmap.action_lines[:6]]
    best = pmap.commitments[0]
    assert best.matches and all(0 <= m.passage < len(pmap.passages) for m in best.matches)


@pytest.mark.slow
def test_ai_skills_programme_maps_to_skills_and_ai_capacity(real_index):
    pmap = map_proposal(real_index, (DATA / "ai_skills.txt").read_text(encoding="utf-8"))
    top = _top(pmap, 10)
    assert {"O1-SKILLS-01", "O1-SKILLS-06"} <= set(top)  # national skills strategy; reskilling
    assert {"O5-03", "O5-10"} & set(top)  # AI capacity building
    assert 4 in [s.sdg for s in pmap.sdgs[:3]]
    assert "C4" in [a.code for a in pmap.action_lines[:3]]  # capacity building
    # The best match (O5-10, AI capacity-building) does not name C7 E-learning; the skills
    # commitments further down do, so it is suggested, explicitly, but lower.
    assert any(a.code == "C7 E-learning" and a.explicit for a in pmap.action_lines)


@pytest.mark.slow
def test_data_protection_reform_maps_to_privacy_commitments_and_c10(real_index):
    pmap = map_proposal(real_index, (DATA / "data_protection.md").read_text(encoding="utf-8"))
    top = _top(pmap, 5)
    assert sum(cid.startswith("O4-DATA-PRIV-") for cid in top) >= 3
    assert "O3-TRUST-04" in _top(pmap, 10)  # surveillance and encryption laws
    assert "C10" in [a.code for a in pmap.action_lines[:4]]
    assert 16 in [s.sdg for s in pmap.sdgs[:3]]


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def cli_env(index_settings, real_index):
    return {"GDC_ASSISTANT_INDEX": str(index_settings.index_path), "HF_HUB_OFFLINE": "1"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("telemedicine.txt", "O1-CONN-04"),
        ("telemedicine.pdf", "O1-CONN-04"),
        ("ai_skills.docx", "O5-10"),  # AI capacity-building partnerships
        ("data_protection.md", "O4-DATA-PRIV-"),
    ],
)
def test_cli_maps_each_sample_file(cli_env, name, expected):
    result = CliRunner().invoke(cli, ["map-proposal", str(DATA / name), "-k", "5"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Related commitments (5):" in result.output
    assert expected in result.output.split("SDGs:")[0]
    assert "SDGs:" in result.output and "WSIS Action Lines:" in result.output


@pytest.mark.slow
def test_cli_json_from_stdin(cli_env):
    text = (DATA / "telemedicine.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["map-proposal", "-", "--json", "-k", "3"], input=text, env=cli_env
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["commitments"]) == 3 and "O1-CONN-04" in [c["id"] for c in data["commitments"]]
    assert data["sdgs"][0]["explicit"] is True


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_scanned.pdf", "no text layer"),
        ("bad_encrypted.pdf", "password-protected"),
        ("bad_png_named.docx", "really a PNG image"),
        ("bad_empty.txt", "is empty"),
        ("missing.pdf", "no such file"),
    ],
)
def test_cli_bad_files_give_one_line_and_exit_2(name, message):
    result = CliRunner().invoke(cli, ["map-proposal", str(DATA / name)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_cli_empty_stdin_exits_2():
    result = CliRunner().invoke(cli, ["map-proposal", "-"], input="")
    assert result.exit_code == 2 and "is empty" in result.output


# --------------------------------------------------------------------------- UI


def _sample_map():
    text = (DATA / "telemedicine.txt").read_text(encoding="utf-8")
    passages = [Passage(0, text[:400], 0, 400), Passage(1, text[400:900], 400, 900)]
    hits = [_hits(("O1-CONN-04", 0.7), ("O5-01", 0.5)), _hits(("O1-CONN-06", 0.6))]
    return aggregate(text, passages, hits, corpus=CORPUS)


def test_highlight_marks_shared_words_and_escapes_html():
    from gdc_assistant.ui.proposal import highlight

    out = highlight(
        "Connect <b>rural</b> clinics & hospitals to the Internet", CORPUS.get("O1-CONN-04").text
    )
    assert "<mark>Connect</mark>" in out and "<mark>hospitals</mark>" in out
    assert "<mark>Internet</mark>" in out and "&lt;b&gt;" in out and "&amp;" in out
    assert "<mark>the</mark>" not in out and "<mark>clinics</mark>" not in out


def test_commitment_cards_keep_the_source_mapping_and_evidence():
    from gdc_assistant.ui.proposal import render_commitments_html

    html = render_commitments_html(_sample_map())
    assert html.index('data-id="O1-CONN-04"') < html.index('data-id="O1-CONN-06"')
    assert "All SDGs · All WSIS Action Lines" in html  # O5-01: one statement, not 17 chips
    assert "SDG 3, SDG 4" in html and "passage 1 · score 0.70" in html


def test_charts_split_explicit_from_all(tmp_path):
    from gdc_assistant.ui.proposal import action_line_chart, sdg_chart

    pmap = _sample_map()
    axes = sdg_chart(pmap).axes[0]
    explicit, via_all = axes.containers
    assert len(explicit) == 17 and len(via_all) == 17
    labels = [t.get_text() for t in axes.get_yticklabels()]
    heights = dict(zip(labels, (bar.get_width() for bar in explicit), strict=True))
    assert heights["SDG 13 Climate Action"] == 0  # only via "All SDGs"
    assert heights["SDG 3 Good Health and Well-being"] > 0
    assert action_line_chart(pmap) is not None
    empty = aggregate("x", _passages(1), [[]], corpus=CORPUS)
    assert sdg_chart(empty) is None


def test_exports_hold_the_full_mapping():
    from gdc_assistant.ui.proposal import export_files

    pmap = _sample_map()
    json_path, csv_path, md_path = export_files(pmap)
    assert json.loads(Path(json_path).read_text(encoding="utf-8")) == json.loads(
        json.dumps(pmap.to_dict())
    )
    assert Path(csv_path).read_text(encoding="utf-8") == proposal_csv(pmap)
    assert Path(md_path).read_text(encoding="utf-8").startswith("# Proposal mapped to")


def test_ui_reports_unreadable_uploads_before_loading_the_index():
    from gdc_assistant.errors import ProposalReadError
    from gdc_assistant.ui.proposal import proposal_map

    def no_index():
        raise AssertionError("the index must not be opened for an unreadable file")

    with pytest.raises(ProposalReadError, match="no text layer"):
        proposal_map(no_index, "", str(DATA / "bad_scanned.pdf"), 10)


@pytest.fixture(scope="module")
def client(app_url, tmp_path_factory):
    from gradio_client import Client

    c = Client(app_url, verbose=False, download_files=tmp_path_factory.mktemp("downloads"))
    yield c
    c.close()


@pytest.mark.slow
def test_ui_endpoint_maps_pasted_text_and_offers_downloads(client):
    text = (DATA / "telemedicine.txt").read_text(encoding="utf-8")
    status, html, _, _, (json_file, csv_file, md_file) = client.predict(
        text, None, 5, api_name="/map_proposal"
    )
    assert status.startswith("Mapped the pasted text: 270 words")
    assert 'data-id="O1-CONN-04"' in html and "<mark>" in html
    data = json.loads(Path(json_file).read_text(encoding="utf-8"))
    assert len(data["commitments"]) == 5
    assert Path(csv_file).read_text(encoding="utf-8").startswith("kind,rank,id")
    assert "## SDGs" in Path(md_file).read_text(encoding="utf-8")


@pytest.mark.slow
def test_ui_endpoint_reads_uploads_and_reports_bad_ones(client):
    from gradio_client import handle_file

    status, html, *_ = client.predict(
        "", handle_file(str(DATA / "data_protection.pdf")), 5, api_name="/map_proposal"
    )
    assert status.startswith("Mapped data_protection.pdf") and "O4-DATA-PRIV-" in html
    status, html, *_ = client.predict(
        "", handle_file(str(DATA / "bad_encrypted.pdf")), 5, api_name="/map_proposal"
    )
    assert "password-protected" in status and html == ""
    status, *_ = client.predict("   ", None, 5, api_name="/map_proposal")
    assert "The proposal is empty" in status


@pytest.mark.slow
def test_browser_pasted_proposal_shows_ranked_commitments(chromium, app_url, tmp_path):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Map a proposal", exact=True).click()
        box = page.get_by_label("Proposal text")
        box.fill((DATA / "telemedicine.txt").read_text(encoding="utf-8"))
        page.locator("#proposal-map").click()
        cards = page.locator("#proposal-commitments .gdc-proposal-card")
        cards.first.wait_for(state="visible", timeout=60_000)
        assert "O1-CONN-04" in cards.first.inner_text() or "O1-CONN-04" in cards.nth(1).inner_text()
        assert page.locator("#proposal-commitments mark").count() > 0
        assert "Mapped the pasted text" in page.locator("#proposal-status").inner_text()
        downloads = page.locator("#proposal-downloads").inner_text()
        assert ".json" in downloads and ".csv" in downloads and ".md" in downloads
        shots = Path(os.environ.get("GDC_ASSISTANT_SCREENSHOTS") or tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "screenshot-proposal-mapped.png"), full_page=True)
    finally:
        context.close()
