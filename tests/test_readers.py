"""Proposal readers: every supported format, and every kind of bad file, from tests/data."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from gdc_assistant.errors import ProposalReadError
from gdc_assistant.proposal import readers
from gdc_assistant.proposal.readers import (
    MAX_PDF_PAGES,
    read_document,
    read_document_bytes,
    read_proposal,
    read_proposal_bytes,
)

DATA = Path(__file__).parent / "data"
TELEMEDICINE = (DATA / "telemedicine.txt").read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    return text.replace("-\n", "").split()


# --------------------------------------------------------------------------- good files


@pytest.mark.parametrize(
    ("name", "kind", "must_contain"),
    [
        ("telemedicine.txt", "txt", "satellite terminals for the most remote sites"),
        ("data_protection.md", "md", "give and withdraw consent"),
        ("telemedicine.pdf", "pdf", "satellite terminals for the most remote sites"),
        ("data_protection.pdf", "pdf", "give and withdraw consent"),
        ("ai_skills.docx", "docx", "upskilling and reskilling programmes"),
        ("owner_only_encrypted.pdf", "pdf", "satellite terminals for the most remote sites"),
    ],
)
def test_reads_each_supported_format(name, kind, must_contain):
    document = read_document(DATA / name)
    assert document.kind == kind and document.filename == name
    assert must_contain in " ".join(document.text.split())
    assert document.notes == ()


def test_pdf_keeps_every_word_of_the_proposal():
    assert _words(read_proposal(DATA / "telemedicine.pdf")) == _words(TELEMEDICINE)
    assert read_document(DATA / "telemedicine.pdf").pages == 1


def test_docx_reads_paragraphs_and_tables_in_order():
    text = read_proposal(DATA / "ai_skills.docx")
    assert text.startswith("National AI Skills Programme 2026-2030\n\nPurpose\n\n")
    assert text.rstrip().endswith("Teacher training in AI | USD 2.4 million")


def test_bytes_and_path_readers_agree():
    for name in ("telemedicine.txt", "telemedicine.pdf", "ai_skills.docx"):
        data = (DATA / name).read_bytes()
        assert read_proposal_bytes(data, name) == read_proposal(DATA / name)


def test_upload_name_may_carry_a_folder_and_upper_case_extension():
    data = (DATA / "telemedicine.pdf").read_bytes()
    document = read_document_bytes(data, "/tmp/gradio/abc123/Proposal.PDF")
    assert document.filename == "Proposal.PDF" and document.kind == "pdf"


def test_utf8_with_byte_order_mark():
    text = read_proposal(DATA / "bom.txt")
    assert text.startswith("Telemedicine") and "\ufeff" not in text


def test_cp1252_text_is_read_with_a_note():
    document = read_document(DATA / "cp1252.txt")
    assert document.text.startswith("Télémédecine pour les cliniques rurales")
    assert "– coût réduit" in document.text
    assert len(document.notes) == 1 and "Windows-1252" in document.notes[0]


def test_windows_line_endings_are_normalised():
    assert read_proposal_bytes(b"One.\r\nTwo.\rThree.", "p.txt") == "One.\nTwo.\nThree."


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_scanned.pdf", r"no text layer .*run OCR"),
        ("bad_encrypted.pdf", r"password-protected: .*save a copy without the password"),
        ("bad_text_named.pdf", r"named \.pdf but is really plain text: rename it to \.txt"),
        ("bad_png_named.docx", r"named \.docx but is really a PNG image"),
        ("bad_png_named.txt", r"named \.txt but is really a PNG image"),
        ("bad_zip_named.docx", r"zip file but not a Word document"),
        ("bad_empty.txt", r"is empty"),
        ("bad_whitespace.md", r"is empty"),
    ],
)
def test_bad_files_raise_a_message_that_says_what_to_do(name, message):
    with pytest.raises(ProposalReadError, match=message):
        read_proposal(DATA / name)
    with pytest.raises(ProposalReadError, match=message):  # the same through an upload
        read_proposal_bytes((DATA / name).read_bytes(), name)


@pytest.mark.parametrize("name", ["proposal.doc", "proposal.rtf", "proposal.html", "proposal"])
def test_unsupported_extensions(name):
    with pytest.raises(ProposalReadError, match=r"not supported\. Save the proposal as \.docx"):
        read_proposal_bytes(b"some text", name)


def test_pdf_named_txt_says_to_rename_it():
    data = (DATA / "telemedicine.pdf").read_bytes()
    with pytest.raises(ProposalReadError, match=r"really a PDF: rename it to \.pdf"):
        read_proposal_bytes(data, "proposal.txt")


def test_docx_named_pdf_says_to_rename_it():
    data = (DATA / "ai_skills.docx").read_bytes()
    with pytest.raises(ProposalReadError, match=r"really a zip archive .*rename it to \.docx"):
        read_proposal_bytes(data, "proposal.pdf")


def test_binary_txt_is_refused():
    with pytest.raises(ProposalReadError, match="named .txt but is really"):
        read_proposal_bytes(b"abc\x00\x01\x02def", "proposal.txt")


def test_damaged_pdf():
    data = (DATA / "telemedicine.pdf").read_bytes()
    with pytest.raises(ProposalReadError, match="damaged PDF|no text layer"):
        read_proposal_bytes(data[:200], "cut.pdf")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProposalReadError, match="no such file"):
        read_proposal(tmp_path / "nope.docx")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ProposalReadError, match="is a folder"):
        read_proposal(folder)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1001)
    with pytest.raises(ProposalReadError, match=r"more than the .* allowed"):
        read_proposal(big)
    with pytest.raises(ProposalReadError, match=r"more than the .* allowed"):
        read_proposal_bytes(b"a" * 1001, "big.txt")


def test_real_size_limit_is_ten_megabytes():
    with pytest.raises(ProposalReadError, match=r"10\.0 MB, more than the 10 MB allowed"):
        read_proposal_bytes(b"a" * (10 * 1024 * 1024 + 1), "big.txt")


def test_text_over_the_length_limit_is_refused():
    with pytest.raises(ProposalReadError, match=r"characters of text, more than the 300,000"):
        read_proposal_bytes(b"word " * 60_001, "long.txt")


def test_pdf_over_the_page_limit_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ProposalReadError, match=r"101 pages, more than the 100 allowed"):
        read_proposal_bytes(buffer.getvalue(), "long.pdf")


def test_password_protected_or_old_word_file_named_docx():
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    )  # OLE container: .doc, encrypted .docx
    with pytest.raises(ProposalReadError, match=r"really an old \(\.doc\) or password-protected"):
        read_proposal_bytes(ole, "proposal.docx")


# --------------------------------------------------------------------------- encodings, streams


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le", "utf-16-be"])
def test_utf16_and_utf32_text_files_are_text(tmp_path, encoding):
    text = (DATA / "telemedicine.txt").read_text(encoding="utf-8")
    path = tmp_path / "p.txt"
    path.write_bytes(text.encode(encoding))  # utf-16 / utf-32 carry a BOM; -le / -be do not
    document = read_document(path)
    assert document.text == text.replace("\r\n", "\n")
    if encoding.endswith(("-le", "-be")):  # no byte order mark: a guess, said as such
        assert document.notes and "UTF-16" in document.notes[0]
    else:
        assert document.notes == ()


def test_a_device_or_fifo_is_refused_by_path(tmp_path):
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(ProposalReadError, match="is a device, not a regular file"):
        read_proposal(link)
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(ProposalReadError, match=r"is a FIFO \(named pipe\)"):
        read_proposal(fifo)  # refused before opening: opening would wait for a writer


def test_stream_reading_stops_one_byte_past_the_limit(monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    stream = io.BytesIO(b"a" * 5000)
    with pytest.raises(ProposalReadError, match="stdin is more than the 1,000 bytes allowed"):
        readers.read_document_stream(stream)
    assert stream.tell() == 1001
    document = readers.read_document_stream(io.BytesIO(b"Telemedicine for clinics."))
    assert document.text == "Telemedicine for clinics." and document.filename == "stdin.txt"
