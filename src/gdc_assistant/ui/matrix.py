"""Matrix tab: SDG x Action Line heatmap (click a cell to list its commitments) and bar charts."""

import textwrap
from typing import TYPE_CHECKING

from ..corpus import ALL_SDGS, Corpus
from ..matrix import (
    ALL_ACTION_LINES_LABEL,
    ALL_SDGS_LABEL,
    action_line_columns,
    commitments_per_action_line,
    commitments_per_sdg,
    filter_table,
    sdg_action_line_counts,
)
from ..scope import parse_sdg
from .browse import TABLE_COLUMN_WIDTHS, optional
from .choices import ANY, action_line_choices, sdg_choices

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

HEATMAP_ELEM_ID = "matrix-heatmap"
EXPLICIT_ONLY = "Explicit mappings only"
WITH_ALL = f'Also count "{ALL_SDGS_LABEL}" / "{ALL_ACTION_LINES_LABEL}"'
ACTION_LINE_COLUMN = "WSIS Action Line"
EXPLICIT_COLOUR = "#1f4e79"
VIA_ALL_COLOUR = "#a9c4de"
HIGHLIGHT_COLOUR = "#d35400"


def heatmap_styler(corpus: Corpus, *, include_all: bool) -> "Styler":
    """The SDG x Action Line counts as a colour-graded table: a row per Action Line (named), a
    column per SDG, so that the 17 short SDG headers fit the page width."""
    counts = sdg_action_line_counts(corpus, include_all=include_all)
    codes = list(action_line_columns(corpus))
    frame = counts[codes].T.reset_index(drop=True)
    frame.columns = [f"SDG {n}" for n in counts.index]
    sdg_columns = list(frame.columns)
    frame.insert(0, ACTION_LINE_COLUMN, [heatmap_row_label(corpus, code) for code in codes])
    values = frame[sdg_columns].to_numpy()
    # The colour spans the counts shown: counting "All", no cell is below the both-"All" floor,
    # and a scale from 0 would paint every cell the same blue.
    low, high = int(values.min()), int(values.max())
    return frame.style.background_gradient(
        cmap="Blues", subset=sdg_columns, vmin=low, vmax=max(high, low + 1)
    ).hide(axis="index")


def heatmap_row_label(corpus: Corpus, code: str) -> str:
    """'C2 Information and communication infrastructure'; a C7 sub-line is its code alone."""
    return code if code.startswith("C7 ") else f"{code} {corpus.action_line_names[code]}"


def heatmap_cell(
    corpus: Corpus, index: tuple[int, int] | list[int], row_label: str | None = None
) -> tuple[int | None, str]:
    """A clicked heatmap cell -> (SDG, or None for the label column; Action Line code).

    The row is read from its label when given, so a re-sorted table still maps right.
    """
    row, column = int(index[0]), int(index[1])
    codes = action_line_columns(corpus)
    by_label = {heatmap_row_label(corpus, code): code for code in codes}
    code = by_label.get(str(row_label), codes[row]) if row_label is not None else codes[row]
    return (ALL_SDGS[column - 1] if column >= 1 else None), code


def selection_table(
    corpus: Corpus, sdg: str | int | None, action_line: str | None, mode: str
) -> tuple[str, "pd.DataFrame"]:
    """The caption and the commitments for a selected SDG and/or Action Line."""
    include_all = mode == WITH_ALL
    number, code = optional(parse_sdg, sdg), action_line or None
    table = filter_table(corpus, sdg=number, action_line=code, include_all=include_all)
    if number is None and code is None:
        return (
            f"All **{len(corpus)}** commitments. Click a heatmap cell, or choose an SDG or an "
            "Action Line, to list the commitments that link them.",
            table,
        )
    parts = []
    if number is not None:
        parts.append(f"SDG {number} {corpus.sdg_names[number]}")
    if code is not None:
        parts.append(f"{code} {corpus.action_line_names[code]}" if " " not in code else code)
    caption = f"**{' × '.join(parts)}**: {len(table)} commitment{'s' * (len(table) != 1)}"
    if include_all:
        explicit = len(filter_table(corpus, sdg=number, action_line=code, include_all=False))
        caption += (
            f", {explicit} mapped explicitly and {len(table) - explicit} only through "
            f'"{ALL_SDGS_LABEL}" / "{ALL_ACTION_LINES_LABEL}".'
        )
    else:
        caption += " (explicit mappings only)."
    return caption, table


def sdg_bar_chart(corpus: Corpus, *, highlight: int | None = None) -> "Figure":
    """Horizontal stacked bars: commitments per SDG, explicit vs through "All SDGs"."""
    counts = commitments_per_sdg(corpus)
    labels = [f"SDG {n}  {name}" for n, name in counts["name"].items()]
    selected = None if highlight is None else list(counts.index).index(highlight)
    return _stacked_bars(
        labels,
        counts["explicit"].tolist(),
        counts["via_all"].tolist(),
        title="Commitments per SDG",
        via_all_label=f'through "{ALL_SDGS_LABEL}"',
        selected=selected,
    )


def action_line_bar_chart(corpus: Corpus, *, highlight: str | None = None) -> "Figure":
    """Horizontal stacked bars: commitments per Action Line, explicit vs "All WSIS Action Lines"."""
    counts = commitments_per_action_line(corpus)
    labels = []
    for code, name in counts["name"].items():
        if code.startswith("C7 "):
            labels.append(f"      {code}")  # indented under C7
        else:
            labels.append(textwrap.fill(f"{code}  {name}", 46))
    codes = list(counts.index)
    selected = codes.index(highlight) if highlight in codes else None
    return _stacked_bars(
        labels,
        counts["explicit"].tolist(),
        counts["via_all"].tolist(),
        title="Commitments per WSIS Action Line",
        via_all_label=f'through "{ALL_ACTION_LINES_LABEL}"',
        selected=selected,
    )


def select_heatmap_cell(
    corpus: Corpus, index: tuple[int, int] | list[int], row_label: str | None, mode: str
) -> tuple[str, str, str, "pd.DataFrame", "Figure", "Figure"]:
    """Heatmap click -> dropdown values, caption, table and both charts with the choice marked."""
    sdg, code = heatmap_cell(corpus, index, row_label)
    sdg_value = ANY if sdg is None else str(sdg)
    return (sdg_value, code, *select_filters(corpus, sdg_value, code, mode))


def select_filters(
    corpus: Corpus, sdg: str | None, action_line: str | None, mode: str
) -> tuple[str, "pd.DataFrame", "Figure", "Figure"]:
    """Dropdown or mode change -> caption, table and both charts with the choice marked."""
    caption, table = selection_table(corpus, sdg, action_line, mode)
    return (
        caption,
        table,
        sdg_bar_chart(corpus, highlight=optional(parse_sdg, sdg)),
        action_line_bar_chart(corpus, highlight=action_line or None),
    )


def build_matrix_tab(corpus: Corpus) -> None:
    """Lay out the Matrix tab inside the caller's `gr.Tab` and wire its events."""
    import gradio as gr

    no_sdg = [c.id for c in corpus if not c.sdgs and not c.sdgs_all]
    both_all = sum(c.sdgs_all and c.action_lines_all for c in corpus)
    gr.Markdown(
        "Each cell counts the commitments the source maps to both the WSIS Action Line (row) and "
        "the SDG (column); the SDG names are in the chart and the SDG list below. C7 is split "
        "into the sub-lines the source names: it never maps a commitment to C7 as a whole. "
        "**Click a cell** to list its commitments below the table. When “All” is counted, every "
        f"cell starts at {both_all}: the commitments that say both “{ALL_SDGS_LABEL}” and "
        f"“{ALL_ACTION_LINES_LABEL}”."
        + (
            f" {', '.join(no_sdg)} has no SDG in the source, so it is in no column."
            if no_sdg
            else ""
        )
    )
    mode = gr.Radio([EXPLICIT_ONLY, WITH_ALL], value=EXPLICIT_ONLY, label="Count", show_label=False)
    heatmap = gr.Dataframe(
        heatmap_styler(corpus, include_all=False),
        interactive=False,
        wrap=True,
        column_widths=["290px", *["54px"] * len(ALL_SDGS)],
        max_height=1000,
        label="WSIS Action Lines × SDGs: commitments mapped to both",
        elem_id=HEATMAP_ELEM_ID,
    )
    with gr.Row():
        sdg = gr.Dropdown(sdg_choices(corpus), value=ANY, label="SDG")
        action_line = gr.Dropdown(action_line_choices(corpus), value=ANY, label="WSIS Action Line")
    caption_value, table_value, sdg_figure, action_line_figure = select_filters(
        corpus, ANY, ANY, EXPLICIT_ONLY
    )
    caption = gr.Markdown(caption_value, elem_id="matrix-selection")
    table = gr.Dataframe(
        table_value,
        interactive=False,
        wrap=True,
        column_widths=TABLE_COLUMN_WIDTHS,
        max_height=520,
        show_label=False,
        elem_id="matrix-table",
    )
    with gr.Row():
        sdg_plot = gr.Plot(sdg_figure, format="png", show_label=False, elem_id="matrix-sdg-bars")
        action_line_plot = gr.Plot(
            action_line_figure, format="png", show_label=False, elem_id="matrix-action-line-bars"
        )

    outputs = [caption, table, sdg_plot, action_line_plot]

    def on_select(mode_value: str, evt: gr.SelectData):
        row_label = evt.row_value[0] if evt.row_value else None
        return select_heatmap_cell(corpus, evt.index, row_label, mode_value)

    def on_filters(sdg_value: str, action_line_value: str, mode_value: str):
        return select_filters(corpus, sdg_value, action_line_value, mode_value)

    def on_mode(sdg_value: str, action_line_value: str, mode_value: str):
        styler = heatmap_styler(corpus, include_all=mode_value == WITH_ALL)
        return styler, *on_filters(sdg_value, action_line_value, mode_value)

    heatmap.select(on_select, [mode], [sdg, action_line, *outputs])
    for dropdown in (sdg, action_line):
        dropdown.input(on_filters, [sdg, action_line, mode], outputs)
    mode.change(on_mode, [sdg, action_line, mode], [heatmap, *outputs])


def _stacked_bars(
    labels: list[str],
    explicit: list[int],
    via_all: list[int],
    *,
    title: str,
    via_all_label: str,
    selected: int | None,
) -> "Figure":
    from matplotlib.figure import Figure

    lines = sum(label.count("\n") + 1 for label in labels)
    figure = Figure(figsize=(6.4, 1.3 + 0.2 * lines + 0.18 * len(labels)), layout="constrained")
    axes = figure.subplots()
    positions = range(len(labels))
    axes.barh(positions, explicit, color=EXPLICIT_COLOUR, label="mapped explicitly")
    axes.barh(positions, via_all, left=explicit, color=VIA_ALL_COLOUR, label=via_all_label)
    totals = [a + b for a, b in zip(explicit, via_all, strict=True)]
    for y, (a, b) in enumerate(zip(explicit, via_all, strict=True)):
        axes.text(a + b + 0.8, y, f"{a} + {b}", va="center", fontsize=8, color="#333333")
    axes.set_yticks(list(positions), labels, fontsize=8.5)
    axes.invert_yaxis()  # first item at the top
    axes.set_xlim(0, max(totals) * 1.2 + 1)
    axes.set_xlabel("commitments")
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    if selected is not None:
        tick = axes.get_yticklabels()[selected]
        tick.set_color(HIGHLIGHT_COLOUR)
        tick.set_fontweight("bold")
        axes.barh(
            [selected],
            [explicit[selected] + via_all[selected]],
            fill=False,
            edgecolor=HIGHLIGHT_COLOUR,
            linewidth=2,
        )
    return figure
