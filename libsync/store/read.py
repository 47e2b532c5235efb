"""The one way commands read the repository: listing, the examination cache, the read policy.

**Listing** (``libsync.store.listing``): every data file and its Git blob id.

**Examination.** Each data file is read once per content: parsed strictly (``yamlio``) and given
every single-file check of ``libsync validate`` (reading, schema, the file's own rules), which
leaves behind the document, its problems and the small facts the cross-file rules need
(``libsync.validation.engine.check_document``). The outcome is kept in one SQLite file in the
cache folder (``libsync.cachedir``, outside the repository, shared by every clone on the
machine), keyed by path and blob id, in a file named after the code and schema fingerprint (a
new libsync or schema starts a new one). Files not in the cache are examined on both cores when
there are many. The cache is a convenience: missing, locked, corrupt or unwritable, it costs
time, never a wrong answer (a row is only used for the exact bytes it was computed from).

**Read policy (one, for every command).** A document is *usable* when it reads and fits its
schema, and (records and snapshots) its folder agrees with its ``library`` and ``id``: the
checks ``libsync validate`` makes on the file alone, minus the rules that only make data
incomplete (a bad ISBN checksum, dates out of order …), so such a record can still be read
and fixed. A file that is not usable is *never* used:

* ``strict=True`` (commands that act on copies or write: rotation, inventory, import): the
  command stops with validate's first messages, file and line (exit 1; 2 if unreadable);
* ``strict=False`` (views: merge, search, the web catalogue, export): the file is left out and
  named in ``problems``, which the CLI prints on stderr (never in the output, which may be public).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import orjson

from libsync import parallel, progress, schemas
from libsync.cachedir import cache_root
from libsync.errors import LibsyncError, os_reason
from libsync.problems import ERROR, Problem, valid_state
from libsync.store.listing import Listing, blob_id, kind_of_listed, list_files
from libsync.validation.gate import READING_RULES

PARALLEL_FROM = 400      # files to examine; below this one process is faster
CHUNK = 200
WORKERS = min(2, os.cpu_count() or 1)
BATCH = 900              # rows asked of SQLite at a time (below its variable limit)
LAYOUT = 2               # of the cache's table (part of its file name)
# Problems that make a file unusable (see the module docstring): reading (the gate's list), shape
# (every ``schema-*`` rule), and the folder's ownership. Every other problem only makes the data
# incomplete.
REFUSING = READING_RULES | {"unsafe-id", "path-mismatch"}


def _refusing(rule: str, severity: str) -> bool:
    return severity == ERROR and (rule in REFUSING or rule.startswith("schema-"))


def refuses(problem: Problem) -> bool:
    """Does ``problem`` make its file unusable (the read policy)?"""
    return _refusing(problem.rule, problem.severity)


@dataclass(slots=True)
class Exam:
    """What examining one file left: the document (``None`` if it could not be read as a
    mapping), every single-file problem (as ``Problem.to_state`` states) and the facts."""

    relpath: str
    oid: str
    data: Any = None
    problems: list[list[Any]] = field(default_factory=list)
    facts: Any = None
    copies: Any = None       # records: the copy index's view of it (``libsync.store.copies.copy_view``)

    def problem_list(self) -> list[Problem]:
        return [Problem.from_state(s) for s in self.problems]

    def refusal(self) -> list[Problem]:
        """The problems that make the file unusable ([] when it is usable)."""
        found = [p for p in self.problem_list() if refuses(p)]
        if not found and not isinstance(self.data, dict):
            found = [p for p in self.problem_list() if p.severity == ERROR]
        return found

    @property
    def usable(self) -> bool:
        shaped = isinstance(self.data, dict) or self.copies is not None   # copies: only of a mapping
        return shaped and not any(_refusing(s[3], s[6]) for s in self.problems)


# --- examining one file ------------------------------------------------------------------------

def examine_bytes(relpath: str, raw: bytes, oid: str | None = None) -> Exam:
    """Every single-file check of ``raw`` as the file at ``relpath`` (see the module docstring)."""
    from libsync.validation.engine import check_document

    kind = schemas.kind_of(relpath)
    if kind is None:
        raise ValueError(f"not a data file: {relpath}")
    problems, facts, data = check_document(kind, relpath, raw)
    return Exam(relpath, oid or blob_id(raw), data, [p.to_state() for p in problems], facts)


def _unreadable(relpath: str, oid: str, reason: str) -> Exam:
    problem = Problem(relpath, None, None, "unreadable", "file.unreadable", {"path": relpath, "reason": reason})
    return Exam(relpath, oid, None, [problem.to_state()], None)


def _read_raw(root: str, relpath: str) -> bytes:
    fd = os.open(os.path.join(root, relpath), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))   # never a symlink
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


Row = tuple[str, str, bytes | None, bytes, bytes, bytes | None, bool]


def _examine_path(root: str, relpath: str) -> Row:
    """(relpath, oid, data, problems, facts, copies, cacheable) as orjson bytes: cheap to send
    between processes. An unreadable file is reported, never cached."""
    try:
        raw = _read_raw(root, relpath)
    except OSError as exc:
        exam = _unreadable(relpath, "", os_reason(exc))
        return relpath, "", None, orjson.dumps(exam.problems), b"null", None, False
    exam = examine_bytes(relpath, raw)
    try:
        data = copies = None
        if isinstance(exam.data, dict):
            data = orjson.dumps(exam.data)
            if schemas.kind_of(relpath) == "record":
                from libsync.store.copies import copy_view

                copies = orjson.dumps(copy_view(exam.data, relpath))
        return relpath, exam.oid, data, orjson.dumps(exam.problems), orjson.dumps(exam.facts), copies, True
    except (TypeError, orjson.JSONEncodeError):
        # a value JSON cannot hold (an integer beyond 64 bits …): examined again each time
        return relpath, exam.oid, None, orjson.dumps(exam.problems), b"null", None, False


def _examine_chunk(args: tuple[str, list[str]]) -> list[Row]:
    root, relpaths = args
    return [_examine_path(root, rel) for rel in relpaths]


def _facts_ok(kind: str | None, facts: Any) -> bool:
    """Facts of the shape the cross-file rules read (``libsync.validation.rules.CHECKERS``)."""
    if facts is None:
        return True
    if kind == "record":
        return (isinstance(facts, list) and len(facts) == 4 and isinstance(facts[2], list)
                and all(isinstance(i, list) and len(i) == 4 and isinstance(i[0], str) and isinstance(i[3], int)
                        for i in facts[2])
                and (facts[3] is None or (isinstance(facts[3], list) and all(isinstance(x, str) for x in facts[3]))))
    if kind == "exchange":
        return (isinstance(facts, dict) and isinstance(facts.get("copies"), list)
                and all(isinstance(c, list) and len(c) == 4 and isinstance(c[2], int) for c in facts["copies"]))
    if kind == "network":
        return isinstance(facts, dict) and all(isinstance(facts.get(k), list) for k in ("libraries", "terms", "groups"))
    return isinstance(facts, dict)


def _decode(relpath: str, oid: str, values: dict[str, Any]) -> Exam | None:
    """An ``Exam`` from a cache row, or None when the row is not what this code writes."""
    try:
        data = orjson.loads(values["data"]) if values.get("data") else None
        problems = orjson.loads(values["problems"]) if "problems" in values else []
        facts = orjson.loads(values["facts"]) if values.get("facts") else None
        copies = orjson.loads(values["copies"]) if values.get("copies") else None
    except (orjson.JSONDecodeError, TypeError):
        return None
    kind = kind_of_listed(relpath)
    if not (data is None or isinstance(data, dict)) or not isinstance(problems, list) \
            or (problems and not all(map(valid_state, problems))) or not _facts_ok(kind, facts):
        return None
    if "copies" in values and kind == "record":
        from libsync.store.copies import view_ok

        if copies is None:
            if not any(_refusing(s[3], s[6]) for s in problems):
                return None   # a usable record always has its view: this row is not what we wrote
        elif not view_ok(copies):
            return None
    for state in problems:
        state[0] = relpath
    return Exam(relpath, oid, data, problems, facts, copies)


# --- the cache ----------------------------------------------------------------------------------

def _cache_file() -> Path:
    from libsync.validation.gate import fingerprint

    return cache_root() / "store" / f"exam-v{LAYOUT}-{fingerprint()[:24]}.sqlite"


class ExamCache:
    """``(path, blob id) → examination`` in SQLite. Every failure is a miss, never an error."""

    def __init__(self, enabled: bool = True) -> None:
        self.db: sqlite3.Connection | None = None
        self.path: Path | None = None
        if enabled:
            self._open()

    def _open(self) -> None:
        path = self.path = _cache_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS exam (path TEXT NOT NULL, oid TEXT NOT NULL, data BLOB,"
                       " problems BLOB NOT NULL, facts BLOB, copies BLOB, UNIQUE (path, oid))")   # rows of kilobytes: a rowid table
            # digests of whole file sets known to be in ``exam`` (a warm run asks one row, not all)
            db.execute("CREATE TABLE IF NOT EXISTS complete (digest TEXT PRIMARY KEY) WITHOUT ROWID")
            self.db = db
        except (sqlite3.Error, OSError):
            self.db = None
            self._drop_corrupt(path)

    @staticmethod
    def _drop_corrupt(path: Path) -> None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
            if head and head != b"SQLite format 3\0":
                path.unlink()
        except OSError:
            pass

    def get(self, wanted: dict[str, str], columns: str = "data, problems, facts") -> dict[str, tuple[Any, ...]]:
        """``{relpath: (column values …)}`` for the (relpath → oid) pairs the cache holds."""
        if self.db is None or not wanted:
            return {}
        out: dict[str, tuple[Any, ...]] = {}
        paths = list(wanted)
        try:
            for start in range(0, len(paths), BATCH):
                part = paths[start:start + BATCH]
                marks = ",".join("?" * len(part))
                for row in self.db.execute(f"SELECT path, oid, {columns} FROM exam WHERE path IN ({marks})", part):
                    if wanted.get(row[0]) == row[1]:
                        out[row[0]] = row[2:]
        except sqlite3.Error as exc:
            self._broken(exc)
            return {}
        return out

    def _broken(self, exc: sqlite3.Error) -> None:
        """Stop using the cache; a file SQLite calls malformed is removed (the next command
        starts a new one) — a locked one is left alone."""
        self.db = None
        if self.path is not None and isinstance(exc, sqlite3.DatabaseError) \
                and not isinstance(exc, sqlite3.OperationalError):
            for suffix in ("", "-wal", "-shm"):
                try:
                    Path(str(self.path) + suffix).unlink()
                except OSError:
                    pass

    def complete(self, digest: str) -> bool:
        if self.db is None:
            return False
        try:
            return self.db.execute("SELECT 1 FROM complete WHERE digest = ?", (digest,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def mark_complete(self, digest: str) -> None:
        if self.db is not None:
            try:
                self.db.execute("INSERT OR IGNORE INTO complete VALUES (?)", (digest,))
            except sqlite3.Error:
                pass

    def put(self, rows: list[tuple[str, str, bytes | None, bytes, bytes, bytes | None]]) -> None:
        if self.db is None or not rows:
            return
        try:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO exam VALUES (?, ?, ?, ?, ?, ?)", rows)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if not isinstance(exc, sqlite3.OperationalError):   # locked or busy: only this write is lost
                self._broken(exc)


# --- the store ----------------------------------------------------------------------------------

_SESSIONS: list[int] = []


@contextmanager
def session() -> Iterator[None]:
    """Within this block ``Store.of(repo)`` lists a repository once (see ``Store.of``)."""
    _SESSIONS.append(1)
    try:
        yield
    finally:
        _SESSIONS.pop()


@dataclass
class Loaded:
    """Usable documents of one kind, in path order, and the files left out (``strict=False``)."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stamp: str = ""

    @property
    def records(self) -> list[dict[str, Any]]:   # the name every record consumer uses
        return self.documents


class Store:
    """The repository as commands read it. One per command run (the listing is taken once);
    ``refresh()`` after writing."""

    def __init__(self, root: str | os.PathLike[str], use_cache: bool = True, workers: int | None = None) -> None:
        self.root = Path(root).resolve()
        self.use_cache = use_cache
        self.workers = WORKERS if workers is None else workers
        self.stats = {"examined": 0, "cached": 0}

    @classmethod
    def of(cls, repo: Any, use_cache: bool = True) -> Store:
        """The store of a ``Repository``. Inside a ``session`` (one CLI command) it is kept on
        the repository, so every step of the command shares one listing (a writing step
        refreshes it); outside one, each call lists the repository afresh, so library code that
        edits files between calls is never served an old listing."""
        if not _SESSIONS:
            return cls(repo.root, use_cache)
        store = getattr(repo, "_store", None)
        if store is None or store.use_cache != use_cache:
            store = cls(repo.root, use_cache)
            try:
                repo._store = store
            except AttributeError:
                pass
        return store

    @cached_property
    def listing(self) -> Listing:
        return list_files(self.root, use_cache=self.use_cache)

    @cached_property
    def cache(self) -> ExamCache:
        return ExamCache(self.use_cache)

    def refresh(self) -> None:
        self.__dict__.pop("listing", None)

    def files(self, kinds: tuple[str, ...] | None = None, prefix: str = "") -> list[str]:
        return self.listing.files(kinds, prefix)

    def stamp(self, kinds: tuple[str, ...] | None = None) -> str:
        """Changes whenever a file of ``kinds`` changes, appears or goes (no file is read)."""
        return self.listing.digest(self.files(kinds))

    # --- examinations ---------------------------------------------------------------------------
    def ensure(self, relpaths: list[str]) -> dict[str, Exam]:
        """Examine whatever of ``relpaths`` the cache lacks (in parallel when many), store it, and
        return the exams that cannot be cached (unreadable files …) so callers still see them."""
        ids = self.listing.ids
        marker = self.listing.digest(relpaths) if self.use_cache else ""
        if marker and self.cache.complete(marker):
            self.stats["cached"] += len(relpaths)
            return {}
        wanted = {rel: ids.get(rel, "") for rel in relpaths}
        have = self.cache.get({r: o for r, o in wanted.items() if o}, "1") if self.use_cache else {}
        todo = [rel for rel in relpaths if rel not in have]
        self.stats["cached"] += len(have)
        self.stats["examined"] += len(todo)
        extra: dict[str, Exam] = {}
        done = 0
        for part in self._run(todo):
            done += len(part)
            progress.step("read", done, len(todo))
            rows = []
            for rel, oid, data, problems, facts, copies, cacheable in part:
                if oid and oid != ids.get(rel):
                    ids[rel] = oid          # changed since the listing: what was read is what counts
                if cacheable:
                    rows.append((rel, oid, data, problems, facts, copies))
                if not cacheable and oid:      # read, but JSON cannot hold it: examined here, kept as is
                    extra[rel] = self._examine_now(rel)
                elif not cacheable or not self.use_cache or self.cache.db is None:
                    extra[rel] = Exam(rel, oid, orjson.loads(data) if data else None, orjson.loads(problems),
                                      orjson.loads(facts), orjson.loads(copies) if copies else None)
            self.cache.put(rows)
        if marker and not extra and self.cache.db is not None and self.listing.digest(relpaths) == marker:
            self.cache.mark_complete(marker)
        return extra

    def _run(self, todo: list[str]) -> Iterator[list[Row]]:
        root = str(self.root)
        if self.workers > 1 and len(todo) >= PARALLEL_FROM:
            for kind in schemas.KINDS:            # compile once, before the workers fork
                if schemas.schema_path(kind).exists():
                    schemas.fast_validator(kind)
            chunks = [(root, todo[i:i + CHUNK]) for i in range(0, len(todo), CHUNK)]
            try:
                with parallel.executor(self.workers) as pool:
                    yield from pool.map(_examine_chunk, chunks)
                return
            except (OSError, BrokenProcessPool):
                pass  # no pool to be had here: one core it is (nothing was stored twice: INSERT OR REPLACE)
        for start in range(0, len(todo), CHUNK):
            yield _examine_chunk((root, todo[start:start + CHUNK]))

    def exams(self, relpaths: list[str], columns: tuple[str, ...] = ("data", "problems", "facts")) -> Iterator[Exam]:
        """The examination of each of ``relpaths``, in that order, streamed in batches (at most a
        batch of documents is held here at once)."""
        extra = self.ensure(relpaths)
        ids = self.listing.ids
        cols = ", ".join(columns)
        for start in range(0, len(relpaths), BATCH):
            part = relpaths[start:start + BATCH]
            rows = self.cache.get({rel: ids.get(rel, "") for rel in part if rel not in extra}, cols)
            for rel in part:
                if rel in extra:
                    yield extra[rel]
                    continue
                row = rows.get(rel)
                exam = None if row is None else _decode(rel, ids.get(rel, ""), dict(zip(columns, row)))
                if exam is None:   # not in the cache after all (gone, or tampered with): examine it here
                    exam = self._examine_now(rel)
                yield exam

    def _examine_now(self, relpath: str) -> Exam:
        """Examine one file here (the document kept as Python data, even one JSON cannot hold)."""
        try:
            raw = _read_raw(str(self.root), relpath)
        except OSError as exc:
            return _unreadable(relpath, "", os_reason(exc))
        exam = examine_bytes(relpath, raw)
        if isinstance(exam.data, dict) and schemas.kind_of(relpath) == "record":
            from libsync.store.copies import copy_view

            exam.copies = copy_view(exam.data, relpath)
        return exam

    # --- documents, by the read policy ----------------------------------------------------------
    def iter_documents(self, relpaths: list[str], strict: bool = True,
                       skipped: list[Problem] | None = None, view: str = "data") -> Iterator[tuple[str, Any]]:
        """(relpath, document) of each usable file of ``relpaths``; an unusable one raises
        (``strict``) or is left out and its problems appended to ``skipped``. ``view="copies"``
        gives, for records, the copy index's small view of the document instead of all of it."""
        from libsync.validation.gate import refusal

        for exam in self.exams(relpaths, (view, "problems")):
            if exam.usable:
                yield exam.relpath, exam.data if view == "data" else exam.copies
                continue
            problems = exam.refusal()
            if strict:
                raise refusal(exam.relpath, problems)
            if skipped is not None:
                skipped.extend(problems[:1] or [Problem(exam.relpath, None, None, "unreadable",
                                                        "validate.refused_unknown", {"path": exam.relpath})])

    def documents(self, kinds: tuple[str, ...], strict: bool = True, prefix: str = "") -> Loaded:
        """Every usable document of ``kinds`` (under ``prefix``), in path order."""
        files = self.files(kinds, prefix)
        out = Loaded(stamp=self.listing.digest(files))
        for rel, data in self.iter_documents(files, strict, out.problems):
            out.documents.append(data)
            out.paths.append(rel)
        return out

    def records(self, strict: bool = False, library: str | None = None) -> Loaded:
        return self.documents(("record",), strict, f"records/{library}/" if library else "")

    def current(self, relpaths: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """``iter_documents(relpaths, strict=True)`` of the files as they are *now*: each is read
        and hashed again first (for a file about to be rewritten, the listing taken at the start
        of the command may be older than the file)."""
        ids = self.listing.ids
        new = False
        for rel in relpaths:
            new = new or rel not in ids
            try:
                ids[rel] = blob_id(_read_raw(str(self.root), rel))
            except OSError:
                ids[rel] = ""   # examined below: unreadable, with the reason
        if new:
            self.listing.ids = dict(sorted(ids.items()))
        return self.iter_documents(relpaths, strict=True)

    def load(self, relpath: str) -> dict[str, Any]:
        """One usable document (any kind); else the refusal with file and line. A file the
        listing holds is read as listed; any other (or any, before the repository was listed)
        is read now, by its bytes' id, through the same cache."""
        if "listing" in self.__dict__ and relpath in self.listing.ids:
            for _, data in self.iter_documents([relpath], strict=True):
                if isinstance(data, dict):
                    return data
            raise LibsyncError("validate.refused_unknown", path=relpath)   # pragma: no cover - strict raised
        from libsync.validation import gate

        if schemas.kind_of(relpath) is None:
            return gate.read(self.root, relpath)      # not a data file of the layout: read it as it is
        exam = self.examine(relpath)
        if exam.usable and isinstance(exam.data, dict):
            return exam.data
        raise gate.refusal(relpath, exam.refusal())

    def examine(self, relpath: str) -> Exam:
        """The examination of one data file as it is now (by its bytes' id, through the cache),
        whatever it found: for a caller that words its own refusal. A missing, unreadable or
        symlinked file raises with the reason."""
        from libsync.validation import gate

        raw = gate.read_bytes(self.root, relpath)    # missing, unreadable, a symlink: the reason, with the file
        return self.examine_raw(relpath, raw)

    def examine_raw(self, relpath: str, raw: bytes) -> Exam:
        """The examination of ``raw`` as the data file ``relpath`` (bytes read elsewhere: the
        file as it is on another Git branch), through the cache by the bytes' id."""
        oid = blob_id(raw)
        row = self.cache.get({relpath: oid}, "data, problems") if self.use_cache else {}
        exam = _decode(relpath, oid, dict(zip(("data", "problems"), row[relpath]))) if relpath in row else None
        if exam is None:
            exam = examine_bytes(relpath, raw, oid)
            try:
                if isinstance(exam.data, dict):
                    view = None
                    if schemas.kind_of(relpath) == "record":
                        from libsync.store.copies import copy_view

                        view = orjson.dumps(copy_view(exam.data, relpath))
                    self.cache.put([(relpath, oid, orjson.dumps(exam.data), orjson.dumps(exam.problems),
                                     orjson.dumps(exam.facts), view)])
            except (TypeError, orjson.JSONEncodeError):
                pass   # a value JSON cannot hold: not cached
        return exam

    def facts(self, relpaths: Iterable[str]) -> Iterator[Exam]:
        """Problems and facts (no documents): what ``validate`` needs."""
        return self.exams(list(relpaths), ("problems", "facts"))


def load_records(repository: Any, use_cache: bool = True) -> Loaded:
    """Every usable record of ``repository``; the others named in ``problems`` (views use this)."""
    return Store.of(repository, use_cache).records(strict=False)
