"""Evaluation reports: the terminal table, the Markdown report and the nDCG@10 bar chart.

Everything here reads an EvalReport (see evaluation.py); nothing is scored here. matplotlib is
imported only when a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..config import PROJECT_ROOT
from ..evaluation.questions import QUESTION_TYPES
from .run import EvalReport, QuestionResult
from .scoring import METRICS

REPORT_PATH = PROJECT_ROOT / "eval" / "report.md"


def _fmt(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.3f}"


def _overall_rows(report: EvalReport) -> list[list[str]]:
    rows = []
    for name in report.retrievers:
        for split in report.splits:
            m, a = report.metrics(name, split=split), report.abstention(name, split=split)
            rows.append(
                [name, split, str(int(m["n"])), *(_fmt(m[k]) for k in METRICS)]
                + [_fmt(a["abstention_accuracy"]), _fmt(a["false_abstention_rate"])]
            )
    return rows


_OVERALL_HEADER = ["retriever", "split", "n", *METRICS, "abstain(oos)", "false abstain"]


def format_table(report: EvalReport) -> str:
    """The overall table (retriever x split) as aligned plain text, for the terminal."""
    rows = [_OVERALL_HEADER, *_overall_rows(report)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if "hybrid" in report.retrievers:
        for qtype, row in report.exactness("hybrid", split=report.split).items():
            lines.append(f"hybrid {qtype} exact: {int(row['correct'])}/{int(row['n'])}")
    return "\n".join(lines)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report_markdown(report: EvalReport, *, chart: str | None = None) -> str:
    """The full report: overall, per type, per language, abstention, exactness, worst questions."""
    split = report.split
    types = sorted({r.question.type for r in report.results}, key=QUESTION_TYPES.index)
    languages = sorted({r.question.language for r in report.results})
    out = [
        "# GDC Assistant evaluation report",
        "",
        f"Questions: {len({r.question.id for r in report.results})}"
        + (f" from `{report.source}`" if report.source else "")
        + f"; split: {split}; retrievers: {', '.join(report.retrievers)}. "
        "IR metrics (ir-measures) average the in-scope questions; out-of-scope questions are "
        "scored on abstention. Regenerate with `gdc-assistant eval`.",
        "",
        "## Overall",
        "",
        _md_table(_OVERALL_HEADER, _overall_rows(report)),
    ]
    if chart:
        out += ["", f"![nDCG@10 per question type and retriever]({chart})"]
    for label, name, values in (
        ("question type", "type", types),
        ("language", "language", languages),
    ):
        out += ["", f"## nDCG@10 per {label} (split: {split})", ""]
        out.append(_md_table([name, "n", *report.retrievers], _by(report, name, values)))
    out += ["", "## Abstention", ""]
    out.append(
        _md_table(
            [
                "retriever",
                "split",
                "out-of-scope n",
                "abstention acc.",
                "in-scope n",
                "false abst.",
            ],
            (
                [n, s, str(a["out_of_scope"]), _fmt(a["abstention_accuracy"])]
                + [str(a["in_scope"]), _fmt(a["false_abstention_rate"])]
                for n in report.retrievers
                for s in report.splits
                for a in [report.abstention(n, split=s)]
            ),
        )
    )
    if "hybrid" in report.retrievers:
        exact = report.exactness("hybrid", split=split)
        out += ["", "## Structured answers (hybrid, exactness)", ""]
        out.append(
            _md_table(
                ["type", "n", "exactly right", "accuracy", "list precision", "list recall"],
                (
                    [t, str(int(r["n"])), str(int(r["correct"])), _fmt(r["accuracy"])]
                    + [_fmt(r.get("precision")), _fmt(r.get("recall"))]
                    for t, r in exact.items()
                ),
            )
            if exact
            else "No question with `expected` in this split."
        )
        wrong = [
            r
            for r in report.select("hybrid", split=_listed(split))
            if r.exactness and not r.exactness.correct
        ]
        out += [f"- `{r.question.id}` {r.question.question}: {r.exactness.detail}" for r in wrong]
        out += ["", "## Relevance flags (hybrid)", "", _RELEVANCE_NOTE, ""]
        out.append(_md_table(_RELEVANCE_HEADER, _relevance_rows(report, languages)))
    answered = [
        r for r in report.select(report.primary, split=_listed(split)) if _wrongly_answered(r)
    ]
    if answered:
        out += ["", f"## Out-of-scope questions answered: {report.primary}", ""]
        out += [
            f"- `{r.question.id}` {_short(r.question.question)}: top 3 {', '.join(r.ranking[:3])}"
            for r in answered
        ]
    for name in report.retrievers:
        out += ["", f"## Worst questions: {name}", ""]
        worst = report.worst(name)
        out += [_worst_line(r) for r in worst] or ["Every in-scope question is ranked perfectly."]
    return "\n".join(out) + "\n"


_RELEVANCE_NOTE = (
    "Each hit carries the system's own judgement `relevant`. *precision*: the share of flagged "
    "hits the judgement grades 1 or 2 (a flag on an out-of-scope question is always wrong); "
    "*grade-2 recall*: the share of grade-2 commitments that were flagged; *confident*: the share "
    "of in-scope questions answered confidently. Pooled over questions. Per-question rows below "
    "are for the dev split only: the test split is blind."
)
_RELEVANCE_HEADER = [
    "split",
    "language",
    "flagged",
    "precision",
    "grade-2 n",
    "grade-2 recall",
    "in-scope confident",
    "out-of-scope abstained",
]


def _relevance_rows(report: EvalReport, languages: Sequence[str]) -> Iterator[list[str]]:
    for split in report.splits:
        for language in ("all", *languages):
            where = {} if language == "all" else {"language": language}
            rel = report.relevance("hybrid", split=split, **where)
            ab = report.abstention("hybrid", split=split, **where)
            confident = 1 - ab["false_abstention_rate"] if ab["in_scope"] else float("nan")
            yield [split, language, str(rel["flagged"]), _fmt(rel["precision"])] + [
                str(rel["grade2"]),
                _fmt(rel["grade2_recall"]),
                _fmt(confident),
                _fmt(ab["abstention_accuracy"]),
            ]


def _listed(split: str) -> str:
    """Which questions may be listed one by one: never the blind test split's."""
    return "dev" if split == "all" else split if split == "dev" else "none"


def _by(report: EvalReport, field: str, values: Iterable[str]) -> Iterator[list[str]]:
    for value in values:
        rows = [report.metrics(n, split=report.split, **{field: value}) for n in report.retrievers]
        yield [value, str(int(rows[0]["n"])), *(_fmt(m["ndcg@10"]) for m in rows)]


def _wrongly_answered(r: QuestionResult) -> bool:
    return not r.question.in_scope and not r.abstained


def _worst_line(r: QuestionResult) -> str:
    misses = ", ".join(
        f"{m.commitment_id} (grade {m.grade}, "
        + ("not in top 10)" if m.rank is None else f"rank {m.rank})")
        for m in r.misses[:6]
    ) + (f" and {len(r.misses) - 6} more" if len(r.misses) > 6 else "")
    return (
        f"- `{r.question.id}` ({r.question.type}, {r.question.language}) "
        f"nDCG@10 {r.scores['ndcg@10']:.3f}: {_short(r.question.question)}  \n"
        f"  misses: {misses or 'none'}; top 3: {', '.join(r.ranking[:3]) or 'nothing'}"
    )


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def chart_figure(report: EvalReport):
    """A matplotlib Figure: nDCG@10 per question type, one bar per retriever."""
    from matplotlib.figure import Figure  # no pyplot: safe in server threads, nothing global

    types = [
        t for t in QUESTION_TYPES if any(r.question.type == t and r.scores for r in report.results)
    ]
    fig = Figure(figsize=(max(6.0, 0.9 * len(types) + 2), 4.5), layout="tight")
    ax = fig.add_subplot()
    width = 0.8 / len(report.retrievers)
    for i, name in enumerate(report.retrievers):
        values = [report.metrics(name, split=report.split, type=t)["ndcg@10"] for t in types]
        ax.bar([x + i * width for x in range(len(types))], values, width, label=name)
    ax.set_xticks([x + width * (len(report.retrievers) - 1) / 2 for x in range(len(types))])
    ax.set_xticklabels(types, rotation=30, ha="right")
    ax.set_ylim(0, 1.15)  # headroom for the legend above the bars
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_ylabel("nDCG@10")
    ax.set_title(f"nDCG@10 per question type (split: {report.split})")
    ax.legend(loc="upper center", ncols=len(report.retrievers), frameon=False)
    return fig


def plot_report(report: EvalReport, path: Path) -> Path:
    """Save the bar chart of nDCG@10 per question type and retriever as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chart_figure(report).savefig(path, dpi=110)
    return path


def write_report(report: EvalReport, path: Path = REPORT_PATH) -> tuple[Path, Path]:
    """Write the Markdown report and its bar chart (same name, .png) -> (report, chart) paths."""
    path = Path(path)
    chart = plot_report(report, path.with_suffix(".png"))
    path.write_text(report_markdown(report, chart=chart.name), encoding="utf-8")
    return path, chart
