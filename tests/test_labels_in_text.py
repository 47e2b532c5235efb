"""Codes said as labels in text a person reads (#15 item 2, acceptance): sharing and access
levels in `share --dry-run` and in validate's Art. 28 error; JSON keeps the codes."""

from __future__ import annotations

import json


def test_share_dry_run_says_levels_as_labels_and_json_keeps_codes(example_repo, cli):
    args = ("--repo", example_repo, "share", "--library", "HD", "--share", "public", "--access", "read", "--dry-run")
    r = cli(*args)
    assert r.exit_code == 1, r.output   # one record lacks a publisher: refused, said
    assert ("HD/hd-am-nhac-6-cd  Âm nhạc 6  (Phạm vi chia sẻ: trong mạng liên thông → công khai; "
            "Mức truy cập: ") in r.output
    assert "share:" not in r.output and "network →" not in r.output and "access:" not in r.output
    en = cli("--lang", "en", *args)
    assert "(Share: within the network → public; Access:" in en.output
    data = json.loads(cli(*args, "--format", "json").output)
    change = next(c for c in data["changes"] if c["id"] == "hd-am-nhac-6-cd")
    assert change["before"]["share"] == "network" and change["after"]["share"] == "public"


def test_art28_error_names_the_sharing_level_by_its_label(example_repo, cli):
    path = example_repo / "records" / "HD" / "hd-am-nhac-6-cd.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("call_number: 780.712 / A296\n", ""), encoding="utf-8")
    r = cli("--repo", example_repo, "validate", path)
    assert r.exit_code == 1, r.output
    assert "(phạm vi “trong mạng liên thông”) phải có ký hiệu xếp giá" in " ".join(r.output.split())
    assert "share: network" not in r.output
    en = cli("--repo", example_repo, "--lang", "en", "validate", path)
    assert "shared beyond its library (“within the network”) must have call number" in " ".join(en.output.split())


def test_public_table_names_languages_and_reads_them_back_as_codes(example_repo, cli, tmp_path):
    """The public CSV and XLSX show "Tiếng Việt", "Tiếng Anh" (English with --lang en), not vie/eng;
    an unknown code is shown as it is; importing the file gives the codes again."""
    import csv
    import io

    import openpyxl

    from libsync.i18n import set_language
    from libsync.interchange.tables import language_code
    from libsync.labels import language

    out = tmp_path / "mucluc.csv"
    assert cli("--repo", example_repo, "export", "csv", "--audience", "public", "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    column = rows[0].index("Ngôn ngữ")
    shown = {row[column] for row in rows[1:]}
    assert {"Tiếng Việt", "Tiếng Anh"} <= shown and not shown & {"vie", "eng"}
    assert language("vie") == "Tiếng Việt" and language("gla") == "gla" and language(None) == ""
    xlsx = tmp_path / "mucluc.xlsx"
    assert cli("--repo", example_repo, "--lang", "en", "export", "xlsx", "--audience", "public", "-o", xlsx).exit_code == 0
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    values = {row[header.index("Language")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"Vietnamese", "English"} <= values and "vie" not in values
    for word, code in (("Tiếng Việt", "vie"), ("English", "eng"), ("tiếng pháp", "fre"), ("Tiếng Tây Ban Nha", "spa"),
                       ("gla", "gla"), ("vie", "vie"), ("Tiếng Đức", "ger")):
        assert language_code(word) == code, word
    assert language_code("không rõ") is None
    # the exported file imports as the codes again
    set_language("vi")
    csv_in = tmp_path / "nhap.csv"
    csv_in.write_text("Tên sách,Ngôn ngữ\nSách một,Tiếng Anh\nSách hai,Tiếng Việt\n", encoding="utf-8")
    r = cli("--repo", example_repo, "import", "table", csv_in, "--library", "ND", "--format", "json")
    assert r.exit_code == 0, r.output
    written = sorted((example_repo / "records" / "ND").glob("sach-*.yaml"))
    langs = sorted(line for p in written for line in p.read_text(encoding="utf-8").splitlines()
                   if line.startswith("language:"))
    assert langs == ["language: eng", "language: vie"]


def test_the_edit_sheet_reads_a_language_by_name_too():
    from libsync.interchange import editsheet

    column = next(c for c in editsheet.COLUMNS if c.name == "language")
    assert editsheet.parse(column, "Tiếng Tây Ban Nha") == ("spa", None)
    assert editsheet.parse(column, "Japanese") == ("jpn", None)
    assert editsheet.parse(column, "vie") == ("vie", None)
    value, problem = editsheet.parse(column, "không rõ")
    assert value is None and problem is not None
