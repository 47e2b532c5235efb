"""``libsync.inventory.commands``: each inventory command's work as a library function, on a
real copy of the example network in a real Git repository (no mocks), and the same answers
as the command line gives."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from libsync.errors import LibsyncError
from libsync.inventory import commands
from libsync.repository import Repository

BEFORE = "inventories/XS/2024-10-01-truoc-luan-chuyen-hk1.yaml"
AFTER = "inventories/XS/2024-11-15-sau-luan-chuyen-hk1.yaml"
BEFORE_REF, AFTER_REF = "XS/2024-10-01-truoc-luan-chuyen-hk1", "XS/2024-11-15-sau-luan-chuyen-hk1"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", *args],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture
def net(example_repo: Path) -> Path:
    git(example_repo, "init", "-q", "-b", "main")
    git(example_repo, "add", "-A")
    git(example_repo, "commit", "-q", "-m", "mạng mẫu")
    return example_repo


def test_record_list_and_show(net: Path, tmp_path: Path) -> None:
    scan = tmp_path / "quet.txt"
    scan.write_text("[Kho mở]\nXS-GK-00123\nXS-GK-00124\nXS-GK-00123\nkhông phải mã\n", encoding="utf-8")
    repo = Repository.discover(str(net))
    result = commands.record(repo, "XS", scan, label="Kiểm kê thử", date="2024-12-02", taken_by="Hà")

    assert result["snapshot"] == "inventories/XS/2024-12-02-kiem-ke-thu.yaml"
    assert result["raw"] == "inventories/XS/raw/2024-12-02-kiem-ke-thu.txt"
    assert (result["id"], result["library"], result["date"]) == ("2024-12-02-kiem-ke-thu", "XS", "2024-12-02")
    assert (result["count"], result["unique"]) == (3, 2)
    assert (net / result["raw"]).read_bytes() == scan.read_bytes()   # the raw scan byte for byte
    assert [w.line for w in result["warnings"]] == [5]                # the line that is no barcode
    # nothing committed, the new files are untracked
    assert set(git(net, "status", "--porcelain", "-uall").split()) >= {"??", result["snapshot"], result["raw"]}

    listed = commands.list_snapshots(repo, "XS")
    assert [i["file"] for i in listed] == [BEFORE, AFTER, result["snapshot"]]   # by date
    assert listed[-1] == {"id": "2024-12-02-kiem-ke-thu", "library": "XS", "date": "2024-12-02",
                          "label": "Kiểm kê thử", "count": 3, "file": result["snapshot"]}
    assert commands.list_snapshots(repo, "HD") == []

    shown = commands.show_snapshot(repo, "XS/2024-12-02-kiem-ke-thu")
    assert shown["file"] == result["snapshot"]
    assert shown["barcodes"] == ["XS-GK-00123", "XS-GK-00124", "XS-GK-00123"]
    assert shown["taken_by"] == "Hà"

    with pytest.raises(LibsyncError):   # the same id again: refused, nothing written
        commands.record(repo, "XS", scan, label="Kiểm kê thử", date="2024-12-02")
    with pytest.raises(LibsyncError):
        commands.list_snapshots(repo, "ZZ")


def test_diff_is_what_the_cli_reports(net: Path, cli) -> None:
    repo = Repository.discover(str(net))
    report = commands.diff_snapshots(repo, BEFORE_REF, AFTER_REF)
    assert report["kind"] == "diff" and report["library"] == "XS"
    assert report["before"]["file"] == BEFORE and report["after"]["file"] == AFTER
    assert sum(report["counts"].values()) == len(report["entries"]) > 0

    shown = cli("--repo", net, "inventory", "diff", BEFORE_REF, AFTER_REF, "--format", "json")
    assert json.loads(shown.stdout) == json.loads(json.dumps(report, ensure_ascii=False))
    assert commands.diff_snapshots(repo, BEFORE_REF, AFTER_REF, use_cache=False) == report

    # the catalogue as the after side: the library comes from the before snapshot
    catalog = commands.diff_snapshots(repo, BEFORE_REF, "catalog", date="2024-11-15")
    assert catalog["after"]["id"] == "catalog" and catalog["after"]["date"] == "2024-11-15"
    with pytest.raises(LibsyncError):   # both sides the catalogue and no library: whose?
        commands.diff_snapshots(repo, "catalog", "now")


def test_check_minutes_and_fail_on(net: Path, tmp_path: Path) -> None:
    scan = tmp_path / "ke.txt"
    scan.write_text("XS-GK-00123\nXS-ZZ-99999\n", encoding="utf-8")
    repo = Repository.discover(str(net))
    seen = []
    report = commands.check_scan(repo, "XS", scan, date="2024-11-20", on_scan=lambda s: seen.append(s.barcodes))
    assert seen == [["XS-GK-00123", "XS-ZZ-99999"]]
    assert report["kind"] == "check" and report["scan"]["count"] == 2 and report["scan"]["date"] == "2024-11-20"
    assert report["counts"]["unknown"] == 1 and report["counts"]["missing"] == report["scan"]["expected"] - 1

    fail_on = commands.parse_fail_on("unknown, twice")
    assert fail_on == {"unknown", "twice"}
    minutes = tmp_path / "bien-ban.md"
    assert commands.finish(report, repo.network, fail_on, str(minutes)) == ["unknown"]
    assert "XS-ZZ-99999" in minutes.read_text(encoding="utf-8")
    assert commands.finish(report, repo.network) == []
    assert git(net, "status", "--porcelain") == ""   # a check writes nothing in the repository

    with pytest.raises(LibsyncError):
        commands.parse_fail_on("missing,lost-ish")
    with pytest.raises(LibsyncError):
        commands.check_minutes_path("bien-ban.pdf")
    with pytest.raises(LibsyncError):
        commands.check_scan(repo, "ZZ", scan)
