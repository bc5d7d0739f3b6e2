"""Proposal documents -> plain text: .txt, .md, .pdf (pypdf) and .docx (python-docx).

Every way a file can be unusable (too big, empty, scanned, password-protected, not what its name
says, a zip bomb, a device) raises ProposalReadError with a message that says what to do instead.
Memory stays bounded: at most MAX_FILE_BYTES are read, and a .docx is measured part by part while
it is decompressed, before python-docx (about 20 bytes of memory per byte of XML) parses it.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputReadError, ProposalReadError
from ..inputs import check_size, decode_text, read_file_bytes, read_stream_bytes

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 100
MAX_TEXT_CHARS = 300_000  # about 50,000 words: a 100-page proposal
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")
# A .docx is a zip: what it may expand to. A 100-page proposal is 1-5 MB of XML, 2,000-5,000
# paragraphs and under 100 parts; images add parts and bytes, but they are not parsed.
MAX_DOCX_EXPANDED_BYTES = 60 * 1024 * 1024
MAX_DOCX_XML_BYTES = 15 * 1024 * 1024  # any one XML part python-docx may parse
MAX_DOCX_PARTS = 1000
MAX_DOCX_PARAGRAPHS = 20_000
MAX_DOCX_ELEMENTS = 300_000  # XML elements in word/document.xml (runs, cells, ...)
_TOO_BIG = "remove images, or save it as plain text (.txt) and try again."

# First bytes of formats people upload by mistake, to say what a misnamed file really is.
_MAGIC = (
    (b"%PDF-", "a PDF", ".pdf"),
    (b"PK\x03\x04", "a zip archive (such as a .docx)", ".docx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", None),
    (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF8", "a GIF image", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old (.doc) or password-protected Office file", None),
    (b"{\\rtf", "an RTF document", None),
)


@dataclass(frozen=True)
class ProposalDocument:
    """The text read from a proposal file, with what the reader noticed on the way."""

    text: str
    filename: str
    kind: str  # "txt", "md", "pdf" or "docx"
    pages: int | None  # PDF pages; None for other kinds
    notes: tuple[str, ...] = ()  # things the user should know, e.g. a guessed text encoding


def read_proposal(path: str | Path) -> str:
    """The text of a .txt, .md, .pdf or .docx proposal file."""
    return read_document(path).text


def read_proposal_bytes(data: bytes, filename: str) -> str:
    """The text of an uploaded proposal; `filename` gives the type by its extension."""
    return read_document_bytes(data, filename).text


def read_document(path: str | Path) -> ProposalDocument:
    """Read a proposal file into a ProposalDocument (text plus reader notes)."""
    path = Path(path)
    _check_suffix(path.name)
    try:  # size checked before reading; devices and FIFOs refused unopened
        data = read_file_bytes(
            path, limit=MAX_FILE_BYTES, what="one .txt, .md, .pdf or .docx file", fix=_TOO_BIG
        )
    except InputReadError as exc:
        raise ProposalReadError(str(exc)) from None
    return read_document_bytes(data, path.name)


def read_document_stream(stream: BinaryIO, filename: str = "stdin.txt") -> ProposalDocument:
    """Read a proposal from a stream (stdin), never holding more than the size limit."""
    try:
        data = read_stream_bytes(stream, name="stdin", limit=MAX_FILE_BYTES, fix=_TOO_BIG)
    except InputReadError as exc:
        raise ProposalReadError(str(exc)) from None
    return read_document_bytes(data, filename)


def read_document_bytes(data: bytes, filename: str) -> ProposalDocument:
    """Read an uploaded proposal's bytes into a ProposalDocument."""
    name = Path(filename).name or "upload"
    suffix = _check_suffix(name)
    _check_size(len(data), name)
    if not data.strip():
        raise ProposalReadError(f"{name} is empty: choose the file that holds the proposal text.")
    if suffix == ".pdf":
        document = _read_pdf(data, name)
    elif suffix == ".docx":
        document = _read_docx(data, name)
    else:
        document = _read_text(data, name, suffix[1:])
    if not document.text.strip():
        raise ProposalReadError(
            f"{name} has no text in it: check it is the right file, or paste the text instead."
        )
    if len(document.text) > MAX_TEXT_CHARS:
        raise ProposalReadError(
            f"{name} holds {len(document.text):,} characters of text, more than the "
            f"{MAX_TEXT_CHARS:,} allowed (about 100 pages): map the relevant sections separately."
        )
    return document


# --------------------------------------------------------------------------- checks


def _check_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "without an extension"
        raise ProposalReadError(
            f"{name}: files {shown} are not supported. Save the proposal as .docx, .pdf, "
            ".txt or .md (or paste its text) and try again."
        )
    return suffix


def _check_size(size: int, name: str) -> None:
    try:
        check_size(size, name=name, limit=MAX_FILE_BYTES, fix=_TOO_BIG)
    except InputReadError as exc:
        raise ProposalReadError(str(exc)) from None


def _sniff(data: bytes) -> tuple[str, str | None] | None:
    """What the first bytes say the file really is, and the extension it should have."""
    for magic, what, suffix in _MAGIC:
        if data.startswith(magic):
            return what, suffix
    return None


def _not_what_it_claims(name: str, claimed: str, data: bytes) -> ProposalReadError:
    sniffed = _sniff(data.lstrip())
    if sniffed is None:
        actual = "plain text" if _looks_like_text(data) else "some other kind of file"
        fix = "rename it to .txt" if actual == "plain text" else "export the proposal again"
    else:
        actual, suffix = sniffed
        fix = f"rename it to {suffix}" if suffix else "export the proposal as .docx, .pdf or .txt"
    return ProposalReadError(f"{name} is named {claimed} but is really {actual}: {fix}.")


def _looks_like_text(data: bytes) -> bool:
    return _sniff(data.lstrip()[:16]) is None and decode_text(data) is not None


# --------------------------------------------------------------------------- text


def _read_text(data: bytes, name: str, kind: str) -> ProposalDocument:
    decoded = decode_text(data) if _sniff(data.lstrip()[:16]) is None else None
    if decoded is None:
        raise _not_what_it_claims(name, f".{kind}", data)
    note = decoded.note(name)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    return ProposalDocument(
        text=text, filename=name, kind=kind, pages=None, notes=(note,) if note else ()
    )


# --------------------------------------------------------------------------- PDF

_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def _read_pdf(data: bytes, name: str) -> ProposalDocument:
    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk (PDF spec)
        raise _not_what_it_claims(name, ".pdf", data)
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    encrypted = _pdf_encrypted_error(name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted  # a user password is set
        page_count = len(reader.pages)
        if page_count > MAX_PDF_PAGES:
            raise ProposalReadError(
                f"{name} has {page_count} pages, more than the {MAX_PDF_PAGES} allowed: "
                "split it and map the relevant parts separately."
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ProposalReadError:
        raise
    except (DependencyError, FileNotDecryptedError, NotImplementedError):
        raise encrypted from None  # e.g. AES encryption, which needs an optional package
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ProposalReadError(
            f"{name} is a damaged PDF ({type(exc).__name__}): open it and save or export it "
            "again as PDF, or paste its text."
        ) from exc
    text = "\n\n".join(_clean_pdf_page(page) for page in pages).strip()
    if not text:
        raise ProposalReadError(
            f"{name} has no text layer (it looks scanned: its {page_count} page(s) are "
            "images): run OCR on it (for example `ocrmypdf in.pdf out.pdf`) or paste its text."
        )
    return ProposalDocument(text=text, filename=name, kind="pdf", pages=page_count)


def _pdf_encrypted_error(name: str) -> ProposalReadError:
    return ProposalReadError(
        f"{name} is password-protected: open it, save a copy without the password "
        "(or print it to PDF) and upload that, or paste its text."
    )


def _clean_pdf_page(text: str) -> str:
    text = _HYPHEN_BREAK.sub(r"\1\2", text.replace("\r\n", "\n"))
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


# --------------------------------------------------------------------------- DOCX


def _read_docx(data: bytes, name: str) -> ProposalDocument:
    if not data.startswith(b"PK\x03\x04"):
        raise _not_what_it_claims(name, ".docx", data)
    _check_docx_package(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise _docx_damaged(name, exc) from exc
    from docx.table import Table

    blocks: list[str] = []
    for item in document.iter_inner_content():  # paragraphs and tables in reading order
        if isinstance(item, Table):
            for row in item.rows:
                cells = dict.fromkeys(cell.text.strip() for cell in row.cells)  # merged repeat
                blocks.append(" | ".join(c for c in cells if c))
        else:
            blocks.append(item.text.strip())
    text = "\n\n".join(b for b in blocks if b)
    return ProposalDocument(text=text, filename=name, kind="docx", pages=None)


def _check_docx_package(data: bytes, name: str) -> None:
    """Refuse a zip bomb before python-docx expands it: the part count and declared sizes first,
    then every part decompressed in chunks against the same limits (declared sizes can lie),
    counting the paragraphs and elements of word/document.xml on the way."""
    not_word = ProposalReadError(
        f"{name} is a zip file but not a Word document: save the proposal from Word or "
        "LibreOffice as .docx, or paste its text."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_DOCX_PARTS:
                raise _docx_too_big(name, f"{len(parts):,} parts (the limit is {MAX_DOCX_PARTS:,})")
            if "word/document.xml" not in {p.filename for p in parts}:
                raise not_word
            _check_declared_sizes(parts, name)
            total = 0
            for part in parts:
                try:
                    total = _measure_part(archive, part, name, total)
                except zipfile.BadZipFile as exc:  # a CRC error: the declared size lied
                    raise _docx_damaged(name, exc) from None
    except zipfile.BadZipFile:
        raise not_word from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _docx_damaged(name, exc) from None  # unsupported compression, encryption


def _docx_damaged(name: str, exc: Exception) -> ProposalReadError:
    return ProposalReadError(
        f"{name} is a damaged Word document ({type(exc).__name__}): open it in Word or "
        "LibreOffice and save it again as .docx, or paste its text."
    )


def _check_declared_sizes(parts: list[zipfile.ZipInfo], name: str) -> None:
    declared = sum(p.file_size for p in parts)
    if declared > MAX_DOCX_EXPANDED_BYTES:
        raise _docx_too_big(name, f"{_mb(declared)} when unpacked")
    for part in parts:
        if _is_xml(part) and part.file_size > MAX_DOCX_XML_BYTES:
            raise _docx_too_big(name, f"{_mb(part.file_size)} of XML in {part.filename}")


def _measure_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, total: int) -> int:
    """Decompress one part in chunks, never keeping more than one; the running total back."""
    is_document = part.filename == "word/document.xml"
    size = paragraphs = elements = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(256 * 1024):
            size += len(chunk)
            total += len(chunk)
            if total > MAX_DOCX_EXPANDED_BYTES:
                raise _docx_too_big(name, f"more than {_mb(MAX_DOCX_EXPANDED_BYTES)} when unpacked")
            if _is_xml(part) and size > MAX_DOCX_XML_BYTES:
                raise _docx_too_big(name, f"more than {_mb(MAX_DOCX_XML_BYTES)} of XML")
            if is_document:
                window = tail + chunk  # a tag split across two chunks is counted once
                paragraphs += _paragraph_tags(window) - _paragraph_tags(tail)
                elements += chunk.count(b"<") - chunk.count(b"</")
                tail = window[-6:]
                if paragraphs > MAX_DOCX_PARAGRAPHS:
                    raise _docx_too_big(
                        name, f"more than {MAX_DOCX_PARAGRAPHS:,} paragraphs (about 400 pages)"
                    )
                if elements > MAX_DOCX_ELEMENTS:
                    raise _docx_too_big(name, f"more than {MAX_DOCX_ELEMENTS:,} XML elements")
    return total


def _paragraph_tags(xml: bytes) -> int:
    return xml.count(b"<w:p>") + xml.count(b"<w:p ") + xml.count(b"<w:p/>")


def _is_xml(part: zipfile.ZipInfo) -> bool:
    return part.filename.endswith((".xml", ".rels"))


def _docx_too_big(name: str, what: str) -> ProposalReadError:
    return ProposalReadError(
        f"{name} holds {what}, more than a proposal needs (is it a zip bomb?): split it, or save "
        "it as plain text (.txt) and try again."
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"
