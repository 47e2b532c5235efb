"""Benchmark `libsync validate` on a synthetic network (issue #2's targets).

Generates (or reuses) a network of 10 libraries, 30,000 records and 1,000 manifests, then
measures in one run, on the same files:

* bare: single-process CSafeLoader parse of every data file (read + yaml.load);
* cold: full `validate` with an empty cache (both cores);
* warm: the same again, cache filled;
* changed: `--changed-since HEAD` after editing 10 files (warm cache, and with no cache);
* peak memory (max RSS of the validating process and of its worker processes).

Targets: cold ≤ 1.0× bare, warm ≤ 5 % of cold, changed ≤ 10 % of cold, peak ≤ 1 GB.

    python benchmarks/bench_validate.py [--records 30000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402

from synth import make_network  # noqa: E402

CHILD = """
import json, resource, sys, time
from libsync.validation import validate
t = time.perf_counter()
c = time.process_time()
r = validate(sys.argv[1], changed_since=sys.argv[2] or None, use_cache=sys.argv[3] == "1")
elapsed = time.perf_counter() - t
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - c + children.ru_utime + children.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "files_checked": r.files_checked, "errors": len(r.errors),
                  "parsed": r.parsed, "reused": r.reused,
                  "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run_validate(root: Path, cache: Path, changed_since: str = "", use_cache: bool = True) -> dict:
    env = dict(os.environ, LIBSYNC_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), changed_since, "1" if use_cache else "0"],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def bare_parse(root: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of a single-process read + CSafeLoader parse of every data file."""
    from libsync.repository import Repository

    files = Repository(root).data_files()
    start, cpu = time.perf_counter(), time.process_time()
    for rel in files:
        with open(root / rel, "rb") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start, time.process_time() - cpu, len(files)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--libraries", type=int, default=10)
    parser.add_argument("--manifests", type=int, default=1_000)
    parser.add_argument("--dir", type=Path, help="reuse/generate the network here (default: a temp dir)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="libsync-bench-"))
    root = args.dir or work / "network"
    if not (root / "network.yaml").exists():
        t = time.perf_counter()
        counts = make_network(root, args.libraries, args.records, args.manifests)
        print(f"generated {counts} in {time.perf_counter() - t:.1f} s")
    if not (root / ".git").exists():
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "synthetic")
    cache = work / "cache"

    # The machine is shared: the bare parse is measured before and after the cold run and the
    # faster of the two is the reference (CPU seconds are given too: they do not inflate with load).
    bare1, bare_cpu1, nfiles = bare_parse(root)
    cold = run_validate(root, cache)
    bare2, bare_cpu2, _ = bare_parse(root)
    bare, bare_cpu = min(bare1, bare2), min(bare_cpu1, bare_cpu2)
    warm = run_validate(root, cache)
    records = sorted((root / "records").rglob("*.yaml"))[:10]
    for path in records:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Kho mở", "Kho mở tầng 2", 1), encoding="utf-8")
    changed_warm = run_validate(root, cache, "HEAD")
    changed_nocache = run_validate(root, work / "empty-cache", "HEAD", use_cache=True)
    git(root, "checkout", "-q", "--", ".")

    print(f"files: {nfiles} (cores: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f})")
    print(f"bare CSafeLoader parse (1 process):   {bare:7.2f} s  (runs: {bare1:.2f} s, {bare2:.2f} s; CPU {bare_cpu:.2f} s)")
    print(f"cold validate:                         {cold['seconds']:7.2f} s  = {cold['seconds'] / bare:5.2f}× bare"
          f"   (errors: {cold['errors']}, parsed {cold['parsed']}; CPU {cold['cpu']:.2f} s on all cores"
          f" = {cold['cpu'] / bare_cpu:.2f}× bare CPU)")
    print(f"warm validate:                         {warm['seconds']:7.2f} s  = {100 * warm['seconds'] / cold['seconds']:5.1f} % of cold"
          f"   (re-read {warm['parsed']}, reused {warm['reused']})")
    print(f"--changed-since, 10 files, warm cache: {changed_warm['seconds']:7.2f} s  = {100 * changed_warm['seconds'] / cold['seconds']:5.1f} % of cold"
          f"   (checked {changed_warm['files_checked']}, re-read {changed_warm['parsed']})")
    print(f"--changed-since, 10 files, no cache:   {changed_nocache['seconds']:7.2f} s  = {100 * changed_nocache['seconds'] / cold['seconds']:5.1f} % of cold"
          f"   (checked {changed_nocache['files_checked']}, re-read {changed_nocache['parsed']})")
    peak = max(cold["rss_self_mb"], cold["rss_children_mb"])
    print(f"peak memory (cold): main {cold['rss_self_mb']:.0f} MB, largest worker {cold['rss_children_mb']:.0f} MB"
          f"  -> {'OK' if peak <= 1024 else 'OVER'} (≤ 1 GB)")


if __name__ == "__main__":
    main()
