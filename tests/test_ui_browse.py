"""Browse, Matrix and About tabs: the handlers they call, that they build, and (slow) that a real
browser can filter, select and click the heatmap."""

import socket
from pathlib import Path

import pytest

from gdc_assistant.corpus import load_corpus
from gdc_assistant.matrix import ALL_SDGS_LABEL
from gdc_assistant.ui.about import about_markdown, build_about_tab
from gdc_assistant.ui.browse import DETAILS_PROMPT, browse_rows, build_browse_tab, details_for_row
from gdc_assistant.ui.choices import ANY, action_line_choices, objective_choices, sdg_choices
from gdc_assistant.ui.matrix import (
    EXPLICIT_ONLY,
    HEATMAP_ELEM_ID,
    HIGHLIGHT_COLOUR,
    WITH_ALL,
    action_line_bar_chart,
    build_matrix_tab,
    heatmap_cell,
    heatmap_styler,
    sdg_bar_chart,
    select_filters,
    select_heatmap_cell,
)

E_HEALTH_ROW = 9  # C1-C6, then E-government, E-business, E-learning, E-health


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


# --------------------------------------------------------------------------- Browse handlers


def test_browse_starts_with_all_85(corpus):
    table, count = browse_rows(corpus, "", ANY, ANY, ANY, True)
    assert len(table) == 85
    assert count == "Showing **85** of 85 commitments."


def test_browse_count_says_how_many_match_only_through_all(corpus):
    table, count = browse_rows(corpus, "", ANY, "9", ANY, True)
    assert len(table) == 45
    assert "Showing **45** of 85" in count
    assert "17 mapped explicitly, 28 only through" in count


def test_browse_explicit_only(corpus):
    table, count = browse_rows(corpus, "", ANY, "9", ANY, False)
    assert len(table) == 17
    assert count == "Showing **17** of 85 commitments."


def test_browse_filters_combine(corpus):
    table, _ = browse_rows(corpus, "data", "4", ANY, "C7 E-employment", False)
    assert list(table["ID"]) == ["O4-DATA-PRIV-05"]
    table, _ = browse_rows(corpus, "", "follow-up", ANY, ANY, True)
    assert len(table) == 11


def test_browse_no_match_says_what_to_do(corpus):
    table, count = browse_rows(corpus, "zebra", ANY, ANY, ANY, True)
    assert table.empty
    assert "Showing **0** of 85" in count
    assert "clear a filter or change the search words" in count


def test_choices_carry_names_and_skip_what_the_source_never_names(corpus):
    sdgs = sdg_choices(corpus)
    assert sdgs[0] == ("Any SDG", ANY)
    assert ("SDG 3 Good Health and Well-being", "3") in sdgs
    assert len(sdgs) == 18
    lines = dict((value, label) for label, value in action_line_choices(corpus))
    assert lines["C2"] == "C2 Information and communication infrastructure"
    assert "any sub-line" in lines["C7"]
    assert "C7 E-health" in lines
    assert "C7 E-science" not in lines
    objectives = [value for _, value in objective_choices(corpus)]
    assert objectives == [ANY, "1", "2", "3", "4", "5", "follow-up"]


def test_details_show_every_field_and_the_source_lines(corpus):
    md = details_for_row(corpus, ["O1-CONN-01", "Objective 1"])
    assert "### O1-CONN-01" in md
    assert "Close All Digital Divides" in md
    assert "**Section:** Connectivity" in md
    assert "- SDG 9 Industry, Innovation and Infrastructure" in md
    assert "- C7 E-employment (ICT applications: E-employment)" in md
    assert "- C11 International and regional cooperation" in md
    assert "SDG 9 WSIS Action Lines C1, C2, C3, C5, C6, C7 E-government" in md
    assert "lines 40, 41" in md
    assert "- line 40: 1. Develop and strengthen targets" in md  # the source line itself
    assert "once" in md


def test_details_keep_all_sdgs_as_a_statement(corpus):
    md = details_for_row(corpus, ["O5-01"])
    assert f"**{ALL_SDGS_LABEL}**" in md
    assert "SDG 17 Partnerships" not in md  # never expanded into 17 goals
    assert "All WSIS Action Lines" in md


def test_details_for_commitment_without_sdg(corpus):
    md = details_for_row(corpus, ["O5-07"])
    assert "none given in the source" in md
    assert "line 212" in md


def test_details_for_repeated_commitment(corpus):
    md = details_for_row(corpus, ["O1-DPI-02"])
    assert "twice; lines 74, 75, 76, 77" in md


def test_details_for_nothing_selected(corpus):
    assert details_for_row(corpus, None) == DETAILS_PROMPT
    assert details_for_row(corpus, ["NOT-AN-ID"]) == DETAILS_PROMPT


# --------------------------------------------------------------------------- Matrix handlers


def test_heatmap_table_is_action_lines_by_sdgs(corpus):
    frame = heatmap_styler(corpus, include_all=False).data
    assert list(frame.columns) == ["WSIS Action Line", *[f"SDG {n}" for n in range(1, 18)]]
    assert frame.iloc[E_HEALTH_ROW]["WSIS Action Line"] == "C7 E-health"
    assert frame.iloc[E_HEALTH_ROW]["SDG 3"] == 4
    assert frame.iloc[0]["WSIS Action Line"].startswith("C1 The role of public governance")
    with_all = heatmap_styler(corpus, include_all=True).data
    assert with_all.iloc[E_HEALTH_ROW]["SDG 3"] == 30


def test_heatmap_styler_grades_the_counts(corpus):
    html = heatmap_styler(corpus, include_all=False).to_html()
    assert "background-color" in html


def test_heatmap_cell_maps_clicks(corpus):
    assert heatmap_cell(corpus, [E_HEALTH_ROW, 3]) == (3, "C7 E-health")
    assert heatmap_cell(corpus, [0, 17]) == (17, "C1")
    assert heatmap_cell(corpus, [E_HEALTH_ROW, 0]) == (None, "C7 E-health")  # the label column
    # a sorted table: the row label wins over the row number
    assert heatmap_cell(corpus, [0, 3], "C7 E-health") == (3, "C7 E-health")


def test_heatmap_click_lists_the_pair(corpus):
    sdg, line, caption, table, *_ = select_heatmap_cell(
        corpus, [E_HEALTH_ROW, 3], "C7 E-health", EXPLICIT_ONLY
    )
    assert (sdg, line) == ("3", "C7 E-health")
    assert "SDG 3 Good Health and Well-being × C7 E-health" in caption
    assert "4 commitments (explicit mappings only)" in caption
    assert list(table["ID"]) == ["O1-CONN-04", "O3-TRUST-01", "O3-TRUST-02", "O3-TRUST-06"]


def test_heatmap_click_with_all_splits_the_count(corpus):
    *_, caption, table, _, _ = select_heatmap_cell(
        corpus, [E_HEALTH_ROW, 3], "C7 E-health", WITH_ALL
    )
    assert len(table) == 30
    assert "30 commitments, 4 mapped explicitly and 26 only through" in caption


def test_dropdowns_alone_filter_and_mark_the_charts(corpus):
    caption, table, sdg_figure, line_figure = select_filters(corpus, "9", ANY, EXPLICIT_ONLY)
    assert len(table) == 17
    assert caption.startswith("**SDG 9 Industry, Innovation and Infrastructure**")
    marked = [t.get_text() for t in sdg_figure.axes[0].get_yticklabels() if _marked(t)]
    assert marked == ["SDG 9  Industry, Innovation and Infrastructure"]
    assert not [t for t in line_figure.axes[0].get_yticklabels() if _marked(t)]
    caption, table, *_ = select_filters(corpus, ANY, ANY, EXPLICIT_ONLY)
    assert len(table) == 85


def test_bar_charts_show_names_and_both_parts(corpus):
    figure = sdg_bar_chart(corpus)
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels[0] == "SDG 1  No Poverty" and labels[-1] == "SDG 17  Partnerships for the Goals"
    texts = [t.get_text() for t in axes.texts]
    assert "17 + 28" in texts  # SDG 9 and SDG 17: explicit + through "All SDGs"
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["mapped explicitly", 'through "All SDGs"']
    lines = action_line_bar_chart(corpus, highlight="C7 E-health")
    line_labels = [t.get_text().strip() for t in lines.axes[0].get_yticklabels()]
    assert "C7 E-health" in line_labels and "C7 E-science" not in line_labels
    assert "39 + 37" in [t.get_text() for t in lines.axes[0].texts]  # C7 as a whole


def test_bar_chart_labels_are_not_clipped(corpus):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for figure in (sdg_bar_chart(corpus), action_line_bar_chart(corpus)):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        width, height = figure.bbox.width, figure.bbox.height
        renderer = canvas.get_renderer()
        for label in figure.axes[0].get_yticklabels():
            box = label.get_window_extent(renderer)
            assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height


# --------------------------------------------------------------------------- About


def test_about_is_computed_from_the_corpus(corpus):
    md = about_markdown(corpus)
    assert "22 September 2024" in md and "A/RES/79/1" in md
    assert "Geneva Plan of Action" in md and "2030 Agenda" in md
    assert "**85 distinct commitments**" in md
    assert "| Objective 1 (Connectivity 7; " in md and "| 21 |" in md
    assert "| Follow-up and Review | 11 |" in md
    assert "- **C9** Media" in md
    assert "- **SDG 15** Life on Land" in md and "- **SDG 10** Reduced Inequalities" in md
    assert "E-science is never named in the source" in md
    assert "28 commitments are mapped to “All SDGs” and 37 to “All WSIS Action Lines”" in md
    assert "O5-07 names Action Lines but no SDG" in md
    assert "O1-DPI-02 (2×), O3-INFO-03 (2×)" in md


def test_about_carries_the_irregularities_table_from_corpus_readme(corpus):
    md = about_markdown(corpus)
    readme = (Path(__file__).parents[1] / "corpus" / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| 16 |")]
    assert rows and rows[0] in md
    assert '"C7 e-agriculture" (lower case)' in md
    assert "## Record fields" not in md


# --------------------------------------------------------------------------- building


def test_tabs_build_inside_blocks(corpus):
    import gradio as gr

    with gr.Blocks() as demo:
        with gr.Tab("Browse"):
            build_browse_tab(corpus)
        with gr.Tab("Matrix"):
            build_matrix_tab(corpus)
        with gr.Tab("About"):
            build_about_tab(corpus)
    elem_ids = {getattr(block, "elem_id", None) for block in demo.blocks.values()}
    assert {"browse-table", "browse-details", HEATMAP_ELEM_ID, "matrix-table", "about"} <= elem_ids
    # every Browse input refilters the table; a row click shows its details; a heatmap click
    # lists the pair; the Matrix dropdowns and the count mode update the selection
    assert {
        ("Search", "change"),
        ("Objective", "change"),
        ("SDG", "change"),
        ("WSIS Action Line", "change"),
    } <= _triggers(demo, "browse-table")
    assert ("browse-table", "select") in _triggers(demo, "browse-details")
    assert {(HEATMAP_ELEM_ID, "select"), ("SDG", "input"), ("WSIS Action Line", "input")} <= (
        _triggers(demo, "matrix-selection")
    )


def _triggers(demo, output_elem_id: str) -> set[tuple[str, str]]:
    """(label or elem_id of the trigger, event) for each event that updates this output."""
    found = set()
    for fn in demo.fns.values():
        if not any(getattr(o, "elem_id", None) == output_elem_id for o in fn.outputs):
            continue
        for block_id, event in fn.targets:
            block = demo.blocks[block_id]
            found.add((block.elem_id or getattr(block, "label", None), event))
    return found


@pytest.mark.slow
def test_tabs_work_in_a_real_browser(corpus, chromium):
    import gradio as gr
    from playwright.sync_api import expect

    with gr.Blocks() as demo:
        with gr.Tab("Browse"):
            build_browse_tab(corpus)
        with gr.Tab("Matrix"):
            build_matrix_tab(corpus)
    port = _free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.locator("#browse-count")).to_contain_text("Showing 85 of 85")
        page.get_by_label("Search").fill("privacy")
        expect(page.locator("#browse-count")).to_contain_text("Showing 7 of 85")
        page.locator('#browse-table [data-testid="cell-0-3"]').click()
        expect(page.locator("#browse-details")).to_contain_text("O3-TRUST-03")
        expect(page.locator("#browse-details")).to_contain_text("line 139")

        page.get_by_role("tab", name="Matrix").click()
        cell = page.locator(f'#{HEATMAP_ELEM_ID} [data-testid="cell-{E_HEALTH_ROW}-3"]')
        expect(cell).to_have_text("4")
        cell.click()
        expect(page.locator("#matrix-selection")).to_contain_text("C7 E-health: 4 commitments")
        expect(page.locator("#matrix-table")).to_contain_text("O3-TRUST-06")
        page.get_by_label(WITH_ALL).check()
        expect(page.locator("#matrix-selection")).to_contain_text("30 commitments")
        expect(cell).to_have_text("30")
    finally:
        page.close()
        demo.close()


def _marked(label) -> bool:
    return label.get_color() == HIGHLIGHT_COLOUR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
