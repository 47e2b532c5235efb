"""Done-when: on the example network, a before/after pair around the October 2024 exchange
with one planted discrepancy of each category is classified exactly.

The example network (network.yaml, records/, exchanges/, inventories/) is copied into
tmp_path; the project's own data is never touched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from libsync.cli import create_app
from libsync.inventory.diff import CATEGORIES



@pytest.fixture
def net(example_repo):
    """The example network copied by conftest's ``example_repo`` (private cache, Vietnamese)."""
    return example_repo


def run(root: Path, *args: str):
    return CliRunner().invoke(create_app(), ["--repo", str(root), *args])


def test_october_exchange_before_after(net, tmp_path):
    before = tmp_path / "truoc.txt"
    before.write_text("[Kho mở]\nXS-GK-00123\nXS-GK-00124\nXS-TN-00002\nXS-TK-00007\nXS-GK-00089\nXS-BC-00011\n",
                      encoding="utf-8")
    after = tmp_path / "sau.txt"
    after.write_bytes(b"[Kho m\xe1\xbb\x9f]\r\n XS-GK-00123\r\n\x02XS-GK-00089\x03\r\nXS-BC-00010\r\nXS-BC-00011\r\n"
                      b"]C1XS-BC-00011\r\nHD-GK-00071\r\nXS-ZZ-99999\r\n")
    for scan, label, date in ((before, "Trước luân chuyển HK1", "2024-10-01"), (after, "Sau luân chuyển HK1", "2024-11-15")):
        result = run(net, "inventory", "record", "XS", str(scan), "--label", label, "--date", date, "--id",
                     f"test-{date}")
        assert result.exit_code == 0, result.output
    result = run(net, "inventory", "diff", "XS/test-2024-10-01", "XS/test-2024-11-15", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    got = {c: [e["barcode"] for e in report["entries"] if e["category"] == c] for c in CATEGORIES}
    assert got == {
        "present": ["XS-GK-00123"],
        "missing": ["XS-GK-00124"],
        "explained": ["XS-TN-00002", "XS-TK-00007"],
        "returned": ["XS-BC-00010"],
        "unknown": ["XS-ZZ-99999"],
        "foreign": ["HD-GK-00071"],
        "conflict": ["XS-GK-00089"],
        "twice": ["XS-BC-00011"],
    }
    by = {e["barcode"]: e for e in report["entries"]}
    assert (by["XS-TN-00002"]["reason"], by["XS-TN-00002"]["ref"], by["XS-TN-00002"]["date"]) == \
        ("exchange", "xs-hd-2024-10-truyen-thieu-nhi", "2024-10-07")
    assert by["XS-TN-00002"]["ref_file"] == "exchanges/2024-2025/HK1/xs-hd-2024-10-truyen-thieu-nhi.yaml"
    assert (by["XS-TK-00007"]["ref"], by["XS-TK-00007"]["date"]) == ("xs-nd-2024-10-tk-ngu-van-6-7", "2024-10-10")
    assert by["HD-GK-00071"]["expected"] is False     # HD→XS is only approved: nothing came yet
    assert by["XS-GK-00089"]["reason"] == "status:lost"
    assert by["XS-GK-00089"]["ref"] == "Biên bản xử lý mất tài liệu số 02/BB-TV"
    assert by["XS-BC-00010"]["reason"] is None
    assert run(net, "inventory", "diff", "XS/test-2024-10-01", "XS/test-2024-11-15",
               "--fail-on", "missing,unknown").exit_code == 1
    minutes = tmp_path / "bien-ban.md"
    assert run(net, "inventory", "diff", "XS/test-2024-10-01", "XS/test-2024-11-15", "--minutes", str(minutes)).exit_code == 0
    text = minutes.read_text(encoding="utf-8")
    assert "TRƯỜNG THCS XUÂN SƠN" in text and "xs-hd-2024-10-truyen-thieu-nhi" in text
    assert "Biên bản xử lý mất tài liệu số 02/BB-TV" in text


def test_books_sent_to_hd_are_expected_foreign_on_hd_shelf(net, tmp_path):
    scan = tmp_path / "hd.txt"
    scan.write_text("XS-TN-00002\nXS-TN-00004\nHD-GK-00071\n", encoding="utf-8")
    result = run(net, "inventory", "check", "HD", str(scan), "--date", "2024-11-15", "--format", "json")
    report = json.loads(result.stdout)
    by = {e["barcode"]: e for e in report["entries"]}
    assert by["XS-TN-00002"]["category"] == "foreign" and by["XS-TN-00002"]["expected"] is True
    assert by["XS-TN-00002"]["ref"] == "xs-hd-2024-10-truyen-thieu-nhi"
    assert by["HD-GK-00071"]["category"] == "present"
    assert report["counts"]["missing"] > 0  # the rest of HD's shelf was not scanned
    assert result.exit_code == 0


def test_committed_example_pair_is_intact_and_diffs_as_documented(net):
    import hashlib

    import yaml

    for path in sorted((net / "inventories").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw = net / data["source"]["file"]
        assert hashlib.sha256(raw.read_bytes()).hexdigest() == data["source"]["sha256"], path
    result = run(net, "inventory", "diff", "2024-10-01-truoc-luan-chuyen-hk1", "2024-11-15-sau-luan-chuyen-hk1",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert counts == {"present": 178, "missing": 1, "explained": 26, "returned": 0, "unknown": 1, "foreign": 1,
                      "conflict": 0, "twice": 1}
    checked = run(net, "validate")
    assert checked.exit_code == 0, checked.output
