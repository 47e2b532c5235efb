"""What the write path costs: lock, validation before writing, journaled Transaction, comments.

Generates its data in a temporary folder and prints figures (not a test). In one run:

1. In-process, N small record files (N = 1,000 and 5,000):
   - the floor: each file written with ``write_atomic`` (temp file, fsync, rename), one by one;
   - ``Transaction.commit`` (journal, temp files fsynced from a thread pool, hard-link backups, swap);
   - ``store.write.apply`` with every file validated as ``libsync validate`` would (the default),
     and with the files marked as already checked (what ``import`` does);
   - ``carry_comments`` on files that have comments (what every rewrite of such a file pays).
2. Whole ``libsync`` processes as a librarian runs them (start-up included), wall and CPU seconds and
   peak memory: ``import table`` of a 5,000-row register with ``--dry-run`` (planning only) and for
   real with ``--commit`` (the difference is the write path and the Git commit), then
   ``exchange dispatch`` of one manifest, and ``fmt`` of the whole example network.

Run: ``python3 benchmarks/bench_writes.py`` (about two minutes on the 2-core machines).
``--compare DIR`` also runs each whole-process step with the libsync of another checkout (e.g. a
``git worktree`` of an older commit) right after the new one, so the ratio comes from one run.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from libsync import atomic, yamlio, schemas  # noqa: E402
from libsync.store import write as store_write  # noqa: E402
from libsync.yamlcomments import carry_comments  # noqa: E402

EXAMPLE = ("network.yaml", "records", "exchanges", "inventories")


def record_text(i: int, comments: bool = False) -> str:
    data = {
        "id": f"xs-sach-{i:05d}", "library": "XS", "type": "story", "title": f"Truyện đọc thêm số {i}",
        "authors": ["Nguyễn Nhật Ánh"], "publisher": "Nhà xuất bản Trẻ", "year": 2020, "share": "internal",
        "access": "catalog", "items": [{"barcode": f"XS-BM-{i:05d}", "status": "available", "price": 45000}],
    }
    text = yamlio.dump(data, schemas.load_schema("record"))
    if comments:
        text = "# nhập tay\n" + text.replace("year: 2020\n", "year: 2020  # năm in\n")
    return text


def clock(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def example(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for part in EXAMPLE:
        src = PROJECT / part
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / part)
    return dest


def in_process(base: Path) -> None:
    print("In-process (wall s / CPU s)")
    for n in (1000, 5000):
        texts = {f"records/XS/xs-sach-{i:05d}.yaml": record_text(i) for i in range(n)}
        rows = []
        for label in ("write_atomic, one by one", "Transaction.commit", "store.apply, validated",
                      "store.apply, pre-checked"):
            root = example(base / f"{label[:5]}-{n}-{time.monotonic_ns()}")
            if label.startswith("write_atomic"):
                fn = lambda: [atomic.write_atomic(root / rel, text) for rel, text in texts.items()]  # noqa: E731
            elif label.startswith("Transaction"):
                def fn(root=root):
                    tx = atomic.Transaction(journal_dir=root / ".libsync" / "journal", root=root)
                    for rel, text in texts.items():
                        tx.write(root / rel, text)
                    tx.commit()
            elif label.endswith("validated"):
                fn = lambda root=root: store_write.apply(root, texts)  # noqa: E731
            else:
                fn = lambda root=root: store_write.apply(root, texts, checked=set(texts))  # noqa: E731
            wall, cpu = clock(fn)
            rows.append((label, wall, cpu))
            shutil.rmtree(root)
        floor = rows[0][1]
        for label, wall, cpu in rows:
            print(f"  {n:>5} files  {label:<28} {wall:6.2f} / {cpu:5.2f}   ×{wall / floor:4.2f} of the floor")
    pairs = [(record_text(i, comments=True), record_text(i)) for i in range(2000)]
    wall, cpu = clock(lambda: [carry_comments(old, new) for old, new in pairs])
    print(f"  carry_comments, 2,000 files with comments: {wall:.2f} / {cpu:.2f}  ({wall / 2000 * 1000:.2f} ms a file)")


def run(args: list[str], cwd: Path, env: dict) -> tuple[float, float, float, int]:
    """(wall s, CPU s of the process and its children, peak MB, exit code) of one libsync process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "libsync", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"libsync {' '.join(args)} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def whole_processes(base: Path, other: Path | None = None) -> None:
    versions = [("", None)] + ([("old ", other)] if other else [])
    for prefix, code in versions:
        print(f"Whole libsync processes{' — ' + str(code) if code else ''} (wall s / CPU s / peak MB)")
        _whole(base / f"{prefix.strip() or 'new'}", code)


def _whole(base: Path, code: Path | None) -> None:
    base.mkdir()
    env = {**os.environ, "LIBSYNC_LANG": "en", "LIBSYNC_CACHE_DIR": str(base / "cache")}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    root = example(base / "net")
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "-c", "user.name=b", "-c", "user.email=b@x", "add", "-A"], check=True)
    subprocess.run([*git, "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "x"], check=True)
    subprocess.run([*git, "config", "user.name", "Bench"], check=True)
    subprocess.run([*git, "config", "user.email", "bench@example.vn"], check=True)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm XB", "Loại tài liệu"])
    for i in range(5000):
        writer.writerow([f"XS-LT-{i:05d}", f"Truyện đọc thêm số {i}", "Nguyễn Nhật Ánh", "Trẻ", "2020", "Truyện"])
    source = base / "so.csv"
    source.write_text(buf.getvalue(), encoding="utf-8")
    steps = [
        ("libsync --version (start-up)", ["--version"]),
        ("import table 5,000 rows --dry-run", ["import", "table", str(source), "--library", "XS", "--dry-run"]),
        ("import table 5,000 rows --commit", ["import", "table", str(source), "--library", "XS", "--commit"]),
        ("exchange dispatch (8 copies)", ["exchange", "dispatch", "hd-xs-2024-10-tranh-giao-duc", "--date",
                                          "2024-10-14"]),
        ("fmt (5,213 files, none to change)", ["fmt"]),
        ("validate, warm", ["validate"]),
    ]
    for label, args in steps:
        wall, cpu, peak, code = run(args, root, env)
        print(f"  {label:<38} {wall:6.2f} / {cpu:5.2f} / {peak:6.0f}   (exit {code})")


def main() -> None:
    other = Path(sys.argv[sys.argv.index("--compare") + 1]).resolve() if "--compare" in sys.argv else None
    load = os.getloadavg()[0]
    print(f"bench_writes: {os.cpu_count()} cores, load average {load:.2f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        in_process(base)
        whole_processes(base, other)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
