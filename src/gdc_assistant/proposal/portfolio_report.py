"""A mapped portfolio -> CSV, JSON, a Markdown summary and charts (matplotlib Figure, no pyplot)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..corpus import Corpus
from .mapping import RELEVANT_MIN
from .portfolio import COVERAGE_TOP, Portfolio

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOP_TARGETS = 5  # SDGs / Action Lines per proposal in top_targets.csv
HEATMAP_ROWS = 60  # proposals drawn in a heatmap (the CSV has them all)


def scores_csv(portfolio: Portfolio, corpus: Corpus) -> str:
    """Proposals x commitments: every commitment's score, then whether it is relevant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [c.id for c in corpus.commitments]
    writer.writerow(["id", "title", *ids, *(f"{cid} relevant" for cid in ids)])
    for item, pmap in _pairs(portfolio):
        flags = [s >= RELEVANT_MIN for s in pmap.similarities]  # as map-proposal decides
        writer.writerow([item.id, item.title, *(f"{s:.4f}" for s in pmap.scores), *flags])
    return buffer.getvalue()


def _pairs(portfolio: Portfolio):
    return list(zip(portfolio.items, portfolio.maps, strict=True))


def top_targets_csv(portfolio: Portfolio) -> str:
    """Each proposal's best SDGs and Action Lines, as map-proposal ranks them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "kind", "rank", "key", "name", "score", "explicit"])
    for item, pmap in _pairs(portfolio):
        for kind, items in (("sdg", pmap.sdgs), ("action_line", pmap.action_lines)):
            for rank, s in enumerate(items[:TOP_TARGETS], start=1):
                row = [item.id, item.title, kind, rank, s.key, s.name, f"{s.score:.4f}", s.explicit]
                writer.writerow(row)
    return buffer.getvalue()


def coverage_csv(portfolio: Portfolio, corpus: Corpus) -> str:
    """Every commitment, SDG and Action Line: how many proposals support it, how strongly, which."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "key", "name", "proposals", "score", "supported_by"])
    names = {c.id: c.text for c in corpus.commitments}
    for kind, rows, lookup in (
        ("commitment", portfolio.commitments, names),
        ("sdg", portfolio.sdgs, corpus.sdg_names),
        ("action_line", portfolio.action_lines, corpus.action_line_names),
    ):
        for c in rows:
            writer.writerow(
                [
                    kind,
                    c.key,
                    lookup[c.key],
                    len(c.proposals),
                    f"{c.score:.4f}",
                    " ".join(c.proposals),
                ]
            )
    return buffer.getvalue()


def summary_markdown(portfolio: Portfolio, corpus: Corpus, *, charts: dict[str, str]) -> str:
    """The portfolio in a page: counts, charts, best-supported and uncovered items, skipped rows."""
    uncovered = portfolio.uncovered()
    n = len(portfolio.items)
    out = [
        "# Portfolio mapped to the Global Digital Compact",
        "",
        f"{n} proposal(s) mapped, {len(portfolio.skipped)} skipped. A commitment is supported by a "
        "proposal that relates to it closely (`relevant`); an SDG or Action Line by a proposal "
        f"that has it among its {COVERAGE_TOP} leading suggestions.",
        "",
    ]
    for title, path in charts.items():
        out += [f"![{title}]({path})", ""]
    for title, rows, label in (
        ("SDGs", portfolio.sdgs, lambda k: f"SDG {k} {corpus.sdg_names[k]}"),
        (
            "WSIS Action Lines",
            portfolio.action_lines,
            lambda k: f"{k} {corpus.action_line_names[k]}",
        ),
    ):
        out += [
            f"## {title}",
            "",
            "| | Proposals | Strongest | Supported by |",
            "|---|---|---|---|",
        ]
        for c in sorted(rows, key=lambda c: (-len(c.proposals), -c.score)):
            ids = ", ".join(c.proposals[:8]) + (" …" if len(c.proposals) > 8 else "")
            out.append(f"| {label(c.key)} | {len(c.proposals)} | {c.score:.2f} | {ids} |")
        out.append("")
    covered = sorted(
        (c for c in portfolio.commitments if c.proposals),
        key=lambda c: (-len(c.proposals), -c.score),
    )
    out += ["## Commitments supported", "", "| Commitment | Proposals | Strongest | Supported by |"]
    out.append("|---|---|---|---|")
    for c in covered:
        ids = ", ".join(c.proposals[:8]) + (" …" if len(c.proposals) > 8 else "")
        out.append(f"| {c.key} | {len(c.proposals)} | {c.score:.3f} | {ids} |")
    out += ["", "## Uncovered", ""]
    out.append(
        f"- Commitments ({len(uncovered['commitments'])}): "
        + (", ".join(uncovered["commitments"]) or "none")
    )
    out.append(
        f"- SDGs ({len(uncovered['sdgs'])}): "
        + (", ".join(f"SDG {s}" for s in uncovered["sdgs"]) or "none")
    )
    out.append(
        f"- Action Lines ({len(uncovered['action_lines'])}): "
        + (", ".join(uncovered["action_lines"]) or "none")
    )
    out += ["", "## Skipped", ""]
    if not portfolio.skipped:
        out.append("Nothing was skipped.")
    for s in portfolio.skipped:
        out.append(f"- {'file' if s.is_file else 'id'} `{s.name}`: {s.reason}")
    out.append("")
    return "\n".join(out)


def write_portfolio(portfolio: Portfolio, corpus: Corpus, folder: Path) -> list[Path]:
    """Write every output under `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "portfolio.json": json.dumps(portfolio.to_dict(), ensure_ascii=False, indent=2),
        "proposals_x_commitments.csv": scores_csv(portfolio, corpus),
        "top_targets.csv": top_targets_csv(portfolio),
        "coverage.csv": coverage_csv(portfolio, corpus),
    }
    written = []
    for name, content in files.items():
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    charts = {}
    for title, name, figure in (
        ("Proposals x SDGs", "heatmap_sdgs.png", heatmap(portfolio, corpus, kind="sdgs")),
        (
            "Proposals x Action Lines",
            "heatmap_action_lines.png",
            heatmap(portfolio, corpus, kind="action_lines"),
        ),
        ("Coverage by objective", "coverage_objectives.png", coverage_chart(portfolio, corpus)),
    ):
        if figure is not None:
            figure.savefig(folder / name, dpi=110)
            charts[title] = name
            written.append(folder / name)
    summary = folder / "summary.md"
    summary.write_text(summary_markdown(portfolio, corpus, charts=charts), encoding="utf-8")
    return [*written, summary]


# --------------------------------------------------------------------------- charts


def heatmap_matrix(
    portfolio: Portfolio, corpus: Corpus, *, kind: str
) -> tuple[list, list, np.ndarray]:
    """(row labels, column labels, values): proposals x SDGs, Action Lines, objectives or
    commitments. Targets: the suggestion score; objectives: the best commitment score in it."""
    rows = [item.id for item in portfolio.items]
    if kind in ("sdgs", "action_lines"):
        keys = list(corpus.sdg_names if kind == "sdgs" else corpus.action_line_names)
        values = np.zeros((len(rows), len(keys)))
        for r, pmap in enumerate(portfolio.maps):
            score = {s.key: s.score for s in getattr(pmap, kind)}
            values[r] = [score.get(k, 0.0) for k in keys]
        labels = [f"SDG {k}" if kind == "sdgs" else str(k) for k in keys]
        return rows, labels, values
    scores = np.array([pmap.scores for pmap in portfolio.maps]).reshape(len(rows), len(corpus))
    if kind == "commitments":
        return rows, [c.id for c in corpus.commitments], scores
    objectives = list(dict.fromkeys(c.objective for c in corpus.commitments))
    values = np.zeros((len(rows), len(objectives)))
    for j, key in enumerate(objectives):
        columns = [i for i, c in enumerate(corpus.commitments) if c.objective == key]
        values[:, j] = scores[:, columns].max(axis=1) if len(rows) else 0
    labels = [str(key) for key in objectives]
    return rows, labels, values


def heatmap(portfolio: Portfolio, corpus: Corpus, *, kind: str = "sdgs") -> Figure | None:
    """A heatmap of proposals (rows, the first HEATMAP_ROWS) x targets."""
    if not portfolio.items:
        return None
    from matplotlib.figure import Figure

    rows, columns, values = heatmap_matrix(portfolio, corpus, kind=kind)
    rows, values = rows[:HEATMAP_ROWS], values[:HEATMAP_ROWS]
    width = max(6.0, 0.32 * len(columns) + 2.5)
    figure = Figure(figsize=(min(width, 28.0), 0.26 * len(rows) + 2.0), layout="constrained")
    axes = figure.subplots()
    image = axes.imshow(values, aspect="auto", cmap="Blues", vmin=0)
    axes.set_xticks(range(len(columns)), columns, rotation=90, fontsize=7)
    axes.set_yticks(range(len(rows)), rows, fontsize=7)
    names = {"sdgs": "SDGs", "action_lines": "WSIS Action Lines", "objectives": "objectives"}
    axes.set_title(f"Proposals × {names.get(kind, kind)}", fontsize=10)
    figure.colorbar(image, ax=axes, shrink=0.6, label="score")
    return figure


def coverage_chart(portfolio: Portfolio, corpus: Corpus) -> Figure | None:
    """Per objective: commitments supported by at least one proposal, and those uncovered."""
    if not portfolio.items:
        return None
    from matplotlib.figure import Figure

    counts: dict = {}
    for c, cov in zip(corpus.commitments, portfolio.commitments, strict=True):
        covered, total = counts.get(c.objective, (0, 0))
        counts[c.objective] = (covered + bool(cov.proposals), total + 1)
    labels = [str(key) for key in counts]
    covered = [v[0] for v in counts.values()]
    uncovered = [v[1] - v[0] for v in counts.values()]
    figure = Figure(figsize=(6.4, 0.4 * len(labels) + 1.4), layout="constrained")
    axes = figure.subplots()
    axes.barh(labels, covered, color="#1d4ed8", label="supported")
    axes.barh(labels, uncovered, left=covered, color="#cbd5e1", label="uncovered")
    axes.invert_yaxis()
    axes.set_xlabel("commitments")
    axes.set_title("Commitments supported by the portfolio, per objective", fontsize=10)
    axes.legend(loc="lower right", fontsize=8)
    return figure
