"""Git access for the network repository (GitPython): changed files, commits, branches, push.

GitPython is imported on first use: importing it runs ``git version`` in a subprocess, a cost
every libsync command would otherwise pay at start-up, most of them for nothing."""

from __future__ import annotations

import os
import shutil
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
