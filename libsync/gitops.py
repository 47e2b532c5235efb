"""Git access for the network repository (GitPython): changed files, commits, branches, push.

Commits of data files are made by ``libsync.store.write.apply`` (``commit_paths`` inside its
Transaction); a branch made for some work (``on_new_branch``) has the one way back when that
work fails: the original branch checked out again and the new one deleted.

GitPython is imported on first use: importing it runs ``git version`` in a subprocess, a cost
every libsync command would otherwise pay at start-up, most of them for nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError


class _LazyGit:
    """``git`` (the GitPython module), imported when first touched."""

    def __getattr__(self, name: str) -> Any:
        import git as module

        globals()["git"] = module   # later uses go straight to the module
        return getattr(module, name)


if TYPE_CHECKING:
    import git
else:
    git = _LazyGit()


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise LibsyncError("git.not_a_repo", path=str(root)) from None


def changed_since(root: Path, ref: str) -> set[str]:
    """Paths (relative, POSIX) changed between ``ref`` and the working tree, untracked files included."""
    repo = open_repo(root)
    try:
        commit = repo.commit(ref)
    except (git.BadName, ValueError, git.GitCommandError):
        raise LibsyncError("git.bad_ref", ref=ref) from None
    try:
        out = repo.git.diff("--name-only", "--no-renames", "-z", commit.hexsha)
        untracked = repo.git.ls_files("--others", "--exclude-standard", "-z")
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=exc.stderr.strip() or str(exc)) from None
    return {p for p in (out + "\0" + untracked).split("\0") if p}


def dirty_paths(root: Path, paths: list[str] | None = None) -> list[str]:
    """Tracked files with uncommitted changes (optionally only among ``paths``)."""
    repo = open_repo(root)
    out = repo.git.status("--porcelain", "-z", "--untracked-files=no")
    dirty = [entry[3:] for entry in out.split("\0") if len(entry) > 3]
    if paths is not None:
        wanted = set(paths)
        dirty = [p for p in dirty if p in wanted]
    return dirty


def head_sha(root: Path) -> str | None:
    """The commit HEAD points at, or None (no Git repository, or no commit yet)."""
    try:
        repo = git.Repo(root, search_parent_directories=False)
        return repo.head.commit.hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, ValueError):
        return None


TRAILER = "Libsync-Command"


def with_trailer(message: str, command: str) -> str:
    """``message`` ending with the trailer that marks a commit libsync made (``Libsync-Command:``)."""
    text = message.rstrip()
    last = text.rsplit("\n\n", 1)[-1].splitlines() if "\n\n" in text else []
    joined = bool(last) and all(re.match(r"^[A-Za-z][A-Za-z0-9-]*: ", line) for line in last)
    return f"{text}{chr(10) if joined else chr(10) * 2}{TRAILER}: {command}\n"


def commit_paths(root: Path, paths: list[str], message: str, allow_empty: bool = False) -> str:
    """Stage exactly ``paths`` (additions, changes and deletions) and commit them; returns the sha.

    Staging happens in a copy of the index that replaces the real one only once the commit
    exists: a commit that fails (no identity, a hook that refuses, Ctrl-C) leaves the index
    exactly as it was."""
    repo = open_repo(root)
    index = Path(repo.index.path)
    scratch = index.with_name(f"libsync-index-{os.getpid()}")
    try:
        if index.exists():
            shutil.copyfile(index, scratch)
        with repo.git.custom_environment(GIT_INDEX_FILE=str(scratch)):
            repo.git.add("--all", "--", *paths)
            args = ["-m", message]
            if allow_empty:
                args.append("--allow-empty")
            repo.git.commit(*args, "--", *paths)
        os.replace(scratch, index)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
    finally:
        scratch.unlink(missing_ok=True)
    return repo.head.commit.hexsha


def sync_index(root: Path, paths: list[str]) -> None:
    """Make the index agree with HEAD for ``paths`` (after a commit whose index update was lost)."""
    repo = open_repo(root)
    for leftover in Path(repo.git_dir).glob("libsync-index-*"):
        leftover.unlink(missing_ok=True)
    try:
        repo.git.reset("-q", "--", *paths)
    except git.GitCommandError:
        pass


def current_branch(root: Path) -> str | None:
    """The branch checked out, or None when HEAD is detached."""
    repo = open_repo(root)
    return None if repo.head.is_detached else repo.active_branch.name


def has_remote(root: Path, remote: str) -> bool:
    return remote in [r.name for r in open_repo(root).remotes]


def branch_exists(root: Path, name: str) -> bool:
    return name in [h.name for h in open_repo(root).heads]


@dataclass(frozen=True)
class BranchRef:
    """A local branch ``<prefix><name>`` or a remote-tracking one ``<remote>/<prefix><name>``."""

    branch: str            # as Git shows it: "exchange/x" or "origin/exchange/x"
    name: str              # the part after the prefix: "x"
    remote: str | None     # None for a local branch
    sha: str               # the commit it points at
    time: int              # that commit's committer time (seconds since the epoch)


def branch_refs(root: Path, prefix: str) -> list[BranchRef]:
    """Every local branch ``<prefix>*`` and remote-tracking branch ``<remote>/<prefix>*``, from
    one ``git for-each-ref`` (local ones first, then by name); [] outside a Git work tree whose
    top is ``root``, or when Git cannot answer.

    Run as a plain subprocess, not through GitPython: importing GitPython costs a ``git version``
    and 60 ms, which a listing with no such branch (the usual case) need not pay."""
    if not (root / ".git").exists():    # a data folder inside some other work tree: not ours
        return []
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "for-each-ref", "--format=%(refname)%00%(objectname)%00%(committerdate:unix)",
             f"refs/heads/{prefix}", "refs/remotes/"],
            capture_output=True, stdin=subprocess.DEVNULL, env=env, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    local, remote = [], []
    for line in done.stdout.decode("utf-8", "surrogateescape").splitlines():
        parts = line.split("\0")
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        ref, sha, when = parts
        if ref.startswith(f"refs/heads/{prefix}"):
            short = ref[len("refs/heads/"):]
            local.append(BranchRef(short, short[len(prefix):], None, sha, int(when)))
            continue
        short = ref[len("refs/remotes/"):]
        where, sep, rest = short.partition(f"/{prefix}")   # a remote's name has no "/exchange/" in it
        if sep and where and rest and "/" not in where:
            remote.append(BranchRef(short, rest, where, sha, int(when)))
    return sorted(local, key=lambda b: b.branch) + sorted(remote, key=lambda b: b.branch)


def blobs_named(root: Path, commits: dict[str, str], folder: str) -> dict[str, list[tuple[str, str, bytes]]]:
    """For each commit of ``commits`` (sha → file name): every file of that name anywhere under
    ``folder`` in the commit, as (path, blob id, bytes). Read from Git's object store (GitPython,
    one ``git cat-file`` process for all), never by checking anything out: the work tree and
    the index are not touched. A folder's tree shared by several commits is read once."""
    if not commits:
        return {}
    repo = open_repo(root)
    memo: dict[tuple[str, str, str], list[tuple[str, str]]] = {}

    def walk(tree: git.Tree, prefix: str, name: str) -> list[tuple[str, str]]:
        key = (tree.hexsha, prefix, name)
        if key not in memo:
            found = [(f"{prefix}/{b.name}", b.hexsha) for b in tree.blobs if b.name == name]
            for sub in tree.trees:
                found += walk(sub, f"{prefix}/{sub.name}", name)
            memo[key] = found
        return memo[key]

    out: dict[str, list[tuple[str, str, bytes]]] = {}
    try:
        for sha, name in commits.items():
            try:
                top = repo.commit(sha).tree / folder
            except KeyError:
                out[sha] = []
                continue
            if not isinstance(top, git.Tree):
                out[sha] = []
                continue
            out[sha] = [(path, oid, repo.odb.stream(bytes.fromhex(oid)).read())
                        for path, oid in walk(top, folder, name)]
    except (ValueError, git.GitCommandError, git.BadName, git.BadObject) as exc:
        raise LibsyncError("git.failed", reason=str(exc).strip()) from None
    finally:
        repo.close()
    return out


@contextmanager
def on_new_branch(root: Path, name: str, created: Iterable[Path] = ()) -> Iterator[None]:
    """Create branch ``name`` at HEAD, check it out for the block, then check out the branch
    (or detached commit) she was on again: what the block committed stays on ``name`` (a
    proposal's pull request), her checkout is where it was.

    If the block fails (a commit refused, a push that fails, Ctrl-C), the way back: the original
    branch checked out again — never with -f, so other uncommitted work stays —, the new branch
    deleted with whatever was committed on it, and the files the block created (``created``)
    removed if they are still there."""
    repo = open_repo(root)
    original = repo.head.commit.hexsha if repo.head.is_detached else repo.active_branch.name
    try:
        repo.git.checkout("-b", name)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
    try:
        yield
    except BaseException:
        repo.git.checkout(original)
        repo.git.branch("-D", name)
        for path in created:
            Path(path).unlink(missing_ok=True)
        raise
    try:
        repo.git.checkout(original)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None


def push(root: Path, remote: str, branch: str) -> None:
    """Push ``branch`` to ``remote`` and track it there."""
    try:
        open_repo(root).git.push("--set-upstream", remote, branch)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None


def init_repo(root: Path, message: str) -> str:
    repo = git.Repo.init(root, initial_branch="main") if _supports_initial_branch() else git.Repo.init(root)
    repo.git.add("--all")
    try:
        repo.git.commit("-m", message)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
    return repo.head.commit.hexsha


def _supports_initial_branch() -> bool:
    try:
        return git.Git().version_info >= (2, 28)
    except git.GitCommandError:
        return False
