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
