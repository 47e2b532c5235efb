"""The store's read side: the listing (Git blob ids, or a walk outside Git), the examination cache
keyed by content, and the one read policy. Real Git repositories, real files, no mocks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from libsync.cachedir import cache_root
from libsync.errors import LibsyncError
from libsync.store import read as store_read
from libsync.store.listing import blob_id, list_files
from libsync.store.read import Store


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def git_repo(example_repo) -> Path:
    git(example_repo, "init", "-q")
    git(example_repo, "add", "-A")
    git(example_repo, "commit", "-qm", "mạng mẫu")
    return example_repo


def first_record(root: Path, lib: str = "XS") -> Path:
    return sorted((root / "records" / lib).glob("*.yaml"))[0]


def test_git_listing_gives_gits_blob_ids_and_sees_every_kind_of_change(git_repo):
    listing = list_files(git_repo)
    assert listing.via_git
    some = first_record(git_repo)
    rel = some.relative_to(git_repo).as_posix()
    assert listing.ids[rel] == git(git_repo, "hash-object", rel).strip() == blob_id(some.read_bytes())

    # edited, untracked, deleted, symlinked: each as it is on disk now
    some.write_text(some.read_text(encoding="utf-8").replace("title:", "title: Mẹ —", 1), encoding="utf-8")
    new = git_repo / "records" / "XS" / "moi-them.yaml"
    new.write_bytes(some.read_bytes())
    gone = sorted((git_repo / "records" / "HD").glob("*.yaml"))[0]
    gone.unlink()
    (git_repo / "records" / "ND" / "link.yaml").symlink_to("/etc/passwd")
    after = list_files(git_repo)
    assert after.ids[rel] == blob_id(some.read_bytes()) != listing.ids[rel]
    assert after.ids["records/XS/moi-them.yaml"] == blob_id(new.read_bytes())
    assert gone.relative_to(git_repo).as_posix() not in after.ids
    assert "records/ND/link.yaml" in after.symlinks and "records/ND/link.yaml" not in after.ids
    # the walk outside Git lists the same files with the same ids
    walked = list_files(git_repo, use_git=False)
    assert walked.ids == after.ids and walked.symlinks == after.symlinks


def test_examinations_are_reused_by_content_even_by_a_second_clone(git_repo, tmp_path):
    first = Store(git_repo)
    loaded = first.records()
    assert loaded.documents and not loaded.problems and first.stats["examined"] == len(loaded.paths)
    again = Store(git_repo)
    assert again.records().documents == loaded.documents and again.stats["examined"] == 0
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(git_repo), str(clone)], check=True)
    other = Store(clone)
    assert other.records().documents == loaded.documents and other.stats["examined"] == 0
    assert not any(p.is_relative_to(git_repo) for p in cache_root().rglob("*"))   # never in the repository


def test_a_same_size_edit_in_the_same_clock_tick_is_never_served_from_the_cache(example_repo):
    """Outside Git the stat index re-hashes files whose times are too recent to trust."""
    some = first_record(example_repo)
    Store(example_repo).records()
    text = some.read_text(encoding="utf-8")
    st = some.stat()
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    changed = title_line[:-1] + ("a" if title_line[-1] != "a" else "b")
    edited = text.replace(title_line, changed, 1)
    assert len(edited.encode()) == len(text.encode())
    some.write_text(edited, encoding="utf-8")
    os.utime(some, ns=(st.st_atime_ns, st.st_mtime_ns))     # same size, same mtime
    loaded = Store(example_repo).records()
    titles = dict(zip(loaded.paths, (d["title"] for d in loaded.documents)))
    assert titles[some.relative_to(example_repo).as_posix()] == changed.split(": ", 1)[1]


def test_a_broken_cache_file_costs_time_not_answers(example_repo):
    expected = Store(example_repo).records().documents
    for db in (cache_root() / "store").glob("exam-*.sqlite*"):
        db.write_bytes(b"day khong phai SQLite" * 100)
    assert Store(example_repo).records().documents == expected
    assert Store(example_repo).records().documents == expected


def test_read_policy_strict_stops_with_file_and_line_views_skip_and_name(example_repo):
    bad = first_record(example_repo, "HD")
    rel = bad.relative_to(example_repo).as_posix()
    bad.write_text(bad.read_text(encoding="utf-8").replace("type:", "type: khong-co\nx_type:", 1), encoding="utf-8")
    with pytest.raises(LibsyncError) as exc:
        Store(example_repo).records(strict=True)
    assert rel in str(exc.value)
    view = Store(example_repo).records(strict=False)
    assert rel not in view.paths and [p.file for p in view.problems] == [rel]
    assert view.problems[0].line is not None


def test_parallel_examination_matches_serial(example_repo, monkeypatch):
    serial = Store(example_repo, use_cache=False, workers=1).records()
    monkeypatch.setattr(store_read, "PARALLEL_FROM", 10)
    monkeypatch.setattr(store_read, "CHUNK", 7)
    parallel = Store(example_repo, use_cache=False, workers=2).records()
    assert parallel.documents == serial.documents and parallel.paths == serial.paths


def test_current_reads_a_file_changed_after_the_listing(git_repo):
    store = Store(git_repo)
    store.records()
    some = first_record(git_repo)
    rel = some.relative_to(git_repo).as_posix()
    some.write_text(some.read_text(encoding="utf-8").replace("title: ", "title: Cá — ", 1), encoding="utf-8")
    (data,) = [d for _, d in store.current([rel])]
    assert data["title"].startswith("Cá — ")


def test_validate_in_git_reuses_its_report_only_while_nothing_changed(git_repo):
    from libsync.validation import validate

    assert validate(git_repo).ok and validate(git_repo).parsed == 0     # second run: the stored report
    some = first_record(git_repo)
    text = some.read_text(encoding="utf-8")
    broken = text.replace("type: ", "type: z", 1)
    broken = broken.replace("title: ", "title:", 1) if len(broken) != len(text) else broken   # keep the size
    assert len(broken.encode()) == len(text.encode())
    some.write_text(broken, encoding="utf-8")     # same size, in the same second as the commit
    assert not validate(git_repo).ok
    some.write_text(text, encoding="utf-8")
    assert validate(git_repo).ok
    (git_repo / "records" / "XS" / "lac.yaml").write_text("id: lac\n", encoding="utf-8")   # untracked, invalid
    assert not validate(git_repo).ok


def test_the_copy_index_kept_whole_is_the_index_built_afresh_and_follows_edits(git_repo):
    from libsync.repository import Repository
    from libsync.store.copies import CopyIndex

    def state(index):
        return ({code: c.to_dict() for code, c in index.copies.items()}, index.active,
                {lib: [(info.get("id"), [c.barcode for c in cs]) for info, cs in entries]
                 for lib, entries in index.records.items()})

    fresh = CopyIndex.build(Repository(git_repo), use_cache=False)
    first = CopyIndex.build(Repository(git_repo))
    kept = CopyIndex.build(Repository(git_repo))
    assert kept.stats["parsed"] == 0 and state(kept) == state(first) == state(fresh) and fresh.copies
    some = first_record(git_repo)
    text = some.read_text(encoding="utf-8")
    code = next(c.barcode for c in fresh.copies.values() if c.file == some.relative_to(git_repo).as_posix())
    some.write_text(text.replace(code, code + "-MOI"), encoding="utf-8")
    after = CopyIndex.build(Repository(git_repo))
    assert code not in after.copies and code + "-MOI" in after.copies


def test_the_kept_listing_follows_paths_that_change_kind_or_go(git_repo, tmp_path):
    """Review of #13: a path Git names the same way twice may have become a link, or gone."""
    from libsync.validation import validate

    target = tmp_path / "ngoai.yaml"
    some = first_record(git_repo)
    target.write_bytes(some.read_bytes())
    link = git_repo / "records" / "XS" / "zz.yaml"
    link.symlink_to(target)
    assert "records/XS/zz.yaml" in list_files(git_repo).symlinks
    assert any(p.rule == "symlink" for p in validate(git_repo).problems)
    link.unlink()                                                      # the link becomes a broken file
    link.write_text("id: zz\nlibrary: XS\ntitle: [chưa đóng\n", encoding="utf-8")
    assert "records/XS/zz.yaml" in list_files(git_repo).ids
    assert any(p.rule == "yaml-syntax" for p in validate(git_repo).problems)
    link.unlink()
    # a tracked file edited, listed, then deleted: gone from the listing
    some.write_text(some.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rel = some.relative_to(git_repo).as_posix()
    assert rel in list_files(git_repo).ids
    some.unlink()
    assert rel not in list_files(git_repo).ids
    # an untracked file replaced by a link to the same bytes: a link, never read
    extra = git_repo / "records" / "HD" / "moi.yaml"
    extra.write_bytes(target.read_bytes())
    list_files(git_repo)
    extra.unlink()
    extra.symlink_to(target)
    after = list_files(git_repo)
    assert "records/HD/moi.yaml" in after.symlinks and "records/HD/moi.yaml" not in after.ids


def test_a_library_folder_replaced_by_a_link_is_never_read_through(git_repo, tmp_path):
    import shutil

    elsewhere = tmp_path / "ND-copy"
    shutil.copytree(git_repo / "records" / "ND", elsewhere)
    shutil.rmtree(git_repo / "records" / "ND")
    (git_repo / "records" / "ND").symlink_to(elsewhere)
    listing = list_files(git_repo)
    assert "records/ND" in listing.symlinks
    assert not any(rel.startswith("records/ND/") for rel in listing.ids)


def test_a_record_json_cannot_hold_is_still_usable(example_repo):
    from libsync.validation import validate

    some = first_record(example_repo)
    import re

    text = re.sub(r"(?m)^pages: .*$", "", some.read_text(encoding="utf-8")).replace("\n\n", "\n")
    some.write_text(text.rstrip("\n") + "\npages: 100000000000000000000000\n", encoding="utf-8")
    assert validate(example_repo).ok
    loaded = Store(example_repo).records(strict=True)
    rel = some.relative_to(example_repo).as_posix()
    assert dict(zip(loaded.paths, loaded.documents))[rel]["pages"] == 100000000000000000000000


@pytest.mark.parametrize("tamper", [
    lambda s: s["views"][0][1][3][0].__setitem__(0, 7),           # a barcode that is not text
    lambda s: s["views"].__setitem__(0, "x"),                     # a view that is not a pair
    lambda s: s["active"].__setitem__("X", [1]),                  # an exchange id that is not text
    lambda s: s.__setitem__("views", {}),
])
def test_a_tampered_kept_copy_index_is_a_miss(example_repo, tamper):
    import json

    from libsync.cachedir import repo_cache_dir
    from libsync.store.copies import INDEX_CACHE, CopyIndex

    fresh = CopyIndex.build(example_repo, use_cache=False)
    CopyIndex.build(example_repo)
    path = repo_cache_dir(example_repo.resolve()) / INDEX_CACHE
    stored = json.loads(path.read_text(encoding="utf-8"))
    tamper(stored)
    path.write_text(json.dumps(stored), encoding="utf-8")
    again = CopyIndex.build(example_repo)
    assert {c: x.to_dict() for c, x in again.copies.items()} == {c: x.to_dict() for c, x in fresh.copies.items()}
    assert again.active == fresh.active
