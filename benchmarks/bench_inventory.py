"""Benchmark: diff of two 100,000-barcode snapshots against a 30,000-record network.

Generates everything in a temporary folder (benchmarks/synth.py: 2 libraries, 30,000
records, ~90,000 copies), records two snapshots of library L01 through the library API,
then measures, in one run:

* record loading, cold, single process (strict CSafeLoader, every file parsed);
* record loading, cold, on both cores (what a first run does; it also fills the cache);
* record loading, warm (parsed-record cache keyed by path, size and mtime_ns);
* loading the two snapshots;
* the diff itself;
* the whole `libsync inventory diff … --format json` command in a fresh process (warm cache),
  which is the figure the ≤ 2 s target is about.

    python benchmarks/bench_inventory.py [--records 30000] [--barcodes 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_network  # noqa: E402

from libsync.inventory.diff import diff  # noqa: E402
from libsync.inventory.index import CopyIndex, movements  # noqa: E402
from libsync.inventory.scan import read_scan  # noqa: E402
from libsync.inventory.snapshot import load_snapshot, record_snapshot  # noqa: E402
from libsync.repository import Repository  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--barcodes", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="libsync-bench-inv-") as tmp:
        tmp = Path(tmp)
        os.environ["LIBSYNC_CACHE_DIR"] = str(tmp / "cache")
        root = tmp / "net"
        counts, t_gen = timed(lambda: make_network(root, libraries=2, records=args.records, manifests=200, seed=args.seed))
        repo = Repository(root)

        _, t_cold1 = timed(lambda: CopyIndex.build(root, use_cache=False, workers=1))
        index, t_cold2 = timed(lambda: CopyIndex.build(root, use_cache=True, workers=2))
        warm, t_warm = timed(lambda: CopyIndex.build(root, use_cache=True))
        assert warm.stats["parsed"] == 0 and len(warm) == len(index)

        own = [c for c, copy in index.copies.items() if copy.library == "L01"]
        other = [c for c, copy in index.copies.items() if copy.library != "L01"]
        before = own + other[: max(0, args.barcodes - len(own))]
        before += [f"UNK-{i:06d}" for i in range(args.barcodes - len(before))]
        rng.shuffle(before)
        gone = set(rng.sample(before, len(before) * 3 // 100))
        after = [c for c in before if c not in gone]
        after += [f"NEW-{i:06d}" for i in range(args.barcodes - len(after) - 1000)]
        after += rng.sample(after, 1000)  # scanned twice
        rng.shuffle(after)
        (tmp / "before.txt").write_text("\n".join(before) + "\n", encoding="utf-8")
        (tmp / "after.txt").write_text("\n".join(after) + "\n", encoding="utf-8")

        scan, t_scan = timed(lambda: read_scan(tmp / "after.txt"))
        record_snapshot(repo, "L01", tmp / "before.txt", label="Trước", date="2024-09-30", snapshot_id="before")
        _, t_record = timed(lambda: record_snapshot(repo, "L01", tmp / "after.txt", label="Sau", date="2024-11-30",
                                                    snapshot_id="after"))

        def load_both():
            return load_snapshot(repo, "before"), load_snapshot(repo, "after")

        ((b_rel, b), (a_rel, a)), t_snap = timed(load_both)
        moves, t_moves = timed(lambda: movements(repo))
        report, t_diff = timed(lambda: diff(b, a, warm, moves, b_rel, a_rel))
        total_in_process = t_warm + t_snap + t_moves + t_diff

        cmd = [sys.executable, "-m", "libsync", "--repo", str(root), "inventory", "diff", "before", "after",
               "--format", "json"]
        env = dict(os.environ, LIBSYNC_CACHE_DIR=str(tmp / "cache"))
        proc, t_cli = timed(lambda: subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        assert proc.returncode == 0, proc.stderr.decode()
        env_cold = dict(os.environ, LIBSYNC_CACHE_DIR=str(tmp / "cache-cold"))
        proc, t_cli_cold = timed(lambda: subprocess.run(cmd, env=env_cold, stdout=subprocess.DEVNULL,
                                                        stderr=subprocess.PIPE))
        assert proc.returncode == 0, proc.stderr.decode()

        print(f"network: {counts['records']} records, {len(index)} copies, {counts['manifests']} manifests "
              f"(generated in {t_gen:.1f} s); snapshots: {len(b['barcodes'])} and {len(a['barcodes'])} barcodes")
        print(f"categories: {report['counts']}")
        print(f"load records, cold, 1 process      : {t_cold1:6.2f} s")
        print(f"load records, cold, 2 processes    : {t_cold2:6.2f} s  (x{t_cold1 / t_cold2:.2f} faster; fills the cache)")
        print(f"load records, warm cache           : {t_warm:6.2f} s  (x{t_cold1 / t_warm:.1f} faster than cold)")
        print(f"read 100k-line scan file           : {t_scan:6.2f} s")
        print(f"record snapshot (scan+write)       : {t_record:6.2f} s")
        print(f"load two snapshots                 : {t_snap:6.2f} s")
        print(f"load exchanges                     : {t_moves:6.2f} s")
        print(f"diff                               : {t_diff:6.2f} s")
        print(f"in-process total, warm            : {total_in_process:6.2f} s  (target <= 2 s)")
        print(f"CLI `inventory diff`, warm cache   : {t_cli:6.2f} s  (fresh process, JSON output)")
        print(f"CLI `inventory diff`, cold cache   : {t_cli_cold:6.2f} s  (first run after a clone)")


if __name__ == "__main__":
    main()
