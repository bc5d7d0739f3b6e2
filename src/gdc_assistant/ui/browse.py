"""Browse tab: all commitments in a searchable, filterable table; a selected row in full."""

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..corpus import SOURCE_PATH, Commitment, Corpus
from ..matrix import ALL_ACTION_LINES_LABEL, ALL_SDGS_LABEL, filter_table, objective_label
from ..scope import parse_objective, parse_sdg
from .choices import ANY, action_line_choices, objective_choices, sdg_choices

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
# Fixed widths (about 1,240 px): ids and codes never break inside a word, the commitment text keeps
# the room it needs, and on a phone the table scrolls sideways in its own box.
TABLE_COLUMN_WIDTHS = ["130px", "100px", "140px", "460px", "80px", "190px", "70px"]
DETAILS_PROMPT = "Select a row to see the full record here."


def optional(parse: Callable[[object], T], value: object) -> T | None:
    """One dropdown value through a scope parser; "" (any) and None give None."""
    return None if value is None or str(value).strip() == ANY else parse(value)


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
        objective=optional(parse_objective, objective),
        sdg=optional(parse_sdg, sdg),
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
