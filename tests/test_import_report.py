"""The import report a librarian can read (#15 items 1, 2, acceptance): a big register's notes
grouped by kind and counted, with the first row numbers of each; a row only for the records
not imported (capped, the rest counted); every record only with --verbose, its row number never
dropped; columns named as her file heads them, fields and levels by their labels."""

from __future__ import annotations

import csv
import re

from rich.cells import cell_len

from tests.test_tables import flat, terminal

ROWS = 2000
HEADINGS = ["STT", "Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm XB", "ISBN"]


def register(path, rows=ROWS):
    """A register like hers: every 7th row's year unreadable ("không rõ"), every 13th ISBN with a
    wrong check digit, every 3rd publisher written "NXB Giáo dục", every 80th row with no title."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADINGS)
        for i in range(1, rows + 1):
            title = "" if i % 80 == 0 else f"Truyện đọc lớp {i % 9 + 1} quyển {i}"
            out.writerow([i, f"ND-T{i:05d}", title, "Nguyễn Văn An", "NXB Giáo dục" if i % 3 == 0 else "Kim Đồng",
                          "không rõ" if i % 7 == 0 else str(2000 + i % 20), "978-604-0-00000-1" if i % 13 == 0 else ""])
    return path


def bad_year_lines():
    return [i + 1 for i in range(1, ROWS + 1) if i % 7 == 0 and i % 80]   # line 1 is the heading row


def test_big_register_report_is_grouped_counted_and_fits_80_columns(example_repo, cli, monkeypatch, tmp_path):
    terminal(monkeypatch, 80)
    path = register(tmp_path / "so-dkcb.csv")
    r = cli("--repo", example_repo, "import", "table", path, "--library", "ND", "--dry-run")
    assert r.exit_code == 1, r.output   # rows without a title are rejected
    lines = r.output.splitlines()
    assert len(lines) < 60, len(lines)
    assert all(cell_len(line) <= 80 for line in lines)   # the hints and group lines wrap too
    text = flat(r.output)
    years = bad_year_lines()
    first = ", ".join(str(n) for n in years[:5])
    assert (f"{len(years)} dòng: giá trị ở cột “Năm XB” không đọc được, đã bỏ qua (dòng {first}, … — xem --verbose)"
            in text)
    isbn = len([i for i in range(1, ROWS + 1) if i % 13 == 0 and i % 80])
    assert f"{isbn} dòng: ISBN sai số kiểm tra, đã bỏ qua (dòng 14, 27, 40, 53, 66, … — xem --verbose)" in text
    # the rows with no title: 25, each a row of the table up to 20, the rest counted
    assert "25 dòng: không có nhan đề — không nhập (dòng 81, 161, 241, 321, 401, … — xem --verbose)" in text
    rejected = [line for line in lines if re.match(r"dòng \d+ +từ chối", line)]
    assert [line.split()[1] for line in rejected] == [str(80 * k + 1) for k in range(1, 21)]
    assert "… và 5 biểu ghi không nhập được nữa (xem --verbose)." in text
    # codes and field names are said as she says them
    for code in ("cột year", "share:", "publisher", "internal", "(share"):   # `--share network` is typed
        assert code not in r.output, code
    assert re.search(r"— nhà xuất bản \(\d+\)", text) and "giữ nội bộ thư viện vì thiếu" in text
    assert "Truyện đọc lớp" not in r.output   # no row for the records imported without trouble


def test_verbose_lists_every_record_with_its_row_number(example_repo, cli, monkeypatch, tmp_path):
    terminal(monkeypatch, 80)
    path = register(tmp_path / "so-dkcb.csv", rows=200)
    v = cli("--repo", example_repo, "import", "table", path, "--library", "ND", "--dry-run", "--verbose")
    assert v.exit_code == 1
    assert all(cell_len(line) <= 80 for line in v.output.splitlines())
    text = flat(v.output)
    for line in (8, 15, 199):   # every record, by its row number, with its notes
        assert re.search(rf"\bdòng {line}\b", v.output), line
    assert "dòng 8: giá trị 'không rõ' ở cột “Năm XB” không đọc được, đã bỏ qua" in text
    assert "nhà xuất bản: “NXB Giáo dục” ghi theo tên chuẩn" in text
    assert "nên giữ ở mức “nội bộ thư viện” thay vì “trong mạng liên thông”" in text
    assert "xem --verbose" not in text and "share:" not in v.output


def test_english_report_names_her_column_and_counts_one_line(example_repo, cli, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Tên sách,Năm XB\nSách A,không rõ\nSách B,2020\n", encoding="utf-8")
    r = cli("--repo", example_repo, "--lang", "en", "import", "table", path, "--library", "ND", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "1 line: a value in column “Năm XB” could not be read and was left out (line 2)" in flat(r.output)


def test_harvest_report_groups_notes_and_lists_only_the_record_not_imported(example_repo, cli, monkeypatch):
    import yaml
    from harvest_support import App, Catalogue, Served, committed, entries

    repo = committed(example_repo)
    terminal(monkeypatch, 80)
    items = entries(6)
    hd = yaml.safe_load(next((repo / "records" / "HD").glob("*.yaml")).read_text(encoding="utf-8"))
    other = hd["items"][0]["barcode"]
    items[2].marc = items[2].marc.replace(b"KOHA-00003", other.encode())
    with Served(App(Catalogue(items), page_size=4)) as served:
        r = cli("--repo", repo, "harvest", served.url, "--library", "XS", "--dry-run")
    assert r.exit_code == 1, r.output
    assert all(cell_len(line) <= 80 for line in r.output.splitlines())
    text = flat(r.output)
    assert re.search(r"1 biểu ghi: số ĐKCB đã thuộc thư viện khác trong mạng — không nhập \(biểu ghi số \d\)", text)
    listed = re.findall(r"^(?:Vị trí\s+)?(biểu ghi \d) \(oai:", r.output, re.M)
    assert listed == ["biểu ghi 3"]   # the one not imported, by its position (never dropped)
    assert r.output.count("tạo mới") == 1   # the five created are counted in the summary, not listed
    assert "(Thêm --verbose để xem từng biểu ghi với đủ ghi chú.)" in text


def test_repaired_fields_are_named_as_in_the_interface(example_repo, cli, tmp_path):
    from libsync.labels import field_name

    damaged = "Tiếng Việt 9".encode().decode("cp1252")   # UTF-8 read as Windows-1252
    path = tmp_path / "moji.csv"
    path.write_text(f"Tên sách,Tác giả\n{damaged},Nguyễn An\n", encoding="utf-8")
    r = cli("--repo", example_repo, "import", "table", path, "--library", "ND", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "1 dòng: lỗi phông (mojibake) ở nhan đề, đã sửa (dòng 2)" in flat(r.output)
    v = cli("--repo", example_repo, "import", "table", path, "--library", "ND", "--dry-run", "--verbose")
    assert "trường nhan đề là UTF-8 bị đọc nhầm" in flat(v.output) and "trường title" not in v.output
    assert field_name("authors.0") == "tác giả" and field_name("/items/0/status") == "Trạng thái"
    assert field_name("curriculum.series") == "Bộ sách" and field_name("no_such_field") == "no_such_field"
