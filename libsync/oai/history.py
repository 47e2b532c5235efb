"""When each record file last changed, and which record files were removed: read from Git history.

Owns the two Git reads of the OAI-PMH provider:

* **one ``git log`` pass** over ``records/`` along the first-parent line of HEAD (a merge counts as
  the commit that brought its changes in, so a branch merged today is "changed today"), giving for
  every path that ever held a record file the time of the commit that last changed it, the blob ids
  it has held (newest first) and whether that last change removed it. Commit times are made
  monotonic along the line (a commit dated before its parent takes its parent's time), so a
  harvester asking ``from=`` its last harvest never misses a change made on a machine with a slow
  clock. Kept on disk keyed by HEAD (``oai-history``, in the repository's cache folder); when HEAD
  moved on from the kept one, only the new commits are read;
* **one ``git cat-file --batch``** for the few historic versions whose sharing matters (records
  removed, or no longer visible to an audience): their ``library``, ``share`` and ``type``, kept on
  disk by blob id (a blob's content never changes).

Must never: read the work tree's records (the store does that), write into the repository, or run
one Git command per record.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from libsync.cachedir import repo_cache_dir
from libsync.filecache import dump_json, load_json

GIT_TIMEOUT = 300          # seconds for one history pass (a very long history on a slow disk)
HISTORY_CACHE = "oai-history-v1.json"
FACTS_CACHE = "oai-blob-facts-v1.json"
EMPTY_BLOB = "0" * 40


@dataclass(slots=True)
class PathHistory:
    """One record path's history on the first-parent line of HEAD."""

    time: int                                        # Unix seconds of the last change (monotonic)
    removed: bool                                    # the last change removed the file
    blobs: list[str] = field(default_factory=list)   # the blob ids it held, newest first


@dataclass
class History:
    head: str                          # the commit read up to ("" before the first commit)
    paths: dict[str, PathHistory]
    first: int = 0                     # time of the oldest commit touching records/ (0: none)
    last: int = 0                      # the monotonic time of HEAD's line at its newest change


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """Git's output, or None when Git cannot answer (not a work tree, no commit, no git)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "-c", "core.quotePath=false", *args], check=False, input=stdin,
                              capture_output=True, timeout=GIT_TIMEOUT, env=_env(),
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def in_git(root: Path) -> bool:
    out = _git(root, "rev-parse", "--is-inside-work-tree")
    return out is not None and out.strip() == b"true"


def head(root: Path) -> str | None:
    """HEAD's commit id; "" in a work tree with no commit yet; None outside Git."""
    out = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if out is not None:
        return out.decode().strip()
    return "" if in_git(root) else None


def _is_record_path(rel: str) -> bool:
    parts = rel.split("/")
    return (len(parts) == 3 and parts[0] == "records" and parts[2].endswith((".yaml", ".yml"))
            and not parts[1].startswith(".") and not parts[2].startswith("."))


def _read_log(root: Path, since: str | None) -> list[tuple[int, list[tuple[str, str, str]]]] | None:
    """``[(commit time, [(status, new blob, path) …]) …]``, newest commit first; None on failure."""
    span = f"{since}..HEAD" if since else "HEAD"
    out = _git(root, "log", "--first-parent", "-m", "--raw", "--no-abbrev", "--no-renames", "--relative",
               "--format=%x01%ct", span, "--", "records")
    if out is None:
        return None
    commits: list[tuple[int, list[tuple[str, str, str]]]] = []
    for line in out.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("\x01"):
            commits.append((int(line[1:].strip() or 0), []))
        elif line.startswith(":") and commits:
            meta, _, path = line.partition("\t")
            fields = meta.split()
            if len(fields) >= 5 and not path.startswith('"') and _is_record_path(path):
                commits[-1][1].append((fields[4][:1], fields[3], path))
    return commits


def _apply(history: History, commits: list[tuple[int, list[tuple[str, str, str]]]]) -> None:
    """Add ``commits`` (newest first, all newer than what ``history`` holds) to ``history``."""
    running = history.last
    timed: list[tuple[int, list[tuple[str, str, str]]]] = []
    for when, changes in reversed(commits):          # oldest first: times made monotonic
        running = max(running, when)
        timed.append((running, changes))
        if history.first == 0:
            history.first = running
    history.last = running
    for when, changes in timed:                      # oldest first: a later change wins
        for status, blob, path in changes:
            entry = history.paths.get(path)
            if entry is None:
                entry = history.paths[path] = PathHistory(when, False)
            entry.time = when
            entry.removed = status == "D"
            if status != "D" and blob != EMPTY_BLOB and (not entry.blobs or entry.blobs[0] != blob):
                entry.blobs.insert(0, blob)


def _stored(root: Path) -> History | None:
    data = load_json(repo_cache_dir(root) / HISTORY_CACHE)
    if not isinstance(data, dict) or not isinstance(data.get("head"), str) or not isinstance(data.get("paths"), dict):
        return None
    try:
        paths = {str(p): PathHistory(int(v[0]), bool(v[1]), [str(b) for b in v[2]]) for p, v in data["paths"].items()}
        return History(data["head"], paths, int(data.get("first", 0)), int(data.get("last", 0)))
    except (TypeError, ValueError, IndexError):
        return None


def _store(root: Path, history: History) -> None:
    dump_json(repo_cache_dir(root) / HISTORY_CACHE, {
        "head": history.head, "first": history.first, "last": history.last,
        "paths": {p: [e.time, e.removed, e.blobs] for p, e in history.paths.items()},
    })


def load(root: Path, use_cache: bool = True) -> History | None:
    """The history of ``records/`` up to HEAD; None outside Git (or when Git cannot answer)."""
    root = Path(root)
    current = head(root)
    if current is None:
        return None
    if current == "":
        return History("", {})
    kept = _stored(root) if use_cache else None
    if kept is not None and kept.head == current:
        return kept
    since = None
    if kept is not None and kept.head and _git(root, "merge-base", "--is-ancestor", kept.head, current) is not None:
        since = kept.head
    commits = _read_log(root, since)
    if commits is None:
        return None
    history = kept if since is not None and kept is not None else History(current, {})
    history.head = current
    _apply(history, commits)
    if use_cache:
        _store(root, history)
    return history


# --- what old versions said --------------------------------------------------------------------

Facts = tuple[str, str, str] | None    # (library, share, type) of a version; None: not a record mapping


def _facts_of(raw: bytes) -> Facts:
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    return str(data.get("library") or ""), str(data.get("share") or "internal"), str(data.get("type") or "")


def blob_facts(root: Path, blobs: Iterable[str], use_cache: bool = True) -> dict[str, Facts]:
    """``{blob id: (library, share, type)}`` of historic record versions, read in one Git call
    (the ones not kept on disk from an earlier call). A version Git no longer has, or that is
    not a YAML mapping, gives None: it is never taken to have been visible."""
    root = Path(root)
    wanted = sorted(set(blobs))
    cache_file = repo_cache_dir(root) / FACTS_CACHE
    kept_raw = load_json(cache_file) if use_cache else None
    kept: dict[str, Facts] = {}
    if isinstance(kept_raw, dict):
        for blob, value in kept_raw.items():
            if isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value):
                kept[blob] = (value[0], value[1], value[2])
    out = {b: kept[b] for b in wanted if b in kept}
    todo = [b for b in wanted if b not in kept]
    if todo:
        raw = _git(root, "cat-file", "--batch", stdin=("\n".join(todo) + "\n").encode())
        found = _split_batch(raw or b"")
        for blob in todo:
            out[blob] = _facts_of(found[blob]) if blob in found else None
        if use_cache:
            kept.update({b: f for b, f in out.items() if f is not None})
            dump_json(cache_file, {b: list(f) for b, f in kept.items() if f is not None})
    return out


def _split_batch(raw: bytes) -> dict[str, bytes]:
    """The contents of ``git cat-file --batch`` output by object id (missing objects left out)."""
    found: dict[str, bytes] = {}
    pos = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:
            break
        header = raw[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[header[0].decode()] = raw[pos:pos + size]
            pos += size + 1
        elif len(header) == 3:       # another kind of object: skip its content
            pos += int(header[2]) + 1
    return found
