"""Regenerate the binary samples in tests/data from the .txt / .md proposals next to this file.

Run: .venv/bin/python tests/data/make_samples.py   (needs the dev extra: reportlab)
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

HERE = Path(__file__).resolve().parent
rl_config.invariant = 1  # no timestamps or random ids: same input, same bytes


def _blocks(path: Path) -> list[str]:
    """Paragraphs; a short first line ("Summary", "## Background") becomes a block of its own."""
    blocks = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        first, _, rest = block.strip().partition("\n")
        blocks += [first.lstrip("# "), rest] if rest and len(first) < 40 else [block.strip()]
    return [b.lstrip("# ") for b in blocks if b]


def text_pdf(source: Path, target: Path) -> None:
    """A normal PDF with a text layer: first block as title, the rest as paragraphs."""
    styles = getSampleStyleSheet()
    blocks = _blocks(source)
    story = [Paragraph(blocks[0], styles["Title"])]
    for block in blocks[1:]:
        style = styles["Heading2"] if "\n" not in block and len(block) < 40 else styles["BodyText"]
        story += [Paragraph(block.replace("\n", " "), style), Spacer(1, 6)]
    SimpleDocTemplate(str(target), pagesize=A4, title=blocks[0]).build(story)


def word_docx(source: Path, target: Path) -> None:
    """A .docx with a heading, paragraphs and one table (the reader must see table text)."""
    blocks = _blocks(source)
    document = docx.Document()
    document.add_heading(blocks[0], level=1)
    for block in blocks[1:]:
        if "\n" not in block and len(block) < 40:
            document.add_heading(block, level=2)
        else:
            document.add_paragraph(block.replace("\n", " "))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Budget line", "Amount"
    table.cell(1, 0).text, table.cell(1, 1).text = "Teacher training in AI", "USD 2.4 million"
    document.core_properties.created = datetime(2026, 1, 1, tzinfo=UTC)
    document.save(target)


def scanned_pdf(target: Path) -> None:
    """A PDF whose page is only a picture of text: no text layer, as a scanner makes."""
    image = Image.new("RGB", (1200, 400), "white")
    ImageDraw.Draw(image).text((40, 40), "Telemedicine for rural clinics (scanned page)", "black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(target), pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 40, 500, width=500, height=170)
    pdf.showPage()
    pdf.save()


def encrypted_pdf(source: Path, target: Path, *, user_password: str) -> None:
    """A copy of `source` encrypted with RC4 (readable without optional crypto packages)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> None:
    text_pdf(HERE / "telemedicine.txt", HERE / "telemedicine.pdf")
    text_pdf(HERE / "data_protection.md", HERE / "data_protection.pdf")
    word_docx(HERE / "ai_skills.txt", HERE / "ai_skills.docx")
    scanned_pdf(HERE / "bad_scanned.pdf")
    encrypted_pdf(HERE / "telemedicine.pdf", HERE / "bad_encrypted.pdf", user_password="secret")
    # Only an owner password (restrictions, no password to open): must read normally.
    encrypted_pdf(HERE / "telemedicine.pdf", HERE / "owner_only_encrypted.pdf", user_password="")
    (HERE / "bad_text_named.pdf").write_text(
        (HERE / "telemedicine.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (HERE / "bad_png_named.docx").write_bytes(png_bytes())
    (HERE / "bad_png_named.txt").write_bytes(png_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    (HERE / "bad_zip_named.docx").write_bytes(buffer.getvalue())
    (HERE / "bad_empty.txt").write_bytes(b"")
    (HERE / "bad_whitespace.md").write_bytes(b"  \n\n\t \n")
    (HERE / "cp1252.txt").write_bytes(
        "Télémédecine pour les cliniques rurales: connecter chaque clinique à Internet "
        "et former le personnel de santé – coût réduit.\n".encode("cp1252")
    )
    (HERE / "bom.txt").write_bytes(
        "\ufeffTelemedicine for rural clinics: connect every clinic to the Internet.\n".encode()
    )


if __name__ == "__main__":
    main()
