"""The README and the CI script stay true to the code."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gdc_assistant.cli.main import cli
from gdc_assistant.config import Settings

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _cli_lines() -> list[list[str]]:
    lines = re.findall(r"^\.venv/bin/gdc-assistant (.+?)(?:\s+>.*)?$", README, flags=re.M)
    return [shlex.split(line) for line in lines]


def test_quick_start_is_two_make_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.search(r"^make run\b", quick, flags=re.M)
    assert re.search(r"^make test\b", quick, flags=re.M)


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)


def test_makefile_installs_cpu_torch_first():
    # what make would run (-n: print only; -B: as on a fresh clone), in that order
    out = subprocess.run(
        ["make", "-n", "-B", "install"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    torch = next(i for i, line in enumerate(out) if "pip install" in line and "torch==" in line)
    package = next(i for i, line in enumerate(out) if "pip install" in line and ".[dev]" in line)
    assert torch < package


@pytest.mark.parametrize("argv", _cli_lines(), ids=lambda a: " ".join(a)[:40])
def test_readme_cli_examples_parse(argv):
    """Each documented command and option exists (checked through --help, nothing runs)."""
    command = [a for a in argv if not a.startswith("-") and not a.startswith('"')]
    words = []
    group = cli
    for word in command:
        sub = getattr(group, "commands", {}).get(word)
        if sub is None:
            break
        words.append(word)
        group = sub
    assert words, f"unknown command in README: {argv}"
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0
    for option in (a for a in argv if a.startswith("-")):
        assert option.split("=")[0] in result.output, f"{option} is not an option of {words}"


def test_every_documented_variable_is_read():
    documented = set(re.findall(r"`(GDC_ASSISTANT_[A-Z_]+)`", README))
    assert documented
    source = (REPO / "src" / "gdc_assistant" / "config.py").read_text(encoding="utf-8")
    for name in documented:
        assert f'"{name}"' in source, name


def test_documented_defaults_match_settings():
    settings = Settings()
    assert f"`{settings.model}`" in README
    assert f"`{settings.host}` / `{settings.port}`" in README


def test_readme_links_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if target.startswith("http"):
            continue
        assert (REPO / target).exists(), target
