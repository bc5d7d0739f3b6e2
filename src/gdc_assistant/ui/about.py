"""About tab: the GDC, the WSIS Action Lines, the SDGs, and where the data comes from."""

from __future__ import annotations

from ..corpus import CORPUS_DIR, SOURCE_PATH, Corpus
from ..matrix import ALL_ACTION_LINES_LABEL, ALL_SDGS_LABEL, objective_label

CORPUS_README = CORPUS_DIR / "README.md"
IRREGULARITIES_HEADING = "## Irregularities in the source"


def about_markdown(corpus: Corpus) -> str:
    """The About page; every count is computed from the corpus, the irregularities read from
    corpus/README.md."""
    return "\n\n".join(
        [
            _gdc(corpus),
            _action_lines(corpus),
            _sdgs(corpus),
            _data(corpus),
            _all_mappings(corpus),
            _irregularities(),
        ]
    )


def build_about_tab(corpus: Corpus) -> None:
    """Lay out the About tab inside the caller's `gr.Tab`."""
    import gradio as gr

    gr.Markdown(about_markdown(corpus), elem_id="about")


def _gdc(corpus: Corpus) -> str:
    objectives = [o for o in corpus.objectives if o.objective != "follow-up"]
    lines = [
        "## The Global Digital Compact",
        "",
        "The **Global Digital Compact** (GDC) is the framework for global digital cooperation "
        "that the UN General Assembly adopted on **22 September 2024** as an annex to the "
        "**Pact for the Future** (resolution **A/RES/79/1**, the outcome of the Summit of the "
        f"Future). Its commitments and actions are grouped under {len(objectives)} objectives, "
        "followed by a section on follow-up and review:",
        "",
    ]
    lines += [f"{i}. {o.title}" for i, o in enumerate(objectives, start=1)]
    return "\n".join(lines)


def _action_lines(corpus: Corpus) -> str:
    names = corpus.action_line_names
    main = [code for code in names if " " not in code]
    subs = [code for code in names if code.startswith("C7 ")]
    named = {line for c in corpus if not c.action_lines_all for line in c.action_lines}
    never = [code for code in subs if code not in named]
    lines = [
        "## The WSIS Action Lines",
        "",
        "The World Summit on the Information Society (WSIS) adopted the **Geneva Plan of Action** "
        f"in December 2003. Its {len(main)} **Action Lines** (C1–C{len(main)}) set out what "
        "governments and stakeholders should do to build an inclusive information society:",
        "",
    ]
    lines += [f"- **{code}** {names[code]}" for code in main]
    lines += [
        "",
        "C7, ICT applications, has sub-lines, and the matrix maps commitments to them by name: "
        + ", ".join(code.removeprefix("C7 ") for code in subs)
        + "."
        + (
            f" ({', '.join(c.removeprefix('C7 ') for c in never)} is never named in the source.)"
            if never
            else ""
        ),
    ]
    return "\n".join(lines)


def _sdgs(corpus: Corpus) -> str:
    lines = [
        "## The Sustainable Development Goals",
        "",
        f"The {len(corpus.sdg_names)} **Sustainable Development Goals** (SDGs) are the core of the "
        "**2030 Agenda for Sustainable Development**, adopted by the UN General Assembly in "
        "September 2015 (resolution A/RES/70/1):",
        "",
    ]
    # a bullet list with the number in the text: an ordered list clipped "10." to ".0."
    lines += [f"- **SDG {n}** {name}" for n, name in corpus.sdg_names.items()]
    return "\n".join(lines)


def _data(corpus: Corpus) -> str:
    lines = [
        "## Where the data comes from",
        "",
        "Everything in this app comes from one document, the **“WSIS Process and 2030 Agenda – GDC "
        "Matrix”**, prepared in the WSIS process as a follow-up to the Summit of the Future. It "
        "lists each GDC commitment and action with the SDGs and the WSIS Action Lines it relates "
        "to; it states that the commitment texts and the SDGs are extracted from the GDC. The app "
        f"keeps a verbatim plain-text copy (`corpus/source/{SOURCE_PATH.name}`) and parses it into "
        "`corpus/commitments.jsonl`; every record keeps the source line numbers it comes from.",
        "",
        f"The matrix holds **{len(corpus)} distinct commitments**:",
        "",
        "| objective | commitments |",
        "|---|---:|",
    ]
    for objective in corpus.objectives:
        label = objective_label(objective.objective)
        count = len(corpus.by_objective(objective.objective))
        sections = [f"{s.title} {len(corpus.by_section(s.title))}" for s in objective.sections]
        detail = f" ({'; '.join(sections)})" if sections else ""
        lines.append(f"| {label}{detail} | {count} |")
    repeated = [c for c in corpus if c.occurrences > 1]
    if repeated:
        lines += [
            "",
            "Commitments the source lists more than once are shown once: "
            + ", ".join(f"{c.id} ({c.occurrences}×)" for c in repeated)
            + ".",
        ]
    return "\n".join(lines)


def _all_mappings(corpus: Corpus) -> str:
    sdgs_all = sum(c.sdgs_all for c in corpus)
    lines_all = sum(c.action_lines_all for c in corpus)
    no_sdg = [c.id for c in corpus if not c.sdgs and not c.sdgs_all]
    text = [
        f"## “{ALL_SDGS_LABEL}” and “{ALL_ACTION_LINES_LABEL}”",
        "",
        f"{sdgs_all} commitments are mapped to “{ALL_SDGS_LABEL}” and {lines_all} to "
        f"“{ALL_ACTION_LINES_LABEL}”. The app shows these statements as the source writes them, "
        "never as a list of 17 goals or 11 Action Lines. They still match a filter on any one SDG "
        "or Action Line (including every C7 sub-line) while the “All” switch is on; switch it off "
        "to see only commitments that name the SDG or Action Line explicitly. Counts say how many "
        "matches come only through “All”.",
    ]
    if no_sdg:
        text += [
            "",
            f"{', '.join(no_sdg)} names Action Lines but no SDG; it is shown as having none, "
            "never guessed.",
        ]
    return "\n".join(text)


def _irregularities() -> str:
    intro = (
        "## Known irregularities in the source\n\n"
        "The source is a text export of a table and is not perfectly regular. Each irregularity, "
        "and how the parser handles it (line numbers refer to the source copy):"
    )
    try:
        readme = CORPUS_README.read_text(encoding="utf-8")
    except OSError:
        return f"{intro}\n\nSee `corpus/README.md` (it could not be read here)."
    start = readme.find(IRREGULARITIES_HEADING)
    if start < 0:
        return f"{intro}\n\nSee `corpus/README.md`."
    body = readme[start:].split("\n", 1)[1]
    end = body.find("\n## ")
    table = body if end < 0 else body[:end]
    return f"{intro}\n\n{table.strip()}"
