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
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from libsync.catalog import match
from libsync.catalog.match import ACCESS_ORDER, NAMED_KINDS, Features, compare, features
from libsync.model import gdpt
from libsync.model.enums import GONE_STATUSES, ROTATING_STATUSES
from libsync.text import identity_key, is_nfc, nfc, tone_clashes

MAX_BLOCK = 12          # a block larger than this is compared by sorted neighbourhood …
WINDOW = 6              # … with this many following neighbours
MAX_ID_GROUP = 25       # distinct descriptions compared inside one ISBN/ISSN group
RULE_ORDER = {"override": 0, "isbn": 1, "issn": 2, "exact": 3, "fuzzy": 4}
GONE = GONE_STATUSES       # not counted as holdings
AWAY = ROTATING_STATUSES   # counted, as away


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
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
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Clustering:
    records: list[dict[str, Any]]
    feats: list[Features]
    clusters: list[list[int]]                  # member indexes, each sorted; list sorted by first
    edges: dict[int, list[Edge]]               # cluster root → the joins that built it
    cluster_of: dict[int, int]                 # record index → cluster position
    uncertain: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]


class _Union:
    """Union-find whose clusters carry attributes that must agree, the title words they are
    written with (``voices``: the distinct identity words of their titles — "Mẹ" and "Mè" never
    end up in one cluster, not even through a third record typed without diacritics), and
    pairs kept apart: a person's never-merge decisions, and two records whose authors differ
    (``apart``: "author"), which no third record — one without authors, say — may join."""

    def __init__(self, feats: list[Features], never: set[frozenset[int]]) -> None:
        n = len(feats)
        self.feats = feats
        self.parent = list(range(n))
        # per root, made only when a record first joins another (most records never do)
        self._attrs: dict[int, dict[str, object]] = {}
        self._voices: dict[int, set[tuple[str, ...]] | None] = {}
        self._members: dict[int, list[int]] = {}
        # per reason, per root: the records the cluster must not take in (``forbidden``) and its
        # members that have such a record (``constrained``)
        self.apart: dict[str, tuple[list[set[int] | None], list[set[int] | None]]] = {}
        self.keep_apart("never-merge", never)

    def keep_apart(self, reason: str, pairs: Iterable[frozenset[int]]) -> None:
        """Records of each pair are never in one cluster (``reason`` says why when it blocks)."""
        n = len(self.parent)
        for pair in pairs:
            forbidden, constrained = self.apart.setdefault(reason, ([None] * n, [None] * n))
            a, b = tuple(pair)
            for x, y in ((a, b), (b, a)):
                root = self.find(x)
                forbidden[root] = (forbidden[root] or set()) | {y}
                constrained[root] = (constrained[root] or set()) | {x}

    def attrs(self, root: int) -> dict[str, object]:
        found = self._attrs.get(root)
        return self.feats[root].attrs() if found is None else found

    def voices(self, root: int) -> set[tuple[str, ...]] | None:
        if root in self._voices:
            return self._voices[root]
        f = self.feats[root]
        return None if f.unmarked else {f.ident}

    def members(self, root: int) -> list[int]:
        return self._members.get(root) or [root]

    def size(self, root: int) -> int:
        found = self._members.get(root)
        return 1 if found is None else len(found)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def blocked(self, ra: int, rb: int) -> list[str]:
        why = match.guard_differences(self.attrs(ra), self.attrs(rb))
        for reason, (forbidden, constrained) in self.apart.items():
            fa, fb = forbidden[ra], forbidden[rb]
            ca, cb = constrained[ra], constrained[rb]
            if (fa and cb and fa & cb) or (fb and ca and fb & ca):
                why.append(reason)
        va, vb = self.voices(ra), self.voices(rb)
        if va and vb and va != vb and any(tone_clashes(x, y) for x in va for y in vb if x != y):
            why.append("diacritics")
        return why

    def union(self, a: int, b: int, force: bool = False, strict: bool = False) -> tuple[bool, list[str]]:
        """Join the clusters of ``a`` and ``b`` unless their attributes or a never-merge forbid it.
        ``strict`` (similarity-only evidence): a cluster of known volume does not take in one of
        unknown volume either, nor a workbook's or teacher's book's one of unknown kind."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False, []
        why = self.blocked(ra, rb)
        if strict:
            attrs_a, attrs_b = self.attrs(ra), self.attrs(rb)
            if (attrs_a["volume"] is None) != (attrs_b["volume"] is None):
                why.append("volume-missing")
            kind_a, kind_b = attrs_a["kind"], attrs_b["kind"]
            if kind_a != kind_b and (kind_a in NAMED_KINDS or kind_b in NAMED_KINDS):
                why.append("kind-missing")
        if force:
            why = [w for w in why if w == "never-merge"]
        if why:
            return False, why
        if self.size(ra) < self.size(rb):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self._members[ra] = self.members(ra) + self.members(rb)
        self._members.pop(rb, None)
        merged = self.attrs(ra)
        for k, v in self.attrs(rb).items():
            if merged.get(k) is None:
                merged[k] = v
        self._attrs[ra] = merged
        self._attrs.pop(rb, None)
        va, vb = self.voices(ra), self.voices(rb)
        self._voices[ra] = (va or set()) | vb if vb else va
        self._voices.pop(rb, None)
        for lists in self.apart.values():
            for lst in lists:
                moved = lst[rb]
                if moved:
                    lst[ra] = (lst[ra] or set()) | moved
                    lst[rb] = None
        return True, []


# --- candidate pairs -----------------------------------------------------------------------------
#
# Records are compared only inside *blocks*: a shared ISBN, a shared ISSN, and the blocking keys
# of ``match.blocking_keys`` (first two title words, last two, first author + title start). A
# block of up to ``MAX_BLOCK`` records compares every pair; a larger one compares each record
# with its ``WINDOW`` next neighbours in title order (an ISBN/ISSN group of more than
# ``MAX_ID_GROUP`` distinct descriptions: its first ``MAX_ID_GROUP`` with all the others).
#
# Two records often share several blocks. Rather than keeping a set of every pair seen (hundreds
# of megabytes for 100,000 records), a pair is compared in the first block, in ``KEY_TYPES``
# order, that generates it: whether an earlier block generates it is known from each record's
# block and position there (``_Blocks``). So pairs stream, and memory stays a few integers a
# record.

KEY_TYPES = ("isbn", "issn", "head", "tail", "author")
_ALL, _LIMIT, _WINDOW = 0, 1, 2
PARALLEL_PAIRS = 200_000     # estimated comparisons from which two processes are used


class _Blocks:
    """The blocks of the representatives ``reps`` and, per key type, each record's block and
    position in it (-1: in no block of that type)."""

    def __init__(self, feats: list[Features], reps: list[int]) -> None:
        n = len(feats)
        groups: list[defaultdict[Hashable, list[int]]] = [defaultdict(list) for _ in KEY_TYPES]   # ISBN, ISSN or BlockKey
        rank_of = {name: t for t, name in enumerate(KEY_TYPES)}
        for i in reps:
            f = feats[i]
            if f.isbn:
                groups[0][f.isbn].append(i)
            if f.issn:
                groups[1][f.issn].append(i)
            for key in match.blocking_keys(f):
                groups[rank_of[key[0]]][key].append(i)
        self.block_of = [array("i", [-1]) * n for _ in KEY_TYPES]
        self.pos = [array("i", [0]) * n for _ in KEY_TYPES]
        self.blocks: list[tuple[int, int, array[int]]] = []      # (key type, mode, members in order)
        for t, by_key in enumerate(groups):
            for group in by_key.values():
                if len(group) < 2:
                    continue
                if t < 2 and len(group) > MAX_ID_GROUP:
                    mode, order = _LIMIT, group
                elif len(group) <= MAX_BLOCK:
                    mode, order = _ALL, group
                else:   # the records of one edition side by side: "Toán 6" of three series, kinds, volumes
                    mode, order = _WINDOW, sorted(group, key=lambda i: _window_order(feats[i], i))
                b = len(self.blocks)
                block_of, pos = self.block_of[t], self.pos[t]
                for p, i in enumerate(order):
                    block_of[i] = b
                    pos[i] = p
                self.blocks.append((t, mode, array("i", order)))
            by_key.clear()

    def _made_by(self, t: int, i: int, j: int) -> bool:
        """Is the pair (i, j) generated by their shared block of key type ``t`` (if any)?"""
        b = self.block_of[t][i]
        if b < 0 or b != self.block_of[t][j]:
            return False
        mode = self.blocks[b][1]
        if mode == _ALL:
            return True
        pi, pj = self.pos[t][i], self.pos[t][j]
        if mode == _LIMIT:
            return min(pi, pj) < MAX_ID_GROUP
        return abs(pi - pj) <= WINDOW

    def pairs(self, b: int) -> Iterator[tuple[int, int]]:
        """The pairs block ``b`` is the first to generate, each as (smaller, larger)."""
        t, mode, order = self.blocks[b]
        n = len(order)
        made_by = self._made_by
        earlier = [(u, self.block_of[u]) for u in range(t)]   # the hot loop: plain locals
        for x in range(n if mode != _LIMIT else min(n, MAX_ID_GROUP)):
            i = order[x]
            stop = n if mode != _WINDOW else min(n, x + 1 + WINDOW)
            mine = [(u, block_of, block_of[i]) for u, block_of in earlier if block_of[i] >= 0]
            for y in range(x + 1, stop):
                j = order[y]
                seen = False
                for u, block_of, bi in mine:
                    if block_of[j] == bi and made_by(u, i, j):
                        seen = True
                        break
                if not seen:
                    yield (i, j) if i < j else (j, i)

    def cost(self, b: int) -> int:
        _, mode, order = self.blocks[b]
        n = len(order)
        if mode == _ALL:
            return n * (n - 1) // 2
        if mode == _LIMIT:
            return MAX_ID_GROUP * n
        return n * WINDOW


def _window_order(f: Features, i: int) -> tuple[str, str, str, str, str, int]:
    return (f.full, f.kind or "", f.volume or "", f.series or "", f.first_author, i)


def candidate_pairs(feats: list[Features], reps: list[int]) -> set[tuple[int, int]]:
    """Every pair of representatives worth comparing (for tests and tools; the merge streams them)."""
    blocks = _Blocks(feats, reps)
    return {pair for b in range(len(blocks.blocks)) for pair in blocks.pairs(b)}


_SHARED: tuple[list[Features], _Blocks] | None = None   # what forked comparison workers read

# A decided pair, as workers send it back: (i, j, outcome, rule, score, title, author, reasons),
# the fields of ``match.Decision`` after the two record indexes.
PairDecision = tuple[int, int, str, str, float, float, float | None, tuple[str, ...]]


def _decide_blocks(block_ids: list[int]) -> list[PairDecision]:
    """Compare the pairs of ``block_ids``; only the pairs that are not "none" come back, as plain
    tuples ``(i, j, outcome, rule, score, title, author, reasons)`` (cheap to send between processes)."""
    assert _SHARED is not None
    feats, blocks = _SHARED
    out: list[PairDecision] = []
    for b in block_ids:
        for i, j in blocks.pairs(b):
            d = compare(feats[i], feats[j])
            if d.outcome != "none" or "author" in d.reasons:   # other authors: kept apart
                out.append((i, j, d.outcome, d.rule, d.score, d.title, d.author, d.reasons))
    return out


def decide_pairs(feats: list[Features], reps: list[int], workers: int = 1) -> list[PairDecision]:
    """Every candidate pair's decision but "none", in no particular order (callers sort). On
    ``workers`` processes when there are many pairs: the blocks are dealt out by their cost."""
    global _SHARED
    blocks = _Blocks(feats, reps)
    ids = list(range(len(blocks.blocks)))
    total = sum(blocks.cost(b) for b in ids)
    _SHARED = (feats, blocks)
    try:
        if workers > 1 and total >= PARALLEL_PAIRS:
            from concurrent.futures.process import BrokenProcessPool

            from libsync import parallel

            ids.sort(key=blocks.cost, reverse=True)
            shards = [ids[k::workers * 4] for k in range(workers * 4)]
            try:
                with parallel.executor(workers) as pool:   # forked: the workers share feats and blocks
                    return [d for part in pool.map(_decide_blocks, shards) for d in part]
            except (OSError, BrokenProcessPool):
                pass   # no pool to be had here: one core it is
        return _decide_blocks(ids)
    finally:
        _SHARED = None


def cluster_records(records: list[dict[str, Any]], never: Sequence[tuple[str, str]] = (),
                    always: Sequence[Sequence[str]] = (), workers: int = 1) -> Clustering:
    """Cluster ``records`` (already visible to the audience). Overrides name records "LIB/id"."""
    records = sorted(records, key=lambda r: (str(r.get("library", "")), str(r.get("id", ""))))
    clustering = cluster_features([features(r) for r in records], never, always, workers)
    clustering.records = records
    return clustering


def cluster_features(feats: list[Features], never: Sequence[tuple[str, str]] = (),
                     always: Sequence[Sequence[str]] = (), workers: int = 1) -> Clustering:
    """Cluster records known by their ``Features`` only, given in "LIB/id" order (the pure core:
    the records themselves are not needed, so they need not all be in memory)."""
    index = {f.key: i for i, f in enumerate(feats)}
    never_pairs = {frozenset((index[a], index[b])) for a, b in never if a in index and b in index and a != b}
    uf = _Union(feats, never_pairs)
    edges: list[Edge] = []
    uncertain: dict[tuple[int, int], dict[str, Any]] = {}
    conflicts: dict[tuple[int, int], dict[str, Any]] = {}

    # 1. a person's decision comes first
    for keys in always:
        idx = [index[k] for k in keys if k in index]
        for member in idx[1:]:
            joined, why = uf.union(idx[0], member, force=True)
            if joined:
                edges.append(Edge(idx[0], member, "override"))

    # 2. identical descriptions (same signature) are one edition
    by_sig: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        by_sig[f.signature].append(i)
    reps: list[int] = []
    for group in by_sig.values():
        reps.append(group[0])
        for other in group[1:]:
            joined, why = uf.union(group[0], other)
            if joined:
                edges.append(Edge(group[0], other, "exact", {"rule": "exact", "score": 100.0}))
            elif why:
                uncertain[(group[0], other)] = {"rule": "exact", "score": 100.0, "reasons": why}

    # 3. candidate pairs among distinct descriptions, decided in a fixed order
    decided: list[tuple[int, float, int, int, match.Decision]] = []
    other_authors: list[frozenset[int]] = []
    for i, j, outcome, rule_name, score, title, author, reasons in decide_pairs(feats, reps, workers):
        d = match.Decision(outcome, rule_name, score, title, author, reasons)
        if "author" in reasons and outcome != "merge":
            # like titles of other authors: no third record (one without authors) may join them
            other_authors.append(frozenset((i, j)))
        if d.outcome == "none":
            continue
        if d.outcome == "merge":
            decided.append((RULE_ORDER[d.rule], -d.score, i, j, d))
        elif d.outcome == "uncertain":
            uncertain[(i, j)] = d.to_dict()
        elif d.outcome == "conflict":
            conflicts[(i, j)] = d.to_dict()
    decided.sort(key=lambda x: x[:4])
    uf.keep_apart("author", other_authors)

    def join(i: int, j: int, d: match.Decision, extra: tuple[str, ...] = ()) -> None:
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
    # (rule order, -score, other record, i, j, decision) of each such pair, by its unmarked record
    unmarked: dict[int, list[tuple[int, float, int, int, int, match.Decision]]] = defaultdict(list)
    # A title-only match where one record has no authors is weaker evidence than one where the
    # authors agree: such pairs join after the others, those agreeing on more known facts
    # (series, grade, year …) first — so a record without authors joins the cluster of its own
    # series, not a record that lacks the series (and is of other authors than that cluster).
    weak: list[tuple[int, int, match.Decision]] = []
    for rule, score, i, j, d in decided:
        if feats[i].unmarked != feats[j].unmarked and (feats[i].marked or feats[j].marked):
            u, other = (i, j) if feats[i].unmarked else (j, i)
            unmarked[u].append((rule, score, other, i, j, d))
        elif d.rule == "fuzzy" and d.author is None and (feats[i].authors or feats[j].authors):
            weak.append((i, j, d))
        else:
            join(i, j, d)
    if weak:
        def agreeing(pair: tuple[int, int, match.Decision]) -> tuple[int, float, int, int]:
            i, j, d = pair
            a, b = uf.attrs(uf.find(i)), uf.attrs(uf.find(j))
            return (-sum(1 for k, v in a.items() if v is not None and b.get(k) == v), -d.score, i, j)

        for i, j, d in sorted(weak, key=agreeing):
            join(i, j, d)
    for u in sorted(unmarked):
        # ranked by rule, score, then the size of the other record's cluster (largest first)
        candidates = sorted(((rule, score, -uf.size(uf.find(other)), other, i, j, d)
                             for rule, score, other, i, j, d in unmarked[u]), key=lambda c: c[:4])
        best = candidates[0]
        ambiguous = any(c[:3] == best[:3] and uf.find(c[3]) != uf.find(best[3])
                        and uf.blocked(uf.find(c[3]), uf.find(best[3])) for c in candidates[1:])
        for c in candidates:
            join(c[4], c[5], c[6], ("diacritics",) if ambiguous else ())

    # clusters, in a stable order
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(feats)):
        groups[uf.find(i)].append(i)
    clusters = sorted((sorted(m) for m in groups.values()), key=lambda m: m[0])
    cluster_of = {i: pos for pos, members in enumerate(clusters) for i in members}
    edges_by: dict[int, list[Edge]] = defaultdict(list)
    for e in edges:
        edges_by[cluster_of[e.a]].append(e)

    def pair_list(found: dict[tuple[int, int], dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for (i, j), info in sorted(found.items(), key=lambda kv: (feats[kv[0][0]].key, feats[kv[0][1]].key)):
            if cluster_of[i] == cluster_of[j]:
                continue  # joined another way after all
            out.append({"records": [feats[i].key, feats[j].key], "cluster_positions": [cluster_of[i], cluster_of[j]],
                        **info})
        return out

    return Clustering([], feats, clusters, dict(edges_by), cluster_of, pair_list(uncertain), pair_list(conflicts))


# --- describing a cluster ---------------------------------------------------------------------

def richness(record: dict[str, Any]) -> int:
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
        isbns = sorted({isbn for i in members if (isbn := feats[i].isbn)})
        issns = sorted({issn for i in members if (issn := feats[i].issn)})
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


def _union_texts(lists: Iterable[Iterable[object] | None]) -> list[object]:
    """Union of subject or keyword lists; spellings that are the same words (case, NFC/NFD,
    i/y, punctuation) count once, words with other diacritics ("Mẹ", "Mè") do not."""
    seen: set[str] = set()
    out: list[object] = []
    for values in lists:
        for v in values or []:
            k = identity_key(str(v))
            if k and k not in seen:
                seen.add(k)
                out.append(v)
    return out


def holdings(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_lib: dict[str, dict[str, Any]] = {}
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


_EMPTY: tuple[object, ...] = (None, "", [], {})


def describe(members: list[dict[str, Any]], lead: str | None = None) -> dict[str, Any]:
    """The preferred description (richest member; lead library, then key, break ties) + unions.
    Text is expected in NFC (``union_from_records`` normalises records that are not)."""
    if len(members) == 1:
        ranked = members
    else:
        ranked = sorted(members, key=lambda r: (-richness(r), r.get("library") != lead,
                                                str(r.get("library", "")), str(r.get("id", ""))))
    best = ranked[0]
    out: dict[str, Any] = {}
    for name in DESCRIPTION_FIELDS:
        value = best.get(name)
        if value in _EMPTY and len(ranked) > 1:
            value = next((r[name] for r in ranked[1:] if r.get(name) not in _EMPTY), None)
        if value not in _EMPTY:
            out[name] = value
    _canonical_series(out)
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


def _canonical_series(out: dict[str, Any]) -> None:
    """A GDPT 2018 series in the description by its canonical name, whatever spelling the record
    had ("KNTT" → "Kết nối tri thức với cuộc sống"; records imported before issue #16)."""
    if isinstance(out.get("series"), str):
        out["series"] = gdpt.series_name(out["series"]) or out["series"]
    curriculum = out.get("curriculum")
    if isinstance(curriculum, dict) and isinstance(curriculum.get("series"), str):
        named = gdpt.series_name(curriculum["series"])
        if named and named != curriculum["series"]:
            out["curriculum"] = {**curriculum, "series": named}


def nfc_record(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with every string in NFC — the same object when it already is (cheap check)."""
    flat = "".join(v for v in record.values() if isinstance(v, str))
    flat += "".join(a for a in record.get("authors") or () if isinstance(a, str))
    flat += "".join(a for a in record.get("subjects") or () if isinstance(a, str))
    flat += "".join(a for a in record.get("keywords") or () if isinstance(a, str))
    flat += "".join(v for v in (record.get("curriculum") or {}).values() if isinstance(v, str))
    if is_nfc(flat):
        return record
    return {k: _nfc_all(v) for k, v in record.items()}


def _nfc_all(value: object) -> object:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_all(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_all(v) for k, v in value.items()}
    return value
