"""`libsync batch add|set|remove|list` and the hint of `libsync schedule`, on a real Git repository
of the example network: network.yaml keeps its author's comments, refusals leave every byte as
it was, `--commit` makes one commit, `validate` is clean after every step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_edit_record import assert_valid, commits, git, head, load, make_git, nfd, snapshot

HEADER = "# Mạng liên thông Đông Triều — sửa bằng lệnh libsync batch\n"
ABOVE = "  # bộ tranh của Hưng Đạo: dùng chung với THCS Xuân Sơn\n"


@pytest.fixture
def repo(example_repo) -> Path:
    text = (example_repo / "network.yaml").read_text(encoding="utf-8")
    text = HEADER + text.replace("  - id: hd-tranh-giao-duc\n", ABOVE + "  - id: hd-tranh-giao-duc\n", 1)
    text = text.replace("  max_stay_days: 183\n", "  max_stay_days: 183  # Thông tư 05/2022\n", 1)
    (example_repo / "network.yaml").write_text(text, encoding="utf-8")
    return make_git(example_repo)


def batch(root: Path, batch_id: str) -> dict | None:
    return next((b for b in load(root, "network.yaml")["rotation"]["batches"] if b["id"] == batch_id), None)


def assert_comments_kept(root: Path) -> None:
    text = (root / "network.yaml").read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert ABOVE + "  - id: hd-tranh-giao-duc\n" in text
    assert "max_stay_days: 183  # Thông tư 05/2022\n" in text


def test_add_writes_the_batch_keeps_comments_and_commits_once(cli, repo):
    before = commits(repo)
    result = cli("--repo", repo, "batch", "add", "xs-tk-toan", "--library", "XS", "--name", nfd("Sách tham khảo Toán 6–7"),
                 "--group", "dong-trieu-thcs", "--type", "reference", "--grade", "6", "--grade", "7",
                 "--subject", nfd("Toán"), "--notes", nfd("Giữ lại một bản mỗi đầu sách"), "--commit")
    assert result.exit_code == 0, result.output
    added = batch(repo, "xs-tk-toan")
    assert added == {"id": "xs-tk-toan", "library": "XS", "name": "Sách tham khảo Toán 6–7", "group": "dong-trieu-thcs",
                     "filter": {"type": ["reference"], "grade": [6, 7], "subject": ["Toán"]},
                     "notes": "Giữ lại một bản mỗi đầu sách"}          # NFD input, stored NFC
    assert_comments_kept(repo)
    assert commits(repo) == before + 1
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("batch add xs-tk-toan: Sách tham khảo Toán 6–7") and "Libsync-Command: batch add" in message
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["network.yaml"]
    diff = git(repo, "diff", "HEAD~1", "--", "network.yaml")
    assert "\n-" not in diff.split("@@", 2)[-1]                             # only lines added
    assert "bản gửi được" in result.output
    assert_valid(cli, repo)
    listed = json.loads(cli("--repo", repo, "batch", "list", "--library", "XS", "--format", "json").stdout)
    assert "xs-tk-toan" in [b["id"] for b in listed]


def test_add_resolves_the_batch_and_stores_barcodes_as_the_records_spell_them(cli, repo, tmp_path):
    scan = tmp_path / "bo-truyen.txt"
    scan.write_text("hd-tn-00001\nHD-TN-00002\n", encoding="utf-8")
    result = cli("--repo", repo, "batch", "add", "hd-truyen-chon", "--library", "HD", "--name", "Truyện chọn lọc",
                 "--scan", scan, "--barcode", "HD-TN-00003", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["after"]["filter"]["barcodes"] == ["HD-TN-00003", "HD-TN-00001", "HD-TN-00002"]
    assert out["copies"] + out["left_out"] == 3 and out["written"]
    assert batch(repo, "hd-truyen-chon")["filter"]["barcodes"] == ["HD-TN-00003", "HD-TN-00001", "HD-TN-00002"]
    assert_valid(cli, repo)


def test_set_replaces_the_fields_given_and_clears_others(cli, repo):
    result = cli("--repo", repo, "batch", "set", "xs-tk-ngu-van-6-7", "--grade", "8", "--clear", "subject",
                 "--name", nfd("Sách tham khảo lớp 8"), "--series", nfd("Kết nối tri thức với cuộc sống"), "--commit")
    assert result.exit_code == 0, result.output
    changed = batch(repo, "xs-tk-ngu-van-6-7")
    assert changed["name"] == "Sách tham khảo lớp 8"
    assert changed["filter"] == {"type": ["reference"], "grade": [8], "series": ["Kết nối tri thức với cuộc sống"]}
    assert changed["group"] == "dong-trieu-thcs"
    assert_comments_kept(repo)
    assert git(repo, "log", "-1", "--format=%s").strip() == "batch set xs-tk-ngu-van-6-7: Sách tham khảo lớp 8"
    assert "filter.grade: 6; 7 → 8" in git(repo, "log", "-1", "--format=%B")
    assert_valid(cli, repo)


def test_set_without_change_and_dry_run_write_nothing(cli, repo):
    files = snapshot(repo)
    same = cli("--repo", repo, "batch", "set", "xs-truyen-thieu-nhi", "--type", "story", "--commit")
    assert same.exit_code == 0 and "Không có gì thay đổi" in same.output
    dry = cli("--repo", repo, "batch", "set", "xs-truyen-thieu-nhi", "--type", "picture", "--dry-run", "-f", "json")
    assert dry.exit_code == 0 and json.loads(dry.stdout)["dry_run"]
    assert snapshot(repo) == files and commits(repo) == 1


def test_remove_a_batch_no_open_exchange_uses(cli, repo):
    result = cli("--repo", repo, "batch", "remove", "nd-tk-khtn", "--commit")
    assert result.exit_code == 0, result.output
    assert batch(repo, "nd-tk-khtn") is None
    assert_comments_kept(repo)
    assert git(repo, "log", "-1", "--format=%s").strip().startswith("batch remove nd-tk-khtn")
    assert_valid(cli, repo)


@pytest.mark.parametrize(("args", "code", "words"), [
    (["add", "xs-moi", "--library", "XS", "--name", "Mới"], 2, ["--type"]),                      # empty filter
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--type", "stroy"], 2, ["story"]),
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--grade", "13"], 2, ["13"]),
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--barcode", "HD-GK-00077"], 1, ["HD/hd-mi-thuat-6-cd"]),
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--barcode", "XS-KHONG-CO"], 1, ["XS-KHONG-CO"]),
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--record", "xs-am-nhac-6"], 1, ["xs-am-nhac-6-kntt"]),
    (["add", "XS-TRUYEN-THIEU-NHI", "--library", "XS", "--name", "Mới", "--type", "story"], 1, ["batch set"]),
    (["add", "xs-moi", "--library", "ZZ", "--name", "Mới", "--type", "story"], 2, ["ZZ"]),
    (["add", "xs-moi", "--library", "XS", "--name", "Mới", "--type", "story", "--group", "khong-co"], 2, ["dong-trieu-thcs"]),
    (["add", "xs-moi", "--library", "XS", "--name", " ", "--type", "story"], 2, ["--name"]),
    (["add", "../xs", "--library", "XS", "--name", "Mới", "--type", "story"], 2, ["xs-truyen-thieu-nhi"]),
    (["set", "khong-co", "--type", "story"], 2, ["xs-truyen-thieu-nhi"]),
    (["set", "xs-truyen-thieu-nhi", "--clear", "name"], 2, ["name"]),
    (["set", "xs-truyen-thieu-nhi", "--library", "HD", "--clear", "type", "--barcode", "XS-TN-00002"], 1, ["XS-TN-00002"]),
    (["remove", "xs-truyen-thieu-nhi"], 1, ["xs-hd-2024-10-truyen-thieu-nhi"]),                # an open exchange uses it
])
def test_refusals_leave_the_repository_byte_for_byte_unchanged(cli, repo, args, code, words):
    files, sha = snapshot(repo), head(repo)
    result = cli("--repo", repo, "batch", *args, "--commit")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr
    assert snapshot(repo) == files and head(repo) == sha


def test_a_group_the_library_is_not_in_is_refused(cli, repo):
    data = load(repo, "network.yaml")
    data["groups"].append({"id": "hd-nd", "name": "Hưng Đạo – Nguyễn Du", "mode": "geography", "members": ["HD", "ND"],
                           "rotation": True})
    from libsync.repository import Repository

    Repository(repo).save("network.yaml", data)
    files = snapshot(repo)
    result = cli("--repo", repo, "batch", "add", "xs-moi", "--library", "XS", "--name", "Mới", "--type", "story",
                 "--group", "hd-nd")
    assert result.exit_code == 1 and "HD, ND" in result.stderr
    assert snapshot(repo) == files


def test_schedule_hints_at_batch_add_when_there_are_no_batches(cli, repo):
    data = load(repo, "network.yaml")
    del data["rotation"]["batches"]
    from libsync.repository import Repository

    Repository(repo).save("network.yaml", data)
    result = cli("--repo", repo, "schedule", "2025-2026/HK1")
    assert result.exit_code == 0, result.output
    assert "Không có chặng" in result.output and "libsync batch add" in result.output
    out = json.loads(cli("--repo", repo, "schedule", "2025-2026/HK1", "--format", "json").stdout)
    assert out["stages"] == [] and out["without_batches"] == ["XS", "HD", "ND"]
    added = cli("--repo", repo, "batch", "add", "hd-truyen", "--library", "HD", "--name", "Truyện", "--type", "story")
    assert added.exit_code == 0, added.output
    again = cli("--repo", repo, "schedule", "2025-2026/HK1")
    assert "XS, ND" in again.output and "libsync batch add" in again.output
    assert json.loads(cli("--repo", repo, "schedule", "2025-2026/HK1", "-f", "json").stdout)["stages"]
