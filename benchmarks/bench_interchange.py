"""Benchmark of catalogue interchange: 10,000 MARC records and a 10,000-line register.

Generates its data in a temporary folder (a copy of the example network with an empty
library), then measures in one run: pymarc's bare read of the MARC file, our MARC read
(decode + mapping), the import plan (= --dry-run: read, match, validate, render), the
applied import (all files written in one Transaction), the same for a CSV register, and
the export back to marc / csv / xlsx. Prints records per second and the ratio to pymarc.

    python benchmarks/bench_interchange.py [N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pymarc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from libsync.interchange import exporter, importer, marc, tables  # noqa: E402
from libsync.repository import Repository  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
TITLES = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Giáo dục công dân",
          "Tin học", "Công nghệ", "Âm nhạc", "Mĩ thuật", "Truyện cổ tích Việt Nam", "Đất rừng phương Nam"]
AUTHORS = ["Nguyễn Văn Thành", "Trần Thị Minh Hằng", "Lê Thị Hồng Nhung", "Phạm Thị Thu Hà", "Đỗ Quang Huy"]


def make_record(i: int) -> dict:
    return {
        "id": f"bench-{i:05d}", "library": "ND", "type": "reference",
        "title": f"{TITLES[i % len(TITLES)]} — tuyển tập số {i}", "subtitle": "sách tham khảo cho học sinh THCS",
        "authors": [AUTHORS[i % 5], AUTHORS[(i + 2) % 5]], "publisher": "Giáo dục Việt Nam", "place": "Hà Nội",
        "year": 2000 + i % 25, "language": "vie", "pages": 100 + i % 300, "dimensions": "24 cm",
        "classification": {"ddc": f"{300 + i % 600}.{i % 100}"}, "call_number": f"{300 + i % 600} B{i:05d}",
        "subjects": ["Giáo dục -- Việt Nam"], "keywords": ["THCS", TITLES[i % len(TITLES)]],
        "share": "network", "access": "catalog",
        "items": [{"barcode": f"ND-{i:05d}-{c}", "status": "available", "location": "Kho mở", "price": 45000,
                   "acquired": "2024-09-05", "register_no": f"TQ-2024/{i}"} for c in range(2)],
    }


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:10,.0f} records/s  ({seconds:6.2f} s)"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        net = tmp / "net"
        net.mkdir()
        shutil.copy(ROOT / "network.yaml", net / "network.yaml")
        repo = Repository(net)
        records = [make_record(i) for i in range(N)]
        mrc = tmp / "bench.mrc"
        mrc.write_bytes(b"".join(marc.as_iso2709(part) for r in records for part in marc.record_to_marc(r)))
        csv_path = tmp / "bench.csv"
        csv_path.write_bytes(tables.write_csv(records))
        data = mrc.read_bytes()
        print(f"MARC file: {N:,} records, {len(data) / 1e6:.1f} MB; CSV register: {2 * N:,} lines (2 copies/title)")

        t0 = time.perf_counter()
        count = sum(1 for _ in pymarc.MARCReader(data, to_unicode=True))
        bare = time.perf_counter() - t0
        assert count == N
        t0 = time.perf_counter()
        read = marc.read_marc(data, str(mrc))
        ours_read = time.perf_counter() - t0
        assert len(read.items) == N
        options = importer.Options(library="ND")
        t0 = time.perf_counter()
        plan = importer.plan_import(repo, read, options)
        planning = time.perf_counter() - t0
        assert plan.counts["created"] == N, plan.counts
        t0 = time.perf_counter()
        importer.apply_plan(repo, plan)
        applying = time.perf_counter() - t0

        print(f"pymarc bare read (MARCReader)        {rate(N, bare)}")
        print(f"libsync MARC read + mapping          {rate(N, ours_read)}   {bare / ours_read:6.1%} of pymarc")
        dry = ours_read + planning
        print(f"libsync MARC import --dry-run        {rate(N, dry)}   {bare / dry:6.1%} of pymarc")
        full = dry + applying
        print(f"libsync MARC import (files written)  {rate(N, full)}   {bare / full:6.1%} of pymarc")

        empty = tmp / "net2"
        empty.mkdir()
        shutil.copy(ROOT / "network.yaml", empty / "network.yaml")
        repo2 = Repository(empty)
        t0 = time.perf_counter()
        tread = tables.read_table(csv_path.read_bytes(), str(csv_path))
        tplan = importer.plan_import(repo2, tread, options)
        tdry = time.perf_counter() - t0
        assert tplan.counts["created"] == N, tplan.counts
        t0 = time.perf_counter()
        importer.apply_plan(repo2, tplan)
        tapply = time.perf_counter() - t0
        print(f"libsync CSV import --dry-run         {rate(N, tdry)}   ({2 * N / tdry:,.0f} lines/s)")
        print(f"libsync CSV import (files written)   {rate(N, tdry + tapply)}")

        for fmt in ("marc", "marcxml", "csv", "xlsx", "json"):
            t0 = time.perf_counter()
            result = exporter.export(repo, fmt, library="ND")
            seconds = time.perf_counter() - t0
            assert result.records == N
            print(f"export {fmt:8s} (load + render)       {rate(N, seconds)}   {len(result.data) / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
