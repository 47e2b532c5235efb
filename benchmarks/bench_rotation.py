"""Rotation benchmark: plan a school year for 50 libraries × 20 batches; dispatch a
2,000-copy manifest. Generates its data in a temporary folder and prints figures.

    python benchmarks/bench_rotation.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from libsync import schemas, yamlio
from libsync.repository import Repository
from libsync.rotation.batches import CopyIndex
from libsync.rotation.exchanges import advance, new_manifest
from libsync.rotation.schedule import plan_year

LIBS, BATCHES, RECORDS_PER_BATCH, COPIES = 50, 20, 5, 2
SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí"]


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


def bench_schedule(tmp: Path) -> None:
    root = tmp / "schedule"
    root.mkdir()
    codes = [f"L{i:02d}" for i in range(LIBS)]
    (root / "network.yaml").write_text(yamlio.dump(network_data(codes), schemas.load_schema("network")), encoding="utf-8")
    for c in codes:
        write_records(root, c, [(f"{c.lower()}-b{b:02d}-r{r}", r,
                                 [{"barcode": f"{c}{b:02d}{r}{k}", "status": "available"} for k in range(COPIES)])
                                for b in range(BATCHES) for r in range(RECORDS_PER_BATCH)])
    repo = Repository(root)
    t0 = time.perf_counter()
    index = CopyIndex.from_repository(repo)
    t1 = time.perf_counter()
    plans = plan_year(repo.network, index, "2024-2025")
    t2 = time.perf_counter()
    stages = sum(len(p.stages) for p in plans.values())
    unplaced = sum(len(p.unplaced) for p in plans.values())
    spread = max(max(b["received"] for b in p.balance().values()) - min(b["received"] for b in p.balance().values())
                 for p in plans.values())
    n_records = LIBS * BATCHES * RECORDS_PER_BATCH
    print(f"schedule: {LIBS} libraries × {BATCHES} batches, {n_records} records, {n_records * COPIES} copies, 2 terms")
    print(f"  load records + index:     {t1 - t0:6.3f} s")
    print(f"  plan school year:         {t2 - t1:6.3f} s  ({stages} stages, {unplaced} unplaced, max spread of copies received per term {spread})")
    print(f"  total (target ≤ 2 s):     {t2 - t0:6.3f} s")


def bench_dispatch(tmp: Path, copies: int = 2000) -> None:
    root = tmp / "dispatch"
    root.mkdir()
    codes = ["XS", "HD"]
    data = network_data(codes)
    data["rotation"]["batches"] = []
    (root / "network.yaml").write_text(yamlio.dump(data, schemas.load_schema("network")), encoding="utf-8")
    per_record = 2
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
    scan = tmp / "scan.txt"
    scan.write_text("\n".join(barcodes) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    outcome = advance(repo, "bench-2000", "dispatch", date=dt.date(2024, 10, 7), scan=scan)
    t1 = time.perf_counter()
    print(f"dispatch: manifest of {copies} copies in {copies // per_record} record files, with a {copies}-line scan")
    print(f"  dispatch (check, scan, write {len(outcome.files)} files atomically; target ≤ 2 s): {t1 - t0:6.3f} s")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="libsync-bench-rotation-") as tmp:
        bench_schedule(Path(tmp))
        bench_dispatch(Path(tmp))


if __name__ == "__main__":
    main()
