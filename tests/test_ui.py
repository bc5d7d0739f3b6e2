"""The Gradio app, driven as users drive it: through gradio_client and a real headless Chromium.

The app is launched in-process on a free port over the session's real index (conftest: app_url).
Screenshots go to $GDC_ASSISTANT_SCREENSHOTS when set (e.g. `docs`), else to a temporary folder.
"""

from __future__ import annotations

import csv
import os
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from conftest import free_port

from gdc_assistant.corpus import load_corpus
from gdc_assistant.ui.chat import chat_turn, ui_filters

pytestmark = pytest.mark.slow

PRIVACY = "Which commitments relate to data privacy?"
NO_FILTERS = ("", "", "", True)


@pytest.fixture(scope="module")
def client(app_url, tmp_path_factory):
    from gradio_client import Client

    downloads = tmp_path_factory.mktemp("downloads")
    c = Client(app_url, verbose=False, analytics_enabled=False, download_files=downloads)
    yield c
    c.close()


def _chat(client, message, history, *filters, k=10):
    filters = filters or NO_FILTERS
    return client.predict(message, history, *filters, k, api_name="/chat")


def _last_text(history) -> str:
    content = history[-1]["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return content


# --------------------------------------------------------------------------- gradio_client


def test_ask_endpoint_returns_markdown_and_hits(client):
    markdown, hits = client.predict(PRIVACY, api_name="/ask")
    ids = [h["id"] for h in hits]
    assert "O4-DATA-PRIV-01" in ids and len(hits) == 10
    assert "O4-DATA-PRIV-01" in markdown
    assert "Ethical dimensions of the Information Society" in markdown
    first = next(h for h in hits if h["id"] == "O4-DATA-PRIV-01")
    assert first["sdgs_all"] is True and first["sdg_names"] == ["All SDGs"]


def test_ask_endpoint_applies_filters(client):
    _, hits = client.predict(PRIVACY, "4", "16", "", False, 5, api_name="/ask")
    assert hits and len(hits) <= 5
    for h in hits:
        assert h["objective"] == 4 and 16 in h["sdgs"] and not h["sdgs_all"]


def test_ask_endpoint_reports_bad_questions(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="question is empty"):
        client.predict("   ", api_name="/ask")


def test_chat_follow_up_and_exports(client):
    history, _, hits, csv_path, json_path = _chat(client, PRIVACY, [])
    first_ids = [h["id"] for h in hits]
    assert "O4-DATA-PRIV-01" in first_ids
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "O4-DATA-PRIV-01" in _last_text(history)

    rows = list(csv.DictReader(Path(csv_path).open(encoding="utf-8")))
    assert [r["id"] for r in rows] == first_ids
    assert Path(json_path).read_text(encoding="utf-8").lstrip().startswith("[")

    history, _, hits, _, _ = _chat(client, "only those under SDG 16", history)
    refined = [h["id"] for h in hits]
    corpus = load_corpus()
    assert refined and all(corpus.get(i).has_sdg(16) for i in refined)
    assert {i for i in first_ids if corpus.get(i).has_sdg(16)} <= set(refined)
    assert "are under SDG 16" in _last_text(history)
    assert len(history) == 4


@pytest.mark.parametrize(
    ("message", "filters", "expected"),
    [
        ("", NO_FILTERS, "The question is empty"),
        ("x" * 100_000, NO_FILTERS, "the limit is 2,000"),
        ("🙂🙂🙂", NO_FILTERS, "no letters or digits"),
        (PRIVACY, ("follow-up", "5", "", False), "remove one of them"),
    ],
    ids=["empty", "100KB", "emoji-only", "filters-exclude-everything"],
)
def test_chat_bad_input_gets_a_helpful_message(client, message, filters, expected):
    history, *_ = _chat(client, message, [], *filters)
    assert history[-1]["role"] == "assistant"
    assert expected in _last_text(history)
    if len(message) > 1000:
        assert len(_last_text(history[:-1])) < 400  # the echo of a huge message is cut short
    # the app keeps working afterwards
    history, *_ = _chat(client, PRIVACY, history)
    assert "O4-DATA-PRIV-01" in _last_text(history)


def test_chat_handles_emoji_and_right_to_left_text(client):
    question = "🔒 ما هي الالتزامات المتعلقة بخصوصية البيانات؟"
    history, _, hits, _, _ = _chat(client, question, [])
    assert question in _last_text(history[:-1])
    assert hits  # an answer with cards (weak ones are flagged), not an error
    assert "O4-DATA-PRIV" in _last_text(history) or "strong match" in _last_text(history)


def test_files_outside_the_app_are_not_served(app_url):
    from gdc_assistant.corpus import COMMITMENTS_PATH

    for path in (COMMITMENTS_PATH, Path("/etc/passwd"), Path(__file__)):
        response = httpx.get(f"{app_url}gradio_api/file={path}", timeout=10)
        assert response.status_code in (403, 404), path


def test_login_is_required_when_auth_is_set(index_settings, real_index):
    from gradio_client import Client

    from gdc_assistant.ui.app import build_app, launch_app

    settings = replace(index_settings, port=free_port(), auth=("reader", "s3cret"))
    app = build_app(settings, index=real_index)
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        assert httpx.get(f"{url}config", timeout=10).status_code == 401
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a bare ValueError
            Client(url, verbose=False, analytics_enabled=False)
        c = Client(url, auth=("reader", "s3cret"), verbose=False, analytics_enabled=False)
        _, hits = c.predict(PRIVACY, api_name="/ask")
        c.close()
        assert hits
    finally:
        app.close()


def test_chat_turn_keeps_state_on_error(real_index):
    from gdc_assistant.conversation import ConversationState

    state = ConversationState()
    history, state, *_ = chat_turn(lambda: real_index, PRIVACY, [], state, *NO_FILTERS, 5)
    before = state
    history, after, *_ = chat_turn(lambda: real_index, "", history, state, *NO_FILTERS, 5)
    assert after is before and len(history) == 3


def test_ui_filters_read_the_dropdowns():
    f = ui_filters("follow-up", "5", "c7 e-health", False)
    assert f.objectives == ("follow-up",) and f.sdgs == (5,)
    assert f.action_lines == ("C7 E-health",) and f.include_all is False
    assert ui_filters("3", "", "", True).objectives == (3,)
    assert ui_filters("", "", "", True).is_empty


@pytest.mark.parametrize(
    ("objective", "sdg", "action_line", "message"),
    [
        ("7", "", "", "there is no objective '7'"),
        ("", "18", "", "there is no SDG '18'"),
        ("", "", "C12", "there is no WSIS Action Line C12"),
    ],
)
def test_ui_filters_reject_values_that_do_not_exist(objective, sdg, action_line, message):
    from gdc_assistant.errors import InvalidFilterError

    with pytest.raises(InvalidFilterError, match=message):
        ui_filters(objective, sdg, action_line, True)


def test_api_filter_errors_reach_the_client(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="SDGs run from 1 to 17"):
        client.predict(PRIVACY, "", "18", "", True, 5, api_name="/ask")
    # the chat's dropdowns accept only their own choices; Gradio says so before the handler runs
    with pytest.raises(AppError, match="not in the list of choices"):
        _chat(client, PRIVACY, [], "", "18", "", True)


# --------------------------------------------------------------------------- real browser


def _screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("GDC_ASSISTANT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app_url, wait_until="domcontentloaded")  # Gradio keeps a stream open: no idle
    page.wait_for_selector("#gdc-message textarea", timeout=60_000)
    yield page
    context.close()


_BOT = "#gdc-chat [data-testid='bot']"


def _ask(page, text: str, *, expect: str, click: bool = False, timeout: float = 60_000) -> str:
    """Send a message, wait for the *new* answer to contain `expect`, return the chat's text."""
    before = page.locator(_BOT).count()
    box = page.locator("#gdc-message textarea")
    box.fill(text)
    if click:
        page.locator("#gdc-send").click()
    else:
        box.press("Enter")
    page.wait_for_function(
        """([sel, n, want]) => {
            const bots = document.querySelectorAll(sel);
            return bots.length > n && bots[bots.length - 1].innerText.includes(want);
        }""",
        arg=[_BOT, before, expect],
        timeout=timeout,
    )
    return page.locator("#gdc-chat").inner_text()


def _show_start_of_last_answer(page) -> None:
    # The chat follows the bottom of a long answer; scroll up the way a reader would (a wheel
    # event, which also stops the autoscroll) so the screenshot shows the answer's summary.
    page.wait_for_timeout(1000)  # let the answer finish rendering (and autoscrolling)
    delta = page.evaluate(
        """sel => {
            const bots = document.querySelectorAll(sel);
            const log = document.querySelector("#gdc-chat [role=log]");
            return bots[bots.length - 1].getBoundingClientRect().top
                - log.getBoundingClientRect().top;
        }""",
        _BOT,
    )
    box = page.locator("#gdc-chat [role=log]").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, delta - 8)
    page.wait_for_timeout(500)


def test_browser_chat_shows_cards_and_follows_up(page, tmp_path):
    shots = _screenshots(tmp_path)
    text = _ask(page, PRIVACY, expect="O4-DATA-PRIV-01")
    card = page.locator("#gdc-chat .gdc-card", has_text="O4-DATA-PRIV-01").first
    assert card.is_visible()
    card_text = card.inner_text()
    assert "All SDGs" in card_text  # the source says "All SDGs": one badge, not 17 chips
    assert "C10 · Ethical dimensions of the Information Society" in card_text
    assert "SDG 16 · Peace, Justice and Strong Institutions" in text  # O4-DATA-PRIV-03
    badge = page.locator("#gdc-chat .gdc-badge.gdc-all").first
    assert badge.evaluate("e => getComputedStyle(e).borderRadius") != "0px"  # styled by our CSS
    _show_start_of_last_answer(page)
    page.screenshot(path=str(shots / "screenshot-chat.png"), full_page=False)

    text = _ask(page, "only those under SDG 16", expect="are under SDG 16")
    assert "refined: under SDG 16" in text
    # the downloads now hold the current results
    with page.expect_download() as download:
        page.locator("#gdc-csv").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_browser_bad_input_keeps_the_app_working(page):
    _ask(page, "", expect="The question is empty", click=True)
    _ask(page, "🙂🙂🙂", expect="no letters or digits")
    _ask(page, "Internet shutdowns", expect="O3-IG-04")


def test_browser_arabic_question_reads_right_to_left(page):
    question = "ما هي الالتزامات المتعلقة بحماية البيانات؟"
    _ask(page, question, expect="O4-DATA-PRIV")
    mine = page.locator("#gdc-chat [data-testid='user'] p", has_text=question).last
    # the paragraph's direction comes from its (Arabic) text: the closing question mark is drawn
    # to the left of the first word, as an Arabic reader expects
    assert mine.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    first, last = mine.evaluate(
        """e => { const t = e.firstChild;
                  const at = i => { const r = document.createRange(); r.setStart(t, i);
                                    r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
                  return [at(0), at(t.length - 1)]; }"""
    )
    assert last < first


def test_browser_example_click_asks_it(page):
    before = page.locator(_BOT).count()
    page.get_by_text("How many commitments map to SDG 5?", exact=True).click()
    exact = page.locator("#gdc-chat .gdc-exact").last
    exact.wait_for(state="visible", timeout=60_000)
    assert exact.inner_text().startswith("SDG 5")
    assert page.locator(_BOT).count() == before + 1


PROPOSAL = (
    "We will build a national data protection authority, train civil servants in privacy by "
    "design, and give citizens tools to consent to and withdraw consent from the use of their "
    "personal data, with safeguards for cross-border data transfers."
)
TABS = [
    ("Chat", "chat"),
    ("Map a proposal", "proposal"),
    ("Browse", "browse"),
    ("Matrix", "matrix"),
    ("Evaluate", "evaluate"),
    ("About", "about"),
]


def test_browser_every_tab_renders_and_matrix_heatmap_shows(page, tmp_path):
    shots = _screenshots(tmp_path)
    for label, name in TABS:
        page.get_by_role("tab", name=label, exact=True).click()
        page.wait_for_timeout(600)
        if name == "matrix":
            heatmap = page.locator("#matrix-heatmap")
            heatmap.wait_for(state="visible", timeout=20_000)
            shown = heatmap.inner_text()
            assert all(f"SDG {n}" in shown for n in range(1, 18))
            assert all(f"C{n} " in shown for n in range(1, 12))
            counts = [line for line in shown.splitlines() if line.strip().isdigit()]
            assert len(counts) >= 17 * 5  # the cells hold counts, not just headers
        if name == "proposal":  # a filled-in tab shows more than an empty form
            page.get_by_label("Proposal text").fill(PROPOSAL)
            page.locator("#proposal-map").click()
            page.locator("#proposal-commitments").get_by_text("O4-DATA-PRIV").first.wait_for(
                timeout=60_000
            )
            page.wait_for_timeout(2000)  # the charts arrive a moment after the cards
        if name != "chat":
            page.screenshot(path=str(shots / f"screenshot-{name}.png"), full_page=False)
    about = page.get_by_role("tab", name="About", exact=True)
    assert about.get_attribute("aria-selected") == "true"


def test_busy_port_gives_a_clear_error_before_loading_anything(index_settings):
    import socket
    from dataclasses import replace

    from gdc_assistant.errors import GdcAssistantError
    from gdc_assistant.ui.app import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = replace(index_settings, port=taken.getsockname()[1])
        with pytest.raises(GdcAssistantError, match="GDC_ASSISTANT_PORT"):
            serve(settings)
