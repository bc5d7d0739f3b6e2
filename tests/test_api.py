"""The REST API (/api/v1) and the server guards, through a real HTTP client against a live app.

The JSON must equal what the CLI prints (`ask --json`, `search --queries`, `map-proposal --json`),
bad input gets a 4xx with a one-line "error", and the UI's login, sign-in throttle, upload cap and
global work limit hold for every endpoint.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import httpx
import pytest
from click.testing import CliRunner
from conftest import free_port

from gdc_assistant.cli.main import cli
from gdc_assistant.config import Settings
from gdc_assistant.errors import GdcAssistantError
from gdc_assistant.ui.guard import LOGIN_FAILURES, UPLOADS_PER_HOUR, check_exposure

PRIVACY = "Which commitments relate to data privacy?"
PROPOSAL = (
    "We will build a national data protection authority, train civil servants in privacy by "
    "design, and give citizens tools to consent to and withdraw consent from the use of their "
    "personal data, with safeguards for cross-border data transfers."
)
USER = ("reader", "s3cret")


# --------------------------------------------------------------------------- exposure (fast)


def test_open_bind_without_login_is_refused_unless_forced(capsys):
    with pytest.raises(GdcAssistantError, match="GDC_ASSISTANT_AUTH=user:password, or GDC_ASSI"):
        check_exposure(Settings(host="0.0.0.0"))
    assert check_exposure(Settings(host="0.0.0.0", auth=USER)) is None
    assert check_exposure(Settings(host="127.0.0.1")) is None
    assert check_exposure(Settings(host="localhost")) is None
    warning = check_exposure(Settings(host="0.0.0.0", allow_open=True))
    assert warning and "NO LOGIN" in warning and "NO LOGIN" in capsys.readouterr().err


def test_allow_open_is_read_from_the_environment():
    assert Settings.from_env({"GDC_ASSISTANT_ALLOW_OPEN": "1"}).allow_open is True
    assert Settings.from_env({}).allow_open is False


def test_serve_refuses_an_open_bind_before_loading_anything():
    from gdc_assistant.ui.app import serve

    with pytest.raises(GdcAssistantError, match="refusing to listen on 0.0.0.0 without a login"):
        serve(Settings(host="0.0.0.0", port=free_port()))


# --------------------------------------------------------------------------- the API (slow)


@pytest.fixture(scope="module")
def api(app_url):
    with httpx.Client(base_url=app_url.rstrip("/"), timeout=120) as client:
        yield client


@pytest.fixture
def runner(monkeypatch, index_settings):
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(index_settings.index_path))
    return CliRunner()


def _cli_json(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow
def test_ask_returns_what_ask_json_prints(api, runner):
    body = {"question": PRIVACY, "k": 5, "sdg": 16, "objective": "4", "explicit_only": True}
    response = api.post("/api/v1/ask", json=body)
    assert response.status_code == 200, response.text
    printed = _cli_json(
        runner,
        ["ask", PRIVACY, "-k", "5", "--sdg", "16", "--objective", "4", "--explicit-only", "--json"],
    )
    assert response.json() == json.loads(printed)
    ids = [r["id"] for r in response.json()["results"]]
    assert ids and all(i.startswith("O4-") for i in ids)


@pytest.mark.slow
def test_search_returns_the_lines_search_prints(api, runner, tmp_path):
    queries = [
        {"id": "q1", "question": "internet shutdowns"},
        {"id": 2, "question": "What is the capital of France?"},
        {"id": "q3", "question": "   "},
    ]
    response = api.post("/api/v1/search", json={"queries": queries, "k": 4})
    assert response.status_code == 200, response.text
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in queries) + "\n", encoding="utf-8")
    printed = _cli_json(runner, ["search", "--queries", str(path), "-k", "4"])
    assert response.json() == [json.loads(line) for line in printed.splitlines()]
    assert response.json()[0]["results"][0]["id"] == "O3-IG-04"
    assert "empty" in response.json()[2]["error"]


@pytest.mark.slow
def test_map_proposal_as_json_or_file_returns_what_the_cli_prints(api, runner, tmp_path):
    path = tmp_path / "proposal.txt"
    path.write_text(PROPOSAL, encoding="utf-8")
    printed = json.loads(_cli_json(runner, ["map-proposal", str(path), "-k", "5", "--json"]))
    as_json = api.post("/api/v1/map-proposal", json={"text": PROPOSAL, "k": 5})
    assert as_json.status_code == 200, as_json.text
    assert as_json.json() == printed
    with path.open("rb") as handle:
        as_file = api.post(
            "/api/v1/map-proposal", files={"file": ("proposal.txt", handle)}, data={"k": "5"}
        )
    assert as_file.status_code == 200, as_file.text
    assert as_file.json() == printed
    assert any(c["id"].startswith("O4-DATA-PRIV") for c in printed["commitments"])


@pytest.mark.slow
def test_commitments_are_listed_with_filters_and_by_id(api, corpus):
    everything = api.get("/api/v1/commitments").json()
    assert [c["id"] for c in everything] == [c.id for c in corpus]
    sdg5 = api.get("/api/v1/commitments", params={"sdg": 5}).json()
    explicit = api.get("/api/v1/commitments", params={"sdg": 5, "explicit_only": "true"}).json()
    assert (len(sdg5), len(explicit)) == (37, 9)  # as `gdc-assistant ask "how many … SDG 5"`
    both = api.get("/api/v1/commitments", params=[("action_line", "c10"), ("objective", "4")])
    assert both.json() and all(c["objective"] == 4 for c in both.json())
    one = api.get("/api/v1/commitments/O4-DATA-PRIV-01").json()
    assert one == corpus.get("O4-DATA-PRIV-01").to_dict()
    assert one["sdgs_all"] is True


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"),
    [
        ("post", "/api/v1/ask", {"json": {"question": "  "}}, 400, "The question is empty"),
        ("post", "/api/v1/ask", {"json": {"question": "x" * 3000}}, 400, "the limit is 2,000"),
        ("post", "/api/v1/ask", {"json": {"question": PRIVACY, "sdg": 18}}, 400, "SDGs run from"),
        ("post", "/api/v1/ask", {"json": {"question": PRIVACY, "action_line": "C12"}}, 400, "C12"),
        ("post", "/api/v1/ask", {"json": {"question": PRIVACY, "objective": 7}}, 400, "use 1-5"),
        ("post", "/api/v1/ask", {"json": {"question": PRIVACY, "k": 0}}, 422, "k: Input should"),
        ("post", "/api/v1/ask", {"json": {"k": 3}}, 422, "question: Field required"),
        ("post", "/api/v1/ask", {"content": b"{not json"}, 422, "not valid"),
        ("post", "/api/v1/map-proposal", {"json": {"text": ""}}, 400, "proposal"),
        ("post", "/api/v1/map-proposal", {"content": b"[]"}, 400, 'Send JSON {"text"'),
        (
            "post",
            "/api/v1/map-proposal",
            {"files": {"file": ("big.txt", b"a " * (6 * 1024 * 1024))}},
            413,
            "MB allowed",
        ),
        (
            "post",
            "/api/v1/map-proposal",
            {"files": {"file": ("photo.exe", b"MZ...")}},
            400,
            ".exe",
        ),
        ("get", "/api/v1/commitments", {"params": {"sdg": "0"}}, 400, "There is no SDG '0'"),
        ("get", "/api/v1/commitments/O9-NOPE", {}, 404, "ids look like O4-DATA-PRIV-01"),
    ],
    ids=[
        "empty",
        "over-long",
        "sdg-18",
        "code-C12",
        "objective-7",
        "k-0",
        "no-question",
        "bad-json",
        "empty-proposal",
        "not-an-object",
        "file-too-large",
        "wrong-file-type",
        "list-sdg-0",
        "unknown-id",
    ],
)
def test_bad_input_gets_a_4xx_with_one_line(api, caplog, method, path, kwargs, status, message):
    caplog.set_level("INFO", logger="gdc_assistant")
    response = getattr(api, method)(path, **kwargs)
    assert response.status_code == status, response.text
    if status != 404:  # the refusal is logged as one line
        assert [
            r.getMessage().count("\n") for r in caplog.records if "refused" in r.getMessage()
        ] == [0]
    error = response.json()["error"]
    assert message in error and "\n" not in error and "Traceback" not in error


@pytest.mark.slow
def test_openapi_docs_describe_the_endpoints(api):
    assert api.get("/api/docs").status_code == 200
    paths = api.get("/api/openapi.json").json()["paths"]
    assert {
        "/v1/ask",
        "/v1/search",
        "/v1/map-proposal",
        "/v1/commitments",
        "/v1/commitments/{commitment_id}",
    } <= set(paths)


@pytest.mark.slow
def test_gradio_api_lists_only_the_public_endpoints(api):
    info = api.get("/gradio_api/info").json()
    assert set(info["named_endpoints"]) == {"/chat", "/ask", "/map_proposal", "/map_portfolio"}
    assert not info.get("unnamed_endpoints")


@pytest.mark.slow
def test_a_bad_filter_through_the_gradio_api_logs_one_line(app_url, capfd, caplog):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(app_url, verbose=False, analytics_enabled=False)
    try:
        capfd.readouterr()
        caplog.set_level("INFO", logger="gdc_assistant")
        with pytest.raises(AppError, match="SDGs run from 1 to 17"):
            client.predict(PRIVACY, "", "18", "", True, 5, api_name="/ask")
        history, *_ = client.predict(PRIVACY, [], "", "18", "", True, 5, api_name="/chat")
        assert "SDGs run from 1 to 17" in str(history[-1]["content"])  # said in the chat
    finally:
        client.close()
    logged = capfd.readouterr().err
    assert "Traceback" not in logged
    refused = [r.getMessage() for r in caplog.records if r.name == "gdc_assistant.ui"]
    assert refused == ["/ask refused: there is no SDG '18': SDGs run from 1 to 17."]


# --------------------------------------------------------------------------- login and limits


@pytest.fixture(scope="module")
def guarded(index_settings, real_index):
    """A second app with a login, so its throttles and counters are its own."""
    from gdc_assistant.ui.app import build_app, launch_app

    settings = replace(index_settings, host="127.0.0.1", port=free_port(), auth=USER)
    app = build_app(settings, index=real_index)
    launch_app(app, settings, prevent_thread_lock=True, quiet=True)
    yield app, f"http://127.0.0.1:{settings.port}"
    app.close()


@pytest.mark.slow
def test_the_api_needs_the_same_login(guarded):
    _, url = guarded
    body = {"question": PRIVACY, "k": 3}
    with httpx.Client(base_url=url, timeout=120) as http:
        refused = http.post("/api/v1/ask", json=body)
        assert refused.status_code == 401 and "curl -u" in refused.json()["error"]
        assert http.get("/api/v1/commitments/O5-07").status_code == 401
        answered = http.post("/api/v1/ask", json=body, auth=USER)
        assert answered.status_code == 200 and answered.json()["question"] == PRIVACY
        # the UI's session cookie works too
        assert http.post("/login", data={"username": USER[0], "password": USER[1]}).is_success
        assert http.get("/api/v1/commitments/O5-07").status_code == 200


@pytest.mark.slow
def test_failed_sign_ins_are_throttled_even_before_the_right_password(guarded):
    _, url = guarded
    with httpx.Client(base_url=url, timeout=30) as http:
        codes = [
            http.post("/login", data={"username": "reader", "password": f"guess{n}"}).status_code
            for n in range(LOGIN_FAILURES + 3)
        ]
        assert all(c in (400, 401) for c in codes[:LOGIN_FAILURES]), codes
        assert codes[LOGIN_FAILURES:] == [429] * 3
        right = http.post("/login", data={"username": USER[0], "password": USER[1]})
        assert right.status_code == 429 and "wait" in right.json()["error"]
        # HTTP Basic on the API counts against the same address
        assert http.get("/api/v1/commitments/O5-07", auth=USER).status_code == 429


@pytest.mark.slow
def test_uploads_are_capped_per_address(guarded):
    app, url = guarded
    with httpx.Client(base_url=url, timeout=30) as http:
        # a browser session cookie, as the UI's uploads carry
        throttle = app.gdc_login_throttle
        throttle.succeeded("127.0.0.1")  # the previous test locked this address out
        assert http.post("/login", data={"username": USER[0], "password": USER[1]}).is_success
        codes = [
            http.post("/gradio_api/upload", files={"files": (f"p{n}.txt", b"privacy")}).status_code
            for n in range(UPLOADS_PER_HOUR + 1)
        ]
    assert codes[:UPLOADS_PER_HOUR] == [200] * UPLOADS_PER_HOUR, codes
    assert codes[-1] == 429


@pytest.mark.slow
def test_one_work_limit_holds_across_ui_and_api(guarded):
    from gradio_client import Client

    app, url = guarded
    gate = app.gdc_gate
    app.gdc_login_throttle.succeeded("127.0.0.1")
    errors = []

    def rest(n):
        try:
            with httpx.Client(base_url=url, timeout=300, auth=USER) as http:
                body = {"question": f"{PRIVACY} ({n})", "k": 5}
                assert http.post("/api/v1/ask", json=body).status_code == 200
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)

    def ui(n):
        try:
            client = Client(url + "/", auth=USER, verbose=False, analytics_enabled=False)
            client.predict(f"data protection ({n})", api_name="/ask")
            client.close()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=f, args=(n,)) for n in range(5) for f in (rest, ui)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    assert 1 <= gate.peak <= gate.slots
