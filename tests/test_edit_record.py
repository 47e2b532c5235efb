"""`libsync record show|set|add` on a real Git repository of the example network: values typed by
the schema, NFD input stored NFC, refusals that leave every byte as it was, `--commit` making
one commit, and `validate` clean after every step."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest

from libsync.model.enums import RECORD_TYPES
import yaml

RECORD = "records/XS/xs-am-nhac-6-kntt.yaml"
REF = "XS/xs-am-nhac-6-kntt"
TODAY = dt.date.today().isoformat()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thư viện", "GIT_AUTHOR_EMAIL": "tv@example.org",
           "GIT_COMMITTER_NAME": "Thư viện", "GIT_COMMITTER_EMAIL": "tv@example.org"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def make_git(root: Path) -> Path:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mạng mẫu")
    return root


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the repository outside .git, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def load(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def assert_valid(cli, root: Path) -> None:
    result = cli("--repo", root, "validate")
    assert result.exit_code == 0, result.output


@pytest.fixture
def repo(example_repo) -> Path:
    return make_git(example_repo)


# --- show ---------------------------------------------------------------------------------------

def test_show_renders_the_record_and_its_copies_in_three_formats(cli, repo):
    text = cli("--repo", repo, "record", "show", REF)
    assert text.exit_code == 0, text.output
    assert "XS/xs-am-nhac-6-kntt — Âm nhạc 6" in text.output
    assert "curriculum.grade" in text.output and "XS-GK-00123" in text.output and "có sẵn" in text.output
    shown = json.loads(cli("--repo", repo, "record", "show", REF, "--format", "json").stdout)
    assert shown["record"]["title"] == "Âm nhạc 6" and shown["file"] == RECORD
    assert [c["barcode"] for c in shown["copies"]] == ["XS-GK-00123", "XS-GK-00124"]
    assert all(c["exchanges"] == [] for c in shown["copies"])
    as_yaml = cli("--repo", repo, "record", "show", REF, "--format", "yaml")
    assert as_yaml.stdout.encode("utf-8") == (repo / RECORD).read_bytes()


def test_show_names_the_open_exchange_of_a_copy_away(cli, repo):
    shown = json.loads(cli("--repo", repo, "record", "show", "XS/xs-bt-ngu-van-6-kntt-t1", "-f", "json").stdout)
    away = next(c for c in shown["copies"] if c["barcode"] == "XS-TK-00007")
    assert away["status"] == "in-transit" and away["exchanges"] == ["xs-nd-2024-10-tk-ngu-van-6-7"]


def test_show_unknown_record_suggests_the_nearest_ids(cli, repo):
    result = cli("--repo", repo, "record", "show", "XS/xs-am-nhac-6")
    assert result.exit_code == 2
    assert "xs-am-nhac-6-kntt" in result.stderr


# --- set ----------------------------------------------------------------------------------------

def test_set_types_values_by_the_schema_stores_nfc_and_commits_once(cli, repo):
    before = commits(repo)
    result = cli("--repo", repo, "record", "set", REF, nfd("subjects+=Âm nhạc lớp 6"), "curriculum.grade=7",
                 "pages=70", nfd("authors=Đỗ Thị Minh Chính; Nguyễn Thị Phương Mai"), nfd("authors=Hoàng Long"),
                 "classification.ddc=781", nfd("summary=Sách giáo khoa Âm nhạc lớp 6"), "--commit")
    assert result.exit_code == 0, result.output
    data = load(repo, RECORD)
    assert data["subjects"] == ["Âm nhạc", "Sách giáo khoa", "Lớp 6", "Âm nhạc lớp 6"]
    assert data["curriculum"]["grade"] == 7 and isinstance(data["curriculum"]["grade"], int)
    assert data["pages"] == 70
    assert data["authors"] == ["Đỗ Thị Minh Chính", "Nguyễn Thị Phương Mai", "Hoàng Long"]
    assert data["classification"] == {"ddc": "781"}
    assert data["updated"] == TODAY
    raw = (repo / RECORD).read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw) and "Hoàng Long" in raw
    assert commits(repo) == before + 1
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("record set XS/xs-am-nhac-6-kntt: subjects, curriculum.grade, pages, authors")
    assert "curriculum.grade: 6 → 7" in message and "Libsync-Command: record set" in message
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [RECORD]
    assert git(repo, "status", "--porcelain") == ""
    assert_valid(cli, repo)


def test_set_empties_an_optional_field_and_reports_old_and_new(cli, repo):
    result = cli("--repo", repo, "record", "set", REF, "dimensions=", "keywords=", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["written"] and not out["dry_run"]
    assert {c["field"]: c["new"] for c in out["changes"]} == {"dimensions": None, "keywords": None}
    assert next(c for c in out["changes"] if c["field"] == "dimensions")["old"] == "27 cm"
    data = load(repo, RECORD)
    assert "dimensions" not in data and "keywords" not in data
    assert_valid(cli, repo)


def test_set_nothing_changing_writes_nothing(cli, repo):
    files = snapshot(repo)
    result = cli("--repo", repo, "record", "set", REF, "year=2021", "--commit")
    assert result.exit_code == 0 and "Không có gì thay đổi" in result.output
    assert snapshot(repo) == files and commits(repo) == 1


def test_set_dry_run_checks_but_writes_nothing(cli, repo):
    files = snapshot(repo)
    result = cli("--repo", repo, "record", "set", REF, "year=2022", "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["dry_run"] and not out["written"] and out["changes"] == [{"field": "year", "old": 2021, "new": 2022}]
    assert snapshot(repo) == files
    refused = cli("--repo", repo, "record", "set", REF, "isbn=978-604-0-98544-7", "--dry-run")
    assert refused.exit_code != 0 and "ISBN" in refused.stderr


@pytest.mark.parametrize(("args", "code", "words"), [
    (["titel=Âm nhạc"], 2, ["titel", "title", "call_number"]),                 # unknown field: the known ones
    (["curriculum.lop=7"], 2, ["curriculum.grade"]),
    (["year=hai nghìn"], 2, ["không phải một số"]),
    (["year=3000"], 2, ["1800–2100"]),
    (["curriculum.grade=13"], 2, ["1–12"]),
    (["type=sach"], 2, ["textbook"]),
    (["share=everyone"], 2, ["internal, network, public"]),
    (["title="], 2, ["bắt buộc"]),
    (["id=khac"], 2, ["tên tệp"]),
    (["items=XS-1"], 2, ["libsync copy set"]),
    (["curriculum=7"], 2, ["curriculum.grade"]),
    (["year+=2022"], 2, ["+="]),
    (["isbn=978-604-0-98544-7"], 1, ["ISBN"]),                                   # validate refuses the checksum
    (["share=public", "publisher="], 1, ["nhà xuất bản", "Điều 28"]),             # not shareable without it
    (["language=Tiếng Việt"], 1, ["language"]),                                  # the schema's pattern, as validate
    (["no-equals-sign"], 2, ["TRƯỜNG=GIÁ_TRỊ"]),
])
def test_set_refusals_leave_the_repository_byte_for_byte_unchanged(cli, repo, args, code, words):
    files, sha = snapshot(repo), head(repo)
    result = cli("--repo", repo, "record", "set", REF, *args, "--commit")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr
    assert snapshot(repo) == files and head(repo) == sha


def test_set_unknown_record_or_library_is_refused(cli, repo):
    files = snapshot(repo)
    assert cli("--repo", repo, "record", "set", "XS/khong-co", "year=2020").exit_code == 2
    result = cli("--repo", repo, "record", "set", "ZZ/xs-am-nhac-6-kntt", "year=2020")
    assert result.exit_code == 2 and "ZZ" in result.stderr
    assert cli("--repo", repo, "record", "set", "../etc/passwd", "year=2020").exit_code == 2
    assert snapshot(repo) == files


def test_set_refuses_a_record_file_that_validate_refuses(cli, repo):
    (repo / RECORD).write_text((repo / RECORD).read_text(encoding="utf-8").replace("year: 2021", "year: [2021"),
                               encoding="utf-8")
    files = snapshot(repo)
    result = cli("--repo", repo, "record", "set", REF, "pages=70")
    assert result.exit_code in (1, 2) and RECORD in result.stderr
    assert snapshot(repo) == files


# --- add ----------------------------------------------------------------------------------------

def _set_policy(root: Path, policy: dict) -> None:
    data = load(root, "network.yaml")
    data["sharing"] = policy
    from libsync.repository import Repository

    Repository(root).save("network.yaml", data)
    git(root, "commit", "-qam", "chính sách chia sẻ")


def test_add_from_options_makes_the_importers_id_applies_the_policy_and_commits_once(cli, repo):
    _set_policy(repo, {"share": "network", "access": "catalog", "types": {"reference": {"share": "public", "access": "read"}}})
    before = commits(repo)
    result = cli("--repo", repo, "record", "add", "--library", "XS", "--title", nfd("Bài tập Toán 7 – Tập 1"),
                 "--author", nfd("Hà Huy Khoái"), "--author", nfd("Cung Thế Anh"), "--publisher", nfd("NXB Giáo dục Việt Nam"),
                 "--year", "2022", "--type", "reference", "--isbn", "978-604-0-31780-3", "--call-number", "510.76 / B103",
                 "--subject", nfd("Toán học"), "--subject", "Lớp 7", "--barcode", "XS-TK-09001", "--barcode", "XS-TK-09002",
                 "--location", nfd("Kho tham khảo"), "--set", "curriculum.grade=7", "--set", nfd("curriculum.subject=Toán"),
                 "--commit")
    assert result.exit_code == 0, result.output
    from libsync.interchange.importer import new_id

    rid = new_id({"title": "Bài tập Toán 7 – Tập 1", "year": 2022}, set())
    rel = f"records/XS/{rid}.yaml"
    data = load(repo, rel)
    assert data["title"] == "Bài tập Toán 7 – Tập 1" and data["authors"] == ["Hà Huy Khoái", "Cung Thế Anh"]
    assert (data["share"], data["access"]) == ("public", "read")          # the policy for reference
    assert data["curriculum"] == {"grade": 7, "subject": "Toán"} and data["year"] == 2022
    assert data["created"] == TODAY and data["provenance"] == {"source": "manual"}
    assert data["items"] == [{"barcode": "XS-TK-09001", "status": "available", "location": "Kho tham khảo"},
                             {"barcode": "XS-TK-09002", "status": "available", "location": "Kho tham khảo"}]
    raw = (repo / rel).read_text(encoding="utf-8")
    assert raw == unicodedata.normalize("NFC", raw)
    assert commits(repo) == before + 1
    assert git(repo, "log", "-1", "--format=%s").strip() == f"record add XS/{rid}: Bài tập Toán 7 – Tập 1 (2 bản)"
    assert git(repo, "status", "--porcelain") == ""
    assert_valid(cli, repo)


def test_add_keeps_a_record_internal_when_it_lacks_what_sharing_needs(cli, repo):
    result = cli("--repo", repo, "record", "add", "--library", "HD", "--title", "Truyện cổ tích Việt Nam",
                 "--type", "story", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["record"]["share"] == "internal"
    assert any("tác giả" in w and "ký hiệu xếp giá" in w for w in out["warnings"])
    assert (repo / out["file"]).is_file()
    assert_valid(cli, repo)


def test_add_with_an_id_taken_or_a_barcode_of_another_library_is_refused(cli, repo):
    files, sha = snapshot(repo), head(repo)
    taken = cli("--repo", repo, "record", "add", "--library", "XS", "--title", "Âm nhạc 6", "--type", "textbook",
                "--id", "XS-AM-NHAC-6-KNTT", "--commit")
    assert taken.exit_code == 1 and "xs-am-nhac-6-kntt".upper() in taken.stderr.upper()
    # HD's copy, typed in another case: validate compares barcodes case-insensitively, so does add
    moved = cli("--repo", repo, "record", "add", "--library", "XS", "--title", "Mĩ thuật 6", "--type", "textbook",
                "--barcode", "XS-GK-99999", "--barcode", "hd-gk-00077", "--commit")
    assert moved.exit_code == 1 and "HD/hd-mi-thuat-6-cd" in moved.stderr
    twice = cli("--repo", repo, "record", "add", "--library", "XS", "--title", "Mĩ thuật 6", "--type", "textbook",
                "--barcode", "XS-GK-99999", "--barcode", "xs-gk-99999")
    assert twice.exit_code == 2
    shared = cli("--repo", repo, "record", "add", "--library", "XS", "--title", "Mĩ thuật 6", "--type", "textbook",
                 "--share", "public")
    assert shared.exit_code == 1 and "Điều 28" in shared.stderr
    assert snapshot(repo) == files and head(repo) == sha


def test_add_without_title_or_type_and_no_terminal_says_what_is_missing(cli, repo):
    files = snapshot(repo)
    result = cli("--repo", repo, "record", "add", "--library", "XS", "--year", "2020")
    assert result.exit_code == 2
    assert "nhan đề" in result.stderr and "loại tài liệu" in result.stderr
    assert snapshot(repo) == files


def test_add_asks_in_vietnamese_and_asks_again_after_a_wrong_answer(cli, repo):
    answers = "\n".join([
        nfd("Những tấm lòng cao cả"),        # title
        nfd("Edmondo De Amicis"),             # authors
        nfd("NXB Kim Đồng"),                  # publisher
        "năm ngoái", "2019",                  # year: asked again
        "99", str(RECORD_TYPES.index("story") + 1),   # type: 99 is no choice, then story's number
        "",                                   # isbn
        "853 / NH556",                        # call number
        nfd("Văn học thiếu nhi; Truyện dịch"),  # subjects
        "XS-TN-09001; XS-TN-09002",           # barcodes
    ]) + "\n"
    result = cli("--repo", repo, "record", "add", "--library", "XS", "--interactive", "--format", "json", input=answers)
    assert result.exit_code == 0, result.output
    assert "Nhan đề" in result.output and "Loại tài liệu" in result.output and "Truyện" in result.output
    assert "không phải một số" in result.stderr
    out = json.loads(result.stdout[result.stdout.index("{"):])
    data = load(repo, out["file"])
    assert data["title"] == "Những tấm lòng cao cả" and data["type"] == "story" and data["year"] == 2019
    assert data["subjects"] == ["Văn học thiếu nhi", "Truyện dịch"]
    assert [i["barcode"] for i in data["items"]] == ["XS-TN-09001", "XS-TN-09002"]
    assert data["share"] == "network"          # complete: shared as the default says
    assert_valid(cli, repo)


def test_english_messages(cli, repo):
    result = cli("--repo", repo, "--lang", "en", "record", "set", REF, "titel=x")
    assert result.exit_code == 2 and 'There is no field "titel"' in result.stderr
