"""`libsync copy set` on a real Git repository of the example network: several barcodes or a scan
file at once, found across the network case-insensitively, all or nothing; copies away in a
rotation are the exchange's, never set here; `validate` clean after every step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_edit_record import TODAY, assert_valid, commits, git, head, load, make_git, nfd, snapshot

AM_NHAC = "records/XS/xs-am-nhac-6-kntt.yaml"
MI_THUAT = "records/HD/hd-mi-thuat-6-cd.yaml"
REF = "Biên bản số 12/BB-TV ngày 02/3/2025"


@pytest.fixture
def repo(example_repo) -> Path:
    return make_git(example_repo)


def item(root: Path, rel: str, barcode: str) -> dict:
    return next(i for i in load(root, rel)["items"] if i["barcode"] == barcode)


def test_several_copies_of_two_libraries_are_set_in_one_commit(cli, repo):
    before = commits(repo)
    result = cli("--repo", repo, "copy", "set", "XS-GK-00123", "hd-gk-00077", "--status", "lost", "--ref", nfd(REF),
                 "--date", "2025-03-02", "--note", nfd("Học sinh làm mất, đã bồi thường"), "--commit")
    assert result.exit_code == 0, result.output
    for rel, code in ((AM_NHAC, "XS-GK-00123"), (MI_THUAT, "HD-GK-00077")):
        copy = item(repo, rel, code)
        assert copy["status"] == "lost" and copy["status_date"] == "2025-03-02"
        assert copy["status_ref"] == REF and copy["note"] == "Học sinh làm mất, đã bồi thường"   # stored NFC
    assert item(repo, AM_NHAC, "XS-GK-00124")["status"] == "available"     # the other copy is untouched
    assert commits(repo) == before + 1
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("copy set: 2 bản → lost (Biên bản số 12/BB-TV ngày 02/3/2025)")
    assert "HD-GK-00077 (HD/hd-mi-thuat-6-cd): available → lost" in message and "Libsync-Command: copy set" in message
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == [MI_THUAT, AM_NHAC]
    assert git(repo, "status", "--porcelain") == ""
    assert "mất" in result.output
    assert_valid(cli, repo)


def test_a_scan_file_sets_every_copy_it_holds(cli, repo, tmp_path):
    scan = tmp_path / "hu-hong.txt"
    scan.write_text("# kiểm tra kho\n[Kho giáo khoa]\nXS-GK-00123\n xs-gk-00124 \n", encoding="utf-8")
    result = cli("--repo", repo, "copy", "set", "--scan", scan, "--status", "damaged", "--ref", "Biên bản số 3",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [c["barcode"] for c in out["changed"]] == ["XS-GK-00123", "XS-GK-00124"]
    assert out["changed"][0]["old"]["status"] == "available" and out["changed"][0]["new"]["status"] == "damaged"
    assert out["date"] == TODAY and out["files"] == [AM_NHAC] and out["written"]
    assert {item(repo, AM_NHAC, c)["status"] for c in ("XS-GK-00123", "XS-GK-00124")} == {"damaged"}
    assert_valid(cli, repo)


def test_available_again_drops_the_old_reason_and_a_repeat_changes_nothing(cli, repo):
    assert cli("--repo", repo, "copy", "set", "XS-GK-00123", "--status", "damaged", "--ref", "BB 1").exit_code == 0
    result = cli("--repo", repo, "copy", "set", "XS-GK-00123", "--status", "available")
    assert result.exit_code == 0, result.output
    copy = item(repo, AM_NHAC, "XS-GK-00123")
    assert copy["status"] == "available" and "status_ref" not in copy and copy["status_date"] == TODAY
    files = snapshot(repo)
    again = cli("--repo", repo, "copy", "set", "XS-GK-00123", "--status", "available", "--commit")
    assert again.exit_code == 0 and "không đổi" in again.output
    assert snapshot(repo) == files and commits(repo) == 1
    assert_valid(cli, repo)


def test_dry_run_writes_nothing(cli, repo):
    files = snapshot(repo)
    result = cli("--repo", repo, "copy", "set", "XS-GK-00123", "--status", "withdrawn", "--ref", "QĐ thanh lý số 5",
                 "--dry-run", "--format", "json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["dry_run"] and not out["written"] and len(out["changed"]) == 1
    assert snapshot(repo) == files


def test_a_copy_in_an_exchange_not_sent_yet_is_set_with_a_warning(cli, repo):
    result = cli("--repo", repo, "copy", "set", "ND-BC-00001", "--status", "lost", "--ref", "BB 7")
    assert result.exit_code == 0, result.output
    assert "nd-xs-2024-10-bao-tap-chi" in result.output
    assert_valid(cli, repo)


@pytest.mark.parametrize(("args", "code", "words"), [
    # one unknown barcode among known ones: nothing at all is written
    (["XS-GK-00123", "XS-KHONG-CO", "--status", "lost", "--ref", REF], 1, ["XS-KHONG-CO"]),
    # away in a rotation: the exchange lifecycle's to record
    (["XS-GK-00123", "XS-TN-00023", "--status", "lost", "--ref", REF], 1,
     ["XS-TN-00023", "xs-hd-2024-10-truyen-thieu-nhi", "libsync exchange"]),
    (["XS-TK-00007", "--status", "available"], 1, ["xs-nd-2024-10-tk-ngu-van-6-7", "libsync exchange"]),
    (["XS-TN-00023", "--status", "damaged", "--ref", REF], 1, ["libsync exchange"]),
    # a copy of another library when --library says whose copies these are
    (["XS-GK-00123", "HD-GK-00077", "--library", "XS", "--status", "lost", "--ref", REF], 1, ["HD-GK-00077", "HD/"]),
    (["XS-GK-00123", "--status", "lost"], 2, ["--ref"]),
    (["XS-GK-00123", "--status", "on-loan"], 2, ["available (có sẵn), lost (mất), damaged (hư hỏng), withdrawn (thanh lý)"]),
    (["XS-GK-00123", "--status", "lost", "--ref", REF, "--date", "2025-02-30"], 2, ["2025-02-30"]),
    (["XS-GK-00123", "--status", "lost", "--ref", REF, "--date", "2020-01-01"], 1, ["status_date"]),  # before acquired
    (["--status", "lost", "--ref", REF], 2, ["--scan"]),
])
def test_refusals_leave_the_repository_byte_for_byte_unchanged(cli, repo, args, code, words):
    files, sha = snapshot(repo), head(repo)
    result = cli("--repo", repo, "copy", "set", *args, "--commit")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr
    assert snapshot(repo) == files and head(repo) == sha


def test_unknown_barcodes_of_a_scan_are_named_with_their_line(cli, repo, tmp_path):
    scan = tmp_path / "quet.txt"
    scan.write_text("XS-GK-00123\nXS-GK-00124\nXS-LA-00001\n", encoding="utf-8")
    files = snapshot(repo)
    result = cli("--repo", repo, "copy", "set", "--scan", scan, "--status", "lost", "--ref", REF)
    assert result.exit_code == 1
    assert "XS-LA-00001" in result.stderr and "dòng 3" in result.stderr
    assert snapshot(repo) == files
