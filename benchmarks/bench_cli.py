"""What a librarian waits for at the command line: whole `libsync` processes, start-up included.

Runs everyday commands — help, a usage error, validate, search, exchange list, merge — as fresh
processes on the example network and on a generated 30,000-record network, and prints the
median wall time, CPU time and peak memory of each. With ``--baseline REF`` the same commands
run with the libsync of REF too, taking turns, so the two are compared in one run on the same
(shared, noisy) machine:

    python3 benchmarks/bench_cli.py                       # this tree only
    python3 benchmarks/bench_cli.py --baseline 660a1a9    # against an earlier commit
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))

from synth import baseline_tree, copy_example, make_network, process  # noqa: E402

ROUNDS = 3
COMMANDS = [
    ("--version",),
    ("--help",),
    ("search",),                      # a usage error: exit 2, said in Vietnamese
    ("validate",),                    # warm cache
    ("search", "toán"),
    ("exchange", "list"),
    ("merge", "--format", "json"),
]


def measure(code_root: Path, repo: Path, args: tuple[str, ...], cache: Path) -> tuple[float, float, float]:
    env = {**os.environ, "PYTHONPATH": str(code_root), "LIBSYNC_CACHE_DIR": str(cache), "LIBSYNC_LANG": "vi",
           "COLUMNS": "80"}
    command = [sys.executable, "-m", "libsync", *(() if args[0].startswith("--") else ("--repo", str(repo))), *args]
    wall, cpu, peak, code, err = process(command, repo, env)
    if code not in (0, 1, 2):
        raise SystemExit(f"{code_root}: libsync {' '.join(args)} exited {code}: {err[-1500:]}")
    return wall, cpu, peak


def compare(name: str, repo: Path, trees: dict[str, Path], cache_root: Path) -> None:
    print(f"\n{name} — median of {ROUNDS} fresh processes each" + (", taking turns" if len(trees) > 1 else ""))
    print(f"  {'command':28} " + "  ".join(f"{label:>26}" for label in trees) + ("   ratio" if len(trees) > 1 else ""))
    for args in COMMANDS:
        runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label in trees}
        for label, root in trees.items():   # a first run each fills that version's own cache
            measure(root, repo, args, cache_root / label)
        for _ in range(ROUNDS):
            for label, root in trees.items():
                runs[label].append(measure(root, repo, args, cache_root / label))
        cells = []
        walls = []
        for label in trees:
            wall = statistics.median(r[0] for r in runs[label])
            cpu = statistics.median(r[1] for r in runs[label])
            peak = max(r[2] for r in runs[label])
            walls.append(wall)
            cells.append(f"{wall:6.3f} s {cpu:6.3f} cpu {peak:4.0f} MB")
        ratio = f"  {walls[1] / walls[0]:5.2f}×" if len(walls) > 1 else ""
        print(f"  {' '.join(args):28} " + "  ".join(f"{c:>26}" for c in cells) + ratio)


def main(argv: list[str]) -> None:
    ref = None
    if "--baseline" in argv:
        ref = argv[argv.index("--baseline") + 1]
    print(f"libsync command-line benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="libsync-bench-cli-") as tmp_name:
        tmp = Path(tmp_name)
        example = copy_example(tmp / "example")
        big = tmp / "big"
        make_network(big, libraries=10, records=30_000, manifests=300)
        subprocess.run(["git", "init", "-q", str(big)], check=True)
        with contextlib.ExitStack() as stack:
            trees = {"this tree": PROJECT}
            if ref:
                trees = {"baseline": stack.enter_context(baseline_tree(ref, tmp)), **trees}
            compare("example network (200 records)", example, trees, tmp / "cache")
            compare("generated network (30,000 records)", big, trees, tmp / "cache")

if __name__ == "__main__":
    main(sys.argv[1:])
