"""Rotation benchmark: plan a school year for 50 libraries × 20 batches; dispatch a
2,000-copy manifest. Generates its data in a temporary folder and prints figures.

    python benchmarks/bench_rotation.py

Issue 5 targets: schedule ≤ 2 s, dispatch ≤ 2 s. Every step is measured in this one run,
cold (empty cache folder) and warm (the caches a previous command left), with wall time and
CPU time (this process and its worker processes): the machine may be shared, and CPU time
shows how much of a slow wall time was waiting for the processor. Ratios compare figures of
this same run. The caches live in a temporary LIBSYNC_CACHE_DIR, never in ~/.cache.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from libsync import schemas, yamlio  # noqa: E402
from libsync.atomic import Transaction  # noqa: E402
from libsync.cachedir import repo_cache_dir  # noqa: E402
from libsync.repository import Repository  # noqa: E402
from libsync.rotation.batches import CopyIndex  # noqa: E402
from libsync.rotation.exchanges import advance, create_from_plan, new_manifest  # noqa: E402
from libsync.rotation.records import exchange_summaries  # noqa: E402
from libsync.rotation.schedule import plan_year  # noqa: E402

LIBS, BATCHES, RECORDS_PER_BATCH, COPIES = 50, 20, 5, 2
OTHER_MANIFESTS = 600          # a school year of earlier exchanges beside the one dispatched
SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí"]


ROUNDS = 3                     # every step is measured this many times, alternating cold and warm


def cli(*args) -> Clock:
    """One `python -m libsync ...` in a subprocess (start-up and imports included), timed."""
    with Clock() as clock:
        done = subprocess.run([sys.executable, "-m", "libsync", *map(str, args)], cwd=PROJECT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    if done.returncode != 0:
        raise SystemExit(f"libsync {' '.join(map(str, args))} failed: {done.stderr.decode()[-500:]}")
    return clock


class Clock:
    """Wall and CPU seconds (this process plus finished worker processes) of a block."""

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = self._cpu() - self.cpu0

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def __str__(self) -> str:
        return f"{self.wall:6.3f} s  (CPU {self.cpu:6.3f} s)"


class Series:
    """The same step measured in several rounds: best and median wall time, with CPU."""

    def __init__(self) -> None:
        self.clocks: list[Clock] = []

    def add(self, clock: Clock) -> Clock:
        self.clocks.append(clock)
        return clock

    @property
    def best(self) -> float:
        return min(c.wall for c in self.clocks)

    @property
    def median(self) -> float:
        return statistics.median(c.wall for c in self.clocks)

    def __str__(self) -> str:
        cpu = statistics.median(c.cpu for c in self.clocks)
        return f"best {self.best:6.3f} s, median {self.median:6.3f} s  (CPU median {cpu:6.3f} s)"


def network_data(codes):
    return {
        "network": {"id": "bench", "name": "Mạng thử hiệu năng", "lead": codes[0]},
        "libraries": [{"code": c, "name": f"Trường THCS Thử {c}", "librarians": [{"name": f"Thủ thư {c}"}]} for c in codes],
        "groups": [{"id": "all", "name": "Toàn mạng", "members": codes, "rotation": True}],
        "calendar": {"school_days": ["mon", "tue", "wed", "thu", "fri"], "school_years": [{
            "id": "2024-2025",
            "terms": [{"id": "2024-2025/HK1", "name": "HK1", "start": "2024-09-05", "end": "2025-01-18"},
                      {"id": "2024-2025/HK2", "name": "HK2", "start": "2025-01-20", "end": "2025-05-31"}],
            "blackouts": [{"name": "Tết", "start": "2025-01-25", "end": "2025-02-02"}]}]},
        "rotation": {"max_stay_days": 183, "batches": [
            {"id": f"{c.lower()}-b{b:02d}", "library": c, "name": f"Bộ {b}", "group": "all",
             "filter": {"records": [f"{c.lower()}-b{b:02d}-r{r}" for r in range(RECORDS_PER_BATCH)]}}
            for c in codes for b in range(BATCHES)]},
    }


def write_records(root: Path, lib: str, ids_items):
    schema = schemas.load_schema("record")
    folder = root / "records" / lib
    folder.mkdir(parents=True, exist_ok=True)
    for rid, n, items in ids_items:
        rec = {"id": rid, "library": lib, "type": "textbook", "title": f"{SUBJECTS[n % 5]} {6 + n % 4}",
               "authors": ["Nguyễn Văn A"], "items": items}
        (folder / f"{rid}.yaml").write_text(yamlio.dump(rec, schema), encoding="utf-8")


def schedule_once(root: Path) -> tuple[Clock, Clock, Clock, dict]:
    """One `libsync schedule` worth of work on a fresh Repository: network, index, plan."""
    repo = Repository(root)
    with Clock() as c_net:
        network = repo.network
    with Clock() as c_load:
        index = CopyIndex.from_repository(repo)
    with Clock() as c_plan:
        plans = plan_year(network, index, "2024-2025")
    return c_net, c_load, c_plan, plans


def bench_schedule(tmp: Path) -> None:
    root = tmp / "schedule"
    root.mkdir()
    codes = [f"L{i:02d}" for i in range(LIBS)]
    (root / "network.yaml").write_text(yamlio.dump(network_data(codes), schemas.load_schema("network")), encoding="utf-8")
    for c in codes:
        write_records(root, c, [(f"{c.lower()}-b{b:02d}-r{r}", r,
                                 [{"barcode": f"{c}{b:02d}{r}{k}", "status": "available"} for k in range(COPIES)])
                                for b in range(BATCHES) for r in range(RECORDS_PER_BATCH)])
    n_records = LIBS * BATCHES * RECORDS_PER_BATCH
    print(f"schedule: {LIBS} libraries × {BATCHES} batches, {n_records} records, {n_records * COPIES} copies, 2 terms")

    ref, net, load_cold, load_warm, plan, total_cold, total_warm = (Series() for _ in range(7))
    for _ in range(ROUNDS):
        repo = Repository(root)
        with ref.add(Clock()):   # what every rotation command did before the cache: parse every file
            repo.records()
        shutil.rmtree(repo_cache_dir(root), ignore_errors=True)
        cold = schedule_once(root)   # empty cache folder: parses on both cores, writes the cache
        warm = schedule_once(root)   # the cache the previous command left
        net.add(warm[0])
        load_cold.add(cold[1])
        load_warm.add(warm[1])
        plan.add(warm[2])
        total_cold.add(_sum(cold[:3]))
        total_warm.add(_sum(warm[:3]))
    plans = warm[3]
    stages = sum(len(p.stages) for p in plans.values())
    unplaced = sum(len(p.unplaced) for p in plans.values())
    spread = max(max(b["received"] for b in p.balance().values()) - min(b["received"] for b in p.balance().values())
                 for p in plans.values())
    print(f"  reference: YAML parse of every record, one core:  {ref}")
    print(f"  read network.yaml ({LIBS * BATCHES} batches):                 {net}")
    print(f"  load records + index, cold (no cache):             {load_cold}")
    print(f"  load records + index, warm (cache):                {load_warm}")
    print(f"  plan school year:                                  {plan}")
    print(f"      ({stages} stages, {unplaced} unplaced, max spread of copies received per term {spread})")
    print(f"  schedule total, cold (target ≤ 2 s):               {total_cold}")
    print(f"  schedule total, warm (target ≤ 2 s):               {total_warm}")
    helps, clis = Series(), Series()
    for _ in range(ROUNDS):
        helps.add(cli("--help"))
        clis.add(cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json"))
    print(f"  CLI, warm: libsync schedule 2024-2025/HK1 --format json: {clis}")
    print(f"      of which start-up (as `libsync --help`):             {helps}")
    with Clock() as c_write:
        written = create_from_plan(Repository(root), plans["2024-2025/HK1"])
    print(f"  schedule --write, HK1 ({len(written['written'])} proposed manifests, one transaction, once): {c_write}"
          "  (not a target)")
    print(f"  ratios (best wall): load reference / warm {ref.best / load_warm.best:5.1f}×, load cold / warm "
          f"{load_cold.best / load_warm.best:5.1f}×, schedule cold / warm {total_cold.best / total_warm.best:4.1f}×")


def _sum(clocks) -> Clock:
    total = Clock()
    total.wall = sum(c.wall for c in clocks)
    total.cpu = sum(c.cpu for c in clocks)
    return total


def make_dispatch_repo(root: Path, copies: int, per_record: int) -> list[str]:
    root.mkdir()
    codes = ["XS", "HD"]
    data = network_data(codes)
    data["rotation"]["batches"] = []
    (root / "network.yaml").write_text(yamlio.dump(data, schemas.load_schema("network")), encoding="utf-8")
    write_records(root, "XS", [(f"xs-r{r:05d}", r, [{"barcode": f"XS{r:05d}{k}", "status": "available"}
                                                    for k in range(per_record)]) for r in range(copies // per_record)])
    repo = Repository(root)
    barcodes = [f"XS{r:05d}{k}" for r in range(copies // per_record) for k in range(per_record)]
    manifest, _ = new_manifest(repo, term="2024-2025/HK1", sender="XS", receiver="HD", handover=dt.date(2024, 10, 7),
                               return_due=dt.date(2025, 1, 17), barcodes=barcodes, exchange_id="bench-2000",
                               date=dt.date(2024, 9, 30))
    manifest["status"] = "approved"
    manifest["history"].append({"status": "approved", "date": "2024-10-01"})
    repo.save(repo.exchange_relpath("2024-2025/HK1", "bench-2000"), manifest)
    # earlier exchanges of the year: HD's copies (none of the dispatched ones), a third still out
    for n in range(OTHER_MANIFESTS):
        status = ("dispatched", "closed", "returned")[n % 3]
        other = dict(manifest, id=f"hd-xs-2024-2025-hk1-b{n:04d}", **{"from": "HD", "to": "XS"},
                     status=status, batch=f"b{n:04d}",
                     copies=[{"barcode": f"HD{n:04d}{k}", "record": f"hd-r{n:04d}"} for k in range(5)],
                     history=[{"status": "proposed", "date": "2024-09-30"}, {"status": status, "date": "2024-10-02"}])
        repo.save(repo.exchange_relpath("2024-2025/HK1", other["id"]), other)
    return barcodes


def bench_dispatch(tmp: Path, copies: int = 2000) -> None:
    per_record = 2
    base = tmp / "dispatch"
    barcodes = make_dispatch_repo(base, copies, per_record)
    scan = tmp / "scan.txt"
    scan.write_text("\n".join(barcodes) + "\n", encoding="utf-8")
    print(f"dispatch: manifest of {copies} copies in {copies // per_record} record files, with a {copies}-line scan,"
          f" beside {OTHER_MANIFESTS} other manifests")

    def fresh(name: str, warm: bool) -> Path:
        root = tmp / name
        shutil.copytree(base, root)     # a new path: its own, empty cache folder
        if warm:                        # what an earlier `schedule` / `propose` leaves in the cache
            with prep.add(Clock()):
                CopyIndex.from_repository(Repository(root))
                exchange_summaries(Repository(root))
        return root

    prep = Series()
    results = {"cold (no cache)": Series(), "warm (cache)": Series()}
    for n in range(ROUNDS):
        for label, warm in (("cold (no cache)", False), ("warm (cache)", True)):
            repo = Repository(fresh(f"dispatch-{n}-{warm}", warm))
            with results[label].add(Clock()):
                outcome = advance(repo, "bench-2000", "dispatch", date=dt.date(2024, 10, 7), scan=scan)
            assert outcome.status == "dispatched" and len(outcome.files) == copies // per_record + 1
            at_partner = repo.load(f"records/XS/xs-r{copies // per_record - 1:05d}.yaml")["items"][0]
            assert at_partner["status"] == "at-partner" and at_partner["holder"] == "HD"
    for label, series in results.items():
        print(f"  dispatch {label:16s} (check, scan, write {copies // per_record + 1} files atomically; target ≤ 2 s):")
        print(f"      {series}")
    cold, warm = results["cold (no cache)"], results["warm (cache)"]
    # the floor under dispatch: the same 1,001 files written through one Transaction, nothing else
    floor = Series()
    for n in range(ROUNDS):
        root = fresh(f"dispatch-floor-{n}", False)
        texts = {path: path.read_bytes() for path in (root / "records" / "XS").iterdir()}
        texts[root / "exchanges/2024-2025/HK1/bench-2000.yaml"] = b"x" * 150_000
        with floor.add(Clock()):
            with Transaction() as tx:
                for path, data in texts.items():
                    tx.write(path, data)
    print(f"  of which the durable write alone (Transaction of {len(texts)} files, temp + fsync + rename):")
    print(f"      {floor}")
    print(f"  (warming the caches beforehand, not part of dispatch: {prep})")
    print(f"  ratio cold / warm (best wall) {cold.best / warm.best:4.2f}")
    clis = Series()
    for n in range(ROUNDS):
        root = fresh(f"dispatch-cli-{n}", True)
        clis.add(cli("--repo", root, "exchange", "dispatch", "bench-2000", "--date", "2024-10-07", "--scan", scan,
                     "--format", "json"))
    print(f"  CLI, warm: libsync exchange dispatch bench-2000 --scan … --format json: {clis}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="libsync-bench-rotation-") as tmp:
        os.environ["LIBSYNC_CACHE_DIR"] = str(Path(tmp) / "cache")
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
        bench_schedule(Path(tmp))
        bench_dispatch(Path(tmp))
        print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
