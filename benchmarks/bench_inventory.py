"""Benchmark: diff of two 100,000-barcode snapshots against a 30,000-record network.

Generates everything in a temporary folder (benchmarks/synth.py: 2 libraries, 30,000
records, ~90,000 copies), records two snapshots of library L01 through the library API,
then measures, in one run:

* record loading, cold, single process (strict CSafeLoader, every file parsed);
* record loading, cold, on both cores (what a first run does; it also fills the cache);
* record loading, warm (the shared file cache, libsync.filecache);
* loading the two snapshots (first: strict YAML parse; again: from the parsed-file cache);
* the diff itself;
* the whole `libsync inventory diff … --format json` command in a fresh process (warm cache),
  which is the figure the ≤ 2 s target is about.

    python benchmarks/bench_inventory.py [--records 30000] [--barcodes 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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


CPU: dict[str, float] = {}


def timed(fn, name: str | None = None):
    """Run ``fn``; wall seconds returned, CPU seconds (this process + finished children) kept in CPU."""
    start, cpu0, kids0 = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    value = fn()
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu0 + (kids1.ru_utime - kids0.ru_utime) + (kids1.ru_stime - kids0.ru_stime)
    if name:
        CPU[name] = cpu
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

        _, t_cold1 = timed(lambda: CopyIndex.build(root, use_cache=False), 'cold1')
        index, t_cold2 = timed(lambda: CopyIndex.build(root, use_cache=True), 'cold2')
        warm, t_warm = timed(lambda: CopyIndex.build(root, use_cache=True), 'warm')
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

        scan, t_scan = timed(lambda: read_scan(tmp / "after.txt"), 'scan')
        record_snapshot(repo, "L01", tmp / "before.txt", label="Trước", date="2024-09-30", snapshot_id="before")
        _, t_record = timed(lambda: record_snapshot(repo, "L01", tmp / "after.txt", label="Sau", date="2024-11-30",
                                                    snapshot_id="after"), 'record')

        def load_both():
            return load_snapshot(repo, "before"), load_snapshot(repo, "after")

        _, t_snap_first = timed(load_both, 'snap_first')
        ((b_rel, b), (a_rel, a)), t_snap = timed(load_both, 'snap')
        moves, t_moves = timed(lambda: movements(repo), 'moves')
        report, t_diff = timed(lambda: diff(b, a, warm, moves, b_rel, a_rel), 'diff')
        total_in_process = t_warm + t_snap + t_moves + t_diff

        cmd = [sys.executable, "-m", "libsync", "--repo", str(root), "inventory", "diff", "before", "after",
               "--format", "json"]
        env = dict(os.environ, LIBSYNC_CACHE_DIR=str(tmp / "cache"))
        proc, t_cli = timed(lambda: subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), 'cli')
        assert proc.returncode == 0, proc.stderr.decode()
        env_cold = dict(os.environ, LIBSYNC_CACHE_DIR=str(tmp / "cache-cold"))
        proc, t_cli_cold = timed(lambda: subprocess.run(cmd, env=env_cold, stdout=subprocess.DEVNULL,
                                                        stderr=subprocess.PIPE), 'cli_cold')
        assert proc.returncode == 0, proc.stderr.decode()

        load = os.getloadavg()
        print(f"network: {counts['records']} records, {len(index)} copies, {counts['manifests']} manifests "
              f"(generated in {t_gen:.1f} s); snapshots: {len(b['barcodes'])} and {len(a['barcodes'])} barcodes")
        print(f"categories: {report['counts']}")
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
              f"(other processes share the cores: wall > CPU means waiting)")
        print(f"{'step':38s} {'wall s':>8s} {'CPU s':>8s}")
        rows = [
            ("load records, cold, 1 process", t_cold1, "cold1"),
            ("load records, cold, 2 processes", t_cold2, "cold2"),
            ("load records, warm cache", t_warm, "warm"),
            ("read 100k-line scan file", t_scan, "scan"),
            ("record snapshot (scan + write)", t_record, "record"),
            ("load two snapshots, first (YAML)", t_snap_first, "snap_first"),
            ("load two snapshots, again (cached)", t_snap, "snap"),
            ("load exchanges", t_moves, "moves"),
            ("diff", t_diff, "diff"),
            ("CLI `inventory diff`, warm cache", t_cli, "cli"),
            ("CLI `inventory diff`, cold cache", t_cli_cold, "cli_cold"),
        ]
        for name, wall, key in rows:
            print(f"{name:38s} {wall:8.2f} {CPU[key]:8.2f}")
        cpu_total = CPU["warm"] + CPU["snap"] + CPU["moves"] + CPU["diff"]
        print(f"{'in-process total, warm (target <= 2 s)':38s} {total_in_process:8.2f} {cpu_total:8.2f}")
        print(f"ratios: cold 1 proc / 2 procs = x{t_cold1 / t_cold2:.2f} wall; cold / warm load = x{t_cold1 / t_warm:.1f} wall, "
              f"x{CPU['cold1'] / CPU['warm']:.1f} CPU")

if __name__ == "__main__":
    main()
