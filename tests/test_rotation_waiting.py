"""Proposals waiting for review on their branch (exchange/<id>, <remote>/exchange/<id>) are listed
and shown, read from Git without touching her checkout; once merged they are listed once."""

from __future__ import annotations

import json

import git

from test_rotation_exchange import EID, MANIFEST, propose_args
from test_rotation_support import git_network, snapshot

BRANCH = f"exchange/{EID}"


def listed(cli, root, *extra):
    r = cli("--repo", root, "exchange", "list", "--format", "json", *extra)
    assert r.exit_code == 0, r.output
    return {row["id"]: row for row in json.loads(r.stdout)}


def untouched(root, repo, files, head):
    """Her checkout exactly as it was: same branch and commit, same files, nothing staged."""
    assert repo.active_branch.name == "main" and repo.head.commit.hexsha == head
    assert snapshot(root) == files and not repo.is_dirty(untracked_files=True)


def test_a_pushed_proposal_is_listed_from_its_branch_until_merged_then_once(tmp_path, cli):
    root, repo = git_network(tmp_path)
    assert EID not in listed(cli, root)
    r = cli(*propose_args(root, "--push"))
    assert r.exit_code == 0, r.output
    assert "chưa gộp" in " ".join(r.output.split())     # what propose says is what list will show
    files, head = snapshot(root), repo.head.commit.hexsha
    assert MANIFEST not in files

    rows = listed(cli, root)
    assert rows[EID]["branch"] == BRANCH and rows[EID]["status"] == "proposed" and rows[EID]["copies"] == 8
    assert rows[EID]["path"] == MANIFEST
    assert all(row["branch"] is None for key, row in rows.items() if key != EID)
    r = cli("--repo", root, "exchange", "list")
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "đề xuất, chưa gộp" in said
    assert f"Phiếu {EID} đang chờ xem xét trên nhánh {BRANCH}: pull request chưa được gộp." in said
    assert said.count(f"{EID} ") == 2                   # its row and the line saying where it waits
    assert EID in listed(cli, root, "--status", "proposed") and EID not in listed(cli, root, "--status", "approved")
    untouched(root, repo, files, head)

    # only the remote-tracking branch left (as on the partner's clone after a fetch)
    repo.git.branch("-D", BRANCH)
    assert listed(cli, root)[EID]["branch"] == f"origin/{BRANCH}"
    r = cli("--repo", root, "--lang", "en", "exchange", "list")
    assert "proposed, not merged" in r.output and f"on branch origin/{BRANCH}" in " ".join(r.output.split())
    untouched(root, repo, files, head)

    # the pull request merged: the work tree's copy, listed once, no mark
    repo.git.merge(f"origin/{BRANCH}")
    rows = listed(cli, root)
    assert rows[EID]["branch"] is None and rows[EID]["status"] == "proposed"
    r = cli("--repo", root, "exchange", "list")
    assert r.output.count(EID) == 1 and "chưa gộp" not in r.output


def test_a_local_proposal_is_shown_and_a_step_on_main_names_its_branch(tmp_path, cli):
    root, repo = git_network(tmp_path)
    assert cli(*propose_args(root)).exit_code == 0      # not pushed: only the local branch has it
    files, head = snapshot(root), repo.head.commit.hexsha
    assert listed(cli, root)[EID]["branch"] == BRANCH

    r = cli("--repo", root, "exchange", "show", EID)
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and f"đang chờ xem xét trên nhánh {BRANCH}" in said and "RTXS42" in said
    r = cli("--repo", root, "exchange", "show", EID, "--format", "json")
    shown = json.loads(r.stdout)
    assert shown["branch"] == BRANCH and shown["summary"]["branch"] == BRANCH
    assert shown["manifest"]["status"] == "proposed" and shown["path"] == MANIFEST

    # approving on main cannot work (the manifest is not there): she is told where it is
    r = cli("--repo", root, "exchange", "approve", EID)
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and f"trên nhánh {BRANCH}" in said and f"`git checkout {BRANCH}`" in said
    untouched(root, repo, files, head)

    # a merged proposal shown from the work tree has no branch
    repo.git.merge(BRANCH)
    shown = json.loads(cli("--repo", root, "exchange", "show", EID, "--format", "json").stdout)
    assert shown["branch"] is None and shown["summary"]["branch"] is None


def test_the_partners_approval_on_the_branch_is_what_she_sees(tmp_path, cli, monkeypatch):
    root, repo = git_network(tmp_path)
    assert cli(*propose_args(root, "--push")).exit_code == 0
    partner = git.Repo.clone_from(tmp_path / "remote.git", tmp_path / "partner")
    with partner.config_writer() as cw:
        cw.set_value("user", "name", "Lê Thị Hồng Nhung")
        cw.set_value("user", "email", "thuvien-hungdao@example.invalid")
    partner.git.checkout(BRANCH)
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2030-01-01T08:00:00+07:00")   # later than the proposal
    r = cli("--repo", tmp_path / "partner", "exchange", "approve", EID, "--date", "2024-10-01", "--commit")
    assert r.exit_code == 0, r.output
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    partner.git.push("origin", BRANCH)

    repo.git.fetch("origin")
    files, head = snapshot(root), repo.head.commit.hexsha
    row = listed(cli, root)[EID]
    assert (row["status"], row["branch"]) == ("approved", f"origin/{BRANCH}")   # the newer of the two branches
    r = cli("--repo", root, "exchange", "list")
    assert "đã duyệt, chưa gộp" in r.output and r.output.count(f"{EID} ") == 2
    untouched(root, repo, files, head)


def _commit_on_branch(repo, branch, relpath, text):
    """A commit on ``branch`` holding ``relpath`` (made by hand, as a careless edit would be)."""
    root = repo.working_tree_dir
    repo.git.checkout("-b", branch)
    path = f"{root}/{relpath}"
    import os

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    repo.git.add(relpath)
    repo.git.commit("-m", "hỏng")
    repo.git.checkout("main")


def test_a_broken_manifest_on_a_branch_is_a_warning_naming_branch_and_file(tmp_path, cli):
    root, repo = git_network(tmp_path, remote=False)
    bad = "exchanges/2024-2025/HK1/xs-hd-hong.yaml"
    _commit_on_branch(repo, "exchange/xs-hd-hong", bad, "id: xs-hd-hong\nstatus: [proposed\n")
    wrong = "exchanges/2024-2025/HK1/xs-hd-sai.yaml"
    _commit_on_branch(repo, "exchange/xs-hd-sai", wrong, "id: xs-hd-sai\nstatus: proposed\n")   # not the schema
    files, head = snapshot(root), repo.head.commit.hexsha

    r = cli("--repo", root, "exchange", "list")
    assert r.exit_code == 0 and "xs-hd-2024-10-truyen-thieu-nhi" in r.stdout   # the others still listed
    assert "xs-hd-hong" not in r.stdout and "xs-hd-sai" not in r.stdout
    warned = " ".join(r.stderr.split())
    assert f"Bỏ qua phiếu xs-hd-hong trên nhánh exchange/xs-hd-hong: tệp {bad}:" in warned
    assert f"Bỏ qua phiếu xs-hd-sai trên nhánh exchange/xs-hd-sai: tệp {wrong}" in warned
    assert "Traceback" not in r.output
    r = cli("--repo", root, "exchange", "list", "--format", "json")
    assert r.exit_code == 0 and "xs-hd-hong" not in r.stdout and "exchange/xs-hd-hong" in r.stderr
    json.loads(r.stdout)                                 # the warnings never reach the JSON

    r = cli("--repo", root, "exchange", "show", "xs-hd-hong")
    assert r.exit_code == 1 and "exchange/xs-hd-hong" in r.output and bad in r.output and "Hãy sửa tệp" in r.output
    r = cli("--repo", root, "exchange", "show", "xs-hd-khong-co")   # another id: not the broken one's message
    assert r.exit_code == 2 and "Không tìm thấy phiếu luân chuyển xs-hd-khong-co" in r.output
    untouched(root, repo, files, head)


def test_propose_refuses_an_id_already_proposed_from_another_clone(tmp_path, cli):
    root, repo = git_network(tmp_path)
    assert cli(*propose_args(root, "--push")).exit_code == 0
    repo.git.branch("-D", BRANCH)                       # this clone never had it: only origin/… has
    files, head = snapshot(root), repo.head.commit.hexsha
    r = cli(*propose_args(root, "--push"))
    assert r.exit_code == 2 and f"origin/{BRANCH}" in r.output
    untouched(root, repo, files, head)
    assert BRANCH not in [h.name for h in repo.heads]


def test_outside_git_nothing_waits(example_repo, cli):
    rows = listed(cli, example_repo)
    assert rows and all(row["branch"] is None for row in rows.values())
