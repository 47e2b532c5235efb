"""MARC import: Vietnamese UTF-8 with and without leader/09, MARC-8, MARCXML, broken records."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from libsync import yamlio
from libsync.interchange import marc
from libsync.repository import Repository
from test_interchange_fixtures import SAMPLES, git_repo_with_remote, vn_marc_bytes

NFD_TITLE = "Đất rừng phương Nam"


def build_iso2709(fields: list[tuple[str, bytes]], leader9: bytes = b" ") -> bytes:
    """A hand-made ISO 2709 record (for MARC-8 bytes and deliberate damage)."""
    directory, body = b"", b""
    for tag, data in fields:
        data = data + b"\x1e"
        directory += tag.encode() + b"%04d%05d" % (len(data), len(body))
        body += data
    base = 24 + len(directory) + 1
    length = base + len(body) + 1
    leader = b"%05dnam " % length + leader9 + b"22%05d i 4500" % base
    return leader + directory + b"\x1e" + body + b"\x1d"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and not {".git", ".libsync"} & set(p.relative_to(root).parts)}


def load_record(repo: Path, lib: str, title: str, control: str | None = None) -> dict:
    for path in sorted((repo / "records" / lib).glob("*.yaml")):
        data = yamlio.load_file(path).data
        if data["title"] == title and (control is None or data.get("provenance", {}).get("control_number") == control):
            return data
    raise AssertionError(f"no record titled {title!r}")


@pytest.mark.parametrize("flagged", [True, False])
def test_vietnamese_utf8_marc_imports_with_right_text(example_repo, cli, tmp_path, flagged):
    source = tmp_path / "vn.mrc"
    source.write_bytes(vn_marc_bytes(flagged))
    result = cli("--repo", example_repo, "import", "marc", source, "--library", "ND", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["total"] == 3 and sum(report["counts"].values()) == 3
    assert report["encodings"] == {("utf-8" if flagged else "utf-8-unflagged"): 3}
    rec = load_record(example_repo, "ND", "Đất rừng phương Nam")
    assert rec["authors"] == ["Đoàn Giỏi"]
    assert rec["publisher"] == "Kim Đồng" and rec["place"] == "TP. Hồ Chí Minh" and rec["year"] == 2019
    assert rec["type"] == "story"
    assert rec["items"] == [{"barcode": "XS-0101", "status": "available", "location": "Kho mở",
                             "acquired": "2020-01-05", "price": 68000}]
    toan = load_record(example_repo, "ND", "Toán 6", "VN0001")
    assert toan["subtitle"] == "sách giáo khoa" and toan["volume"] == "Tập 1"
    assert toan["isbn"] == "978-604-0-25102-2"
    # the source names one contributor: its version of him is taken, the record's others stay (issue #14 item 2)
    assert {"name": "Nguyễn Huy Đoan", "role": "chủ biên"} in toan["contributors"]
    assert any(c["name"] == "Hà Huy Khoái" for c in toan["contributors"])
    assert [c["name"] for c in toan["contributors"]].count("Nguyễn Huy Đoan") == 1
    updated = next(r for r in report["records"] if r["action"] == "updated")
    assert any(w.startswith("giữ lại") for w in updated["warnings"])
    assert toan["subjects"][-1] == "Toán học -- Sách giáo khoa" and "Toán học" in toan["subjects"]
    # ND already had Toán 6 tập 1 (matched by title, author, year, volume): the copies were added to it
    prices = {i["barcode"]: i.get("price") for i in toan["items"]}
    assert prices["XS-0001"] == prices["XS-0002"] == 25000
    assert report["counts"] == {"created": 2, "updated": 1, "unchanged": 0, "merged": 0, "skipped": 0, "rejected": 0}
    assert toan["provenance"]["control_number"] == "VN0001"


def test_marc8_and_unflagged_utf8_samples_give_the_same_text():
    a = marc.read_marc((SAMPLES / "marc8.dat").read_bytes(), "marc8.dat")
    b = marc.read_marc((SAMPLES / "utf8_without_leader_flag.dat").read_bytes(), "u.dat")
    c = marc.read_marc((SAMPLES / "utf8_with_leader_flag.dat").read_bytes(), "f.dat")
    assert a.encodings == {"marc-8": 1} and b.encodings == {"utf-8-unflagged": 1} and c.encodings == {"utf-8": 1}
    ra, rb, rc = (r.items[0].record for r in (a, b, c))
    assert ra["title"] == rb["title"] == rc["title"] == "Escape from loneliness"
    assert ra == rb == rc
    assert ra["notes"] == "Translation of De la solitude à la communauté."


def test_marc8_vietnamese_with_escapes_comes_out_nfc():
    # ANSEL combining marks come before the letter: ế = circumflex, acute, e; ệ = dot below, circumflex, e
    title = b"Ti\xe3\xe2eng Vi\xf2\xe3et l\xe2\xbcp 6 :"
    formula = b"H\x1bb2\x1bsO"  # MARC-8 escape to subscripts and back
    rec = build_iso2709([("001", b"M8-1"), ("245", b"10\x1fa" + title + b"\x1fb" + formula),
                         ("100", b"1 \x1fa\xa3o\xe1an Gi\xe0oi"), ("952", b"  \x1fpND-9")])
    result = marc.read_marc(rec, "m8.mrc")
    assert result.encodings == {"marc-8": 1}
    record = result.items[0].record
    assert record["title"] == "Tiếng Việt lớp 6"
    assert record["subtitle"] == "H₂O"
    assert record["authors"] == ["Đoàn Giỏi"]
    for value in (record["title"], record["authors"][0]):
        assert yamlio.nfc(value) == value


def test_marcxml_sample_imports(example_repo, cli):
    shutil.copy(SAMPLES / "batch.xml", example_repo / "batch.xml")
    result = cli("--repo", example_repo, "--lang", "en", "import", "marc", example_repo / "batch.xml", "--library", "HD")
    assert result.exit_code == 0, result.output
    assert "created 2" in result.output
    assert load_record(example_repo, "HD", "The Great Ray Charles")["authors"] == ["Charles, Ray"]


def test_broken_records_are_reported_by_position_and_the_rest_import(example_repo, cli):
    result = cli("--repo", example_repo, "import", "marc", SAMPLES / "bad_records.mrc", "--library", "HD",
                 "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["total"] == 8 and sum(report["counts"].values()) == 8
    rejected = [r for r in report["records"] if r["action"] == "rejected"]
    assert [r["position"] for r in rejected] == [2, 3, 4, 5, 6, 7]
    assert "biểu ghi số 4" in rejected[2]["location"] and "danh mục" in rejected[2]["reasons"][0]
    assert report["counts"]["created"] == 1 and report["counts"]["unchanged"] == 1


def test_strict_refuses_the_whole_file_and_writes_nothing(example_repo, cli):
    before = tree(example_repo)
    result = cli("--repo", example_repo, "import", "marc", SAMPLES / "bad_records.mrc", "--library", "HD", "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.output
    assert tree(example_repo) == before


def test_truncated_last_record(example_repo, cli, tmp_path):
    data = vn_marc_bytes(True)
    source = tmp_path / "cut.mrc"
    source.write_bytes(data[:-200])
    result = cli("--repo", example_repo, "import", "marc", source, "--library", "ND", "--format", "json")
    report = json.loads(result.stdout)
    assert report["counts"]["rejected"] == 1 and report["total"] == 3
    assert report["counts"]["created"] + report["counts"]["updated"] == 2
    assert "cắt cụt" in report["records"][2]["reasons"][0]


def test_bad_directory_and_invalid_utf8(tmp_path):
    good = build_iso2709([("001", b"A"), ("245", "10\x1faSách hay".encode())], b"a")
    bad_dir = bytearray(good)
    bad_dir[30:33] = b"x!y"  # damage the first directory entry's length
    bad_utf8 = build_iso2709([("001", b"B"), ("245", b"10\x1faS\xe1ch")], b"a")
    result = marc.read_marc(good + bytes(bad_dir) + bad_utf8, "mixed.mrc")
    assert [i.error[0] if i.error else None for i in result.items] == [
        None, "interchange.marc.bad_directory", "interchange.marc.bad_utf8"]
    assert result.items[2].error[1]["byte"] == "0xE1"
    assert result.items[0].record["title"] == "Sách hay"


def test_forced_utf8_on_marc8_is_a_clear_rejection(example_repo, cli, tmp_path):
    source = tmp_path / "m8.mrc"
    source.write_bytes(build_iso2709([("001", b"X"), ("245", b"10\x1faTi\xe3\xe2eng Vi\xf2\xe3et")]))
    result = cli("--repo", example_repo, "--lang", "en", "import", "marc", source, "--library", "ND",
                 "--encoding", "utf-8")
    assert result.exit_code == 1
    assert "not UTF-8" in result.output and "rejected 1" in result.output


def test_record_over_99999_bytes_is_refused_on_import(tmp_path):
    huge = build_iso2709([("001", b"H"), ("245", b"10\x1faBig")] + [("952", b"  \x1fp" + b"%06d" % i + b"\x1fc" + b"k" * 60)
                                                                  for i in range(1500)], b"a")
    assert len(huge) > 99_999
    result = marc.read_marc(huge, "huge.mrc")
    assert result.items[0].error[0] == "interchange.marc.too_long"


def test_unknown_library_code(example_repo, cli, tmp_path):
    source = tmp_path / "vn.mrc"
    source.write_bytes(vn_marc_bytes())
    before = tree(example_repo)
    result = cli("--repo", example_repo, "import", "marc", source, "--library", "ZZ")
    assert result.exit_code == 2
    assert "ZZ" in result.output and "XS" in result.output
    assert tree(example_repo) == before


def test_commit_makes_one_commit_with_a_summary(example_repo, tmp_path):
    git_repo_with_remote(tmp_path, example_repo)
    source = tmp_path / "vn.mrc"
    source.write_bytes(vn_marc_bytes(False))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=example_repo, capture_output=True, text=True).stdout
    run = subprocess.run(["python", "-m", "libsync", "--repo", str(example_repo), "import", "marc", str(source),
                          "--library", "ND", "--commit"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    log = subprocess.run(["git", "log", "--format=%s%n%b", f"{head.strip()}..HEAD"], cwd=example_repo,
                         capture_output=True, text=True).stdout
    assert log.count("Nhập vn.mrc vào thư viện ND") == 1 and "tạo mới 2, cập nhật 1" in log
    status = subprocess.run(["git", "status", "--porcelain"], cwd=example_repo, capture_output=True, text=True).stdout
    assert status.strip() == ""


def test_dry_run_writes_nothing(example_repo, cli, tmp_path):
    source = tmp_path / "vn.mrc"
    source.write_bytes(vn_marc_bytes())
    before = tree(example_repo)
    result = cli("--repo", example_repo, "import", "marc", source, "--library", "XS", "--dry-run")
    assert result.exit_code == 0
    assert "Chạy thử" in result.output
    assert tree(example_repo) == before
    # and the real run then does what the dry run said
    assert "tạo mới 2, cập nhật 1" in result.output
    real = cli("--repo", example_repo, "import", "marc", source, "--library", "XS")
    assert "tạo mới 2, cập nhật 1" in real.output
    assert Repository(example_repo).records("XS")
