"""`libsync undo`: take back the last commit libsync made, as a new commit.

Every commit a libsync command makes carries a ``Libsync-Command:`` trailer
(``gitops.with_trailer``). ``plan_undo`` finds the newest such commit on the current branch
and refuses, with the reason, when undoing it could lose someone's work:

* the working tree has uncommitted changes to tracked files;
* a later commit changed one of the same files (undoing would undo that too);
* the commit is a merge, or the first commit of the repository.

``apply_undo`` puts each file the commit changed back as it was before it (a file the commit
added is deleted) through the store's write path — validated as ``libsync validate`` would,
all or nothing — and commits that as "undo: …". Undoing an undo brings the change back. The
history is never rewritten: the undone commit stays in the log for reviewers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import git

from libsync import gitops
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store import write as store_write

if TYPE_CHECKING:
    from libsync.repository import Repository

SEARCH_DEPTH = 200   # commits looked at for the newest one libsync made


@dataclass
class UndoPlan:
    commit: str
    subject: str
    command: str
    author: str
    date: str
    files: dict[str, bytes | None] = field(default_factory=dict, repr=False)   # relpath → content before it
    expected: dict[str, str] = field(default_factory=dict, repr=False)   # relpath → its blob id in that commit
    changes: dict[str, str] = field(default_factory=dict)   # relpath → restored | deleted | re-created

    def to_dict(self) -> dict[str, Any]:
        return {"commit": self.commit, "subject": self.subject, "command": self.command, "author": self.author,
                "date": self.date, "files": self.changes}


def _command_of(message: str) -> str | None:
    for line in reversed(message.strip().splitlines()):
        if line.startswith(gitops.TRAILER + ":"):
            return line.split(":", 1)[1].strip()
    return None


def plan_undo(repository: Repository) -> UndoPlan:
    """What ``libsync undo`` would do (nothing is written)."""
    root = repository.root
    try:
        repo = gitops.open_repo(root)
        head = repo.head.commit
    except (LibsyncError, ValueError, git.InvalidGitRepositoryError):
        raise LibsyncError("undo.no_git") from None
    target = None
    later: list[git.Commit] = []
    for commit in repo.iter_commits(head, max_count=SEARCH_DEPTH, first_parent=True):
        if _command_of(str(commit.message)) is not None:
            target = commit
            break
        later.append(commit)
    if target is None:
        raise LibsyncError("undo.nothing", exit_code=1)
    subject = str(target.summary)
    if len(target.parents) != 1:
        raise LibsyncError("undo.not_simple", exit_code=1, commit=target.hexsha[:10], subject=subject)
    parent = target.parents[0]
    # every file the commit changed, a rename as its two names
    touched = sorted(set(repo.git.diff("--name-only", "--no-renames", parent.hexsha, target.hexsha).splitlines()))
    dirty = gitops.dirty_paths(root)
    if dirty:
        raise LibsyncError("undo.dirty", exit_code=1, paths=", ".join(dirty[:5]), n=len(dirty))
    for commit in later:
        changed = set(repo.git.diff("--name-only", "--no-renames", commit.parents[0].hexsha, commit.hexsha).splitlines()) \
            if commit.parents else set()
        overlap = sorted(changed & set(touched))
        if overlap:
            raise LibsyncError("undo.touched_later", exit_code=1, commit=target.hexsha[:10], subject=subject,
                               later=commit.hexsha[:10], later_subject=str(commit.summary), paths=", ".join(overlap[:5]))
    plan = UndoPlan(target.hexsha, subject, _command_of(str(target.message)) or "", str(target.author.name),
                    target.committed_datetime.date().isoformat())
    for rel in touched:
        try:
            blob = parent.tree / rel
        except KeyError:
            plan.files[rel] = None
            plan.changes[rel] = "deleted"
            plan.expected[rel] = (target.tree / rel).hexsha
            continue
        plan.files[rel] = blob.data_stream.read()
        try:
            plan.expected[rel] = (target.tree / rel).hexsha
            plan.changes[rel] = "restored"
        except KeyError:
            plan.expected[rel] = ""
            plan.changes[rel] = "re-created"
    # a file to re-create is in no commit since: one there now is someone's untracked work
    untracked = [rel for rel, change in plan.changes.items() if change == "re-created" and os.path.lexists(root / rel)]
    if untracked:
        raise LibsyncError("undo.dirty", exit_code=1, paths=", ".join(untracked[:5]), n=len(untracked))
    return plan


def apply_undo(repository: Repository, plan: UndoPlan) -> str | None:
    """Write the plan as one commit; returns its sha."""
    message = t("undo.commit_message", subject=plan.subject, commit=plan.commit[:10])
    message += f"\n\nThis reverts commit {plan.commit}."
    # a file changed since the plan (another command, between the question and the answer) is
    # refused: undoing now would take that change back too
    return store_write.apply(repository, plan.files, message=message, command="undo", expected=plan.expected)
