"""Export by audience, the ISO 2709 size limits, and lossless import → export → import."""

from __future__ import annotations

import json
import shutil

import pymarc
import pytest

from libsync.interchange import exporter, importer, marc
from libsync.repository import Repository
from test_interchange_marc import tree

UNMAPPED = {"id", "provenance", "created", "updated", "share", "access"}


def comparable(record: dict, fmt: str) -> dict:
    out = {k: v for k, v in record.items() if k not in UNMAPPED}
    if fmt in ("marc", "marcxml"):
        out["items"] = [{k: v for k, v in i.items() if k != "status_ref"} for i in out.get("items", [])]
    return out


@pytest.mark.parametrize("fmt", ["marc", "marcxml", "csv", "xlsx"])
def test_import_export_import_is_lossless(example_repo, tmp_path, cli, fmt):
    out = tmp_path / f"xs.{fmt}"
    result = cli("--repo", example_repo, "export", fmt, "--library", "XS", "-o", out)
    assert result.exit_code == 0, result.output
    original = {r["id"]: r for r in Repository(example_repo).records("XS")}
    # a second network that has never seen XS's records
    target = tmp_path / "other"
    shutil.copytree(example_repo, target)
    shutil.rmtree(target / "records" / "XS")
    kind = "marc" if fmt.startswith("marc") else "table"
    result = cli("--repo", target, "import", kind, out, "--library", "XS", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["created"] == len(original)
    again = Repository(target).records("XS")
    by_key = {(r["title"], r.get("volume"), r.get("year"), r.get("isbn")): r for r in original.values()}
    assert len(again) == len(original)
    for record in again:
        before = by_key[(record["title"], record.get("volume"), record.get("year"), record.get("isbn"))]
        assert comparable(record, fmt) == comparable(before, fmt), before["id"]
    if kind == "table":
        assert sorted(r["id"] for r in again) == sorted(original)


def test_audiences(example_repo, tmp_path):
    repo = Repository(example_repo)
    records = repo.records()
    internal = [r for r in records if r.get("share", "internal") == "internal"]
    public = [r for r in records if r.get("share") == "public"]
    assert internal, "the example network should have an internal record"
    own = internal[0]["library"]
    for audience, expect_internal in (("public", False), ("network", False), (own, True)):
        data = json.loads(exporter.export(repo, "json", audience=audience).data)
        ids = {(r["library"], r["id"]) for r in data}
        assert ((own, internal[0]["id"]) in ids) is expect_internal
        if audience == "public":
            assert len(data) == len(public)
            assert all("provenance" not in r and all("price" not in i for i in r.get("items", [])) for r in data)
    other = next(code for code in repo.network.libraries if code != own)
    data = json.loads(exporter.export(repo, "json", audience=other).data)
    assert (own, internal[0]["id"]) not in {(r["library"], r["id"]) for r in data}


def test_many_copies_are_split_under_99999_bytes_and_merge_back(example_repo, tmp_path, cli):
    repo = Repository(example_repo)
    record = repo.load(repo.record_files("ND")[0])
    record["items"] = [{"barcode": f"ND-B{i:05d}", "status": "available", "location": "Kho đọc tự chọn tầng 2",
                        "price": 125000, "source": "Quỹ phụ huynh học sinh năm học 2024–2025",
                        "register_no": f"TQ-2024/{i:05d}"} for i in range(1400)]
    repo.save(repo.record_relpath("ND", record["id"]), record)
    out = tmp_path / "nd.mrc"
    result = cli("--repo", example_repo, "--lang", "en", "export", "marc", "--library", "ND", "-o", out)
    assert result.exit_code == 0, result.output
    assert record["id"] in result.output  # named among the split records
    parts = [r for r in pymarc.MARCReader(out.read_bytes(), to_unicode=True, force_utf8=True)
             if r["001"].data == (record.get("provenance", {}).get("control_number") or record["id"])]
    assert len(parts) >= 2
    raw = out.read_bytes()
    offset = 0
    while offset < len(raw):
        length = int(raw[offset:offset + 5])
        assert length <= 99_999 and raw[offset + length - 1:offset + length] == b"\x1d"
        offset += length
    target = tmp_path / "other"
    shutil.copytree(example_repo, target)
    shutil.rmtree(target / "records" / "ND")
    result = cli("--repo", target, "import", "marc", out, "--library", "ND", "--format", "json")
    report = json.loads(result.stdout)
    assert report["counts"]["merged"] == len(parts) - 1
    merged = [r for r in Repository(target).records("ND") if r["title"] == record["title"]
              and r.get("volume") == record.get("volume") and r.get("year") == record.get("year")]
    assert len(merged[0]["items"]) == 1400


def test_field_over_9999_bytes_is_refused_with_a_message(example_repo, tmp_path, cli):
    repo = Repository(example_repo)
    record = repo.load(repo.record_files("HD")[0])
    record["summary"] = "Tóm tắt rất dài. " * 800
    repo.save(repo.record_relpath("HD", record["id"]), record)
    with pytest.raises(ValueError) as info:
        marc.record_to_marc(record)
    assert info.value.args[0][0] == "interchange.export.field_too_big"
    out = tmp_path / "hd.mrc"
    result = cli("--repo", example_repo, "export", "marc", "--library", "HD", "-o", out)
    assert result.exit_code == 1 and record["id"] in result.output and "9999" in result.output
    # the others are still exported
    assert len(list(pymarc.MARCReader(out.read_bytes(), force_utf8=True))) == len(repo.record_files("HD")) - 1


def test_export_unknown_library_and_format(example_repo, tmp_path, cli):
    before = tree(example_repo)
    assert cli("--repo", example_repo, "export", "marc", "--library", "QQ", "-o", tmp_path / "x").exit_code == 2
    assert cli("--repo", example_repo, "export", "pdf", "-o", tmp_path / "x").exit_code == 2
    assert tree(example_repo) == before and not (tmp_path / "x").exists()


def test_plan_counts_add_up(example_repo):
    from test_interchange_fixtures import SAMPLES

    repo = Repository(example_repo)
    plan = importer.import_file(repo, str(SAMPLES / "bad_records.mrc"), "marc", importer.Options(library="HD"))
    assert sum(plan.counts.values()) == plan.total == 8
    assert not plan.writes or all(p.startswith("records/HD/") for p in plan.writes)


def test_a_table_for_people_shows_labels_and_reads_back_as_codes(example_repo, cli, tmp_path):
    """The public CSV says "hư hỏng", "Sách tham khảo" — not damaged, reference — and an import of
    that file still gives the codes."""
    import csv as _csv
    import io as _io

    from libsync.interchange.tables import status_code, type_code

    out = tmp_path / "mucluc.csv"
    result = cli("--repo", example_repo, "export", "csv", "--audience", "public", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(_csv.reader(_io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    cells = {cell for row in rows[1:] for cell in row}
    for code in ("damaged", "available", "reference", "textbook", "on-loan", "at-partner"):
        assert code not in cells, code
    assert "Sách giáo khoa" in cells and "có sẵn" in cells
    for label, code in (("hư hỏng", "damaged"), ("Đang cho mượn", "on-loan"), ("đang ở thư viện bạn", "at-partner"),
                        ("on loan", "on-loan"), ("damaged", "damaged")):
        assert status_code(label) == code, label
    for label, code in (("Sách tham khảo", "reference"), ("Báo, tạp chí", "periodical"), ("Tranh ảnh giáo dục", "picture"),
                        ("Story", "story"), ("SGK", "textbook")):
        assert type_code(label) == code, label
