"""`libsync validate`: read every data file (in parallel, through a cache), check each one,
then run the rules that span files on the small facts each file left behind.

Pipeline, each stage replaceable (as in check-jsonschema): discover files → load + check one
file (``check_file``, in worker processes) → cross-file rules (``crossfile``) → a ``Result``
that the reporters in ``report.py`` render. Nothing in the repository is ever written.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from libsync import schemas, yamlio
from libsync.cachedir import repo_cache_dir
from libsync.errors import LibsyncError
from libsync.filecache import dump_json, load_json
from libsync.problems import ERROR, WARNING, Problem, msg, valid_state
from libsync.validation import crossfile
from libsync.validation.fileresult import FileResult
from libsync.validation.layout import misplaced, misplaced_in
from libsync.validation.rules import CHECKERS, Facts, Found
from libsync.validation.schema_errors import JsonPath, explain, prune


@dataclass
class Result:
    files_checked: int
    problems: list[Problem] = field(default_factory=list)
    parsed: int = 0
    reused: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files_checked": self.files_checked,
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }


def _nfd_warning(text: str, relpath: str) -> Problem | None:
    import unicodedata

    if unicodedata.is_normalized("NFC", text):
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if not unicodedata.is_normalized("NFC", line):
            col = next((i + 1 for i, ch in enumerate(line) if unicodedata.combining(ch)), 1)
            return Problem(relpath, number, col, "text-nfc", "text.nfd", {}, WARNING)
    return None


def _non_text_key(value: object, path: tuple[str | int, ...] = ()) -> tuple[list[str | int], object] | None:
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return list(path), k
            found = _non_text_key(v, path + (k,))
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _non_text_key(v, path + (i,))
            if found:
                return found
    return None


def check_bytes(kind: str, relpath: str, data: bytes, facts_only: bool = False) -> tuple[list[Problem], Facts | None]:
    """All single-file checks of one file's bytes: reading, schema, rules. Returns (problems, facts)."""
    problems, facts, _ = check_document(kind, relpath, data, facts_only)
    return problems, facts


def check_document(kind: str, relpath: str, data: bytes, facts_only: bool = False,
                   rules: bool = True) -> tuple[list[Problem], Facts | None, object]:
    """``check_bytes`` that also gives the document read: (problems, facts, data or None).
    ``rules=False`` stops after the schema (reading and shape only; no facts): what every other
    command asks of the files it reads (``libsync.validation.gate``)."""
    loaded = yamlio.load_bytes(data, relpath)
    problems, facts = _check_loaded(kind, relpath, loaded, facts_only, rules)
    return problems, facts, loaded.data


def _check_loaded(kind: str, relpath: str, loaded: yamlio.Loaded, facts_only: bool,
                  rules: bool = True) -> tuple[list[Problem], Facts | None]:
    problems = list(loaded.problems)
    doc = loaded.data
    if doc is not None:
        unsafe = yamlio.unsafe_escape(loaded, relpath)   # "A\x07B": XML and XLSX cannot carry it
        if unsafe is not None:
            problems.append(unsafe)
            return problems, None
    if doc is None:
        return problems, None
    if not isinstance(doc, dict):
        actual = {list: "array", str: "string", int: "integer", float: "number", bool: "boolean"}.get(type(doc), "string")
        problems.append(Problem(relpath, 1, 1, "schema-type", "schema.type", {
            "field": msg("field.file"), "expected": msg("type.object"), "actual": msg(f"type.{actual}"), "hint": ""}))
        return problems, None
    if not facts_only and rules:
        warning = _nfd_warning(loaded.text, relpath)
        if warning:
            problems.append(warning)
    try:
        valid = schemas.fast_validator(kind).is_valid(doc)
    except (ValueError, TypeError, OverflowError):
        valid = False
        bad = _non_text_key(doc)
        if bad is not None:
            path, key = bad
            line, col = yamlio.locate(loaded.text, path)
            problems.append(Problem(relpath, line, col, "key-not-text", "key.not_text", {"key": repr(key)}, ERROR,
                                    yamlio.pointer(path)))
            return ([] if facts_only else problems), None
    if not valid:
        # schema errors first; the rules (and the cross-file facts) see only values of the right shape
        wrong: list[JsonPath] = []
        found_schema = explain(kind, doc, loaded.text, relpath, wrong)
        if not facts_only:
            problems.extend(found_schema)
        if not rules:
            return problems, None
        doc = prune(doc, wrong)
        if not isinstance(doc, dict):
            return ([] if facts_only else problems), None
    if not rules:
        return problems, None
    found = Found()
    if facts_only:
        return [], CHECKERS[kind](relpath, doc, found)
    facts = CHECKERS[kind](relpath, doc, found)
    for rule, key, params, path, severity in found.items:
        line, col = yamlio.locate(loaded.text, path) if path else (1, 1)
        problems.append(Problem(relpath, line, col, rule, key, params, severity, yamlio.pointer(path)))
    return problems, facts


def _selected(root: Path, all_files: list[str], paths: list[str] | None, changed: set[str] | None) -> set[str]:
    selected = set(all_files)
    if paths:
        chosen = set()
        for raw in paths:
            target = Path(raw)
            if not target.is_absolute():   # relative to here if that is inside the repository, else to its root
                here = (Path.cwd() / target).resolve()
                target = here if here.exists() and here.is_relative_to(root) else (root / target).resolve()
            try:
                rel = target.relative_to(root).as_posix()
            except ValueError:
                raise LibsyncError("validate.path_outside", path=str(raw), root=str(root)) from None
            if not target.exists():
                raise LibsyncError("validate.path_missing", path=str(raw))
            if target.is_dir():
                prefix = "" if rel == "." else rel + "/"
                chosen |= {f for f in all_files if f.startswith(prefix)}
            elif rel in selected:
                chosen.add(rel)
            else:
                chosen.add(rel)  # a YAML file outside the layout: reported below as not governed
        selected = chosen
    if changed is not None:
        selected &= changed
    return selected


RESULT_CACHE = "validate-result-v1.json"


def _run_key(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(orjson.dumps(part))
    return h.hexdigest()


def _stored_result(path: Path, key: str) -> Result | None:
    """The report stored under ``key``, if it is there and of the right shape."""
    stored = load_json(path)
    if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("problems"), list) \
            and all(map(valid_state, stored["problems"])) and isinstance(stored.get("checked"), int) \
            and isinstance(stored.get("files"), int):
        return Result(files_checked=stored["checked"], problems=[Problem.from_state(s) for s in stored["problems"]],
                      parsed=0, reused=stored["files"])
    return None


def validate(root: str | os.PathLike[str], paths: list[str] | None = None, changed_since: str | None = None,
             use_cache: bool = True, workers: int | None = None) -> Result:
    """Validate the repository at ``root``; ``paths`` or ``changed_since`` narrow which files are
    checked, while the cross-file rules always see the whole repository.

    Every file is read through the store (``libsync.store.read``: examined once per content).
    When nothing validate looks at has changed since the last run with the same arguments, that
    run's report is given again without reading any file."""
    from libsync.repository import DATA_DIRS
    from libsync.store.read import Store
    from libsync.store.write import pending as unfinished_writes
    from libsync.validation.gate import fingerprint

    root = Path(root).resolve()
    cache_file = repo_cache_dir(root) / RESULT_CACHE
    whole = not paths and not changed_since
    if use_cache and whole:
        # the usual run (whole repository) on an unchanged repository: Git's state is the key,
        # so the last report comes back without listing or reading anything
        from libsync.store.listing import quick_key

        quick = quick_key(root)
        if quick:
            hit = _stored_result(cache_file, _run_key(fingerprint(), quick, unfinished_writes(root)))
            if hit is not None:
                return hit
    store = Store(root, use_cache, workers)
    listing = store.listing
    all_files = listing.files()
    changed = None
    if changed_since:
        from libsync.gitops import changed_since as git_changed

        changed = git_changed(root, changed_since)
    check_set = _selected(root, all_files, paths, changed)
    # in a data folder, but not where the layout says (from Git's listing, else by a walk)
    if listing.others is None:
        wrong_place = dict(misplaced(root))
    else:
        wrong_place = dict(misplaced_in(listing.others + [r for r in all_files if not r.endswith(".yaml")]))
    unfinished = unfinished_writes(root)    # a killed command's half-done change: files may be mixed
    run_key = ""
    if use_cache:
        # everything the report depends on; with Git, the listing's key stands for every file's
        # content, its place and the symbolic links (the same key the fast path above computes)
        if listing.key and whole:
            run_key = _run_key(fingerprint(), listing.key, unfinished)
        else:
            run_key = _run_key(fingerprint(), listing.key or listing.digest(), unfinished, listing.symlinks,
                               sorted(wrong_place.items()), sorted(changed) if changed is not None else None,
                               sorted(check_set) if not whole else None)
        hit = _stored_result(cache_file, run_key)
        if hit is not None:
            return hit
    known = set(all_files)
    misplaced_here = sorted(_selected(root, list(wrong_place), paths, changed) & set(wrong_place)) if wrong_place else []
    ungoverned = sorted(check_set - known - set(wrong_place))
    check_set -= set(ungoverned) | set(misplaced_here)
    # A change can break a file it did not touch: a deleted record, a renamed barcode leave a
    # manifest pointing at nothing. So when data changed, the cross-file problems of the whole
    # repository are reported, not only those of the changed files.
    whole_cross = changed is not None and not paths and any(
        rel == "network.yaml" or rel.split("/", 1)[0] in DATA_DIRS for rel in changed)

    results: dict[str, FileResult] = {}
    for exam in store.facts(all_files):   # path order, so later steps need no sort
        kind = schemas.kind_of(exam.relpath) or ""
        results[exam.relpath] = FileResult(exam.relpath, kind, exam.oid, exam.problems, exam.facts)
    cross = crossfile.check(root, results)
    from libsync.validation import isbn

    counted = dict(store.stats)   # the documents read back here were counted above already
    cross += isbn.conflicts(root, results, lambda rels: store.iter_documents(rels, strict=False))
    store.stats.update(counted)

    problems: list[Problem] = []
    for rel in sorted(check_set):
        problems.extend(Problem.from_state(s) for s in results[rel].problems)
    for rel in ungoverned:
        problems.append(Problem(rel, None, None, "not-governed", "validate.not_governed", {"path": rel}, WARNING))
    for rel in misplaced_here:
        problems.append(Problem(rel, None, None, "misplaced-file", "validate.misplaced",
                                {"path": rel, "expected": wrong_place[rel]}, ERROR))
    problems.extend(p for p in cross if whole_cross or p.file in check_set)
    for rel in listing.symlinks:           # never followed: it could lead out of the repository
        problems.append(Problem(rel, None, None, "symlink", "file.symlink_refused", {"path": rel}, ERROR))
    if unfinished:
        problems.append(Problem(".", None, None, "unfinished-write", "recover.pending", {"count": unfinished}, ERROR))
    problems.sort(key=Problem.sort_key)
    checked = len(check_set) + len(misplaced_here)
    if run_key:
        dump_json(cache_file, {"key": run_key, "checked": checked, "files": len(all_files),
                               "problems": [p.to_state() for p in problems]})
    return Result(files_checked=checked, problems=problems, parsed=store.stats["examined"],
                  reused=store.stats["cached"])
