"""Benchmark of catalogue interchange: 10,000 MARC records and a 10,000-title register.

Generates its data in a temporary folder: a copy of the example network (its records of all
three libraries included) and a private, empty parsed-record cache (``LIBSYNC_CACHE_DIR``),
so the import is measured cold. Then, in one run:

* pymarc's bare read of the MARC file (``MARCReader``, every record decoded), before and
  after our steps — the faster of the two is the reference (the conservative choice);
* our MARC read (framing, encoding decision, decode, mapping to record fields);
* ``import marc --dry-run`` as the CLI runs it (``importer.import_file``): read the file,
  decode and map on two worker processes while the main one matches and validates;
* the same through the CLI (``python -m libsync ... --dry-run --format json``);
* the real import: read + plan + render YAML on both cores + one Transaction (fsync'd);
* a CSV register (two copies per title) dry-run and real import, into a second copy;
* exports back (marc, marcxml, csv, xlsx, json): the first reads the 10,000 new files into
  the parsed-record cache (cold), the others use it (warm).

Each line gives records/s, wall seconds and CPU seconds (this process plus its worker
processes) and, for MARC, the rate as a share of pymarc's. The machine may be shared: when
CPU is far below 2 × wall, other work held the cores.

    python benchmarks/bench_interchange.py [N]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymarc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import copy_example, reference_record  # noqa: E402

from libsync.interchange import exporter, importer, marc, tables  # noqa: E402
from libsync.repository import Repository  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def make_record(i: int) -> dict:
    return reference_record(i, [{"barcode": f"ND-{i:05d}-{c}", "status": "available", "location": "Kho mở", "price": 45000,
                                 "acquired": "2024-09-05", "register_no": f"TQ-2024/{i}"} for c in range(2)])


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Timer:
    def __enter__(self) -> "Timer":
        self.wall0, self.cpu0 = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = cpu_seconds() - self.cpu0


def line(label: str, n: int, wall: float, cpu: float, reference: float | None = None, extra: str = "") -> None:
    share = f"{reference / wall:7.1%} of pymarc" if reference else " " * 17
    print(f"{label:42s} {n / wall:8,.0f} records/s  wall {wall:6.2f} s  cpu {cpu:6.2f} s  {share}  {extra}".rstrip(),
          flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["LIBSYNC_CACHE_DIR"] = str(tmp / "cache")   # cold: no parsed-record cache yet
        repo = Repository(copy_example(tmp / "net"))
        records = [make_record(i) for i in range(N)]
        mrc = tmp / "bench.mrc"
        mrc.write_bytes(b"".join(part for r in records for part in marc.record_to_iso2709(r)))
        csv_path = tmp / "bench.csv"
        csv_path.write_bytes(tables.write_csv(records))
        data = mrc.read_bytes()
        print(f"MARC file: {N:,} records, {len(data) / 1e6:.1f} MB (UTF-8, 2 copies each); "
              f"CSV register: {2 * N:,} lines; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")

        with Timer() as bare1:
            count = sum(1 for _ in pymarc.MARCReader(data, to_unicode=True))
        assert count == N

        with Timer() as read_t:
            read = marc.read_marc(data, str(mrc))
        assert len(read.items) == N and not any(i.error for i in read.items)

        options = importer.Options(library="ND")
        with Timer() as dry_t:     # what the CLI runs: read the file, decode on 2 cores while planning
            plan = importer.import_file(repo, str(mrc), "marc", options)
        assert plan.counts["created"] == N, plan.counts

        with Timer() as cli_t:
            run = subprocess.run([sys.executable, "-m", "libsync", "--repo", str(repo.root), "import", "marc", str(mrc),
                                  "--library", "ND", "--dry-run", "--format", "json"], capture_output=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr.decode()[-2000:]
        assert json.loads(run.stdout)["counts"]["created"] == N

        shutil.rmtree(tmp / "cache", ignore_errors=True)          # the real import starts cold too
        with Timer() as render_t:                                 # informative: the YAML rendering alone
            importer.render_all(repo, list(plan.writes.values()))
        with Timer() as real_t:
            rplan = importer.import_file(repo, str(mrc), "marc", options)
            importer.apply_plan(repo, rplan)
        assert rplan.counts["created"] == N and len(repo.record_files("ND")) >= N

        with Timer() as bare2:
            sum(1 for _ in pymarc.MARCReader(data, to_unicode=True))
        bare = min(bare1.wall, bare2.wall)

        line("pymarc bare read (MARCReader), 1st", N, bare1.wall, bare1.cpu)
        line("pymarc bare read (MARCReader), 2nd", N, bare2.wall, bare2.cpu)
        line("libsync MARC read + mapping", N, read_t.wall, read_t.cpu, bare)
        line("libsync import marc --dry-run (library)", N, dry_t.wall, dry_t.cpu, bare)
        line("libsync import marc --dry-run (CLI, json)", N, cli_t.wall, cli_t.cpu, bare, "incl. start-up")
        line("libsync import marc, files written (cold)", N, real_t.wall, real_t.cpu, bare)
        line("  of which YAML rendering (2 cores)", N, render_t.wall, render_t.cpu)
        write = real_t.wall - dry_t.wall - render_t.wall
        print(f"  of which the rest (Transaction, fsync of {N:,} files) ≈ {write:5.2f} s wall", flush=True)

        repo2 = Repository(copy_example(tmp / "net2"))
        with Timer() as tdry_t:
            tread = tables.read_table(csv_path.read_bytes(), str(csv_path))
            tplan = importer.plan_import(repo2, tread, options)
        assert tplan.counts["created"] == N, tplan.counts
        with Timer() as tapply_t:
            importer.apply_plan(repo2, tplan)
        line("libsync import table --dry-run (CSV)", N, tdry_t.wall, tdry_t.cpu, None, f"{2 * N / tdry_t.wall:,.0f} lines/s")
        line("libsync import table, files written", N, tdry_t.wall + tapply_t.wall, tdry_t.cpu + tapply_t.cpu)

        expected = N + len([r for r in Repository(ROOT).records("ND")])
        for fmt, label in (("marc", f"cold: {N:,} new files parsed"), ("marc", "warm: parsed-record cache"),
                           ("marcxml", "warm"), ("csv", "warm"), ("xlsx", "warm"), ("json", "warm")):
            with Timer() as exp_t:
                result = exporter.export(repo, fmt, library="ND")
            assert result.records == expected, (result.records, expected)
            line(f"export {fmt} (load + render)", result.records, exp_t.wall, exp_t.cpu, None,
                 f"{len(result.data) / 1e6:5.1f} MB, {label}")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
