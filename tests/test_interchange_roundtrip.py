"""The spreadsheet round trip (issue #11, part 3) and Excel 97–2003 registers.

``libsync export xlsx --library XS --for-edit`` writes the sheet; the tests then edit it with
openpyxl the way Excel leaves a workbook after a librarian's edits — numbers typed into text
columns, date cells, NFD text from a Mac keyboard, extra spaces, a blank row in the middle, a
deleted row, an added row — and import it back with ``libsync import table``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from libsync import yamlio
from libsync.i18n import t
from libsync.model.enums import ACCESS_LEVELS, ITEM_STATUSES, RECORD_TYPES, SHARE_LEVELS
from test_interchange_marc import tree

DATA = Path(__file__).parent / "data"
XLS_FIXTURE = DATA / "so-dkcb-excel-97-2003.xls"
TODAY = dt.date.today().isoformat()


# --- helpers ------------------------------------------------------------------------------------

def export_sheet(cli, repo: Path, dest: Path, *extra: str) -> Path:
    result = cli("--repo", repo, *extra, "export", "xlsx", "--library", "XS", "--for-edit", "-o", dest)
    assert result.exit_code == 0, result.output
    return dest


def record(repo: Path, lib: str, rid: str) -> dict:
    return yamlio.load_file(repo / "records" / lib / f"{rid}.yaml").data


def records_of(repo: Path, lib: str) -> list[dict]:
    return [yamlio.load_file(p).data for p in sorted((repo / "records" / lib).glob("*.yaml"))]


class Sheet:
    """The edit sheet opened as Excel would: cells found by heading, rows by record id and barcode."""

    def __init__(self, path: Path, lang: str = "vi"):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.ws = self.book.worksheets[0]
        self.col = {}
        for cell in self.ws[1]:
            self.col[cell.value] = cell.column
        self.lang = lang

    def c(self, field: str) -> int:
        return self.col[t(f"interchange.col.{field}", self.lang)]

    def row(self, rid: str, barcode: str | None = None) -> int:
        for r in range(2, self.ws.max_row + 1):
            if self.ws.cell(r, self.c("id")).value == rid and (
                    barcode is None or self.ws.cell(r, self.c("barcode")).value == barcode):
                return r
        raise AssertionError((rid, barcode))

    def get(self, r: int, field: str):
        return self.ws.cell(r, self.c(field)).value

    def set(self, r: int, field: str, value) -> None:
        self.ws.cell(r, self.c(field)).value = value

    def append(self, values: dict) -> int:
        r = self.ws.max_row + 1
        for field, value in values.items():
            self.set(r, field, value)
        return r

    def save(self) -> Path:
        self.book.save(self.path)
        return self.path


def run_import(cli, repo: Path, sheet: Path, *extra: str, library: str = "XS"):
    return cli("--repo", repo, "import", "table", sheet, "--library", library, *extra)


def json_import(cli, repo: Path, sheet: Path, *extra: str, library: str = "XS") -> tuple[int, dict]:
    lang = [a for a in extra if a in ("--lang", "en")]
    rest = [a for a in extra if a not in lang]
    result = cli("--repo", repo, *lang, "import", "table", sheet, "--library", library, "--format", "json", *rest)
    return result.exit_code, json.loads(result.stdout)


def outcome(report: dict, rid: str) -> dict:
    return next(r for r in report["records"] if r["id"] == rid)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


COPYLESS = {"id": "xs-so-tay-thu-vien", "library": "XS", "type": "other", "title": "Sổ tay công tác thư viện",
            "authors": ["Phạm Thị Thu Hà"], "share": "internal", "access": "catalog"}


@pytest.fixture
def xs_repo(example_repo) -> Path:
    """The example network with, in XS, a record that has no copy yet."""
    (example_repo / "records/XS/xs-so-tay-thu-vien.yaml").write_text(yamlio.dump(COPYLESS), encoding="utf-8")
    return example_repo


# --- the sheet ----------------------------------------------------------------------------------

def test_for_edit_sheet_has_every_editable_field_one_row_per_copy(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws.title == "Sửa biểu ghi"
    headings = [c.value for c in ws[1]]
    for wanted in ("Thư viện", "Mã biểu ghi", "Nhan đề", "Số ĐKCB", "Trạng thái", "Kho", "Ghi chú bản sách",
                   "Phạm vi chia sẻ", "Mức truy cập", "Loại tài liệu", "Chủ đề", "Từ khóa", "Ký hiệu xếp giá",
                   "Môn loại (DDC)", "Tác giả", "Năm XB", "ISBN"):
        assert wanted in headings, wanted
    assert all(c.font.b for c in ws[1])
    # one row per copy, a record without copies on one row
    records = records_of(xs_repo, "XS")
    assert ws.max_row - 1 == sum(max(1, len(r.get("items") or [])) for r in records)
    col = {h: i + 1 for i, h in enumerate(headings)}
    ids = [ws.cell(r, col["Mã biểu ghi"]).value for r in range(2, ws.max_row + 1)]
    assert set(ids) == {r["id"] for r in records}
    assert {ws.cell(r, col["Thư viện"]).value for r in range(2, ws.max_row + 1)} == {"XS"}
    copyless = [r for r in records if not r.get("items")]
    assert copyless
    for rec in copyless:
        assert ids.count(rec["id"]) == 1
        row = ids.index(rec["id"]) + 2
        assert ws.cell(row, col["Số ĐKCB"]).value is None
    # barcodes are text cells formatted as text (Excel keeps "00123" as typed)
    barcode = ws.cell(2, col["Số ĐKCB"])
    assert barcode.data_type == "s" and barcode.number_format == "@"
    # drop-down lists for the coded columns, with the schema's values
    lists = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            letter = str(dv.sqref).split(":")[0].rstrip("0123456789")
            lists[letter] = dv.formula1.strip('"').split(",")
    letter = {h: openpyxl.utils.get_column_letter(i) for h, i in col.items()}
    assert lists[letter["Trạng thái"]] == list(ITEM_STATUSES)
    assert lists[letter["Phạm vi chia sẻ"]] == list(SHARE_LEVELS)
    assert lists[letter["Mức truy cập"]] == list(ACCESS_LEVELS)
    assert lists[letter["Loại tài liệu"]] == list(RECORD_TYPES)
    # frozen headings and first columns, sensible widths, the row key hidden, the originals in a hidden sheet
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions[letter["Nhan đề"]].width >= 30
    assert ws.column_dimensions[letter["Khóa dòng (libsync, đừng sửa)"]].hidden
    assert book["_libsync"].sheet_state == "hidden"
    assert book["Hướng dẫn"].sheet_state == "visible"
    guide = "\n".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "KHÔNG xoá" in guide and "withdrawn" in guide and "đã thanh lý" in guide


def test_untouched_sheet_imports_as_unchanged_and_writes_nothing(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path, "--on-match", "update")
    assert code == 0, report
    assert report["for_edit"] is True and report["kind"] == "xlsx"
    assert report["counts"]["unchanged"] == len(records_of(xs_repo, "XS")) == report["total"]
    assert report["counts"]["updated"] == 0 and report["missing_rows"] == [] and report["ignored_columns"] == []
    assert tree(xs_repo) == before
    # a column the librarian added for herself is ignored, with a note
    sheet = Sheet(path)
    sheet.ws.cell(1, sheet.ws.max_column + 1).value = "Ghi chú của cô Lan"
    sheet.ws.cell(5, sheet.ws.max_column).value = "hỏi lại thầy Huy"
    sheet.save()
    code, report = json_import(cli, xs_repo, path)
    assert code == 0 and report["counts"]["updated"] == 0
    assert report["ignored_columns"] == ["Ghi chú của cô Lan"]
    assert any("Ghi chú của cô Lan" in note for note in report["notes"])
    assert tree(xs_repo) == before


def test_english_headings_export_and_import(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "edit.xlsx", "--lang", "en")
    sheet = Sheet(path, "en")
    assert sheet.ws.title == "Edit records"
    for wanted in ("Share", "Access", "Barcode", "Status", "Location", "Copy note", "Subjects", "Call number"):
        assert wanted in sheet.col
    r = sheet.row("xs-truyen-de-men", "XS-TN-00001")
    sheet.set(r, "location", "Kho mở – giá 3")
    sheet.save()
    # the importer accepts English headings whatever language it runs in
    code, report = json_import(cli, xs_repo, path)
    assert code == 0
    assert report["counts"]["updated"] == 1
    assert record(xs_repo, "XS", "xs-truyen-de-men")["items"][0]["location"] == "Kho mở – giá 3"


def test_export_for_edit_options(xs_repo, cli, tmp_path):
    out = tmp_path / "x.xlsx"
    for args in (("csv", "--library", "XS"), ("xlsx",), ("xlsx", "--library", "XS", "--audience", "public")):
        result = cli("--repo", xs_repo, "export", *args, "--for-edit", "-o", out)
        assert result.exit_code == 2, result.output
        assert "--for-edit" in result.output
        assert not out.exists()
    result = cli("--repo", xs_repo, "export", "xlsx", "--library", "XS", "--for-edit", "-o", out,
                 "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["for_edit"] and data["library"] == "XS" and data["records"] == 86
    assert data["rows"] == openpyxl.load_workbook(out).worksheets[0].max_row - 1


# --- editing as Excel would ---------------------------------------------------------------------

def test_excel_edits_give_a_field_by_field_diff_then_apply(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    before_music = record(xs_repo, "XS", "xs-am-nhac-6-kntt")
    # a title retyped in NFD with extra spaces
    for r in (sheet.row("xs-truyen-de-men", "XS-TN-00001"), sheet.row("xs-truyen-de-men", "XS-TN-00002")):
        sheet.set(r, "title", nfd("  Dế  Mèn phiêu lưu ký   (tái bản) "))
    # a copy marked lost, with its reference and a date cell; a location typed in NFD
    r = sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124")
    sheet.set(r, "status", "lost")
    sheet.set(r, "status_ref", "Biên bản số 12/2024")
    sheet.set(r, "status_date", dt.datetime(2024, 10, 3))
    r = sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123")
    sheet.set(r, "location", nfd("Kho giáo khoa – giá 2"))
    sheet.set(r, "acquired", dt.datetime(2021, 8, 16))          # the same day, now a date cell: no change
    # a subject added (on one row of the record), the year and the ISBN retyped as numbers (same values)
    sheet.set(r, "subjects", "Âm nhạc; Sách giáo khoa; Lớp 6; Âm nhạc dân gian")
    for rr in (r, sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124")):
        sheet.set(rr, "year", 2021)
        sheet.set(rr, "isbn", 9786040985446)
    # an optional field emptied: the periodical's notes go
    r = sheet.row("xs-bao-khan-quang-do-2024")
    assert sheet.get(r, "notes")
    sheet.set(r, "notes", None)
    # a status typed as a Vietnamese word, a year typed as a float
    r = sheet.row("xs-tk-atlat")
    atlat_barcode = sheet.get(r, "barcode")
    sheet.set(r, "status", "Hỏng")
    atlat_rows = [rr for rr in range(2, sheet.ws.max_row + 1) if sheet.get(rr, "id") == "xs-tk-atlat"]
    for rr in atlat_rows:
        sheet.set(rr, "year", 2020.0)
    # a barcode typed on the row of a record without copies, as a number: a new copy
    r = sheet.row("xs-so-tay-thu-vien")
    sheet.set(r, "barcode", 88001.0)
    # a row added by the librarian: a new copy of Dế Mèn
    sheet.append({"library": "XS", "id": "xs-truyen-de-men", "barcode": "XS-TN-00777", "location": "Kho mở"})
    # a row deleted (the second copy of a story) and a blank row inserted in the middle
    deleted = sheet.row("xs-truyen-la-co")
    deleted_barcode = sheet.get(deleted, "barcode")
    sheet.ws.delete_rows(deleted)
    sheet.ws.insert_rows(10)
    sheet.save()

    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path, "--dry-run")
    assert code == 0, report
    assert tree(xs_repo) == before   # the dry run writes nothing
    assert report["blank_lines"] == 1
    assert report["counts"]["rejected"] == 0
    assert report["counts"]["updated"] == 5
    assert report["counts"]["unchanged"] == report["total"] - 5
    # the deleted row is reported, nothing deleted
    assert [m["barcode"] for m in report["missing_rows"]] == [deleted_barcode]
    assert report["missing_rows"][0]["id"] == "xs-truyen-la-co"

    de_men = outcome(report, "xs-truyen-de-men")
    title = [d for d in de_men["diff"] if d["field"] == "title"]
    assert title == [{"line": title[0]["line"], "scope": "record", "barcode": None, "field": "title",
                      "column": "Nhan đề", "old": "Dế Mèn phiêu lưu ký", "new": "Dế Mèn phiêu lưu ký (tái bản)"}]
    new_copy = [d for d in de_men["diff"] if d["scope"] == "new_copy"]
    assert new_copy[0]["new"] == {"barcode": "XS-TN-00777", "status": "available", "location": "Kho mở"}
    music = outcome(report, "xs-am-nhac-6-kntt")
    by_field = {(d["barcode"], d["field"]): (d["old"], d["new"]) for d in music["diff"]}
    assert by_field == {
        (None, "subjects"): (["Âm nhạc", "Sách giáo khoa", "Lớp 6"],
                             ["Âm nhạc", "Sách giáo khoa", "Lớp 6", "Âm nhạc dân gian"]),
        ("XS-GK-00124", "status"): ("available", "lost"),
        ("XS-GK-00124", "status_date"): (None, "2024-10-03"),
        ("XS-GK-00124", "status_ref"): (None, "Biên bản số 12/2024"),
        ("XS-GK-00123", "location"): ("Kho giáo khoa", "Kho giáo khoa – giá 2"),
    }
    assert music["changes"] == ["subjects", "items"]
    assert outcome(report, "xs-bao-khan-quang-do-2024")["changes"] == ["notes"]
    atlat = {(d["barcode"], d["field"]): (d["old"], d["new"]) for d in outcome(report, "xs-tk-atlat")["diff"]}
    assert atlat[(None, "year")][1] == 2020
    assert atlat[(atlat_barcode, "status")] == ("available", "damaged")
    assert atlat[(atlat_barcode, "status_date")][1] == TODAY   # a status changed without its date: today

    # the text report: which record, which field, old → new; the deleted row said out loud
    text = run_import(cli, xs_repo, path, "--dry-run").output
    assert "bản XS-GK-00124 · Trạng thái: available → lost" in text
    assert "Nhan đề: Dế Mèn phiêu lưu ký → Dế Mèn phiêu lưu ký (tái bản)" in text
    assert "Ghi chú: Kỳ hạn" in text and "→ (trống)" in text
    assert "KHÔNG xoá gì" in text and deleted_barcode in text
    assert "không đổi" not in text.split("Thay đổi từng trường")[0]   # unchanged records are only counted

    result = run_import(cli, xs_repo, path, "--on-match", "update")
    assert result.exit_code == 0, result.output
    de_men = record(xs_repo, "XS", "xs-truyen-de-men")
    assert de_men["title"] == "Dế Mèn phiêu lưu ký (tái bản)" and unicodedata.is_normalized("NFC", de_men["title"])
    assert de_men["updated"] == TODAY
    assert [i["barcode"] for i in de_men["items"]] == ["XS-TN-00001", "XS-TN-00002", "XS-TN-00777"]
    assert de_men["items"][1]["holder"] == "HD"   # what the sheet does not carry is kept
    music = record(xs_repo, "XS", "xs-am-nhac-6-kntt")
    assert music["items"][1] == {**before_music["items"][1], "status": "lost", "status_date": "2024-10-03",
                                 "status_ref": "Biên bản số 12/2024"}
    assert music["items"][0]["location"] == "Kho giáo khoa – giá 2"
    assert music["items"][0]["acquired"] == "2021-08-16" and music["year"] == 2021
    assert music["isbn"] == before_music["isbn"]
    assert music["subjects"][-1] == "Âm nhạc dân gian"
    assert "notes" not in record(xs_repo, "XS", "xs-bao-khan-quang-do-2024")
    atlat = record(xs_repo, "XS", "xs-tk-atlat")
    assert atlat["year"] == 2020 and atlat["items"][0]["status"] == "damaged"
    assert record(xs_repo, "XS", "xs-so-tay-thu-vien")["items"] == [
        {"barcode": "88001", "status": "available"}]
    assert deleted_barcode in {i["barcode"] for i in record(xs_repo, "XS", "xs-truyen-la-co")["items"]}
    validate = cli("--repo", xs_repo, "validate")
    assert validate.exit_code == 0, validate.output
    # the same sheet again: the edits are now the repository's values
    code, report = json_import(cli, xs_repo, path)
    assert report["counts"]["updated"] == 0 and report["counts"]["rejected"] == 0


EVERY_COLUMN = {
    "title": ("Sách giáo khoa điện tử lớp 6 (bản 2024)", "Sách giáo khoa điện tử lớp 6 (bản 2024)"),
    "barcode": ("XS-SO-00009", "XS-SO-00009"), "status": ("damaged", "damaged"),
    "location": ("Phòng đọc số", "Phòng đọc số"), "item_note": ("Lối tắt mới", "Lối tắt mới"),
    "status_date": (dt.datetime(2024, 9, 1), "2024-09-01"), "status_ref": ("Kiểm kê 2024", "Kiểm kê 2024"),
    "share": ("network", "network"), "access": ("download", "download"), "type": ("Sách tham khảo", "reference"),
    "subtitle": ("Học liệu số", "Học liệu số"), "parallel_title": ("Digital textbooks", "Digital textbooks"),
    "authors": ("Nguyễn Văn An; Trần Thị Bình", ["Nguyễn Văn An", "Trần Thị Bình"]),
    "contributors": ("Lê Văn Cường (Chủ biên); Phạm Dung", [{"name": "Lê Văn Cường", "role": "Chủ biên"},
                                                            {"name": "Phạm Dung"}]),
    "publisher": ("Nhà xuất bản Giáo dục", "Nhà xuất bản Giáo dục"), "place": ("Đà Nẵng", "Đà Nẵng"),
    "year": (2022, 2022), "edition": ("Tái bản lần 1", "Tái bản lần 1"),
    "isbn": (9786041234567, "978-604-1-23456-7"), "issn": ("18591418", "1859-1418"),
    "series": ("Hành trang số", "Hành trang số"), "volume": (1, "1"), "language": ("Tiếng Anh", "eng"),
    "pages": ("250", 250), "dimensions": ("24 cm", "24 cm"), "ddc": ("373.07", "373.07"), "bpl19": ("37", "37"),
    "bbk": ("74.202", "74.202"), "udc": ("373.5", "373.5"), "call_number": ("373.07 / S102", "373.07 / S102"),
    "subjects": ("Học liệu số;Lớp 6 ;", ["Học liệu số", "Lớp 6"]), "keywords": ("Sách điện tử", ["Sách điện tử"]),
    "summary": ("Tóm tắt mới.", "Tóm tắt mới."), "notes": ("Ghi chú mới", "Ghi chú mới"),
    "program": ("GDPT 2018", "GDPT 2018"), "grade": (7.0, 7), "curriculum_subject": ("Tin học", "Tin học"),
    "curriculum_series": ("Cánh Diều", "Cánh Diều"), "url": ("https://hanhtrangso.nxbgd.vn/lop6",) * 2,
    "digital_format": ("PDF", "PDF"), "digital_licence": ("CC BY-NC", "CC BY-NC"),
    "digital_size": (1048576, 1048576), "acquired": ("07/09/2021", "2021-09-07"), "price": ("25.000 đ", 25000),
    "register_no": ("TQ-2021/09", "TQ-2021/09"), "source": ("Tặng", "Tặng"), "condition": ("Tốt", "Tốt"),
}


def test_every_column_of_the_sheet_is_read_back(xs_repo, cli, tmp_path):
    from libsync.interchange import editsheet

    assert set(EVERY_COLUMN) == {c.name for c in editsheet.COLUMNS if c.level != "key"}
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    r = sheet.row("xs-so-sgk-dien-tu-kntt-6")
    for name, (typed, _) in EVERY_COLUMN.items():
        sheet.set(r, name, typed)
    sheet.save()
    code, report = json_import(cli, xs_repo, path)
    assert code == 0, report
    assert report["ignored_columns"] == []
    changed = outcome(report, "xs-so-sgk-dien-tu-kntt-6")
    assert sorted(d["field"] for d in changed["diff"]) == sorted(EVERY_COLUMN)
    rec = record(xs_repo, "XS", "xs-so-sgk-dien-tu-kntt-6")
    item = rec["items"][0]
    for column in editsheet.COLUMNS:
        if column.level == "key":
            continue
        node = item if column.level == "copy" else rec
        for step in column.where:
            node = node[step]
        assert node == EVERY_COLUMN[column.name][1], column.name
    assert cli("--repo", xs_repo, "validate").exit_code == 0


def test_barcode_typed_as_a_number_and_text_with_spaces_are_not_edits(xs_repo, cli, tmp_path):
    example = record(xs_repo, "XS", "xs-truyen-de-men")
    example["items"][0]["barcode"] = "00123"
    (xs_repo / "records/XS/xs-truyen-de-men.yaml").write_text(
        yamlio.dump(example), encoding="utf-8")
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    r = sheet.row("xs-truyen-de-men", "00123")
    sheet.set(r, "barcode", 123)                       # Excel turned the retyped "00123" into a number
    sheet.set(r, "authors", nfd(" Tô  Hoài "))
    sheet.set(r, "pages", 144.0)
    sheet.set(r, "price", "45.000 đ")
    sheet.save()
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path)
    assert code == 0 and report["counts"]["updated"] == 0, report
    assert tree(xs_repo) == before


# --- refusals -----------------------------------------------------------------------------------

def test_an_emptied_required_field_refuses_that_record_only(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-truyen-de-men", "XS-TN-00001"), "title", None)
    sheet.set(sheet.row("xs-tk-atlat"), "barcode", "   ")
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123"), "location", "Kho giáo khoa – giá 5")
    sheet.save()
    de_men = (xs_repo / "records/XS/xs-truyen-de-men.yaml").read_bytes()
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    assert report["counts"] == {**report["counts"], "updated": 1, "rejected": 2}
    reasons = " ".join(outcome(report, "xs-truyen-de-men")["reasons"])
    assert "Nhan đề" in reasons and "bắt buộc" in reasons
    assert "số ĐKCB không xoá trắng được" in " ".join(outcome(report, "xs-tk-atlat")["reasons"])
    assert (xs_repo / "records/XS/xs-truyen-de-men.yaml").read_bytes() == de_men
    assert record(xs_repo, "XS", "xs-am-nhac-6-kntt")["items"][0]["location"] == "Kho giáo khoa – giá 5"


def test_a_status_not_allowed_is_refused_and_nothing_is_written(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    r = sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123")
    sheet.set(r, "status", "cho mượn vĩnh viễn")
    sheet.set(r, "year", "năm ngoái")
    sheet.save()
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    reasons = " ".join(outcome(report, "xs-am-nhac-6-kntt")["reasons"])
    assert f"dòng {r}, cột Trạng thái: 'cho mượn vĩnh viễn' không phải giá trị được phép" in reasons
    assert ", ".join(ITEM_STATUSES) in reasons
    assert "cột Năm XB: 'năm ngoái' không phải một năm" in reasons
    assert tree(xs_repo) == before
    # --strict with a rejected row: the whole sheet is refused
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-tk-atlat"), "location", "Kho tham khảo 2")
    sheet.save()
    result = run_import(cli, xs_repo, path, "--strict")
    assert result.exit_code == 1 and "--strict" in result.output
    assert tree(xs_repo) == before


def test_a_barcode_of_another_record_or_library_is_refused(xs_repo, cli, tmp_path):
    hd_barcode = next(i["barcode"] for r in records_of(xs_repo, "HD") for i in r.get("items") or [])
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    sheet.append({"id": "xs-truyen-de-men", "barcode": hd_barcode.lower()})          # another library's copy
    sheet.set(sheet.row("xs-tk-atlat"), "barcode", "XS-GK-00123")                   # another XS record's copy
    sheet.save()
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    assert "HD" in " ".join(outcome(report, "xs-truyen-de-men")["reasons"])
    assert "xs-am-nhac-6-kntt" in " ".join(outcome(report, "xs-tk-atlat")["reasons"])
    assert tree(xs_repo) == before
    # two copies of one record swapping barcodes is fine
    sheet = Sheet(path)
    sheet.ws.delete_rows(sheet.ws.max_row)
    sheet.set(sheet.row("xs-tk-atlat"), "barcode", sheet.get(sheet.row("xs-tk-atlat"), "barcode"))
    a, b = sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123"), sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124")
    sheet.set(a, "barcode", "XS-GK-00124")
    sheet.set(b, "barcode", "XS-GK-00123")
    sheet.set(sheet.row("xs-tk-atlat"), "barcode", record(xs_repo, "XS", "xs-tk-atlat")["items"][0]["barcode"])
    sheet.save()
    code, report = json_import(cli, xs_repo, path)
    assert code == 0, report
    items = record(xs_repo, "XS", "xs-am-nhac-6-kntt")["items"]
    assert [i["barcode"] for i in items] == ["XS-GK-00124", "XS-GK-00123"]
    assert items[0]["acquired"] == "2021-08-16"   # the copy kept its details under its new number


def test_write_refusal_leaves_the_repository_byte_for_byte(xs_repo, cli, tmp_path):
    """What the plan cannot see, the store's write path refuses: a shared record left without
    what Art. 28 asks for (the call number emptied) is refused by validate's rules."""
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    for r in range(2, sheet.ws.max_row + 1):
        if sheet.get(r, "id") == "xs-truyen-de-men":
            sheet.set(r, "call_number", None)
    sheet.save()
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    assert "/share" in " ".join(outcome(report, "xs-truyen-de-men")["reasons"])
    assert tree(xs_repo) == before


def test_a_change_made_since_the_export_is_kept_and_a_clash_refused(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    # after the export, someone marks a copy damaged and edits a record's notes in the repository
    music = record(xs_repo, "XS", "xs-am-nhac-6-kntt")
    music["items"][0]["status"] = "damaged"
    atlat = record(xs_repo, "XS", "xs-tk-atlat")
    atlat["notes"] = "Ghi chú mới trong kho"
    for rec in (music, atlat):
        (xs_repo / f"records/XS/{rec['id']}.yaml").write_text(yamlio.dump(rec), encoding="utf-8")
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123"), "status", "lost")   # the same field: a clash
    for r in range(2, sheet.ws.max_row + 1):
        if sheet.get(r, "id") == "xs-tk-atlat":
            sheet.set(r, "pages", 64)                                              # another field: fine
    sheet.save()
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    reasons = " ".join(outcome(report, "xs-am-nhac-6-kntt")["reasons"])
    assert "'available' thành 'damaged'" in reasons and "'lost'" in reasons
    assert record(xs_repo, "XS", "xs-am-nhac-6-kntt")["items"][0]["status"] == "damaged"
    atlat = record(xs_repo, "XS", "xs-tk-atlat")
    assert atlat["pages"] == 64 and atlat["notes"] == "Ghi chú mới trong kho"


def test_rows_that_disagree_ids_changed_and_unknown_rows_are_refused(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00123"), "publisher", "Nhà xuất bản A")
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124"), "publisher", "Nhà xuất bản B")
    sheet.set(sheet.row("xs-tk-atlat"), "id", "xs-tk-atlat-moi")
    sheet.set(sheet.row("xs-truyen-de-men", "XS-TN-00001"), "library", "HD")
    no_id = sheet.append({"title": "Sách mới chưa có mã", "barcode": "XS-MOI-1"})
    unknown = sheet.append({"id": "xs-khong-co", "barcode": "XS-MOI-2"})
    copied = sheet.append({"id": "xs-truyen-de-men", "barcode": "XS-TN-00001"})   # a row copied, barcode kept
    sheet.save()
    before = tree(xs_repo)
    code, report = json_import(cli, xs_repo, path)
    assert code == 1
    assert "Nhà xuất bản A | Nhà xuất bản B" in " ".join(outcome(report, "xs-am-nhac-6-kntt")["reasons"])
    assert "không sửa được" in " ".join(outcome(report, "xs-tk-atlat")["reasons"])
    de_men = " ".join(outcome(report, "xs-truyen-de-men")["reasons"])
    assert "Thư viện" in de_men and f"dòng {copied}: bản XS-TN-00001 đã có" in de_men
    by_line = {r["location"]: r for r in report["records"]}
    assert "không có Mã biểu ghi" in by_line[f"dòng {no_id}"]["reasons"][0]
    assert "xs-khong-co" in by_line[f"dòng {unknown}"]["reasons"][0]
    assert tree(xs_repo) == before


def test_a_sheet_of_another_library_or_a_damaged_one_is_refused(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    before = tree(xs_repo)
    result = run_import(cli, xs_repo, path, library="HD")
    assert result.exit_code == 2 and "--library XS" in result.output
    result = run_import(cli, xs_repo, path, "--on-match", "new")
    assert result.exit_code == 2 and "--on-match update" in result.output
    book = openpyxl.load_workbook(path)
    book["_libsync"]["A1"] = "sổ của tôi"
    book.save(path)
    result = run_import(cli, xs_repo, path)
    assert result.exit_code == 2 and "_libsync" in result.output
    assert tree(xs_repo) == before


def test_without_the_hidden_key_column_rows_are_matched_by_id_and_barcode(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124"), "item_note", "Bìa sờn")
    sheet.ws.delete_cols(sheet.ws.max_column)
    sheet.save()
    code, report = json_import(cli, xs_repo, path)
    assert code == 0, report
    assert report["counts"]["updated"] == 1 and report["missing_rows"] == []
    assert record(xs_repo, "XS", "xs-am-nhac-6-kntt")["items"][1]["note"] == "Bìa sờn"


def test_rows_sorted_in_excel_keep_their_records(xs_repo, cli, tmp_path):
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    ws = sheet.ws
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda values: str(values[sheet.c("title") - 1]), reverse=True)   # "Sort Z → A" by title
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    sheet.set(sheet.row("xs-tk-atlat"), "location", "Kho tham khảo – giá 1")
    sheet.save()
    code, report = json_import(cli, xs_repo, path, "--lang", "en")
    assert code == 0, report
    assert report["counts"]["updated"] == 1 and report["missing_rows"] == []
    assert outcome(report, "xs-tk-atlat")["diff"][0]["column"] == "Location"
    assert record(xs_repo, "XS", "xs-tk-atlat")["items"][0]["location"] == "Kho tham khảo – giá 1"


def test_commit_makes_one_commit_and_validate_stays_clean(xs_repo, cli, tmp_path):
    def git(*args):
        return subprocess.run(["git", "-C", str(xs_repo), *args], capture_output=True, text=True,
                              check=True).stdout

    git("init", "-q", "-b", "main")
    git("-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", "add", "-A")
    git("-c", "user.name=Thủ thư", "-c", "user.email=tt@example.vn", "commit", "-q", "-m", "mạng mẫu")
    git("config", "user.name", "Thủ thư")
    git("config", "user.email", "tt@example.vn")
    path = export_sheet(cli, xs_repo, tmp_path / "sua.xlsx")
    sheet = Sheet(path)
    sheet.set(sheet.row("xs-am-nhac-6-kntt", "XS-GK-00124"), "status", "withdrawn")
    sheet.save()
    result = run_import(cli, xs_repo, path, "--commit")
    assert result.exit_code == 0, result.output
    assert git("log", "--format=%s", "-1").startswith("Nhập sua.xlsx vào thư viện XS")
    assert git("status", "--porcelain").strip() == ""
    assert git("show", "--stat", "--format=", "HEAD").count("|") == 1
    assert cli("--repo", xs_repo, "validate").exit_code == 0


# --- Excel 97–2003 ------------------------------------------------------------------------------

def test_xls_register_imports(xs_repo, cli, tmp_path):
    # tests/data/so-dkcb-excel-97-2003.xls was made once with xlwt 1.3.0 (installed outside the
    # project, not a dependency): a title merged over the columns, a heading row, two copies of one
    # title, a blank row, then a copy whose barcode, year, ISBN and price were typed as numbers;
    # "Ngày nhập" as date cells (DD/MM/YYYY).
    source = tmp_path / "so-cu.xls"
    shutil.copy(XLS_FIXTURE, source)
    result = cli("--repo", xs_repo, "import", "table", source, "--library", "ND", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["kind"] == "xls" and report["counts"]["created"] == 2 and report["blank_lines"] == 1
    made = {r["title"]: r for r in records_of(xs_repo, "ND") if r.get("provenance", {}).get("file") == "so-cu.xls"}
    amicis = made["Những tấm lòng cao cả"]
    assert [i["barcode"] for i in amicis["items"]] == ["ND-XLS-001", "ND-XLS-002"]
    assert amicis["items"][0]["acquired"] == "2023-09-05" and amicis["items"][0]["price"] == 52000
    assert amicis["year"] == 2019 and amicis["type"] == "story" and amicis["isbn"] == "978-604-2-00101-4"
    math = made["Toán 6 – Tập một"]
    assert math["items"] == [{"barcode": "770031", "status": "available", "acquired": "2021-08-20", "price": 19000}]
    assert math["authors"] == ["Hà Huy Khoái", "Cung Thế Anh"] and math["isbn"] == "978-604-0-00999-9"
    assert math["type"] == "textbook" and math["year"] == 2021


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_corrupt_xls_is_refused_with_a_clear_message(xs_repo, cli, tmp_path, damage):
    raw = XLS_FIXTURE.read_bytes()
    data = raw[:3000] if damage == "truncated" else raw[:512] + bytes(range(256)) * 20
    source = tmp_path / "hong.xls"
    source.write_bytes(data)
    before = tree(xs_repo)
    result = cli("--repo", xs_repo, "import", "table", source, "--library", "ND", "--format", "json")
    assert result.exit_code == 2
    assert "hong.xls: không đọc được tệp Excel 97–2003 (.xls)" in result.output
    assert "Traceback" not in result.output and result.stdout.strip() == ""
    assert tree(xs_repo) == before


def test_a_web_page_named_xls_gets_an_honest_message(xs_repo, cli, tmp_path):
    source = tmp_path / "xuat-tu-web.xls"
    source.write_text("<html><body><table><tr><td>1</td><td>2</td></tr></table></body></html>", encoding="utf-8")
    result = cli("--repo", xs_repo, "import", "table", source, "--library", "ND")
    assert result.exit_code == 2
    assert "không phải bảng tính Excel 97–2003" in result.output and "tiêu đề cột" in result.output
