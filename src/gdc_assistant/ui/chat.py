"""The Chat tab: a multi-turn chat over the matrix, filters beside it, results to download.

Handlers are thin: a turn is Conversation.send() + compose_answer() + answer_markdown(); every
expected failure becomes a chat message that says what to do, and the conversation carries on.
"""

# No `from __future__ import annotations` here: gr.api() reads the real type hints of ask_api.
import hashlib
import html
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import gradio as gr

from ..answer.compose import compose_answer
from ..answer.render import answer_markdown, hits_to_csv, hits_to_json, hits_to_records
from ..ask import ask
from ..config import MAX_QUESTION_CHARS
from ..conversation import Conversation, ConversationState
from ..corpus import Corpus, Filters
from ..errors import GdcAssistantError
from ..scope import parse_filters
from .choices import ANY, action_line_choices, objective_choices, sdg_choices

EXAMPLES = [
    "Which commitments relate to data privacy?",
    "How many commitments map to SDG 5?",
    "List the commitments under C10",
    "What does the Compact say about artificial intelligence governance?",
    "Commitments on digital skills for women and girls",
    "¿Qué compromisos tratan de la conectividad?",
]
FILTERS_HINT = (
    "Applied to every question in this chat, unless a question names its own SDG, Action Line "
    "or objective: the answer then says which filter it set aside."
)
LENGTH_HINT = (
    f"Questions up to {MAX_QUESTION_CHARS:,} characters; map longer text in the Map a proposal tab."
)
# After an answer, show its first lines (the summary and the best match), not its last card; on a
# phone the page scrolls too, so the answer's top is what the reader sees.
SCROLL_TO_ANSWER = """() => {
  const show = () => {
    const log = document.querySelector('#gdc-chat [role="log"]');
    const bots = document.querySelectorAll('#gdc-chat [data-testid="bot"]');
    if (!log || !bots.length) return;
    const bot = bots[bots.length - 1];
    log.scrollTop += bot.getBoundingClientRect().top - log.getBoundingClientRect().top - 30;
    if (window.innerWidth < 700) {  // a phone: the chat panel fills the screen
      window.scrollBy(0, log.getBoundingClientRect().top - 4);
    } else {
      const top = bot.getBoundingClientRect().top;
      if (top < 0 || top > window.innerHeight * 0.5) window.scrollBy(0, top - 8);
    }
  };
  requestAnimationFrame(show);
  setTimeout(show, 150);
}"""
FOLLOW_UP_HINT = (
    "Follow up with “only those under SDG 5”, “which of these are about AI?”, "
    "“show more” or “what about C10 instead?”."
)
log = logging.getLogger("gdc_assistant.ui")
_EXPORT_DIR = Path(tempfile.gettempdir()) / "gdc-assistant-exports"
EXPORT_MAX_AGE_S = 3600  # downloads are kept an hour, then the folder is cleaned
MAX_RESULTS = 85  # every commitment
_ECHO_CHARS = 300  # how much of an over-long message is echoed back in the chat
_NAME_STOPWORDS = {
    "which",
    "what",
    "the",
    "a",
    "an",
    "of",
    "to",
    "on",
    "commitments",
    "relate",
    "are",
    "is",
    "do",
    "does",
    "how",
    "many",
    "list",
    "about",
    "say",
    "that",
}


def panel_filters(objective: str, sdg: str, action_line: str, include_all: bool) -> Filters | None:
    """The filter panel's values as Filters ("" means any), through the one shared parser;
    unknown values raise InvalidFilterError (API callers can send anything)."""
    return parse_filters(
        sdgs=(sdg,),
        action_lines=(action_line,),
        objectives=(objective,),
        explicit_only=not include_all,
    )


def set_aside_note(panel: Filters | None, used: Filters | None) -> str | None:
    """Say which sidebar filters the question overrode ("How many map to SDG 9?" with SDG 5 set)."""
    if panel is None or used is None:
        return None
    dropped = []
    for name, label in (
        ("sdgs", "SDG"),
        ("action_lines", "Action Line"),
        ("objectives", "objective"),
    ):
        mine, theirs = getattr(panel, name), getattr(used, name)
        if mine and set(mine) != set(theirs):
            dropped += [_filter_label(label, value) for value in mine]
    if not dropped:
        return None
    return (
        f"The question names its own scope, so the sidebar filter {', '.join(dropped)} was set "
        "aside for this answer."
    )


def _filter_label(kind: str, value) -> str:
    if value == "follow-up":
        return "Follow-up and review"
    return f"{kind} {value}" if kind != "objective" else f"Objective {value}"


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
        # the user's words are shown as typed: no HTML of theirs reaches the page
        history.append({"role": "user", "content": html.escape(shown, quote=False)})
    try:
        index = get_index()
        panel = panel_filters(objective, sdg, action_line, include_all)
        conversation = Conversation(index, k=_results(k), filters=panel, state=state)
        response = conversation.send(message)
        context = conversation.note
        if context is None:  # a new search: say if the question overrode the sidebar
            context = set_aside_note(panel, response.filters)
        answer = compose_answer(response, index.corpus, context=context)
    except GdcAssistantError as exc:
        history.append({"role": "assistant", "content": f"⚠️ {_sentence(str(exc))}"})
        return history, state, "", gr.skip(), gr.skip(), gr.skip()
    history.append({"role": "assistant", "content": answer_markdown(answer)})
    hits = tuple(response.hits)
    records = hits_to_records(hits, index.corpus)
    name = export_name(conversation.state.question or message)
    csv_path = _export(hits_to_csv(hits, index.corpus), name, "csv")
    json_path = _export(hits_to_json(hits, index.corpus), name, "json")
    return history, conversation.state, "", records, csv_path, json_path


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def export_name(question: str, *, today: date | None = None) -> str:
    """A download's name says what it holds: 'gdc-data-privacy-2026-11-29' (ASCII, ≤ 60 chars)."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    words = [w for w in words if w not in _NAME_STOPWORDS] or ["results"]
    slug = "-".join(words)[:40].rstrip("-")
    return f"gdc-{slug}-{(today or date.today()).isoformat()}"


def prune_exports(folder: Path, *, max_age_s: float, now: float | None = None) -> int:
    """Delete export folders older than max_age_s (Gradio has its own copy by then); returns
    how many were deleted."""
    now = time.time() if now is None else now
    deleted = 0
    for sub in folder.glob("*"):
        try:
            if sub.is_dir() and now - sub.stat().st_mtime > max_age_s:
                shutil.rmtree(sub, ignore_errors=True)
                deleted += 1
        except OSError:  # removed by a concurrent prune
            continue
    return deleted


_last_prune = [0.0]


def _export(content: str, name: str, suffix: str) -> str:
    # A folder per content digest keeps the readable name unique: the same results give the
    # same file, and two users' different results never overwrite each other.
    if time.monotonic() - _last_prune[0] > 60:  # at most once a minute
        _last_prune[0] = time.monotonic()
        prune_exports(_EXPORT_DIR, max_age_s=EXPORT_MAX_AGE_S)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    folder = _EXPORT_DIR / digest
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{suffix}"
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
        with gr.Column(scale=3, min_width=320):
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
                autoscroll=False,  # SCROLL_TO_ANSWER shows the summary, not the last card
            )
            with gr.Row():
                # No max_length: a box that cuts silently loses text; an over-long question gets
                # a message that gives the limit instead.
                message = gr.Textbox(
                    placeholder="e.g. Which commitments relate to data privacy?",
                    show_label=False,
                    lines=1,
                    max_lines=4,
                    scale=5,
                    elem_id="gdc-message",
                )
                send = gr.Button("Ask", variant="primary", scale=1, elem_id="gdc-send")
            examples = gr.Examples(
                EXAMPLES, inputs=[message], label="Try one of these", api_visibility="private"
            )
            gr.Markdown(f"{FOLLOW_UP_HINT} {LENGTH_HINT}", elem_classes=["gdc-hint"])
        with gr.Column(scale=1, min_width=260, elem_classes=["gdc-side"]):
            gr.Markdown(f"### Filters\n{FILTERS_HINT}", elem_classes=["gdc-filters-hint"])
            # allow_custom_value: an API caller's unknown value reaches parse_filters, which says
            # in one line what exists, instead of a Gradio traceback in the server log
            objective = gr.Dropdown(
                objective_choices(corpus),
                value=ANY,
                label="Objective",
                elem_id="gdc-objective",
                allow_custom_value=True,
            )
            sdg = gr.Dropdown(
                sdg_choices(corpus),
                value=ANY,
                label="SDG",
                elem_id="gdc-sdg",
                allow_custom_value=True,
            )
            action_line = gr.Dropdown(
                action_line_choices(corpus),
                value=ANY,
                label="WSIS Action Line",
                elem_id="gdc-action-line",
                allow_custom_value=True,
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

    private = dict(api_visibility="private")
    message.submit(turn, inputs, outputs, api_name="chat").then(
        None, js=SCROLL_TO_ANSWER, **private
    )
    send.click(turn, inputs, outputs, **private).then(None, js=SCROLL_TO_ANSWER, **private)
    examples.load_input_event.then(turn, inputs, outputs, **private).then(
        None, js=SCROLL_TO_ANSWER, **private
    )
    clear.click(clear_chat, None, [chatbot, state, hits_json, csv_file, json_file], **private)

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
            filters = panel_filters(objective, sdg, action_line, include_all)
            response = ask(index, question, k=_results(k), filters=filters)
        except GdcAssistantError as exc:
            # the caller's mistake, not the server's: one log line, no traceback
            log.info("/ask refused: %s", exc)
            raise gr.Error(_sentence(str(exc)), print_exception=False) from exc
        answer = compose_answer(response, index.corpus)
        return answer_markdown(answer), hits_to_records(tuple(response.hits), index.corpus)

    gr.api(ask_api, api_name="ask")


__all__ = ["build_chat_tab", "chat_turn", "panel_filters", "EXAMPLES"]
