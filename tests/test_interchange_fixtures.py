"""Builders of Vietnamese MARC and register fixtures, shared by the interchange tests
(and checked here: each builder really produces what its name says)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pymarc
from pymarc import Field, Indicators, Record, Subfield

from libsync.text import legacy

DATA = Path(__file__).parent / "data" / "interchange"
SAMPLES = DATA / "marc-samples"

BOOKS = [
    {"001": "VN0001", "isbn": "978-604-0-25102-2", "title": "Toán 6", "sub": "sách giáo khoa", "n": "Tập 1",
     "author": "Hà Huy Khoái", "contrib": ("Nguyễn Huy Đoan", "chủ biên"), "place": "Hà Nội",
     "pub": "Giáo dục Việt Nam", "year": "2021", "pages": "128", "ddc": "510.712", "call": "510 T406",
     "subjects": ["Toán học -- Sách giáo khoa"], "keywords": ["Toán 6", "Kết nối tri thức"],
     "copies": [("XS-0001", "25000.00", "2021-08-15"), ("XS-0002", "25000.00", "2021-08-15")], "type": "SGK"},
    {"001": "VN0002", "isbn": None, "title": "Đất rừng phương Nam", "sub": None, "n": None,
     "author": "Đoàn Giỏi", "contrib": None, "place": "TP. Hồ Chí Minh", "pub": "Kim Đồng", "year": "2019",
     "pages": "340", "ddc": "895.9223", "call": "895.922 Đ406G", "subjects": ["Văn học thiếu nhi"],
     "keywords": ["Tiểu thuyết", "Nam Bộ"], "copies": [("XS-0101", "68000", "2020-01-05")], "type": "TRUYEN"},
    {"001": "VN0003", "isbn": "9786040000002", "title": "Tiếng Việt ở trường học", "sub": "những điều cần biết",
     "n": None, "author": "Nguyễn Thị Ưng", "contrib": None, "place": "Hà Nội", "pub": "Đại học Sư phạm",
     "year": "2018", "pages": "210", "ddc": "495.922", "call": "495.922 T306V",
     "subjects": ["Tiếng Việt"], "keywords": ["ngữ pháp"], "copies": [], "type": None},
]


def vn_record(book: dict, utf8_flag: bool = True) -> Record:
    leader = "00000nam a2200000 i 4500" if utf8_flag else "00000nam  2200000 i 4500"
    rec = Record(leader=leader, force_utf8=True)
    rec.add_field(Field(tag="001", data=book["001"]))
    rec.add_field(Field(tag="008", data="210815s" + book["year"] + "    vm            000 0 vie d"))

    def add(tag, ind, *pairs):
        subs = [Subfield(c, v) for c, v in pairs if v]
        if subs:
            rec.add_field(Field(tag=tag, indicators=Indicators(*ind), subfields=subs))

    add("020", "  ", ("a", book["isbn"]))
    add("041", "0 ", ("a", "vie"))
    add("082", "04", ("a", book["ddc"]))
    add("090", "  ", ("a", book["call"]))
    add("100", "1 ", ("a", book["author"] + ","))
    add("245", "10", ("a", book["title"] + (" :" if book["sub"] else " /")), ("b", book["sub"]), ("n", book["n"]))
    add("264", " 1", ("a", book["place"] + " :"), ("b", book["pub"] + ","), ("c", book["year"] + "."))
    add("300", "  ", ("a", book["pages"] + " tr. :"), ("c", "24 cm"))
    for s in book["subjects"]:
        add("650", " 7", ("a", s.split(" -- ")[0]), *(("x", x) for x in s.split(" -- ")[1:]))
    for k in book["keywords"]:
        add("653", "  ", ("a", k))
    if book["contrib"]:
        add("700", "1 ", ("a", book["contrib"][0]), ("e", book["contrib"][1]))
    add("942", "  ", ("c", book["type"]))
    for barcode, price, acquired in book["copies"]:
        add("952", "  ", ("a", "XS"), ("b", "XS"), ("c", "Kho mở"), ("d", acquired), ("g", price), ("p", barcode),
            ("y", book["type"]))
    return rec


def iso2709(records: list[Record], utf8_flag: bool = True) -> bytes:
    out = b""
    for rec in records:
        data = rec.as_marc()
        if not utf8_flag:  # the common Vietnamese export bug: UTF-8 bytes, leader/09 blank
            data = data[:9] + b" " + data[10:]
        out += data
    return out


def vn_marc_bytes(utf8_flag: bool = True) -> bytes:
    return iso2709([vn_record(b) for b in BOOKS], utf8_flag)


REGISTER_HEADINGS = ["STT", "Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Nơi XB", "Năm XB", "ISBN",
                     "Môn loại", "Ký hiệu xếp giá", "Số trang", "Giá tiền", "Từ khóa", "Chủ đề", "Loại tài liệu",
                     "Ghi chú"]
REGISTER_ROWS = [
    ["1", "HD-0001", "Ngữ văn 6", "Bùi Mạnh Hùng", "Giáo dục Việt Nam", "Hà Nội", "2021", "978-604-0-25102-2",
     "807", "807 NG550V", "140", "25.000", "Ngữ văn; Kết nối tri thức", "Ngữ văn -- Sách giáo khoa", "SGK", ""],
    ["2", "HD-0002", "Ngữ văn 6", "Bùi Mạnh Hùng", "Giáo dục Việt Nam", "Hà Nội", "2021", "978-604-0-25102-2",
     "807", "807 NG550V", "140", "25.000", "Ngữ văn; Kết nối tri thức", "Ngữ văn -- Sách giáo khoa", "SGK", ""],
    ["3", "HD-0003", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", "Hà Nội", "2020", "", "895.9223",
     "895.922 D250M", "144", "45.000 đ", "Truyện thiếu nhi", "Văn học thiếu nhi", "Truyện", "Sách tặng"],
    ["4", "HD-0004", "Lịch sử và Địa lí 6", "Vũ Minh Giang", "Giáo dục Việt Nam", "Hà Nội", "2021", "", "907",
     "907 L302S", "180", "30.000", "Lịch sử; Địa lí", "Lịch sử -- Sách giáo khoa", "SGK", "Ưu tiên luân chuyển"],
]


def register_text(delimiter: str = ",") -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(REGISTER_HEADINGS)
    for row in REGISTER_ROWS:
        writer.writerow(row)
    return buf.getvalue()


def register_bytes(encoding: str) -> bytes:
    text = register_text()
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return legacy.encode(text, encoding)


def git_repo_with_remote(tmp_path: Path, source: Path) -> Path:
    """``source`` turned into a Git working copy whose origin is a bare repository."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "thuvien@example.vn"],
                 ["config", "user.name", "Thư viện"], ["add", "-A"], ["commit", "-q", "-m", "Mạng thư viện"],
                 ["remote", "add", "origin", str(bare)], ["push", "-q", "origin", "main"]):
        subprocess.run(["git", *args], cwd=source, check=True)
    return bare


# --- the builders, checked ------------------------------------------------------------------

def test_vn_marc_fixture_is_utf8_with_and_without_flag():
    flagged, unflagged = vn_marc_bytes(True), vn_marc_bytes(False)
    assert flagged[9:10] == b"a" and unflagged[9:10] == b" "
    assert "Đất rừng phương Nam".encode() in unflagged
    # pymarc alone, trusting the blank leader/09, garbles the unflagged file
    reader = pymarc.MARCReader(unflagged, hide_utf8_warnings=True)
    titles = [r["245"]["a"] for r in reader]
    assert not any("Đất rừng" in t for t in titles)


def test_register_fixture_in_every_encoding_is_different_bytes():
    seen = {enc: register_bytes(enc) for enc in ("utf-8-sig", "cp1258", "tcvn3", "vni")}
    assert len(set(seen.values())) == 4
    assert seen["tcvn3"].count(b"\xad") >= 1  # ư ("lưu") is the soft-hyphen byte in TCVN3


def test_samples_are_copied_with_licence():
    assert (SAMPLES / "LICENSE.pymarc").is_file()
    assert (SAMPLES / "bad_records.mrc").is_file()
    assert shutil.which("git")
