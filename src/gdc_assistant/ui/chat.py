"""The Chat tab: a multi-turn chat over the matrix, filters beside it, results to download.

Handlers are thin: a turn is Conversation.send() + compose_answer() + answer_markdown(); every
expected failure becomes a chat message that says what to do, and the conversation carries on.
"""

# No `from __future__ import annotations` here: gr.api() reads the real type hints of ask_api.
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ..answer.compose import compose_answer
from ..answer.render import answer_markdown, hits_to_csv, hits_to_json, hits_to_records
from ..ask import ask
from ..config import MAX_QUESTION_CHARS
from ..conversation import Conversation, ConversationState
from ..corpus import Corpus, Filters, normalise_action_line
from ..errors import GdcAssistantError, InvalidFilterError

EXAMPLES = [
    "Which commitments relate to data privacy?",
    "How many commitments map to SDG 5?",
    "List the commitments under C10",
    "What does the Compact say about artificial intelligence governance?",
    "Commitments on digital skills for women and girls",
    "¿Qué compromisos tratan de la conectividad?",
]
FOLLOW_UP_HINT = (
    "Follow up with “only those under SDG 5”, “which of these are about AI?”, "
    "“show more” or “what about C10 instead?”."
)
_EXPORT_DIR = Path(tempfile.gettempdir()) / "gdc-assistant-exports"
MAX_RESULTS = 85  # every commitment
_ECHO_CHARS = 300  # how much of an over-long message is echoed back in the chat


def objective_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices: ("Objective 1 — Close All Digital Divides…", "1"), …, plus "any"."""
    choices = [("Any objective", "")]
    for o in corpus.objectives:
        label = o.title if o.objective == "follow-up" else f"Objective {o.objective} — {o.title}"
        choices.append((label, str(o.objective)))
    return choices


def sdg_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices: ("SDG 5 — Gender Equality", "5"), plus "any"."""
    return [("Any SDG", "")] + [
        (f"SDG {n} — {name}", str(n)) for n, name in sorted(corpus.sdg_names.items())
    ]


def action_line_choices(corpus: Corpus) -> list[tuple[str, str]]:
    """Dropdown choices: ("C10 — Ethical dimensions …", "C10"), plus "any"."""
    return [("Any Action Line", "")] + [
        (f"{code} — {name}", code) for code, name in corpus.action_line_names.items()
    ]


def ui_filters(objective: str, sdg: str, action_line: str, include_all: bool) -> Filters:
    """The filter panel's values as Filters ("" means any); unknown values raise
    InvalidFilterError (API callers can send anything)."""
    objective = str(objective or "").strip().lower()
    sdg = str(sdg or "").strip()
    if objective and objective not in {"1", "2", "3", "4", "5", "follow-up"}:
        raise InvalidFilterError(f"there is no objective {objective!r}: use 1-5 or follow-up.")
    if sdg and not (sdg.isdigit() and 1 <= int(sdg) <= 17):
        raise InvalidFilterError(f"there is no SDG {sdg!r}: SDGs run from 1 to 17.")
    try:
        lines = (normalise_action_line(action_line),) if action_line else ()
    except ValueError as exc:
        raise InvalidFilterError(f"{exc}; use C1-C11 or e.g. 'C7 E-health'.") from exc
    objectives = (
        () if not objective else (objective if objective == "follow-up" else int(objective),)
    )
    return Filters(
        sdgs=(int(sdg),) if sdg else (),
        action_lines=lines,
        objectives=objectives,
        include_all=bool(include_all),
    )


def _results(k) -> int:
    """The number of results asked for, kept within 1..85 whatever an API caller sends."""
    try:
        return max(1, min(int(k), MAX_RESULTS))
    except (TypeError, ValueError):
        return 10


def chat_turn(
    get_index: Callable,
    message: str,
    history: list,
    state: ConversationState | None,
    objective: str,
    sdg: str,
    action_line: str,
    include_all: bool,
    k: float,
):
    """One chat turn -> (history, state, textbox value, hits as JSON, CSV path, JSON path)."""
    history = list(history or [])
    message = message if isinstance(message, str) else ""
    if message.strip():
        shown = message if len(message) <= _ECHO_CHARS else message[:_ECHO_CHARS] + " …"
        history.append({"role": "user", "content": shown})
    try:
        index = get_index()
        conversation = Conversation(
            index,
            k=_results(k),
            filters=ui_filters(objective, sdg, action_line, include_all),
            state=state,
        )
        response = conversation.send(message)
        answer = compose_answer(response, index.corpus, context=conversation.note)
    except GdcAssistantError as exc:
        history.append({"role": "assistant", "content": f"⚠️ {_sentence(str(exc))}"})
        return history, state, "", gr.skip(), gr.skip(), gr.skip()
    history.append({"role": "assistant", "content": answer_markdown(answer)})
    hits = tuple(response.hits)
    records = hits_to_records(hits, index.corpus)
    csv_path = _export(hits_to_csv(hits, index.corpus), "csv")
    json_path = _export(hits_to_json(hits, index.corpus), "json")
    return history, conversation.state, "", records, csv_path, json_path


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _export(content: str, suffix: str) -> str:
    # Named by content: the same results give the same file, so the folder stays small.
    _EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    path = _EXPORT_DIR / f"gdc-results-{digest}.{suffix}"
    if not path.exists():  # written aside, then renamed: a concurrent reader never sees half
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)
    return str(path)


def clear_chat():
    """Forget the conversation and the results."""
    return [], ConversationState(), None, None, None


def build_chat_tab(get_index: Callable, corpus: Corpus) -> None:
    """Build the Chat tab's contents inside the current gr.Tab."""
    state = gr.State(ConversationState())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            chatbot = gr.Chatbot(
                label="Conversation",
                show_label=False,
                height=620,
                elem_id="gdc-chat",
                placeholder=(
                    "**Ask about the Global Digital Compact.**<br>Answers quote the commitments "
                    "and their SDG / WSIS Action Line mappings exactly as the source matrix "
                    "gives them."
                ),
                buttons=["copy", "copy_all"],
                feedback_options=None,
                layout="panel",
            )
            with gr.Row():
                message = gr.Textbox(
                    placeholder="e.g. Which commitments relate to data privacy?",
                    show_label=False,
                    lines=1,
                    max_lines=4,
                    max_length=MAX_QUESTION_CHARS,
                    scale=5,
                    elem_id="gdc-message",
                    autofocus=True,
                )
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="gdc-send")
            examples = gr.Examples(
                EXAMPLES, inputs=[message], label="Try one of these", api_visibility="private"
            )
            gr.Markdown(FOLLOW_UP_HINT, elem_classes=["gdc-hint"])
        with gr.Column(scale=1, min_width=260, elem_classes=["gdc-side"]):
            gr.Markdown("### Filters\nApplied to every question in this chat.")
            objective = gr.Dropdown(
                objective_choices(corpus), value="", label="Objective", elem_id="gdc-objective"
            )
            sdg = gr.Dropdown(sdg_choices(corpus), value="", label="SDG", elem_id="gdc-sdg")
            action_line = gr.Dropdown(
                action_line_choices(corpus),
                value="",
                label="WSIS Action Line",
                elem_id="gdc-action-line",
            )
            include_all = gr.Checkbox(
                value=True,
                label="Include “All SDGs” / “All WSIS Action Lines” mappings",
                elem_id="gdc-include-all",
            )
            k = gr.Slider(1, 30, value=10, step=1, label="Number of results", elem_id="gdc-k")
            gr.Markdown("### Export the current results")
            with gr.Row():
                csv_file = gr.DownloadButton(
                    "CSV", value=None, size="sm", min_width=80, elem_id="gdc-csv"
                )
                json_file = gr.DownloadButton(
                    "JSON", value=None, size="sm", min_width=80, elem_id="gdc-json"
                )
            clear = gr.Button("New conversation", size="sm", variant="secondary")
            with gr.Accordion("Results as JSON", open=False):
                hits_json = gr.JSON(label="Current results", elem_id="gdc-hits-json")

    inputs = [message, chatbot, state, objective, sdg, action_line, include_all, k]
    outputs = [chatbot, state, message, hits_json, csv_file, json_file]

    def turn(message, history, state, objective, sdg, action_line, include_all, k):
        return chat_turn(
            get_index, message, history, state, objective, sdg, action_line, include_all, k
        )

    message.submit(turn, inputs, outputs, api_name="chat")
    send.click(turn, inputs, outputs, api_visibility="private")
    examples.load_input_event.then(turn, inputs, outputs, api_visibility="private")
    clear.click(
        clear_chat,
        None,
        [chatbot, state, hits_json, csv_file, json_file],
        api_visibility="private",
    )

    def ask_api(
        question: str,
        objective: str = "",
        sdg: str = "",
        action_line: str = "",
        include_all: bool = True,
        k: int = 10,
    ) -> tuple[str, list]:
        """Ask one question (no conversation): the answer as markdown and the hits as records."""
        try:
            index = get_index()
            filters = ui_filters(objective, sdg, action_line, include_all)
            response = ask(index, question, k=_results(k), filters=filters)
        except GdcAssistantError as exc:
            raise gr.Error(_sentence(str(exc))) from exc
        answer = compose_answer(response, index.corpus)
        return answer_markdown(answer), hits_to_records(tuple(response.hits), index.corpus)

    gr.api(ask_api, api_name="ask")


__all__ = ["build_chat_tab", "chat_turn", "ui_filters", "EXAMPLES"]
