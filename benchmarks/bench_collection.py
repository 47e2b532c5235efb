"""Benchmark of the registers and the yearly report (#12). Prints its figures.

1. The individual register (sổ đăng ký cá biệt) of one library with ~30,000 copies as .xlsx:
   ``libsync.collection.registers`` (records read warm through the store, rows built, written)
   against openpyxl alone writing the very same rows in write-only mode. Target: ≤ 2×.
2. The yearly report of the whole network (``report.figures`` + ``to_html``) of N records
   (default 100,000), warm (the store's cache filled by a first run), in a fresh process as a
   librarian runs it (``libsync report --network``). Target: ≤ 10 s.

    python benchmarks/bench_collection.py [--copies 30000] [--records 100000]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_network  # noqa: E402

from libsync.collection import registers  # noqa: E402
from libsync.repository import Repository  # noqa: E402


def openpyxl_alone(book: dict) -> float:
    """openpyxl writing the register's rows (header, lines, totals) in write-only mode."""
    from openpyxl import Workbook

    part = book["parts"][0]
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(part["header"])
    for row in part["rows"]:
        ws.append(row)
    ws.append(part["totals"])
    wb.save(io.BytesIO())
    return time.perf_counter() - start


def bench_register(root: Path, copies: int) -> None:
    make_network(root, libraries=2, records=max(20, copies * 2 // 3), manifests=0)   # 3 copies a record on average
    repo = Repository(root)
    registers.build(repo, "individual", "L01")          # fills the store's cache (a first run)
    best_ours = best_base = float("inf")
    for _ in range(3):
        repo = Repository(root)
        start = time.perf_counter()
        book = registers.build(repo, "individual", "L01")
        data = registers.to_xlsx(book)
        best_ours = min(best_ours, time.perf_counter() - start)
        best_base = min(best_base, openpyxl_alone(book))
    rows = len(book["parts"][0]["rows"])
    print(f"individual register, {rows:,} copies: libsync {best_ours:.2f} s (read, build, write; "
          f"{len(data) / 1e6:.1f} MB) · openpyxl write-only alone {best_base:.2f} s · ratio {best_ours / best_base:.2f}× "
          f"(target ≤ 2×)")


def bench_report(root: Path, records: int) -> None:
    start = time.perf_counter()
    make_network(root, libraries=10, records=records, manifests=1000)
    print(f"network of {records:,} records generated in {time.perf_counter() - start:.0f} s")
    env = dict(os.environ, LIBSYNC_REPO=str(root))
    cmd = [sys.executable, "-m", "libsync", "report", "--network", "--year", "2024-2025", "-o", str(root.parent / "r.html")]
    times = []
    for n in range(3):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        print(f"  report --network run {n + 1}: {times[-1]:.2f} s{' (cold: fills the cache)' if n == 0 else ''}")
    print(f"yearly report of {records:,} records, warm: {min(times[1:]):.2f} s (target ≤ 10 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30_000)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("LIBSYNC_CACHE_DIR", str(Path(tmp) / "cache"))
        bench_register(Path(tmp) / "one", args.copies)
        bench_report(Path(tmp) / "net", args.records)


if __name__ == "__main__":
    main()
