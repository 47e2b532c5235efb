"""Matching on the labelled pair set and on the rules a cataloguer relies on."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from libsync.catalog import union_from_records
from libsync.catalog.evaluate import evaluate, load_pairs
from libsync.catalog.match import edition_key, features, key_text, volume_key
from libsync.catalog.merge import cluster_records

PAIRS = load_pairs(Path(__file__).with_name("catalog_pairs.yaml"))


def test_pair_set_covers_every_hard_case():
    whys = " ".join(p["why"] for p in PAIRS)
    for case in ("volume", "grade", "series", "edition", "year", "shared wrong isbn", "i/y", "typo", "NFD",
                 "isbn-10 vs isbn-13"):
        assert case in whys, case
    assert sum(p["label"] == "merge" for p in PAIRS) >= 25
    assert sum(p["label"] == "distinct" for p in PAIRS) >= 25


@pytest.mark.parametrize("pooled", [False, True], ids=["pair-by-pair", "pooled"])
def test_precision_and_recall_on_labelled_pairs(pooled):
    result = evaluate(PAIRS, pooled=pooled)
    assert result["precision"] >= 0.99, result["wrong"]
    assert result["recall"] >= 0.95, result["wrong"]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p['n']:02d}-{p['label']}-{p['why']}")
def test_each_labelled_pair(pair):
    clustering = cluster_records([pair["a"], pair["b"]])
    same = len(clustering.clusters) == 1
    assert same == (pair["label"] == "merge")


def test_folding_meets_vietnamese_variants():
    assert key_text("Vật lí") == key_text("Vật lý") == key_text("VẬT LÝ") == "vat li"
    assert key_text("Dế Mèn phiêu lưu kí") == key_text(unicodedata.normalize("NFD", "Dế mèn phiêu lưu ký"))
    assert key_text("Đất rừng") == "dat rung"
    assert key_text("Tay") == "tay"  # a vowel + y syllable is not an i/y variant
    assert volume_key("Tập 2") == volume_key("T.2") == volume_key("2") == volume_key("Quyển II") == "2"
    assert edition_key("Tái bản lần thứ hai") == edition_key("Tái bản lần 2") == "2"
    assert edition_key("Lần thứ nhất") is None


def test_isbn10_and_isbn13_are_one_identifier():
    a = features({"id": "a", "library": "XS", "type": "story", "title": "x", "isbn": "604-2-09184-0"})
    b = features({"id": "b", "library": "HD", "type": "story", "title": "x", "isbn": "978 604 2 09184 8 (tập 1)"})
    assert a.isbn == b.isbn == "9786042091848"


def test_shared_isbn_with_different_titles_is_a_conflict_not_a_merge():
    pair = next(p for p in PAIRS if p["why"] == "shared wrong isbn")
    union = union_from_records([pair["a"], pair["b"]])
    assert len(union["clusters"]) == 2
    assert union["conflicts"][0]["records"] == ["HD/" + pair["b"]["id"], "XS/" + pair["a"]["id"]]
    assert union["conflicts"][0]["reasons"] == ["title"]
    assert set(union["conflicts"][0]["clusters"]) == {c["id"] for c in union["clusters"]}


def test_volume_known_on_one_side_only_is_left_to_a_person():
    pair = next(p for p in PAIRS if p["why"] == "volume missing on one side")
    union = union_from_records([pair["a"], pair["b"]])
    assert len(union["clusters"]) == 2
    assert union["uncertain"][0]["reasons"] == ["volume-missing"]


def test_guards_hold_for_the_whole_cluster_not_only_the_pair():
    """b is like a and like c, but a and c differ in year: b may join one of them, never both."""
    base = {"type": "reference", "title": "Từ điển tiếng Việt", "authors": ["Hoàng Phê"], "share": "network"}
    a = {**base, "id": "a", "library": "XS", "year": 2015}
    b = {**base, "id": "b", "library": "HD"}
    c = {**base, "id": "c", "library": "ND", "year": 2021}
    union = union_from_records([a, b, c])
    assert len(union["clusters"]) == 2
    years = sorted(cl.get("year") for cl in union["clusters"])
    assert years == [2015, 2021]
    assert any("year" in u["reasons"] for u in union["uncertain"])


def test_large_block_is_not_compared_all_pairs_but_still_merges_neighbours():
    records = [{"id": f"r{i:04d}", "library": "XS" if i % 2 else "HD", "type": "story", "share": "network",
                "title": f"Truyện cổ tích số {i // 2}", "authors": ["Nhiều tác giả"]} for i in range(400)]
    union = union_from_records(records)
    assert len(union["clusters"]) == 200
    assert all(len(c["members"]) == 2 for c in union["clusters"])


def test_fast_isbn13_agrees_with_python_stdnum():
    import random

    from libsync.catalog.match import isbn13 as fast
    from libsync.text.identifiers import isbn13 as reference

    rng = random.Random(4)
    samples = ["604-2-09184-0", "080442957X", "0-8044-2957-x", "978-0-8044-2957-3", "979-10-90636-07-1",
               "977-604-0-25363-7", "9786040253637 (tập 1)", "12345", "", "ISBN 978 604 0 25363 7"]
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 12))))
        samples += [digits + rng.choice("0123456789X"), "978" + digits[:9] + rng.choice("0123456789"),
                    "979" + digits[:9] + rng.choice("0123456789")]
    assert sum(reference(s) is not None for s in samples) > 300  # the sample holds many valid ISBNs
    for s in samples:
        assert fast(s) == reference(s), s
