"""Hostile and broken input (issue 13): zip bombs, devices, FIFOs, endless stdin, odd encodings,
non-string questions, broken corpora, usage errors. Each gives ONE line on stderr, the right exit
code and never a traceback; the commands run as real processes, as a user runs them."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdc_assistant.cli.main import cli
from gdc_assistant.errors import ProposalReadError
from gdc_assistant.proposal.readers import (
    MAX_DOCX_PARTS,
    read_document,
    read_document_bytes,
)

GDC = str(Path(sys.executable).parent / "gdc-assistant")
DATA = Path(__file__).parent / "data"


def run(*args: str, stdin=None, env: dict | None = None, timeout: float = 60):
    """The real command in a subprocess; stdin may be a file object (e.g. /dev/zero)."""
    return subprocess.run(
        [GDC, *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
    )


def assert_one_line_error(result, code: int, *fragments: str) -> str:
    """Exit code `code`, exactly one line on stderr holding every fragment, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------- zip bombs

_PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
_DOCUMENT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://'
    b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)


def _deflated(unit: bytes, repeats: int) -> tuple[bytes, int, int]:
    """Raw deflate of the document head plus `unit` x `repeats`, built from one compressed block
    repeated (a full flush resets the compressor), so a huge expansion costs no time to make."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(_DOCUMENT_HEAD) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(_DOCUMENT_HEAD)
    for _ in range(repeats):
        crc = zlib.crc32(unit, crc)
    return head + block * repeats + end, len(_DOCUMENT_HEAD) + len(unit) * repeats, crc


def _zip(parts: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip archive from (name, deflated data, real size, crc, declared size): the declared
    size may lie, as a hostile file's does."""
    body, directory = b"", b""
    for name, data, _, crc, declared in parts:
        encoded, offset = name.encode(), len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0
        )
        body += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded)),
            *(0, 0, 0, 0, 0, offset),
        )
        directory += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    return body + directory + end


def _small_part(name: str, content: bytes) -> tuple[str, bytes, int, int, int]:
    return name, zlib.compress(content)[2:-4], len(content), zlib.crc32(content), len(content)


def docx_bomb(expanded: int, *, declared: int | None = None, unit: bytes = _PARAGRAPH) -> bytes:
    """A .docx whose word/document.xml expands to about `expanded` bytes of tiny paragraphs."""
    chunk = unit * (1024 * 1024 // len(unit))
    data, size, crc = _deflated(chunk, max(1, expanded // len(chunk)))
    types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'  # noqa: E501
    document = ("word/document.xml", data, size, crc, size if declared is None else declared)
    return _zip([_small_part("[Content_Types].xml", types), document])


def test_a_one_megabyte_bomb_is_refused_with_little_memory(tmp_path):
    bomb = docx_bomb(300 * 1024 * 1024)  # the bomb: under 1 MB, 300 MB unpacked
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    with pytest.raises(ProposalReadError, match=r"300\.0 MB when unpacked.*zip bomb"):
        read_document_bytes(bomb, "bomb.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # it used to grow by 20 MB per unpacked MB, to gigabytes
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    with pytest.raises(ProposalReadError, match="zip bomb"):
        read_document(path)


def test_a_bomb_that_lies_about_its_size_is_measured_while_unpacking():
    # Declared small enough to pass, really 300 MB: the paragraphs are counted as it unpacks.
    bomb = docx_bomb(300 * 1024 * 1024, declared=14 * 1024 * 1024)
    tracemalloc.start()
    with pytest.raises(ProposalReadError, match=r"more than 20,000 paragraphs"):
        read_document_bytes(bomb, "liar.docx")
    assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    tracemalloc.stop()


def test_a_bomb_declared_tiny_is_a_damaged_document():
    bomb = docx_bomb(50 * 1024 * 1024, declared=1000)  # the real data fails its CRC check
    with pytest.raises(ProposalReadError, match="damaged Word document"):
        read_document_bytes(bomb, "tiny.docx")


def test_a_document_of_endless_runs_is_refused_by_its_element_count():
    bomb = docx_bomb(5 * 1024 * 1024, unit=b"<w:r/>")  # one paragraph, 900,000 runs
    with pytest.raises(ProposalReadError, match=r"more than 300,000 XML elements"):
        read_document_bytes(bomb, "runs.docx")


def test_a_zip_of_too_many_parts_is_refused():
    parts = [_small_part(f"word/media/{i}.xml", b"<a/>") for i in range(MAX_DOCX_PARTS + 1)]
    parts.append(_small_part("word/document.xml", _DOCUMENT_HEAD + b"</w:body></w:document>"))
    with pytest.raises(ProposalReadError, match=r"1,002 parts \(the limit is 1,000\)"):
        read_document_bytes(_zip(parts), "parts.docx")


def test_map_proposal_refuses_a_bomb_in_one_line(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb(300 * 1024 * 1024))
    assert_one_line_error(run("map-proposal", str(path)), 2, "bomb.docx", "zip bomb")


# --------------------------------------------------------------------------- devices, FIFOs, stdin


@pytest.fixture
def zero_link(tmp_path):
    """A path with a good extension that is really /dev/zero."""

    def make(name: str) -> Path:
        link = tmp_path / name
        link.symlink_to("/dev/zero")
        return link

    return make


def test_device_files_are_refused_unread(zero_link):
    assert_one_line_error(
        run("map-proposal", str(zero_link("zero.txt"))), 2, "is a device, not a regular file"
    )
    assert_one_line_error(
        run("search", "--queries", str(zero_link("zero.jsonl"))), 2, "is a device"
    )
    assert_one_line_error(run("eval", "--questions", str(zero_link("q.jsonl"))), 2, "is a device")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "queries.jsonl"
    os.mkfifo(fifo)
    assert_one_line_error(run("search", "--queries", str(fifo), timeout=30), 2, "is a FIFO")
    proposal = tmp_path / "proposal.txt"
    os.mkfifo(proposal)
    assert_one_line_error(run("map-proposal", str(proposal), timeout=30), 2, "is a FIFO")


@pytest.mark.parametrize(
    ("args", "limit"),
    [(["map-proposal", "-"], "10 MB"), (["search", "--queries", "-"], "20 MB")],
)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_stdin_is_cut_at_the_limit(args, limit, device):
    with open(device, "rb") as endless:
        result = run(*args, stdin=endless, timeout=60)
    assert_one_line_error(result, 2, f"stdin is more than the {limit} allowed")


# --------------------------------------------------------------------------- encodings and types


def test_binary_queries_file_is_not_text(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(os.urandom(4096))
    assert_one_line_error(run("search", "--queries", str(path)), 2, "q.jsonl is not text")


@pytest.mark.parametrize(
    ("value", "named"),
    [("null", "null"), ("123", "the number 123"), ('["a", "b"]', "a list"), ("{}", "an object")],
)
def test_non_string_questions_are_refused_by_line(tmp_path, value, named):
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"id": 1, "question": "data privacy"}\n\n{"id": 2, "question": ' + value + "}\n",
        encoding="utf-8",
    )
    line = assert_one_line_error(run("search", "--queries", str(path)), 2, "q.jsonl line 3")
    assert f'"question" must be a string, not {named}' in line


def test_eval_refuses_a_non_string_question_by_line(tmp_path):
    path = tmp_path / "set.jsonl"
    row = {"id": "q1", "question": None, "type": "topic", "relevant": {"O2-04": 2}}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert_one_line_error(run("eval", "--questions", str(path)), 2, "set.jsonl line 1", "not null")


def test_utf16_and_cp1252_proposals_are_read_as_text():
    text = "Télémédecine pour les cliniques rurales – coût réduit."
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        data = (
            text.encode(encoding)
            if encoding != "utf-16-le"
            else b"\xff\xfe" + text.encode(encoding)
        )
        document = read_document_bytes(data, "p.txt")
        assert document.text == text and document.notes == ()
    document = read_document_bytes(text.encode("cp1252"), "p.txt")
    assert document.text == text
    assert "Windows-1252" in document.notes[0]


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_search_reads_queries_in_other_encodings(runner, real_index, tmp_path, encoding):
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "fr", "question": "Quels engagements concernent la protection des données ?"},
        {"id": "en", "question": "internet shutdowns"},
    ]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    result = runner.invoke(cli, ["search", "--queries", str(path), "-k", "3"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["fr", "en"]
    assert out[1]["results"][0]["id"] == "O3-IG-04"
    notes = result.stderr.strip().splitlines()
    if encoding == "cp1252":  # a guess, so the user is told
        assert len(notes) == 1 and "read as Windows-1252 (cp1252)" in notes[0]
    else:
        assert notes == []


# --------------------------------------------------------------------------- corpus files


def _corpus_lines(n: int) -> list[str]:
    lines = (Path(__file__).parents[1] / "corpus" / "commitments.jsonl").read_text("utf-8")
    return lines.splitlines()[:n]


def test_duplicate_ids_in_the_corpus_are_one_line(tmp_path):
    path = tmp_path / "dup.jsonl"
    first = _corpus_lines(3)
    path.write_text("\n".join([*first, first[1]]) + "\n", encoding="utf-8")
    env = {"GDC_ASSISTANT_CORPUS": str(path), "GDC_ASSISTANT_INDEX": str(tmp_path / "idx")}
    commitment_id = json.loads(first[1])["id"]
    for args in (["corpus", "stats"], ["index", "build", "-q"]):
        assert_one_line_error(run(*args, env=env), 1, f"uses the id '{commitment_id}' more")
    assert not (tmp_path / "idx").exists() or not any((tmp_path / "idx").iterdir())


def test_an_empty_corpus_is_an_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    env = {"GDC_ASSISTANT_CORPUS": str(path), "GDC_ASSISTANT_INDEX": str(tmp_path / "idx")}
    for args in (["corpus", "stats"], ["index", "build", "-q"]):
        assert_one_line_error(run(*args, env=env), 1, "has no commitments")


def test_corpus_stats_reads_the_corpus_the_environment_names(tmp_path):
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(_corpus_lines(3)) + "\n", encoding="utf-8")
    result = run("corpus", "stats", env={"GDC_ASSISTANT_CORPUS": str(path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("3 distinct commitments")


def test_corpus_build_into_a_missing_folder_is_one_line(tmp_path):
    target = tmp_path / "no" / "such" / "c.jsonl"
    assert_one_line_error(
        run("corpus", "build", "--output", str(target)), 1, "does not exist", "--output"
    )
    assert not (tmp_path / "no").exists()


def test_eval_report_into_a_missing_folder_creates_nothing(tmp_path):
    report = tmp_path / "x" / "y" / "r.md"
    assert_one_line_error(run("eval", "--report", str(report)), 2, "does not exist", "--report")
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["ask"], "Missing argument 'QUESTION'. See `gdc-assistant ask --help`."),
        (["search"], "Missing option '--queries'."),
        (["search", "--queries", "q.jsonl", "-k", "0"], "0 is not in the range 1<=x<=85"),
        (["nope"], "No such command 'nope'. See `gdc-assistant --help`."),
        (["ask", "--frob", "q"], "No such option '--frob'"),
        (["index", "build", "--bogus"], "See `gdc-assistant index build --help`."),
    ],
)
def test_usage_errors_take_one_line(args, fragment):
    line = assert_one_line_error(run(*args), 2, fragment)
    assert line.startswith("Error: ") and "Usage:" not in line


def test_help_and_version_still_work():
    assert run("--help").stdout.startswith("Usage: gdc-assistant")
    assert run("search", "--help").returncode == 0
    result = run("--version")
    assert result.returncode == 0 and "version" in result.stdout
    assert CliRunner().invoke(cli, ["ask", "--help"]).exit_code == 0


# --------------------------------------------------------------------------- batch search


@pytest.fixture
def runner(monkeypatch, index_settings):
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(index_settings.index_path))
    return CliRunner()


QUESTIONS = [
    "Which commitments relate to data privacy?",
    "internet shutdowns",
    "How many commitments are mapped to SDG 5?",
    "List the commitments under SDG 4 and C4",
    "Which SDGs is the commitment on digital public goods mapped to?",
    "Quels engagements concernent la protection des données ?",
    "¿Qué dice el pacto sobre la brecha digital de género?",
    "What is the capital of France?",
    "Which commitments relate to SDG 18?",
    "How does the EU AI Act relate to the compact?",
    "internet shutdowns",  # a repeat, embedded once
]


def _same_response(batched, single) -> None:
    assert batched.question == single.question and batched.parsed == single.parsed
    assert batched.filters == single.filters and batched.structured == single.structured
    assert batched.notes == single.notes and batched.confident == single.confident
    assert len(batched.hits) == len(single.hits)
    for b, s in zip(batched.hits, single.hits, strict=True):
        assert (b.commitment.id, b.rank, b.confident, b.reasons) == (
            s.commitment.id,
            s.rank,
            s.confident,
            s.reasons,
        )
        assert getattr(b, "relevant", None) == getattr(s, "relevant", None)
        assert b.score == pytest.approx(s.score, abs=1e-5)  # one batch vs one text: float noise


@pytest.mark.slow
def test_ask_many_answers_as_ask_does(real_index):
    from gdc_assistant.ask import ask, ask_many

    batched = ask_many(real_index, QUESTIONS, k=7)
    assert len(batched) == len(QUESTIONS)
    for question, response in zip(QUESTIONS, batched, strict=True):
        _same_response(response, ask(real_index, question, k=7))


@pytest.mark.slow
def test_search_rows_equal_one_ask_per_question(runner, real_index, tmp_path):
    from gdc_assistant.answer.payload import result_record
    from gdc_assistant.ask import ask

    path = tmp_path / "q.jsonl"
    rows = [{"id": i, "question": q} for i, q in enumerate(QUESTIONS)] + [
        {"id": "blank", "question": "  "}
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(cli, ["search", "--queries", str(path), "-k", "5"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == [r["id"] for r in rows]
    for row, question in zip(out, QUESTIONS, strict=False):
        single = ask(real_index, question, k=5)
        assert row["confident"] == single.confident
        assert [r["id"] for r in row["results"]] == [h.commitment.id for h in single.hits]
        expected = [result_record(h)["score"] for h in single.hits]
        assert [r["score"] for r in row["results"]] == pytest.approx(expected, abs=2e-4)
    assert out[-1]["results"] == [] and "empty" in out[-1]["error"]
