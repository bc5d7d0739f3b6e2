"""map-portfolio: reading CSVs and folders (bad rows skipped by name), mapping with the real model
exactly as map-proposal does, coverage, the written outputs, the CLI and the Portfolio tab."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdc_assistant.cli.main import cli
from gdc_assistant.errors import ProposalReadError
from gdc_assistant.proposal.portfolio import PortfolioItem, read_portfolio, read_portfolio_csv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "portfolio"
DATA = Path(__file__).parent / "data"
TELEMEDICINE = (DATA / "telemedicine.txt").read_text(encoding="utf-8")
PRIVACY = (DATA / "data_protection.md").read_text(encoding="utf-8")


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


def test_sample_portfolio_reads_every_row_and_file():
    items, skipped = read_portfolio(SAMPLE / "proposals.csv")
    assert len(items) == 26 and skipped == []
    assert items[0].id == "P-001" and items[0].title.startswith("Telemedicine links")
    items, skipped = read_portfolio(SAMPLE / "folder")
    assert len(items) == 8 and skipped == []
    assert {i.title.rsplit(".", 1)[1] for i in items} == {"txt", "md", "pdf", "docx"}


def test_bad_csv_rows_are_skipped_by_name_and_nothing_else_is_lost():
    text = (
        _csv([["id", "title", "text"], ["A", "Good", "Connect all schools to the Internet."]])
        + "B,Too many,fields,here\n"
        + _csv([["C", "Empty", "   "], ["A", "Again", "Repeated id."], ["", "No id", "Some text."]])
    )
    items, skipped = read_portfolio_csv(text)
    assert [(i.id, i.title) for i in items] == [("A", "Good"), ("row 5", "No id")]
    assert [s.to_dict() for s in skipped] == [
        {"id": "B", "reason": "row 2 has 4 fields, the header 3"},
        {"id": "C", "reason": "row 3 has an empty 'text'"},
        {"id": "A", "reason": "row 4 repeats the id 'A'"},
    ]


def test_column_names_can_be_set_and_a_missing_text_column_says_the_fix():
    text = _csv([["ref", "name", "body"], ["X-1", "Clinics", "Connect rural clinics."]])
    items, _ = read_portfolio_csv(text, id_column="ref", title_column="name", text_column="body")
    assert items == [PortfolioItem("X-1", "Clinics", "Connect rural clinics.")]
    with pytest.raises(ProposalReadError, match=r"no column 'text' \(columns: ref, name, body\)"):
        read_portfolio_csv(text)


def test_folder_skips_unreadable_and_foreign_files_by_name(tmp_path):
    shutil.copy(DATA / "telemedicine.txt", tmp_path / "telemedicine.txt")
    shutil.copy(DATA / "bad_encrypted.pdf", tmp_path / "locked.pdf")
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    items, skipped = read_portfolio(tmp_path)
    assert [i.id for i in items] == ["telemedicine"]
    reasons = {s.name: s.reason for s in skipped}
    assert set(reasons) == {"locked.pdf", "notes.xlsx"}
    assert "password-protected" in reasons["locked.pdf"]
    assert all(s.to_dict().keys() == {"file", "reason"} for s in skipped)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file or folder"),
        ("list.txt", "a,b\n", "not a .csv file or a folder"),
        ("latin.csv", "id,text\n1,caf\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unusable_sources_give_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProposalReadError, match=message):
        read_portfolio(path)
    result = CliRunner().invoke(cli, ["map-portfolio", str(path)])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


# --------------------------------------------------------------------------- real model


@pytest.mark.slow
def test_a_proposal_maps_the_same_alone_and_in_a_portfolio(real_index):
    from gdc_assistant.proposal.mapping import map_proposal
    from gdc_assistant.proposal.portfolio import map_portfolio, proposal_dict

    items, _ = read_portfolio(SAMPLE / "proposals.csv")
    items = items[:6] + [PortfolioItem("T", "telemedicine", TELEMEDICINE)]
    portfolio = map_portfolio(real_index, items)
    assert [i.id for i in portfolio.items] == [i.id for i in items]
    for item, pmap in zip(portfolio.items, portfolio.maps, strict=True):
        alone = map_proposal(real_index, item.text, evidence=False)
        assert proposal_dict(item, alone) == proposal_dict(item, pmap), item.id
        assert alone.to_dict() == pmap.to_dict()


@pytest.mark.slow
def test_coverage_names_supporting_proposals_and_what_is_uncovered(real_index):
    from gdc_assistant.proposal.portfolio import map_portfolio

    items = [
        PortfolioItem("tele", "Telemedicine", TELEMEDICINE),
        PortfolioItem("privacy", "Data protection", PRIVACY),
        PortfolioItem("hi", "Too short", "hello"),
        PortfolioItem("blank", "Blank", "   "),
    ]
    portfolio = map_portfolio(real_index, items)
    data = json.loads(json.dumps(portfolio.to_dict()))
    assert [p["id"] for p in data["proposals"]] == ["tele", "privacy"]
    assert [s["id"] for s in data["skipped"]] == ["hi", "blank"]
    assert "Too little text" in data["skipped"][0]["reason"]
    cover = {c["id"]: c for c in data["coverage"]["commitments"]}
    assert cover["O1-CONN-04"]["proposals"] == ["tele"]
    assert "privacy" in cover["O4-DATA-PRIV-01"]["proposals"]
    assert cover["O1-CONN-04"]["score"] > 0.5
    uncovered = data["uncovered"]
    assert "O1-CONN-04" not in uncovered["commitments"] and "O3-INFO-02" in uncovered["commitments"]
    relevant_somewhere = {rc.commitment.id for m in portfolio.maps for rc in m.relevant}
    assert relevant_somewhere.isdisjoint(uncovered["commitments"])
    assert 3 not in uncovered["sdgs"] and 14 in uncovered["sdgs"]
    assert "C7 E-health" not in uncovered["action_lines"]
    sdg3 = next(c for c in data["coverage"]["sdgs"] if c["sdg"] == 3)
    assert sdg3["proposals"] == ["tele"]


@pytest.fixture(scope="module")
def cli_env(index_settings, real_index):
    return {"GDC_ASSISTANT_INDEX": str(index_settings.index_path), "HF_HUB_OFFLINE": "1"}


@pytest.mark.slow
def test_cli_json_prints_exactly_the_documented_schema(cli_env, tmp_path):
    source = tmp_path / "p.csv"
    source.write_text(
        _csv([["id", "title", "text"], ["T", "Telemedicine", TELEMEDICINE], ["E", "Empty", ""]]),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["map-portfolio", str(source), "--json", "-q"], env=cli_env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"proposals", "coverage", "uncovered", "skipped"}
    proposal = data["proposals"][0]
    assert set(proposal) == {"id", "title", "sdgs", "action_lines", "commitments"}
    assert set(proposal["sdgs"][0]) == {"sdg", "score", "explicit"}
    assert set(proposal["action_lines"][0]) == {"code", "score", "explicit"}
    assert set(proposal["commitments"][0]) == {"id", "score", "relevant"}
    assert set(data["coverage"]) == {"commitments", "sdgs", "action_lines"}
    assert set(data["coverage"]["commitments"][0]) == {"id", "proposals", "score"}
    assert set(data["coverage"]["sdgs"][0]) == {"sdg", "proposals", "score"}
    assert set(data["coverage"]["action_lines"][0]) == {"code", "proposals", "score"}
    assert set(data["uncovered"]) == {"commitments", "sdgs", "action_lines"}
    assert data["skipped"] == [{"id": "E", "reason": "row 2 has an empty 'text'"}]
    assert "Skipped id E: row 2 has an empty 'text'" in result.stderr


@pytest.mark.slow
def test_cli_out_writes_tables_json_summary_and_charts(cli_env, tmp_path):
    out = tmp_path / "out"
    args = ["map-portfolio", str(SAMPLE / "folder"), "--out", str(out)]
    result = CliRunner().invoke(cli, args, env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Mapping passages" in result.stderr  # the progress bar, on stderr
    names = {p.name for p in out.iterdir()}
    assert {"portfolio.json", "proposals_x_commitments.csv", "top_targets.csv", "coverage.csv"} <= (
        names
    )
    assert {"summary.md", "heatmap_sdgs.png", "coverage_objectives.png"} <= names
    rows = list(csv.DictReader((out / "proposals_x_commitments.csv").open(encoding="utf-8")))
    assert len(rows) == 8 and {"O1-CONN-04", "O1-CONN-04 relevant"} <= set(rows[0])
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "8 proposal(s) mapped, 0 skipped" in summary and "## Uncovered" in summary
    assert "![Proposals x SDGs](heatmap_sdgs.png)" in summary


# --------------------------------------------------------------------------- UI


@pytest.mark.slow
def test_ui_portfolio_endpoint_maps_uploads_and_names_bad_ones(app_url, tmp_path):
    from gradio_client import Client, handle_file

    source = tmp_path / "portfolio.csv"
    source.write_text(
        _csv([["id", "title", "text"], ["T", "Telemedicine", TELEMEDICINE], ["E", "Empty", ""]]),
        encoding="utf-8",
    )
    client = Client(app_url, verbose=False, download_files=str(tmp_path / "dl"))
    try:
        files = [handle_file(str(source)), handle_file(str(DATA / "bad_encrypted.pdf"))]
        status, _, uncovered, downloads = client.predict(
            files, "id", "title", "text", "SDGs", api_name="/map_portfolio"
        )
    finally:
        client.close()
    assert status.startswith("Mapped 1 proposal(s). Skipped 2:")
    assert "E (row 2 has an empty" in status and "bad_encrypted.pdf (" in status
    assert "Uncovered by the portfolio" in uncovered and "SDGs (" in uncovered
    assert {Path(f).name for f in downloads} >= {"portfolio.json", "summary.md"}


@pytest.mark.slow
def test_browser_portfolio_tab_shows_heatmap_and_uncovered(chromium, app_url, tmp_path):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Portfolio", exact=True).click()
        page.locator("#portfolio-upload input[type=file]").set_input_files(
            [str(p) for p in sorted((SAMPLE / "folder").iterdir())[:3]]
        )
        page.locator("#portfolio-map").click()
        page.locator("#portfolio-uncovered").get_by_text("Uncovered by the portfolio").wait_for(
            timeout=120_000
        )
        assert "Mapped 3 proposal(s)" in page.locator("#portfolio-status").inner_text()
        page.locator("#portfolio-heatmap img").first.wait_for(state="visible", timeout=30_000)
        downloads = page.locator("#portfolio-downloads").inner_text()
        assert "portfolio\n.json" in downloads and "summary\n.md" in downloads
        shots = Path(os.environ.get("GDC_ASSISTANT_SCREENSHOTS") or tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "screenshot-portfolio.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("command", [["map-portfolio"], ["eval-proposals"]])
def test_new_commands_have_help_with_an_example(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output
