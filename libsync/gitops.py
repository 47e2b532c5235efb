"""Git access for the network repository (GitPython): changed files, commits, branches, push."""

from __future__ import annotations

from pathlib import Path

import git

from libsync.errors import LibsyncError


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


def commit_paths(root: Path, paths: list[str], message: str, allow_empty: bool = False) -> str:
    """Stage exactly ``paths`` (additions, changes and deletions) and commit them; returns the sha."""
    repo = open_repo(root)
    try:
        repo.git.add("--all", "--", *paths)
        args = ["-m", message]
        if allow_empty:
            args.append("--allow-empty")
        repo.git.commit(*args, "--", *paths)
    except git.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
    return repo.head.commit.hexsha


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
