"""Withdrawal rounds, the three registers and the yearly report (#12), on real repositories and
real .docx/.xlsx/.html files: the cap refused and accepted, registers checked cell by cell against
a small hand-computed library, the report's figures equal to its JSON, refusals byte-identical."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx
from openpyxl import load_workbook

from libsync.repository import Repository


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def docx_text(path: Path) -> str:
    doc = open_docx(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def set_cap(repo: Path, share: float) -> None:
    r = Repository(repo)
    network = r.load("network.yaml")
    network["withdrawal"] = {"max_share": share}
    r.save("network.yaml", network)


# --- withdrawal ---------------------------------------------------------------------------------

def test_withdrawal_cap_refused_then_accepted_and_applied(example_repo, cli, tmp_path):
    # HD holds 135 copies; 5 are recorded lost. A cap of 3 % allows 4 copies: refused with the figures.
    set_cap(example_repo, 0.03)
    before = tree_hash(example_repo)
    dossier = tmp_path / "ho-so.docx"
    result = cli("--repo", example_repo, "withdraw", "propose", "-l", "HD", "--rule", "lost", "-o", dossier)
    assert result.exit_code == 1
    assert "5 bản" in result.output and "3%" in result.output and "135 bản" in result.output and "tối đa 4" in result.output
    assert tree_hash(example_repo) == before and not dossier.exists()

    # at the default 10 % (13 copies) the same round is accepted and kept
    set_cap(example_repo, 0.1)
    result = cli("--repo", example_repo, "withdraw", "propose", "-l", "HD", "--rule", "lost", "-o", dossier,
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["count"] == 5 and data["holdings"] == 135 and data["max_share"] == 0.1
    kept = example_repo / data["path"]
    proposal = yaml.safe_load(kept.read_text(encoding="utf-8"))
    assert proposal["status"] == "proposed" and proposal["rule"] == "lost"
    assert [c["barcode"] for c in proposal["copies"]] == ["HD-GK-00002", "HD-GK-00038", "HD-GK-00045",
                                                          "HD-GK-00049", "HD-GK-00057"]
    text = docx_text(dossier)
    for heading in ("DANH SÁCH TÀI LIỆU ĐỀ NGHỊ THANH LỌC", "BIÊN BẢN HỌP HỘI ĐỒNG THANH LỌC", "DỰ THẢO QUYẾT ĐỊNH",
                    "HD-GK-00038", "142.000"):
        assert heading in text
    assert cli("--repo", example_repo, "validate").exit_code == 0

    # apply with a decision typed in NFD: stored NFC, copies withdrawn, nothing deleted
    decision = unicodedata.normalize("NFD", "Số 12/QĐ-THCSHĐ")
    result = cli("--repo", example_repo, "withdraw", "apply", data["id"], "--decision", decision,
                 "--date", "2025-05-20", "--yes")
    assert result.exit_code == 0, result.output
    record = yaml.safe_load((example_repo / "records/HD/hd-khtn-7-cd.yaml").read_text(encoding="utf-8"))
    item = next(i for i in record["items"] if i["barcode"] == "HD-GK-00057")
    assert item["status"] == "withdrawn" and item["status_ref"] == "Số 12/QĐ-THCSHĐ"
    assert item["removal"] == {"date": "2025-05-20", "reason": "lost", "decision": "Số 12/QĐ-THCSHĐ", "ref": data["id"]}
    applied = yaml.safe_load(kept.read_text(encoding="utf-8"))
    assert applied["status"] == "applied" and applied["decided"] == "2025-05-20"
    assert cli("--repo", example_repo, "validate").exit_code == 0

    # the general register shows the round in part II
    out = tmp_path / "tq.xlsx"
    assert cli("--repo", example_repo, "register", "general", "-l", "HD", "--year", "2024-2025", "-o", out).exit_code == 0
    part2 = [r for r in load_workbook(out).worksheets[1].iter_rows(values_only=True)]
    assert (1, "2025-05-20", "Số 12/QĐ-THCSHĐ", 5) == part2[5][:4] and part2[5][-2:] == (142000, "Mất")

    # applying twice is refused and changes nothing
    before = tree_hash(example_repo)
    result = cli("--repo", example_repo, "withdraw", "apply", data["id"], "--decision", "Số 13/QĐ", "--date",
                 "2025-05-21", "--yes")
    assert result.exit_code == 1 and "Số 12/QĐ-THCSHĐ" in result.output
    assert tree_hash(example_repo) == before


@pytest.mark.parametrize("args, code", [
    (("--rule", "replaced-textbooks"), 1),                 # none in HD: nothing to propose
    (("--rule", "not-seen"), 1),                           # HD has no stocktake
    (("--rule", "bogus"), 2),
    (("--rule", "list"), 2),                               # list without --file
    (("--rule", "list", "--file", "LIST"), 2),             # a barcode of another library
])
def test_withdrawal_refusals_change_nothing(example_repo, cli, tmp_path, args, code):
    listing = tmp_path / "ds.txt"
    listing.write_text("HD-GK-00071\nXS-TK-00001\n", encoding="utf-8")
    args = tuple(str(listing) if a == "LIST" else a for a in args)
    before = tree_hash(example_repo)
    result = cli("--repo", example_repo, "withdraw", "propose", "-l", "HD", *args, "-o", tmp_path / "x.docx")
    assert result.exit_code == code, result.output
    assert tree_hash(example_repo) == before and not (tmp_path / "x.docx").exists()


def test_withdraw_list_and_copy_gone_meanwhile(example_repo, cli, tmp_path):
    listing = tmp_path / "ds.csv"
    listing.write_text("Số ĐKCB,ghi chú\nHD-GK-00071,rách\n", encoding="utf-8")   # a header line is not a barcode
    listing.write_text("HD-GK-00071,rách\nHD-GK-00073;cũ\n", encoding="utf-8")
    result = cli("--repo", example_repo, "withdraw", "propose", "-l", "HD", "--rule", "list", "--file", listing,
                 "-o", tmp_path / "d.md", "-f", "json")
    assert result.exit_code == 0, result.output
    pid = json.loads(result.output)["id"]
    assert [c["barcode"] for c in json.loads(result.output)["copies"]] == ["HD-GK-00071", "HD-GK-00073"]
    # a copy that went to a partner meanwhile: apply refuses the whole round
    path = example_repo / "records/HD/hd-am-nhac-6-cd.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "- barcode: HD-GK-00071\n  status: available", "- barcode: HD-GK-00071\n  status: at-partner\n  holder: XS"),
        encoding="utf-8")
    before = tree_hash(example_repo)
    result = cli("--repo", example_repo, "--lang", "en", "withdraw", "apply", pid, "--decision", "Số 1/QĐ",
                 "--date", "2025-05-20", "--yes")
    assert result.exit_code == 1 and "HD-GK-00071" in result.output and "XS" in result.output
    assert tree_hash(example_repo) == before


# --- the registers, against a small library computed by hand ---------------------------------------

TN_RECORDS = {
    "tn-toan-6": {"id": "tn-toan-6", "library": "TN", "type": "textbook", "title": "Toán 6", "authors": ["Đỗ Đức Thái"],
                  "publisher": "Nhà xuất bản Đại học Sư phạm", "year": 2021,
                  "curriculum": {"program": "GDPT2018", "grade": 6, "subject": "Toán", "series": "Cánh Diều"},
                  "items": [
                      {"barcode": "TN-10", "status": "available", "acquired": "2024-08-16", "price": 20000,
                       "register_no": "TQ-2024/01", "source": "Cấp phát"},
                      {"barcode": "TN-3", "status": "available", "acquired": "2024-08-16", "price": 20000,
                       "register_no": "TQ-2024/01", "source": "Cấp phát"}]},
    "tn-de-men": {"id": "tn-de-men", "library": "TN", "type": "story", "title": "Dế Mèn phiêu lưu ký",
                  "authors": ["Tô Hoài"], "publisher": "Kim Đồng", "year": 2020,
                  "classification": {"ddc": "895.9223"},
                  "items": [
                      {"barcode": "TN-2", "status": "available", "price": 50000, "register_no": "TQ-2024/02",
                       "intake": {"source": "mua", "document": "HĐ 0012", "date": "2024-09-20",
                                  "supplier": "Nhà sách Hạ Long", "line": 2}},
                      {"barcode": "TN-11", "status": "withdrawn", "acquired": "2023-05-01", "price": 45000,
                       "register_no": "TQ-2023/05", "source": "Mua", "status_date": "2025-03-10",
                       "status_ref": "Số 5/QĐ-TN",
                       "removal": {"date": "2025-03-10", "reason": "damaged", "decision": "Số 5/QĐ-TN", "ref": "r1"}}]},
    "tn-bao": {"id": "tn-bao", "library": "TN", "type": "periodical", "title": "Thiếu niên Tiền phong",
               "publisher": "Trung ương Đoàn", "year": 2024,
               "items": [{"barcode": "TN-1", "status": "lost", "acquired": "2024-09-01", "price": 10000,
                          "register_no": "TQ-2024/03", "source": "Mua", "status_date": "2025-01-15"}]},
}


@pytest.fixture
def tn_repo(example_repo: Path) -> Path:
    r = Repository(example_repo)
    network = r.load("network.yaml")
    network["libraries"].append({"code": "TN", "name": "Trường THCS Tân Ninh", "level": "THCS"})
    r.save("network.yaml", network)
    for rid, data in TN_RECORDS.items():
        r.save(f"records/TN/{rid}.yaml", data)
    r.save("inventories/TN/2025-05-01-cuoi-nam.yaml",
           {"id": "2025-05-01-cuoi-nam", "library": "TN", "label": "Cuối năm", "date": "2025-05-01",
            "taken_by": "Lê Thị Hoa", "barcodes": ["TN-3", "TN-2", "TN-99"]})
    return example_repo


def sheet_rows(path: Path, index: int) -> list[tuple[object, ...]]:
    return list(load_workbook(path).worksheets[index].iter_rows(values_only=True))


def test_general_register_cell_by_cell(tn_repo, cli, tmp_path):
    assert cli("--repo", tn_repo, "validate").exit_code == 0
    out = tmp_path / "tong-quat.xlsx"
    result = cli("--repo", tn_repo, "register", "general", "-l", "TN", "--year", "2024-2025", "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert [ws.freeze_panes for ws in wb.worksheets] == ["A6", "A6", "A6"]
    part1 = sheet_rows(out, 0)
    assert part1[:4] == [("TRƯỜNG THCS TÂN NINH",) + (None,) * 12, ("SỔ ĐĂNG KÝ TỔNG QUÁT",) + (None,) * 12,
                         ("Năm học 2024-2025",) + (None,) * 12, ("Phần I. Tổng số tài liệu nhập kho",) + (None,) * 12]
    assert part1[4] == ("STT", "Ngày vào sổ", "Số vào sổ tổng quát", "Số chứng từ", "Nguồn cung cấp",
                        "Nhà cung cấp / người tặng", "Số bản", "Sách giáo khoa", "Sách nghiệp vụ (giáo viên)",
                        "Sách tham khảo", "Báo, tạp chí", "Tài liệu số", "Thành tiền (đồng)")
    assert part1[5:] == [
        (1, "2024-08-16", "TQ-2024/01", None, "Cấp phát", None, 2, 2, 0, 0, 0, 0, 40000),
        (2, "2024-09-01", "TQ-2024/03", None, "Mua", None, 1, 0, 0, 0, 1, 0, 10000),
        (3, "2024-09-20", "TQ-2024/02", "HĐ 0012", "Mua", "Nhà sách Hạ Long", 1, 0, 0, 1, 0, 0, 50000),
        (None, "Tổng cộng", None, None, None, None, 4, 2, 0, 1, 1, 0, 100000),
    ]
    part2 = sheet_rows(out, 1)
    assert part2[5:] == [
        (1, "2025-03-10", "Số 5/QĐ-TN", 1, 0, 0, 1, 0, 0, 45000, "Rách nát, hư hỏng"),
        (None, "Tổng cộng", None, 1, 0, 0, 1, 0, 0, 45000, None),
    ]
    part3 = sheet_rows(out, 2)
    # on 1 May 2025 the books hold TN-2, TN-3, TN-10 (TN-11 withdrawn in March, TN-1 lost in January)
    assert part3[5:] == [(1, "2025-05-01", "Cuối năm", 3, 90000, 2, 0, 0, 1, 20000)]


def test_individual_and_textbook_registers(tn_repo, cli, tmp_path):
    out = tmp_path / "ca-biet.xlsx"
    assert cli("--repo", tn_repo, "register", "individual", "-l", "TN", "-o", out).exit_code == 0
    rows = sheet_rows(out, 0)
    assert rows[2][:9] == ("STT", "Ngày vào sổ", "Số ĐKCB", "Tên sách và tác giả", "Nhà xuất bản, năm xuất bản",
                           "Giá tiền (đồng)", "Số vào sổ tổng quát", "Nguồn cung cấp", "Số, ngày biên bản xuất")
    assert rows[3:] == [
        (1, "2024-09-01", "TN-1", "Thiếu niên Tiền phong", "Trung ương Đoàn, 2024", 10000, "TQ-2024/03", "Mua", None),
        (2, "2024-09-20", "TN-2", "Dế Mèn phiêu lưu ký / Tô Hoài", "Kim Đồng, 2020", 50000, "TQ-2024/02", "Mua", None),
        (3, "2024-08-16", "TN-3", "Toán 6 / Đỗ Đức Thái", "Nhà xuất bản Đại học Sư phạm, 2021", 20000, "TQ-2024/01",
         "Cấp phát", None),
        (4, "2024-08-16", "TN-10", "Toán 6 / Đỗ Đức Thái", "Nhà xuất bản Đại học Sư phạm, 2021", 20000, "TQ-2024/01",
         "Cấp phát", None),
        (5, "2023-05-01", "TN-11", "Dế Mèn phiêu lưu ký / Tô Hoài", "Kim Đồng, 2020", 45000, "TQ-2023/05", "Mua",
         "Số 5/QĐ-TN, 2025-03-10"),
        (None, None, None, "Tổng cộng", None, 145000, None, None, None),
    ]
    book = tmp_path / "sgk.docx"
    assert cli("--repo", tn_repo, "register", "textbook", "-l", "TN", "--year", "2024-2025", "-o", book).exit_code == 0
    doc = open_docx(str(book))
    assert doc.sections[0].page_width > doc.sections[0].page_height   # landscape A4
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[1] == ["1", "Toán 6", "6", "Toán", "Cánh Diều", "Nhà xuất bản Đại học Sư phạm", "2021", "2",
                        "20.000", "40.000", "0", "2"]
    assert "SỔ ĐĂNG KÝ SÁCH GIÁO KHOA" in docx_text(book)


def test_register_usage_errors(tn_repo, cli, tmp_path):
    before = tree_hash(tn_repo)
    for args in (("general", "-l", "TN", "-o", tmp_path / "x.pdf"), ("chung", "-l", "TN", "-o", tmp_path / "x.xlsx"),
                 ("general", "-l", "TN", "--year", "2024-2026", "-o", tmp_path / "x.xlsx"),
                 ("general", "-l", "QQ", "-o", tmp_path / "x.xlsx")):
        result = cli("--repo", tn_repo, "register", *args)
        assert result.exit_code == 2, (args, result.output)
    assert tree_hash(tn_repo) == before and not list(tmp_path.glob("x.*"))


# --- the yearly report ----------------------------------------------------------------------------

def _numbers(html_text: str) -> list[str]:
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html_text)
    return cells


@pytest.mark.parametrize("scope", [("--library", "TN"), ("--network",)])
def test_report_html_shows_the_json_figures(tn_repo, cli, tmp_path, scope):
    result = cli("--repo", tn_repo, "report", *scope, "--year", "2024-2025", "-f", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    out = tmp_path / "bao-cao.html"
    assert cli("--repo", tn_repo, "report", *scope, "--year", "2024-2025", "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<svg", 1)[0] and "viewport" in page
    assert page.count("<svg") >= 3
    cells = _numbers(page)

    def money(v: int) -> str:
        return f"{v:,}".replace(",", ".")

    for entry in figures["by_type"]:
        assert money(entry["copies"]) in cells and money(entry["value"]) in cells
    for term in figures["rotations"]:
        assert term["term"] in cells
    assert money(figures["holdings"]["copies"]) in page
    for s in figures["stocktakes"]:
        assert s["date"] in cells and money(s["missing"]) in cells
    if scope[0] == "--library":
        assert figures["holdings"] == {"copies": 3, "value": 90000, "records": 2}
        assert figures["intake"]["copies"] == 4 and figures["intake"]["value"] == 100000
        assert figures["removals"] == {"copies": 1, "value": 45000,
                                       "by_reason": [{"key": "damaged", "copies": 1, "value": 45000}]}
        assert figures["textbooks"] == [{"grade": 6, "subject": "Toán", "copies": 2}]
        assert figures["stocktakes"] == [{"date": "2025-05-01", "label": "Cuối năm", "expected": 3, "counted": 2,
                                          "away": 0, "on_loan": 0, "missing": 1, "missing_value": 20000}]
    else:
        libs = {e["library"]: e for e in figures["libraries"]}
        assert figures["holdings"]["copies"] == sum(e["copies"] for e in libs.values())
        assert libs["TN"]["copies"] == 3
        # the network's rotations: what one library gave, another received
        assert sum(t["given"] for t in figures["rotations"]) == sum(t["received"] for t in figures["rotations"])


def test_report_usage_errors(tn_repo, cli):
    before = tree_hash(tn_repo)
    assert cli("--repo", tn_repo, "report", "-f", "json").exit_code == 2                 # neither scope
    assert cli("--repo", tn_repo, "report", "-l", "TN", "--network", "-f", "json").exit_code == 2
    assert cli("--repo", tn_repo, "report", "-l", "TN").exit_code == 2                  # html needs -o
    assert tree_hash(tn_repo) == before


def test_a_proposal_that_cannot_be_kept_leaves_no_dossier(example_repo, cli, tmp_path):
    """The dossier is written before the proposal and removed if the proposal cannot be kept (here:
    --commit outside a Git repository): never one without the other."""
    from test_rotation_support import snapshot   # every file but .git and .libsync (the lock)

    before = snapshot(example_repo)
    dossier = tmp_path / "ho-so.docx"
    result = cli("--repo", example_repo, "withdraw", "propose", "-l", "HD", "--rule", "lost", "-o", dossier, "--commit")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert snapshot(example_repo) == before and not dossier.exists()
