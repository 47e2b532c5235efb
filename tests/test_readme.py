"""The README's tour is run as written, on a copy of the example network: docs checked by tests."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def tour_commands() -> list[str]:
    block = README.split("## Một vòng tham quan")[1].split("```sh")[1].split("```")[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    commands = []
    for line in joined.splitlines():
        line = line.split("  #")[0].strip()
        if line.startswith("libsync "):
            commands.append(line)
    return commands


def test_the_tour_is_there():
    commands = tour_commands()
    assert len(commands) >= 10
    assert commands[0] == "libsync validate"


@pytest.mark.parametrize("command", tour_commands())
def test_tour_command_runs(command, example_repo, tmp_path):
    shutil_copy_test_data(example_repo)
    args = shlex.split(command)[1:]
    run = subprocess.run([sys.executable, "-m", "libsync", *args], cwd=example_repo, capture_output=True,
                         text=True, timeout=300)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"


def shutil_copy_test_data(repo: Path) -> None:
    """The tour's import examples read sample files from tests/data."""
    import shutil

    src = PROJECT / "tests" / "data"
    if src.exists() and not (repo / "tests" / "data").exists():
        shutil.copytree(src, repo / "tests" / "data")


def test_two_setup_commands_match_ci():
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'python3 -m pip install -q -e ".[test]" && python3 -m pytest'
    assert test_command in README and test_command in ci
    assert "python3 -m pip install . && libsync validate" in README
