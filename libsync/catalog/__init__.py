"""The union catalogue (mục lục liên hợp): merge, explain, search — per audience.

``build_union(repository, audience)`` is the contract with the web catalogue and every other
consumer (see docs/catalog.md): plain JSON-able data, byte-identical for the same input.
Only records the audience may see (``libsync.audience``) ever enter the computation, so no
internal record — nor its id, fields, holdings or influence on cluster ids — can reach
another audience's output.
"""

from __future__ import annotations

from libsync import audience as _audience
from libsync.catalog import merge as _merge
from libsync.catalog import overrides as _overrides
from libsync.store.read import load_records
from libsync.errors import LibsyncError
from libsync.model.enums import NAMED_AUDIENCES

__all__ = ["build_union", "union_from_records", "check_audience", "explain", "FORMAT_VERSION"]

FORMAT_VERSION = 1


def check_audience(repository, audience: str) -> str:
    """``public``, ``network`` or a library code of the network (else a usage error)."""
    if audience in NAMED_AUDIENCES:
        return audience
    code = str(audience).upper()
    if code not in repository.network.libraries:
        raise LibsyncError("catalog.bad_audience", audience=audience,
                           known=", ".join([*NAMED_AUDIENCES, *sorted(repository.network.libraries)]))
    return code


def union_from_records(records: list[dict], audience: str = "network", network: dict | None = None,
                       libraries: dict[str, str] | None = None, overrides=None, lead: str | None = None,
                       with_edges: bool = False) -> dict:
    """The union catalogue of ``records`` (all of them; filtered and redacted here for ``audience``)."""
    with _merge.quiet_gc():
        return _union_from_records(records, audience, network, libraries, overrides, lead, with_edges)


def _union_from_records(records, audience, network, libraries, overrides, lead, with_edges) -> dict:
    visible = [_merge.nfc_record(r) for r in _audience.visible_records(records, audience)]
    never = overrides.never if overrides else []
    always = overrides.always if overrides else []
    clustering = _merge.cluster_records(visible, never, always)
    ids = _merge.assign_ids(clustering)
    recs, feats = clustering.records, clustering.feats
    clusters = []
    for pos, members in enumerate(clustering.clusters):
        member_recs = [recs[i] for i in members]
        entry = {"id": ids[pos]}
        entry.update(_merge.describe(member_recs, lead))
        entry["members"] = [{"library": recs[i].get("library"), "record": recs[i].get("id")} for i in members]
        entry["holdings"] = _merge.holdings(member_recs)
        if with_edges:
            entry["evidence"] = [
                {"records": [feats[e.a].key, feats[e.b].key], "rule": e.rule,
                 **{k: v for k, v in e.details.items() if k != "rule"}}
                for e in clustering.edges.get(pos, [])
            ]
        clusters.append(entry)
    order = sorted(range(len(clusters)), key=lambda p: (_merge.match.key_text(clusters[p].get("title", "")),
                                                        clusters[p]["id"]))

    def pairs(found: list[dict]) -> list[dict]:
        out = []
        for item in found:
            item = dict(item)
            item["clusters"] = [ids[p] for p in item.pop("cluster_positions")]
            out.append(item)
        return out

    used_libs = sorted({r.get("library") for r in visible})
    libraries = libraries or {}
    return {
        "format": FORMAT_VERSION,
        "network": network or {},
        "audience": audience,
        "libraries": [{"code": c, "name": libraries.get(c, c)} for c in sorted(set(libraries) | set(used_libs))],
        "clusters": [clusters[p] for p in order],
        "conflicts": pairs(clustering.conflicts),
        "uncertain": pairs(clustering.uncertain),
    }


def build_union(repository, audience: str = "network", with_edges: bool = False, loaded=None) -> dict:
    """The union catalogue of ``repository`` for ``audience`` (public | network | LIBRARY CODE).

    Unusable record files are left out; ``load_records(repository).problems`` names them (the
    CLI reports them on stderr, never in the output, which may go public).
    """
    audience = check_audience(repository, audience)
    loaded = loaded or load_records(repository)
    net = repository.network
    result = union_from_records(
        loaded.records, audience,
        network={"id": net.id, "name": net.name},
        libraries={code: lib.get("name", code) for code, lib in net.libraries.items()},
        overrides=_overrides.load(repository), lead=net.lead, with_edges=with_edges,
    )
    return result


def explain(union: dict, cluster: str) -> dict | None:
    """The cluster (built ``with_edges=True``) whose id is ``cluster`` or which holds record "LIB/id"."""
    for entry in union["clusters"]:
        if entry["id"] == cluster or any(f"{m['library']}/{m['record']}" == cluster for m in entry["members"]):
            return entry
    return None
