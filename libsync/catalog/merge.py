"""Clusters of records describing the same edition: union with guards, ids, descriptions, holdings.

``cluster_records`` is the pure core (records in, clusters out); ``libsync.catalog.build_union``
feeds it the records an audience may see and shapes the result for JSON.

Determinism: records are sorted by "LIB/id" first, candidate pairs are decided in a fixed
order, and every list in the output is sorted, so the same input gives byte-identical output.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from libsync.catalog import match
from libsync.catalog.match import ACCESS_ORDER, Features, compare, features
from libsync.model.enums import GONE_STATUSES, ROTATING_STATUSES
from libsync.text import identity_key, is_nfc, nfc, tone_clashes

MAX_BLOCK = 12          # a block larger than this is compared by sorted neighbourhood …
WINDOW = 6              # … with this many following neighbours
MAX_ID_GROUP = 25       # distinct descriptions compared inside one ISBN/ISSN group
RULE_ORDER = {"override": 0, "isbn": 1, "issn": 2, "exact": 3, "fuzzy": 4}
GONE = GONE_STATUSES       # not counted as holdings
AWAY = ROTATING_STATUSES   # counted, as away


@contextlib.contextmanager
def quiet_gc():
    """Pause the cyclic garbage collector while building many small objects that are not garbage:
    with 100,000 records its repeated full passes made the merge grow faster than linearly."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Edge:
    a: int
    b: int
    rule: str
    details: dict = field(default_factory=dict)


@dataclass
class Clustering:
    records: list[dict]
    feats: list[Features]
    clusters: list[list[int]]                  # member indexes, each sorted; list sorted by first
    edges: dict[int, list[Edge]]               # cluster root → the joins that built it
    cluster_of: dict[int, int]                 # record index → cluster position
    uncertain: list[dict]
    conflicts: list[dict]


class _Union:
    """Union-find whose clusters carry attributes that must agree, the title words they are
    written with (``voices``: the distinct identity words of their titles — "Mẹ" and "Mè" never
    end up in one cluster, not even through a third record typed without diacritics), and
    never-merge pairs."""

    def __init__(self, feats: list[Features], never: set[frozenset]) -> None:
        n = len(feats)
        self.parent = list(range(n))
        self.attrs = [f.attrs() for f in feats]
        self.voices: list[set | None] = [None if f.unmarked else {f.ident} for f in feats]
        self.members: list[list[int] | None] = [[i] for i in range(n)]
        self.never = never
        self.constrained: list[set | None] = [None] * n
        never_idx: dict[int, set[int]] = defaultdict(set)
        for pair in never:
            a, b = tuple(pair)
            never_idx[a].add(b)
            never_idx[b].add(a)
        self.forbidden: list[set | None] = [None] * n
        for i, others in never_idx.items():
            self.forbidden[i] = set(others)
            self.constrained[i] = {i}

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def blocked(self, ra: int, rb: int) -> list[str]:
        why = match.guard_differences(self.attrs[ra], self.attrs[rb])
        fa, fb = self.forbidden[ra], self.forbidden[rb]
        if (fa and self.constrained[rb] and fa & self.constrained[rb]) or (
            fb and self.constrained[ra] and fb & self.constrained[ra]
        ):
            why.append("never-merge")
        va, vb = self.voices[ra], self.voices[rb]
        if va and vb and va != vb and any(tone_clashes(x, y) for x in va for y in vb if x != y):
            why.append("diacritics")
        return why

    def union(self, a: int, b: int, force: bool = False, strict: bool = False) -> tuple[bool, list[str]]:
        """Join the clusters of ``a`` and ``b`` unless their attributes or a never-merge forbid it.
        ``strict`` (similarity-only evidence): a cluster of known volume does not take in one of
        unknown volume either."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False, []
        why = self.blocked(ra, rb)
        if strict and (self.attrs[ra]["volume"] is None) != (self.attrs[rb]["volume"] is None):
            why.append("volume-missing")
        if force:
            why = [w for w in why if w == "never-merge"]
        if why:
            return False, why
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members[rb])
        self.members[rb] = None
        merged = self.attrs[ra]
        for k, v in self.attrs[rb].items():
            if merged.get(k) is None:
                merged[k] = v
        for name in ("forbidden", "constrained", "voices"):
            lst = getattr(self, name)
            if lst[rb]:
                lst[ra] = (lst[ra] or set()) | lst[rb]
                lst[rb] = None
        return True, []


def _pairs_in(items: list[int], feats: list[Features], limit: int | None = None) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    if len(items) <= MAX_BLOCK and limit is None:
        for x in range(len(items)):
            for y in range(x + 1, len(items)):
                out.add((items[x], items[y]))
        return out
    if limit is not None:
        head = items[:limit]
        for x, i in enumerate(head):
            for j in items[x + 1:]:
                out.add((i, j))
        return out
    ordered = sorted(items, key=lambda i: (feats[i].full, i))
    for x, i in enumerate(ordered):
        for j in ordered[x + 1: x + 1 + WINDOW]:
            out.add((i, j) if i < j else (j, i))
    return out


def candidate_pairs(feats: list[Features], reps: list[int]) -> set[tuple[int, int]]:
    """Pairs of representative records worth comparing: shared identifier or shared block."""
    pairs: set[tuple[int, int]] = set()
    by_isbn: dict[str, list[int]] = defaultdict(list)
    by_issn: dict[str, list[int]] = defaultdict(list)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i in reps:
        f = feats[i]
        if f.isbn:
            by_isbn[f.isbn].append(i)
        if f.issn:
            by_issn[f.issn].append(i)
        for key in match.blocking_keys(f):
            blocks[key].append(i)
    for group in list(by_isbn.values()) + list(by_issn.values()):
        if len(group) > 1:
            pairs |= _pairs_in(group, feats, MAX_ID_GROUP if len(group) > MAX_ID_GROUP else None)
    for group in blocks.values():
        if len(group) > 1:
            pairs |= _pairs_in(group, feats)
    return pairs


def cluster_records(records: list[dict], never: list[tuple[str, str]] = (),
                    always: list[list[str]] = ()) -> Clustering:
    """Cluster ``records`` (already visible to the audience). Overrides name records "LIB/id"."""
    records = sorted(records, key=lambda r: (str(r.get("library", "")), str(r.get("id", ""))))
    feats = [features(r) for r in records]
    index = {f.key: i for i, f in enumerate(feats)}
    never_pairs = {frozenset((index[a], index[b])) for a, b in never if a in index and b in index and a != b}
    uf = _Union(feats, never_pairs)
    edges: list[Edge] = []
    uncertain: dict[tuple[int, int], dict] = {}
    conflicts: dict[tuple[int, int], dict] = {}

    # 1. a person's decision comes first
    for group in always:
        idx = [index[k] for k in group if k in index]
        for other in idx[1:]:
            joined, why = uf.union(idx[0], other, force=True)
            if joined:
                edges.append(Edge(idx[0], other, "override"))

    # 2. identical descriptions (same signature) are one edition
    by_sig: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        by_sig[f.signature].append(i)
    reps = []
    for group in by_sig.values():
        reps.append(group[0])
        for other in group[1:]:
            joined, why = uf.union(group[0], other)
            if joined:
                edges.append(Edge(group[0], other, "exact", {"rule": "exact", "score": 100.0}))
            elif why:
                uncertain[(group[0], other)] = {"rule": "exact", "score": 100.0, "reasons": why}

    # 3. candidate pairs among distinct descriptions, decided in a fixed order
    decided = []
    for i, j in candidate_pairs(feats, reps):
        d = compare(feats[i], feats[j])
        if d.outcome == "merge":
            decided.append((RULE_ORDER[d.rule], -d.score, i, j, d))
        elif d.outcome == "uncertain":
            uncertain[(i, j)] = d.to_dict()
        elif d.outcome == "conflict":
            conflicts[(i, j)] = d.to_dict()
    decided.sort(key=lambda x: x[:4])

    def join(i: int, j: int, d, extra: tuple[str, ...] = ()) -> None:
        joined, why = uf.union(i, j, strict=d.rule == "fuzzy") if not extra else (False, list(extra))
        if joined:
            edges.append(Edge(i, j, d.rule, d.to_dict()))
        elif why:
            info = d.to_dict()
            info["reasons"] = sorted(set(why))
            info["blocked"] = True
            uncertain[(i, j)] = info

    # A long title typed without any diacritic (legacy data) may be any of the spellings with the
    # same letters: it joins last, the cluster most records agree with — and none of them, left
    # to a person, when two equally good candidates are different titles ("rừng" and "rùng").
    unmarked: dict[int, list] = defaultdict(list)
    for rule, score, i, j, d in decided:
        if feats[i].unmarked != feats[j].unmarked and (feats[i].marked or feats[j].marked):
            u, other = (i, j) if feats[i].unmarked else (j, i)
            unmarked[u].append([rule, score, 0, other, i, j, d])
        else:
            join(i, j, d)
    for u in sorted(unmarked):
        candidates = unmarked[u]
        for c in candidates:
            c[2] = -len(uf.members[uf.find(c[3])])
        candidates.sort(key=lambda c: c[:4])
        best = candidates[0]
        ambiguous = any(c[:3] == best[:3] and uf.find(c[3]) != uf.find(best[3])
                        and uf.blocked(uf.find(c[3]), uf.find(best[3])) for c in candidates[1:])
        for c in candidates:
            join(c[4], c[5], c[6], ("diacritics",) if ambiguous else ())

    # clusters, in a stable order
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[uf.find(i)].append(i)
    clusters = sorted((sorted(m) for m in groups.values()), key=lambda m: m[0])
    cluster_of = {i: pos for pos, members in enumerate(clusters) for i in members}
    edges_by: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        edges_by[cluster_of[e.a]].append(e)

    def pair_list(found: dict) -> list[dict]:
        out = []
        for (i, j), info in sorted(found.items(), key=lambda kv: (feats[kv[0][0]].key, feats[kv[0][1]].key)):
            if cluster_of[i] == cluster_of[j]:
                continue  # joined another way after all
            out.append({"records": [feats[i].key, feats[j].key], "cluster_positions": [cluster_of[i], cluster_of[j]],
                        **info})
        return out

    return Clustering(records, feats, clusters, dict(edges_by), cluster_of, pair_list(uncertain), pair_list(conflicts))


# --- describing a cluster ---------------------------------------------------------------------

def richness(record: dict) -> int:
    """How much a record says: filled fields, list entries and summary length (capped)."""
    score = 0
    for k, v in record.items():
        if k in ("items", "provenance", "notes", "id", "library", "share", "created", "updated"):
            continue
        if isinstance(v, (list, dict)):
            score += 1 + min(len(v), 5)
        elif v not in (None, ""):
            score += 1
    score += min(len(str(record.get("summary", ""))) // 100, 3)
    return score


def cluster_id(base: str) -> str:
    return "c-" + hashlib.sha1(base.encode("utf-8")).hexdigest()[:12]


def assign_ids(clustering: Clustering) -> list[str]:
    """Stable ids: from the identifier (ISBN-13, or ISSN + volume + year) when there is one —
    so adding or removing a member keeps the id — else from the anchor member's key."""
    feats = clustering.feats
    bases = []
    for members in clustering.clusters:
        isbns = sorted({feats[i].isbn for i in members if feats[i].isbn})
        issns = sorted({feats[i].issn for i in members if feats[i].issn})
        if isbns:
            bases.append("isbn:" + isbns[0])
        elif issns:
            f = next(feats[i] for i in members if feats[i].issn)
            bases.append(f"issn:{issns[0]}:{f.volume or ''}:{f.year or ''}")
        else:
            bases.append("rec:" + feats[members[0]].key)
    count: dict[str, int] = defaultdict(int)
    for b in bases:
        count[b] += 1
    ids = []
    for b, members in zip(bases, clustering.clusters):
        if count[b] > 1:  # two clusters share an identifier (a conflict): tell them apart by anchor
            b = f"{b}|{feats[members[0]].key}"
        ids.append(cluster_id(b))
    return ids


def _union_texts(lists) -> list[str]:
    """Union of subject or keyword lists; spellings that are the same words (case, NFC/NFD,
    i/y, punctuation) count once, words with other diacritics ("Mẹ", "Mè") do not."""
    seen, out = set(), []
    for values in lists:
        for v in values or []:
            k = identity_key(str(v))
            if k and k not in seen:
                seen.add(k)
                out.append(v)
    return out


def holdings(members: list[dict]) -> list[dict]:
    by_lib: dict[str, dict] = {}
    for rec in members:
        lib = rec.get("library", "")
        h = by_lib.setdefault(lib, {"library": lib, "call_number": None, "copies": 0, "available": 0, "away": 0})
        if not h["call_number"] and rec.get("call_number"):
            h["call_number"] = rec["call_number"]
        for item in rec.get("items") or []:
            status = item.get("status")
            if status in GONE:
                continue
            h["copies"] += 1
            away = status in AWAY or (item.get("holder") not in (None, lib))
            if away:
                h["away"] += 1
            elif status == "available":
                h["available"] += 1
    out = []
    for lib in sorted(by_lib):
        h = by_lib[lib]
        if h["call_number"] is None:
            del h["call_number"]
        out.append(h)
    return out


DESCRIPTION_FIELDS = ("title", "subtitle", "authors", "publisher", "place", "year", "edition", "isbn", "issn",
                      "series", "volume", "type", "language", "pages", "classification", "curriculum")


_EMPTY = (None, "", [], {})


def describe(members: list[dict], lead: str | None = None) -> dict:
    """The preferred description (richest member; lead library, then key, break ties) + unions.
    Text is expected in NFC (``union_from_records`` normalises records that are not)."""
    if len(members) == 1:
        ranked = members
    else:
        ranked = sorted(members, key=lambda r: (-richness(r), r.get("library") != lead,
                                                str(r.get("library", "")), str(r.get("id", ""))))
    best = ranked[0]
    out: dict = {}
    for name in DESCRIPTION_FIELDS:
        value = best.get(name)
        if value in _EMPTY and len(ranked) > 1:
            value = next((r[name] for r in ranked[1:] if r.get(name) not in _EMPTY), None)
        if value not in _EMPTY:
            out[name] = value
    subjects = _union_texts(r.get("subjects") for r in ranked)
    keywords = _union_texts(r.get("keywords") for r in ranked)
    if subjects:
        out["subjects"] = subjects
    if keywords:
        out["keywords"] = keywords
    summary = next((r["summary"] for r in ranked if r.get("summary")), None)
    if summary:
        out["summary"] = summary
    access_rank = max(ACCESS_ORDER.get(r.get("access", "catalog"), 0) for r in members)
    out["access"] = next(k for k, v in ACCESS_ORDER.items() if v == access_rank)
    with_digital = [r for r in ranked if r.get("digital")]
    if with_digital:
        best_digital = max(with_digital, key=lambda r: ACCESS_ORDER.get(r.get("access", "catalog"), 0))
        out["digital"] = dict(best_digital["digital"])
    return out


def nfc_record(record: dict) -> dict:
    """``record`` with every string in NFC — the same object when it already is (cheap check)."""
    flat = "".join(v for v in record.values() if isinstance(v, str))
    flat += "".join(a for a in record.get("authors") or () if isinstance(a, str))
    flat += "".join(a for a in record.get("subjects") or () if isinstance(a, str))
    flat += "".join(a for a in record.get("keywords") or () if isinstance(a, str))
    flat += "".join(v for v in (record.get("curriculum") or {}).values() if isinstance(v, str))
    if is_nfc(flat):
        return record
    return _nfc_all(record)


def _nfc_all(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_all(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_all(v) for k, v in value.items()}
    return value
