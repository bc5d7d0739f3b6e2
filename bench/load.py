"""Load bench: N concurrent gradio_client users asking varied questions for T seconds.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/load.py                 # launches the app in-process
    HF_HUB_OFFLINE=1 .venv/bin/python bench/load.py --url http://127.0.0.1:7860/
    HF_HUB_OFFLINE=1 .venv/bin/python bench/load.py --rebuild-at 10   # a rebuild mid-run

Reports throughput, p50 / p95 / max latency and errors (the goal is zero errors). Without --url
`python app.py` is started on a free port (GDC_ASSISTANT_* variables apply; the index is built
if missing) and stopped at the end. --rebuild-at S runs `gdc-assistant index build --force` in
another process S seconds into the run, against the same index (GDC_ASSISTANT_INDEX /
GDC_ASSISTANT_CHROMA_URL), and reports it: the app must keep answering through it.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]

QUESTIONS = [
    "Which commitments relate to data privacy?",
    "How many commitments map to SDG 5?",
    "List the commitments under C10",
    "artificial intelligence governance",
    "digital skills for women and girls",
    "Internet shutdowns",
    "connectivity for schools and hospitals",
    "digital public infrastructure",
    "cross-border data flows",
    "misinformation and information integrity",
    "Which commitments are under objective 3?",
    "open source software and digital public goods",
    "¿Qué compromisos tratan de la conectividad?",
    "Quels engagements concernent la protection des données ?",
    "online child safety",
    "environmental impact of digital technologies",
]
FILTERS = [  # (objective, sdg, action_line, include_all)
    ("", "", "", True),
    ("", "", "", True),
    ("4", "", "", True),
    ("", "16", "", False),
    ("", "", "C5", True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _launch() -> tuple[str, subprocess.Popen]:
    """Start `python app.py` on a free port (a separate process, as in production)."""
    port = _free_port()
    env = {**os.environ, "GDC_ASSISTANT_HOST": "127.0.0.1", "GDC_ASSISTANT_PORT": str(port)}
    app = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 600  # the first run builds the index
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise SystemExit(f"app.py exited with code {app.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return url, app
        except OSError:
            time.sleep(0.5)
    app.kill()
    raise SystemExit("app.py did not start listening within 600 s")


def _user(url: str, seed: int, until: float, latencies: list, errors: Counter, lock) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
    while time.monotonic() < until:
        question = rng.choice(QUESTIONS)
        objective, sdg, action_line, include_all = rng.choice(FILTERS)
        started = time.perf_counter()
        try:
            markdown, hits = client.predict(
                question, objective, sdg, action_line, include_all, 10, api_name="/ask"
            )
            if not isinstance(markdown, str) or not isinstance(hits, list):
                raise TypeError(f"unexpected result types {type(markdown)}, {type(hits)}")
        except Exception as exc:  # every failure is counted and named in the report
            with lock:
                errors[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1
            continue
        with lock:
            latencies.append(time.perf_counter() - started)
    client.close()


def _rebuild(after: float, report: dict) -> None:
    """`gdc-assistant index build --force` in a separate process, `after` seconds from now."""
    time.sleep(after)
    gdc = str(Path(sys.executable).parent / "gdc-assistant")
    started = time.monotonic()
    report["started"] = after
    done = subprocess.run(
        [gdc, "index", "build", "--force", "-q"], capture_output=True, text=True, cwd=ROOT
    )
    report["seconds"] = time.monotonic() - started
    report["returncode"] = done.returncode
    report["output"] = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app; default: launch one in-process")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--rebuild-at", type=float, help="seconds into the run to rebuild the index (--force)"
    )
    args = parser.parse_args()

    app = None
    if args.url:
        url = args.url
    else:
        url, app = _launch()
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    until = started + args.seconds
    threads = [
        threading.Thread(target=_user, args=(url, seed, until, latencies, errors, lock))
        for seed in range(args.users)
    ]
    rebuild: dict = {}
    if args.rebuild_at is not None:
        threads.append(threading.Thread(target=_rebuild, args=(args.rebuild_at, rebuild)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if app is not None:
        app.terminate()
        app.wait(timeout=30)

    n, n_errors = len(latencies), sum(errors.values())
    print(f"load bench: {args.users} users for {args.seconds:.0f} s against {url}")
    print(f"requests ok: {n}   errors: {n_errors}   wall: {elapsed:.1f} s")
    print(f"throughput: {n / elapsed:.2f} req/s")
    if latencies:
        q = statistics.quantiles(latencies, n=100) if n > 1 else [latencies[0]] * 99
        print(
            f"latency: p50 {q[49] * 1000:.0f} ms   p95 {q[94] * 1000:.0f} ms   "
            f"max {max(latencies) * 1000:.0f} ms"
        )
    for message, count in errors.most_common():
        print(f"  {count} x {message}")
    if rebuild:
        print(
            f"rebuild: `index build --force` from {rebuild['started']:.0f} s, took "
            f"{rebuild['seconds']:.1f} s, exit {rebuild['returncode']}: "
            + " ".join(rebuild["output"])
        )
    return 1 if n_errors or rebuild.get("returncode", 0) else 0


if __name__ == "__main__":
    sys.exit(main())
