"""Donations between libraries (trao tặng) and intake (nhập kho) on the example network, in a
real Git repository: XS gives three copies to HD on the October exchange day."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
import yaml

from libsync.errors import LibsyncError
from libsync.repository import Repository
from libsync.rotation import lifecycle
from test_rotation_support import git_network, snapshot

GIVEN = ["XS-TK-00034", "XS-TK-00001", "XS-TK-00002"]   # a dictionary HD has too; a workbook it has not
DAY = dt.date(2024, 10, 7)
EID = "xs-hd-2024-10-trao-tang"


def load(root, lib, rid):
    return yaml.safe_load((root / "records" / lib / f"{rid}.yaml").read_text(encoding="utf-8"))


def item(record, barcode):
    return next(i for i in record["items"] if i["barcode"] == barcode)


def state(root, git_repo):
    return snapshot(root), git_repo.head.commit.hexsha


def dispatched(tmp_path):
    root, git_repo = git_network(tmp_path, remote=False)
    repo = Repository(root)
    lifecycle.propose(repo, branch=False, term="2024-2025/HK1", sender="XS", receiver="HD", handover=DAY,
                      kind="donation", barcodes=GIVEN, exchange_id=EID, title="Sách trao tặng Hưng Đạo",
                      date=dt.date(2024, 10, 1))
    lifecycle.approve(repo, EID, date=dt.date(2024, 10, 2))
    lifecycle.dispatch(repo, EID, date=DAY)
    git_repo.git.add("--all")
    git_repo.git.commit("-m", "trao tặng: đã giao")
    return root, git_repo, repo


def test_donation_end_to_end(tmp_path, cli):
    root, git_repo, repo = dispatched(tmp_path)
    manifest = yaml.safe_load(next(root.glob(f"exchanges/**/{EID}.yaml")).read_text(encoding="utf-8"))
    assert manifest["kind"] == "donation" and "return_due" not in manifest["planned"]

    with pytest.raises(LibsyncError):   # no numbers given: refused, nothing written
        before = state(root, git_repo)
        lifecycle.receive(repo, EID, date=DAY)
    assert state(root, git_repo) == before
    with pytest.raises(LibsyncError, match="HD-TK-00022"):   # numbers HD already uses
        lifecycle.receive(repo, EID, date=DAY, barcodes="HD-TK-00022")
    assert state(root, git_repo) == before

    outcome = lifecycle.receive(repo, EID, date=DAY, by="Lê Thị Hồng Nhung", barcodes="HD-TK-00120", commit=True)
    assert outcome.status == "received" and "Donated: 3" in git_repo.head.commit.message
    for code in GIVEN:   # withdrawn at the giver, reason and exchange
        rid = "xs-tk-tu-dien-av" if code == "XS-TK-00034" else "xs-bt-toan-6-kntt-t1"
        gone = item(load(root, "XS", rid), code)
        assert (gone["status"], gone["status_reason"], gone["status_ref"], gone["status_date"]) == \
            ("withdrawn", "donated", EID, "2024-10-07") and "holder" not in gone
    dictionary = item(load(root, "HD", "hd-tk-tu-dien-av"), "HD-TK-00120")   # HD's own record of the edition
    assert dictionary["intake"]["origin"] == {"library": "XS", "barcode": "XS-TK-00034", "record": "xs-tk-tu-dien-av"}
    assert dictionary["intake"]["source"] == "tang" and dictionary["intake"]["exchange"] == EID
    assert dictionary["source"] == "Tặng" and dictionary["status"] == "available"
    manifest = yaml.safe_load(next(root.glob(f"exchanges/**/{EID}.yaml")).read_text(encoding="utf-8"))
    new_rec = manifest["copies"][1]["accession"]["record"]
    assert [c["accession"]["barcode"] for c in manifest["copies"]] == ["HD-TK-00120", "HD-TK-00121", "HD-TK-00122"]
    created = load(root, "HD", new_rec)   # a new record from the giver's description, with provenance
    assert created["library"] == "HD" and created["title"] == load(root, "XS", "xs-bt-toan-6-kntt-t1")["title"]
    assert created["provenance"]["source"] == "donation" and "notes" not in created
    assert [i["barcode"] for i in created["items"]] == ["HD-TK-00121", "HD-TK-00122"]
    assert dictionary["register_no"] == created["items"][0]["register_no"]

    result = cli("--repo", root, "validate", "--format", "json")
    assert result.exit_code == 0, result.output

    with pytest.raises(LibsyncError):   # no return step
        lifecycle.return_copies(repo, EID, date=DAY)
    out = tmp_path / "bb.md"
    result = cli("--repo", root, "exchange", "minutes", EID, "-o", out)
    assert result.exit_code == 0, result.output
    text = unicodedata.normalize("NFC", out.read_text(encoding="utf-8"))
    assert "BIÊN BẢN TRAO TẶNG TÀI LIỆU" in text and "HD-TK-00121" in text and "XS-TK-00001" in text
    assert "Trường THCS Xuân Sơn" in text and "Trường THCS Hưng Đạo" in text and "trao tặng" in text
    closed = lifecycle.close(repo, EID, date=dt.date(2024, 10, 8), commit=True)
    assert closed.status == "closed"
    assert cli("--repo", root, "validate").exit_code == 0


def test_validate_catches_a_donation_not_withdrawn(tmp_path, cli):
    root, git_repo, repo = dispatched(tmp_path)
    lifecycle.receive(repo, EID, date=DAY, barcodes="HD-TK-00120")
    path = root / "records" / "XS" / "xs-tk-tu-dien-av.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: withdrawn", "status: available", 1),
                    encoding="utf-8")
    result = cli("--repo", root, "validate")
    assert result.exit_code == 1 and "donation-copy-state" in result.output


def test_donation_by_map_refuses_unmapped_and_map_duplicates(tmp_path):
    root, git_repo, repo = dispatched(tmp_path)
    before = state(root, git_repo)
    with pytest.raises(LibsyncError):
        lifecycle.receive(repo, EID, date=DAY, mapping={"XS-TK-00034": "HD-TK-00130"})
    with pytest.raises(LibsyncError):   # the same new number twice
        lifecycle.receive(repo, EID, date=DAY, mapping={c: "HD-TK-00130" for c in GIVEN})
    assert state(root, git_repo) == before
    lifecycle.receive(repo, EID, date=DAY, mapping={c: f"HD-TK-0013{n}" for n, c in enumerate(GIVEN)})
    assert item(load(root, "HD", "hd-tk-tu-dien-av"), "HD-TK-00130")["intake"]["origin"]["barcode"] == "XS-TK-00034"


DELIVERY = ("Số ĐKCB,Tên sách,Tác giả,Nhà xuất bản,Năm,Giá tiền\n"
            "XS-TK-00900,Từ điển Anh – Việt,,,2020,95000\n"
            ",Tuổi thơ dữ dội. Tập 1,Phùng Quán,Kim Đồng,2019,60000\n")


def test_accession_registers_and_refuses_used_numbers(tmp_path, cli):
    root, git_repo = git_network(tmp_path, remote=False)
    sheet = tmp_path / "giao-hang.csv"
    sheet.write_text(unicodedata.normalize("NFD", DELIVERY), encoding="utf-8")
    before = state(root, git_repo)
    args = ("--repo", root, "accession", "--library", "XS", "--source", "tặng", "--doc", "Số 15/BB-TT",
            "--date", "2024-11-20", "--supplier", "Cô Nguyễn Thị Mai", "--file", sheet)
    used = cli(*args, "--barcodes", "XS-TK-00001", "--format", "json")   # XS-TK-00001 exists
    assert used.exit_code == 1 and "XS-TK-00001" in used.output
    assert state(root, git_repo) == before
    result = cli(*args, "--barcodes", "XS-TK-00901", "--commit", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert [c["barcode"] for c in data["copies"]] == ["XS-TK-00900", "XS-TK-00901"]
    assert data["source"] == "tang" and data["register_no"].endswith("/" + f"{data['line']:02d}")
    assert cli("--repo", root, "validate").exit_code == 0
    again = state(root, git_repo)
    twice = cli(*args, "--barcodes", "XS-TK-00950")   # XS-TK-00900 is now used
    assert twice.exit_code == 1 and state(root, git_repo) == again


def test_a_scan_never_rewrites_a_copy_already_in_the_register(example_repo, cli, tmp_path):
    """A scan gives intake data to catalogued copies not yet registered; a copy that already has
    its register entry (TQ-2021/02) keeps it, and nothing is written."""
    from test_rotation_support import committed, snapshot

    committed(example_repo)
    scan = tmp_path / "quet.txt"
    scan.write_text("XS-GK-00123\n", encoding="utf-8")
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "accession", "--library", "XS", "--source", "tặng", "--doc", "BB 03/2024",
                 "--date", "2024-11-20", "--file", scan)
    assert result.exit_code == 1 and "XS-GK-00123" in result.output and "TQ-2021/02" in result.output
    assert snapshot(example_repo) == before


def test_accession_gives_new_records_the_sharing_policy(example_repo, cli, tmp_path):
    """A new title from a delivery gets network.yaml's levels, as an imported one does: a complete
    textbook is public (the example's policy), one that lacks what Art. 28 asks stays internal."""
    sheet = tmp_path / "giao-hang.csv"
    sheet.write_text(
        "Nhan đề,Tác giả,Nhà xuất bản,Năm,Chủ đề,Ký hiệu xếp giá,Loại,Số ĐKCB\n"
        "Toán 8,Hà Huy Khoái,Nhà xuất bản Giáo dục Việt Nam,2023,Toán học,51 / T406,textbook,XS-MOI-00801\n"
        "Kỷ yếu hội giảng,,,,,,other,XS-MOI-00802\n", encoding="utf-8")
    result = cli("--repo", example_repo, "accession", "--library", "XS", "--source", "mua", "--doc", "HĐ 0012",
                 "--date", "2024-09-05", "--file", sheet, "--format", "json")
    assert result.exit_code == 0, result.output
    shares = {}
    for copy in json.loads(result.stdout)["copies"]:
        data = yaml.safe_load((example_repo / "records" / "XS" / f"{copy['record']}.yaml").read_text(encoding="utf-8"))
        shares[data["title"]] = data["share"]
    assert shares == {"Toán 8": "public", "Kỷ yếu hội giảng": "internal"}
    assert cli("--repo", example_repo, "validate").exit_code == 0
