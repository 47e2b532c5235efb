"""Every command example in README.md and docs/*.md runs as written (#15 item 13).

Each ``libsync …`` line of a fenced ``sh``/``console``/``bash`` block is run, page by page in
order, on a fresh Git copy of the example network (with ``tests/data`` and the sample files of
``tests/data/docs`` beside it, so "libsync import table so-dang-ky.xlsx" finds its file). The
conventions, written in the page itself:

* a command's exit code is 0 unless its comment says ``→ exit N``; what an example changes is
  committed before the next one runs (as a librarian commits between tasks);
* a figure the page quotes for a command is written in its comment as ``→ "text"`` and must
  appear in the output (with ``…`` standing for any text; spaces and line breaks do not count);
  in a ``console`` block, the lines after a ``$ libsync …`` line are its output, checked the same
  way;
* ``<!-- doctest: skip: REASON -->`` on the line before a block leaves that block unrun, and
  ``→ not run: REASON`` in a command's comment that command — only a synopsis (placeholders
  such as ``ID`` or ``[--date D]``) or what cannot run offline (a server that waits for Ctrl-C,
  another school's server) — and the reason must be given.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import git
import pytest
from typer.testing import CliRunner

from test_rotation_support import committed
from tests.conftest import PROJECT, copy_example

PAGES = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(sh|console|bash|shell)\s*$")
MARK = re.compile(r"^<!--\s*doctest:\s*(.*?)\s*-->\s*$")
QUOTED = re.compile(r'→ "([^"]+)"')
EXIT = re.compile(r"→ exit (\d)")
NOT_RUN = re.compile(r"→ not run: (.*)$")


@dataclass
class Example:
    page: str
    line: int
    command: str
    exit: int = 0
    quoted: list[str] = field(default_factory=list)


@dataclass
class Page:
    examples: list[Example] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line of the block, reason)


def split_comment(line: str) -> tuple[str, str]:
    """The command and its ``#`` comment (a ``#`` inside quotes belongs to the command)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].strip(), line[i + 1:].strip()
    return line.strip(), ""


def parse(path: Path) -> Page:
    page = Page()
    lines = path.read_text(encoding="utf-8").splitlines()
    mark: str | None = None
    n = 0
    while n < len(lines):
        text = lines[n]
        found = MARK.match(text)
        if found:
            mark = found.group(1)
            n += 1
            continue
        fence = FENCE.match(text)
        if not fence:
            if text.strip():
                mark = None
            n += 1
            continue
        start = n + 1
        end = start
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        body = lines[start:end]
        if mark and mark.startswith("skip"):
            page.skipped.append((n + 1, mark.partition(":")[2].strip()))
        else:
            page.examples.extend(block_examples(path, start, body, fence.group(1) == "console", page.skipped))
        mark = None
        n = end + 1
    return page


def block_examples(path: Path, start: int, body: list[str], console: bool,
                   skipped: list[tuple[int, str]]) -> list[Example]:
    found: list[Example] = []
    k = 0
    while k < len(body):
        first = k
        text = body[k]
        while text.endswith("\\") and k + 1 < len(body):   # a command continued on the next line
            k += 1
            text = text[:-1] + " " + body[k].strip()
        k += 1
        line = text.strip()
        prompt = line.startswith("$ ")
        if prompt:
            line = line[2:]
        if not line.startswith("libsync "):
            if console and found and not prompt and line:
                found[-1].quoted.append(line)   # the output the page shows
            continue
        command, comment = split_comment(line)
        if NOT_RUN.search(comment):
            skipped.append((start + first + 1, NOT_RUN.search(comment).group(1).strip()))   # type: ignore[union-attr]
            continue
        exit_mark = EXIT.search(comment)
        found.append(Example(path.relative_to(PROJECT).as_posix(), start + first + 1, command,
                             int(exit_mark.group(1)) if exit_mark else 0, QUOTED.findall(comment)))
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def shows(output: str, quoted: str) -> bool:
    """``quoted`` appears in ``output`` (``…`` stands for any text; spacing does not count)."""
    parts = [flat(p) for p in quoted.split("…") if flat(p)]
    text = flat(output)
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def network(tmp: Path) -> Path:
    root = copy_example(tmp / "network")
    shutil.copytree(PROJECT / "tests" / "data", root / "tests" / "data")
    for sample in (PROJECT / "tests" / "data" / "docs").iterdir():
        shutil.copy2(sample, root / sample.name)
    repo = committed(root)
    bare = tmp / "remote.git"   # where --push sends a proposal
    git.Repo.init(bare, bare=True, initial_branch="main")
    repo.create_remote("origin", str(bare))
    repo.git.push("origin", "main")
    return root


def settle(root: Path) -> None:
    """Commit what an example left changed, as a librarian would before the next task (so an
    example with --commit never meets another's uncommitted files)."""
    repo = git.Repo(root)
    if repo.is_dirty(untracked_files=True):
        repo.git.add("--all")
        repo.git.commit("-m", "sau một ví dụ", "--no-verify")


def test_the_conventions_are_understood():
    page = parse(PROJECT / "docs" / "output.md")
    assert page.examples and all(e.command.startswith("libsync ") for e in page.examples)
    assert split_comment('libsync copy set X --ref "Số 12 #3"  # a note') == ('libsync copy set X --ref "Số 12 #3"',
                                                                            "a note")
    assert shows("Hợp lệ: đã kiểm tra 213 tệp,\n không có lỗi.", "đã kiểm tra 213 tệp, không…lỗi")
    assert not shows("đã kiểm tra 211 tệp", "đã kiểm tra 213 tệp")


def test_every_page_has_its_examples_and_a_reason_for_each_block_not_run():
    total = 0
    for path in PAGES:
        page = parse(path)
        total += len(page.examples)
        for line, reason in page.skipped:
            assert len(reason) > 10, f"{path.name}:{line}: a block not run needs its reason"
    assert total > 100


@pytest.mark.parametrize("path", [p for p in PAGES if parse(p).examples], ids=lambda p: p.name)
def test_the_examples_of_a_page_run_as_written(path, tmp_path, monkeypatch):
    from libsync.cli import create_app

    root = network(tmp_path)
    monkeypatch.chdir(root)
    runner = CliRunner()
    failures = []
    for example in parse(path).examples:
        args = shlex.split(example.command)[1:]
        result = runner.invoke(create_app(), args, input="", catch_exceptions=True)
        where = f"{example.page}:{example.line}: {example.command}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            failures.append(f"{where}\n  raised {result.exception!r}")
            continue
        if result.exit_code != example.exit:
            failures.append(f"{where}\n  exit {result.exit_code}, the page says {example.exit}\n"
                            + "\n".join("  | " + line for line in result.output.splitlines()[-8:]))
        for quoted in example.quoted:
            if not shows(result.output, quoted):
                failures.append(f"{where}\n  the page quotes {quoted!r}; the output:\n"
                                + "\n".join("  | " + line for line in result.output.splitlines()[:12]))
        settle(root)
    assert not failures, "\n".join(failures)
