"""The documents must be right (#15): a copy missing on receipt agrees everywhere, a header is
never printed with blanks, one date format, the exchange id in the footer, rotation's own mark."""

from __future__ import annotations

import re

import docx
import yaml

from libsync import schemas, yamlio
from test_rotation_support import git_network, snapshot, write_scan

EID = "xs-hd-2024-2025-hk1-bon-ban"
FOUR = ["RTXS11", "RTXS12", "RTXS21", "RTXS22"]
MANIFEST = f"exchanges/2024-2025/HK1/{EID}.yaml"


def item(root, record, barcode):
    data = yaml.safe_load((root / "records" / "XS" / f"{record}.yaml").read_text(encoding="utf-8"))
    return next(i for i in data["items"] if i["barcode"] == barcode)


def four_copies_received_three(tmp_path, cli):
    """XS sends HD four copies; HD's scan on receipt finds three (RTXS11 never arrived)."""
    root, _repo = git_network(tmp_path)
    barcodes = [a for code in FOUR for a in ("--barcode", code)]
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            *barcodes, "--id", EID, "--handover", "2024-10-07", "--return-due", "2025-01-17", "--date", "2024-09-30",
            "--no-branch")
    assert r.exit_code == 0, r.output
    assert cli("--repo", root, "exchange", "approve", EID, "--date", "2024-10-01").exit_code == 0
    assert cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07").exit_code == 0
    received = cli("--repo", root, "exchange", "receive", EID, "--date", "2024-10-08",
                   "--scan", write_scan(tmp_path / "nhan.txt", FOUR[1:]))
    assert received.exit_code == 0, received.output
    return root, received


def rows_of(table):
    return [[c.text for c in row.cells] for row in table.rows]


def minutes_docx(cli, root, path, kind):
    r = cli("--repo", root, "exchange", "minutes", EID, "--kind", kind, "-o", path)
    assert r.exit_code == 0, r.output
    return docx.Document(str(path))


def test_three_of_four_received_agree_in_console_records_and_both_minutes(tmp_path, cli):
    root, received = four_copies_received_three(tmp_path, cli)
    # the console: received 3 of 4, and which one did not arrive
    assert "đã nhận 3/4 bản" in received.output
    assert "RTXS11" in received.output.split("3/4")[1] and "không đến bên nhận" in received.output
    # the records: the missing copy is not at the receiver; the three others are
    assert item(root, "rt-xs-sgk6-1", "RTXS11") == {"barcode": "RTXS11", "status": "in-transit",
                                                     "status_date": "2024-10-08", "status_ref": EID}
    assert item(root, "rt-xs-sgk6-1", "RTXS12")["holder"] == "HD"
    manifest = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    assert [c.get("outcome") for c in manifest["copies"]] == ["missing-on-receipt", None, None, None]
    valid = cli("--repo", root, "validate")
    assert valid.exit_code == 0, valid.output

    # the handover minutes, cell by cell
    d = minutes_docx(cli, root, tmp_path / "giao.docx", "dispatch")
    grid = rows_of(d.tables[1])
    # no copy has a note: no empty "Ghi chú" column taking the title's room (acceptance, #15 item 8)
    assert grid[0] == ["STT", "Số ĐKCB", "Tên tài liệu", "Tác giả", "Số lượng", "Tình trạng"]
    assert grid[1] == ["1", "RTXS11", "Toán 6", "Hà Huy Khoái; Nguyễn Huy Đoan", "0", "Không nhận được"]
    for row in grid[2:5]:
        assert row[4] == "1" and row[5] == "Tốt"
    assert grid[5] == ["", "Tổng cộng", "", "", "3", ""]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "bên nhận đã nhận 3/4 bản, 1 bản không nhận được" in text
    assert "bàn giao 4 bản" not in text and "Hai bên thống nhất bàn giao" not in text
    assert "Các bản bên nhận không nhận được (không thuộc trách nhiệm bảo quản của bên nhận): RTXS11" in text
    assert "trả đủ 3 bản đã nhận" in text

    # the return: the three come back; the one never received stays so (not missing on return)
    r = cli("--repo", root, "exchange", "return", EID, "--date", "2025-01-15",
            "--scan", write_scan(tmp_path / "tra.txt", FOUR[1:]))
    assert r.exit_code == 0, r.output
    manifest = yaml.safe_load((root / MANIFEST).read_text(encoding="utf-8"))
    assert [c["outcome"] for c in manifest["copies"]] == ["missing-on-receipt", "returned", "returned", "returned"]
    assert item(root, "rt-xs-sgk6-1", "RTXS11")["status"] == "in-transit"
    r = cli("--repo", root, "exchange", "close", EID, "--date", "2025-01-16", "--yes")
    assert r.exit_code == 0, r.output
    assert item(root, "rt-xs-sgk6-1", "RTXS11")["status"] == "lost"
    assert cli("--repo", root, "validate").exit_code == 0

    # the return minutes, after close: never received, not lost in the receiver's keeping
    d = minutes_docx(cli, root, tmp_path / "tra.docx", "return")
    grid = rows_of(d.tables[1])
    assert grid[1] == ["1", "RTXS11", "Toán 6", "Hà Huy Khoái; Nguyễn Huy Đoan", "0", "Không nhận được khi giao"]
    assert all(row[5] == "Tốt" and row[4] == "1" for row in grid[2:5])
    assert grid[5][1] == "Tổng cộng" and grid[5][4] == "3"
    assert not any("Mất" in cell for row in grid for cell in row)
    text = "\n".join(p.text for p in d.paragraphs)
    assert "bàn giao trả lại 3 bản" in text
    # at return "bên nhận" would be the owner: the school that never received the copy is named
    assert ("Tổng số bản đã giao: 4; số bản Trường THCS Hưng Đạo đã nhận: 3; số bản nhận lại: 3; số bản mất: 0; "
            "số bản chưa trả: 0; số bản không nhận được khi giao: 1.") in text
    assert ("Các bản Trường THCS Hưng Đạo không nhận được khi giao ngày 07/10/2024 (không thuộc trách nhiệm "
            "bảo quản của Trường THCS Hưng Đạo): RTXS11") in text
    assert "bên nhận không nhận được" not in text and "bên nhận đã nhận" not in text
    assert "ghi nhận mất" not in text
    # English says the same
    en = cli("--repo", root, "--lang", "en", "exchange", "minutes", EID, "--kind", "return", "-o", tmp_path / "en.md")
    assert en.exit_code == 0
    assert "| 1 | RTXS11 | Toán 6 | Hà Huy Khoái; Nguyễn Huy Đoan | 0 | Never received |" in \
        (tmp_path / "en.md").read_text(encoding="utf-8")


def test_dates_one_format_and_the_exchange_id_in_the_footer(tmp_path, cli):
    root, _ = four_copies_received_three(tmp_path, cli)
    d = minutes_docx(cli, root, tmp_path / "giao.docx", "dispatch")
    body = [p.text for p in d.paragraphs] + [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    everything = "\n".join(body)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", everything)          # never ISO in a document
    long_form = [line for line in body if re.search(r"ngày \d\d tháng", line)]
    # made at receipt (08/10), the minutes are dated the receipt day; the dispatch day is said as such
    assert long_form == ["Xuân Sơn, ngày 08 tháng 10 năm 2024"]          # only the header line
    assert "Hôm nay, ngày 08/10/2024" in everything and "trước ngày 17/01/2025" in everything
    assert "ngày 07/10/2024; hôm nay bên nhận đã nhận 3/4 bản" in everything
    assert EID not in everything                                          # not in the body …
    footer = "\n".join(p.text for p in d.sections[0].footer.paragraphs)
    assert EID in footer and MANIFEST in footer                          # … but in the footer


def test_minutes_are_dated_the_step_they_record(tmp_path, cli):
    """Dispatched on 07/10 and received on 10/10: the minutes made at dispatch say 07/10, those
    made at receipt 10/10 — the header's date line and "Hôm nay, ngày …" alike (acceptance: they
    said "Hôm nay, ngày 10/10/2024", the dispatch day, while recording 9/10 received on 12/10)."""
    root, _repo = git_network(tmp_path)
    barcodes = [a for code in FOUR for a in ("--barcode", code)]
    for step in (["propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD", *barcodes, "--id", EID,
                  "--handover", "2024-10-07", "--return-due", "2025-01-17", "--date", "2024-09-30", "--no-branch"],
                 ["approve", EID, "--date", "2024-10-01"], ["dispatch", EID, "--date", "07/10/2024"]):
        r = cli("--repo", root, "exchange", *step)
        assert r.exit_code == 0, r.output

    def dated(name):
        d = minutes_docx(cli, root, tmp_path / name, "dispatch")
        text = "\n".join(p.text for p in d.paragraphs)
        return re.findall(r"ngày (\d\d) tháng (\d+)", text), re.findall(r"Hôm nay, ngày (\S+),", text)

    assert dated("giao.docx") == ([("07", "10")], ["07/10/2024"])
    r = cli("--repo", root, "exchange", "receive", EID, "--date", "10/10/2024",
            "--scan", write_scan(tmp_path / "nhan.txt", FOUR[1:]))
    assert r.exit_code == 0, r.output
    assert dated("nhan.docx") == ([("10", "10")], ["10/10/2024"])


def _edit_library(root, code, **changes):
    path = root / "network.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lib = next(x for x in data["libraries"] if x["code"] == code)
    for key, value in changes.items():
        if value is None:
            lib.pop(key, None)
        else:
            lib[key] = value
    path.write_text(yamlio.dump(data, schemas.load_schema("network")), encoding="utf-8")


def test_minutes_refuse_a_header_with_blanks_and_name_the_field(tmp_path, cli):
    root, _ = four_copies_received_three(tmp_path, cli)
    # as `init` writes a library: no authority, district, commune or province
    _edit_library(root, "XS", district=None, commune=None, province=None)
    before = snapshot(root)
    out = tmp_path / "giao.docx"
    r = cli("--repo", root, "exchange", "minutes", EID, "-o", out)
    assert r.exit_code == 1
    assert "libraries[XS].authority" in r.output and "network.yaml" in r.output and "Traceback" not in r.output
    assert not out.exists() and snapshot(root) == before
    _edit_library(root, "XS", authority="UBND PHƯỜNG XUÂN SƠN")
    r = cli("--repo", root, "exchange", "minutes", EID, "-o", out)
    assert r.exit_code == 1 and "libraries[XS].place" in r.output and not out.exists()
    _edit_library(root, "XS", place="Xuân Sơn")
    assert cli("--repo", root, "exchange", "minutes", EID, "-o", out).exit_code == 0
    head = docx.Document(str(out)).tables[0].rows[0].cells[0].text
    assert head.splitlines()[:2] == ["UBND PHƯỜNG XUÂN SƠN", "TRƯỜNG THCS XUÂN SƠN"]
    assert "Xuân Sơn, ngày 08 tháng 10 năm 2024" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    _edit_library(root, "XS", place=None)
    en = cli("--repo", root, "--lang", "en", "exchange", "minutes", EID, "-o", tmp_path / "en.docx")
    assert en.exit_code == 1 and "Fill in libraries[XS].place in network.yaml" in en.output


def test_stocktake_minutes_committee_register_totals_and_rotation_mark(tmp_path, cli):
    root, _ = four_copies_received_three(tmp_path, cli)
    scan = write_scan(tmp_path / "ke.txt", ["RTXS31", "RTXS32", "RTXS41"])
    out = tmp_path / "kiem-ke.docx"
    r = cli("--repo", root, "inventory", "check", "XS", scan, "--date", "2024-10-20", "--minutes", out)
    assert out.exists(), r.output
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Hội đồng kiểm kê tài liệu gồm:" in text
    assert "1. Ông/Bà Nguyễn Văn Thành — Chủ tịch hội đồng;" in text and "2. Ông/Bà Phạm Thị Thu Hà — Thư ký;" in text
    register = next(rows_of(tb) for tb in d.tables if tb.rows[0].cells[0].text == "Nội dung")
    figures = {row[0]: row[1] for row in register[1:]}
    total = register[-1]
    assert total[0] == "Cộng: số bản theo sổ đăng ký tổng quát đến ngày 20/10/2024"
    assert int(figures["Có trên giá khi kiểm kê"]) == 3
    assert int(figures["Đang luân chuyển ở thư viện khác (theo phiếu luân chuyển)"]) >= 4   # and the example's
    assert sum(int(v) for k, v in figures.items() if k != total[0]) == int(total[1])
    detail = next(rows_of(tb) for tb in d.tables if tb.rows[0].cells[0].text == "STT")
    assert not {row[1] for row in detail[1:]} & set(FOUR)   # away on rotation: not expected on the shelf
    # the legend has rotation's own mark (a diff gives it: test_inventory_diff, XS-0003 is LC, not M)
    assert "LC — đang luân chuyển ở thư viện khác" in text
    signs = " ".join(c.text for c in d.tables[-1]._cells)
    assert "CHỦ TỊCH HỘI ĐỒNG" in signs and "Vũ Thị Lan" in signs
    # without a committee in network.yaml: refused, the field named, nothing written
    _edit_library(root, "XS", stocktake_committee=None)
    out.unlink()
    r = cli("--repo", root, "inventory", "check", "XS", scan, "--date", "2024-10-20", "--minutes", out)
    assert r.exit_code == 1 and "libraries[XS].stocktake_committee" in r.output and not out.exists()


def test_an_id_is_unbroken_in_docx_html_and_plain_in_markdown(tmp_path, cli):
    """The exchange id in the footer: non-breaking hyphens in the .docx (w:noBreakHyphen, read back
    as '-'), a span that does not wrap in HTML, plain '-' in Markdown (never U+2011, which a
    search or a copy of the id would not match)."""
    root, _ = four_copies_received_three(tmp_path, cli)
    d = minutes_docx(cli, root, tmp_path / "giao.docx", "dispatch")
    footer = d.sections[0].footer._element
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert len(footer.findall(f".//{ns}noBreakHyphen")) == EID.count("-") + MANIFEST.count("-")
    assert EID in "\n".join(p.text for p in d.sections[0].footer.paragraphs)
    for ext in ("md", "html"):
        assert cli("--repo", root, "exchange", "minutes", EID, "-o", tmp_path / f"giao.{ext}").exit_code == 0
    md = (tmp_path / "giao.md").read_text(encoding="utf-8")
    page = (tmp_path / "giao.html").read_text(encoding="utf-8")
    assert "\u2011" not in md + page
    assert EID in md and f'<span class="nowrap">{EID}</span>' in page
