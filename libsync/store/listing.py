"""Which data files the repository holds, and the content id of each: the store's first step.

A content id is the file's Git blob id (``sha1("blob <size>\\0" + bytes)``), whoever computed
it. In a Git work tree Git gives the ids of every tracked file (``git ls-files -s``) and names
what differs from its index (``ls-files -m`` and ``-o``: the stat work done in C, the racy cases
handled the way Git handles them); only files Git names as changed, untracked or ignored are read
and hashed here. Outside Git (or when Git cannot answer) the folders are walked and each file's id comes
from a small stat index (``libsync.filecache``: size, times, inode, re-hashed when the stat
alone cannot prove a file unchanged).

Because the id depends only on the bytes, everything computed from a file can be kept under
its id (``libsync.store.read``) and reused by a second clone, a CI run that restored the cache,
or after a branch switch back.

What counts as a data file is the layout's rule (``libsync.schemas.kind_of``, the folders of
``libsync.repository.DATA_DIRS``); names starting with a dot are skipped; a symbolic link is
never followed and is listed apart, for ``validate`` to report.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from libsync import schemas
from libsync.cachedir import repo_cache_dir
from libsync.filecache import FileCache, dump_json, load_json
from libsync.repository import DATA_DIRS, NETWORK_FILE, TOP_OF, Repository

GIT_TIMEOUT = 120   # seconds; a Git that does not answer is treated as no Git at all
_PATHSPEC = ("network.yaml", "network.yml", *DATA_DIRS)
STAT_INDEX = "store-stat-v1"


def blob_id(raw: bytes) -> str:
    """Git's blob id of ``raw``: what ``git hash-object`` prints."""
    digest = hashlib.sha1(b"blob %d\0" % len(raw))
    digest.update(raw)
    return digest.hexdigest()


def _blob_of(relpath: str, raw: bytes) -> str:   # libsync.filecache compute
    return blob_id(raw)


def kind_of_listed(relpath: str) -> str | None:
    """The kind of a path *already in a listing* (so governed by the layout): its top folder says."""
    cut = relpath.find("/")
    return "network" if cut < 0 else TOP_OF.get(relpath[:cut])


def is_data_path(relpath: str) -> bool:
    """A path the layout governs (hidden names skipped, as the folder walk skips them)."""
    return _kinds_in(relpath) is not None


def _kinds_in(relpath: str, _by_dir: dict[str, str | None] = {}) -> str | None:  # noqa: B006 - a memo
    """``schemas.kind_of`` for a listed path, asked once per folder (every YAML file of a folder
    under records/, exchanges/ or inventories/ has the same kind); None for hidden names."""
    if not relpath.endswith((".yaml", ".yml")) or relpath.startswith(".") or "/." in relpath:
        return None
    folder = relpath.rpartition("/")[0]
    if not folder or folder == "catalog":
        return schemas.kind_of(relpath)
    try:
        return _by_dir[folder]
    except KeyError:
        kind = _by_dir[folder] = schemas.kind_of(folder + "/x.yaml")
        return kind


@dataclass
class Listing:
    """Every data file with its content id, in path order, and the symlinks left out."""

    root: Path
    ids: dict[str, str] = field(default_factory=dict)       # relpath -> blob id, sorted by path
    symlinks: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)     # listed, but could not be read
    via_git: bool = False
    # Git only: every other file in the data folders (for the misplaced-file rule); None when
    # the folders were walked (the rule then walks them itself)
    others: list[str] | None = None
    # Git only: a key of the whole listing (Git's index and status, the changed files' ids)
    key: str = ""

    def files(self, kinds: tuple[str, ...] | None = None, prefix: str = "") -> list[str]:
        """Relative paths of the data files of ``kinds`` (all when None) under ``prefix``."""
        if kinds is None:
            return [rel for rel in self.ids if rel.startswith(prefix)]
        wanted = set(kinds)
        return [rel for rel in self.ids if rel.startswith(prefix) and kind_of_listed(rel) in wanted]

    def digest(self, relpaths: list[str] | None = None) -> str:
        """Changes whenever any of ``relpaths`` (all when None) changes, appears or goes."""
        h = hashlib.blake2b(digest_size=16)
        for rel in self.ids if relpaths is None else relpaths:
            h.update(f"{rel}\0{self.ids.get(rel, '')}\n".encode())
        return h.hexdigest()


def _git_both(root: Path, *commands: tuple[str, ...]) -> list[bytes] | None:
    """The output of each Git command (run side by side); None if any fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}   # the tree at root, nothing else
    env["GIT_OPTIONAL_LOCKS"] = "0"      # never take index.lock: a writing command may need it
    procs = []
    try:
        for args in commands:
            procs.append(subprocess.Popen(["git", "-C", str(root), *args], stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env))
        outputs = [proc.communicate(timeout=GIT_TIMEOUT)[0] for proc in procs]
    except (OSError, subprocess.SubprocessError):
        for proc in procs:
            proc.kill()
            proc.wait()
        return None
    if any(proc.returncode != 0 for proc in procs):
        return None
    return outputs


# What differs from the index: tracked files changed or deleted in the work tree, and every file
# Git does not track (ignored ones included: a data file is data, whatever .gitignore says).
# Two ``ls-files`` run side by side cost less than one ``status``, which also compares HEAD.
_CHANGED = ("ls-files", "-m", "-z", "--", *_PATHSPEC)
_UNTRACKED = ("ls-files", "-o", "-z", "--", *_PATHSPEC)
_STAGED = ("ls-files", "-s", "-z", "--", *_PATHSPEC)
LISTING_CACHE = "store-listing-v1.json"


def _index_file(root: Path) -> Path | None:
    """The Git index of the work tree holding ``root`` (``.git`` may be a folder or a file
    naming one, as in linked work trees)."""
    for folder in (root, *root.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot / "index"
        if dot.is_file():
            try:
                text = dot.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if text.startswith("gitdir:"):
                target = Path(text[7:].strip())
                return (target if target.is_absolute() else folder / target) / "index"
            return None
    return None


def _state_key(root: Path, status: bytes) -> str | None:
    """A key of everything the listing depends on: the index's bytes (every tracked path and
    blob id) and what ``ls-files`` says differs from it. None without a readable index."""
    index = _index_file(root)
    if index is None:
        return None
    try:
        with open(index, "rb") as fh:
            h = hashlib.blake2b(fh.read(), digest_size=16)
    except OSError:
        return None
    h.update(str(root).encode("utf-8", "surrogateescape"))
    h.update(status)
    return h.hexdigest()


def _named(changed: bytes, untracked: bytes) -> list[str]:
    return sorted({part.decode("utf-8", "surrogateescape") for part in (*changed.split(b"\0"), *untracked.split(b"\0"))
                   if part})


def _lstat_text(root: Path, rel: str) -> str:
    """What a path named by Git is on disk now: kind, size, times, inode (a file replaced by a
    symbolic link, deleted, or edited again under the same name changes it)."""
    try:
        st = os.lstat(root / rel)
    except OSError:
        return f"{rel}\0-"
    return f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"


def _git_state(root: Path) -> tuple[str | None, bytes, bytes] | None:
    """(state key, changed, untracked) from Git; None when Git cannot answer for ``root``. The
    key covers the index, the paths Git names as differing, and what each of those is on disk."""
    found = _git_both(root, _CHANGED, _UNTRACKED)
    if found is None:
        return None
    changed, untracked = found
    named = "\n".join(_lstat_text(root, rel) for rel in _named(changed, untracked)).encode("utf-8", "surrogateescape")
    return _state_key(root, changed + b"\0\0" + untracked + b"\0\0" + named), changed, untracked


def _linked_folder(root: Path, rel: str, memo: dict[str, bool]) -> str | None:
    """The first folder of ``rel`` (under ``root``) that is a symbolic link, if any: a file
    reached through it is never read."""
    parts = rel.split("/")[:-1]
    for n in range(1, len(parts) + 1):
        folder = "/".join(parts[:n])
        linked = memo.get(folder)
        if linked is None:
            linked = memo[folder] = os.path.islink(root / folder)
        if linked:
            return folder
    return None


def _stored_listing_ok(stored: dict[str, object]) -> bool:
    """A kept listing is only reused if every value is what ``_from_git`` writes."""
    ids, links, hashed, others = stored.get("ids"), stored.get("symlinks"), stored.get("hashed"), stored.get("others")
    if not (isinstance(ids, dict) and isinstance(links, list) and isinstance(hashed, list)
            and isinstance(others, list)):
        return False
    return (all(type(k) is str and type(v) is str and is_data_path(k) and ".." not in k.split("/")
                for k, v in ids.items())
            and all(type(r) is str and r in ids for r in hashed)
            and all(type(r) is str and ".." not in r.split("/") for r in (*links, *others)))


def quick_key(root: str | os.PathLike[str]) -> str | None:
    """The key a full listing of ``root`` would have (``Listing.key``), without listing: Git's
    index, what ``ls-files`` says differs, and the ids of those files (from their stat). None
    outside Git. What a command whose result depends on every file checks first."""
    root = Path(root).resolve()
    state = _git_state(root)
    if state is None:
        return None
    key, changed, untracked = state
    if key is None:
        return None
    memo: dict[str, bool] = {}
    hashed = [rel for rel in _named(changed, untracked)
              if is_data_path(rel) and os.path.lexists(root / rel) and not os.path.islink(root / rel)
              and _linked_folder(root, rel, memo) is None]
    if not hashed:
        return key
    listing = Listing(root)
    _hash_files(listing, hashed)
    return _with_hashed(key, listing, hashed)


def _from_git(root: Path, use_cache: bool = True) -> Listing | None:
    """The listing as Git sees it; None when ``root`` is not in a Git work tree Git can read.

    When neither the index nor the status changed since the last listing, that listing is
    reused (files Git reports as changed are still re-checked by their stat)."""
    state = _git_state(root)
    if state is None:
        return None
    key, changed, untracked = state
    key = key if use_cache else None
    cache_file = repo_cache_dir(root) / LISTING_CACHE
    if key is not None:
        stored = load_json(cache_file)
        if isinstance(stored, dict) and stored.get("key") == key and _stored_listing_ok(stored):
            listing = Listing(root, stored["ids"], stored["symlinks"], via_git=True, others=stored["others"])
            if stored["hashed"]:
                _hash_files(listing, stored["hashed"], use_cache)   # changed files: their stat decides again
            listing.key = _with_hashed(key, listing, stored["hashed"])
            return listing
    found = _git_both(root, _STAGED)
    if found is None:
        return None
    staged = found[0]
    listing = Listing(root, via_git=True)
    known: dict[str, str] = {}
    links: set[str] = set()
    for entry in staged.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, oid, stage = meta.split(b" ")
        rel = raw_path.decode("utf-8", "surrogateescape")
        if mode == b"120000":
            links.add(rel)
        elif mode.startswith(b"100") and stage == b"0":
            known[rel] = oid.decode()
        elif stage != b"0":
            known[rel] = ""   # in a merge conflict: read what is on disk
    hash_here: set[str] = set()
    for part in untracked.split(b"\0"):
        if part:
            hash_here.add(part.decode("utf-8", "surrogateescape"))
    for part in changed.split(b"\0"):
        if part:
            rel = part.decode("utf-8", "surrogateescape")
            if os.path.lexists(root / rel):
                hash_here.add(rel)
            else:                       # deleted in the work tree
                known.pop(rel, None)
                links.discard(rel)
    memo: dict[str, bool] = {}
    for rel in hash_here:
        known.pop(rel, None)
        links.discard(rel)
        folder = _linked_folder(root, rel, memo)
        if folder is not None:          # reached through a symbolic link to a folder: never read
            links.add(folder)
        elif os.path.islink(root / rel):
            links.add(rel)
        else:
            known[rel] = ""
    # a tracked file whose folder is now a symbolic link: Git looks through the link and says
    # nothing; such a file is never read (checked once per folder)
    linked: dict[str, str | None] = {}
    for folder in {rel.rpartition("/")[0] for rel in known}:
        linked[folder] = _linked_folder(root, folder + "/x", memo) if folder else None
    for rel in [rel for rel in known if linked.get(rel.rpartition("/")[0])]:
        links.add(linked[rel.rpartition("/")[0]] or rel)
        del known[rel]
    listing.symlinks = sorted(rel for rel in links if _under_layout(rel))
    todo = [rel for rel, oid in known.items() if not oid and is_data_path(rel)]
    listing.ids = {rel: oid for rel, oid in sorted(known.items()) if is_data_path(rel)}
    listing.others = sorted(rel for rel in known if rel not in listing.ids and not rel.endswith("/")
                            and _under_layout(rel, hidden=True))
    if todo:
        _hash_files(listing, todo, use_cache)
    if key is not None:
        listing.key = _with_hashed(key, listing, todo)
        dump_json(cache_file, {"key": key, "ids": {r: ("" if r in todo else o) for r, o in listing.ids.items()},
                               "symlinks": listing.symlinks, "hashed": todo, "others": listing.others})
    return listing


def _with_hashed(key: str, listing: Listing, hashed: list[str]) -> str:
    """The state key completed with the ids of the files Git reported as changed."""
    if not hashed:
        return key
    h = hashlib.blake2b(key.encode(), digest_size=16)
    for rel in sorted(hashed):
        h.update(f"{rel}\0{listing.ids.get(rel, '')}\n".encode())
    return h.hexdigest()


def _under_layout(relpath: str, hidden: bool = False) -> bool:
    """In a data folder (or the network file); with ``hidden``, hidden names count too."""
    top = relpath.split("/", 1)[0]
    return (top in DATA_DIRS or relpath in (NETWORK_FILE, "network.yml")) and (
        hidden or not any(p.startswith(".") for p in relpath.split("/")))


def _hash_files(listing: Listing, relpaths: list[str], use_cache: bool = True) -> None:
    """Fill in the ids of ``relpaths`` from the stat index (reading only what changed)."""
    cache = FileCache(listing.root, STAT_INDEX, 1, enabled=use_cache)
    found = cache.cached_map(relpaths, _blob_of, keep=frozenset())
    for rel in relpaths:
        oid = found.get(rel)
        if oid is None:
            listing.unreadable.append(rel)
            listing.ids[rel] = ""
        else:
            listing.ids[rel] = oid


def _from_walk(root: Path, use_cache: bool = True) -> Listing:
    repo = Repository(root)
    files = repo.data_files()
    listing = Listing(root, symlinks=list(repo.symlinks))
    listing.ids = dict.fromkeys(files, "")
    _hash_files(listing, files, use_cache)
    return listing


def list_files(root: str | os.PathLike[str], use_git: bool = True, use_cache: bool = True) -> Listing:
    """The data files of the repository at ``root`` with their content ids."""
    root = Path(root).resolve()
    if use_git and os.environ.get("LIBSYNC_NO_GIT_LISTING") != "1":
        found = _from_git(root, use_cache)
        if found is not None:
            return found
    return _from_walk(root, use_cache)
