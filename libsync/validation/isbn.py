"""Unresolved ISBN conflicts: records that share an ISBN but that the union catalogue keeps
apart (another title, volume, edition, tone …), with no decision in catalog/overrides.yaml.

Such a pair is either a typing error (a wrong ISBN copied from another book) or two editions
that really share a number; only a person can say which, with ``libsync merge decide``. Until
then ``validate`` warns about it (a warning: the repository is still valid).

Cheap first: each record file's facts carry its ISBN and the parts of its description that
tell editions apart (``rules.isbn_shape``); only groups whose shapes differ are read and put to
the union catalogue's matcher (``libsync.catalog.match.compare``), so the warning says exactly
what ``libsync merge --uncertain`` lists as a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

from libsync import yamlio
from libsync.problems import WARNING, Problem, msg
from libsync.validation.crossfile import Checked

OVERRIDES = "catalog/overrides.yaml"
MANY_SHOWN = 5   # a record at odds with more records than this names the first few and counts the rest


def candidate_groups(results: Mapping[str, Checked]) -> list[list[str]]:
    """Record files (relpaths) sharing an ISBN whose descriptions differ somewhere."""
    groups: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for rel, result in results.items():
        facts = result.facts
        if result.kind != "record" or not facts or len(facts) < 4 or not facts[3]:
            continue
        shape = tuple(facts[3])
        groups[shape[0]].append((rel, shape[1:]))
    return [[rel for rel, _ in members] for members in groups.values()
            if len(members) > 1 and len({shape for _, shape in members}) > 1]


def decided_pairs(results: Mapping[str, Checked]) -> set[frozenset[str]]:
    overrides = results.get(OVERRIDES)
    facts = overrides.facts if overrides is not None else None
    if not isinstance(facts, dict):
        return set()
    return {frozenset(pair) for pair in facts.get("decided", []) if isinstance(pair, list) and len(pair) == 2}


def conflicts(root: Path, results: Mapping[str, Checked],
              documents: Callable[[list[str]], Iterable[tuple[str, dict[str, Any]]]]) -> list[Problem]:
    """One warning on each record in an unresolved conflict, at its ``isbn`` line: the pair and
    why when it is at odds with one record, the first few and a count when with more (a
    wrong ISBN typed on 40 books is 40 warnings, not 1,560).
    ``documents(relpaths)`` gives the usable documents of those files (the store's)."""
    groups = candidate_groups(results)
    if not groups:
        return []
    from libsync.catalog import match

    decided = decided_pairs(results)
    wanted = sorted({rel for group in groups for rel in group})
    feats = {rel: match.features(doc) for rel, doc in documents(wanted)}
    # the records each record conflicts with: one warning per record, however large its group
    others: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        for a, b in combinations(sorted(rel for rel in group if rel in feats), 2):
            fa, fb = feats[a], feats[b]
            if frozenset((fa.key, fb.key)) in decided:
                continue
            decision = match.compare(fa, fb)
            if decision.outcome != "conflict":
                continue
            others[a].append(b)
            others[b].append(a)
    problems: list[Problem] = []
    for here in sorted(others):
        try:
            text = (Path(root) / here).read_bytes().decode("utf-8", "replace")
        except OSError:
            text = ""
        line, col = yamlio.locate(text, ["isbn"])
        mine, found = feats[here], others[here]
        if len(found) == 1:   # the pair, and why the catalogue keeps it apart
            there = found[0]
            reasons = [msg(f"catalog.reason.{r}") for r in match.compare(mine, feats[there]).reasons]
            params: dict[str, object] = {"isbn": mine.isbn, "other": feats[there].key, "reasons": reasons,
                                         "a": mine.key, "b": feats[there].key}
            problems.append(Problem(here, line, col, "isbn-conflict", "rule.isbn_conflict", params, WARNING, "/isbn"))
            continue
        keys = sorted(feats[there].key for there in found)
        shown = ", ".join(keys[:MANY_SHOWN]) + (f" … (+{len(keys) - MANY_SHOWN})" if len(keys) > MANY_SHOWN else "")
        problems.append(Problem(here, line, col, "isbn-conflict", "rule.isbn_conflict_many",
                                {"isbn": mine.isbn, "a": mine.key, "count": len(keys), "others": shown,
                                 "b": keys[0]}, WARNING, "/isbn"))
    return problems
