"""Progress (#15 item 4): the library reports long steps through one plain callback; the CLI draws
bars on a terminal's stderr only — never in a pipe, never with JSON output."""

from __future__ import annotations

import json

from libsync import progress
from libsync.validation import validate


def collect():
    seen: list[tuple[str, int, int | None]] = []
    return seen, lambda stage, done, total: seen.append((stage, done, total))


def test_a_cold_validate_reports_the_files_it_reads(example_repo):
    seen, callback = collect()
    with progress.reporting(callback):
        result = validate(example_repo, use_cache=False, workers=1)
    files = result.files_checked
    first = [s for s in seen if s[0] == "read" and s[2] == files]   # the examination of every file
    assert first[-1] == ("read", files, files) and all(0 < d <= files for _, d, _ in first)


def test_the_union_catalogue_reports_its_clusters(example_repo):
    from libsync.catalog import open_union
    from libsync.repository import Repository

    seen, callback = collect()
    with progress.reporting(callback):
        union, _ = open_union(Repository.discover(str(example_repo)), "network")
        with union:
            clusters = union.stats["clusters"]
    assert ("union", clusters, clusters) in seen


def test_nobody_listening_is_fine_and_a_callback_ends_with_its_block(example_repo):
    progress.step("read", 1, 2)   # no callback: nothing happens
    seen, callback = collect()
    with progress.reporting(callback):
        progress.step("read", 1, 2)
    progress.step("read", 2, 2)
    assert seen == [("read", 1, 2)]


def terminal_stderr(monkeypatch):
    import libsync.cli.progress as bars

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setattr(bars, "DELAY", 0.0)   # draw at once (a real run waits a second first)


def test_bars_on_a_terminal_only_in_text(example_repo, cli, monkeypatch):
    r = cli("--repo", example_repo, "validate", "--no-cache")
    assert "Đọc tệp dữ liệu" not in r.output   # not a terminal: no bar
    terminal_stderr(monkeypatch)
    r = cli("--repo", example_repo, "validate", "--no-cache")
    assert "Đọc tệp dữ liệu" in r.output
    j = cli("--repo", example_repo, "validate", "--no-cache", "--format", "json")
    assert "Đọc tệp dữ liệu" not in j.output
    json.loads(j.stdout)
    m = cli("--repo", example_repo, "merge")
    assert "Gộp mục lục liên hợp" in m.output
