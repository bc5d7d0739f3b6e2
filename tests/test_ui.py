"""The Gradio app, driven as users drive it: through gradio_client and a real headless Chromium.

The app is launched in-process on a free port over the session's real index (conftest: app_url).
Screenshots go to $GDC_ASSISTANT_SCREENSHOTS when set (e.g. `docs`), else to a temporary folder.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from conftest import free_port

from gdc_assistant.corpus import Filters, load_corpus
from gdc_assistant.ui.chat import chat_turn, export_name, panel_filters, set_aside_note

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
    # downloads say what they hold: the question's words and the date
    today = date.today().isoformat()
    assert Path(csv_path).name == f"gdc-data-privacy-{today}.csv"
    assert Path(json_path).name == f"gdc-data-privacy-{today}.json"

    history, _, hits, _, _ = _chat(client, "only those under SDG 16", history)
    refined = [h["id"] for h in hits]
    corpus = load_corpus()
    shown_16 = [i for i in first_ids if corpus.get(i).has_sdg(16)]
    assert refined == shown_16 and len(refined) < len(first_ids)  # nothing never shown is added
    assert f"{len(refined)} of the 10 results shown for" in _last_text(history)
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


def test_panel_filters_read_the_dropdowns_through_the_shared_parser():
    f = panel_filters("follow-up", "5", "c7 e-health", False)
    assert f == Filters(
        sdgs=(5,), action_lines=("C7 E-health",), objectives=("follow-up",), include_all=False
    )
    assert panel_filters("3", "", "", True) == Filters(objectives=(3,))
    assert panel_filters("", "", "", True) is None


def test_set_aside_note_names_the_sidebar_filter_the_question_replaced():
    note = set_aside_note(Filters(sdgs=(5,)), Filters(sdgs=(9,)))
    assert note == (
        "The question names its own scope, so the sidebar filter SDG 5 was set aside for this "
        "answer."
    )
    assert set_aside_note(Filters(sdgs=(5,)), Filters(sdgs=(5,), objectives=(3,))) is None
    assert set_aside_note(None, Filters(sdgs=(9,))) is None


def test_export_names_say_what_the_file_holds():
    day = date(2026, 11, 29)
    assert export_name(PRIVACY, today=day) == "gdc-data-privacy-2026-11-29"
    assert (
        export_name("How many commitments map to SDG 5?", today=day) == "gdc-map-sdg-5-2026-11-29"
    )
    assert export_name("ما هي الالتزامات", today=day) == "gdc-results-2026-11-29"
    assert len(export_name("word " * 100, today=day)) <= 55


def test_api_filter_errors_reach_the_client(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="SDGs run from 1 to 17"):
        client.predict(PRIVACY, "", "18", "", True, 5, api_name="/ask")
    # through /chat the same one line is said in the conversation, which carries on
    history, *_ = _chat(client, PRIVACY, [], "", "18", "", True)
    assert "There is no SDG '18': SDGs run from 1 to 17." in _last_text(history)


def test_chat_says_when_the_question_sets_the_sidebar_filter_aside(client):
    history, _, hits, _, _ = _chat(
        client, "How many commitments map to SDG 9?", [], "", "5", "", True
    )
    answer = _last_text(history)
    assert "the sidebar filter SDG 5 was set aside" in answer
    assert hits and all(9 in h["sdgs"] or h["sdgs_all"] for h in hits)


def test_chat_shows_the_users_html_as_text(client):
    history, *_ = _chat(client, "<b>privacy</b> <img src=x>", [])
    mine = _last_text(history[:-1])
    assert "&lt;b&gt;privacy&lt;/b&gt; &lt;img src=x&gt;" in mine and "<b>" not in mine


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


def _assert_answer_start_in_view(page) -> None:
    """The last answer's summary and its first card are on screen, inside the chat panel."""
    page.wait_for_timeout(800)  # the answer renders, then SCROLL_TO_ANSWER runs
    rects = page.evaluate(
        """sel => {
            const bots = document.querySelectorAll(sel);
            const bot = bots[bots.length - 1];
            const log = document.querySelector("#gdc-chat [role=log]").getBoundingClientRect();
            const summary = (bot.querySelector("p") || bot).getBoundingClientRect();
            const card = bot.querySelector(".gdc-card, .gdc-exact, .gdc-notice");
            const first = card ? card.getBoundingClientRect() : summary;
            const icons = Array.from(document.querySelectorAll(
                "#gdc-chat button[aria-label='Clear'], "
                + "#gdc-chat button[aria-label='Copy conversation']"
            )).map(b => b.getBoundingClientRect());
            const box = r => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right});
            return {log: box(log), summary: box(summary), first: box(first),
                    icons: icons.map(box), height: window.innerHeight};
        }""",
        _BOT,
    )
    log, summary, first = rects["log"], rects["summary"], rects["first"]
    in_view = [("summary", summary)]
    # the first card too, whenever the text above it fits the panel (on a phone the summary of
    # a broad answer alone can be taller than the screen)
    if first["top"] - summary["top"] < log["bottom"] - log["top"] - 60:
        in_view.append(("first card", first))
    for name, r in in_view:
        assert log["top"] <= r["top"] < log["bottom"] - 20, (name, rects)
        assert 0 <= r["top"] < rects["height"] - 20, (name, rects)
    for icon in rects["icons"]:  # the chat's own icons do not cover the summary
        overlap = not (
            icon["bottom"] <= summary["top"]
            or icon["top"] >= summary["bottom"]
            or icon["right"] <= summary["left"]
            or icon["left"] >= summary["right"]
        )
        assert not overlap, rects


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
    _assert_answer_start_in_view(page)
    page.screenshot(path=str(shots / "screenshot-chat.png"), full_page=False)

    text = _ask(page, "only those under SDG 16", expect="are under SDG 16")
    assert "refined: under SDG 16" in text and "of the 10 results shown for" in text
    # the downloads hold the current results and say so in their name
    with page.expect_download() as download:
        page.locator("#gdc-csv").click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"gdc-data-privacy-\d{4}-\d{2}-\d{2}\.csv", name), name


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


# --------------------------------------------------------------------------- desktop and phone

SCREENS = {"desktop": (1400, 1000), "phone": (390, 844)}


@pytest.fixture(params=list(SCREENS))
def screen(request, chromium, app_url):
    width, height = SCREENS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(app_url, wait_until="domcontentloaded")
    page.wait_for_selector("#gdc-message textarea", timeout=60_000)
    page.wait_for_timeout(800)  # let the load event (focus on wide screens) run
    page.screen_name = request.param
    yield page
    context.close()


def _open_tab(page, label: str) -> None:
    """Click a tab; on a phone the tabs that do not fit sit behind the "More tabs" button."""
    tab = page.get_by_role("tab", name=label, exact=True)
    if tab.count() and tab.is_visible():
        tab.click()
    else:
        page.locator("button[aria-label='More tabs']").click()
        page.locator(".overflow-dropdown button", has_text=label).click()
    page.wait_for_timeout(1200)


# How many lines an element's text is laid out on.
_LINES_OF_TEXT = """e => { const r = document.createRange(); r.selectNodeContents(e);
    return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; }"""


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _shot(page, tmp_path, name: str) -> None:
    # the desktop tabs are photographed by test_browser_every_tab_renders_and_matrix_heatmap_shows
    if page.screen_name == "phone":
        page.screenshot(path=str(_screenshots(tmp_path) / f"screenshot-mobile-{name}.png"))
    elif name == "first":
        page.screenshot(path=str(_screenshots(tmp_path) / "screenshot-first.png"))


def test_screen_first_view_shows_header_tabs_and_no_jump(screen, tmp_path):
    width = SCREENS[screen.screen_name][0]
    assert screen.evaluate("window.scrollY") == 0  # no autofocus scroll on a phone
    header = screen.locator("#gdc-header").bounding_box()
    tabs = screen.get_by_role("tab", name="Chat", exact=True).bounding_box()
    assert header["y"] >= 0 and tabs["y"] + tabs["height"] <= SCREENS[screen.screen_name][1]
    assert _page_width(screen) <= width
    hint = screen.locator(".gdc-hint").last.inner_text()
    assert "up to 2,000 characters" in hint
    assert (
        "unless a question names its own SDG"
        in screen.locator(".gdc-filters-hint").last.inner_text()
    )
    _shot(screen, tmp_path, "first")


def test_screen_answer_starts_in_view_and_refines_honestly(screen, tmp_path):
    _ask(screen, PRIVACY, expect="O4-DATA-PRIV-01")
    _assert_answer_start_in_view(screen)
    _shot(screen, tmp_path, "answer")
    text = _ask(screen, "only those under SDG 16", expect="are under SDG 16")
    assert re.search(r"\d of the 10 results shown for", text)
    _assert_answer_start_in_view(screen)
    assert _page_width(screen) <= SCREENS[screen.screen_name][0]


def test_screen_warning_comes_before_the_headline(screen):
    _ask(screen, "What is the capital of France?", expect="may not cover this")
    bot = screen.locator(_BOT).last
    notice = bot.locator(".gdc-notice").bounding_box()
    headline = bot.locator("strong").first.bounding_box()
    assert notice["y"] < headline["y"]
    _assert_answer_start_in_view(screen)


def test_screen_long_question_is_not_cut_and_says_the_limit(screen):
    question = "privacy " * 375  # 3,000 characters
    _ask(screen, question, expect="the limit is 2,000")
    assert "The question is 2,99" in screen.locator(_BOT).last.inner_text()  # all of it arrived


def test_screen_user_html_is_shown_as_text(screen):
    requests = []
    screen.on("request", lambda r: requests.append(r.url) if "/nothing-here" in r.url else None)
    _ask(screen, "<b>privacy</b> <img src=/nothing-here>", expect="O4-DATA-PRIV")
    mine = screen.locator("#gdc-chat [data-testid='user']").last
    assert "<b>privacy</b>" in mine.inner_text()
    assert mine.locator("b, img").count() == 0 and not requests


def test_screen_unchecked_box_is_visible(screen):
    box = screen.locator("#gdc-include-all input[type=checkbox]")
    box.uncheck()
    border = box.evaluate(
        "e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.borderTopColor]; }"
    )
    assert float(border[0].removesuffix("px")) >= 2 and border[1] in ("rgb(100, 116, 139)",)
    box.check()


def test_screen_browse_keeps_ids_on_one_line(screen, tmp_path):
    _open_tab(screen, "Browse")
    cell = screen.locator('#browse-table [data-testid="cell-0-0"] span').first
    cell.wait_for(timeout=20_000)
    assert cell.inner_text() == "O1-CONN-01"
    lines = cell.evaluate(_LINES_OF_TEXT)
    assert lines == 1
    assert _page_width(screen) <= SCREENS[screen.screen_name][0]
    _shot(screen, tmp_path, "browse")


def test_screen_matrix_does_not_widen_the_page(screen, tmp_path):
    _open_tab(screen, "Matrix")
    screen.locator("#matrix-heatmap").wait_for(state="visible", timeout=20_000)
    assert _page_width(screen) <= SCREENS[screen.screen_name][0]
    _shot(screen, tmp_path, "matrix")


def test_screen_about_numbers_and_headers_read_right(screen):
    _open_tab(screen, "About")
    about = screen.locator("#about")
    for n in range(1, 18):
        assert about.get_by_text(f"SDG {n}", exact=True).count() >= 1, n
    header = about.locator("th", has_text="commitments").first
    lines = header.evaluate(_LINES_OF_TEXT)
    assert lines == 1  # not "commitmen / ts"
    assert _page_width(screen) <= SCREENS[screen.screen_name][0]


def test_screen_proposal_upload_label_fits(screen, tmp_path):
    _open_tab(screen, "Map a proposal")
    label = screen.get_by_text("Or upload a file instead", exact=True).first
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    screen.get_by_label("Proposal text").fill(PROPOSAL)
    screen.locator("#proposal-map").click()
    screen.locator("#proposal-commitments").get_by_text("O4-DATA-PRIV").first.wait_for(
        timeout=60_000
    )
    screen.wait_for_timeout(2000)  # the charts arrive a moment after the cards
    assert _page_width(screen) <= SCREENS[screen.screen_name][0]
    _shot(screen, tmp_path, "proposal")


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


def test_old_exports_are_cleaned(tmp_path):
    import time

    from gdc_assistant.ui.chat import prune_exports

    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        (folder / "gdc-data-privacy-2026-11-29.csv").write_text("id\n", encoding="utf-8")
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    assert prune_exports(tmp_path, max_age_s=3600) == 1
    assert not old.exists() and (new / "gdc-data-privacy-2026-11-29.csv").exists()
