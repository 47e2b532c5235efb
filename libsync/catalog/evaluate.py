"""Accuracy of the matcher on a labelled pair set (tests/catalog_pairs.yaml): pairwise
precision and recall, each pair on its own and all pairs pooled into one catalogue."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from libsync import yamlio
from libsync.catalog.merge import Clustering, cluster_records

NFD_PREFIX = "NFD:"


def _decode(value: Any) -> Any:
    """Strings written "NFD:…" in the pair file become decomposed (NFD) text (in any YAML value:
    the result has the shape of ``value``)."""
    if isinstance(value, str) and value.startswith(NFD_PREFIX):
        return unicodedata.normalize("NFD", value[len(NFD_PREFIX):])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    return value


def load_pairs(path: str | Path) -> list[dict[str, Any]]:
    loaded = yamlio.load_file(Path(path))
    if not loaded.ok:
        raise ValueError(f"{path}: {loaded.problems[0].message}")
    if not isinstance(loaded.data, dict):
        raise ValueError(f"{path}: not a mapping with a list of pairs")
    pairs = []
    for n, pair in enumerate(loaded.data["pairs"], start=1):
        a = {"id": f"p{n:03d}a", "library": "XS", "share": "network", **_decode(pair["a"])}
        b = {"id": f"p{n:03d}b", "library": "HD", "share": "network", **_decode(pair["b"])}
        pairs.append({"n": n, "label": pair["label"], "why": pair.get("why", ""), "a": a, "b": b})
    return pairs


def _same(clustering: Clustering, a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = {f.key: i for i, f in enumerate(clustering.feats)}
    ia, ib = keys[f"{a['library']}/{a['id']}"], keys[f"{b['library']}/{b['id']}"]
    return clustering.cluster_of[ia] == clustering.cluster_of[ib]


def evaluate(pairs: list[dict[str, Any]], pooled: bool = False) -> dict[str, Any]:
    """{"precision", "recall", "tp", "fp", "fn", "tn", "wrong": [pair numbers and reasons]}."""
    if pooled:
        clustering = cluster_records([r for p in pairs for r in (p["a"], p["b"])])
        merged = [_same(clustering, p["a"], p["b"]) for p in pairs]
    else:
        merged = [_same(cluster_records([p["a"], p["b"]]), p["a"], p["b"]) for p in pairs]
    tp = fp = fn = tn = 0
    wrong = []
    for p, m in zip(pairs, merged):
        if p["label"] == "merge":
            tp += m
            fn += not m
        else:
            fp += m
            tn += not m
        if m != (p["label"] == "merge"):
            wrong.append({"n": p["n"], "label": p["label"], "why": p["why"]})
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn, "wrong": wrong,
    }
