# ruff: noqa: E501  (the proposal texts below are kept one paragraph per line)
"""Regenerate the .pdf and .docx sample proposals in examples/portfolio/folder/.

The proposal texts are kept below as Markdown; run with the project's environment:

    .venv/bin/python examples/portfolio/make_folder_files.py

Needs python-docx and reportlab. Output is deterministic (fixed document dates,
reportlab invariant mode), so rerunning does not change the files needlessly.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FOLDER = Path(__file__).resolve().parent / "folder"
FIXED_DATE = _dt.datetime(2025, 1, 15, 9, 0, 0)
AUTHOR = "GDC Assistant examples"

PDF_DOCS = {
    "rural-broadband-universal-service-laos.pdf": """\
# Last-mile rural broadband through the Universal Service Fund, northern Lao PDR

**Applicant:** Ministry of Technology and Communications, Lao PDR, with the Telecommunications Regulatory Authority and two licensed network operators
**Duration:** 36 months
**Total budget:** USD 6.8 million (USD 4.2 million requested; USD 2.6 million from the Universal Service Fund and operators)

## 1. Context

Mobile broadband covers most of the population living in towns and along the main roads, but coverage falls sharply in the mountainous provinces of Phongsaly, Luang Namtha, Oudomxay and Houaphanh. Around 1,100 villages, home to roughly 450,000 people, many of them from ethnic minority groups, have no 4G signal or only an unstable 2G signal. Where coverage exists, a monthly data package costs more than 5% of average rural household income. Schools, health centres and district offices in these areas cannot use the online services that the government is rolling out, from the education management information system to e-payment of taxes.

The Universal Service Fund, financed by a levy on operators' revenues, has accumulated resources but has disbursed little, because there is no clear methodology for identifying uncovered areas, awarding subsidies or monitoring results.

## 2. Objectives

1. Extend affordable broadband to 400 currently unserved villages.
2. Connect 300 schools, 150 health centres and 40 district administration offices.
3. Reform the operation of the Universal Service Fund so that it can finance rural connectivity transparently and sustainably.

## 3. Activities

**3.1 Mapping and planning.** A geospatial mapping of network coverage, population, schools and health facilities, using operator data, drive tests and satellite imagery, published as an open dataset. This will identify priority villages and the most cost-effective technology for each: fibre extension along new roads, microwave backhaul, small cells powered by solar energy, or low-earth-orbit satellite backhaul for the most isolated sites.

**3.2 Competitive subsidy awards.** Reverse auctions, in which operators bid for the lowest subsidy required to cover each cluster of villages, with obligations on coverage, quality of service, affordable entry-level prices and infrastructure sharing with other operators. Tower and backhaul sharing will reduce costs and encourage competition.

**3.3 Institutional connectivity.** Fixed wireless or satellite connections for schools, health centres and district offices, with a five-year service agreement, Wi-Fi for community use outside school hours, and solar power systems.

**3.4 Regulatory reform.** Support to the regulator to update the universal service regulations, open unused spectrum in the 700 MHz band for rural coverage, simplify rights-of-way for fibre deployment, and publish annual reports on fund disbursement and results.

**3.5 Digital inclusion.** Training of 1,200 village volunteers, teachers and health workers in basic digital skills, online safety and the use of government e-services, with materials in Lao and in Hmong and Khmu.

## 4. Expected results

- 400 villages (about 180,000 people) covered by 4G, with entry-level data prices below 2% of monthly household income.
- 490 public institutions connected, including 300 schools.
- A reformed Universal Service Fund with transparent procedures, disbursing at least USD 3 million per year after the project ends.
- At least 40% of trained digital volunteers are women.

## 5. Risks and mitigation

Difficult terrain and landslides may delay construction; contracts will allow seasonal planning and satellite backhaul as a fallback. Operators may be reluctant to bid in the least profitable areas; the subsidy methodology will be tested with operators before the auctions. Cybersecurity and network resilience requirements will be included in all contracts.
""",
}

DOCX_DOCS = {
    "digital-literacy-refugee-women-bekaa.docx": """\
# Digital literacy and online livelihoods for refugee and host-community women in the Bekaa Valley, Lebanon

**Applicant:** a Lebanese women's rights organisation, with a community centre network in Zahle and Baalbek
**Duration:** 18 months
**Budget:** USD 350,000

## Background

The Bekaa Valley hosts a large population of Syrian refugees living alongside Lebanese communities hit hard by the economic crisis. Many women, both refugees and Lebanese, rely on a shared family phone, have never used a computer and cannot access online services on their own: humanitarian cash assistance, school registration for their children, or telehealth consultations. Restrictions on refugees' formal employment make online and home-based work one of the few income options, but women lack the skills and the devices.

## Activities

- Twelve-week digital literacy courses for 1,500 women in six community centres, covering smartphone and computer basics, using e-mail and messaging safely, accessing online public and humanitarian services, and protecting personal data and privacy.
- Modules on online harassment and safety, with referral to protection services for women who experience technology-facilitated violence.
- An advanced track for 300 women in online marketing, e-commerce and digital bookkeeping, so they can sell home-made food, handicrafts and tailoring services through social media and online marketplaces, and receive digital payments.
- A device lending scheme (200 tablets) and mobile data vouchers for participants.
- Childcare during classes, and sessions scheduled with women's input.

## Expected results

80% of participants able to use at least three online services independently; 150 women earning regular income from online sales or remote work; reduced isolation and improved access to information for refugee households.
""",
}

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUM = re.compile(r"^(\d+)\.\s+(.*)$")
_META = re.compile(r"^\*\*[^*]+:\*\*")  # "**Budget:** ..." lines stand alone


def blocks(md: str):
    """Yield (kind, text) for a small Markdown subset: #, ##, '- ', '1. ', paragraphs."""
    para: list[str] = []
    for line in md.splitlines() + [""]:
        s = line.strip()
        kind = None
        if s.startswith("## "):
            kind, text = "h2", s[3:]
        elif s.startswith("# "):
            kind, text = "h1", s[2:]
        elif s.startswith("- "):
            kind, text = "bullet", s[2:]
        elif _NUM.match(s):
            m = _NUM.match(s)
            kind, text = "number", f"{m.group(1)}. {m.group(2)}"
        elif _META.match(s):
            kind, text = "p", s
        elif s == "":
            kind, text = "break", ""
        if kind is None:
            para.append(s)
            continue
        if para:
            yield "p", " ".join(para)
            para = []
        if kind != "break":
            yield kind, text


def title_of(md: str) -> str:
    return next(t for k, t in blocks(md) if k == "h1")


def make_pdf(path: Path, md: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    style = {"h1": styles["Title"], "h2": styles["Heading2"], "p": styles["BodyText"]}

    def inline(text: str) -> str:
        return _BOLD.sub(r"<b>\1</b>", escape(text))

    story = []
    bullets: list = []
    for kind, text in blocks(md):
        if kind == "bullet":
            bullets.append(ListItem(Paragraph(inline(text), style["p"]), leftIndent=12))
            continue
        if bullets:
            story.append(ListFlowable(bullets, bulletType="bullet", start="\u2022", leftIndent=12))
            bullets = []
        if kind == "number":
            story.append(Paragraph(inline(text), style["p"]))
        else:
            story.append(Paragraph(inline(text), style[kind]))
        if kind == "h1":
            story.append(Spacer(1, 0.3 * cm))
    if bullets:
        story.append(ListFlowable(bullets, bulletType="bullet", start="\u2022", leftIndent=12))
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title_of(md),
        author=AUTHOR,
        invariant=1,
    )
    doc.build(story)


def make_docx(path: Path, md: str) -> None:
    import docx

    d = docx.Document()
    props = d.core_properties
    props.title = title_of(md)
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.revision = 1

    def add_inline(par, text: str) -> None:
        pos = 0
        for m in _BOLD.finditer(text):
            if m.start() > pos:
                par.add_run(text[pos : m.start()])
            par.add_run(m.group(1)).bold = True
            pos = m.end()
        if pos < len(text):
            par.add_run(text[pos:])

    for kind, text in blocks(md):
        if kind == "h1":
            d.add_heading(text, level=0)
        elif kind == "h2":
            d.add_heading(text, level=1)
        elif kind == "bullet":
            add_inline(d.add_paragraph(style="List Bullet"), text)
        else:  # paragraphs and numbered items (numbers kept in the text)
            add_inline(d.add_paragraph(), text)
    buf = io.BytesIO()
    d.save(buf)
    # python-docx stamps zip members with the current time; rewrite them with a fixed
    # date so that regenerating gives byte-identical files.
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, src.read(item.filename))


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, md in PDF_DOCS.items():
        make_pdf(FOLDER / name, md)
        print("wrote", FOLDER / name)
    for name, md in DOCX_DOCS.items():
        make_docx(FOLDER / name, md)
        print("wrote", FOLDER / name)


if __name__ == "__main__":
    main()
