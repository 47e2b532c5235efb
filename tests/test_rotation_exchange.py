"""Exchange lifecycle on a real Git repository with a bare remote, and every refusal."""

from __future__ import annotations

import docx
import git
import yaml

from test_rotation_support import git_network, make_network, snapshot, write_scan

EID = "xs-hd-2024-2025-hk1-rt-xs-sgk6"
BATCH = ["RTXS11", "RTXS12", "RTXS21", "RTXS22", "RTXS31", "RTXS32", "RTXS41", "RTXS42"]
MANIFEST = f"exchanges/2024-2025/HK1/{EID}.yaml"


def propose_args(root, *extra):
    return ["--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--batch", "rt-xs-sgk6", "--handover", "2024-10-07", "--return-due", "2025-01-17",
            "--by", "Phạm Thị Thu Hà", "--date", "2024-09-30", *extra]


def item(root, record, barcode):
    data = yaml.safe_load((root / "records" / "XS" / f"{record}.yaml").read_text(encoding="utf-8"))
    return next(i for i in data["items"] if i["barcode"] == barcode)


def test_whole_lifecycle_on_a_branch_with_commits_and_minutes(tmp_path, cli):
    root, repo = git_network(tmp_path)
    r = cli(*propose_args(root, "--push"))
    assert r.exit_code == 0, r.output
    assert "Không đưa vào phiếu 2 bản — 1 mất, 1 đang cho mượn." in r.output  # the lent and the lost copy, counted
    # her checkout is back on main (the proposal is on its branch), and she is told what happens next
    assert repo.active_branch.name == "main" and not (root / MANIFEST).exists()
    assert not repo.is_dirty(untracked_files=True)
    said = " ".join(r.output.split())
    assert "Tiếp theo: THCS Hưng Đạo xem xét" in said and "về lại nhánh main" in said
    assert "`libsync exchange list`" in said and f"exchange/{EID}" in said
    bare = git.Repo(tmp_path / "remote.git")
    assert f"exchange/{EID}" in [h.name for h in bare.heads]
    repo.git.checkout(f"exchange/{EID}")      # the partner reviews and approves on the proposal's branch
    manifest = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    assert [c["barcode"] for c in manifest["copies"]] == BATCH
    assert manifest["status"] == "proposed" and manifest["people"]["receiver"]["name"] == "Lê Thị Hồng Nhung"

    assert cli("--repo", root, "exchange", "approve", EID, "--by", "Lê Thị Hồng Nhung", "--date", "2024-10-01",
               "--commit").exit_code == 0
    before = write_scan(tmp_path / "truoc-khi-giao.txt", BATCH)
    r = cli("--repo", root, "exchange", "dispatch", EID, "--scan", before, "--date", "2024-10-07", "--commit")
    assert r.exit_code == 0, r.output
    assert item(root, "rt-xs-sgk6-1", "RTXS11") == {"barcode": "RTXS11", "status": "at-partner", "holder": "HD",
                                                     "status_date": "2024-10-07", "status_ref": EID}
    head = repo.head.commit
    assert head.message.startswith(f"exchange {EID}: dispatched (XS → HD, 8 bản)")
    assert "Status: dispatched" in head.message and "Exchange: " + EID in head.message
    assert sorted(head.stats.files) == sorted([MANIFEST] + [f"records/XS/rt-xs-sgk6-{n}.yaml" for n in range(1, 5)])

    r = cli("--repo", root, "exchange", "receive", EID, "--scan", write_scan(tmp_path / "nhan.txt", BATCH),
            "--date", "2024-10-08", "--commit")
    assert r.exit_code == 0, r.output
    back = [b for b in BATCH if b != "RTXS32"]
    r = cli("--repo", root, "exchange", "return", EID, "--scan", write_scan(tmp_path / "tra.txt", back),
            "--date", "2025-01-17", "--commit")
    assert r.exit_code == 0 and "RTXS32" in r.output
    assert item(root, "rt-xs-sgk6-1", "RTXS11")["status"] == "available"
    assert "holder" not in item(root, "rt-xs-sgk6-1", "RTXS11")
    assert item(root, "rt-xs-sgk6-3", "RTXS32")["status"] == "at-partner"

    # the loss is shown and must be confirmed: answering "no" changes nothing
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "close", EID, "--date", "2025-01-20", "--commit", input="n\n")
    assert r.exit_code == 1 and "RTXS32" in r.output
    assert snapshot(root) == files
    r = cli("--repo", root, "exchange", "close", EID, "--date", "2025-01-20", "--commit", input="y\n")
    assert r.exit_code == 0, r.output
    assert item(root, "rt-xs-sgk6-3", "RTXS32") == {"barcode": "RTXS32", "status": "lost", "status_date": "2025-01-20",
                                                     "status_ref": EID}
    manifest = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    assert [h["status"] for h in manifest["history"]] == ["proposed", "approved", "dispatched", "received",
                                                          "returned", "closed"]
    assert manifest["returned"]["missing"] == ["RTXS32"]
    assert [c["outcome"] for c in manifest["copies"] if c["barcode"] == "RTXS32"] == ["lost"]
    subjects = [c.summary for c in repo.iter_commits(max_count=6)]
    assert subjects[0].startswith(f"exchange {EID}: closed") and subjects[5].startswith(f"exchange {EID}: proposed")
    assert not repo.is_dirty(untracked_files=True)

    # minutes in all three formats
    for ext in ("docx", "md", "html"):
        for kind in ("dispatch", "return"):
            out = tmp_path / f"bien-ban-{kind}.{ext}"
            assert cli("--repo", root, "exchange", "minutes", EID, "-o", out, "--kind", kind).exit_code == 0
    d = docx.Document(str(tmp_path / "bien-ban-return.docx"))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "BIÊN BẢN BÀN GIAO TRẢ TÀI LIỆU LUÂN CHUYỂN" in text
    assert "Hưng Đạo, ngày 17 tháng 01 năm 2025" in text
    assert "RTXS32" in text and "số bản mất: 1" in text
    grid = d.tables[1]
    assert [c.text for c in grid.rows[0].cells] == ["STT", "Số ĐKCB", "Tên tài liệu", "Tác giả", "Số lượng",
                                                    "Tình trạng"]   # no copy has a note: no empty column
    lost_row = next(r for r in grid.rows if r.cells[1].text == "RTXS32")
    assert lost_row.cells[5].text == "Mất"
    assert grid.rows[-1].cells[4].text == "7"
    signs = " ".join(c.text for t in d.tables[2:] for row in t.rows for c in row.cells)
    assert "Nguyễn Văn Thành" in signs and "Trần Thị Minh Hằng" in signs and "HIỆU TRƯỞNG" in signs
    dispatch_md = (tmp_path / "bien-ban-dispatch.md").read_text(encoding="utf-8")
    assert "Xuân Sơn, ngày 08 tháng 10 năm 2024" in dispatch_md   # made at receipt (08/10): its day
    assert "| **Tổng cộng** |  |  | **8** |" in dispatch_md
    html = (tmp_path / "bien-ban-dispatch.html").read_text(encoding="utf-8")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html

    r = cli("--repo", root, "exchange", "list", "--status", "closed", "--format", "json")
    assert r.exit_code == 0 and '"status": "closed"' in r.output


def test_push_without_remote_fails_cleanly(tmp_path, cli):
    root, repo = git_network(tmp_path, remote=False)
    files, head, branches = snapshot(root), repo.head.commit.hexsha, [h.name for h in repo.heads]
    r = cli(*propose_args(root, "--push"))
    assert r.exit_code == 2 and "remote origin" in r.output
    assert snapshot(root) == files and repo.head.commit.hexsha == head
    assert [h.name for h in repo.heads] == branches and repo.active_branch.name == "main"


def _dispatched(tmp_path, cli):
    root, repo = git_network(tmp_path)
    assert cli(*propose_args(root)).exit_code == 0
    repo.git.checkout(f"exchange/{EID}")
    assert cli("--repo", root, "exchange", "approve", EID, "--date", "2024-10-01").exit_code == 0
    return root, repo


def test_dispatch_refuses_lent_or_lost_copy(tmp_path, cli):
    root, repo = _dispatched(tmp_path, cli)
    path = root / "records/XS/rt-xs-sgk6-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("barcode: RTXS12\n  status: available",
                                                             "barcode: RTXS12\n  status: on-loan"), encoding="utf-8")
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07")
    assert r.exit_code == 1 and "RTXS12" in r.output and "đang cho mượn" in r.output and "on-loan" not in r.output
    assert snapshot(root) == files


def test_dispatch_scan_with_unknown_barcode_refused(tmp_path, cli):
    root, repo = _dispatched(tmp_path, cli)
    files = snapshot(root)
    scan = write_scan(tmp_path / "quet.txt", BATCH + ["ZZ999"])
    r = cli("--repo", root, "exchange", "dispatch", EID, "--scan", scan, "--date", "2024-10-07")
    assert r.exit_code == 1 and "ZZ999" in r.output and "dòng 9" in r.output
    assert snapshot(root) == files


def test_receive_scan_with_unknown_barcode_refused(tmp_path, cli):
    root, repo = _dispatched(tmp_path, cli)
    assert cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07").exit_code == 0
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "receive", EID, "--scan", write_scan(tmp_path / "q.txt", ["RTXS11", "NOPE1"]))
    assert r.exit_code == 1 and "NOPE1" in r.output
    assert snapshot(root) == files
    # a known copy of another library is recorded as extra, a missing one as missing
    r = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-09", "--format", "json",
            "--scan", write_scan(tmp_path / "q2.txt", BATCH[1:] + ["RTHD11"]))
    assert r.exit_code == 0, r.output
    manifest = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["received"]["missing"] == ["RTXS11"] and manifest["received"]["extra"] == ["RTHD11"]
    assert manifest["copies"][0]["outcome"] == "missing-on-receipt"


def test_overlapping_exchange_of_same_copy_refused(tmp_path, cli):
    root, repo = git_network(tmp_path)
    assert cli(*propose_args(root, "--no-branch")).exit_code == 0
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "ND",
            "--barcode", "RTXS11", "--handover", "2024-10-08", "--return-due", "2024-12-20", "--no-branch")
    assert r.exit_code == 1 and "RTXS11" in r.output and EID in r.output
    assert snapshot(root) == files


def test_illegal_transition_and_unknowns(tmp_path, cli):
    root, repo = git_network(tmp_path)
    r = cli(*propose_args(root))
    assert r.exit_code == 0 and repo.active_branch.name == "main"
    assert f"git push -u origin exchange/{EID}" in " ".join(r.output.split())   # not pushed: how to
    repo.git.checkout(f"exchange/{EID}")
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "dispatch", EID)
    assert r.exit_code == 2 and "đề xuất" in r.output and "không thể giao" in r.output and "đã duyệt" in r.output
    assert "proposed" not in r.output and "dispatch" not in r.output.replace("libsync exchange dispatch", "")
    r = cli("--repo", root, "exchange", "approve", "khong-co")
    assert r.exit_code == 2 and "khong-co" in r.output
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XX", "--to", "HD",
            "--batch", "rt-xs-sgk6", "--handover", "2024-10-07", "--return-due", "2025-01-17", "--no-branch")
    assert r.exit_code == 2 and "XX" in r.output
    r = cli("--repo", root, "exchange", "propose", "--term", "2030-2031/HK1", "--from", "XS", "--to", "HD",
            "--batch", "rt-xs-sgk6", "--handover", "2024-10-07", "--return-due", "2025-01-17", "--no-branch")
    assert r.exit_code == 2 and "2030-2031/HK1" in r.output
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "ND",
            "--barcode", "RTXS23", "--handover", "2024-10-08", "--return-due", "2024-12-20", "--no-branch")
    assert r.exit_code == 1 and "đang cho mượn" in r.output
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "ND",
            "--barcode", "RTXS41", "--handover", "2025-01-01", "--return-due", "2025-01-17", "--no-branch")
    assert r.exit_code == 2 and "2025-01-01" in r.output  # inside the exam blackout
    assert snapshot(root) == files


def test_hand_edited_impossible_manifest_refused(tmp_path, cli):
    root, repo = _dispatched(tmp_path, cli)
    path = root / MANIFEST
    text = path.read_text(encoding="utf-8").replace("status: approved\n", "status: dispatched\n", 1)
    path.write_text(text, encoding="utf-8")
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-09")
    assert r.exit_code == 1 and MANIFEST in r.output
    assert snapshot(root) == files
    # a bad value is reported with file and line
    path.write_text(text.replace("handover: '2024-10-07'", "handover: mai"), encoding="utf-8")
    r = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-09")
    assert r.exit_code == 1 and f"{MANIFEST}:" in r.output and "planned.handover" in r.output


def test_english_messages(tmp_path, cli):
    root = make_network(tmp_path / "n")
    r = cli("--lang", "en", "--repo", root, "exchange", "approve", "nothing")
    assert r.exit_code == 2 and "No exchange manifest nothing" in r.output
