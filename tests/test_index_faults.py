"""Fault injection with real processes: rebuilds beside a reader, concurrent builders, a frozen,
killed or silent Chroma server, a read-only index, and read-only commands facing a stale index.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, free_port

from gdc_assistant.ask import ask
from gdc_assistant.cli.main import cli
from gdc_assistant.config import Settings
from gdc_assistant.errors import ChromaServerError
from gdc_assistant.index.store import index_status, list_collections, open_index

pytestmark = pytest.mark.slow

GDC = str(Path(sys.executable).parent / "gdc-assistant")
# MiniLM only: each build here takes seconds, and the faults do not depend on the second model
BASE_ENV = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def _env(**variables: str) -> dict[str, str]:
    env = {**os.environ, **BASE_ENV, "GDC_ASSISTANT_MULTILINGUAL_MODEL": ""}
    env.update(variables)
    return env


def _gdc(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [GDC, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO
    )


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    """The single `Error: …` line a failed command prints (progress bars aside), no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _snapshot(folder: Path, *, mtimes: bool = True) -> dict[str, tuple[int, int]]:
    """Every file's size (and modification time: Chroma touches its database even to read)."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns if mtimes else 0)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An embedded index built by a real `gdc-assistant index build` process (MiniLM only)."""
    path = tmp_path_factory.mktemp("faults") / "idx"
    result = _gdc("index", "build", "-q", env=_env(GDC_ASSISTANT_INDEX=str(path)))
    assert result.returncode == 0, result.stderr
    return path


def _settings(path: Path, **kw) -> Settings:
    return Settings(index_path=path, multilingual_model=None, **kw)


# --------------------------------------------------------------------------- rebuilds


def test_a_rebuild_in_another_process_never_disturbs_a_reader(built, tmp_path):
    path = tmp_path / "idx"
    shutil.copytree(built, path)
    index = open_index(_settings(path))
    first = index.manifest["build_id"]
    errors: list[str] = []
    answered = 0
    rebuild = subprocess.Popen(
        [GDC, "index", "build", "--force", "-q"],
        env=_env(GDC_ASSISTANT_INDEX=str(path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    after_rebuild = 0
    while after_rebuild < 20:  # keep asking through the rebuild and for a while after it
        try:
            response = ask(index, "Which commitments relate to data privacy?", k=5)
            assert response.hits, "no hits"
            answered += 1
        except Exception as exc:  # every failure is a finding
            errors.append(f"{type(exc).__name__}: {exc}")
        if rebuild.poll() is not None:
            after_rebuild += 1
    _, stderr = rebuild.communicate()
    assert rebuild.returncode == 0, stderr
    assert errors == []
    assert answered > 20
    assert index_status(_settings(path))["build_id"] != first
    # a fresh reader opens the new build, and it answers
    fresh = open_index(_settings(path))
    assert fresh.manifest["build_id"] != first
    assert ask(fresh, "Which commitments relate to data privacy?", k=5).hits


@pytest.mark.parametrize("wait", ["600", "0"])
def test_two_builders_at_once_one_builds_and_the_index_is_good(tmp_path, wait):
    path = tmp_path / "idx"
    env = _env(GDC_ASSISTANT_INDEX=str(path))
    builders = [
        subprocess.Popen(
            [GDC, "index", "build", "-q", "--wait", wait],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for builder in builders:
        stdout, stderr = builder.communicate(timeout=300)
        results.append(
            subprocess.CompletedProcess(builder.args, builder.returncode, stdout, stderr)
        )
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
    if wait == "600":  # the second waits, then finds the work done
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        assert all(r.stdout.startswith("Index ready: 85 commitments") for r in results)
    else:  # the second says, in one line, that another build is running
        assert sorted(r.returncode for r in results) == [0, 1], [r.stderr for r in results]
        failed = next(r for r in results if r.returncode == 1)
        assert "another `gdc-assistant index build` is building" in _one_line_error(failed)
    manifest = index_status(_settings(path))
    assert set(list_collections(_settings(path))) == {
        "gdc-current",
        *manifest["collections"].values(),
    }
    assert ask(open_index(_settings(path)), "Internet shutdowns", k=5).hits


# --------------------------------------------------------------------------- Chroma server faults


def _start_chroma(data: Path) -> tuple[subprocess.Popen, str]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data), "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("chroma run did not start listening within 60 s")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGCONT)
    process.kill()
    process.wait(timeout=30)


def test_a_frozen_server_gives_a_one_line_error_within_the_timeout(tmp_path):
    server, url = _start_chroma(tmp_path / "db")
    try:
        env = _env(GDC_ASSISTANT_CHROMA_URL=url, GDC_ASSISTANT_CHROMA_TIMEOUT="3")
        assert _gdc("index", "build", "-q", env=env).returncode == 0
        settings = _settings(tmp_path / "unused", chroma_url=url, chroma_timeout=3.0)
        index = open_index(settings)
        assert ask(index, "Internet shutdowns", k=3).hits
        server.send_signal(signal.SIGSTOP)
        outcome: list[BaseException | None] = []

        def ask_frozen() -> None:
            try:
                ask(index, "digital public goods", k=3)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        asker = threading.Thread(target=ask_frozen, daemon=True)
        asker.start()
        asker.join(60)
        assert not asker.is_alive(), "ask() still waiting on a frozen server after 60 s"
        assert isinstance(outcome[0], ChromaServerError)
        assert f"{url} did not answer within 3 s" in str(outcome[0])
        # a new process: the one-line message, no traceback
        result = _gdc("ask", "Internet shutdowns", env=env, timeout=120)
        assert result.returncode == 1
        assert url in _one_line_error(result)
        # thawed, the same handle answers again
        server.send_signal(signal.SIGCONT)
        assert ask(index, "Internet shutdowns", k=3).hits
    finally:
        _stop(server)


def test_a_server_killed_mid_build_gives_a_one_line_error(tmp_path):
    import chromadb

    server, url = _start_chroma(tmp_path / "db")
    try:
        env = _env(GDC_ASSISTANT_CHROMA_URL=url)
        builder = subprocess.Popen(
            [GDC, "index", "build", "-q"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        host, port = url.rsplit(":", 1)
        watcher = chromadb.HttpClient(host="127.0.0.1", port=int(port))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and builder.poll() is None:
            if any(c.name.endswith("-main") for c in watcher.list_collections()):
                break  # the build has started writing: kill the server under it
            time.sleep(0.05)
        server.kill()
        server.wait(timeout=30)
        _, stderr = builder.communicate(timeout=120)
        result = subprocess.CompletedProcess(builder.args, builder.returncode, "", stderr)
        assert result.returncode == 1, stderr
        line = _one_line_error(result)
        assert f"cannot reach the Chroma server at {url}" in line
    finally:
        _stop(server)


def test_a_server_that_never_answers_gives_a_one_line_error(tmp_path):
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        env = _env(GDC_ASSISTANT_CHROMA_URL=url, GDC_ASSISTANT_CHROMA_TIMEOUT="2")
        for command in (["ask", "Internet shutdowns"], ["index", "build", "-q"]):
            result = _gdc(*command, env=env, timeout=120)
            assert result.returncode == 1
            assert f"{url} did not answer within 2 s" in _one_line_error(result)


# --------------------------------------------------------------------------- read-only


def test_a_read_only_index_is_reported_as_read_only_and_left_alone(built):
    # root writes anywhere, so as root the commands run as `nobody` (setpriv), in a folder
    # `nobody` can traverse; the folder itself is made read-only either way
    as_root = os.geteuid() == 0
    if as_root and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot take away write permission")
    parent = Path(tempfile.mkdtemp(prefix="gdc-ro-", dir="/tmp"))
    try:
        parent.chmod(0o755)
        path = parent / "idx"
        shutil.copytree(built, path)
        for item in [path, *path.rglob("*")]:
            item.chmod(0o555 if item.is_dir() else 0o444)
        before = _snapshot(path)
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if as_root else []
        env = _env(GDC_ASSISTANT_INDEX=str(path), PYTHONDONTWRITEBYTECODE="1", HOME=str(parent))
        for command in (["ask", "Internet shutdowns"], ["index", "build", "--force", "-q"]):
            result = subprocess.run(
                [*prefix, GDC, *command], env=env, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 1, result.stderr
            line = _one_line_error(result)
            assert "is read-only" in line and "chmod -R u+w" in line
            assert "damaged" not in line and "--force" not in line
        assert _snapshot(path) == before
        assert sorted(p.name for p in parent.iterdir()) == ["idx"]  # nothing moved aside
    finally:
        for item in [parent, *parent.rglob("*")]:
            item.chmod(0o755 if item.is_dir() else 0o644)
        shutil.rmtree(parent)


# --------------------------------------------------------------------------- read-only commands


@pytest.mark.parametrize(
    "command",
    [["ask", "Internet shutdowns"], ["search", "--queries", "QUERIES"], ["index", "status"]],
)
@pytest.mark.parametrize("stale", ["model", "corpus", "multilingual"])
def test_read_only_commands_never_build_a_stale_index(built, tmp_path, monkeypatch, command, stale):
    path = tmp_path / "idx"
    shutil.copytree(built, path)
    before = _snapshot(path, mtimes=False), index_status(_settings(path))
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"id": "q1", "question": "Internet shutdowns"}\n', encoding="utf-8")
    command = [str(queries) if part == "QUERIES" else part for part in command]
    monkeypatch.setenv("GDC_ASSISTANT_INDEX", str(path))
    monkeypatch.setenv("GDC_ASSISTANT_MULTILINGUAL_MODEL", "")
    if stale == "model":
        monkeypatch.setenv("GDC_ASSISTANT_MODEL", "usem3")
    elif stale == "multilingual":
        monkeypatch.setenv("GDC_ASSISTANT_MULTILINGUAL_MODEL", "usem3")
    else:
        source = (REPO / "corpus" / "commitments.jsonl").read_text(encoding="utf-8")
        corpus = tmp_path / "commitments.jsonl"
        changed = source.replace(
            "Develop and strengthen targets", "Develop and strengthen the targets"
        )
        assert changed != source
        corpus.write_text(changed, encoding="utf-8")
        monkeypatch.setenv("GDC_ASSISTANT_CORPUS", str(corpus))
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    assert "was built" in lines[0] and "run `gdc-assistant index build`" in lines[0]
    assert {
        "model": "'usem3' is configured",
        "multilingual": "multilingual model",
        "corpus": ("another version of the corpus"),
    }[stale] in lines[0]
    after = _snapshot(path, mtimes=False), index_status(_settings(path))
    assert after == before  # nothing built, nothing dropped


def test_the_app_start_builds_a_missing_index(tmp_path):
    from gdc_assistant.index.build import ensure_index

    settings = _settings(tmp_path / "idx")
    index = ensure_index(settings)
    assert len(index) == 85
    assert index_status(replace(settings))["count"] == 85
