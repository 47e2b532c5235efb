"""The Git workflow of exchanges: what a step's commit says, how its files are written, and a
proposal on its own branch (``exchange/<id>``) to become a pull request.

Files are written only through the store's write path (``libsync.store.write.apply``: locked,
checked, all or none, a commit that fails undone); the branch, its push and the way back when
either fails are ``libsync.gitops``'s (``on_new_branch``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from libsync import gitops
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store import write as store_write

if TYPE_CHECKING:
    from libsync.repository import Repository


BRANCH_PREFIX = "exchange/"


def branch_name(exchange_id: str) -> str:
    """The branch a proposal is committed on."""
    return f"{BRANCH_PREFIX}{exchange_id}"


def commit_message(data: dict[str, Any], action: str, by: str | None, extra: dict[str, Any] | None = None) -> str:
    """One line for people, then trailers for machines (Exchange, Action, Status, Term, From, To,
    Copies, By and the step's own, e.g. Missing or Lost)."""
    subject = t("rotation.commit.subject", id=data["id"], status=data["status"], sender=data["from"],
                receiver=data["to"], count=len(data.get("copies") or []))
    trailers = [f"Exchange: {data['id']}", f"Action: {action}", f"Status: {data['status']}",
                f"Term: {data['term']}", f"From: {data['from']}", f"To: {data['to']}",
                f"Copies: {len(data.get('copies') or [])}"]
    if by:
        trailers.append(f"By: {by}")
    for key, value in (extra or {}).items():
        trailers.append(f"{key}: {value}")
    return subject + "\n\n" + "\n".join(trailers) + "\n"


def write_step(repo: Repository, relpath: str, data: dict[str, Any], touched: dict[str, dict[str, Any]],
               commit: bool, message: str, expected: dict[str, str] | None = None,
               dry_run: bool = False) -> tuple[list[str], str | None]:
    """Write the manifest and the touched records together (the store's write path); with
    ``commit`` one commit — a commit that fails puts the files and the index back.
    ``expected``: the files' Git blob ids as the step read them ("" for none): a file another
    command changed since is never overwritten. ``dry_run``: checked as the write would check
    them (``refuse_invalid``), nothing written. Returns the files (to be) written and the sha."""
    paths = [relpath, *sorted(touched)]
    items = [(relpath, data), *touched.items()]
    texts = store_write.render_many(repo, items)   # canonical YAML, as Repository.save writes it
    changes = {rel: text for (rel, _), text in zip(items, texts)}
    if dry_run:
        store_write.refuse_invalid({rel: text.encode("utf-8") for rel, text in changes.items()}, root=repo.root)
        return paths, None
    sha = store_write.apply(repo, dict(changes), message=message if commit else None, command="exchange",
                            expected={rel: (expected or {}).get(rel, "") for rel in changes} if expected is not None
                            else None)
    return paths, sha


def commit_on_branch(repo: Repository, relpath: str, text: str, data: dict[str, Any], by: str | None,
                     push: bool = False, remote: str = "origin") -> tuple[str | None, str, str | None]:
    """Commit a new manifest on its own branch ``exchange/<id>`` (and push it): the pull request
    of a proposal. Returns (commit sha, branch, remote pushed to or None).

    The remote and the branch name are checked first, so a missing remote or a taken name leaves
    the repository untouched; a commit or push that fails goes back to where it started
    (``gitops.on_new_branch``)."""
    if push and not gitops.has_remote(repo.root, remote):
        raise LibsyncError("git.no_remote", remote=remote)
    name = branch_name(data["id"])
    if gitops.branch_exists(repo.root, name):
        raise LibsyncError("rotation.branch_exists", branch=name)
    for ref in gitops.branch_refs(repo.root, BRANCH_PREFIX):   # proposed already, from another clone
        if ref.name == data["id"]:
            raise LibsyncError("rotation.branch_exists", branch=ref.branch)
    with gitops.on_new_branch(repo.root, name, created=[repo.path(relpath)]):
        sha = store_write.apply(repo, {relpath: text}, command="exchange propose",
                                message=commit_message(data, "propose", by))
        pushed = None
        if push:
            gitops.push(repo.root, remote, name)
            pushed = remote
    return sha, name, pushed
