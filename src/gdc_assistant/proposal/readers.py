"""Proposal documents -> plain text: .txt, .md, .pdf (pypdf) and .docx (python-docx).

Every way a file can be unusable (too big, empty, scanned, password-protected, not what its name
says) raises ProposalReadError with a message that says what to do instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProposalReadError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 100
MAX_TEXT_CHARS = 300_000  # about 50,000 words: a 100-page proposal
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx")

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
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ProposalReadError(f"{path}: no such file. Check the path and try again.") from None
    except OSError as exc:
        raise ProposalReadError(f"{path}: cannot read it ({exc.strerror}).") from exc
    if path.is_dir():
        raise ProposalReadError(f"{path} is a folder: give one .txt, .md, .pdf or .docx file.")
    _check_size(size, path.name)  # before reading, so a huge file is never loaded
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProposalReadError(f"{path}: cannot read it ({exc.strerror}).") from exc
    return read_document_bytes(data, path.name)


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
    if size > MAX_FILE_BYTES:
        raise ProposalReadError(
            f"{name} is {size / 1024 / 1024:.1f} MB, more than the "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB allowed: remove images, or save it as plain "
            "text (.txt) and try again."
        )


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
    head = data[:8192]
    return b"\x00" not in head and _sniff(head) is None


# --------------------------------------------------------------------------- text


def _read_text(data: bytes, name: str, kind: str) -> ProposalDocument:
    if not _looks_like_text(data):
        raise _not_what_it_claims(name, f".{kind}", data)
    notes: tuple[str, ...] = ()
    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Windows editors still save in cp1252; it decodes almost any byte string, so it is
            # the last resort and the user is told, since a wrong guess garbles accents.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ProposalReadError(
                    f"{name} is not UTF-8 text and not Windows-1252 either: save it as UTF-8 "
                    "(in most editors: Save As > Encoding: UTF-8) and try again."
                ) from None
            notes = (
                f"{name} is not UTF-8; it was read as Windows-1252 (cp1252). If accented letters "
                "look wrong, save it as UTF-8 and upload it again.",
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ProposalDocument(text=text, filename=name, kind=kind, pages=None, notes=notes)


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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_word = "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        is_word = False
    if not is_word:
        raise ProposalReadError(
            f"{name} is a zip file but not a Word document: save the proposal from Word or "
            "LibreOffice as .docx, or paste its text."
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise ProposalReadError(
            f"{name} is a damaged Word document ({type(exc).__name__}): open it in Word or "
            "LibreOffice and save it again as .docx, or paste its text."
        ) from exc
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
