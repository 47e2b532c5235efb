"""The bounded-memory union catalogue (issue #13): streamed candidate pairs are exactly the pairs of
the block rules, two processes decide what one decides, and the streamed JSON document is
byte for byte the document of the whole dict."""

from __future__ import annotations

import io
import json
import random
from collections import defaultdict

import pytest

from libsync.catalog import build_union, match, merge, open_union
from libsync.catalog.union import compute_union
from libsync.repository import Repository

TITLES = ["Toán 6", "Toán 7", "Ngữ văn 6", "Ngữ văn 6 tập 2", "Dế Mèn phiêu lưu ký", "De Men phieu luu ky",
          "Mẹ và con", "Mè và con", "Tiếng Anh 8", "Bài tập Toán 6", "Khoa học tự nhiên 9", "Cá bống mú",
          "Ca bong mu", "Đất rừng phương Nam", "Dat rung phuong Nam"]
AUTHORS = ["Tô Hoài", "Đoàn Giỏi", "Nguyễn Nhật Ánh", "Trần Thị Bình", "Lê Minh Châu"]


def reference_pairs(feats, reps):
    """The block rules written the plain way (a set of every pair): the specification."""
    def pairs_in(items, limit=None):
        out = set()
        if len(items) <= merge.MAX_BLOCK and limit is None:
            return {(items[x], items[y]) for x in range(len(items)) for y in range(x + 1, len(items))}
        if limit is not None:
            return {(i, j) for x, i in enumerate(items[:limit]) for j in items[x + 1:]}
        # by title, then what tells one edition of a title from another (kind, volume, series, author)
        ordered = sorted(items, key=lambda i: (feats[i].full, feats[i].kind or "", feats[i].volume or "",
                                               feats[i].series or "", feats[i].first_author, i))
        for x, i in enumerate(ordered):
            for j in ordered[x + 1: x + 1 + merge.WINDOW]:
                out.add((min(i, j), max(i, j)))
        return out

    groups = defaultdict(list)
    for i in reps:
        f = feats[i]
        if f.isbn:
            groups[("isbn", f.isbn)].append(i)
        if f.issn:
            groups[("issn", f.issn)].append(i)
        for key in match.blocking_keys(f):
            groups[key].append(i)
    pairs = set()
    for key, group in groups.items():
        if len(group) > 1:
            limit = merge.MAX_ID_GROUP if key[0] in ("isbn", "issn") and len(group) > merge.MAX_ID_GROUP else None
            pairs |= pairs_in(group, limit)
    return pairs


def synthetic(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for k in range(n):
        rec = {"id": f"r{k:05d}", "library": rng.choice(["XS", "HD", "ND"]), "type": rng.choice(["textbook", "story"]),
               "title": rng.choice(TITLES), "authors": rng.sample(AUTHORS, rng.randint(0, 2)),
               "items": [{"barcode": f"B{k:05d}", "status": rng.choice(["available", "on-loan"])}],
               "share": "network"}
        if rng.random() < 0.7:
            rec["isbn"] = f"97860400{rng.randrange(40):05d}"[:12]
            rec["isbn"] += str((10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(rec["isbn"])) % 10) % 10)
        records.append(rec)
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streamed_pairs_are_the_block_rules_pairs(seed, monkeypatch):
    monkeypatch.setattr(merge, "MAX_ID_GROUP", 7)    # small groups and blocks: every mode is exercised
    monkeypatch.setattr(merge, "MAX_BLOCK", 5)
    feats = [match.features(r) for r in synthetic(600, seed)]
    reps = list(range(0, len(feats), 1 + seed % 2))
    assert merge.candidate_pairs(feats, reps) == reference_pairs(feats, reps)
    blocks = merge._Blocks(feats, reps)
    streamed = [pair for b in range(len(blocks.blocks)) for pair in blocks.pairs(b)]
    assert len(streamed) == len(set(streamed))          # each pair compared once, with no set of pairs kept
    assert len({blocks.blocks[b][1] for b in range(len(blocks.blocks))}) == 3   # all, limited and window blocks


def test_two_processes_decide_what_one_decides(monkeypatch):
    monkeypatch.setattr(merge, "PARALLEL_PAIRS", 1)
    feats = [match.features(r) for r in synthetic(800, 9)]
    reps = list(range(len(feats)))
    one = sorted(merge.decide_pairs(feats, reps, 1))
    two = sorted(merge.decide_pairs(feats, reps, 2))
    assert one == two and one


def test_streamed_document_is_the_whole_dict_dumped(example_repo):
    repo = Repository(example_repo)
    for audience in ("public", "network", "XS"):
        union, skipped = open_union(repo, audience, with_edges=True)
        with union:
            out = io.BytesIO()
            union.write_json(out)
            whole = union.to_dict()
        assert not skipped
        assert out.getvalue().decode("utf-8") == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
        assert whole == build_union(repo, audience, with_edges=True)


def test_small_fetch_batches_give_the_same_catalogue(example_repo, monkeypatch):
    repo = Repository(example_repo)
    expected = build_union(repo, "network")
    from libsync.catalog import union as union_module

    monkeypatch.setattr(union_module, "FETCH", 3)     # a cluster is never split across batches
    assert build_union(repo, "network") == expected


def test_an_empty_catalogue_is_a_valid_document():
    with compute_union([], lambda handles: []) as union:
        out = io.BytesIO()
        union.write_json(out)
    assert json.loads(out.getvalue()) == {"format": 1, "network": {}, "audience": "network", "libraries": [],
                                          "clusters": [], "conflicts": [], "uncertain": []}
