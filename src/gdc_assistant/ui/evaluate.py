"""Evaluate tab: score the retrievers on the bundled or an uploaded question set."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import GdcAssistantError
from ..evaluation.questions import DEFAULT_QUESTION_FILES, load_question_files
from ..evaluation.report import chart_figure, report_markdown
from ..evaluation.run import RETRIEVERS, evaluate

SPLIT_CHOICES = ["all", "dev", "test"]
EVALUATE_PROMPT = (
    "Choose the retrievers and the split, then **Run evaluation**. Without an upload the bundled "
    "question sets are used (`eval/questions.jsonl`, dev, and `eval/test_questions.jsonl`, the "
    "blind test split, shown in aggregate only); the format is in `eval/README.md`."
)


def run_evaluation(
    index: Any,
    questions_file: str | Path | None,
    retrievers: Sequence[str],
    split: str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, Any]:
    """(Markdown report or a clear error message, chart Figure or None) for the Evaluate tab."""
    if not retrievers:
        return "**Choose at least one retriever** (dense, lexical or hybrid).", None
    paths = [Path(questions_file)] if questions_file else list(DEFAULT_QUESTION_FILES)
    try:
        questions = load_question_files(paths, corpus=index.corpus)
        report = evaluate(
            index,
            questions,
            retrievers=retrievers,
            split=split,
            progress=progress,
            source=" + ".join(p.name for p in paths),
        )
    except GdcAssistantError as exc:
        name = "the uploaded file" if questions_file else "the bundled question sets"
        return f"**Cannot evaluate {name}.**\n\n```\n{exc}\n```", None
    return report_markdown(report), chart_figure(report)


def build_evaluate_tab(get_index: Callable[[], Any]) -> None:
    """Lay out the Evaluate tab inside the caller's `gr.Tab` and wire its events."""
    import gradio as gr

    with gr.Row():
        upload = gr.File(
            label="Question set (.jsonl); leave empty for the bundled one",
            file_types=[".jsonl", ".json", ".txt"],
            type="filepath",
            scale=2,
        )
        with gr.Column(scale=1):
            retrievers = gr.CheckboxGroup(
                [r.value for r in RETRIEVERS],
                value=[r.value for r in RETRIEVERS],
                label="Retrievers",
            )
            split = gr.Radio(SPLIT_CHOICES, value="all", label="Split")
            run = gr.Button("Run evaluation", variant="primary")
    chart = gr.Plot(label="nDCG@10 per question type", elem_id="evaluate-chart")
    result = gr.Markdown(EVALUATE_PROMPT, elem_id="evaluate-report")

    def on_run(file, chosen, split_value, progress=gr.Progress()):  # noqa: B008 (gradio idiom)
        return run_evaluation(
            get_index(), file, chosen, split_value, progress=lambda d, t: progress(d / t)
        )

    run.click(on_run, [upload, retrievers, split], [result, chart])
