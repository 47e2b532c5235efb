"""The search index: SQLite FTS5 (standard library), one file per audience, rebuilt on change.

``catalog-index-<audience>.sqlite`` in the repository's cache folder (``libsync.cachedir``) holds the union catalogue *as that audience
sees it* (built by ``build_union``), so a public index cannot contain an internal record.
Its ``meta.stamp`` hashes the content ids (``libsync.store``) of the record files, the overrides
and network.yaml, and the index format; ``meta.quick`` the Git state it was last found fresh in
(checked first, without listing the repository). When the stamp differs the index is rebuilt into a temporary
file and swapped in with ``os.replace`` (readers see the old or the new index, never half).
Text is stored folded (``match.key_text``: lower case, no diacritics, đ→d, i/y unified) and
queries are folded the same way. Beside it each cluster keeps the identity key of its title
(``ident_title``) and of its title, subtitle and authors (``ident``; ``libsync.text.identity_key``:
diacritics kept), padded with spaces, so the ranking can put the diacritics the user typed first.
A cluster's textbook series is kept by its canonical name (``cluster_series``), so "KNTT" and
"Kết nối tri thức với cuộc sống" are one filter value (``libsync.model.gdpt``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.cachedir import repo_cache_dir as cache_dir
from libsync.catalog import match
from libsync.model import gdpt
from libsync.text import identity_key

if TYPE_CHECKING:
    from libsync.catalog.union import Union
    from libsync.repository import Repository

INDEX_VERSION = "6"
# BM25 column weights: title, people (authors, series, publisher), subjects, other
WEIGHTS = (10.0, 4.0, 2.0, 1.0)


def index_path(root: Path, audience: str) -> Path:
    return cache_dir(root) / f"catalog-index-{audience}.sqlite"


def current_stamp(repository: Repository, audience: str) -> str:
    from libsync.store.read import Store

    store = Store.of(repository)
    parts = [INDEX_VERSION, audience, store.stamp(("record", "network", "overrides"))]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _stored_stamp(path: Path, key: str = "stamp") -> str | None:
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _set_quick(path: Path, quick: str) -> None:
    """Remember the repository state an index was last found fresh in (best effort)."""
    try:
        con = sqlite3.connect(path)
        try:
            con.execute("INSERT OR REPLACE INTO meta VALUES ('quick', ?)", (quick,))
            con.commit()
        finally:
            con.close()
    except sqlite3.Error:
        pass


def _quick_stamp(repository: Repository, audience: str) -> str | None:
    """A stamp from Git's state alone (``libsync.store.listing.quick_key``): when it is the one
    the index was last found fresh in, nothing in the repository changed since."""
    from libsync.store.listing import quick_key
    from libsync.validation.gate import fingerprint  # another libsync may read records differently

    quick = quick_key(repository.root)
    if quick is None:
        return None
    return hashlib.sha256(f"{INDEX_VERSION}\n{audience}\n{quick}\n{fingerprint()}".encode()).hexdigest()


def cluster_grade(cluster: dict[str, Any]) -> int | None:
    grade = (cluster.get("curriculum") or {}).get("grade")
    if isinstance(grade, int):
        return grade
    return match.features(cluster).grade


def cluster_series(cluster: dict[str, Any]) -> str | None:
    """The textbook series of a cluster (or record) by its canonical name when it is a GDPT 2018
    series ("KNTT" → "Kết nối tri thức với cuộc sống"), else as written; None if it has none."""
    named = [str(v) for v in ((cluster.get("curriculum") or {}).get("series"), cluster.get("series")) if v]
    return next((s for s in map(gdpt.series_name, named) if s), named[0] if named else None)


def _joined(values: Iterable[object]) -> str:
    return " ".join(match.key_text(str(v)) for v in values if v)


BATCH = 5000   # clusters inserted at a time: the index is built without holding every row


def write_index(path: Path, union: Union | dict[str, Any], stamp: str, skipped: Sequence[str] = ()) -> int:
    """Write the index for ``union`` (a ``Union``, or its dict) to ``path`` atomically; returns
    the number of clusters. ``skipped``: record files left out, said by every search."""
    clusters: Iterable[dict[str, Any]]
    if isinstance(union, dict):
        header, clusters = union, union["clusters"]
        skipped = union.get("skipped", skipped)
    else:
        header, clusters = union.header, union.clusters()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".libsync-tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE clusters (
                rowid INTEGER PRIMARY KEY, id TEXT, type TEXT, grade INTEGER, subjects TEXT,
                libraries TEXT, available_at TEXT, available INTEGER, sort TEXT, data TEXT,
                ident_title TEXT, ident TEXT, series TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(
                title, people, subjects, other, tokenize = 'unicode61 remove_diacritics 2');
            """
        )
        rows: list[tuple[object, ...]] = []
        fts_rows: list[tuple[object, ...]] = []
        count = 0

        def flush() -> None:
            con.executemany("INSERT INTO clusters VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            con.executemany("INSERT INTO fts (rowid, title, people, subjects, other) VALUES (?,?,?,?,?)", fts_rows)
            rows.clear()
            fts_rows.clear()

        for n, c in enumerate(clusters, start=1):
            count = n
            curriculum = c.get("curriculum") or {}
            series = cluster_series(c)
            subjects = [*(c.get("subjects") or []), curriculum.get("subject")]
            holdings = c.get("holdings") or []
            libs = " " + " ".join(h["library"] for h in holdings) + " "
            avail = " " + " ".join(h["library"] for h in holdings if h.get("available")) + " "
            data = {k: v for k, v in c.items() if k != "evidence"}
            rows.append((n, c["id"], c.get("type"), cluster_grade(c),
                         "|" + "|".join(match.key_text(str(s)) for s in subjects if s) + "|",
                         libs, avail, sum(h.get("available", 0) for h in holdings),
                         match.key_text(c.get("title", "")), json.dumps(data, ensure_ascii=False),
                         f" {identity_key(str(c.get('title') or ''))} ",
                         " " + " ".join(identity_key(str(v)) for v in
                                        [c.get("title"), c.get("subtitle"), *(c.get("authors") or [])] if v) + " ",
                         cluster_series(c)))
            fts_rows.append((
                n,
                _joined([c.get("title"), c.get("subtitle"), c.get("volume") and f"tap {c.get('volume')}"]),
                _joined([*(c.get("authors") or []), c.get("series"), curriculum.get("series"), c.get("publisher"),
                         series and gdpt.series_name(series) == series and gdpt.series_code(series)]),   # "kntt" finds it
                _joined(subjects + list(c.get("keywords") or [])),
                _joined([c.get("isbn"), c.get("isbn") and match.isbn13(str(c["isbn"])), c.get("issn"),
                         c.get("summary"), *(c.get("classification") or {}).values()]),
            ))
            if len(rows) >= BATCH:
                flush()
        flush()
        con.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("stamp", stamp), ("audience", header["audience"]), ("network", json.dumps(header.get("network", {}))),
            ("libraries", json.dumps(header.get("libraries", []), ensure_ascii=False)),
            ("skipped", json.dumps(list(skipped), ensure_ascii=False)),
        ])
        con.commit()
        con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def ensure_index(repository: Repository, audience: str) -> tuple[Path, bool]:
    """The up-to-date index for ``audience``: (path, rebuilt?)."""
    from libsync.catalog import open_union

    path = index_path(repository.root, audience)
    quick = _quick_stamp(repository, audience)
    if quick is not None and _stored_stamp(path, "quick") == quick:
        return path, False
    stamp = current_stamp(repository, audience)   # which records, network and overrides there are
    if _stored_stamp(path) == stamp:
        if quick is not None:
            _set_quick(path, quick)               # e.g. only a manifest changed: fresh, and next time quick
        return path, False
    union, skipped = open_union(repository, audience)
    with union:
        write_index(path, union, stamp, sorted({p.file for p in skipped}))   # said on stderr by every search
    if quick is not None:
        _set_quick(path, quick)
    return path, True
