"""Map a proposal tab: paste or upload a proposal, see the commitments it relates to (relevant
ones apart from those related less closely) with the sentences that match them by meaning, the
SDGs and Action Lines suggested with their evidence, the gaps, and download it all."""

from __future__ import annotations

import hashlib
import html
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GdcAssistantError
from ..proposal.mapping import ProposalMap, RelatedCommitment, map_proposal
from ..proposal.readers import SUPPORTED_SUFFIXES, read_document
from ..proposal.render import evidence_line, proposal_csv, proposal_markdown
from ..proposal.suggestions import MATRIX_SHARE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..index.store import Index

_EXPORT_DIR = Path(tempfile.gettempdir()) / "gdc-assistant-exports"
_MATRIX_COLOUR, _DIRECT_COLOUR = "#1d4ed8", "#93c5fd"
_GAPS_SHOWN = 6
PLACEHOLDER = (
    "Paste a project or policy proposal here (one paragraph to about 30 pages), "
    "or upload a .txt, .md, .pdf or .docx file."
)


def build_proposal_tab(get_index: Callable[[], Index]) -> None:
    """The contents of the "Map a proposal" tab (call inside `with gr.Tab(...)`)."""
    import gradio as gr

    gr.Markdown(
        "Find the Global Digital Compact commitments a proposal supports, and the SDGs and "
        "WSIS Action Lines it serves: from the commitments' mappings in the source matrix and "
        "from its passages compared with the SDG goal statements and Action Line descriptions."
    )
    with gr.Row():
        text = gr.Textbox(
            label="Proposal text", lines=10, max_lines=20, placeholder=PLACEHOLDER, scale=3
        )
        with gr.Column(scale=1):
            upload = gr.File(
                label="Or upload a file instead",
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="proposal-upload",
            )
            k = gr.Slider(3, 30, value=10, step=1, label="Commitments to show")
            button = gr.Button("Map", variant="primary", elem_id="proposal-map")
    status = gr.Markdown(elem_id="proposal-status")
    commitments = gr.HTML(elem_id="proposal-commitments")
    with gr.Row():
        sdg_plot = gr.Plot(label="SDGs", elem_id="proposal-sdgs")
        action_plot = gr.Plot(label="WSIS Action Lines", elem_id="proposal-action-lines")
    gaps = gr.HTML(elem_id="proposal-gaps")
    downloads = gr.File(
        label="Download the mapping: JSON, CSV and a Markdown report",
        file_count="multiple",
        interactive=False,
        elem_id="proposal-downloads",
    )

    def on_map(pasted: str, path: str | None, k: float):
        try:
            pmap, status_line = proposal_map(get_index, pasted, path, int(k))
        except GdcAssistantError as exc:
            gr.Warning(_sentence(str(exc)))
            return f"⚠️ {html.escape(_sentence(str(exc)))}", "", None, None, "", None
        if pmap.notice:
            notice = f'<p class="gdc-notice">ℹ️ {html.escape(pmap.notice)}</p>'
            return f"ℹ️ {html.escape(pmap.notice)}", notice, None, None, "", None
        charts = sdg_chart(pmap), action_line_chart(pmap)
        cards = render_commitments_html(pmap)
        return status_line, cards, *charts, render_gaps_html(pmap), export_files(pmap)

    button.click(
        on_map,
        [text, upload, k],
        [status, commitments, sdg_plot, action_plot, gaps, downloads],
        api_name="map_proposal",
    )


def proposal_map(
    get_index: Callable[[], Index], pasted: str | None, path: str | None, k: int
) -> tuple[ProposalMap, str]:
    """Read the upload (or take the pasted text), map it, and say what was mapped."""
    notes: tuple[str, ...] = ()
    if path:
        document = read_document(path)
        text, source, notes = document.text, document.filename, document.notes
    else:
        text, source = pasted or "", "the pasted text"
    pmap = map_proposal(get_index(), text, k=k)
    words = len(pmap.text.split())
    line = f"Mapped {html.escape(source)}: {words:,} words in {len(pmap.passages)} passage(s)."
    if path and pasted and pasted.strip():
        line += " The pasted text was not used: clear the upload to map it."
    return pmap, " ".join([line, *(f"⚠️ {html.escape(n)}" for n in notes)])


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- HTML


def render_commitments_html(pmap: ProposalMap) -> str:
    """Relevant commitments as cards, then those related less closely, each with the sentences
    of the proposal that match it by meaning (in <mark>, with their score)."""
    if pmap.notice:
        return f'<p class="gdc-notice">{html.escape(pmap.notice)}</p>'
    parts = []
    for title, group in (
        ("Relevant commitments", pmap.relevant),
        ("Related less closely", pmap.less_close),
    ):
        if group:
            cards = "".join(_card(pmap.commitments.index(rc) + 1, rc, pmap) for rc in group)
            css = "relevant" if title.startswith("Relevant") else "less"
            parts.append(
                f'<section class="gdc-{css}"><h3>{title} ({len(group)})</h3>{cards}</section>'
            )
    if not pmap.relevant:
        parts.insert(0, "<p>No commitment relates closely; these are the nearest.</p>")
    return '<div class="gdc-proposal-results">' + "".join(parts) + "</div>"


def _card(rank: int, rc: RelatedCommitment, pmap: ProposalMap) -> str:
    c = rc.commitment
    sdgs = "All SDGs" if c.sdgs_all else ", ".join(f"SDG {s}" for s in c.sdgs) or "no SDG given"
    lines = "All WSIS Action Lines" if c.action_lines_all else ", ".join(c.action_lines)
    return (
        f'<div class="gdc-proposal-card" data-id="{c.id}" '
        f'data-relevant="{str(rc.relevant).lower()}">'
        f"<h4>{rank}. {c.id} <small>score {rc.score:.3f}</small></h4>"
        f"<p>{html.escape(c.text)}</p>"
        f"<p><small>{html.escape(sdgs)} · {html.escape(lines)}</small></p>"
        f"{highlight(pmap, rc)}</div>"
    )


def highlight(pmap: ProposalMap, rc: RelatedCommitment) -> str:
    """The passage around the best-matching sentences, HTML-escaped, those sentences in <mark>."""
    if not rc.sentences:
        passage = pmap.passages[rc.matches[0].passage] if rc.matches else None
        if passage is None:
            return ""
        return (
            f'<blockquote class="gdc-passage"><small>passage {passage.index + 1} · score '
            f"{rc.matches[0].score:.2f}</small><br>{html.escape(passage.text)}</blockquote>"
        )
    text = pmap.text
    start = min(s.start for s in rc.sentences)
    end = max(s.end for s in rc.sentences)
    out, last = [], start
    for s in sorted(rc.sentences, key=lambda s: s.start):
        out.append(html.escape(text[last : s.start]))
        out.append(f'<mark title="score {s.score:.2f}">{html.escape(text[s.start : s.end])}</mark>')
        last = s.end
    out.append(html.escape(text[last:end]))
    scores = ", ".join(f"{s.score:.2f}" for s in rc.sentences)
    return (
        f'<blockquote class="gdc-passage"><small>best-matching sentence(s) · score {scores}'
        f"</small><br>{''.join(out)}</blockquote>"
    )


def render_gaps_html(pmap: ProposalMap) -> str:
    """The gap view: per leading SDG / Action Line, the commitments no passage addresses."""
    if pmap.notice:
        return ""
    if not pmap.gaps:
        return (
            "<h3>Gaps</h3><p>Every commitment mapped to the leading SDGs and Action Lines "
            "is addressed.</p>"
        )
    grouped: dict = {}
    for g in pmap.gaps:
        grouped.setdefault((g.kind, g.target, g.target_name), []).append(g)
    parts = [
        "<h3>Gaps: what the proposal leaves out of its leading SDGs and Action Lines</h3>",
        "<p><small>Commitments the matrix maps there explicitly that no passage addresses, "
        "with the closest passage and its score.</small></p>",
    ]
    for (kind, target, name), group in grouped.items():
        label = f"SDG {target}" if kind == "sdg" else target
        rows = "".join(
            f'<li data-id="{g.commitment.id}"><b>{g.commitment.id}</b> '
            f"{html.escape(g.commitment.text[:160])} <small>(closest passage "
            f"{'' if g.passage is None else g.passage + 1}, score {g.score:.2f})</small></li>"
            for g in group[:_GAPS_SHOWN]
        )
        more = len(group) - _GAPS_SHOWN
        extra = f"<li><small>and {more} more (in the downloads)</small></li>" if more > 0 else ""
        parts.append(
            f"<details><summary>{html.escape(label)} {html.escape(name)} ({len(group)})"
            f"</summary><ul>{rows}{extra}</ul></details>"
        )
    return '<div class="gdc-gaps">' + "".join(parts) + "</div>"


# --------------------------------------------------------------------------- charts


def sdg_chart(pmap: ProposalMap) -> Figure | None:
    """Horizontal bars per SDG: the matrix part and the direct-evidence part of the score."""
    rows = [(f"SDG {s.sdg} {s.name}", s) for s in pmap.sdgs]
    return _bars(rows, "SDG suggestions (matrix + direct evidence)")


def action_line_chart(pmap: ProposalMap) -> Figure | None:
    """Horizontal bars per Action Line: the matrix part and the direct-evidence part."""
    rows = [(a.code, a) for a in pmap.action_lines]
    return _bars(rows, "WSIS Action Line suggestions (matrix + direct evidence)")


def _bars(rows, title: str) -> Figure | None:
    if not rows:
        return None
    from matplotlib.figure import Figure

    rows = rows[::-1]  # best at the top
    labels = [label if len(label) <= 40 else label[:39] + "…" for label, _ in rows]
    matrix = [MATRIX_SHARE * s.matrix for _, s in rows]
    direct = [(1 - MATRIX_SHARE) * s.direct for _, s in rows]
    figure = Figure(figsize=(6.4, 0.32 * len(rows) + 1.2), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, matrix, color=_MATRIX_COLOUR, label="matrix (related commitments)")
    axes.barh(
        labels, direct, left=matrix, color=_DIRECT_COLOUR, hatch="//", label="direct (passages)"
    )
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("score")
    axes.tick_params(axis="y", labelsize=8)
    axes.legend(loc="lower right", fontsize=8)
    return figure


# --------------------------------------------------------------------------- downloads


def export_files(pmap: ProposalMap) -> list[str]:
    """The mapping as JSON, CSV and a Markdown report, written to files named by content."""
    contents = [
        (json.dumps(pmap.to_dict(), ensure_ascii=False, indent=2), "json"),
        (proposal_csv(pmap), "csv"),
        (proposal_markdown(pmap), "md"),
    ]
    _EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for content, suffix in contents:
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        path = _EXPORT_DIR / f"gdc-proposal-{digest}.{suffix}"
        if not path.exists():
            path.write_text(content, encoding="utf-8")
        paths.append(str(path))
    return paths


__all__ = [
    "build_proposal_tab",
    "proposal_map",
    "render_commitments_html",
    "render_gaps_html",
    "highlight",
    "evidence_line",
]
