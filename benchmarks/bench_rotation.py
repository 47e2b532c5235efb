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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from libsync import schemas, yamlio  # noqa: E402
from libsync.repository import Repository  # noqa: E402
from libsync.rotation.batches import CopyIndex  # noqa: E402
from libsync.rotation.exchanges import advance, create_from_plan, new_manifest  # noqa: E402
from libsync.rotation.records import exchange_summaries  # noqa: E402
from libsync.rotation.schedule import plan_year  # noqa: E402

LIBS, BATCHES, RECORDS_PER_BATCH, COPIES = 50, 20, 5, 2
OTHER_MANIFESTS = 600          # a school year of earlier exchanges beside the one dispatched
SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí"]


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

    repo = Repository(root)
    with Clock() as c_ref:       # what every rotation command did before the cache: parse every file
        repo.load_many(repo.record_files())
    cold = schedule_once(root)   # empty cache folder: parses on both cores, writes the cache
    warm = schedule_once(root)   # the cache a previous command left
    plans = warm[3]
    stages = sum(len(p.stages) for p in plans.values())
    unplaced = sum(len(p.unplaced) for p in plans.values())
    spread = max(max(b["received"] for b in p.balance().values()) - min(b["received"] for b in p.balance().values())
                 for p in plans.values())
    total_cold = sum(c.wall for c in cold[:3])
    total_warm = sum(c.wall for c in warm[:3])
    print(f"  reference: YAML parse of every record, one core:   {c_ref}")
    print(f"  read network.yaml ({LIBS * BATCHES} batches):                  {warm[0]}")
    print(f"  load records + index, cold (no cache):              {cold[1]}")
    print(f"  load records + index, warm (cache):                 {warm[1]}")
    print(f"  plan school year:                                   {warm[2]}  "
          f"({stages} stages, {unplaced} unplaced, max spread of copies received per term {spread})")
    print(f"  schedule total, cold (target ≤ 2 s):                {total_cold:6.3f} s")
    print(f"  schedule total, warm (target ≤ 2 s):                {total_warm:6.3f} s")
    print(f"  (plan in the cold run: {cold[2]}; network.yaml in the cold run: {cold[0]})")
    c_help = cli("--help")
    c_cli = cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json")
    print(f"  CLI, warm: libsync schedule 2024-2025/HK1 --format json: {c_cli}"
          f"   (of which start-up, as `libsync --help`: {c_help})")
    with Clock() as c_write:
        written = create_from_plan(Repository(root), plans["2024-2025/HK1"])
    print(f"  schedule --write, HK1 ({len(written['written'])} proposed manifests, one transaction): {c_write}"
          "  (not a target)")
    print(f"  ratios (wall): load reference / warm {c_ref.wall / warm[1].wall:5.1f}×, load cold / warm "
          f"{cold[1].wall / warm[1].wall:5.1f}×, schedule cold / warm {total_cold / total_warm:4.1f}×")


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
    cold_root, warm_root, cli_root = tmp / "dispatch-cold", tmp / "dispatch-warm", tmp / "dispatch-cli"
    barcodes = make_dispatch_repo(cold_root, copies, per_record)
    shutil.copytree(cold_root, warm_root)
    shutil.copytree(cold_root, cli_root)
    scan = tmp / "scan.txt"
    scan.write_text("\n".join(barcodes) + "\n", encoding="utf-8")
    print(f"dispatch: manifest of {copies} copies in {copies // per_record} record files, with a {copies}-line scan,"
          f" beside {OTHER_MANIFESTS} other manifests")

    warm_repo = Repository(warm_root)
    with Clock() as c_prep:      # what an earlier `schedule` / `propose` leaves in the cache
        CopyIndex.from_repository(warm_repo)
        exchange_summaries(warm_repo)
    CopyIndex.from_repository(Repository(cli_root))
    results = {}
    for label, root in (("cold (no cache)", cold_root), ("warm (cache)", warm_root)):
        repo = Repository(root)
        with Clock() as clock:
            outcome = advance(repo, "bench-2000", "dispatch", date=dt.date(2024, 10, 7), scan=scan)
        results[label] = clock
        assert outcome.status == "dispatched" and len(outcome.files) == copies // per_record + 1
        at_partner = repo.load(f"records/XS/xs-r{copies // per_record - 1:05d}.yaml")["items"][0]
        assert at_partner["status"] == "at-partner" and at_partner["holder"] == "HD"
        print(f"  dispatch {label:16s} (check, scan, write {len(outcome.files)} files atomically; target ≤ 2 s): {clock}")
    cold, warm = results["cold (no cache)"], results["warm (cache)"]
    print(f"  (warming the caches beforehand, not part of dispatch: {c_prep})")
    print(f"  ratio cold / warm {cold.wall / warm.wall:4.2f}")
    c_cli = cli("--repo", cli_root, "exchange", "dispatch", "bench-2000", "--date", "2024-10-07", "--scan", scan,
                "--format", "json")
    print(f"  CLI, warm: libsync exchange dispatch bench-2000 --scan … --format json: {c_cli}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="libsync-bench-rotation-") as tmp:
        os.environ["LIBSYNC_CACHE_DIR"] = str(Path(tmp) / "cache")
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
        bench_schedule(Path(tmp))
        bench_dispatch(Path(tmp))
        print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
