"""Bulk edits on a 30,000-record network: `libsync share` and `libsync enrich` (issue #11).

    python benchmarks/bench_edit.py                    # 30,000 records in 3 libraries
    python benchmarks/bench_edit.py --records 9000     # smaller, quicker

Generates a network the way ``bench_scale.py`` does (a pool of editions held by several schools,
committed to Git), then measures, in one run so the ratios hold on a busy machine:

* ``share``: a whole ``libsync share --library L001 --access download --yes`` process (start-up
  included) that changes every record of one library (10,000 of 30,000), with a cold and a warm
  cache; the reference is writing the same new files durably in-process: one
  ``atomic.Transaction`` (journal, temp files fsynced, swap) with exactly the bytes share wrote.
  Target: share ≤ 2× the reference.
* ``enrich``: a whole ``libsync enrich --library L003 --apply`` process against the union of the
  whole network; the reference is ``libsync merge`` of the same network (the union enrich needs)
  for the library's audience (the union enrich needs, built from files already examined) plus the
  durable write of the files enrich wrote. Target: enrich ≤ merge + writes.

Peak memory is the largest resident size of the process and its workers (GNU time when
installed). Between steps the repository is put back with Git, so every step starts from the
same data. Nothing in the project changes.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402
from bench_scale import git, make_network, run  # noqa: E402

from libsync import atomic  # noqa: E402


def changed_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "diff", "--name-only"], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def reset(root: Path) -> None:
    git(root, "checkout", "-q", "--", ".")
    git(root, "clean", "-qfd", "--", "records", "catalog")


def durable_write(root: Path, contents: dict[str, bytes]) -> float:
    """Seconds to write ``contents`` (relpath → bytes) with one journaled Transaction."""
    reset(root)
    journal = Path(tempfile.mkdtemp(prefix="journal-"))
    start = time.perf_counter()
    tx = atomic.Transaction(journal_dir=journal, root=root)
    for rel, data in contents.items():
        tx.write(root / rel, data)
    tx.commit()
    return time.perf_counter() - start


def thin_records(root: Path, library: str, share: float, rng: random.Random) -> None:
    """Make part of one library's records poor (no subjects, keywords, call number, publisher:
    what a register without those columns gives), so enrich has something to fill."""
    for path in sorted((root / "records" / library).glob("*.yaml")):
        if rng.random() >= share:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("subjects", "keywords", "call_number", "publisher", "place", "pages", "classification"):
            data.pop(key, None)
        data["share"] = "internal"
        from libsync import schemas, yamlio

        path.write_text(yamlio.dump(data, schemas.load_schema("record")), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--libraries", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-edit-"))
    root = tmp / "net"
    start = time.perf_counter()
    codes = make_network(root, args.libraries, args.records)
    thin_records(root, codes[-1], 0.5, random.Random(3))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mạng mô phỏng")
    per_lib = args.records // args.libraries
    print(f"network: {args.records:,} records in {args.libraries} libraries, made in "
          f"{time.perf_counter() - start:.1f} s ({tmp})")

    # --- share --------------------------------------------------------------------------------
    share_args = ("share", "--library", codes[0], "--access", "download", "--yes")
    cold_cache = tmp / "cache-cold"
    wall_cold, peak_cold = run(root, cold_cache, *share_args)
    written = {rel: (root / rel).read_bytes() for rel in changed_files(root)}
    reset(root)
    warm_cache = tmp / "cache-warm"
    run(root, warm_cache, "validate")                       # a repository the librarian has used
    wall_warm, peak_warm = run(root, warm_cache, *share_args)
    assert len(changed_files(root)) == len(written)
    reference = durable_write(root, written)
    reset(root)
    print(f"share: {len(written):,} of {args.records:,} records changed")
    print(f"  durable write of those files (Transaction, in-process): {reference:7.2f} s")
    print(f"  libsync share, cold cache:  {wall_cold:7.2f} s  {wall_cold / reference:4.2f}× the write  "
          f"peak {peak_cold:6.0f} MB")
    print(f"  libsync share, warm cache:  {wall_warm:7.2f} s  {wall_warm / reference:4.2f}× the write  "
          f"peak {peak_warm:6.0f} MB   (target ≤ 2×)")

    # --- enrich ----------------------------------------------------------------------------------
    # each with the files examined already (a repository in use) and no union kept for that
    # audience: merge builds the union enrich needs, enrich builds it again itself
    merge_cache, enrich_cache = tmp / "cache-merge", tmp / "cache-enrich"
    run(root, merge_cache, "validate")
    run(root, enrich_cache, "validate")
    merge_wall, merge_peak = run(root, merge_cache, "merge", "--audience", codes[-1], "-o", str(tmp / "union.json"))
    enrich_args = ("enrich", "--library", codes[-1], "--apply")
    enrich_wall, enrich_peak = run(root, enrich_cache, *enrich_args)
    enriched = {rel: (root / rel).read_bytes() for rel in changed_files(root)}
    writes = durable_write(root, enriched) if enriched else 0.0
    reset(root)
    print(f"enrich: {per_lib:,} records of {codes[-1]} against a {args.records:,}-record union; "
          f"{len(enriched):,} records completed")
    print(f"  libsync merge --audience {codes[-1]}:  {merge_wall:7.2f} s  peak {merge_peak:6.0f} MB")
    print(f"  durable write of those files:  {writes:7.2f} s")
    print(f"  libsync enrich --apply:        {enrich_wall:7.2f} s  peak {enrich_peak:6.0f} MB  "
          f"{enrich_wall / (merge_wall + writes):4.2f}× (merge + writes)   (target ≤ 1×)")


if __name__ == "__main__":
    main()
