"""Before/after stocktakes around the October exchange: record, diff, check, minutes.

The network is the project's network.yaml copied into tmp_path, with records and
exchanges written here (one copy planted for every category).
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from docx import Document as DocxDocument
from typer.testing import CliRunner

from libsync import schemas
from libsync.cli import create_app
from libsync.i18n import set_language
from libsync.inventory.check import check
from libsync.inventory.diff import CATEGORIES, diff
from libsync.inventory.index import CopyIndex, movements
from libsync.inventory.snapshot import load_snapshot, record_snapshot
from libsync.repository import Repository

PROJECT = Path(__file__).resolve().parent.parent
TERM = "2024-2025/HK1"


def record(root: Path, lib: str, rid: str, title: str, items: list[dict], kind: str = "textbook") -> None:
    path = root / "records" / lib / f"{rid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"id": rid, "library": lib, "type": kind, "title": title, "items": items}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def exchange(root: Path, eid: str, src: str, dst: str, copies: list[tuple[str, str]], history: list[tuple[str, str]],
             status: str) -> None:
    path = root / "exchanges" / TERM / f"{eid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"id": eid, "term": TERM, "from": src, "to": dst, "status": status,
            "planned": {"handover": "2024-10-07", "return_due": "2025-01-10"},
            "copies": [{"barcode": b, "record": r} for b, r in copies],
            "history": [{"status": s, "date": d} for s, d in history]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def net(tmp_path, monkeypatch):
    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(tmp_path / "cache"))
    set_language("vi")
    root = tmp_path / "net"
    root.mkdir()
    shutil.copy(PROJECT / "network.yaml", root / "network.yaml")
    avail = {"status": "available"}
    record(root, "XS", "toan-6", "Toán 6 — Kết nối tri thức", [
        {"barcode": "XS-0001", **avail},                                    # present
        {"barcode": "XS-0002", **avail},                                    # missing
        {"barcode": "XS-0003", "status": "at-partner", "holder": "HD",      # explained: exchange
         "status_date": "2024-10-07", "status_ref": "LC-XS-HD-2024-HK1"},
    ])
    record(root, "XS", "ngu-van-6", "Ngữ văn 6", [
        {"barcode": "XS-0004", **avail, "acquired": "2024-10-15"},          # returned / new
        {"barcode": "XS-0005", "status": "lost", "status_date": "2024-09-01",
         "status_ref": "KK-2024-08"},                                       # conflict
        {"barcode": "XS-0006", **avail},                                    # twice
        {"barcode": "XS-0007", "status": "on-loan", "status_date": "2024-10-10",
         "status_ref": "PM-2024-113"},                                      # explained: loan
        {"barcode": "XS-0008", **avail},                                    # only on the shelf for check
    ])
    record(root, "HD", "lich-su-6", "Lịch sử và Địa lí 6", [
        {"barcode": "HD-0001", "status": "at-partner", "holder": "XS", "status_date": "2024-10-07",
         "status_ref": "LC-HD-XS-2024-HK1"},                                # foreign, expected
        {"barcode": "HD-0002", **avail},
    ])
    record(root, "XS", "sach-so", "Sách điện tử Toán 6", [{"barcode": "XS-SO-1", **avail}], kind="digital")
    record(root, "ND", "tieng-anh-6", "Tiếng Anh 6", [{"barcode": "ND-0001", **avail}])  # foreign, unexpected
    exchange(root, "LC-XS-HD-2024-HK1", "XS", "HD", [("XS-0003", "toan-6")],
             [("approved", "2024-09-20"), ("dispatched", "2024-10-07"), ("received", "2024-10-08")], "received")
    exchange(root, "LC-HD-XS-2024-HK1", "HD", "XS", [("HD-0001", "lich-su-6")],
             [("approved", "2024-09-20"), ("dispatched", "2024-10-07"), ("received", "2024-10-08")], "received")
    (tmp_path / "before.txt").write_text(
        "[Kho A]\nXS-0001\nXS-0002\nXS-0003\nXS-0005\nXS-0006\nXS-0007\n", encoding="utf-8")
    (tmp_path / "after.txt").write_bytes(
        b"[Kho A]\r\n\x02XS-0001\x03\r\nXS-0004\r\n XS-0005 \r\n]C1XS-0006\r\nXS-0006\r\n"
        b"[Kho B - s\xc3\xa1ch lu\xc3\xa2n chuy\xe1\xbb\x83n]\r\nHD-0001\r\nND-0001\r\nZZ-9999\r\n")
    yield root
    set_language("vi")


def run(root: Path, *args: str):
    return CliRunner().invoke(create_app(), ["--repo", str(root), *args])


EXPECTED = {
    "present": ["XS-0001"],
    "missing": ["XS-0002"],
    "explained": ["XS-0003", "XS-0007"],
    "returned": ["XS-0004"],
    "unknown": ["ZZ-9999"],
    "foreign": ["HD-0001", "ND-0001"],
    "conflict": ["XS-0005"],
    "twice": ["XS-0006"],
}


def record_pair(root: Path, tmp_path: Path) -> None:
    r1 = run(root, "inventory", "record", "XS", str(tmp_path / "before.txt"), "--label", "Trước luân chuyển HK1",
             "--date", "2024-10-01", "--by", "Phạm Thị Thu Hà")
    assert r1.exit_code == 0, r1.output
    r2 = run(root, "inventory", "record", "XS", str(tmp_path / "after.txt"), "--label", "Sau luân chuyển HK1",
             "--date", "2024-11-15", "--by", "Phạm Thị Thu Hà")
    assert r2.exit_code == 0, r2.output


def test_done_when_scenario_classifies_exactly(net, tmp_path):
    record_pair(net, tmp_path)
    before = net / "inventories/XS/2024-10-01-truoc-luan-chuyen-hk1.yaml"
    after = net / "inventories/XS/2024-11-15-sau-luan-chuyen-hk1.yaml"
    assert before.is_file() and after.is_file()
    raw = net / "inventories/XS/raw/2024-11-15-sau-luan-chuyen-hk1.txt"
    assert raw.read_bytes() == (tmp_path / "after.txt").read_bytes()  # byte for byte
    data = yaml.safe_load(after.read_text(encoding="utf-8"))
    assert schemas.fast_validator("inventory").is_valid(data)
    assert data["barcodes"] == ["XS-0001", "XS-0004", "XS-0005", "XS-0006", "XS-0006", "HD-0001", "ND-0001", "ZZ-9999"]
    assert data["sections"] == [{"location": "Kho A", "start": 0, "count": 5},
                                {"location": "Kho B - sách luân chuyển", "start": 5, "count": 3}]
    assert data["taken_by"] == "Phạm Thị Thu Hà"

    result = run(net, "inventory", "diff", "2024-10-01-truoc-luan-chuyen-hk1", "XS/2024-11-15-sau-luan-chuyen-hk1",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    got = {c: [e["barcode"] for e in report["entries"] if e["category"] == c] for c in CATEGORIES}
    assert got == EXPECTED
    by = {e["barcode"]: e for e in report["entries"]}
    assert by["XS-0003"]["reason"] == "exchange" and by["XS-0003"]["ref"] == "LC-XS-HD-2024-HK1"
    assert by["XS-0003"]["ref_file"] == f"exchanges/{TERM}/LC-XS-HD-2024-HK1.yaml"
    assert by["XS-0007"]["reason"] == "status:on-loan" and by["XS-0007"]["ref"] == "PM-2024-113"
    assert by["XS-0004"]["reason"] == "acquired"
    assert by["HD-0001"]["expected"] is True and by["HD-0001"]["ref"] == "LC-HD-XS-2024-HK1"
    assert by["ND-0001"]["expected"] is False
    assert by["XS-0005"]["reason"] == "status:lost"
    assert by["XS-0006"]["base"] == "present" and by["XS-0006"]["where"]["after"] == [4, 5]
    assert report["counts"] == {c: len(v) for c, v in EXPECTED.items()}
    # every barcode of either scan is in exactly one entry
    assert sorted(by) == sorted(set(data["barcodes"]) | {"XS-0002", "XS-0003", "XS-0007"})
    assert len(report["entries"]) == len(by)


def test_fail_on_text_and_csv(net, tmp_path):
    record_pair(net, tmp_path)
    args = ["inventory", "diff", "2024-10-01-truoc-luan-chuyen-hk1", "2024-11-15-sau-luan-chuyen-hk1"]
    text = run(net, *args)
    assert text.exit_code == 0
    assert "XS-0002" in text.stdout and "Mất (không rõ lý do)" in text.stdout
    failed = run(net, *args, "--fail-on", "missing,unknown")
    assert failed.exit_code == 1
    assert run(net, *args, "--fail-on", "returned").exit_code == 1
    bad = run(net, *args, "--fail-on", "lost")
    assert bad.exit_code == 2 and "lost" in bad.output
    csv_out = run(net, *args, "--format", "csv")
    lines = csv_out.stdout.splitlines()
    assert lines[0].startswith("category,barcode,")
    assert any(line.startswith("missing,XS-0002,") and ",M," in line for line in lines)
    en = run(net, "--lang", "en", *args)
    assert "Missing (no explanation)" in en.stdout


def test_minutes_docx_and_md_with_marks(net, tmp_path):
    record_pair(net, tmp_path)
    args = ["inventory", "diff", "2024-10-01-truoc-luan-chuyen-hk1", "2024-11-15-sau-luan-chuyen-hk1"]
    md = tmp_path / "bien-ban.md"
    assert run(net, *args, "--minutes", str(md)).exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert "BIÊN BẢN KIỂM KÊ TÀI LIỆU THƯ VIỆN" in text
    assert "XS-0002" in text and "XS-0001" not in text.split("II.")[1]  # present copies are not listed
    docx = tmp_path / "bien-ban.docx"
    assert run(net, *args, "--minutes", str(docx)).exit_code == 0
    doc = DocxDocument(str(docx))
    cells = {}
    for table in doc.tables:
        for row in table.rows:
            values = [c.text for c in row.cells]
            if len(values) == 6 and values[1].startswith(("XS-", "HD-", "ND-", "ZZ-")):
                cells[values[1]] = values
    # XS-0003 is away on rotation (by its exchange): its own mark, not M, the mark for lost
    assert cells["XS-0002"][4] == "M" and cells["XS-0003"][4] == "LC"
    assert cells["XS-0004"][4] == "C" and cells["HD-0001"][4] == "C"
    # the row names its exchange by a reference; the id is given once, under the table, with the partner
    ref = re.search(r"\[\d+\]", cells["XS-0003"][5]).group(0)
    assert "LC-XS-HD-2024-HK1" not in cells["XS-0003"][5]
    legend = [p.text for p in doc.paragraphs if p.text.startswith(ref)]
    assert len(legend) == 1 and "LC-XS-HD-2024-HK1" in legend[0] and "Hưng Đạo" in legend[0], legend
    everything = [p.text for p in doc.paragraphs] + [c.text for tb in doc.tables for r in tb.rows for c in r.cells]
    body = "\n".join(everything)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body or "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert "BIÊN BẢN KIỂM KÊ TÀI LIỆU THƯ VIỆN" in body and "TRƯỜNG THCS XUÂN SƠN" in body


def test_diff_against_catalog(net, tmp_path):
    record_pair(net, tmp_path)
    result = run(net, "inventory", "diff", "2024-11-15-sau-luan-chuyen-hk1", "catalog", "--date", "2024-11-20",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    got = {e["barcode"]: e["category"] for e in report["entries"]}
    assert got["XS-0008"] == "returned"          # the catalogue has it on the shelf, the scan did not
    assert got["ZZ-9999"] == "unknown"
    assert report["after"]["id"] == "catalog"


def test_check_shelf_scan(net, tmp_path):
    scan = tmp_path / "shelf.csv"
    scan.write_text("Mã vạch;Vị trí\nXS-0001;Kho A\nXS-0007;Kho A\nXS-0003;Kho A\nHD-0001;Kho B\nHD-0002;Kho B\n"
                    "ZZ-1;Kho B\nXS-0004;Kho A\nXS-0004;Kho A\n", encoding="utf-8")
    result = run(net, "inventory", "check", "XS", str(scan), "--date", "2024-11-20", "--format", "json",
                 "--fail-on", "missing")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    got = {e["barcode"]: (e["category"], e.get("reason"), e.get("expected")) for e in report["entries"]}
    assert got["XS-0001"] == ("present", None, None)
    assert got["XS-0007"] == ("conflict", "status:on-loan", None)        # lent, yet on the shelf
    assert got["XS-0003"] == ("conflict", "exchange", None)              # away at HD
    assert got["HD-0001"][0] == "foreign" and got["HD-0001"][2] is True
    assert got["HD-0002"][0] == "foreign" and got["HD-0002"][2] is False
    assert got["ZZ-1"][0] == "unknown"
    assert got["XS-0004"][0] == "twice"
    assert got["XS-0002"][0] == "missing" and got["XS-0006"][0] == "missing" and got["XS-0008"][0] == "missing"
    assert "XS-0005" not in got  # lost and not scanned: not expected, not reported
    assert "XS-SO-1" not in got  # a digital record's copy is a file, never on a shelf
    assert report["scan"]["expected"] == 6  # five own copies + HD-0001 brought by the exchange


def test_library_api_directly(net, tmp_path):
    repo = Repository(net)
    before = record_snapshot(repo, "XS", tmp_path / "before.txt", label="Trước", date="2024-10-01")
    after = record_snapshot(repo, "XS", tmp_path / "after.txt", label="Sau", date="2024-11-15")
    index = CopyIndex.build(net)
    # the snapshots' writes already examined the records (the write path checks cross-file rules)
    assert index.stats["parsed"] + index.stats["cached"] == 5
    again = CopyIndex.build(net)
    assert again.stats["parsed"] == 0 and again.stats["cached"] == 5 and len(again) == len(index)
    report = diff(before["data"], after["data"], index, movements(repo))
    assert report["counts"]["missing"] == 1
    # a changed record file is parsed again (cache keyed by size and mtime)
    record(net, "XS", "toan-6", "Toán 6", [{"barcode": "XS-0001", "status": "available"},
                                           {"barcode": "XS-0002", "status": "withdrawn", "status_date": "2024-10-20",
                                            "status_ref": "QĐ thanh lý 12/2024"}])
    index3 = CopyIndex.build(net)
    assert index3.stats["parsed"] == 1
    report = diff(before["data"], after["data"], index3, movements(repo))
    entry = next(e for e in report["entries"] if e["barcode"] == "XS-0002")
    assert entry["category"] == "explained" and entry["reason"] == "status:withdrawn"
    shelf = check(["XS-0001"], "XS", index3, movements(repo))
    assert shelf["counts"]["present"] == 1


def test_nfd_label_and_location_are_stored_nfc(net, tmp_path):
    label = unicodedata.normalize("NFD", "Kiểm kê cuối kỳ")
    result = run(net, "inventory", "record", "XS", str(tmp_path / "before.txt"), "--label", label,
                 "--date", "2024-12-30", "--location", unicodedata.normalize("NFD", "Kho đọc"), "--format", "json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["id"] == "2024-12-30-kiem-ke-cuoi-ky"
    text = (net / info["snapshot"]).read_text(encoding="utf-8")
    assert "label: Kiểm kê cuối kỳ" in text and "location: Kho đọc" in text
    shown = run(net, "inventory", "show", info["id"], "--format", "json")
    assert json.loads(shown.stdout)["label"] == "Kiểm kê cuối kỳ"
    listed = json.loads(run(net, "inventory", "list", "XS", "--format", "json").stdout)
    assert [i["id"] for i in listed] == ["2024-12-30-kiem-ke-cuoi-ky"]


def test_snapshot_cache_sees_edits(net, tmp_path):
    repo = Repository(net)
    made = record_snapshot(repo, "XS", tmp_path / "before.txt", label="Trước", date="2024-10-01")
    rel, first = load_snapshot(repo, made["data"]["id"])
    assert first["barcodes"][0] == "XS-0001"
    _, again = load_snapshot(repo, made["data"]["id"])  # from the cache
    assert again == first
    path = net / rel
    path.write_text(path.read_text(encoding="utf-8").replace("- XS-0001\n", "- XS-00990\n"), encoding="utf-8")
    _, edited = load_snapshot(repo, made["data"]["id"])
    assert edited["barcodes"][0] == "XS-00990"
    path.write_text(path.read_text(encoding="utf-8") + "barcodes: []\n", encoding="utf-8")  # duplicate key
    with pytest.raises(Exception) as info:
        load_snapshot(repo, made["data"]["id"])
    assert "2024-10-01-truoc" in str(info.value)
