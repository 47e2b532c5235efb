"""Issue #11's "done when", as one librarian's afternoon, with no YAML file opened:

import her register → complete it from her partners' cataloguing → textbooks on the public
catalogue, the rest network-only → mark a lost copy → fix a record in Excel → undo a slip;
`libsync validate` stays clean after every step, and every step is one Git commit.
"""

from __future__ import annotations

import json

import git
import openpyxl
import yaml

from test_rotation_support import committed

REGISTER = (
    "Nhan đề,Tác giả,Nhà xuất bản,Năm,ISBN,Loại,Số ĐKCB\n"
    "Âm nhạc 6,Đỗ Thị Minh Chính,Nhà xuất bản Giáo dục Việt Nam,2021,978-604-0-98544-6,textbook,ND-MOI-00101\n"
    "Dế Mèn phiêu lưu ký,Tô Hoài,Nhà xuất bản Kim Đồng,2020,,story,ND-MOI-00102\n"
)


def clean(cli, root) -> None:
    result = cli("--repo", root, "validate")
    assert result.exit_code == 0, result.output


def records_with(root, prefix: str) -> dict[str, dict]:
    out = {}
    for path in (root / "records" / "ND").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(str(i.get("barcode", "")).startswith(prefix) for i in data.get("items", [])):
            out[data["id"]] = data
    return out


def test_a_librarian_shares_and_edits_without_yaml(example_repo, cli, tmp_path):
    repo = committed(example_repo)
    start = repo.head.commit.hexsha
    register = tmp_path / "so-dang-ky.csv"
    register.write_text(REGISTER, encoding="utf-8")

    # 1. her register: without subjects and call numbers, both records stay internal
    result = cli("--repo", example_repo, "import", "table", register, "--library", "ND", "--commit")
    assert result.exit_code == 0, result.output
    assert "libsync enrich --library ND" in result.output
    mine = records_with(example_repo, "ND-MOI-")
    assert {r["share"] for r in mine.values()} == {"internal"}
    clean(cli, example_repo)

    # 2. her partners' cataloguing completes the textbook, which the policy makes public
    result = cli("--repo", example_repo, "enrich", "--library", "ND", "--share-when-complete", "--commit")
    assert result.exit_code == 0, result.output
    music = next(r for r in records_with(example_repo, "ND-MOI-").values() if r["title"] == "Âm nhạc 6")
    assert music["share"] == "public" and music["call_number"] and music["subjects"]
    assert music["provenance"]["enriched"]
    clean(cli, example_repo)

    # 3. textbooks public, the rest of her library network-only (what lacks a field is listed, not changed)
    assert cli("--repo", example_repo, "share", "--library", "ND", "--type", "textbook", "--share", "public",
               "--yes", "--commit").exit_code in (0, 1)
    others = cli("--repo", example_repo, "share", "--library", "ND", "--type", "story", "--type", "reference",
                 "--share", "network", "--yes", "--commit", "--format", "json")
    assert others.exit_code in (0, 1), others.output
    for item in json.loads(others.stdout)["refused"]:
        assert item["missing"]          # each one says exactly what it lacks
    clean(cli, example_repo)

    # 4. a lost copy, with its minutes
    result = cli("--repo", example_repo, "copy", "set", "ND-MOI-00102", "--status", "lost",
                 "--ref", "Biên bản số 03/BB-TV", "--commit")
    assert result.exit_code == 0, result.output
    clean(cli, example_repo)

    # 5. a record fixed in Excel: the sheet edited as Excel would, imported back
    sheet = tmp_path / "sua.xlsx"
    assert cli("--repo", example_repo, "export", "xlsx", "--library", "ND", "--for-edit", "-o", sheet).exit_code == 0
    book = openpyxl.load_workbook(sheet)
    ws = book.worksheets[0]
    headers = [c.value for c in ws[1]]
    id_col = next(i for i, h in enumerate(headers) if h and "mã" in str(h).lower() and "biểu ghi" in str(h).lower())
    title_col = next(i for i, h in enumerate(headers) if h and str(h).lower().startswith("nhan đề"))
    dm = next(r for r in mine.values() if r["title"].startswith("Dế Mèn"))
    for row in ws.iter_rows(min_row=2):
        if row[id_col].value == dm["id"]:
            row[title_col].value = "Dế Mèn phiêu lưu kí"
    book.save(sheet)
    result = cli("--repo", example_repo, "import", "table", sheet, "--library", "ND", "--on-match", "update",
                 "--commit")
    assert result.exit_code == 0, result.output
    assert "Dế Mèn phiêu lưu kí" in result.output   # the field-by-field diff shows the new title
    assert records_with(example_repo, "ND-MOI-")[dm["id"]]["title"] == "Dế Mèn phiêu lưu kí"
    clean(cli, example_repo)

    # 6. a slip is taken back
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 0
    assert records_with(example_repo, "ND-MOI-")[dm["id"]]["title"] == "Dế Mèn phiêu lưu ký"
    clean(cli, example_repo)

    commits = list(git.Repo(example_repo).iter_commits(f"{start}..HEAD"))
    assert all("Libsync-Command:" in c.message for c in commits) and len(commits) >= 6
    assert not git.Repo(example_repo).is_dirty()
