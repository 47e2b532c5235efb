"""Spreadsheet import: the four encodings, headings, merged header cells, duplicates, --map."""

from __future__ import annotations

import json
import unicodedata

import openpyxl
import pytest

from libsync.text import legacy
from test_interchange_fixtures import REGISTER_HEADINGS, REGISTER_ROWS, register_bytes
from libsync import yamlio
from test_interchange_marc import load_record, tree


def imported(repo, lib, title):
    """The record titled ``title`` that an import (not the example data) wrote."""
    for path in sorted((repo / "records" / lib).glob("*.yaml")):
        data = yamlio.load_file(path).data
        if data["title"] == title and data.get("provenance", {}).get("source") == "table":
            return data
    raise AssertionError(title)


@pytest.mark.parametrize("encoding, label", [("utf-8-sig", "utf-8"), ("cp1258", "cp1258"), ("tcvn3", "tcvn3"),
                                             ("vni", "vni")])
def test_register_in_each_encoding_imports_the_right_text(example_repo, cli, tmp_path, encoding, label):
    source = tmp_path / f"so-dkcb-{label}.csv"
    source.write_bytes(register_bytes(encoding))
    result = cli("--repo", example_repo, "import", "table", source, "--library", "HD", "--format", "json",
                 "--on-match", "new")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["encodings"] == {label: 1}
    assert report["total"] == 3 and report["counts"]["created"] == 3  # 4 lines, 3 titles
    ngu_van = imported(example_repo, "HD", "Ngữ văn 6")
    de_men = imported(example_repo, "HD", "Dế Mèn phiêu lưu ký")
    assert de_men["authors"] == ["Tô Hoài"] and de_men["publisher"] == "Kim Đồng"
    assert de_men["type"] == "story" and de_men["items"][0]["price"] == 45000
    assert de_men["notes"] == "Sách tặng"
    ls = imported(example_repo, "HD", "Lịch sử và Địa lí 6")
    assert ls["notes"].lower() == "ưu tiên luân chuyển"  # TCVN3 has no capital Ư with this byte
    assert any(r for r in [ngu_van])


def test_sổ_đăng_ký_cá_biệt_groups_copies_into_one_record(example_repo, cli, tmp_path):
    source = tmp_path / "so.csv"
    source.write_bytes(register_bytes("utf-8-sig"))
    result = cli("--repo", example_repo, "import", "table", source, "--library", "ND", "--on-match", "new",
                 "--format", "json")
    report = json.loads(result.stdout)
    first = report["records"][0]
    assert first["copies"] == 2 and first["title"] == "Ngữ văn 6"
    rec = imported(example_repo, "ND", "Ngữ văn 6")
    assert [i["barcode"] for i in rec["items"] if i["barcode"].startswith("HD-")] == ["HD-0001", "HD-0002"]
    assert rec["classification"] == {"ddc": "807"} and rec["keywords"] == ["Ngữ văn", "Kết nối tri thức"]


def test_nfd_headings_and_values_without_diacritics(example_repo, cli, tmp_path):
    text = "So DKCB;Ten sach;Tac gia;NXB;Nam xuat ban\n"
    text += unicodedata.normalize("NFD", "ND-7001;Cho tôi xin một vé đi tuổi thơ;Nguyễn Nhật Ánh;Trẻ;2018\n")
    source = tmp_path / "nfd.csv"
    source.write_text(text, encoding="utf-8")
    result = cli("--repo", example_repo, "import", "table", source, "--library", "ND")
    assert result.exit_code == 0, result.output
    rec = load_record(example_repo, "ND", "Cho tôi xin một vé đi tuổi thơ")
    assert rec["authors"] == ["Nguyễn Nhật Ánh"] and unicodedata.is_normalized("NFC", rec["title"])
    assert rec["items"][0]["barcode"] == "ND-7001"


def test_xlsx_with_merged_header_cells_blank_lines_and_vntime_text(example_repo, cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ ĐĂNG KÝ CÁ BIỆT — THƯ VIỆN THCS NGUYỄN DU"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Số ĐKCB", "Tên sách", "Tác giả", "Xuất bản", None, None])
    sheet.append([None, None, None, "NXB", "Nơi XB", "Năm XB"])
    sheet.merge_cells("D2:F2")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    # typed with the .VnTime font: TCVN3 bytes seen as Windows-1252 letters
    vn = lambda s: legacy.encode(s, "tcvn3").decode("cp1252")  # noqa: E731
    sheet.append(["ND-8001", vn("Đất rừng phương Nam"), vn("Đoàn Giỏi"), vn("Kim Đồng"), vn("Hà Nội"), 2019])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["ND-8002", vn("Đất rừng phương Nam"), vn("Đoàn Giỏi"), vn("Kim Đồng"), vn("Hà Nội"), 2019])
    sheet.append([])
    sheet.append(["ND-8003", vn("Tuổi thơ dữ dội"), vn("Phùng Quán"), vn("Kim Đồng"), vn("Hà Nội"), 2017])
    source = tmp_path / "so.xlsx"
    book.save(source)
    result = cli("--repo", example_repo, "import", "table", source, "--library", "ND", "--format", "json",
                 "--on-match", "new")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["encodings"] == {"tcvn3": 1}
    assert report["total"] == 2 and report["blank_lines"] >= 1
    rec = imported(example_repo, "ND", "Đất rừng phương Nam")
    assert rec["place"] == "Hà Nội" and rec["publisher"] == "Kim Đồng" and rec["year"] == 2019
    assert [i["barcode"] for i in rec["items"]] == ["ND-8001", "ND-8002"]


def test_duplicate_barcodes_in_the_file_and_against_the_repository(example_repo, cli, tmp_path):
    taken = load_record(example_repo, "XS", "Âm nhạc 6")["items"][0]["barcode"]
    text = "Số ĐKCB,Tên sách,Tác giả\nXS-9001,Sách A,Tác giả A\nXS-9001,Sách B,Tác giả B\n"
    text += f"{taken},Sách C,Tác giả C\nXS-9002,Sách D,Tác giả D\nXS-9002,Sách D,Tác giả D\n"
    source = tmp_path / "dup.csv"
    source.write_text(text, encoding="utf-8")
    result = cli("--repo", example_repo, "import", "table", source, "--library", "XS", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["total"] == 4 and sum(report["counts"].values()) == 4
    actions = {r["title"]: (r["action"], " ".join(r["reasons"])) for r in report["records"]}
    assert actions["Sách A"][0] == "created"
    assert actions["Sách B"][0] == "rejected" and "XS-9001" in actions["Sách B"][1] and "cùng tệp" in actions["Sách B"][1]
    assert actions["Sách C"][0] == "rejected" and taken in actions["Sách C"][1] and "trong kho" in actions["Sách C"][1]
    assert actions["Sách D"][0] == "rejected" and "lặp lại" in actions["Sách D"][1]


def test_wrong_forced_encoding_is_refused_and_nothing_changes(example_repo, cli, tmp_path):
    source = tmp_path / "so.csv"
    source.write_bytes(register_bytes("utf-8-sig"))
    before = tree(example_repo)
    result = cli("--repo", example_repo, "--lang", "en", "import", "table", source, "--library", "HD",
                 "--encoding", "tcvn3")
    assert result.exit_code == 2
    assert "not in the tcvn3 encoding" in result.output and "utf-8" in result.output
    tcvn = tmp_path / "tcvn.csv"
    tcvn.write_bytes(register_bytes("tcvn3"))
    result = cli("--repo", example_repo, "--lang", "vi", "import", "table", tcvn, "--library", "HD", "--encoding", "utf-8")
    assert result.exit_code == 2 and "dòng 1" in result.output and "tcvn3" in result.output
    assert tree(example_repo) == before


def test_mapping_file_names_unusual_columns(example_repo, cli, tmp_path):
    (tmp_path / "cot.yaml").write_text('"Mã cá biệt": barcode\n"Tên ấn phẩm đặc biệt": title\n', encoding="utf-8")
    source = tmp_path / "la.csv"
    source.write_text("Mã cá biệt,Tên ấn phẩm đặc biệt,Tác giả\nND-5001,Kỷ yếu 50 năm,Nhiều tác giả\n", encoding="utf-8")
    no_map = cli("--repo", example_repo, "import", "table", source, "--library", "ND")
    assert no_map.exit_code == 2 and "--map" in no_map.output
    result = cli("--repo", example_repo, "import", "table", source, "--library", "ND", "--map", tmp_path / "cot.yaml")
    assert result.exit_code == 0, result.output
    assert load_record(example_repo, "ND", "Kỷ yếu 50 năm")["items"][0]["barcode"] == "ND-5001"
    (tmp_path / "bad.yaml").write_text('"Mã cá biệt": ma_vach\n', encoding="utf-8")
    bad = cli("--repo", example_repo, "import", "table", source, "--library", "ND", "--map", tmp_path / "bad.yaml")
    assert bad.exit_code == 2 and "ma_vach" in bad.output


def test_short_text_detection_is_marked_unsure():
    guess = legacy.detect(legacy.encode("Văn", "tcvn3"))
    assert not guess.confident
    long = legacy.detect(legacy.encode("Tiếng Việt lớp 6, Đất rừng phương Nam, Nguyễn Du", "vni"))
    assert long.confident and long.encoding == "vni" and long.text == "Tiếng Việt lớp 6, Đất rừng phương Nam, Nguyễn Du"


def test_register_headings_fixture_uses_known_columns():
    from libsync.interchange.tables import _heading_index, recognise

    folded, exact = _heading_index()
    assert [recognise(h, folded, exact) for h in REGISTER_HEADINGS][:4] == ["ignore", "barcode", "title", "authors"]
    assert recognise("Khổ", folded, exact) == "dimensions" and recognise("Kho", folded, exact) == "location"
    assert len(REGISTER_ROWS) == 4
