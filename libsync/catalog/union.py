"""The union catalogue (mục lục liên hợp) of one audience, built in bounded memory.

Only records the audience may see (``libsync.audience``) ever enter the computation, so no
internal record — nor its id, fields, holdings or influence on cluster ids — can reach another
audience's output.

Two passes over the records, so they are never all in memory at once:

1. each visible record (redacted, NFC) becomes its compact ``match.Features``; the records are
   clustered on those alone (``merge.cluster_features``: blocks, pair decisions, guards);
2. the records are read again cluster by cluster, a few thousand at a time, to describe each
   cluster and count its holdings; each finished cluster is written to a temporary file, and
   only its sort key and place in that file are kept.

``Union`` then gives the clusters in the catalogue's order (``clusters()``), writes the JSON
document as it goes (``write_json``: byte for byte what ``json.dumps(..., indent=2)`` of
``to_dict()`` gives), or builds the whole dict for small networks and tests (``to_dict``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

import orjson

from libsync import audience as _audience
from libsync import progress
from libsync.catalog import match
from libsync.catalog import merge as _merge
from libsync.errors import LibsyncError
from libsync.model.enums import NAMED_AUDIENCES

if TYPE_CHECKING:
    from libsync.catalog.overrides import Overrides
    from libsync.repository import Repository

FORMAT_VERSION = 1
FETCH = 2000            # records read back at a time in the second pass
WORKERS = min(2, os.cpu_count() or 1)


def check_audience(network: Any, audience: str) -> str:
    """``public``, ``network`` or a library code of ``network`` (a ``Network``, or a repository
    holding one), upper-cased; else a usage error naming the choices."""
    net = getattr(network, "network", network)
    if audience in NAMED_AUDIENCES:
        return audience
    code = str(audience).upper()
    if code not in net.libraries:
        raise LibsyncError("catalog.bad_audience", audience=audience,
                           known=", ".join([*NAMED_AUDIENCES, *sorted(net.libraries)]))
    return code


def _dump(value: Any, depth: int) -> bytes:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` as it appears ``depth`` levels deep."""
    text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    return text.replace(b"\n", b"\n" + b"  " * depth) if depth else text


class Union:
    """A built union catalogue: header, clusters in a temporary file, and the pairs left to a person."""

    def __init__(self, header: dict[str, Any], spill: IO[bytes], order: list[tuple[int, int]],
                 pairs: dict[str, list[tuple[int, int]]], stats: dict[str, int]) -> None:
        self.header = header
        self._spill = spill
        self._order = order          # (offset, length) of each cluster, in catalogue order
        self._pairs = pairs          # "conflicts" / "uncertain" → (offset, length), in order
        self.stats = stats           # records, clusters, merged, conflicts, uncertain

    def __enter__(self) -> Union:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._spill.close()

    def _read(self, where: tuple[int, int]) -> Any:
        self._spill.seek(where[0])
        return orjson.loads(self._spill.read(where[1]))

    def clusters(self) -> Iterator[dict[str, Any]]:
        for where in self._order:
            yield self._read(where)

    def pairs(self, which: str) -> list[dict[str, Any]]:
        """``conflicts`` or ``uncertain``: pairs kept apart, with the clusters they ended in."""
        return [self._read(where) for where in self._pairs[which]]

    def to_dict(self) -> dict[str, Any]:
        return {**self.header, "clusters": list(self.clusters()), "conflicts": self.pairs("conflicts"),
                "uncertain": self.pairs("uncertain")}

    def write_json(self, out: IO[bytes]) -> None:
        """The whole document, as it is produced, with a final newline."""
        out.write(b"{\n")
        for key, value in self.header.items():
            out.write(b"  " + orjson.dumps(key) + b": " + _dump(value, 1) + b",\n")
        parts = (("clusters", self._order), ("conflicts", self._pairs["conflicts"]),
                 ("uncertain", self._pairs["uncertain"]))
        for n, (key, places) in enumerate(parts):
            out.write(b"  " + orjson.dumps(key) + b": ")
            if not places:
                out.write(b"[]")
            else:
                out.write(b"[\n")
                last = len(places) - 1
                for k, where in enumerate(places):
                    out.write(b"    " + _dump(self._read(where), 2) + (b",\n" if k < last else b"\n"))
                out.write(b"  ]")
            out.write(b",\n" if n < len(parts) - 1 else b"\n")
        out.write(b"}\n")


def compute_union(source: Iterable[tuple[Any, dict[str, Any]]],
                  fetch: Callable[[list[Any]], Iterable[tuple[Any, dict[str, Any]]]],
                  audience: str = "network", network: dict[str, Any] | None = None,
                  libraries: dict[str, str] | None = None, overrides: Overrides | None = None, lead: str | None = None,
                  with_edges: bool = False, workers: int = 1) -> Union:
    """The union catalogue of the records ``source`` yields as (handle, record); ``fetch(handles)``
    gives (handle, record) of those records again (see the module docstring)."""
    with _merge.quiet_gc():
        return _compute(source, fetch, audience, network, libraries, overrides, lead, with_edges, workers)


def _visible(record: dict[str, Any], audience: str) -> dict[str, Any]:
    return _merge.nfc_record(_audience.redact(record, audience))


def _stand_in(f: match.Features) -> dict[str, Any]:
    return {"library": f.library, "id": f.key[len(f.library) + 1:]}


def _compute(source: Iterable[tuple[Any, dict[str, Any]]],
             fetch: Callable[[list[Any]], Iterable[tuple[Any, dict[str, Any]]]],
             audience: str, network: dict[str, Any] | None, libraries: dict[str, str] | None,
             overrides: Overrides | None, lead: str | None, with_edges: bool, workers: int) -> Union:
    # pass 1: features of the visible records, in "LIB/id" order
    feats: list[match.Features] = []
    handles: list[Any] = []
    for handle, record in source:
        if _audience.can_see(record, audience):
            feats.append(match.features(_visible(record, audience)))
            handles.append(handle)
    order = sorted(range(len(feats)), key=lambda k: (feats[k].library, feats[k].key[len(feats[k].library) + 1:]))
    feats = [feats[k] for k in order]
    handles = [handles[k] for k in order]
    del order
    never = overrides.never if overrides else []
    always = overrides.always if overrides else []
    clustering = _merge.cluster_features(feats, never, always, workers)
    ids = _merge.assign_ids(clustering)

    # pass 2: describe the clusters, a batch of records at a time, into the spill file
    spill = tempfile.TemporaryFile(prefix="libsync-union-")   # noqa: SIM115 - the Union returned closes it
    try:
        keyed: list[tuple[str, str, int, int]] = []
        merged = 0
        clusters = clustering.clusters
        start = 0
        while start < len(clusters):
            stop, wanted = start, 0
            while stop < len(clusters) and (wanted < FETCH or stop == start):
                wanted += len(clusters[stop])
                stop += 1
            members = sorted({i for pos in range(start, stop) for i in clusters[pos]})
            position = {handles[i]: i for i in members}
            records: dict[int, dict[str, Any]] = {}
            for handle, record in fetch([handles[i] for i in members]):
                if handle in position and _audience.can_see(record, audience):
                    records[position[handle]] = _visible(record, audience)
            for pos in range(start, stop):
                # a record gone or hidden since the first pass (only without a cache) is named, not shown
                member_recs = [records.get(i) or _stand_in(feats[i]) for i in clusters[pos]]
                entry: dict[str, Any] = {"id": ids[pos]}
                entry.update(_merge.describe(member_recs, lead))
                entry["members"] = [{"library": r.get("library"), "record": r.get("id")} for r in member_recs]
                entry["holdings"] = _merge.holdings(member_recs)
                if with_edges:
                    entry["evidence"] = [
                        {"records": [feats[e.a].key, feats[e.b].key], "rule": e.rule,
                         **{k: v for k, v in e.details.items() if k != "rule"}}
                        for e in clustering.edges.get(pos, [])
                    ]
                if len({m["library"] for m in entry["members"]}) > 1:
                    merged += 1
                data = orjson.dumps(entry)
                keyed.append((match.key_text(entry.get("title", "")), entry["id"], spill.tell(), len(data)))
                spill.write(data)
            start = stop
            progress.step("union", start, len(clusters))
        keyed.sort()
        places = [(off, size) for _, _, off, size in keyed]
        del keyed
        pair_places: dict[str, list[tuple[int, int]]] = {}
        for which, found in (("conflicts", clustering.conflicts), ("uncertain", clustering.uncertain)):
            pair_places[which] = []
            for item in found:
                item = dict(item)
                item["clusters"] = [ids[p] for p in item.pop("cluster_positions")]
                data = orjson.dumps(item)
                pair_places[which].append((spill.tell(), len(data)))
                spill.write(data)
        used_libs = sorted({f.library for f in feats})
        libraries = libraries or {}
        header = {
            "format": FORMAT_VERSION,
            "network": network or {},
            "audience": audience,
            "libraries": [{"code": c, "name": libraries.get(c, c)} for c in sorted(set(libraries) | set(used_libs))],
        }
        stats = {"records": len(feats), "clusters": len(places), "merged": merged,
                 "conflicts": len(pair_places["conflicts"]), "uncertain": len(pair_places["uncertain"])}
        spill.flush()
        return Union(header, spill, places, pair_places, stats)
    except BaseException:
        spill.close()
        raise


def union_from_records(records: list[dict[str, Any]], audience: str = "network", network: dict[str, Any] | None = None,
                       libraries: dict[str, str] | None = None, overrides: Overrides | None = None,
                       lead: str | None = None, with_edges: bool = False) -> dict[str, Any]:
    """The union catalogue of ``records`` (all of them; filtered and redacted here for ``audience``)."""
    with compute_union(enumerate(records), lambda idx: ((i, records[i]) for i in idx), audience, network, libraries,
                       overrides, lead, with_edges) as union:
        return union.to_dict()


def open_union(repository: Repository, audience: str = "network", with_edges: bool = False,
               workers: int | None = None) -> tuple[Union, list[Any]]:
    """The union catalogue of ``repository`` for ``audience`` (public | network | LIBRARY CODE), read
    through the store, and the record files left out because the read policy refuses them (the
    CLI reports them on stderr, never in the output, which may go public)."""
    from libsync.catalog import overrides as _overrides
    from libsync.store.read import Store

    audience = check_audience(repository.network, audience)
    store = Store.of(repository)
    files = store.files(("record",))
    skipped: list[Any] = []
    net = repository.network

    def fetch(relpaths: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        return store.iter_documents(relpaths, strict=False)

    union = compute_union(
        store.iter_documents(files, strict=False, skipped=skipped), fetch, audience,
        network={"id": net.id, "name": net.name},
        libraries={code: lib.get("name", code) for code, lib in net.libraries.items()},
        overrides=_overrides.load(repository), lead=net.lead, with_edges=with_edges,
        workers=WORKERS if workers is None else workers,
    )
    return union, skipped


def build_union(repository: Repository, audience: str = "network", with_edges: bool = False) -> dict[str, Any]:
    """``open_union`` as one dict (for small networks, tools and tests); the files left out are
    not part of it: ``open_union`` names them."""
    union, _ = open_union(repository, audience, with_edges)
    with union:
        return union.to_dict()


def explain(union: dict[str, Any] | Union, cluster: str) -> dict[str, Any] | None:
    """The cluster (built ``with_edges=True``) whose id is ``cluster`` or which holds record "LIB/id"."""
    entries = union.clusters() if isinstance(union, Union) else union["clusters"]
    for entry in entries:
        if entry["id"] == cluster or any(f"{m['library']}/{m['record']}" == cluster for m in entry["members"]):
            return entry
    return None
