"""Tables a librarian can read (#15 item 1): at 80 and 60 columns on a terminal and piped, ids,
dates, codes and statuses appear whole, no table line is wider than the terminal, no column is
empty, and a pipe gets every column at full width."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from libsync.cli.tables import Column, fit, stacked_lines, terminal_lines, widths

RULE = re.compile(r"^─+$")


def terminal(monkeypatch, width):
    """Make rich (and so libsync) see a terminal ``width`` columns wide (CliRunner's is no terminal)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def table_lines(output):
    """The lines of the tables in ``output``: rules, and lines with columns (two spaces apart) or
    indented (a value wrapped within its column); prose lines (which the terminal wraps) are not."""
    return [line for line in ANSI.sub("", output).splitlines()
            if RULE.match(line) or "  " in line.strip() or line.startswith(" ")]


def flat(output):
    """The output with its line breaks and runs of spaces as single spaces (prose wraps on a terminal)."""
    return " ".join(ANSI.sub("", output).split())


def assert_fits(output, width):
    for line in output.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"


def words_whole(output, values):
    """Every value appears unbroken on one line (a wrapped or cut id would not)."""
    missing = [v for v in values if not any(v in line for line in output.splitlines())]
    assert not missing, missing


# --- the layout itself -----------------------------------------------------------------------

COLS = [Column("Mã", whole=True), Column("Trạng thái", whole=True), Column("Nhan đề", drop=2),
        Column("Ghi chú", drop=1), Column("Trống", drop=3)]
ROWS = [["xs-hd-2024-10-truyen-thieu-nhi", "đã nhận", "Đất rừng phương Nam (tái bản lần thứ hai)", "quá hạn 709 ngày", ""],
        ["hd-xs-2024-10-tranh-giao-duc", "đề xuất", "Toán 6", "", ""]]


def test_an_empty_column_is_left_out_and_the_dispensable_ones_go_first_when_narrow():
    assert fit(COLS, ROWS, None) == [0, 1, 2, 3]          # piped: only the empty column goes
    assert fit(COLS, ROWS, 200) == [0, 1, 2, 3]
    assert fit(COLS, ROWS, 60) == [0, 1, 3]                # the highest drop number goes first: the title
    assert fit(COLS, ROWS, 45) == [0, 1]
    assert fit(COLS, ROWS, 20) == [0, 1]                   # the essential ones are never dropped


def test_a_dropped_column_comes_back_when_dropping_a_wider_one_left_room_for_it():
    cols = [Column("Ngày", whole=True), Column("Bộ", whole=True, drop=2), Column("Số ngày", whole=True, drop=3),
            Column("Mã phiếu", whole=True, drop=1)]
    rows = [["2025-01-20", "xs-truyen-thieu-nhi", "130", "xs-nd-2024-2025-hk2-xs-truyen-thieu-nhi"]]
    # 10 + 19 + 4 + 39 and the gaps: the days go, then the batch: the id fits, and the days again
    assert fit(cols, rows, 60) == [0, 2, 3]
    # the id goes too: the batch and the days it had dropped fit beside the date
    assert fit(cols, rows, 40) == [0, 1, 2]
    assert fit(cols, rows, 30) == [0, 2]                   # the batch does not fit, the days do


def test_whole_values_never_wrap_and_text_wraps_within_its_column():
    cols = [COLS[0], COLS[1], COLS[2]]
    rows = [r[:3] for r in ROWS]
    sizes = widths(cols, rows, 60)
    lines = terminal_lines(cols, rows, sizes)
    assert all(cell_len(line) <= 60 for line in lines)
    words_whole("\n".join(lines), ["xs-hd-2024-10-truyen-thieu-nhi", "đã nhận", "đề xuất", "Trạng thái"])
    assert sum("Đất rừng" in line for line in lines) == 1 and len(lines) > 4   # the title wrapped …
    assert set("Đất rừng phương Nam (tái bản lần thứ hai)".split()) <= set(" ".join(lines).split())   # … whole


def test_too_narrow_for_the_essential_columns_prints_one_value_per_line():
    lines = stacked_lines(COLS[:2], [r[:2] for r in ROWS], 44)
    assert lines[:2] == ["Mã          xs-hd-2024-10-truyen-thieu-nhi", "Trạng thái  đã nhận"]
    assert "" in lines


# --- every table command ---------------------------------------------------------------------

EXCHANGES = ["xs-hd-2024-10-truyen-thieu-nhi", "xs-nd-2024-10-tk-ngu-van-6-7", "hd-xs-2024-10-tranh-giao-duc",
             "nd-xs-2024-10-bao-tap-chi"]


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_exchange_list_on_a_terminal(example_repo, cli, monkeypatch, width, lang):
    terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "--lang", lang, "exchange", "list")
    assert r.exit_code == 0, r.output
    assert_fits(r.output, width)
    words_whole(r.output, EXCHANGES)
    statuses = ["đã nhận", "đã giao", "đã duyệt", "đề xuất"] if lang == "vi" else ["received", "dispatched",
                                                                                  "approved", "proposed"]
    for exchange, status in zip(EXCHANGES, statuses):
        assert any(exchange in line and status in line for line in r.output.splitlines()), (exchange, status)
    heads = ("Bên giao", "Bên nhận") if lang == "vi" else ("From", "To")
    head = " ".join(r.output.splitlines()[:2])
    assert all(h.split()[0] in head for h in heads)      # From/To never shrink to nothing
    if width == 80:
        assert "2024-12-20" in r.output                 # the return date still fits at 80


def test_exchange_list_piped_has_every_column_in_full(example_repo, cli):
    r = cli("--repo", example_repo, "exchange", "list")
    assert r.exit_code == 0
    first = r.output.splitlines()[2]
    for value in ("xs-hd-2024-10-truyen-thieu-nhi", "2024-2025/HK1", "XS", "HD", "đã nhận", "16", "2024-10-07",
                  "2024-12-20", "quá hạn"):
        assert value in first
    assert "…" not in r.output and "Cửa sổ hẹp" not in r.output


@pytest.mark.parametrize("width", [80, 60])
def test_exchange_show_heads_the_record_column_as_a_record(example_repo, cli, monkeypatch, width):
    terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "exchange", "show", "xs-hd-2024-10-truyen-thieu-nhi")
    assert r.exit_code == 0
    copies = table_lines(r.output)
    heading = next(line for line in copies if "Số ĐKCB" in line)
    assert "Mã biểu ghi" in heading and "Mã phiếu" not in heading   # 9a: not the slip's id
    assert all(cell_len(line) <= width for line in copies)
    words_whole(r.output, ["XS-TN-00002", "xs-truyen-kinh-van-hoa-1", "XS-TN-00042", "2024-10-08", "đã nhận"])


@pytest.mark.parametrize("width", [80, 60, None])
def test_schedule_dates_whole_and_left_out_copies_counted(example_repo, cli, monkeypatch, width):
    if width:
        terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "schedule", "2025-2026/HK1")
    assert r.exit_code == 0, r.output
    words_whole(r.output, ["2025-09-05", "2026-01-16", "2025-09-09"])
    if width:
        assert all(cell_len(line) <= width for line in table_lines(r.output))
    else:
        assert "xs-hd-2025-2026-hk1-xs-truyen-thieu-nhi" in r.output and "xs-truyen-thieu-nhi " in r.output
    if width == 80:   # the batch tells apart two stages between the same libraries on the same day
        assert "xs-truyen-thieu-nhi " in r.output and "Bộ luân chuyển" in r.output
    # the copies a batch leaves out: counted by reason, each one only with --verbose
    assert "Bộ xs-truyen-thieu-nhi: 27 bản không luân chuyển được — 16 đang ở thư viện bạn, 7 đang cho mượn" in flat(r.output)
    assert "XS-TN-00036" not in r.output and "--verbose" in r.output
    assert max(len(line) for line in r.output.splitlines()) < 200
    v = cli("--repo", example_repo, "schedule", "2025-2026/HK1", "--verbose")
    assert "XS-TN-00036: trạng thái đang cho mượn (Phiếu mượn số 0170/2024-2025)" in flat(v.output)
    assert "on-loan" not in v.output


@pytest.mark.parametrize("width", [80, 60, None])
def test_inventory_list_keeps_the_id_to_type_next(example_repo, cli, monkeypatch, width):
    if width:
        terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "inventory", "list")
    assert r.exit_code == 0
    words_whole(r.output, ["2024-10-01-truoc-luan-chuyen-hk1", "2024-11-15-sau-luan-chuyen-hk1", "2024-10-01"])
    if width:
        assert_fits(r.output, width)
    else:
        assert "inventories/XS/2024-10-01-truoc-luan-chuyen-hk1.yaml" in r.output


@pytest.mark.parametrize("width", [80, 60])
def test_inventory_diff_on_a_terminal(example_repo, cli, monkeypatch, width):
    terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "inventory", "diff", "2024-10-01-truoc-luan-chuyen-hk1",
            "2024-11-15-sau-luan-chuyen-hk1")
    assert r.exit_code in (0, 1), r.output
    assert_fits(r.output, width)
    words_whole(r.output, ["XS-GK-00124", "Mất (không rõ lý do)", "XS-TK-00012", "Vắng có lý do"])


@pytest.mark.parametrize("width", [80, 60])
def test_import_report_on_a_terminal_and_quiet(example_repo, cli, monkeypatch, width):
    terminal(monkeypatch, width)
    args = ("--repo", example_repo, "import", "marc", "tests/data/interchange/thu-vien.mrc", "--library", "HD",
            "--dry-run")
    r = cli(*args, "--verbose")   # one row per record (without it, the notes by kind)
    assert r.exit_code == 0, r.output
    assert all(cell_len(line) <= width for line in table_lines(r.output))
    words_whole(r.output, ["toan-6-tap-1-2021", "dat-rung-phuong-nam-2019", "tieng-viet-o-truong-hoc-2018", "tạo mới",
                           "biểu ghi số 1"])   # the position is never the column dropped
    q = cli(*args, "--quiet")
    assert q.exit_code == 0
    assert "toan-6-tap-1-2021" not in q.output and "3 biểu ghi — tạo mới 3" in flat(q.output)
    assert_fits(q.output, width)   # the summary's sentences wrap between words, not at the window's edge
    assert len(q.output.splitlines()) < len(r.output.splitlines())


def test_import_json_is_unchanged_by_quiet(example_repo, cli):
    args = ("--repo", example_repo, "import", "marc", "tests/data/interchange/thu-vien.mrc", "--library", "HD",
            "--dry-run", "--format", "json")
    assert json.loads(cli(*args).output) == json.loads(cli(*args, "--quiet").output)


@pytest.mark.parametrize("width", [80, 60, None])
def test_merge_fits_and_keeps_cluster_ids_and_holdings_whole(example_repo, cli, monkeypatch, width):
    if width:
        terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "merge")
    assert r.exit_code == 0, r.output
    if width:   # the summary line (140 characters) too
        assert_fits(r.output, width)
    assert "200 biểu ghi → 156 tên sách" in flat(r.output)
    atlas = next(line for line in r.output.splitlines() if line.startswith("c-3250e51dc605"))
    assert "HD 2/4," in atlas   # a library and its figures stay together
    if width:
        assert all(cell_len(line) <= width for line in table_lines(r.output))
    else:
        assert "Atlat Địa lí Việt Nam" in atlas and "HD 2/4, ND 3/4, XS 4/5" in atlas


@pytest.mark.parametrize("width", [80, 60])
def test_batch_list_and_record_show_fit(example_repo, cli, monkeypatch, width):
    terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "batch", "list")
    assert r.exit_code == 0
    assert_fits(r.output, width)
    words_whole(r.output, ["xs-truyen-thieu-nhi", "nd-truyen-nuoc-ngoai", "dong-trieu-thcs"])
    s = cli("--repo", example_repo, "record", "show", "XS/xs-truyen-de-men")
    assert s.exit_code == 0
    assert all(cell_len(line) <= width for line in table_lines(s.output))
    words_whole(s.output, ["XS-TN-00001", "XS-TN-00002", "đang ở thư viện bạn", "2024-10-08", "978-604-2-21015-7"])


@pytest.mark.parametrize("width", [80, 60])
def test_copy_set_report_fits(example_repo, cli, monkeypatch, width):
    terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "copy", "set", "XS-TN-00001", "--status", "damaged", "--ref", "Biên bản số 12",
            "--date", "02/12/2024", "--dry-run")
    assert r.exit_code == 0, r.output
    assert all(cell_len(line) <= width for line in table_lines(r.output))
    words_whole(r.output, ["XS-TN-00001", "có sẵn", "hư hỏng"])


def test_propose_counts_the_copies_it_leaves_out_and_lists_them_with_verbose(example_repo, cli):
    args = ("--repo", example_repo, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--batch", "xs-tk-ngu-van-6-7", "--handover", "2024-12-02", "--return-due", "2025-01-17", "--no-branch",
            "--by", "Hà")
    r = cli(*args)
    assert r.exit_code == 0, r.output
    assert "Không đưa vào phiếu 13 bản — 10 đang vận chuyển, 2 đang cho mượn, 1 hư hỏng." in r.output
    assert "XS-TK-00009" not in r.output and max(len(line) for line in r.output.splitlines()) < 200
    (example_repo / "exchanges" / "2024-2025" / "HK1" / "xs-hd-2024-2025-hk1-xs-tk-ngu-van-6-7.yaml").unlink()
    v = cli(*args, "--verbose")
    assert "  XS-TK-00009: trạng thái đang cho mượn (Phiếu mượn số 0269/2024-2025)" in v.output


@pytest.mark.parametrize("width", [80, 60, None])
def test_accession_and_enrich_reports_fit(example_repo, cli, monkeypatch, width):
    from tests.conftest import PROJECT

    if width:
        terminal(monkeypatch, width)
    r = cli("--repo", example_repo, "accession", "--library", "HD", "--source", "mua", "--doc", "HĐ 0012345",
            "--date", "05/09/2024", "--file", PROJECT / "tests" / "data" / "interchange" / "so-dang-ky.xlsx",
            "--barcodes", "HD-MOI-00001", "--dry-run")
    assert r.exit_code == 0, r.output
    words_whole(r.output, ["ND-X0001", "SĐKTQ-2024/12", "de-men-phieu-luu-ky-2020"])
    e = cli("--repo", example_repo, "enrich", "--library", "ND")
    assert e.exit_code == 0, e.output
    words_whole(e.output, ["ND/nd-tk-tu-dien-tv", "978-604-84-7987-9", "ND/nd-truyen-chiec-luoc-nga"])
    if width:
        assert all(cell_len(line) <= width for line in table_lines(r.output) + table_lines(e.output))
    else:
        assert "…" not in r.output


def test_import_notes_the_summary_counts_are_shown_per_record_with_verbose(example_repo, cli):
    from tests.conftest import PROJECT

    args = ("--repo", example_repo, "import", "table", PROJECT / "tests" / "data" / "so-dkcb-excel-97-2003.xls",
            "--library", "ND", "--dry-run")
    r = cli(*args)
    assert r.exit_code == 0, r.output
    assert "Chia sẻ: 2 biểu ghi mới được giữ nội bộ thư viện vì thiếu" in flat(r.output)
    assert "share:" not in r.output and "nội bộ thư viện” thay vì" not in r.output
    assert "toan-6-tap-mot-2021" not in r.output and "--verbose" in r.output
    v = cli(*args, "--verbose")
    assert "toan-6-tap-mot-2021" in v.output and "share:" not in v.output
    assert "nên giữ ở mức “nội bộ thư viện” thay vì “công khai”" in flat(v.output)
