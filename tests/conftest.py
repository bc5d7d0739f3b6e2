"""Shared fixtures: the real corpus, a real index built once per session, a real Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from gdc_assistant.config import Settings  # noqa: E402
from gdc_assistant.corpus import load_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> Settings:
    """Settings for a session-wide embedded index in a temporary folder (never the repo's)."""
    return Settings(index_path=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def real_index(index_settings, corpus):
    """The real bundled model and a real embedded Chroma index, built once per session."""
    from gdc_assistant.index.build import build_index

    return build_index(corpus, settings=index_settings)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free port; yields its URL."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "wb")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data / "db"), "--port", str(port), "--host", "127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited: {(data / 'server.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("chroma run did not start listening within 60 s")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# --------------------------------------------------------------------------- app and browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def app_url(index_settings, real_index):
    """The whole Gradio app, launched in-process on a free port over the session's real index."""
    from dataclasses import replace

    from gdc_assistant.ui.app import build_app, launch_app

    settings = replace(index_settings, host="127.0.0.1", port=free_port())
    app = build_app(settings, index=real_index)
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{settings.port}/"
    app.close()


@pytest.fixture(scope="session")
def chromium():
    """Headless /usr/bin/chromium driven by playwright (never `playwright install`).

    Skips when the browser is missing, unless GDC_ASSISTANT_REQUIRE_BROWSER=1 (CI), then fails.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
        if os.environ.get("GDC_ASSISTANT_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (GDC_ASSISTANT_REQUIRE_BROWSER=1 requires the browser tests)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
