"""One record, edited field by field: ``record show``, ``record set``, ``record add``.

Values arrive as text (``FIELD=VALUE`` on a command line, answers to a prompt) and are typed
by the record schema (``schema/record.schema.json``): numbers, choices, lists (entries split on
``;`` or given several times), nested fields (``curriculum.grade=7``, ``classification.ddc=…``);
``FIELD=`` empties an optional field; ``FIELD+=VALUE`` adds entries to a list. Text is stored
NFC. A field the schema does not know is refused with the list of those it knows.

The new record is checked as ``libsync validate`` checks it and written through
``libsync.store.write.apply`` (see ``libsync.edit``). This module never opens a YAML file,
never prints and never changes a record's copies (``libsync.edit.copies`` does), its id or
its library.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync import labels, schemas
from libsync.edit import check_day, finish, read_now, today
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import SAFE_ID, SHARE_DEFAULT, SHARED_LEVELS
from libsync.model.sharing import lacking, policy_for
from libsync.text import nfc

if TYPE_CHECKING:
    from libsync.repository import Repository

Record = dict[str, Any]
Path_ = tuple[str, ...]     # a field's path: ("title",), ("curriculum", "grade")

# Fields ``record set`` never changes, and where each one is changed instead (message key).
READ_ONLY = {
    "id": "edit.why.id", "library": "edit.why.library", "items": "edit.why.items",
    "created": "edit.why.bookkeeping", "updated": "edit.why.bookkeeping", "provenance": "edit.why.provenance",
}
# A new record is offered to the network when it can be (what Art. 28 asks is checked): the
# default when network.yaml's sharing policy says nothing, as for an imported register.
ADD_DEFAULT = ("network", "catalog")
REQUIRED = ("title", "type")           # what a new record cannot be written without
_SUBKEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")


# --- the schema, as fields ----------------------------------------------------------------------

def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = schemas.load_schema("record")["$defs"][ref.rsplit("/", 1)[1]]
        return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _properties() -> dict[str, Any]:
    props: dict[str, Any] = schemas.load_schema("record")["properties"]
    return props


def known_fields() -> list[str]:
    """Every field ``record set`` takes, nested ones as ``parent.child`` (schema order)."""
    out: list[str] = []
    for name, node in _properties().items():
        if name in READ_ONLY:
            continue
        spec = _resolve(node)
        if spec.get("type") == "object" and "properties" in spec:
            out.extend(f"{name}.{sub}" for sub in spec["properties"])
            if isinstance(spec.get("additionalProperties"), dict):
                out.append(f"{name}.…")
        else:
            out.append(name)
    return out


def field_spec(name: str) -> tuple[Path_, dict[str, Any]]:
    """The path and schema of field ``name`` (``title``, ``curriculum.grade`` …); an unknown or
    read-only field is refused, naming the fields there are."""
    parts = tuple(p.strip().lower().replace("-", "_") for p in nfc(name).split("."))
    props = _properties()
    top = parts[0]
    if top in READ_ONLY:
        raise LibsyncError("edit.field.read_only", field=name, why=t(READ_ONLY[top]))
    if top not in props or len(parts) > 2:
        raise _unknown(name, known_fields())
    spec = _resolve(props[top])
    if len(parts) == 1:
        return parts, spec
    if spec.get("type") != "object":
        raise _unknown(name, known_fields())
    sub = parts[1]
    if sub in spec.get("properties", {}):
        return parts, _resolve(spec["properties"][sub])
    extra = spec.get("additionalProperties")
    if isinstance(extra, dict) and _SUBKEY.match(sub):
        return parts, _resolve(extra)
    raise _unknown(name, [f"{top}.{s}" for s in spec.get("properties", {})])


def _unknown(name: str, known: list[str]) -> LibsyncError:
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    hint = t("edit.field.did_you_mean", field=close[0]) if close else ""
    return LibsyncError("edit.field.unknown", field=name, known=", ".join(known), hint=hint)


# --- assignments --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Assignment:
    """``field=value`` (``append``: ``field+=value``). A list field takes every entry of
    ``values``, each split on ``;`` when ``split``; any other field takes one value."""

    field: str
    values: tuple[str, ...]
    append: bool = False
    split: bool = True

    @classmethod
    def of(cls, name: str, *values: str, split: bool = False) -> Assignment:
        return cls(name, tuple(values), split=split)


def parse_assignment(text: str) -> Assignment:
    """``FIELD=VALUE`` or ``FIELD+=VALUE`` as typed on the command line."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or name.strip() == "+":
        raise LibsyncError("edit.bad_assignment", text=text)
    append = name.endswith("+")
    return Assignment(name[:-1] if append else name, (value,), append=append)


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def _clean(text: str) -> str:
    return nfc(text).strip()


def _number(name: str, spec: dict[str, Any], text: str) -> int:
    try:
        value = int(text.replace(" ", ""))
    except ValueError:
        raise LibsyncError("edit.not_a_number", field=name, value=text) from None
    low, high = spec.get("minimum"), spec.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        raise LibsyncError("edit.out_of_range", field=name, value=value, low=low if low is not None else "…",
                           high=high if high is not None else "…")
    return value


def _scalar(name: str, spec: dict[str, Any], text: str) -> Any:
    if "enum" in spec:
        choices = [str(c) for c in spec["enum"]]
        value = text.lower()
        if value not in choices:
            raise LibsyncError("edit.bad_choice", field=name, value=text, choices=", ".join(choices))
        return value
    if spec.get("type") == "integer":
        return _number(name, spec, text)
    if spec.get("type") == "object":   # a list of people: "Name (role)"
        match = _ROLE.match(text)
        if match and match["name"].strip() and match["role"].strip():
            return {"name": match["name"].strip(), "role": match["role"].strip()}
        return {"name": text}
    return text


def _entries(assignment: Assignment) -> list[str]:
    out: list[str] = []
    for value in assignment.values:
        for part in (value.split(";") if assignment.split else [value]):
            part = _clean(part)
            if part:
                out.append(part)
    return out


def _get(record: Record, path: Path_) -> Any:
    node: Any = record
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _put(record: Record, path: Path_, value: Any) -> None:
    """Set (``None``: remove) the field at ``path``; a parent left empty goes too."""
    if len(path) == 1:
        if value is None:
            record.pop(path[0], None)
        else:
            record[path[0]] = value
        return
    parent = record.get(path[0])
    if not isinstance(parent, dict):
        if value is None:
            return
        parent = record[path[0]] = {}
    if value is None:
        parent.pop(path[1], None)
        if not parent:
            record.pop(path[0], None)
    else:
        parent[path[1]] = value


def _same_entry(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return bool(a == b)


def apply_assignments(record: Record, assignments: Iterable[Assignment], *,
                      required: Sequence[str] = REQUIRED) -> tuple[Record, list[FieldChange]]:
    """``record`` with ``assignments`` made (a new dict) and the fields that changed, old → new."""
    new = copy.deepcopy(record)
    touched: dict[Path_, str] = {}      # path → the name as typed (first time)
    for a in assignments:
        path, spec = field_spec(a.field)
        shown = ".".join(path)
        again = path in touched
        touched.setdefault(path, shown)
        if spec.get("type") == "object" and "items" not in spec:
            if _entries(a):    # a whole object takes its fields one by one
                parts = [f for f in known_fields() if f.startswith(shown + ".")]
                raise LibsyncError("edit.field.needs_part", field=shown, known=", ".join(parts),
                                   example=parts[0] if parts else shown)
            _put(new, path, None)
            continue
        if spec.get("type") == "array":
            items = _resolve(spec.get("items", {}))
            entries = [_scalar(shown, items, e) for e in _entries(a)]
            current = _get(new, path) if (a.append or again) else None
            merged = list(current) if isinstance(current, list) else []
            merged += [e for e in entries if not any(_same_entry(e, have) for have in merged)]
            _put(new, path, merged or None)
            continue
        if a.append:
            raise LibsyncError("edit.append_not_list", field=shown)
        if again:
            raise LibsyncError("edit.field_twice", field=shown)
        values = [_clean(v) for v in a.values]
        value = values[-1] if values else ""
        if not value:
            if path[0] in required and len(path) == 1:
                raise LibsyncError("edit.field.required", field=shown)
            _put(new, path, None)
            continue
        _put(new, path, _scalar(shown, spec, value))
    changes = [FieldChange(shown, _get(record, path), _get(new, path)) for path, shown in touched.items()
               if _get(record, path) != _get(new, path)]
    return new, changes


def value_text(value: Any) -> str:
    """A field's value as one line: lists joined by "; ", a person as "Name (role)"."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return f"{value['name']} ({value['role']})" if value.get("role") else str(value["name"])
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


# --- finding a record -------------------------------------------------------------------------

_SAFE_ID = SAFE_ID


def parse_ref(repo: Repository, ref: str) -> tuple[str, str]:
    """``LIB/ID`` (also ``records/LIB/ID.yaml``) → (library, id); the library must be in network.yaml."""
    text = nfc(ref).strip().replace("\\", "/")
    if text.startswith("records/"):
        text = text[len("records/"):]
    if text.endswith((".yaml", ".yml")):
        text = text.rsplit(".", 1)[0]
    library, sep, record_id = text.partition("/")
    if not sep or not library or not _SAFE_ID.match(record_id):
        raise LibsyncError("edit.bad_ref", ref=ref)
    repo.network.library(library)   # an unknown code: refused with the known ones
    return library, record_id


def library_ids(repo: Repository, library: str) -> list[str]:
    """The record ids of ``library``, as its file names say (through the store's listing)."""
    from libsync.store.read import Store

    return [Path(rel).stem for rel in Store.of(repo).files(("record",), f"records/{library}/")]


def read_record(repo: Repository, library: str, record_id: str) -> tuple[str, Record, str]:
    """(relpath, data, blob id read) of the record as it is now; a missing one is refused with the
    ids nearest to the one asked for; one that validate refuses, with validate's message."""
    relpath = repo.record_relpath(library, record_id)
    if not repo.path(relpath).is_file():
        close = difflib.get_close_matches(record_id, library_ids(repo, library), n=3, cutoff=0.6)
        raise LibsyncError("edit.record.not_found", library=library, id=record_id,
                           hint=t("edit.record.close", ids=", ".join(close)) if close else "")
    documents, ids = read_now(repo, [relpath])
    return relpath, documents[relpath], ids[relpath]


# --- show ---------------------------------------------------------------------------------------

def show_record(repo: Repository, ref: str) -> dict[str, Any]:
    """The record ``LIB/ID`` with its copies, each with the open exchanges it is in."""
    from libsync.store.copies import CopyIndex

    library, record_id = parse_ref(repo, ref)
    relpath, data, _ = read_record(repo, library, record_id)
    active = CopyIndex.build(repo).active if data.get("items") else {}
    copies = [{**item, "exchanges": list(active.get(item.get("barcode", ""), []))}
              for item in data.get("items") or [] if isinstance(item, dict)]
    return {"library": library, "id": record_id, "file": relpath,
            "record": {k: v for k, v in data.items() if k != "items"}, "copies": copies,
            "lacking": lacking(data, data.get("share", SHARE_DEFAULT))}


# --- set and add --------------------------------------------------------------------------------

@dataclass
class RecordEdit:
    """What ``set_fields`` or ``add_record`` did (or, in a dry run, would do)."""

    action: str                 # "set" | "add"
    library: str
    id: str
    file: str
    changes: list[FieldChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    record: Record = field(default_factory=dict)
    written: bool = False
    dry_run: bool = False
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "library": self.library, "id": self.id, "file": self.file,
                "changes": [c.to_dict() for c in self.changes], "warnings": list(self.warnings),
                "written": self.written, "dry_run": self.dry_run, "commit": self.commit, "record": self.record}


def _refuse_unshareable(library: str, record_id: str, record: Record) -> None:
    missing = lacking(record)
    if missing:
        raise LibsyncError("edit.record.cannot_share", exit_code=1, library=library, id=record_id,
                           share=labels.share(record.get("share")), fields=", ".join(t(f"field.{m}") for m in missing))


def set_fields(repo: Repository, ref: str, assignments: Sequence[Assignment], *, commit: bool = False,
               dry_run: bool = False, day: str | None = None) -> RecordEdit:
    """``record set LIB/ID FIELD=VALUE…``: change those fields, all or none."""
    if not assignments:
        raise LibsyncError("edit.nothing_to_set")
    library, record_id = parse_ref(repo, ref)
    relpath, data, oid = read_record(repo, library, record_id)
    new, changes = apply_assignments(data, assignments)
    outcome = RecordEdit("set", library, record_id, relpath, changes, record=new, dry_run=dry_run)
    if not changes:
        outcome.record = data
        return outcome
    _refuse_unshareable(library, record_id, new)
    new["updated"] = check_day(day, today())
    outcome.record = new
    message = t("edit.commit.record_set", library=library, id=record_id,
                fields=", ".join(c.field for c in changes))
    message += "\n\n" + "\n".join(f"{c.field}: {value_text(c.old)} → {value_text(c.new)}" for c in changes)
    outcome.commit = finish(repo, {relpath: repo.render("record", new)}, message=message,
                            command="record set", commit=commit, dry_run=dry_run, expected={relpath: oid})
    outcome.written = not dry_run
    return outcome


def add_record(repo: Repository, library: str, assignments: Sequence[Assignment], *,
               barcodes: Sequence[str] = (), record_id: str | None = None, location: str | None = None,
               acquired: str | None = None, commit: bool = False, dry_run: bool = False,
               day: str | None = None) -> RecordEdit:
    """``record add --library LIB``: a new record from ``assignments`` (title and type at least),
    with a copy for each barcode (available). Its id is made as the importer makes one; share and
    access come from network.yaml's sharing policy unless given, and a record that lacks what
    sharing requires is kept ``internal`` (with a warning naming the fields)."""
    from libsync.interchange.importer import new_id

    repo.network.library(library)
    created = check_day(day, today())
    record, _ = apply_assignments({"library": library}, assignments, required=())
    missing = [name for name in REQUIRED if not record.get(name)]
    if missing:
        raise LibsyncError("edit.record.missing", fields=", ".join(t(f"edit.label.{m}").lower() for m in missing))
    taken = {rid.lower() for rid in library_ids(repo, library)}
    if record_id is not None:
        record_id = record_id.strip()
        if not _SAFE_ID.match(record_id):
            raise LibsyncError("edit.bad_ref", ref=f"{library}/{record_id}")
        if record_id.lower() in taken:
            raise LibsyncError("edit.record.id_taken", exit_code=1, library=library, id=record_id)
        record["id"] = record_id
    else:
        record["id"] = new_id(record, taken)
    warnings: list[str] = []
    explicit_share = "share" in record
    share, access = policy_for(repo.network, library, record["type"], ADD_DEFAULT)
    record.setdefault("share", share)
    record.setdefault("access", access)
    if record["share"] in SHARED_LEVELS and lacking(record):
        if explicit_share:
            _refuse_unshareable(library, record["id"], record)
        warnings.append(t("edit.warn.kept_internal", share=labels.share(record["share"]),
                          fields=", ".join(t(f"field.{m}") for m in lacking(record))))
        record["share"] = SHARE_DEFAULT
    items = _new_items(repo, barcodes, location, check_day(acquired))
    if items:
        record["items"] = items
    record["provenance"] = {"source": "manual"}
    record["created"] = created
    relpath = repo.record_relpath(library, record["id"])
    changes = [FieldChange(name, None, record[name]) for name in record
               if name not in ("library", "id", "created", "provenance", "items")]
    outcome = RecordEdit("add", library, record["id"], relpath, changes, warnings, record, dry_run=dry_run)
    message = t("edit.commit.record_add", library=library, id=record["id"], title=record["title"],
                copies=len(record.get("items") or []))
    outcome.commit = finish(repo, {relpath: repo.render("record", record)}, message=message,
                            command="record add", commit=commit, dry_run=dry_run, expected={relpath: ""})
    outcome.written = not dry_run
    return outcome


def _new_items(repo: Repository, barcodes: Sequence[str], location: str | None,
               acquired: str | None) -> list[dict[str, Any]]:
    """A copy (available, at ``location``) for each barcode; one given twice, or already a copy
    anywhere in the network (compared as validate compares them: case-insensitively), is refused."""
    codes = [_clean(b) for b in barcodes if _clean(b)]
    seen: dict[str, str] = {}
    for code in codes:
        if code.casefold() in seen:
            raise LibsyncError("edit.barcode_twice", barcode=code)
        seen[code.casefold()] = code
    if not codes:
        return []
    from libsync.store.copies import CopyIndex

    index = CopyIndex.build(repo, exchanges=False)
    taken = [(code, index.get(code)) for code in codes]
    clashes = [f"{code} ({found.library}/{found.record})" for code, found in taken if found is not None]
    if clashes:
        raise LibsyncError("edit.barcode_taken", exit_code=1, count=len(clashes), barcodes=", ".join(clashes))
    items = []
    for code in codes:
        item: dict[str, Any] = {"barcode": code, "status": "available"}
        if location and _clean(location):
            item["location"] = _clean(location)
        if acquired:
            item["acquired"] = acquired
        items.append(item)
    return items
