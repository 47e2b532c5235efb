"""Writes that nothing can half-do: real libsync processes, real signals, real Git.

* Ctrl-C / SIGTERM sent to a large import at several points (before the journal, while temp files
  are written, while files are swapped, during the Git commit): the repository ends either exactly
  as before or exactly as after an uninterrupted run, with no temp, backup or journal file, and the
  message says which.
* SIGKILL in the middle of the swap: the next writing command (or ``libsync recover``) undoes it.
* A Git commit that fails (no identity) leaves files *and* index as they were.
* Two exchange steps at once: one wins, the other is refused by the lock; no history is lost.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_example

STATE = (".git", ".libsync")


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in STATE]
        for name in filenames:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def git(root: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=check).stdout


def git_repo(root: Path, identity: bool = True) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", "add", "-A")
    git(root, "-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", "commit", "-q", "-m", "mạng mẫu")
    if identity:
        git(root, "config", "user.name", "Thủ thư")
        git(root, "config", "user.email", "tt@example.vn")
    return root


def big_register(path: Path, rows: int) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm XB", "Loại tài liệu"])
    for i in range(rows):
        writer.writerow([f"XS-LT-{i:05d}", f"Truyện đọc thêm số {i}", "Nguyễn Nhật Ánh", "Trẻ", "2020", "Truyện"])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def libsync(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "libsync", "--repo", str(root), *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env={**os.environ, "LIBSYNC_LANG": "en", **(env or {})})


def leftovers(root: Path) -> list[str]:
    found = [p for p in tree(root) if p.endswith((".libsync-tmp", ".libsync-bak"))]
    journal = root / ".git" / "libsync" / "journal"
    if journal.is_dir():
        found += [p.name for p in journal.iterdir()]
    return found


def wait_for(condition, proc: subprocess.Popen, limit: float = 30.0) -> bool:
    """Poll ``condition`` as fast as the file system allows until it holds or the process ends."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0005)
    return False


def _any(folder: Path, suffix: str, part: str = ""):
    def check() -> bool:
        try:
            return any(name.endswith(suffix) and part in name for name in os.listdir(folder))
        except OSError:
            return False
    return check


ROWS = 1500


@pytest.fixture(scope="module")
def expected_after(tmp_path_factory):
    """The repository after an uninterrupted import (with commit) of the big register."""
    base = tmp_path_factory.mktemp("uninterrupted")
    root = git_repo(copy_example(base / "network"))
    source = big_register(base / "so.csv", ROWS)
    proc = libsync(root, "import", "table", str(source), "--library", "XS", "--commit")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return source, tree(root)


POINTS = {
    "at-start": lambda root: (lambda: True),
    "journal-written": lambda root: _any(root / ".git" / "libsync" / "journal", ".journal.json"),
    "temp-files": lambda root: _any(root / "records" / "XS", ".libsync-tmp"),
    # the import creates new records: the swap has begun once the first of them is in place
    "swapping": lambda root: _any(root / "records" / "XS", ".yaml", "truyen-doc-them"),
    "git-commit": lambda root: _any(root / ".git", ".lock"),
}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("point", list(POINTS))
def test_interrupted_import_is_all_or_nothing(tmp_path, expected_after, point, signum):
    source, after = expected_after
    root = git_repo(copy_example(tmp_path / "network"))
    before = tree(root)
    head = git(root, "rev-parse", "HEAD")
    proc = libsync(root, "import", "table", str(source), "--library", "XS", "--commit")
    reached = wait_for(POINTS[point](root), proc)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=300)
    err = err.decode()
    now = tree(root)
    assert "Traceback" not in err and "Internal" not in err, err
    assert not leftovers(root), leftovers(root)
    if now == before:
        assert git(root, "rev-parse", "HEAD") == head
        assert git(root, "status", "--porcelain") == ""
        if proc.returncode > 0:       # (< 0: killed before Python could even start the command)
            assert "no file was changed" in err, err
    else:
        assert now == after, "the repository is neither as before nor as after the import"
        assert git(root, "status", "--porcelain") == ""     # committed, index in step
        assert proc.returncode == 0 or "written completely" in err, err
    if point == "swapping":
        assert reached, "the swap was never seen"
    if reached and point in ("journal-written", "temp-files", "swapping"):
        assert now == before, f"interrupted at {point}, the change should have been undone"
        assert "the change in progress was undone" in err, err


def test_killed_mid_swap_is_undone_by_the_next_command(tmp_path, expected_after):
    source, _ = expected_after
    root = git_repo(copy_example(tmp_path / "network"))
    before = tree(root)
    proc = libsync(root, "import", "table", str(source), "--library", "XS")
    assert wait_for(POINTS["swapping"](root), proc), "the swap was never seen"
    proc.kill()
    proc.wait()
    assert tree(root) != before                      # half-swapped on disk …
    check = libsync(root, "validate")
    out, err = check.communicate(timeout=300)
    assert check.returncode == 1 and "libsync recover" in out.decode() + err.decode()
    rec = libsync(root, "recover")
    out, err = rec.communicate(timeout=300)
    assert rec.returncode == 0, err.decode()
    assert "Undid an unfinished change" in out.decode()
    assert tree(root) == before and not leftovers(root)   # … and whole again


def test_failed_commit_leaves_files_and_index_untouched(tmp_path):
    root = git_repo(copy_example(tmp_path / "network"), identity=False)
    source = big_register(tmp_path / "so.csv", 3)
    before = tree(root)
    status = git(root, "status", "--porcelain")
    env = {"GIT_CONFIG_GLOBAL": str(tmp_path / "none"), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path),
           "GIT_AUTHOR_NAME": "", "GIT_COMMITTER_NAME": "", "EMAIL": ""}
    proc = libsync(root, "import", "table", str(source), "--library", "XS", "--commit", env=env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out.decode() + err.decode()
    assert tree(root) == before and git(root, "status", "--porcelain") == status
    assert not leftovers(root)


def test_two_dispatches_at_once_one_wins_and_history_is_whole(tmp_path):
    root = copy_example(tmp_path / "network")
    target = "hd-xs-2024-10-tranh-giao-duc"    # approved in the example network
    import yaml

    procs = [libsync(root, "exchange", "dispatch", target, "--date", "2024-10-14") for _ in range(2)]   # a date in its term
    results = [(p.wait(timeout=120), p.stdout.read().decode() + p.stderr.read().decode()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0 and codes[1] != 0, results
    loser = next(text for code, text in results if code != 0)
    assert "Another libsync command is writing" in loser or "dispatched" in loser, loser
    data = yaml.safe_load(next(root.glob(f"exchanges/*/*/{target}.yaml")).read_text(encoding="utf-8"))
    assert [h["status"] for h in data["history"]].count("dispatched") == 1
    assert not leftovers(root)


def test_output_to_a_pipe_or_device_is_refused(tmp_path):
    """As root, ``-o /dev/full`` replaced the device with a file; a FIFO stands in for the device."""
    root = copy_example(tmp_path / "network")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = libsync(root, "merge", "-o", str(fifo))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "not a plain file" in err.decode()
    assert Path(fifo).is_fifo()


def _has_workers(pid: int):
    """True once ``pid`` has forked a worker (a child running Python, not e.g. ``git version``)."""
    def check() -> bool:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            return any(b"libsync" in Path(f"/proc/{c}/cmdline").read_bytes() for c in children)
        except OSError:
            return False
    return check


@pytest.mark.parametrize("after", [0.0, 0.3, 0.8])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_to_the_whole_group_while_workers_run(tmp_path, signum, after):
    """Ctrl-C in a terminal reaches the worker processes too: they must leave it to libsync
    (no traceback from a worker) and the import is undone."""
    root = copy_example(tmp_path / "network")
    source = big_register(tmp_path / "so.csv", 2500)     # ≥ 2,000 records: rendered by workers
    before = tree(root)
    cmd = [sys.executable, "-m", "libsync", "--repo", str(root), "import", "table", str(source), "--library", "XS"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env={**os.environ, "LIBSYNC_LANG": "en"}, start_new_session=True)
    assert wait_for(_has_workers(proc.pid), proc), "no worker process was seen"
    time.sleep(after)     # workers busy, or idle between two tasks
    os.killpg(proc.pid, signum)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:   # a worker outlived the command and holds the pipes
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    err = err.decode()
    assert "Traceback" not in err, err
    now = tree(root)
    assert now == before or proc.returncode == 0 or "written completely" in err, err
    if now == before:
        assert "no file was changed" in err
    assert not leftovers(root)


KILLED_AFTER_COMMIT = r"""
import os, sys
from libsync import gitops
from libsync.store import write
real = gitops.commit_paths
def commit_then_die(*args, **kwargs):
    real(*args, **kwargs)
    os._exit(9)            # killed between the Git commit and the journal's "done"
gitops.commit_paths = commit_then_die
write.apply(sys.argv[1], {"records/XS/xs-moi.yaml": sys.argv[2]}, message="thêm biểu ghi")
"""


def test_killed_after_the_commit_is_completed_not_undone(tmp_path):
    """The journal says 'swapped', but HEAD moved: recovery keeps the change (files = commit)."""
    root = git_repo(copy_example(tmp_path / "network"))
    text = ("id: xs-moi\nlibrary: XS\ntype: reference\ntitle: Sách mới\nshare: internal\naccess: catalog\n")
    done = subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(root), text], capture_output=True)
    assert done.returncode == 9, done.stderr.decode()
    assert git(root, "log", "-1", "--format=%s").strip() == "thêm biểu ghi"
    rec = libsync(root, "recover")
    out, err = rec.communicate(timeout=120)
    assert rec.returncode == 0 and "Completed a change" in out.decode(), out.decode() + err.decode()
    assert (root / "records/XS/xs-moi.yaml").read_text(encoding="utf-8") == text
    assert git(root, "status", "--porcelain") == "" and not leftovers(root)
