"""The write path every command uses: lock → recover → validate the change → Transaction → commit.

``apply(repo, changes, ...)`` takes ``{relpath: text | bytes | None}`` (None deletes) and either
changes all of those files — and, with a commit message, records them as one Git commit (ending
with the ``Libsync-Command:`` trailer ``libsync undo`` looks for) — or changes nothing. Before
anything is written:

* each data file is read as ``libsync validate`` reads it (``examine``; a caller that has read
  them already passes ``examined``, or names files it checked itself in ``checked``);
* under the lock, ``expected`` (relpath → the Git blob id the command read) refuses a file
  another command changed meanwhile;
* the cross-file rules run on the repository as it would be after the change
  (``cross_problems``): an error the change brings — a barcode another library uses, a record a
  manifest names deleted — refuses it; errors already there are not its doing.

``render_and_examine``/``apply_documents`` do the same for documents, rendering them canonically
on both cores. A refusal is ``write.invalid`` (exit 1) or ``write.changed_meanwhile``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync import atomic, gitops, parallel, schemas, yamlio
from libsync.errors import LibsyncError
from libsync.repository import DATA_DIRS
from libsync.store import lock

if TYPE_CHECKING:
    from libsync.problems import Problem
    from libsync.repository import Repository

MAX_LISTED = 5
RENDER_PARALLEL_FROM = 300   # documents; below this a process pool costs more than it saves


def recover(root: Path) -> list[dict[str, Any]]:
    """Finish or undo changes of killed processes (call with the lock held)."""
    root = Path(root)

    def happened(journal: dict[str, Any]) -> bool:   # the commit was made iff HEAD moved ("" = no commit yet)
        return "git_head" in journal and (gitops.head_sha(root) or "") != journal["git_head"]

    outcomes = atomic.recover(lock.journal_dir(root), happened)
    for outcome in outcomes:
        if "git_head" in outcome["content"] and outcome["action"] == "completed":
            rels = [Path(p).relative_to(root).as_posix() for p in outcome["files"]]
            gitops.sync_index(root, rels)
    return outcomes


# relpath → (the errors ``libsync validate`` would report in the file alone, its cross-file facts)
Examined = dict[str, tuple[list["Problem"], Any]]


def _examine_one(args: tuple[str, bytes, bool]) -> tuple[list[Problem], Any]:
    from libsync.validation import check_bytes

    rel, data, facts_only = args
    kind = schemas.kind_of(rel)
    if kind is None:
        return [], None
    problems, facts = check_bytes(kind, rel, data, facts_only=facts_only)
    return [p for p in problems if p.severity == "error"], facts


def examine(changes: Mapping[str, bytes | None], checked: frozenset[str] | set[str] = frozenset()) -> Examined:
    """Each data file to be written read once, as validate reads it (on both cores when there are
    many): its errors (none asked of the ``checked`` ones) and its facts for the cross-file rules."""
    jobs = [(rel, data, rel in checked) for rel, data in changes.items()
            if data is not None and schemas.kind_of(rel) is not None]
    results = parallel.map_ordered(_examine_one, jobs, RENDER_PARALLEL_FROM)
    return {rel: result for (rel, _, _), result in zip(jobs, results)}


def problems_of(changes: Mapping[str, bytes | None], checked: frozenset[str] | set[str] = frozenset()) -> list[Problem]:
    """What ``libsync validate`` would say (errors only) about each data file to be written."""
    return [p for errors, _ in examine(changes, checked).values() for p in errors]


CROSS_KINDS = ("record", "exchange", "inventory", "network")   # the kinds the cross-file rules read


def _problem_key(p: Problem) -> tuple[str, str, str, str]:
    import json

    return (p.file, p.rule, p.key, json.dumps(p.params, sort_keys=True, ensure_ascii=False, default=str))


def cross_problems(root: Path, changes: Mapping[str, bytes | None], examined: Examined | None = None) -> list[Problem]:
    """The cross-file errors ``libsync validate`` would report once ``changes`` are written and
    does not report now: a barcode another library already uses, a record a manifest still
    names deleted, an unknown library code … (errors the repository already has are not the
    change's doing and do not stop it). ``examined`` gives files already read (``examine``)."""
    from libsync.store.read import Store
    from libsync.validation import crossfile
    from libsync.validation.fileresult import FileResult

    touched = {rel: data for rel, data in changes.items() if schemas.kind_of(rel) in CROSS_KINDS}
    if not touched:
        return []
    known = dict(examined or {})
    known.update(examine({rel: data for rel, data in touched.items() if rel not in known}, set(touched)))
    store = Store(root)
    results: dict[str, FileResult] = {}
    for exam in store.facts(store.listing.files()):
        results[exam.relpath] = FileResult(exam.relpath, schemas.kind_of(exam.relpath) or "", exam.oid, [], exam.facts)
    changed = dict(results)
    texts: dict[str, str] = {}
    for rel, data in touched.items():
        if data is None:
            changed.pop(rel, None)
            continue
        changed[rel] = FileResult(rel, schemas.kind_of(rel) or "", "", [], known[rel][1])
        texts[rel] = data.decode("utf-8", "replace")
    after = [p for p in crossfile.check(root, dict(sorted(changed.items())), texts) if p.severity == "error"]
    if not after:   # the usual case: nothing to compare with the repository as it is
        return []
    before = {_problem_key(p) for p in crossfile.check(root, results)}
    return [p for p in after if _problem_key(p) not in before]


def refuse(problems: list[Problem]) -> None:
    """Stop (``write.invalid``, exit 1) with the first problems, if there are any."""
    if problems:
        listed = "\n".join(f"  {p.where}: {p.message}" for p in problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        raise LibsyncError("write.invalid", exit_code=1, count=len(problems), problems=listed,
                           more=f"\n  … (+{more})" if more > 0 else "")


def refuse_invalid(changes: Mapping[str, bytes | None], checked: frozenset[str] | set[str] = frozenset(),
                   root: Path | None = None) -> None:
    """Refuse (``write.invalid``) a change ``libsync validate`` would reject: each file's own
    problems, and — given the repository's ``root`` — the cross-file ones the change would bring."""
    examined = examine(changes, checked)
    refuse([p for errors, _ in examined.values() for p in errors])
    if root is not None:
        refuse(cross_problems(root, changes, examined))


def _keep_comments(root: Path, data: dict[str, bytes | None]) -> None:
    """A rewritten YAML file keeps the comments its author put in it (``libsync.yamlcomments``)."""
    from libsync.yamlcomments import carry_comments

    for rel, new in data.items():
        if new is None or not rel.endswith((".yaml", ".yml")):
            continue
        path = root / rel
        try:
            if path.is_symlink() or not path.is_file():
                continue
            old = path.read_bytes()
        except OSError:
            continue
        if b"#" not in old:
            continue
        try:
            kept = carry_comments(old.decode("utf-8"), new.decode("utf-8"))
        except UnicodeDecodeError:
            continue
        if kept is not None:
            data[rel] = kept.encode("utf-8")


def _render(args: tuple[str | None, dict[str, Any]]) -> str:
    kind, data = args
    return yamlio.dump(data, schemas.load_schema(kind)) if kind else yamlio.dump(data)


def render_many(repo: Repository | None, items: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Canonical text of each (relpath, data), as ``Repository.save`` would write it (on both
    cores when there are many). ``repo`` is not needed; it is kept for the callers' symmetry."""
    return parallel.map_ordered(_render, [(schemas.kind_of(rel), data) for rel, data in items], RENDER_PARALLEL_FROM)


def _clean_document(kind: str, rel: str, doc: Any, size: int) -> tuple[bool, Any]:
    """``(True, facts)`` when the canonical document ``doc`` (what its text carries) is one
    ``libsync validate`` finds nothing wrong with: small enough, no character XML cannot carry,
    its schema, its rules. Anything else — or anything unusual — is ``(False, None)``: the caller
    then reads the text back as validate does, for the messages with their lines."""
    from libsync.text import xmlchars
    from libsync.validation.rules import CHECKERS, Found

    if size > yamlio.MAX_FILE_BYTES or not isinstance(doc, dict) or xmlchars.locate(doc) is not None:
        return False, None
    try:
        if not schemas.fast_validator(kind).is_valid(doc):
            return False, None
    except (ValueError, TypeError, OverflowError):
        return False, None
    found = Found()
    facts = CHECKERS[kind](rel, doc, found)
    if any(item[4] == "error" for item in found.items):
        return False, None
    return True, facts


def _render_and_examine(args: tuple[str, dict[str, Any]]) -> tuple[bytes, tuple[list[Problem], Any]]:
    rel, data = args
    kind = schemas.kind_of(rel)
    doc, text = yamlio.render(data, schemas.load_schema(kind) if kind else None)
    raw = text.encode("utf-8")
    if kind is not None:
        # what the writer writes reads back as the same data (yamlio's promise, tested there), so a
        # document that passes every check needs no second reading of its text
        clean, facts = _clean_document(kind, rel, doc, len(raw))
        if clean:
            return raw, ([], facts)
    return raw, _examine_one((rel, raw, False))


def render_and_examine(items: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, bytes], Examined]:
    """Each (relpath, document) rendered canonically and read back as validate reads it, in one
    step (on both cores when there are many): the bytes to write, and what ``apply`` needs to
    know of them (``examined``)."""
    done = parallel.map_ordered(_render_and_examine, items, RENDER_PARALLEL_FROM)
    texts = {rel: text for (rel, _), (text, _) in zip(items, done)}
    examined: Examined = {rel: exam for (rel, _), (_, exam) in zip(items, done) if schemas.kind_of(rel) is not None}
    return texts, examined


def apply_documents(repo: Repository, documents: Mapping[str, dict[str, Any] | None], *, message: str | None = None,
                    command: str = "", expected: Mapping[str, str] | None = None) -> str | None:
    """``apply`` for documents: each rendered canonically first (None deletes) and read back as
    validate reads it, in the same step (``render_and_examine``)."""
    rendered, examined = render_and_examine([(rel, data) for rel, data in documents.items() if data is not None])
    texts: dict[str, bytes | str | None] = dict(rendered)
    texts.update({rel: None for rel, data in documents.items() if data is None})
    return apply(repo, texts, message=message, command=command, expected=expected, examined=examined)


def unchanged_since(root: Path, expected: Mapping[str, str]) -> None:
    """Refuse when a file is no longer what the command read (``expected``: relpath → Git blob
    id, "" for a file that did not exist): another command changed it in the meantime, and
    writing now would undo that change."""
    from libsync.store.listing import blob_id

    moved: list[str] = []
    for rel, oid in expected.items():
        path = root / rel
        try:
            now = blob_id(path.read_bytes()) if path.is_file() and not path.is_symlink() else ""
        except OSError:
            now = ""
        if now != oid:
            moved.append(rel)
    if moved:
        raise LibsyncError("write.changed_meanwhile", exit_code=1, paths=", ".join(moved[:MAX_LISTED]),
                           n=len(moved))


def apply(repo: Repository | str | os.PathLike[str], changes: Mapping[str, bytes | str | None], *, message: str | None = None, command: str = "",
          checked: frozenset[str] | set[str] = frozenset(), expected: Mapping[str, str] | None = None,
          examined: Examined | None = None) -> str | None:
    """Write ``changes`` all-or-nothing (see module docstring). Returns the commit's sha, if any.
    ``repo`` is a ``Repository`` or the repository's root folder; ``expected`` (relpath → the
    Git blob id the command read, "" for none) refuses the change if another command has
    changed one of those files since; ``examined`` gives files the caller has read back already
    (``examine`` of exactly these bytes)."""
    root = Path(repo) if isinstance(repo, (str, os.PathLike)) else Path(repo.root)
    data = {rel: (text.encode("utf-8") if isinstance(text, str) else text) for rel, text in changes.items()}
    for rel in data:
        if os.path.isabs(rel) or ".." in Path(rel).parts:
            raise LibsyncError("file.outside_repo", path=rel)
    known: Examined = {rel: exam for rel, exam in (examined or {}).items() if rel in data}
    known.update(examine({rel: d for rel, d in data.items() if rel not in known}, checked))
    refuse([p for errors, _ in known.values() for p in errors])
    with lock.locked(root, command):
        recover(root)
        if expected:
            unchanged_since(root, expected)
        refuse(cross_problems(root, data, known))   # cross-file, on what is there now
        _keep_comments(root, data)
        relpaths = sorted(data)
        head = None
        if message is not None:
            dirty = gitops.dirty_paths(root, relpaths)
            if dirty:
                raise LibsyncError("git.dirty", paths=", ".join(dirty[:MAX_LISTED]))
            head = gitops.head_sha(root)
        tx = atomic.Transaction(journal_dir=lock.journal_dir(root), root=root)
        for rel, content in data.items():
            if content is None:
                tx.delete(root / rel)
            else:
                tx.write(root / rel, content)
        sha: list[str] = []
        if message is not None:   # the trailer lets `libsync undo` find the commits libsync made
            message = gitops.with_trailer(message, command or "libsync")
        then = (lambda: sha.append(gitops.commit_paths(root, relpaths, message))) if message is not None else None
        try:
            tx.commit(then=then, journal_extra={"git_head": head or ""} if message is not None else None)
        finally:
            store = getattr(repo, "_store", None)
            if store is not None:
                store.refresh()   # what this command reads next sees what it wrote
        return sha[0] if sha else None


def stray_files(root: Path) -> list[Path]:
    """Temp and backup files in the data folders that no journal accounts for (left by a version
    of libsync without journals, or by a single-file write that was killed)."""
    found: list[Path] = []
    for top in DATA_DIRS:
        for dirpath, _dirnames, filenames in os.walk(Path(root) / top):
            found.extend(Path(dirpath) / n for n in filenames
                         if n.startswith(".") and n.endswith((atomic.TEMP_SUFFIX, atomic.BACKUP_SUFFIX)))
    return sorted(found)


def _original_of(stray: Path) -> Path:
    """``.x.yaml.<anything>.libsync-bak`` (or ``.x.yaml.libsync-bak``) → ``x.yaml``."""
    name = stray.name[1:]
    for suffix in (".yaml", ".yml"):
        cut = name.find(suffix + ".")
        if cut >= 0:
            return stray.with_name(name[:cut + len(suffix)])
    return stray.with_name(name.rsplit(".", 2)[0])


def recover_all(repo: Repository, command: str = "recover") -> dict[str, list[dict[str, Any]]]:
    """``libsync recover``: journals first, then stray temp/backup files. A backup whose file is
    missing is restored; one whose file exists is kept and reported; temp files are removed."""
    root = Path(repo.root)
    with lock.locked(root, command):
        journals = recover(root)
        strays: list[dict[str, Any]] = []
        for stray in stray_files(root):
            rel = stray.relative_to(root).as_posix()
            if stray.name.endswith(atomic.TEMP_SUFFIX):
                stray.unlink(missing_ok=True)
                strays.append({"path": rel, "action": "removed"})
                continue
            target = _original_of(stray)
            if target.exists():
                strays.append({"path": rel, "action": "kept", "target": target.relative_to(root).as_posix()})
            else:
                os.replace(stray, target)
                strays.append({"path": rel, "action": "restored", "target": target.relative_to(root).as_posix()})
    return {"journals": [{k: v for k, v in j.items() if k != "content"} for j in journals], "strays": strays}


def pending(root: Path) -> int:
    """How many journals of killed processes wait for ``libsync recover`` (0 while a live
    process holds the lock: its journal is its own)."""
    folder = lock.state_path(root) / "journal"
    journals = atomic.pending_journals(folder) if folder.is_dir() else []
    if not journals or lock.holder(root) is not None:
        return 0
    return len(journals)
