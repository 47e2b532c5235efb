"""Import and export read existing records through the shared parsed-record cache: a change to a
record file is always seen, an unreadable file still stops with its name, nothing is written to
the repository by the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

from libsync import yamlio
from libsync.cachedir import cache_root
from libsync.interchange import exporter, importer, marc
from libsync.repository import Repository
from test_interchange_fixtures import vn_marc_bytes
from test_interchange_marc import tree


def first_record(repo: Path, lib: str) -> Path:
    return sorted((repo / "records" / lib).glob("*.yaml"))[0]


def test_export_sees_a_record_edited_after_the_cache_was_filled(example_repo):
    repo = Repository(example_repo)
    before = json.loads(exporter.export(repo, "json", library="XS").data)
    assert list((cache_root() / "store").glob("exam-*.sqlite"))   # the first export filled the cache
    path = first_record(example_repo, "XS")
    data = yamlio.load_file(path).data
    data["title"] = "Sổ tay thư viện trường học — bản sửa"
    path.write_text(yamlio.dump(data), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    after = json.loads(exporter.export(repo, "json", library="XS").data)
    titles = {r["id"]: r["title"] for r in after}
    assert titles[data["id"]] == "Sổ tay thư viện trường học — bản sửa"
    assert len(after) == len(before)


def test_import_matches_against_a_record_added_after_the_cache_was_filled(example_repo, tmp_path):
    repo = Repository(example_repo)
    exporter.export(repo, "json", library="ND")  # cache filled without the new record
    source = vn_marc_bytes(True)
    read = marc.read_marc(source, "vn.mrc")
    first = importer.plan_import(repo, read, importer.Options(library="ND", today="2024-09-05"))
    importer.apply_plan(repo, first)
    again = importer.plan_import(repo, marc.read_marc(source, "vn.mrc"),
                                 importer.Options(library="ND", today="2024-09-05"))
    assert again.counts["unchanged"] == 3 and again.counts["created"] == 0


def test_unreadable_record_in_the_library_stops_import_and_export_by_name(example_repo, cli, tmp_path):
    broken = example_repo / "records" / "ND" / "hong.yaml"
    broken.write_text("id: hong\nlibrary: ND\ntitle: [chưa đóng ngoặc\n", encoding="utf-8")
    source = tmp_path / "vn.mrc"
    source.write_bytes(vn_marc_bytes())
    before = tree(example_repo)
    result = cli("--repo", example_repo, "import", "marc", source, "--library", "ND")
    assert result.exit_code == 2
    assert "records/ND/hong.yaml" in result.output
    assert tree(example_repo) == before
    exported = cli("--repo", example_repo, "export", "csv", "--library", "ND", "-o", tmp_path / "nd.csv")
    assert exported.exit_code == 2 and "records/ND/hong.yaml" in exported.output
    # another library's export is not concerned
    fine = cli("--repo", example_repo, "export", "csv", "--library", "XS", "-o", tmp_path / "xs.csv")
    assert fine.exit_code == 0, fine.output
