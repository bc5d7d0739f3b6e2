"""Portfolio tab: upload a CSV of proposals or several proposal files, map them all, see a heatmap
of proposals x SDGs / Action Lines / objectives / commitments, what is left uncovered, and
download the tables, the JSON and the Markdown summary."""

from __future__ import annotations

import hashlib
import html
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GdcAssistantError
from ..proposal.portfolio import (
    Portfolio,
    PortfolioItem,
    Skipped,
    map_portfolio,
    read_portfolio,
    read_proposal_file,
)
from ..proposal.portfolio_report import heatmap, write_portfolio
from ..proposal.readers import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from ..corpus import Corpus
    from ..index.store import Index

_EXPORT_DIR = Path(tempfile.gettempdir()) / "gdc-assistant-exports"
HEATMAP_KINDS = {
    "SDGs": "sdgs",
    "Action Lines": "action_lines",
    "Objectives": "objectives",
    "Commitments": "commitments",
}


def build_portfolio_tab(get_index: Callable[[], Index], corpus: Corpus) -> None:
    """The contents of the "Portfolio" tab (call inside `with gr.Tab(...)`)."""
    import gradio as gr

    gr.Markdown(
        "Screen many proposals at once: upload a CSV (columns id, title, text) or several "
        ".txt / .md / .pdf / .docx files. Each proposal is mapped as in *Map a proposal*; the "
        "portfolio view shows what it covers and what it leaves uncovered."
    )
    with gr.Row():
        uploads = gr.File(
            label="CSV or proposal files",
            file_count="multiple",
            file_types=[".csv", *SUPPORTED_SUFFIXES],
            type="filepath",
            elem_id="portfolio-upload",
            scale=3,
        )
        with gr.Column(scale=1):
            with gr.Accordion("CSV columns", open=False):
                id_column = gr.Textbox("id", label="id column")
                title_column = gr.Textbox("title", label="title column")
                text_column = gr.Textbox("text", label="text column")
            kind = gr.Radio(list(HEATMAP_KINDS), value="SDGs", label="Heatmap of proposals x")
            button = gr.Button("Map portfolio", variant="primary", elem_id="portfolio-map")
    status = gr.Markdown(elem_id="portfolio-status")
    plot = gr.Plot(label="Heatmap", elem_id="portfolio-heatmap")
    uncovered = gr.HTML(elem_id="portfolio-uncovered")
    downloads = gr.File(
        label="Downloads: tables (CSV), JSON, Markdown summary and charts",
        file_count="multiple",
        interactive=False,
        elem_id="portfolio-downloads",
    )
    state = gr.State(None)

    def on_map(paths, id_col, title_col, text_col, chosen, progress=gr.Progress()):  # noqa: B008
        try:
            items, skipped = read_uploads(
                paths or [], id_column=id_col, title_column=title_col, text_column=text_col
            )
            if not items:
                reasons = "; ".join(f"{s.name}: {s.reason}" for s in skipped)
                raise GdcAssistantError(
                    "no proposal to map"
                    + (f" ({reasons})" if reasons else "")
                    + ": upload a CSV with a text column or proposal files."
                )
            index = get_index()

            def tick(done: int, total: int) -> None:
                progress(done / max(total, 1), desc=f"Embedding passages {done}/{total}")

            portfolio = map_portfolio(index, items, skipped=skipped, progress=tick)
        except GdcAssistantError as exc:
            message = str(exc)[:1].upper() + str(exc)[1:]
            return f"⚠️ {html.escape(message)}", None, "", None, None
        files = _write(portfolio, corpus)
        figure = heatmap(portfolio, corpus, kind=HEATMAP_KINDS[chosen])
        return status_line(portfolio), figure, uncovered_html(portfolio), files, portfolio

    button.click(
        on_map,
        [uploads, id_column, title_column, text_column, kind],
        [status, plot, uncovered, downloads, state],
        api_name="map_portfolio",
    )
    kind.change(
        lambda chosen, portfolio: (
            heatmap(portfolio, corpus, kind=HEATMAP_KINDS[chosen]) if portfolio else None
        ),
        [kind, state],
        [plot],
        api_name=False,
    )


def read_uploads(
    paths: Sequence[str], *, id_column: str, title_column: str, text_column: str
) -> tuple[list[PortfolioItem], list[Skipped]]:
    """Proposals from uploaded CSV files and proposal files; unreadable ones are skipped."""
    items: list[PortfolioItem] = []
    skipped: list[Skipped] = []
    for path in map(Path, paths):
        if path.suffix.lower() == ".csv":
            try:
                found, lost = read_portfolio(
                    path, id_column=id_column, title_column=title_column, text_column=text_column
                )
            except GdcAssistantError as exc:
                skipped.append(Skipped(path.name, str(exc), is_file=True))
                continue
            items += found
            skipped += lost
            continue
        read = read_proposal_file(path)
        (items if isinstance(read, PortfolioItem) else skipped).append(read)
    return items, skipped


def status_line(portfolio: Portfolio) -> str:
    """What was mapped and what was skipped, by name."""
    line = f"Mapped {len(portfolio.items)} proposal(s)."
    if portfolio.skipped:
        names = "; ".join(
            f"{html.escape(s.name)} ({html.escape(s.reason)})" for s in portfolio.skipped
        )
        line += f" Skipped {len(portfolio.skipped)}: {names}"
    return line


def uncovered_html(portfolio: Portfolio) -> str:
    """The commitments, SDGs and Action Lines no proposal supports."""
    uncovered = portfolio.uncovered()
    rows = [
        ("Commitments", uncovered["commitments"]),
        ("SDGs", [f"SDG {s}" for s in uncovered["sdgs"]]),
        ("Action Lines", uncovered["action_lines"]),
    ]
    items = "".join(
        f"<li><b>{title} ({len(keys)})</b>: {html.escape(', '.join(map(str, keys)) or 'none')}</li>"
        for title, keys in rows
    )
    return f'<div class="gdc-uncovered"><h3>Uncovered by the portfolio</h3><ul>{items}</ul></div>'


def _write(portfolio: Portfolio, corpus: Corpus) -> list[str]:
    key = "\n".join(f"{i.id}\t{i.text}" for i in portfolio.items).encode("utf-8")
    folder = _EXPORT_DIR / f"gdc-portfolio-{hashlib.sha256(key).hexdigest()[:16]}"
    return [str(p) for p in write_portfolio(portfolio, corpus, folder)]


__all__ = ["build_portfolio_tab", "read_uploads", "status_line", "uncovered_html"]
