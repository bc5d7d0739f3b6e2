"""build_app(): the whole Gradio app (Chat, Map a proposal, Browse, Matrix, Evaluate, About).

serve() is what `python app.py` and `gdc-assistant serve` run: open (or on the first run, build)
the index with a progress bar, then launch on Settings.host:port with the queue limits below.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable

import gradio as gr
from fastapi import HTTPException, Request  # module level: FastAPI reads authorise's hints

from ..config import Settings
from ..corpus import load_corpus
from ..errors import GdcAssistantError
from .chat import build_chat_tab
from .guard import (
    MAX_UPLOAD,
    WORK_SLOTS,
    LoginThrottle,
    LoginThrottleMiddleware,
    UploadLimitMiddleware,
    WorkGate,
    basic_credentials,
    check_exposure,
    client_address,
    credentials_match,
    gate_all_events,
)

# A burst of users queues instead of piling threads onto the CPU cores: one limit (guard.WorkGate)
# for every UI event and REST call together. Past MAX_QUEUE waiting events Gradio answers "queue is
# full" at once rather than letting everyone time out.
CONCURRENCY = WORK_SLOTS
MAX_QUEUE = 256
# the Gradio endpoints listed for API callers
PUBLIC_API = {"chat", "ask", "map_proposal", "map_portfolio"}
UPLOAD_CACHE = (600, 1800)  # every 10 min, delete uploads and exports older than 30 min
MAX_THREADS = 40

TITLE = "GDC Assistant"
SUBTITLE = (
    "Ask the UN Global Digital Compact in your own words. Answers quote its commitments and their "
    "SDG and WSIS Action Line mappings exactly as the GDC–WSIS–SDG matrix gives them."
)

CSS = """
.gradio-container { max-width: min(1320px, 100vw) !important; margin: 0 auto; }
#gdc-header { padding: 6px 4px 2px; }
#gdc-header h1 { margin: 0; font-size: 1.7rem; letter-spacing: -0.01em; }
#gdc-header h1 .gdc-mark { color: var(--color-accent); }
#gdc-header p { margin: 4px 0 0; color: var(--body-text-color-subdued); font-size: 0.98rem; }
.gdc-hint p { color: var(--body-text-color-subdued); font-size: 0.88rem; }
.gdc-card { border: 1px solid var(--border-color-primary); border-left: 4px solid #1f6fb2;
  border-radius: 10px; padding: 10px 12px; margin: 8px 0;
  background: var(--background-fill-primary); }
.gdc-card-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline;
  margin-bottom: 4px; }
.gdc-id { font-weight: 700; font-size: 0.85rem; letter-spacing: 0.02em; color: #1f6fb2; }
.gdc-where { font-size: 0.82rem; color: var(--body-text-color-subdued); }
.gdc-weak { font-size: 0.72rem; padding: 1px 6px; border-radius: 999px; background: #fff4e5;
  color: #8a4b00; border: 1px solid #f5c58a; }
.gdc-text { line-height: 1.45; margin: 2px 0 8px; }
.gdc-badges { display: flex; flex-wrap: wrap; gap: 4px; }
.gdc-badge { display: inline-block; font-size: 0.74rem; line-height: 1.3; padding: 2px 8px;
  border-radius: 999px; border: 1px solid transparent; }
.gdc-sdg { background: #e8f3ea; color: #1d5f2e; border-color: #b9dcc1; }
.gdc-al { background: #e9f0fb; color: #1c4a86; border-color: #bcd0ef; }
.gdc-all { background: #f3e8fb; color: #5b2a86; border-color: #d8bdf0; font-weight: 600; }
.gdc-none { background: #f4f4f5; color: #52525b; border-color: #d4d4d8; font-style: italic; }
.gdc-why { margin-top: 6px; font-size: 0.76rem; color: var(--body-text-color-subdued); }
.gdc-exact { font-size: 1.02rem; font-weight: 600; padding: 8px 12px; border-radius: 8px;
  background: #eef6ff; border: 1px solid #bcd6f5; margin-bottom: 4px; }
.gdc-notice { padding: 8px 12px; border-radius: 8px; background: #fff8eb; border: 1px solid #f3d19c;
  color: #6b4500; }
.gdc-side { gap: 10px; }
/* each paragraph takes its direction from its own text: Arabic questions read right to left */
#gdc-chat p, #gdc-chat .gdc-text { unicode-bidi: plaintext; text-align: start; }
/* the unchecked box needs an edge to be seen */
input[type="checkbox"]:not(:checked) { border: 2px solid #64748b !important; }
/* ids and codes never break inside a word; wide tables scroll in their own box on a phone */
#browse-table td:first-child, #browse-table th:first-child,
#matrix-table td:first-child, #matrix-table th:first-child { white-space: nowrap; }
#about th { word-break: normal; overflow-wrap: normal; hyphens: none; }
#matrix-heatmap, #matrix-table, #browse-table, #about { max-width: 100%; min-width: 0;
  overflow-x: auto; }
/* the chat's own icons (clear, copy all) sit in the top corner: the text starts below them */
#gdc-chat [role="log"] { padding-top: 28px; }
@media (max-width: 700px) {
  #gdc-chat { height: max(380px, calc(100vh - 190px)) !important; }
  #gdc-header p { font-size: 0.86rem; }
  #gdc-chat .message { font-size: 0.92rem; }
  #gdc-header h1 { font-size: 1.35rem; }
}
.dark .gdc-sdg, .dark .gdc-al, .dark .gdc-all, .dark .gdc-none, .dark .gdc-exact,
.dark .gdc-notice, .dark .gdc-weak { filter: invert(0.88) hue-rotate(180deg); }
"""

FOCUS_ON_WIDE_SCREENS = """() => {
  if (window.innerWidth >= 800) {
    document.querySelector('#gdc-message textarea')?.focus({ preventScroll: true });
  }
}"""

_SYSTEM_FONTS = ("ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif")
_MONO_FONTS = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace")


def theme() -> gr.themes.Base:
    """A calm blue theme with system fonts only (nothing fetched from the internet)."""
    return gr.themes.Soft(
        primary_hue="blue", neutral_hue="slate", font=_SYSTEM_FONTS, font_mono=_MONO_FONTS
    )


def build_app(settings: Settings, *, index=None) -> gr.Blocks:
    """The Gradio app; the index is opened (or built) on first use unless one is given."""
    corpus = index.corpus if index is not None else load_corpus(settings.corpus_path)
    get_index = _index_getter(settings, index)
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=UPLOAD_CACHE) as app:
        gr.HTML(
            f'<div id="gdc-header"><h1><span class="gdc-mark">◆</span> {TITLE}</h1>'
            f"<p>{SUBTITLE}</p></div>"
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                build_chat_tab(get_index, corpus)
            _other_tabs(get_index, corpus)
        # the phone keyboard must not open (and scroll the page) on load: focus on wide screens only
        app.load(None, js=FOCUS_ON_WIDE_SCREENS, api_visibility="private")
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=MAX_QUEUE)
    _keep_internal_events_private(app)
    gate = WorkGate(CONCURRENCY)
    gate_all_events(app, gate)
    throttle = LoginThrottle()
    app.gdc_gate, app.gdc_login_throttle = gate, throttle
    app.gdc_api = _rest_api(app, settings, get_index, corpus, gate, throttle)
    return app


def _keep_internal_events_private(app: gr.Blocks) -> None:
    # Browse filters, matrix clicks and the like are the page's plumbing, not an API.
    for block_fn in app.fns.values():
        if block_fn.api_name not in PUBLIC_API:
            block_fn.api_visibility = "private"


def _rest_api(app, settings: Settings, get_index, corpus, gate: WorkGate, throttle: LoginThrottle):
    from ..api import build_api

    authorise = None
    if settings.auth is not None:

        def authorise(request: Request) -> None:
            # the same login as the UI: HTTP Basic (curl -u user:password) or the UI's cookie
            address = client_address(request.scope)
            wait = throttle.wait_s(address)
            if wait:
                raise HTTPException(
                    429,
                    f"too many failed sign-ins from your address: wait {round(wait)} s.",
                    headers={"Retry-After": str(max(1, round(wait)))},
                )
            given = basic_credentials(request.headers.get("authorization"))
            if given is not None:
                if credentials_match(given, settings.auth):
                    return
                throttle.failed(address)
            elif _has_ui_session(app, request):
                return
            raise HTTPException(
                401,
                "sign in: send the app's user and password (curl -u user:password).",
                headers={"WWW-Authenticate": 'Basic realm="GDC Assistant"'},
            )

    return build_api(get_index, corpus, run=gate.run, authorise=authorise)


def _has_ui_session(app, request) -> bool:
    server = getattr(app, "server_app", None)
    if server is None:
        return False
    cookie = request.cookies.get(f"access-token-{server.cookie_id}") or request.cookies.get(
        f"access-token-unsecure-{server.cookie_id}"
    )
    return cookie is not None and cookie in server.tokens


def _other_tabs(get_index: Callable, corpus) -> None:
    from .about import build_about_tab
    from .browse import build_browse_tab
    from .evaluate import build_evaluate_tab
    from .matrix import build_matrix_tab
    from .portfolio import build_portfolio_tab
    from .proposal import build_proposal_tab

    with gr.Tab("Map a proposal", id="proposal"):
        build_proposal_tab(get_index)
    with gr.Tab("Portfolio", id="portfolio"):
        build_portfolio_tab(get_index, corpus)
    with gr.Tab("Browse", id="browse"):
        build_browse_tab(corpus)
    with gr.Tab("Matrix", id="matrix"):
        build_matrix_tab(corpus)
    with gr.Tab("Evaluate", id="evaluate"):
        build_evaluate_tab(get_index)
    with gr.Tab("About", id="about"):
        build_about_tab(corpus)


def _index_getter(settings: Settings, index=None) -> Callable:
    """A function returning the index, opened (or built) once, on first call, thread-safely."""
    lock = threading.Lock()
    holder = [index]

    def get_index():
        if holder[0] is None:
            with lock:
                if holder[0] is None:
                    from ..index.store import open_index

                    holder[0] = open_index(settings)
        return holder[0]

    return get_index


def launch_app(app: gr.Blocks, settings: Settings, *, prevent_thread_lock: bool = False, **kw):
    """Launch with the project's safety settings: local bind, optional login, no extra files,
    throttled sign-in, capped uploads, and the REST API at /api (docs at /api/docs)."""
    from starlette.middleware import Middleware
    from starlette.routing import Mount

    app_kwargs = {
        "routes": [Mount("/api", app=app.gdc_api)],
        "middleware": [
            Middleware(LoginThrottleMiddleware, throttle=app.gdc_login_throttle),
            Middleware(UploadLimitMiddleware),
        ],
    }
    options = dict(
        app_kwargs=app_kwargs,
        server_name=settings.host,
        server_port=settings.port,
        auth=settings.auth,
        auth_message="GDC Assistant: sign in with the user and password you were given."
        if settings.auth
        else None,
        max_threads=MAX_THREADS,
        allowed_paths=[],  # serve nothing from disk beyond Gradio's own cache
        blocked_paths=[str(settings.index_path), str(settings.corpus_path.parent)],
        show_error=False,
        max_file_size=MAX_UPLOAD,  # proposals are documents, not archives
        footer_links=["api"],
        run_history=False,
        enable_monitoring=False,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        share=False,
        theme=theme(),
        css=CSS,
        prevent_thread_lock=prevent_thread_lock,
    )
    options.update(kw)
    return app.launch(**options)


def serve(settings: Settings, *, index=None, prevent_thread_lock: bool = False):
    """Open or build the index (progress on stderr), warm the model, then launch the app."""
    _log_to_stderr()
    check_exposure(settings)  # no open server on the network by accident
    _check_port_free(settings)  # fail before minutes of index building, not after
    if index is None:
        from ..index.build import ensure_index

        print("GDC Assistant: opening the index (the first run builds it) …", file=sys.stderr)
        index = ensure_index(settings, progress=True)
    _warm_up(index)
    app = build_app(settings, index=index)
    launch_app(app, settings, prevent_thread_lock=prevent_thread_lock)
    return app


def _log_to_stderr() -> None:
    # Refused requests (a bad filter, a wrong file) are logged as one line each, never a traceback.
    logger = logging.getLogger("gdc_assistant")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _check_port_free(settings: Settings) -> None:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((settings.host, settings.port))
        except OSError as exc:
            raise GdcAssistantError(
                f"cannot listen on {settings.host}:{settings.port} ({exc.strerror}): another "
                "GDC Assistant may be running there. Stop it, or set GDC_ASSISTANT_PORT to a free "
                "port."
            ) from exc


def _warm_up(index) -> None:
    # Load the model and the BM25 index now, so the first visitor does not wait for them.
    from ..ask import ask

    ask(index, "connectivity", k=1)
