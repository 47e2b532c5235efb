"""The scan reader: text, CSV and XLSX files as scanners and librarians make them."""

from __future__ import annotations

import unicodedata

import pytest
from openpyxl import Workbook

from libsync.errors import LibsyncError
from libsync.i18n import set_language
from libsync.inventory.scan import compare_with_manifest, read_scan


@pytest.fixture(autouse=True)
def _vi():
    set_language("vi")
    yield
    set_language("vi")


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_scan_with_scanner_noise_and_sections(tmp_path):
    data = (
        b"# ki\xe1\xbb\x83m k\xc3\xaa k\xe1\xbb\x87 1\r\n"
        b"\r\n"
        b"[Kho A]\r\n"
        b"\x02XS000001\x03\r\n"
        b"   XS000002  \r\n"
        b"]C1XS000003\r\n"
        b"*XS000004*\r\n"
        b"XS 000005\r\n"
        b"XS000001\r\n"
        b"[Kho B]\r\n"
        b"HD000010\t\r\n"
        b"???\r\n"
    )
    scan = read_scan(write(tmp_path, "scan.txt", data))
    assert scan.format == "text" and scan.encoding == "utf-8"
    assert scan.barcodes == ["XS000001", "XS000002", "XS000003", "XS000004", "XS000005", "XS000001", "HD000010"]
    assert scan.lines == [4, 5, 6, 7, 8, 9, 11]
    assert scan.sections == [{"location": "Kho A", "start": 0, "count": 6},
                             {"location": "Kho B", "start": 6, "count": 1}]
    assert scan.twice == {"XS000001": [4, 9]}
    skipped = [p for p in scan.warnings if p.rule == "scan-unreadable"]
    assert [p.line for p in skipped] == [12]
    cleaned_lines = {p.line for p in scan.warnings if p.rule == "scan-cleaned"}
    assert {4, 6, 7, 8}.issubset(cleaned_lines)
    assert len(scan.sha256) == 64 and scan.raw == data


def test_section_header_in_nfd_is_stored_nfc(tmp_path):
    header = unicodedata.normalize("NFD", "[Kệ sách giáo khoa]")
    scan = read_scan(write(tmp_path, "s.txt", (header + "\nXS1\n").encode()))
    assert scan.sections[0]["location"] == "Kệ sách giáo khoa"
    assert unicodedata.is_normalized("NFC", scan.sections[0]["location"])


@pytest.mark.parametrize("data", [b"", b"\n\n   \n", b"# only a comment\n[Kho A]\n"])
def test_empty_scan_is_refused(tmp_path, data):
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(LibsyncError) as info:
        read_scan(path)
    assert info.value.key == "inventory.scan_empty"
    assert str(path) in str(info.value)


def test_wrong_encoding_names_file_and_line(tmp_path):
    data = "XS000001\nXS000002\nGhi chú\n".encode("cp1258")
    path = write(tmp_path, "cp1258.txt", data)
    with pytest.raises(LibsyncError) as info:
        read_scan(path)
    assert info.value.key == "inventory.scan_encoding"
    assert info.value.params["line"] == 3
    assert "dòng 3" in str(info.value) and str(path) in str(info.value)
    assert info.value.exit_code == 2


def test_explicit_encoding_and_utf16_bom(tmp_path):
    path = write(tmp_path, "cp.txt", "[Kho sách]\nXS000001\n".encode("cp1258"))
    scan = read_scan(path, encoding="cp1258")
    assert scan.barcodes == ["XS000001"] and scan.sections[0]["location"] == "Kho sách"
    scan16 = read_scan(write(tmp_path, "u16.txt", "XS1\r\nXS2\r\n".encode("utf-16")))
    assert scan16.barcodes == ["XS1", "XS2"] and scan16.encoding == "utf-16"


def test_utf16_without_bom_is_read_and_binary_is_refused(tmp_path):
    # the NUL byte of every ASCII letter gives UTF-16 away, BOM or not (issue #14 item 18)
    scan = read_scan(write(tmp_path, "u16.txt", "XS1\nXS2\n".encode("utf-16-le")))
    assert scan.barcodes == ["XS1", "XS2"] and scan.encoding == "utf-16-le"
    scan = read_scan(write(tmp_path, "u16be.txt", "XS1\nXS2\n".encode("utf-16-be")))
    assert scan.barcodes == ["XS1", "XS2"] and scan.encoding == "utf-16-be"
    with pytest.raises(LibsyncError) as info:
        read_scan(write(tmp_path, "bin.txt", b"XS1\nXS2\x00\x00\x01\x02XS3\n"))
    assert info.value.key == "inventory.scan_binary"


def test_csv_with_vietnamese_header_and_location(tmp_path):
    text = "STT;Mã vạch;Vị trí\n1;XS000001;Kệ 1\n2; XS000002 ;Kệ 1\n3;XS000003;Kệ 2\n"
    scan = read_scan(write(tmp_path, "list.csv", text.encode("utf-8-sig")))
    assert scan.format == "csv"
    assert scan.barcodes == ["XS000001", "XS000002", "XS000003"]
    assert scan.lines == [2, 3, 4]
    assert scan.sections == [{"location": "Kệ 1", "start": 0, "count": 2}, {"location": "Kệ 2", "start": 2, "count": 1}]


def test_csv_without_header_takes_first_column(tmp_path):
    scan = read_scan(write(tmp_path, "plain.csv", b"XS1,x\nXS2,y\n"))
    assert scan.barcodes == ["XS1", "XS2"]


def test_xlsx_with_header_numbers_and_blank_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["ĐKCB", "Nhan đề", "Kho"])
    ws.append(["XS000001", "Toán 6", "Kho A"])
    ws.append([None, None, None])
    ws.append([123456, "Ngữ văn 6", "Kho A"])
    ws.append(["XS000003", "Tiếng Anh", "Kho B"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    scan = read_scan(path)
    assert scan.format == "xlsx" and scan.encoding is None
    assert scan.barcodes == ["XS000001", "123456", "XS000003"]
    assert scan.lines == [2, 4, 5]
    assert scan.sections == [{"location": "Kho A", "start": 0, "count": 2}, {"location": "Kho B", "start": 2, "count": 1}]


def test_broken_xlsx_is_a_clear_error(tmp_path):
    with pytest.raises(LibsyncError) as info:
        read_scan(write(tmp_path, "bad.xlsx", b"PK\x03\x04not really a zip"))
    assert info.value.key == "inventory.scan_bad_xlsx"


def test_missing_file(tmp_path):
    with pytest.raises(LibsyncError) as info:
        read_scan(tmp_path / "nope.txt")
    assert info.value.key == "file.not_found"


def test_compare_with_manifest():
    manifest = {"id": "EX1", "copies": [{"barcode": "A1", "record": "r"}, {"barcode": "A2", "record": "r"},
                                        {"barcode": "A3", "record": "r"}]}
    out = compare_with_manifest(["A3", "B9", "A1", "A1"], manifest)
    assert out["present"] == ["A1", "A3"]
    assert out["missing"] == ["A2"]
    assert out["extra"] == ["B9"]
    assert out["twice"] == ["A1"]
    assert out["counts"] == {"expected": 3, "scanned": 4, "present": 2, "missing": 1, "extra": 1, "twice": 1}
