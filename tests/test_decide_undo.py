"""`libsync merge decide`, validate's ISBN-conflict warning and `libsync undo` (issue #11)."""

from __future__ import annotations

import json

import git
import pytest
import yaml

from libsync.errors import LibsyncError
from libsync.repository import Repository
from libsync.store.undo import apply_undo, plan_undo

from test_rotation_support import committed, snapshot
from test_share import record

A, B = "XS/xs-am-nhac-6-kntt", "HD/hd-am-nhac-6-cd"
OVERRIDES = "catalog/overrides.yaml"


def overrides(root):
    return yaml.safe_load((root / OVERRIDES).read_text(encoding="utf-8"))


def test_decide_writes_replaces_and_keeps_comments(example_repo, cli):
    result = cli("--repo", example_repo, "merge", "decide", A, B, "--different", "--note", "Khác bộ sách", "--by", "Hà")
    assert result.exit_code == 0, result.output
    data = overrides(example_repo)
    assert data["never_merge"][0]["records"] == sorted([A, B]) and data["never_merge"][0]["reason"] == "Khác bộ sách"
    # a comment the cataloguer adds by hand survives the next decision
    path = example_repo / OVERRIDES
    path.write_text("# quyết định của tổ thư viện\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("--repo", example_repo, "merge", "decide", A, B, "--same", "--format", "json")
    out = json.loads(result.stdout)
    assert out["action"] == "changed" and out["replaced"]
    data = overrides(example_repo)
    assert "never_merge" not in data and data["always_merge"][0]["records"] == sorted([A, B])
    assert path.read_text(encoding="utf-8").startswith("# quyết định của tổ thư viện")
    # the same decision again changes nothing
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "merge", "decide", B, A, "--same")
    assert result.exit_code == 0 and snapshot(example_repo) == before
    # and merge follows it
    merged = json.loads(cli("--repo", example_repo, "merge", "--format", "json").stdout)
    together = [c for c in merged["clusters"] if {f"{m['library']}/{m['record']}" for m in c["members"]} >= {A, B}]
    assert together
    assert cli("--repo", example_repo, "validate").exit_code == 0


def test_decide_refusals_write_nothing(example_repo, cli):
    before = snapshot(example_repo)
    for args in ([A, "HD/khong-co", "--same"], [A, A, "--same"], [A, B], [A, B, "--same", "--different"],
                 ["khong-co-thu-vien", B, "--different"]):
        result = cli("--repo", example_repo, "merge", "decide", *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, (args, result.output)
        assert snapshot(example_repo) == before
    # a broken overrides file is named with its line, and left alone
    (example_repo / "catalog").mkdir(exist_ok=True)
    (example_repo / OVERRIDES).write_text("never_merge:\n- records: [XS/a]\n", encoding="utf-8")
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "merge", "decide", A, B, "--same")
    assert result.exit_code == 2 and "catalog/overrides.yaml:2" in result.output
    assert snapshot(example_repo) == before


def test_merge_still_runs_without_a_subcommand(example_repo, cli):
    result = cli("--repo", example_repo, "merge", "--uncertain")
    assert result.exit_code == 0
    result = cli("--repo", example_repo, "merge", "--format", "json")
    assert json.loads(result.stdout)["clusters"]


def test_validate_warns_about_an_undecided_isbn_conflict(example_repo, cli):
    """Two different books given one ISBN: a warning naming both and the command that settles it."""
    mine = record(example_repo, "records/HD/hd-am-nhac-6-cd.yaml")
    other_rel = next(p.relative_to(example_repo).as_posix() for p in sorted((example_repo / "records/XS").glob("*.yaml"))
                     if "isbn" in yaml.safe_load(p.read_text(encoding="utf-8")) and "am-nhac" not in p.name
                     and "toan" not in p.name)
    theirs = record(example_repo, other_rel)
    text = (example_repo / other_rel).read_text(encoding="utf-8").replace(str(theirs["isbn"]), str(mine["isbn"]))
    (example_repo / other_rel).write_text(text, encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert result.exit_code == 0, result.output   # a warning, not an error
    warnings = [w for w in json.loads(result.stdout)["warnings"] if w["rule"] == "isbn-conflict"]
    assert {w["file"] for w in warnings} == {other_rel, "records/HD/hd-am-nhac-6-cd.yaml"}
    assert all(w["line"] for w in warnings) and "libsync merge decide" in warnings[0]["message"]
    other = f"XS/{theirs['id']}"
    assert cli("--repo", example_repo, "merge", "decide", other, "HD/hd-am-nhac-6-cd", "--different").exit_code == 0
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert not [w for w in json.loads(result.stdout)["warnings"] if w["rule"] == "isbn-conflict"]


def test_undo_takes_back_the_last_libsync_commit_and_refuses_when_unsafe(example_repo, cli):
    repo = committed(example_repo)
    start = snapshot(example_repo)
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 1   # nothing libsync made yet
    assert cli("--repo", example_repo, "share", "--library", "XS", "--type", "textbook", "--access", "read", "--yes",
               "--commit").exit_code == 0
    assert cli("--repo", example_repo, "merge", "decide", A, B, "--different", "--commit").exit_code == 0
    # undo the decision: the file it created goes
    result = cli("--repo", example_repo, "undo", "--yes", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["files"] == {OVERRIDES: "deleted"} and out["undo_commit"]
    assert not (example_repo / OVERRIDES).exists()
    assert "Libsync-Command: undo" in repo.head.commit.message and "This reverts commit" in repo.head.commit.message
    # undoing the undo brings it back
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 0 and (example_repo / OVERRIDES).exists()
    assert cli("--repo", example_repo, "undo", "--yes").exit_code == 0
    # a dirty working tree: refused, nothing written
    path = example_repo / "records/XS/xs-am-nhac-6-kntt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: sửa tay\n", encoding="utf-8")
    before = snapshot(example_repo)
    result = cli("--repo", example_repo, "undo", "--yes")
    assert result.exit_code == 1 and "chưa commit" in result.output and snapshot(example_repo) == before
    repo.git.checkout("--", ".")
    # a later hand commit to one of the share commit's files: refused
    repo.git.revert("--no-edit", "HEAD")   # (Git's own revert of libsync's undo: no trailer)
    after_share = snapshot(example_repo)
    head = repo.head.commit.hexsha
    result = cli("--repo", example_repo, "undo", "--yes")
    assert result.exit_code == 1 and snapshot(example_repo) == after_share and repo.head.commit.hexsha == head
    assert start != after_share


def test_undo_of_share_restores_every_file(example_repo, cli):
    repo = committed(example_repo)
    start = snapshot(example_repo)
    assert cli("--repo", example_repo, "share", "--library", "HD", "--type", "story", "--share", "public", "--yes",
               "--commit").exit_code == 0
    assert snapshot(example_repo) != start
    result = cli("--repo", example_repo, "undo", "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot(example_repo) == start
    assert not repo.is_dirty() and isinstance(repo.head.commit, git.Commit)


def test_validate_checks_the_decisions_file(example_repo, cli):
    """A pair both always- and never-merged is an error at its line; a record that does not exist
    is a warning (a record deleted since leaves a stale decision)."""
    (example_repo / "catalog").mkdir(exist_ok=True)
    (example_repo / OVERRIDES).write_text(
        "never_merge:\n- records: [XS/xs-am-nhac-6-kntt, HD/hd-am-nhac-6-cd]\n"
        "always_merge:\n- records: [HD/hd-am-nhac-6-cd, XS/xs-am-nhac-6-kntt]\n"
        "- records: [XS/xs-am-nhac-6-kntt, ND/khong-co]\n", encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(e["rule"], e["line"]) for e in report["errors"]] == [("overrides-contradict", 4)]
    unknown = [w for w in report["warnings"] if w["rule"] == "unknown-record"]
    assert [(w["file"], w["line"]) for w in unknown] == [(OVERRIDES, 5)] and "ND/khong-co" in unknown[0]["message"]


def test_undo_refuses_a_file_changed_between_the_question_and_the_answer(example_repo, cli):
    committed(example_repo)
    assert cli("--repo", example_repo, "share", "XS/xs-am-nhac-6-kntt", "--access", "read", "--yes",
               "--commit").exit_code == 0
    plan = plan_undo(Repository(example_repo))
    # another command changes the same record (uncommitted) before the undo is applied
    assert cli("--repo", example_repo, "record", "set", "XS/xs-am-nhac-6-kntt", "call_number=780.712 / A296b").exit_code == 0
    before = snapshot(example_repo)
    with pytest.raises(LibsyncError) as err:
        apply_undo(Repository(example_repo), plan)
    assert err.value.key == "write.changed_meanwhile" and snapshot(example_repo) == before


def test_one_wrong_isbn_on_many_books_is_one_warning_per_book(example_repo, cli):
    """The same ISBN typed on five different books: five warnings (one per book, each naming the
    other four and counting), not twenty — and the pair message with its reasons when only two."""
    mine = record(example_repo, "records/HD/hd-am-nhac-6-cd.yaml")
    others = [p for p in sorted((example_repo / "records/XS").glob("*.yaml"))
              if "isbn" in yaml.safe_load(p.read_text(encoding="utf-8")) and "am-nhac" not in p.name
              and "toan" not in p.name][:4]
    assert len(others) == 4
    for path in others:
        theirs = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(path.read_text(encoding="utf-8").replace(str(theirs["isbn"]), str(mine["isbn"])),
                        encoding="utf-8")
    result = cli("--repo", example_repo, "validate", "--format", "json")
    assert result.exit_code == 0, result.output
    warnings = [w for w in json.loads(result.stdout)["warnings"] if w["rule"] == "isbn-conflict"]
    assert len(warnings) == 5 and len({w["file"] for w in warnings}) == 5
    assert all("với 4 biểu ghi khác" in w["message"] and "libsync merge decide" in w["message"] for w in warnings)
    english = cli("--repo", example_repo, "--lang", "en", "validate")
    assert "shares ISBN" in english.output and "with 4 other records" in english.output
