"""The split exchange modules as a library: ``rotation.queries`` (reading and checks),
``rotation.lifecycle`` (one function per step), ``rotation.workflow`` with ``gitops`` (the
branch of a proposal and its one way back). Real files, real Git, no mocks."""

from __future__ import annotations

import datetime as dt

import git
import pytest
import yaml

from libsync import gitops
from libsync.errors import LibsyncError
from libsync.repository import Repository
from libsync.rotation import exchanges, lifecycle, queries, workflow
from test_rotation_support import git_network, snapshot, write_scan

EID = "xs-hd-2024-2025-hk1-rt-xs-sgk6"
BATCH = ["RTXS11", "RTXS12", "RTXS21", "RTXS22", "RTXS31", "RTXS32", "RTXS41", "RTXS42"]
MANIFEST = f"exchanges/2024-2025/HK1/{EID}.yaml"
PROPOSAL = dict(term="2024-2025/HK1", sender="XS", receiver="HD", batch="rt-xs-sgk6", handover=dt.date(2024, 10, 7),
                return_due=dt.date(2025, 1, 17), by="Phạm Thị Thu Hà", date=dt.date(2024, 9, 30))


def item(root, record, barcode):
    data = yaml.safe_load((root / "records" / "XS" / f"{record}.yaml").read_text(encoding="utf-8"))
    return next(i for i in data["items"] if i["barcode"] == barcode)


def test_old_imports_are_the_new_functions():
    assert exchanges.advance is lifecycle.advance and exchanges.propose is lifecycle.propose
    assert exchanges.find is queries.find and exchanges.check_state is queries.check_state
    assert exchanges.Outcome is lifecycle.Outcome and exchanges.commit_message is workflow.commit_message
    assert set(lifecycle.STEPS) == set(lifecycle.ACTIONS)


def test_each_step_as_a_function_with_commits(tmp_path):
    root, repo_git = git_network(tmp_path, remote=False)
    repo = Repository(root)
    proposed = lifecycle.propose(repo, **PROPOSAL)
    assert (proposed.branch, proposed.pushed, proposed.files) == (f"exchange/{EID}", None, [MANIFEST])
    # her checkout is back on main; the proposal waits on its branch (the partner reviews it there)
    assert repo_git.active_branch.name == "main" and not (root / MANIFEST).exists()
    on_branch = repo_git.heads[f"exchange/{EID}"].commit
    assert on_branch.hexsha == proposed.commit and "Action: propose" in on_branch.message
    repo_git.git.checkout(f"exchange/{EID}")
    assert EID in [r["id"] for r in queries.list_exchanges(repo, status="proposed")]

    approved = lifecycle.approve(repo, EID, date=dt.date(2024, 10, 1), by="Lê Thị Hồng Nhung", commit=True)
    assert (approved.status, approved.branch) == ("approved", f"exchange/{EID}")   # the branch it went on
    assert approved.files == [MANIFEST]

    scan = write_scan(tmp_path / "giao.txt", BATCH)
    sent = lifecycle.dispatch(repo, EID, date=dt.date(2024, 10, 7), scan=scan, commit=True)
    assert sent.check is not None and sent.check["counts"]["missing"] == 0
    assert item(root, "rt-xs-sgk6-1", "RTXS11")["holder"] == "HD"
    message = repo_git.head.commit.message
    assert message == gitops.with_trailer(workflow.commit_message(queries.find(repo, EID)[1], "dispatch", None),
                                          "exchange")

    # the copies are out: a second exchange of one of them sees the first
    other = {"id": "khac", "copies": [{"barcode": "RTXS11", "record": "rt-xs-sgk6-1"}]}
    assert queries.other_active(repo, other) == {"RTXS11": [EID]}

    lifecycle.receive(repo, EID, date=dt.date(2024, 10, 8), commit=True)
    back = [b for b in BATCH if b != "RTXS32"]
    returned = lifecycle.return_copies(repo, EID, date=dt.date(2025, 1, 17), scan=write_scan(tmp_path / "tra.txt", back))
    assert returned.commit is None and returned.branch is None     # not committed: written only
    assert "Missing: 1" not in repo_git.head.commit.message
    assert [x["barcode"] for x in queries.pending_losses(repo, EID)] == ["RTXS32"]
    repo_git.git.add("--all")
    repo_git.git.commit("-m", "trả sách")

    files = snapshot(root)
    with pytest.raises(LibsyncError):      # losses not confirmed: nothing written
        lifecycle.close(repo, EID, date=dt.date(2025, 1, 20))
    assert snapshot(root) == files
    closed = lifecycle.advance(repo, EID, "close", date=dt.date(2025, 1, 20), confirm_losses=True, commit=True,
                               scan="ignored by close")
    assert closed.status == "closed" and [x["barcode"] for x in closed.losses] == ["RTXS32"]
    assert item(root, "rt-xs-sgk6-3", "RTXS32")["status"] == "lost"
    assert "Lost: 1" in repo_git.head.commit.message
    assert not repo_git.is_dirty(untracked_files=True)

    with pytest.raises(LibsyncError):
        lifecycle.cancel(repo, EID)         # closed: no way to cancel
    with pytest.raises(LibsyncError):
        lifecycle.advance(repo, EID, "lend")


def test_a_failed_push_goes_back_the_one_way(tmp_path):
    root, repo_git = git_network(tmp_path)
    (tmp_path / "remote.git" / "hooks" / "pre-receive").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (tmp_path / "remote.git" / "hooks" / "pre-receive").chmod(0o755)
    (root / "ghi-chu.txt").write_text("việc dở dang của thủ thư\n", encoding="utf-8")   # other work, untracked
    files, head = snapshot(root), repo_git.head.commit.hexsha
    repo = Repository(root)
    with pytest.raises(LibsyncError) as caught:
        lifecycle.propose(repo, push=True, **PROPOSAL)
    assert caught.value.key == "git.failed"
    assert snapshot(root) == files                      # the manifest gone, the other work kept
    assert repo_git.active_branch.name == "main" and repo_git.head.commit.hexsha == head
    assert [h.name for h in repo_git.heads] == ["main"]
    assert f"exchange/{EID}" not in [h.name for h in git.Repo(tmp_path / "remote.git").heads]

    # the same proposal once the remote takes it; then its branch name is taken
    (tmp_path / "remote.git" / "hooks" / "pre-receive").unlink()
    outcome = lifecycle.propose(repo, push=True, **PROPOSAL)
    assert (outcome.branch, outcome.pushed) == (f"exchange/{EID}", "origin")
    assert gitops.current_branch(root) == "main" and gitops.branch_exists(root, f"exchange/{EID}")
    assert snapshot(root) == files      # back where she was: the manifest is on its branch, her work kept
    assert f"exchange/{EID}" in [h.name for h in git.Repo(tmp_path / "remote.git").heads]
    with pytest.raises(LibsyncError) as caught:
        workflow.commit_on_branch(repo, "exchanges/x.yaml", "", {"id": EID}, None)
    assert caught.value.key == "rotation.branch_exists"


def test_on_new_branch_keeps_what_worked(tmp_path):
    root, repo_git = git_network(tmp_path, remote=False)
    with gitops.on_new_branch(root, "thu"):
        assert gitops.current_branch(root) == "thu"
        (root / "moi.txt").write_text("x\n", encoding="utf-8")
        repo_git.git.add("moi.txt")
        repo_git.git.commit("-m", "thử")
    # back on the branch she was on; what the block committed stays on its branch
    assert gitops.current_branch(root) == "main" and not (root / "moi.txt").exists()
    assert repo_git.git.show("thu:moi.txt") == "x"
    assert not gitops.has_remote(root, "origin")
    with pytest.raises(LibsyncError):
        gitops.push(root, "origin", "thu")


def test_the_example_networks_dispatched_exchange_can_be_received(example_repo, tmp_path):
    """Its copies are recorded on their way (in-transit, held by ND), as validate accepts for a
    dispatched exchange: receive takes them (it refused them as 'not at-partner'), the copies
    scanned arrive at the partner, the one the scan lacks stays in transit with no holder."""
    repo = Repository(example_repo)
    eid = "xs-nd-2024-10-tk-ngu-van-6-7"
    _rel, data = queries.find(repo, eid)
    codes = [c["barcode"] for c in data["copies"]]
    assert len(codes) == 10 and data["status"] == "dispatched"
    scan = write_scan(tmp_path / "da-nhan.txt", codes[:9])
    done = lifecycle.receive(repo, eid, date=dt.date(2024, 10, 12), scan=scan, by="Nguyễn Thị Thanh Tâm")
    assert done.status == "received" and done.not_received == [codes[9]]
    copies = queries.load_copies(repo, queries.find(repo, eid)[1])
    for code in codes[:9]:
        assert (copies[code][2]["status"], copies[code][2]["holder"]) == ("at-partner", "ND")
    assert copies[codes[9]][2]["status"] == "in-transit" and "holder" not in copies[codes[9]][2]


def test_return_says_how_many_of_the_copies_came_back(example_repo, tmp_path, cli):
    """Received 9 of 10: the return said 'đã trả (10 bản)'; it says 9/10, as the return minutes do,
    and the copy that never came is the one not returned."""
    eid = "xs-nd-2024-10-tk-ngu-van-6-7"
    codes = [c["barcode"] for c in queries.find(Repository(example_repo), eid)[1]["copies"]]
    scan = write_scan(tmp_path / "quet.txt", codes[:9])
    r = ("--repo", example_repo)
    assert cli(*r, "exchange", "receive", eid, "--scan", scan, "--date", "12/10/2024", "--yes").exit_code == 0
    back = cli(*r, "exchange", "return", eid, "--scan", scan, "--date", "18/12/2024")
    assert back.exit_code == 0, back.output
    assert f"Phiếu {eid}: đã trả 9/10 bản." in " ".join(back.output.split())
    assert "(10 bản)" not in back.output
    _rel, data = queries.find(Repository(example_repo), eid)
    assert [c["barcode"] for c in data["copies"] if c.get("outcome") != "returned"] == [codes[9]]
