"""Map a proposal tab: paste or upload a proposal, see the commitments, SDGs and Action Lines it
touches with the passages that matched, and download the mapping as JSON, CSV or Markdown."""

from __future__ import annotations

import hashlib
import html
import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GdcAssistantError
from ..proposal.mapping import ProposalMap, RelatedCommitment, map_proposal
from ..proposal.readers import SUPPORTED_SUFFIXES, read_document
from ..proposal.render import proposal_csv, proposal_markdown

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..index.store import Index

_EXPORT_DIR = Path(tempfile.gettempdir()) / "gdc-assistant-exports"
_PASSAGES_SHOWN = 2
_EXPLICIT_COLOUR, _ALL_COLOUR = "#1d4ed8", "#cbd5e1"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    "that this with from their these those have will shall into such also more than which "
    "where when while other including through between within among about should would could "
    "must been being were they them your ours what there here only each every".split()
)
PLACEHOLDER = (
    "Paste a project or policy proposal here (one paragraph to about 30 pages), "
    "or upload a .txt, .md, .pdf or .docx file."
)


def build_proposal_tab(get_index: Callable[[], Index]) -> None:
    """The contents of the "Map a proposal" tab (call inside `with gr.Tab(...)`)."""
    import gradio as gr

    gr.Markdown(
        "Find the Global Digital Compact commitments a proposal supports, and the SDGs and "
        "WSIS Action Lines those commitments are mapped to in the source matrix."
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
            return f"⚠️ {html.escape(_sentence(str(exc)))}", "", None, None, None
        charts = sdg_chart(pmap), action_line_chart(pmap)
        return status_line, render_commitments_html(pmap), *charts, export_files(pmap)

    button.click(
        on_map,
        [text, upload, k],
        [status, commitments, sdg_plot, action_plot, downloads],
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
    """Ranked commitments as cards, each with its best passages and shared words in <mark>."""
    cards = [_card(rank, rc, pmap) for rank, rc in enumerate(pmap.commitments, start=1)]
    return '<div class="gdc-proposal-results">' + "".join(cards) + "</div>"


def _card(rank: int, rc: RelatedCommitment, pmap: ProposalMap) -> str:
    c = rc.commitment
    sdgs = "All SDGs" if c.sdgs_all else ", ".join(f"SDG {s}" for s in c.sdgs) or "no SDG given"
    lines = "All WSIS Action Lines" if c.action_lines_all else ", ".join(c.action_lines)
    passages = "".join(
        f'<blockquote class="gdc-passage"><small>passage {m.passage + 1} · score '
        f"{m.score:.2f}</small><br>{highlight(pmap.passages[m.passage].text, c.text)}</blockquote>"
        for m in rc.matches[:_PASSAGES_SHOWN]
    )
    more = len(rc.matches) - _PASSAGES_SHOWN
    extra = f"<p><small>and {more} more passage(s)</small></p>" if more > 0 else ""
    return (
        f'<div class="gdc-proposal-card" data-id="{c.id}">'
        f"<h4>{rank}. {c.id} <small>score {rc.score:.3f}</small></h4>"
        f"<p>{html.escape(c.text)}</p>"
        f"<p><small>{html.escape(sdgs)} · {html.escape(lines)}</small></p>"
        f"{passages}{extra}</div>"
    )


def _stem(word: str) -> str:
    return word.lower()[:6]


def highlight(passage: str, commitment_text: str) -> str:
    """The passage, HTML-escaped, with the words it shares with the commitment in <mark>."""
    shared = {_stem(w) for w in _WORD.findall(commitment_text) if len(w) > 3}
    shared -= {_stem(w) for w in _STOP}
    out, last = [], 0
    for match in _WORD.finditer(passage):
        word = match.group(0)
        if len(word) > 3 and _stem(word) in shared:
            out += [html.escape(passage[last : match.start()]), f"<mark>{html.escape(word)}</mark>"]
            last = match.end()
    out.append(html.escape(passage[last:]))
    return "".join(out)


# --------------------------------------------------------------------------- charts


def sdg_chart(pmap: ProposalMap) -> Figure | None:
    """Horizontal bars per SDG: the explicit part solid, the part via "All SDGs" light."""
    rows = [(f"SDG {s.sdg} {s.name}", s.evidence) for s in pmap.sdgs]
    return _bars(rows, 'via "All SDGs"', "SDGs touched (weighted by commitment score)")


def action_line_chart(pmap: ProposalMap) -> Figure | None:
    """Horizontal bars per Action Line, explicit part solid, via "All" light."""
    rows = [(a.code, a.evidence) for a in pmap.action_lines]
    return _bars(rows, 'via "All WSIS Action Lines"', "WSIS Action Lines touched")


def _bars(rows, all_label: str, title: str) -> Figure | None:
    if not rows:
        return None
    from matplotlib.figure import Figure

    rows = rows[::-1]  # best at the top
    labels = [label if len(label) <= 40 else label[:39] + "…" for label, _ in rows]
    explicit = [sum(e.weight for e in ev if e.explicit) for _, ev in rows]
    via_all = [sum(e.weight for e in ev if not e.explicit) for _, ev in rows]
    figure = Figure(figsize=(6.4, 0.32 * len(rows) + 1.2), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, explicit, color=_EXPLICIT_COLOUR, label="named explicitly")
    axes.barh(labels, via_all, left=explicit, color=_ALL_COLOUR, hatch="//", label=all_label)
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


__all__ = ["build_proposal_tab", "proposal_map", "render_commitments_html", "highlight"]
