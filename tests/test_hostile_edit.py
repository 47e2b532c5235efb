"""A hostile pass over the writing commands of issue #11 (share, merge decide, undo, record,
copy set, batch): each test is a bug found by attacking them, in a real Git repository."""

from __future__ import annotations

import json
import shutil

import git
import pytest

from test_rotation_support import committed, snapshot
from test_share import record


@pytest.mark.parametrize("blank", ["--query= ", "--query=-", "--query=?", "--subject=", "--subject= ", "--series="])
def test_share_a_blank_filter_is_refused_not_the_whole_network(example_repo, cli, blank):
    """A filter value with nothing in it selected every record (a query of no words matched all;
    a blank subject or series matched every record without one): `share` is meant to refuse a
    change that names no records, so that the network is never changed by accident."""
    committed(example_repo)
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "share", blank, "--share", "internal", "--yes")
    assert result.exit_code == 2, result.output
    assert snapshot(example_repo) == before
    assert not git.Repo(example_repo).is_dirty()


def test_share_a_blank_filter_beside_a_real_one_is_refused_too(example_repo, cli):
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "--lang", "en", "share", "--library", "XS", "--subject", " ",
                 "--share", "internal", "--yes")
    assert result.exit_code == 2 and "--subject" in result.output
    assert snapshot(example_repo) == before


def test_share_does_not_skip_a_record_file_that_is_a_symlink(example_repo, cli, tmp_path):
    """A record file replaced by a symlink was left out of the listing, so `share --library XS`
    changed the other records and said nothing: the librarian believed all of XS was shared."""
    rel = "records/XS/xs-am-nhac-6-kntt.yaml"
    outside = tmp_path / "outside.yaml"
    shutil.copy2(example_repo / rel, outside)
    (example_repo / rel).unlink()
    (example_repo / rel).symlink_to(outside)
    committed(example_repo)
    before = snapshot(example_repo)
    outside_before = outside.read_bytes()
    result = cli("--repo", example_repo, "share", "--library", "XS", "--share", "internal", "--yes")
    assert result.exit_code == 2 and rel in result.output, result.output
    assert snapshot(example_repo) == before and outside.read_bytes() == outside_before


def test_share_does_not_report_zero_records_for_a_library_folder_that_is_a_symlink(example_repo, cli, tmp_path):
    outside = tmp_path / "XS"
    shutil.copytree(example_repo / "records/XS", outside)
    shutil.rmtree(example_repo / "records/XS")
    (example_repo / "records/XS").symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    result = cli("--repo", example_repo, "share", "--library", "XS", "--share", "internal", "--yes")
    assert result.exit_code == 2 and "records/XS" in result.output, result.output
    assert snapshot(outside) == before


def test_undo_does_not_overwrite_an_untracked_file_it_would_re_create(example_repo, cli):
    """Undoing an undo of `record add` re-creates the record file; a file the librarian had
    since made by hand at that path (untracked) was silently overwritten and committed."""
    committed(example_repo)
    assert cli("--repo", example_repo, "record", "add", "-l", "XS", "--title", "Truyện Kiều", "--type", "story",
               "--commit").exit_code == 0
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 0
    path = example_repo / "records/XS/truyen-kieu.yaml"
    assert not path.exists()
    mine = "id: truyen-kieu\nlibrary: XS\ntype: story\ntitle: Bản chép tay của tôi\n"
    path.write_text(mine, encoding="utf-8")
    head = git.Repo(example_repo).head.commit.hexsha
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "--lang", "en", "undo", "--yes")
    assert result.exit_code == 1 and "records/XS/truyen-kieu.yaml" in result.output, result.output
    assert path.read_text(encoding="utf-8") == mine and snapshot(example_repo) == before
    assert git.Repo(example_repo).head.commit.hexsha == head


@pytest.mark.parametrize("title", ["Con", "Nul", "Aux"])
def test_record_add_a_title_that_slugs_to_a_windows_device_name(example_repo, cli, title):
    """"Con" (a Vietnamese word: child) made the id ``con``, which the schema refuses as a
    Windows device name: `record add` failed on an id the librarian never typed."""
    committed(example_repo)
    result = cli("--repo", example_repo, "record", "add", "-l", "XS", "--title", title, "--type", "story",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    new_id = json.loads(result.stdout)["id"]
    assert new_id.lower() != title.lower()
    assert record(example_repo, f"records/XS/{new_id}.yaml")["title"] == title
    assert cli("--repo", example_repo, "validate").exit_code == 0
