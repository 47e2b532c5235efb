"""Intake lines without a barcode keep their price (#12 part 2), and the donation paths the
end-to-end test leaves out: receive --dry-run, --map from an .xlsx, minutes as .docx and .html."""

from __future__ import annotations

import json
import unicodedata

import yaml

from test_rotation_support import git_network, snapshot

LINES = ("Số ĐKCB,Tên sách,Tác giả,Nhà xuất bản,Năm,Giá tiền\n"
         ",Mẹ vắng nhà,Nguyễn Thi,Kim Đồng,2021,\"42.000\"\n"
         "XS-TK-00910,Mẹ vắng nhà,Nguyễn Thi,Kim Đồng,2021,43000\n"
         ",Mẹ vắng nhà,Nguyễn Thi,Kim Đồng,2021,44000\n"
         ",Mè đen,Tô Hoài,Kim Đồng,2020,25000\n")


def _items(root, lib):
    out = {}
    for path in (root / "records" / lib).glob("*.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in record.get("items") or []:
            out[item["barcode"]] = (record, item)
    return out


def test_intake_lines_without_a_barcode_keep_their_price(tmp_path, cli):
    root, git_repo = git_network(tmp_path, remote=False)
    sheet = tmp_path / "giao-hang.csv"
    sheet.write_text(unicodedata.normalize("NFD", LINES), encoding="utf-8")
    args = ("--repo", root, "accession", "--library", "XS", "--source", "mua", "--doc", "HĐ 0042",
            "--date", "2024-11-20", "--supplier", "Nhà sách Đông Triều", "--file", sheet)
    before = snapshot(root)
    refused = cli(*args)   # three lines without a barcode and no --barcodes: nothing written
    assert refused.exit_code != 0 and snapshot(root) == before
    result = cli(*args, "--barcodes", "XS-TK-00920", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["barcode"] for c in data["copies"]] == ["XS-TK-00920", "XS-TK-00910", "XS-TK-00921", "XS-TK-00922"]
    items = _items(root, "XS")
    prices = {code: items[code][1].get("price") for code in ("XS-TK-00920", "XS-TK-00910", "XS-TK-00921",
                                                                "XS-TK-00922")}
    assert prices == {"XS-TK-00920": 42000, "XS-TK-00910": 43000, "XS-TK-00921": 44000, "XS-TK-00922": 25000}
    assert items["XS-TK-00922"][0]["title"] == "Mè đen" and items["XS-TK-00920"][0]["title"] == "Mẹ vắng nhà"
    assert cli("--repo", root, "validate").exit_code == 0
    # the general register part I carries the delivery's whole value
    register = json.loads(cli("--repo", root, "report", "-l", "XS", "--year", "2024-2025", "-f", "json").output)
    assert register["intake"]["value"] >= 42000 + 43000 + 44000 + 25000
    from libsync.collection.registers import build
    from libsync.repository import Repository

    part1 = build(Repository(root), "general", "XS", "2024-2025")["parts"][0]
    line = next(row for row in part1["rows"] if row[3] == "HĐ 0042")
    assert line[6] == 4 and line[-1] == 154000


# --- donations: dry run, a map from a sheet, the minutes as .docx and .html ------------------

def test_donation_receive_dry_run_writes_nothing(tmp_path, cli):
    from test_collection_donation import EID, dispatched, state

    root, git_repo, _repo = dispatched(tmp_path)
    before = state(root, git_repo)
    result = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-07", "--barcodes", "HD-TK-00120",
                 "--dry-run", "--commit", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dry_run"] is True and data["commit"] is None and data["status"] == "received"
    assert any(f.startswith("records/HD/") for f in data["files"]) and any(f.startswith("records/XS/")
                                                                           for f in data["files"])
    assert state(root, git_repo) == before
    text = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-07", "--barcodes", "HD-TK-00120",
               "-n")
    assert text.exit_code == 0 and "Chạy thử" in text.output and state(root, git_repo) == before
    # a dry run refuses what the real step refuses, and still writes nothing
    used = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-07", "--barcodes", "HD-TK-00022",
               "--dry-run")
    assert used.exit_code == 1 and "HD-TK-00022" in used.output and state(root, git_repo) == before
    assert cli("--repo", root, "exchange", "approve", EID, "--dry-run").exit_code == 2
    assert state(root, git_repo) == before


def test_donation_map_from_an_xlsx_and_the_minutes_as_docx_and_html(tmp_path, cli):
    import html
    import re

    from docx import Document as open_docx
    from openpyxl import Workbook

    from test_collection_donation import EID, GIVEN, dispatched, state

    root, git_repo, _repo = dispatched(tmp_path)
    sheet = tmp_path / "doi-chieu.xlsx"
    book = Workbook()
    ws = book.active
    ws.append([unicodedata.normalize("NFD", "Số cũ"), unicodedata.normalize("NFD", "Số mới")])
    ws.append([])
    for n, code in enumerate(GIVEN):
        ws.append([code, f"HD-TK-0014{n}"])
    book.save(sheet)
    twice = tmp_path / "trung.xlsx"
    book = Workbook()
    book.active.append(["XS-TK-00034", "HD-TK-00150"])
    book.active.append(["XS-TK-00034", "HD-TK-00151"])
    book.save(twice)
    before = state(root, git_repo)
    bad = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-07", "--map", twice)
    assert bad.exit_code != 0 and "XS-TK-00034" in bad.output and state(root, git_repo) == before

    result = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-07", "--map", sheet, "--commit",
                 "--by", "Lê Thị Hồng Nhung")
    assert result.exit_code == 0, result.output
    manifest = yaml.safe_load(next(root.glob(f"exchanges/**/{EID}.yaml")).read_text(encoding="utf-8"))
    assert {c["barcode"]: c["accession"]["barcode"] for c in manifest["copies"]} == \
        {code: f"HD-TK-0014{n}" for n, code in enumerate(GIVEN)}
    items = _items(root, "HD")
    assert items["HD-TK-00140"][1]["intake"]["origin"]["barcode"] == "XS-TK-00034"
    assert cli("--repo", root, "validate").exit_code == 0

    docx_path, html_path = tmp_path / "bien-ban.docx", tmp_path / "bien-ban.html"
    for path in (docx_path, html_path):
        out = cli("--repo", root, "exchange", "minutes", EID, "-o", path)
        assert out.exit_code == 0, out.output
    doc = open_docx(str(docx_path))
    words = [p.text for p in doc.paragraphs] + [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    docx_text = unicodedata.normalize("NFC", "\n".join(words))
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page
    html_text = unicodedata.normalize("NFC", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    for text in (docx_text, html_text):
        assert "BIÊN BẢN TRAO TẶNG TÀI LIỆU" in text
        assert "Trường THCS Xuân Sơn" in text and "Trường THCS Hưng Đạo" in text
        for n, code in enumerate(GIVEN):
            assert code in text and f"HD-TK-0014{n}" in text


def test_an_exchange_step_never_overwrites_a_file_changed_since_it_was_read(tmp_path):
    """write_step with the blob ids the step read: a record changed in between refuses the whole
    write (manifest and records), byte for byte."""
    from libsync.errors import LibsyncError
    from libsync.repository import Repository
    from libsync.rotation.queries import find
    from libsync.rotation.workflow import write_step
    from libsync.store.read import Store
    from test_collection_donation import EID, dispatched, state

    import pytest

    root, git_repo, repo = dispatched(tmp_path)
    ids = dict(Store.of(repo).listing.ids)
    relpath, data = find(repo, EID)
    rel = "records/XS/xs-tk-tu-dien-av.yaml"
    record = Repository(root).load(rel)
    record["title"] = "Từ điển Anh – Việt (sửa)"
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")   # changed meanwhile
    before = state(root, git_repo)
    with pytest.raises(LibsyncError):
        write_step(repo, relpath, data, {rel: record}, False, "x", expected=ids)
    assert state(root, git_repo) == before
