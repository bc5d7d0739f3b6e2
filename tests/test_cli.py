"""The command-line contract: output formats, exit codes, messages, light start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import free_port

from gdc_assistant.cli.main import cli


@pytest.fixture
def runner(monkeypatch, index_settings):
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(index_settings.index_path))
    return CliRunner()


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from click.testing import CliRunner; from gdc_assistant.cli.main import cli; "
        "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output; "
        "heavy = [m for m in ('torch', 'chromadb', 'gradio', 'sentence_transformers') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "command",
    [
        ["ask"], ["search"], ["corpus", "build"], ["corpus", "stats"], ["index", "build"],
        ["index", "status"], ["map-proposal"], ["eval"], ["serve"],
    ],
)  # fmt: skip
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_corpus_stats_prints_counts():
    result = CliRunner().invoke(cli, ["corpus", "stats"])
    assert result.exit_code == 0
    assert "85 distinct commitments" in result.output
    assert "Data privacy and security: 5" in result.output
    assert "No SDG given in the source: O5-07" in result.output


def test_corpus_build_to_another_file(tmp_path):
    out = tmp_path / "c.jsonl"
    result = CliRunner().invoke(cli, ["corpus", "build", "--output", str(out)])
    assert result.exit_code == 0
    assert "Wrote 85 commitments" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 85


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   ", "empty"), ("a" * 2001, "2,001 characters")],
)
def test_ask_rejects_bad_questions_with_exit_2(question, message):
    result = CliRunner().invoke(cli, ["ask", question])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_ask_rejects_unknown_action_line():
    result = CliRunner().invoke(cli, ["ask", "data", "--action-line", "C12"])
    assert result.exit_code == 2
    assert "C12" in result.output


@pytest.mark.slow
def test_ask_prints_cards(runner, real_index):
    result = runner.invoke(cli, ["ask", "Which commitments relate to data privacy?", "-k", "3"])
    assert result.exit_code == 0, result.output
    assert "O4-DATA-PRIV-03" in result.output
    assert "Data privacy and security" in result.output


@pytest.mark.slow
def test_ask_json_with_filters(runner, real_index):
    result = runner.invoke(
        cli, ["ask", "online harms", "--sdg", "16", "--explicit-only", "-k", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["results"]
    assert all(16 in r["sdgs"] for r in payload["results"])
    assert all(not card["sdgs_all"] for card in payload["cards"])


@pytest.mark.slow
def test_ask_counts_exactly(runner, real_index):
    result = runner.invoke(cli, ["ask", "how many commitments cite SDG 5?"])
    assert result.exit_code == 0, result.output
    assert "37" in result.output and "9" in result.output and "All SDGs" in result.output


@pytest.mark.slow
def test_batch_search_contract(runner, real_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    rows = [
        {"id": "q1", "question": "internet shutdowns"},
        {"id": 2, "question": "What is the capital of France?"},
        {"id": "q3", "question": "   "},
    ]
    queries.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["search", "--queries", str(queries), "-k", "4"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", 2, "q3"]
    first = lines[0]
    assert first["confident"] is True
    assert first["results"][0]["id"] == "O3-IG-04"
    assert set(first["results"][0]) == {"id", "text", "score", "sdgs", "action_lines"}
    assert len(first["results"]) == 4
    assert lines[1]["confident"] is False and len(lines[1]["results"]) == 4
    assert lines[2]["results"] == [] and "empty" in lines[2]["error"]


def test_batch_search_bad_file_names_the_line(tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": 1, "question": "a"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "--queries", str(queries)])
    assert result.exit_code == 2
    assert "line 2" in result.output


def test_chroma_server_down_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["ask", "data privacy", "--chroma-url", url])
    assert result.exit_code == 1
    assert "cannot reach the Chroma server" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_index_build_twice_is_a_no_op(monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(tmp_path / "idx"))
    runner = CliRunner()
    first = runner.invoke(cli, ["index", "build", "-q"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["index", "build", "-q"])
    assert second.exit_code == 0
    built_at = first.output.split("built ")[1].split(" ")[0]
    assert f"built {built_at}" in second.output  # the same build, not a new one
    status = runner.invoke(cli, ["index", "status"])
    assert json.loads(status.output)["count"] == 85


def test_index_status_without_index(monkeypatch, tmp_path):
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(tmp_path / "none"))
    result = CliRunner().invoke(cli, ["index", "status"])
    assert result.exit_code == 1
    assert "gdc-assistant index build" in result.output
