"""Browse tab: all commitments in a searchable, filterable table; a selected row in full."""

import functools
from typing import TYPE_CHECKING

from ..corpus import SOURCE_PATH, Commitment, Corpus, ObjectiveKey
from ..matrix import (
    ALL_ACTION_LINES_LABEL,
    ALL_SDGS_LABEL,
    action_line_rows,
    filter_table,
    objective_label,
)

if TYPE_CHECKING:
    import pandas as pd

ANY = ""  # dropdown value meaning "no filter"
# Percentages of the table width, so the commitment text keeps the room it needs.
TABLE_COLUMN_WIDTHS = ["10%", "8%", "11%", "44%", "8%", "13%", "6%"]
DETAILS_PROMPT = "Select a row to see the full record here."


def objective_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices (label, value) for the objectives, 'Any objective' first."""
    return [("Any objective", ANY)] + [
        (
            f"{objective_label(o.objective)}: {o.title}" if o.key != "FR" else o.title,
            str(o.objective),
        )
        for o in corpus.objectives
    ]


def sdg_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices (label, value) for the 17 SDGs with their names, 'Any SDG' first."""
    return [("Any SDG", ANY)] + [
        (f"SDG {n} {name}", str(n)) for n, name in corpus.sdg_names.items()
    ]


def action_line_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices for C1-C11 (C7 as a whole, then its named sub-lines), 'Any' first."""
    choices = [("Any Action Line", ANY)]
    for code in action_line_rows(corpus):
        name = corpus.action_line_names[code]
        if code == "C7":
            label = f"C7 {name} (any sub-line)"
        elif code.startswith("C7 "):
            label = f"{code} ({name})"
        else:
            label = f"{code} {name}"
        choices.append((label, code))
    return choices


def parse_objective(value: str | None) -> ObjectiveKey | None:
    """Dropdown value -> objective key ('3' -> 3, 'follow-up' stays), '' -> None."""
    if not value:
        return None
    return value if value == "follow-up" else int(value)


def parse_sdg(value: str | int | None) -> int | None:
    """Dropdown value -> SDG number, '' -> None."""
    return int(value) if value not in (None, ANY) else None


def browse_rows(
    corpus: Corpus,
    text: str,
    objective: str | None,
    sdg: str | None,
    action_line: str | None,
    include_all: bool,
) -> tuple["pd.DataFrame", str]:
    """The filtered table and its count line ("Showing N of 85 ...") for the Browse tab."""
    filters = dict(
        text=text or "",
        objective=parse_objective(objective),
        sdg=parse_sdg(sdg),
        action_line=action_line or None,
    )
    table = filter_table(corpus, **filters, include_all=include_all)
    return table, count_line(corpus, table, **filters, include_all=include_all)


def count_line(corpus: Corpus, table: "pd.DataFrame", *, include_all: bool, **filters) -> str:
    """'Showing N of 85 commitments', saying how many match only through an "All ..." mapping."""
    line = f"Showing **{len(table)}** of {len(corpus)} commitments"
    if table.empty:
        return line + ". Nothing matches: clear a filter or change the search words."
    if include_all and (filters.get("sdg") is not None or filters.get("action_line")):
        explicit = len(filter_table(corpus, **filters, include_all=False))
        if explicit < len(table):
            line += (
                f" ({explicit} mapped explicitly, {len(table) - explicit} only through "
                f'"{ALL_SDGS_LABEL}" / "{ALL_ACTION_LINES_LABEL}")'
            )
    return line + "."


def details_for_row(corpus: Corpus, row_value: list | None) -> str:
    """Markdown for the commitment in a selected table row (its first cell is the id)."""
    if not row_value or not row_value[0]:
        return DETAILS_PROMPT
    try:
        commitment = corpus.get(str(row_value[0]))
    except KeyError:
        return DETAILS_PROMPT
    return describe_commitment(corpus, commitment)


def describe_commitment(corpus: Corpus, commitment: Commitment) -> str:
    """Every field of one commitment, with the source lines it comes from, as Markdown."""
    c = commitment
    objective = objective_label(c.objective)
    heading = objective if c.objective == "follow-up" else f"{objective}: {c.objective_title}"
    lines = [
        f"### {c.id}",
        f"**{_escape(heading)}**" + (f"  \n**Section:** {_escape(c.section)}" if c.section else ""),
        "",
        f"> {_escape(c.text)}",
        "",
        "**SDGs**",
        "",
        *_sdg_lines(corpus, c),
        "",
        "**WSIS Action Lines**",
        "",
        *_action_line_lines(corpus, c),
        "",
        f"**Mapping line as the source writes it:** {_escape(c.mapping_text)}",
        "",
        f"**Listed in the source:** {_times(c.occurrences)}; lines "
        + ", ".join(str(n) for n in c.source_lines)
        + f" of `{SOURCE_PATH.name}`:",
        "",
        *_source_lines(c.source_lines),
    ]
    return "\n".join(lines)


def build_browse_tab(corpus: Corpus) -> None:
    """Lay out the Browse tab inside the caller's `gr.Tab` and wire its events."""
    import gradio as gr

    with gr.Row():
        text = gr.Textbox(
            label="Search",
            placeholder="words in the text, section or id, e.g. privacy or O3-IG",
            scale=2,
        )
        objective = gr.Dropdown(objective_choices(corpus), value=ANY, label="Objective", scale=2)
        sdg = gr.Dropdown(sdg_choices(corpus), value=ANY, label="SDG", scale=2)
        action_line = gr.Dropdown(
            action_line_choices(corpus), value=ANY, label="WSIS Action Line", scale=2
        )
    include_all = gr.Checkbox(
        value=True,
        label=f'Count "{ALL_SDGS_LABEL}" and "{ALL_ACTION_LINES_LABEL}" as matching any SDG / '
        "Action Line",
    )
    table_value, count_value = browse_rows(corpus, "", ANY, ANY, ANY, True)
    count = gr.Markdown(count_value, elem_id="browse-count")
    table = gr.Dataframe(
        table_value,
        interactive=False,
        wrap=True,
        column_widths=TABLE_COLUMN_WIDTHS,
        max_height=560,
        show_label=False,
        elem_id="browse-table",
    )
    details = gr.Markdown(DETAILS_PROMPT, elem_id="browse-details", container=True)

    inputs = [text, objective, sdg, action_line, include_all]

    def on_filters(*values):
        # A new table no longer holds the selected row: clear the details with it.
        return *browse_rows(corpus, *values), DETAILS_PROMPT

    for component in inputs:
        component.change(on_filters, inputs, [table, count, details])

    def show_details(evt: gr.SelectData) -> str:
        return details_for_row(corpus, evt.row_value)

    table.select(show_details, None, details)


def _sdg_lines(corpus: Corpus, c: Commitment) -> list[str]:
    if c.sdgs_all:
        return [
            f'- **{ALL_SDGS_LABEL}**: the source says "{ALL_SDGS_LABEL}" rather than naming goals'
        ]
    if not c.sdgs:
        return ["- none given in the source (its mapping line names Action Lines only)"]
    return [f"- SDG {n} {corpus.sdg_names[n]}" for n in c.sdgs]


def _action_line_lines(corpus: Corpus, c: Commitment) -> list[str]:
    if c.action_lines_all:
        return [
            f'- **{ALL_ACTION_LINES_LABEL}**: the source says "{ALL_ACTION_LINES_LABEL}" rather '
            "than naming Action Lines"
        ]
    return [
        f"- {code} ({corpus.action_line_names[code]})"
        if code.startswith("C7 ")
        else f"- {code} {corpus.action_line_names[code]}"
        for code in c.action_lines
    ]


def _source_lines(numbers: tuple[int, ...]) -> list[str]:
    text = _source_text()
    if text is None:
        return [f"- (the source document {SOURCE_PATH} cannot be read)"]
    return [f"- line {n}: {_escape(text[n - 1].strip())}" for n in numbers if n <= len(text)]


@functools.lru_cache(maxsize=1)
def _source_text() -> tuple[str, ...] | None:
    try:
        return tuple(SOURCE_PATH.read_text(encoding="utf-8").splitlines())
    except OSError:
        return None


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _escape(text: str) -> str:
    """Show source text literally in Markdown (no accidental emphasis, links or HTML)."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
