"""Import: match incoming titles against a library's records, plan, then apply all-or-nothing.

``plan_import(repo, read_result, options)`` decides for every incoming record what would
happen — created, updated, unchanged, merged (into a title created earlier from the same
file, e.g. a MARC record split over several records), skipped, or rejected with reasons —
and renders the files it would write, each checked by ``libsync.validation`` first. Nothing
is written: ``--dry-run`` stops here. ``apply_plan`` writes every file through the store's
write path (``libsync.store.write.apply``: locked, all or none, the Git commit inside).

Matching order (first hit wins): a barcode of the incoming copies, the OAI-PMH identifier a
harvested record came under (``provenance.system_ids`` ``(OAI)…``), the source system's
control number (MARC 001), the ISBN (with the same volume), then the key title + first
author + year + volume (title and author compared by ``libsync.text.identity_key``: tones
and đ count, so "Cá" and "Ca" are two titles).

School books (``libsync.model.gdpt``, docs/gdpt.md): titles and names are stored with their
spaces collapsed; a series or publisher written another way ("KNTT", "NXBGDVN") is stored by
its canonical name, the spelling of the source kept in ``provenance.original``; a record the
source gives no type (or "other") gets the type its title tells ("Bài tập …" → workbook, "… -
Sách giáo viên" → teacher-book, subject + grade + series → textbook), said in
``provenance.inferred`` and in the report.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from libsync import labels, progress
from libsync.errors import LibsyncError, os_reason
from libsync.i18n import t
from libsync.interchange.model import Message, ReadResult
from libsync.model import gdpt
from libsync.model.enums import ACCESS_LEVELS, RECORD_TYPES, SAFE_ID, SHARE_LEVELS
from libsync.model.sharing import set_initial_levels
from libsync.repository import Repository
from libsync.store import write as store_write
from libsync.store.copies import barcode_owners
from libsync.text import fold, identity_key, legacy, nfc, xmlchars
from libsync.text.identifiers import isbn13

ACTIONS = ("created", "updated", "unchanged", "merged", "skipped", "rejected")
ON_MATCH = ("update", "skip", "new")
SHARES, ACCESS, TYPES = SHARE_LEVELS, ACCESS_LEVELS, RECORD_TYPES   # the --share/--access/--type choices
# fields the source does not own: kept from the existing record on update
_KEEP = ("id", "library", "share", "access", "created", "updated", "provenance", "items")
_VOLATILE_PROVENANCE = ("imported", "file", "by", "source")

Record = dict[str, Any]                    # a record's data, as read or as it will be written
TitleKey = tuple[str, str, Any, str]       # title, first author, year, volume (``title_key``)
IsbnKey = tuple[str, str]                  # ISBN-13, volume (``isbn_key``)


# what a new record gets when neither the command line nor network.yaml's policy says: a
# register is imported to be shared (what Art. 28 asks is checked record by record)
IMPORT_DEFAULT = ("network", "catalog")


@dataclass
class Options:
    library: str
    on_match: str = "update"
    share: str | None = None    # None: network.yaml's sharing policy (``libsync.model.sharing``)
    access: str | None = None
    default_type: str = "other"
    strict: bool = False
    today: str = field(default_factory=lambda: dt.date.today().isoformat())
    by: str | None = None


@dataclass
class Outcome:
    position: int
    where: Message   # message key + params saying where the record is in the source file
    action: str
    title: str | None = None
    record_id: str | None = None
    relpath: str | None = None
    reasons: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    items: int = 0
    changes: list[str] = field(default_factory=list)   # fields an update changes (what the dry run shows)
    inferred: list[Message] = field(default_factory=list)   # a type told by the title, names made canonical
    diff: list[dict[str, Any]] = field(default_factory=list)   # a for-edit sheet's old → new (``editsheet``)

    @property
    def location(self) -> str:
        """Where the record is in the source file, in the current language (formatted when asked:
        a 10,000-record dry run shows only the rejected ones)."""
        return t(self.where[0], **self.where[1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position, "location": self.location, "action": self.action,
            "title": self.title, "id": self.record_id, "file": self.relpath, "copies": self.items,
            "changes": list(self.changes), "diff": list(self.diff),
            "reasons": [t(k, **p) for k, p in self.reasons],
            "warnings": [t(k, **p) for k, p in self.warnings],
            "inferred": [t(k, **p) for k, p in self.inferred],
        }


# A note of a record, by kind: the message that names the kind (for the report's counted
# groups) and the parameters that tell two kinds apart (a bad value in "Năm XB" and one in
# "ISBN" are two kinds). A key not listed is its own kind, named by its first occurrence.
NOTE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "interchange.table.bad_value": ("interchange.kind.bad_value", ("column",)),
    "interchange.table.bad_isbn": ("interchange.kind.bad_isbn", ()),
    "interchange.marc.bad_isbn": ("interchange.kind.bad_isbn", ()),
    "interchange.marc.bad_ddc": ("interchange.kind.bad_ddc", ()),
    "interchange.marc.bad_url": ("interchange.kind.bad_url", ()),
    "interchange.marc.item_no_barcode": ("interchange.kind.item_no_barcode", ()),
    "interchange.table.no_title_row": ("interchange.kind.no_title", ()),
    "interchange.reject.no_title": ("interchange.kind.no_title", ()),
    "interchange.reject.barcode_twice": ("interchange.kind.barcode_twice", ()),
    "interchange.reject.barcode_in_file": ("interchange.kind.barcode_in_file", ()),
    "interchange.reject.barcode_other_library": ("interchange.kind.barcode_other_library", ()),
    "interchange.reject.barcode_taken": ("interchange.kind.barcode_taken", ()),
    "interchange.match.barcode": ("interchange.kind.match_barcode", ()),
    "interchange.match.control_number": ("interchange.kind.match_control_number", ()),
    "interchange.match.isbn": ("interchange.kind.match_isbn", ()),
    "interchange.match.title": ("interchange.kind.match_title", ()),
    "interchange.warn.holder_dropped": ("interchange.kind.holder_dropped", ()),
    "interchange.warn.control_chars": ("interchange.kind.control_chars", ("field",)),
    "interchange.warn.mojibake": ("interchange.kind.mojibake", ("field",)),
    "interchange.warn.list_kept": ("interchange.kind.list_kept", ("field",)),
    "interchange.invalid": ("interchange.kind.invalid", ("field",)),
    "interchange.kind.changes": ("interchange.kind.changes", ("fields",)),
}
SUMMED_UP = ("interchange.warn.kept_internal",)
"""Notes the summary counts for the whole file (with the inferences): not grouped again."""


@dataclass
class NoteGroup:
    """Records (rows of a table, records of a MARC file) with one kind of note: how the kind is
    said, where they are in the file (line or record numbers, in file order)."""
    kind: str
    lines: bool                 # places are line numbers (a table), else record numbers
    places: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.places)


def _place(outcome: Outcome, params: dict[str, Any]) -> int:
    where = outcome.where[1]
    return int(params.get("line") or where.get("line") or where.get("n") or outcome.position)


def note_groups(outcomes: list[Outcome]) -> list[NoteGroup]:
    """The notes of ``outcomes`` grouped by kind and counted, the most frequent kind first; an
    update's changed fields are a kind per set of fields. Notes the summary counts anyway (the
    sharing level kept, the names made canonical, the types inferred) are left out."""
    groups: dict[tuple[object, ...], NoteGroup] = {}
    for o in outcomes:
        notes = [*o.reasons, *o.warnings]
        if o.changes:
            notes.append(("interchange.kind.changes", {"fields": ", ".join(labels.field_name(c) for c in o.changes)}))
        for key, params in notes:
            if key in SUMMED_UP:
                continue
            kind_key, distinct = NOTE_KINDS.get(key, (key, ()))
            ident = (kind_key, *(str(params.get(p)) for p in distinct))
            group = groups.get(ident)
            if group is None:
                if key in NOTE_KINDS:
                    shown = {p: labels.field_name(params.get(p)) if p == "field" else params.get(p) for p in distinct}
                else:   # a kind without its own wording: said as its first note
                    shown = {p: v for p, v in params.items() if p != "line"}
                group = groups[ident] = NoteGroup(t(kind_key, **shown), o.where[0] == "interchange.where.line")
            place = _place(o, params)
            if place not in group.places:
                group.places.append(place)
    return sorted(groups.values(), key=lambda g: (-g.count, g.places[0] if g.places else 0))


@dataclass
class Plan:
    library: str
    source: str
    kind: str
    encodings: dict[str, int]
    outcomes: list[Outcome]
    writes: dict[str, Record]
    notes: list[Message]
    blank_lines: int = 0
    strict: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = {a: 0 for a in ACTIONS}
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "rejected"]

    @property
    def refused(self) -> bool:
        """``--strict`` and something rejected: the whole file is refused."""
        return self.strict and bool(self.rejected)

    def summary(self) -> str:
        c = self.counts
        return t("interchange.summary", total=self.total, library=self.library, source=os.path.basename(self.source),
                 created=c["created"], updated=c["updated"], unchanged=c["unchanged"], merged=c["merged"],
                 skipped=c["skipped"], rejected=c["rejected"])

    @property
    def kept_internal(self) -> dict[str, Any]:
        """Records created ``internal`` because they lack what sharing requires: how many, and
        how many lack each field."""
        fields: dict[str, int] = {}
        count = 0
        for outcome in self.outcomes:
            for key, params in outcome.warnings:
                if key == "interchange.warn.kept_internal" and outcome.action == "created":
                    count += 1
                    for name in params.get("missing", []):
                        fields[name] = fields.get(name, 0) + 1
        return {"records": count, "fields": fields}

    def kept_internal_ids(self) -> list[str]:
        """``LIB/id`` of the records created internal for lack of an Art. 28 field."""
        return [f"{self.library}/{o.record_id}" for o in self.outcomes if o.action == "created" and o.record_id
                and any(key == "interchange.warn.kept_internal" for key, _ in o.warnings)]

    def sharing_line(self, completable: int | None = None) -> str:
        """The summary's last line: what was kept internal, for which field, what ``enrich`` could
        complete (``completable``: how many, once the records are written) and what to run."""
        kept = self.kept_internal
        if not kept["records"]:
            return ""
        fields = ", ".join(f"{t('field.' + name)} ({n})" for name, n in
                           sorted(kept["fields"].items(), key=lambda item: (-item[1], item[0])))
        if completable is None:
            return t("interchange.kept_internal_line", n=kept["records"], fields=fields, library=self.library)
        return t("interchange.kept_internal_enrich", n=kept["records"], fields=fields, library=self.library,
                 completable=completable)

    @property
    def inferred(self) -> dict[str, dict[str, int]]:
        """Records of the plan whose type the title told (by type), and the fields whose
        spelling was made canonical (by field)."""
        types: dict[str, int] = {}
        fields: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.action not in ("created", "updated", "merged"):
                continue
            for key, params in outcome.inferred:
                if key == "interchange.inferred.type":
                    types[params["code"]] = types.get(params["code"], 0) + 1
                elif key == "interchange.inferred.canonical":
                    fields[params["field"]] = fields.get(params["field"], 0) + 1
        return {"types": types, "canonical": fields}

    def inference_lines(self) -> list[str]:
        """The summary's lines on what the import inferred and made canonical (none: empty)."""
        found = self.inferred
        lines = []
        if found["types"]:
            types = ", ".join(f"{t('interchange.edit.code.type.' + code)} ({n})"
                              for code, n in sorted(found["types"].items(), key=lambda item: (-item[1], item[0])))
            lines.append(t("interchange.inferred.types_line", n=sum(found["types"].values()), types=types))
        if found["canonical"]:
            fields = ", ".join(f"{labels.field_name(name)} ({n})" for name, n in sorted(found["canonical"].items()))
            lines.append(t("interchange.inferred.canonical_line", n=sum(found["canonical"].values()), fields=fields))
        return lines

    def encoding_text(self) -> str:
        return ", ".join(f"{t('interchange.encoding.' + enc)} ({n})" if len(self.encodings) > 1 or self.kind in ("marc",)
                         else t("interchange.encoding." + enc) for enc, n in sorted(self.encodings.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "library": self.library, "source": self.source, "kind": self.kind,
            "encodings": self.encodings, "total": self.total, "counts": self.counts,
            "blank_lines": self.blank_lines, "strict": self.strict, "refused": self.refused,
            "kept_internal": self.kept_internal,
            "inferred": self.inferred,
            "notes": [t(k, **p) for k, p in self.notes],
            "records": [o.to_dict() for o in self.outcomes],
        }


# --- validation: the one call to switch ------------------------------------------------------

def check_record(repo: Repository, relpath: str, record: Record) -> list[Message]:
    """Problems (as message key + params) of ``record`` if written at ``relpath``.

    The repository's own validator decides: its compiled schema and its record rules run on
    the data in memory; only an invalid record is rendered and re-checked as bytes, so the
    messages name fields exactly as ``libsync validate`` would."""
    from libsync import schemas
    from libsync.validation import check_bytes
    from libsync.validation.rules import Found
    from libsync.validation.rules import check_record as record_rules

    found = Found()
    if schemas.fast_validator("record").is_valid(record):
        record_rules(relpath, record, found)
        if not any(item[4] == "error" for item in found.items):
            return []
    problems, _ = check_bytes("record", relpath, repo.render("record", record).encode())
    return [("interchange.invalid", {"field": p.pointer or "/", "reason": p.message})
            for p in problems if p.severity == "error"]


# --- ids and keys ----------------------------------------------------------------------------

def slug(text: str, limit: int = 60) -> str:
    words = _fold(text).split()
    out = "-".join(words)[:limit].strip("-")
    return re.sub(r"[^a-z0-9-]", "", out) or "bieu-ghi"


def new_id(record: Record, taken: set[str]) -> str:
    wanted = record.get("id")
    if isinstance(wanted, str) and SAFE_ID.match(wanted) and wanted.lower() not in taken:
        return wanted
    parts = [slug(record.get("title", ""), 50)]
    if record.get("volume"):
        parts.append(slug(record["volume"], 12))
    if record.get("year"):
        parts.append(str(record["year"]))
    base = "-".join(parts)[:72].strip("-")
    candidate, n = base, 1
    # a title such as "Con" or "Nul" slugs to a Windows device name: "con-2"
    while candidate.lower() in taken or not SAFE_ID.match(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@functools.lru_cache(maxsize=65536)
def _fold(text: str | None) -> str:
    """``libsync.text.fold``, remembered: authors, volumes and titles are folded several times
    per record (match, index, clash check) and authors recur across a whole catalogue."""
    return fold(text)


def title_key(record: Record) -> TitleKey:
    """Title + first author + year + volume (by its number: "Tập 1" = "T.1" = "tập một" = "1").
    Title and author by their identity key
    (``libsync.text.identity_key``): case, NFC/NFD, i/y, tone placement and punctuation do not
    matter, tones and đ do — "Cá" is not "Ca", "Đá" is not "Da" (issue #14)."""
    authors = record.get("authors") or []
    return (identity_key(record.get("title")), identity_key(authors[0]) if authors else "",
            record.get("year") or 0, _volume(record.get("volume")))


def isbn_key(record: Record) -> IsbnKey | None:
    code = isbn13(record["isbn"]) if record.get("isbn") else None
    return (code, _volume(record.get("volume"))) if code else None


def _volume(value: object) -> str:
    """A volume by its number, whatever the spelling ("Tập 1", "T.1", "tập một", "1" → "1")."""
    from libsync.catalog.match import volume_key

    return volume_key(value) or ""


def copy_data(value: Any) -> Any:
    """A deep copy of YAML/JSON-shaped data (dicts, lists, scalars): ``copy.deepcopy`` without
    its memo bookkeeping, which cost more than the rest of planning together."""
    if isinstance(value, dict):
        return {k: copy_data(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}
    if isinstance(value, list):
        return [copy_data(v) if isinstance(v, (dict, list)) else v for v in value]
    return copy.deepcopy(value)


OAI_ID = "(OAI)"   # a system id naming an OAI-PMH identifier: "(OAI)oai:koha.thcs-xs:123"


def oai_ids(record: Record) -> list[str]:
    """The OAI-PMH identifiers the record was harvested under (``libsync harvest`` keeps them in
    ``provenance.system_ids`` as ``(OAI)<identifier>``)."""
    ids = (record.get("provenance") or {}).get("system_ids") or []
    return [s for s in ids if isinstance(s, str) and s.startswith(OAI_ID)]


class _Index:
    """Where a barcode / control number / ISBN / title key points: a record id."""

    def __init__(self) -> None:
        self.barcode: dict[str, str] = {}
        self.control: dict[str, str] = {}
        self.isbn: dict[IsbnKey, str] = {}
        self.key: dict[TitleKey, str] = {}
        self.oai: dict[str, str] = {}   # "(OAI)<identifier>" of provenance.system_ids (``harvest``)

    def add(self, rid: str, record: Record) -> None:
        for item in record.get("items") or []:
            if isinstance(item, dict) and item.get("barcode"):
                self.barcode.setdefault(item["barcode"], rid)
        for system_id in oai_ids(record):
            self.oai.setdefault(system_id, rid)
        control = (record.get("provenance") or {}).get("control_number")
        if control:
            self.control.setdefault(control, rid)
        key = isbn_key(record)
        if key:
            self.isbn.setdefault(key, rid)
        if record.get("title"):
            self.key.setdefault(title_key(record), rid)

    def match(self, record: Record) -> tuple[str | None, str | None]:
        for item in record.get("items") or []:
            rid = self.barcode.get(item.get("barcode"))
            if rid:
                return rid, "barcode"
        for system_id in oai_ids(record):   # the provider's OAI identifier: what a harvest matches by
            if system_id in self.oai:
                return self.oai[system_id], "oai"
        control = (record.get("provenance") or {}).get("control_number")
        if control and control in self.control:
            return self.control[control], "control_number"
        key = isbn_key(record)
        if key and key in self.isbn:
            return self.isbn[key], "isbn"
        if record.get("title"):
            rid = self.key.get(title_key(record))
            if rid:
                return rid, "title"
        return None, None


# --- planning --------------------------------------------------------------------------------

def _own_copy(record: Record) -> Record:
    """A copy of an incoming record that planning may change: the record itself, its provenance
    and its copies are new; the rest (lists of authors, subjects …) is shared, as nothing
    here changes it in place (``_merge`` copies the record it merges into)."""
    out = dict(record)
    if isinstance(out.get("provenance"), dict):
        out["provenance"] = dict(out["provenance"])
    if isinstance(out.get("items"), list):
        out["items"] = [dict(item) if isinstance(item, dict) else item for item in out["items"]]
    return out


def _repair_text(value: Any, path: tuple[str | int, ...], warnings: list[Message]) -> Any:
    """``value`` with, in every string, the characters XML/XLSX cannot carry removed and
    mojibake (UTF-8 read as Windows-1252: "Tiáº¿ng Viá»‡t") repaired — a warning naming the
    field for each. Returns ``value`` itself when nothing had to change."""
    if isinstance(value, str):
        text = value
        if xmlchars.ILLEGAL.search(text):
            warnings.append(("interchange.warn.control_chars", {"field": labels.field_name(_field_name(path)),
                                                                 "chars": xmlchars.codes(xmlchars.illegal(text))}))
            text = xmlchars.strip(text)
        if not text.isascii():
            fixed = legacy.fix_mojibake(text)
            if fixed is not None:
                warnings.append(("interchange.warn.mojibake", {"field": labels.field_name(_field_name(path)),
                                                               "before": text[:60],
                                                               "after": fixed[:60]}))
                text = fixed
        return text
    if isinstance(value, dict):
        out: dict[Any, Any] | None = None
        for key, item in value.items():
            new = _repair_text(item, path + (key,), warnings)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        copied: list[Any] | None = None
        for i, item in enumerate(value):
            new = _repair_text(item, path + (i,), warnings)
            if new is not item:
                if copied is None:
                    copied = list(value)
                copied[i] = new
        return value if copied is None else copied
    return value


def _field_name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path) or "/"


def _complete(record: Record, options: Options, source: str, network_codes: set[str]) -> list[Message]:
    """Fill in what the source cannot say; returns warnings.

    Defaults for the record's own fields (``--type``, ``--share``, ``--access``) are not
    set here: they apply to a record the import creates, never to one it updates."""
    warnings: list[Message] = []
    record["library"] = options.library
    prov = record.setdefault("provenance", {})
    prov["file"] = os.path.basename(source)
    prov["imported"] = options.today
    if options.by:
        prov["by"] = options.by
    for item in record.get("items") or []:
        holder = item.get("holder")
        if holder and (holder not in network_codes or holder == options.library):
            if holder != options.library:
                warnings.append(("interchange.warn.holder_dropped", {"barcode": item["barcode"], "holder": holder}))
            item.pop("holder", None)
    return warnings


_SPACED = ("title", "subtitle", "parallel_title", "series", "volume", "publisher", "place", "edition")


def _collapse(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _canonical_names(record: Record) -> list[Message]:
    """Collapse the spaces of the record's titles and names ("Bài  tập" → "Bài tập"); store a
    GDPT 2018 series and a known publisher by their canonical names, keeping the source's
    spelling in ``provenance.original`` (``libsync.model.gdpt``). Returns what was renamed."""
    for name in _SPACED:
        if isinstance(record.get(name), str):
            record[name] = _collapse(record[name])
    if isinstance(record.get("authors"), list):
        record["authors"] = [_collapse(a) for a in record["authors"]]
    curriculum = record.get("curriculum")
    if isinstance(curriculum, dict):
        curriculum = record["curriculum"] = {k: _collapse(v) for k, v in curriculum.items()}
    found: list[tuple[str, str, str]] = []   # (field, as typed, canonical)
    for name, holder, lookup in (("series", record, gdpt.series_name), ("publisher", record, gdpt.publisher_name),
                                 ("curriculum.series", curriculum, gdpt.series_name)):
        key = name.rsplit(".", 1)[-1]
        value = holder.get(key) if isinstance(holder, dict) else None
        canonical = lookup(value) if isinstance(value, str) else None
        if canonical and canonical != value:
            found.append((name, str(value), canonical))
            cast(Record, holder)[key] = canonical
    if not found:
        return []
    prov = record["provenance"] = dict(record.get("provenance") or {})
    prov["original"] = {**(prov.get("original") or {}), **{name: typed for name, typed, _ in found}}
    return [("interchange.inferred.canonical", {"field": name, "name": labels.field_name(name), "before": typed,
                                                "after": canonical})
            for name, typed, canonical in found]


def _other_book(a: Record, b: Record) -> bool:
    """Two records of one title, author, year and volume that are still two books: a pupil's
    book, workbook or teacher's book by their types, or two GDPT 2018 series."""
    kinds = {gdpt.book_kind(r.get("title"), r.get("type"), r.get("subtitle")) for r in (a, b)}
    if None not in kinds and len(kinds) == 2:
        return True
    series = set()
    for r in (a, b):
        named = [gdpt.series_name(v) for v in ((r.get("curriculum") or {}).get("series"), r.get("series"))
                 if isinstance(v, str)]
        series.add(next((n for n in named if n), None))
    return None not in series and len(series) == 2


def _infer_type(record: Record) -> Message | None:
    """Give a record without a type (or "other") the type its title tells
    (``libsync.model.gdpt.infer_type``), said in ``provenance.inferred``; None if it tells none."""
    curriculum = record.get("curriculum") or {}
    found = gdpt.infer_type(record.get("title"), record.get("subtitle"),
                            curriculum.get("series") or record.get("series"))
    if found is None:
        return None
    record["type"] = found.type
    prov = record["provenance"] = dict(record.get("provenance") or {})
    prov["inferred"] = {**(prov.get("inferred") or {}), "type": f"{found.source}: {found.evidence}"}
    return ("interchange.inferred.type", {"code": found.type, "type": t(f"interchange.edit.code.type.{found.type}"),
                                          "evidence": found.evidence})


def _merge(existing: Record, incoming: Record, today: str, kept: list[tuple[str, list[Any]]] | None = None) -> Record:
    """``existing`` updated with what ``incoming`` really carries.

    A field the source does not carry is left alone. A list is never shortened: when the
    source lacks entries the record has (a register that names only the first author),
    the record's entries stay, in their order, the source's new ones are added after them,
    and ``(field, [entries kept])`` is appended to ``kept`` so the report can say so. A
    source list that holds every entry of the record replaces it (its order wins). A
    mapping (classification, curriculum, digital) is updated key by key."""
    merged: Record = copy_data(existing)
    for key, value in incoming.items():
        if key in _KEEP:
            continue
        old = merged.get(key)
        if isinstance(value, list) and isinstance(old, list):
            mine = {_entry_key(entry): entry for entry in value}
            missing = [entry for entry in old if _entry_key(entry) not in mine]
            if missing:
                # the record's entries in their order (the source's version of one it also has),
                # then the source's new ones
                theirs = {_entry_key(entry) for entry in old}
                value = ([mine.get(_entry_key(entry), entry) for entry in old]
                         + [entry for entry in value if _entry_key(entry) not in theirs])
                if kept is not None:
                    kept.append((key, missing))
        elif isinstance(value, dict) and isinstance(old, dict):
            value = {**old, **value}
        merged[key] = value
    prov = dict(merged.get("provenance") or {})
    for key, value in (incoming.get("provenance") or {}).items():
        prov[key] = value
    if prov:
        merged["provenance"] = prov
    items = [dict(i) for i in merged.get("items") or []]
    by_barcode = {i.get("barcode"): i for i in items}
    for item in incoming.get("items") or []:
        have = by_barcode.get(item["barcode"])
        if have is None:
            new = dict(item)
            new.setdefault("status", "available")
            items.append(new)
            by_barcode[item["barcode"]] = new
        else:
            have.update(item)
    if items:
        merged["items"] = items
    return merged


def _changed_fields(before: Record, after: Record) -> list[str]:
    """The record fields an update changes, in the record's order (bookkeeping left out)."""
    skip = ("updated", "provenance")
    return [k for k in dict.fromkeys([*before, *after]) if k not in skip and before.get(k) != after.get(k)]


def _entry_key(entry: object) -> str:
    """What makes two list entries the same entry: a person (contributor) by name, a copy by
    barcode, text by its NFC case-folded form."""
    if isinstance(entry, dict):
        entry = entry.get("name") or entry.get("barcode") or repr(sorted(entry.items(), key=str))
    return nfc(str(entry)).casefold() if isinstance(entry, str) else repr(entry)


def _entry_text(entry: object) -> str:
    if isinstance(entry, dict):
        return str(entry.get("name") or entry.get("barcode") or entry)
    return str(entry)


def _comparable(record: Record) -> Record:
    out = {k: v for k, v in record.items() if k != "updated"}
    if "provenance" in out:
        out["provenance"] = {k: v for k, v in out["provenance"].items() if k not in _VOLATILE_PROVENANCE}
        if not out["provenance"]:
            del out["provenance"]
    return out


def library_records(repo: Repository, library: str | None) -> list[tuple[str, Record]]:
    """``(relpath, data)`` of every record file of ``library`` (None: the whole network), in path
    order, through the store (``libsync.store.read``: a repeat import or export parses only the
    files that changed). A record file the store's read policy refuses stops the command with
    validate's message, file and line: an import matched against part of a library could
    create a duplicate, an export could silently leave a record out."""
    from libsync.store.read import Store

    loaded = Store.of(repo).records(strict=True, library=library)
    return list(zip(loaded.paths, loaded.documents))


def plan_import(repo: Repository, read: ReadResult, options: Options) -> Plan:
    network = repo.network
    network.library(options.library)  # unknown code → LibsyncError with the known ones
    if options.on_match not in ON_MATCH:
        raise LibsyncError("cli.bad_format", fmt=options.on_match, choices="|".join(ON_MATCH))
    codes = set(network.libraries)

    existing: dict[str, Record] = {}
    paths: dict[str, str] = {}
    for relpath, data in library_records(repo, options.library):
        rid = str(data.get("id") or Path(relpath).stem)
        existing[rid] = data
        paths[rid] = relpath
    index = _Index()
    for rid, data in existing.items():
        index.add(rid, data)
    foreign = barcode_owners(repo, options.library)
    taken = {rid.lower() for rid in existing}
    planned: dict[str, Record] = {}      # id → record as it will be written
    planned_from: dict[str, int] = {}    # id → position that created/updated it
    created_here: set[str] = set()
    outcomes: list[Outcome] = []
    known = len(read.items) if isinstance(read.items, list) else None   # a lazy MARC reader: not known

    for incoming in read.items:
        outcome = Outcome(incoming.position, incoming.where, "rejected", warnings=list(incoming.warnings))
        outcomes.append(outcome)
        if len(outcomes) % 100 == 0:
            progress.step("import", len(outcomes), known)
        if incoming.error:
            outcome.reasons.append(incoming.error)
            continue
        # a record the reader could read (no error) has its data
        record: Record = _repair_text(_own_copy(cast(Record, incoming.record)), (), outcome.warnings)
        outcome.title = record.get("title")
        if not record.get("title"):
            outcome.reasons.append(("interchange.reject.no_title", {}))
            continue
        outcome.warnings += _complete(record, options, read.path, codes)
        outcome.inferred += _canonical_names(record)
        outcome.title = record.get("title")
        outcome.items = len(record.get("items") or [])

        barcodes = [i["barcode"] for i in record.get("items") or []]
        dupes = sorted({b for b in barcodes if barcodes.count(b) > 1})
        if dupes:
            outcome.reasons.append(("interchange.reject.barcode_twice", {"barcodes": ", ".join(dupes)}))
            continue
        elsewhere = next((b for b in barcodes if b.casefold() in foreign), None)
        if elsewhere is not None:   # barcodes are unique across the network (validate's duplicate-barcode)
            owner_library, owner_id = foreign[elsewhere.casefold()]
            outcome.reasons.append(("interchange.reject.barcode_other_library",
                                    {"barcode": elsewhere, "library": owner_library, "id": owner_id}))
            continue

        target, how = index.match(record)
        if how == "title" and target is not None and _other_book(planned.get(target) or existing[target], record):
            target, how = None, None
        if how == "barcode" and target is not None:   # a match always names the record
            holder = planned.get(target) or existing[target]
            same_isbn = isbn_key(holder) is not None and isbn_key(holder) == isbn_key(record)
            if not same_isbn and identity_key(holder.get("title")) != identity_key(record.get("title")):
                # the copy's number is already used by a different title: a clash, not a match
                barcode = next(b for b in barcodes if index.barcode.get(b) == target)
                key = "interchange.reject.barcode_in_file" if target in created_here else "interchange.reject.barcode_taken"
                outcome.reasons.append((key, {"barcode": barcode, "id": target, "position": planned_from.get(target)}))
                continue
        if target and options.on_match == "new" and target not in created_here:
            target, how = None, None
        if target and options.on_match == "skip" and target not in created_here:
            outcome.action, outcome.record_id = "skipped", target
            outcome.relpath = paths.get(target) or repo.record_relpath(options.library, target)
            outcome.reasons.append((f"interchange.match.{how}", {"id": target}))
            continue

        # every barcode must be free, or already belong to the matched record
        clash = [(b, index.barcode[b]) for b in barcodes if b in index.barcode and index.barcode[b] != target]
        if clash:
            barcode, owner = clash[0]
            where = planned_from.get(owner)
            key = "interchange.reject.barcode_in_file" if owner in created_here else "interchange.reject.barcode_taken"
            outcome.reasons.append((key, {"barcode": barcode, "id": owner, "position": where}))
            continue

        if target:
            base = planned.get(target) or existing[target]
            kept: list[tuple[str, list[Any]]] = []
            merged = _merge(base, record, options.today, kept)
            if merged.get("type") in (None, "other") and record.get("type") in (None, "other"):
                said = _infer_type(merged)   # the record had no type either: the title's is better
                if said is not None:
                    outcome.inferred.append(said)
            if _comparable(merged) == _comparable(base):
                outcome.action = "unchanged"
                outcome.record_id = target
                outcome.relpath = paths.get(target) or repo.record_relpath(options.library, target)
                outcome.reasons.append((f"interchange.match.{how}", {"id": target}))
                continue
            merged["updated"] = options.today
            rid = target
            new_record = merged
            action = "merged" if target in created_here else "updated"
            outcome.reasons.append((f"interchange.match.{how}", {"id": target}))
            outcome.changes = _changed_fields(base, merged)
            for key, entries in kept:
                outcome.warnings.append(("interchange.warn.list_kept", {
                    "field": labels.field_name(key), "n": len(entries), "values": "; ".join(_entry_text(e) for e in entries[:10])
                    + ("; …" if len(entries) > 10 else "")}))
        else:
            rid = new_id(record, taken)
            new_record = dict(record)
            new_record["id"] = rid
            if new_record.get("type") in (None, "other"):   # the source gives none: the title may tell
                said = _infer_type(new_record)
                if said is not None:
                    outcome.inferred.append(said)
            new_record.setdefault("type", options.default_type)
            for key, value in (("share", options.share), ("access", options.access)):   # the command line wins
                if value:
                    new_record.setdefault(key, value)
            meant, missing = set_initial_levels(new_record, network, options.library, IMPORT_DEFAULT)
            if missing:
                outcome.warnings.append(("interchange.warn.kept_internal", {
                    "share": labels.share(meant), "fields": ", ".join(t(f"field.{name}") for name in missing), "missing": missing}))
            new_record["created"] = options.today
            for item in new_record.get("items") or []:
                item.setdefault("status", "available")
            action = "created"

        relpath = paths.get(rid) or repo.record_relpath(options.library, rid)
        errors = check_record(repo, relpath, new_record)
        if errors:
            outcome.reasons.extend(errors)
            continue
        outcome.action, outcome.record_id, outcome.relpath = action, rid, relpath
        planned[rid] = new_record
        planned_from[rid] = incoming.position
        if action == "created":
            created_here.add(rid)
            taken.add(rid.lower())
        index.add(rid, new_record)

    writes = {outcome_path: planned[rid] for rid, outcome_path in
              ((rid, paths.get(rid) or repo.record_relpath(options.library, rid)) for rid in planned)}
    return Plan(options.library, read.path, read.kind, read.encodings, outcomes, writes, list(read.notes),
                read.blank_lines, options.strict)


def apply_plan(repo: Repository, plan: Plan, commit: bool = False) -> str | None:
    """Write the plan's files all-or-nothing; with ``commit`` make one Git commit. Returns the sha."""
    if plan.refused:
        raise LibsyncError("interchange.strict_refused", exit_code=1, rejected=len(plan.rejected),
                           total=plan.total)
    relpaths = sorted(plan.writes)
    if not relpaths:
        return None
    texts = render_all(repo, [plan.writes[p] for p in relpaths])
    message = None
    if commit:
        message = t("interchange.commit_message", library=plan.library, source=os.path.basename(plan.source),
                    created=plan.counts["created"], updated=plan.counts["updated"] + plan.counts["merged"])
        message += "\n\n" + plan.summary()
    # every record was checked in memory by ``check_record`` while planning
    return store_write.apply(repo, dict(zip(relpaths, texts)), message=message, command="import",
                             checked=set(relpaths))


def render_all(repo: Repository, records: list[Record]) -> list[str]:
    """Canonical YAML of every record (the store's ``render_many``, on both cores for big imports)."""
    return store_write.render_many(repo, [("records/_/x.yaml", r) for r in records])


def import_file(repo: Repository, path: str, kind: str, options: Options, encoding: str | None = None,
                mapping: dict[str, str] | None = None) -> Plan:
    """Read ``path`` (kind marc | table) and plan its import."""
    from libsync.interchange import marc, tables

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise LibsyncError("file.not_found", path=path) from None
    except OSError as exc:
        raise LibsyncError("file.unreadable", path=path, reason=os_reason(exc)) from None
    if not data.strip():
        raise LibsyncError("interchange.empty_file", path=path)
    if kind == "marc":
        enc = None
        if encoding:
            enc = {"utf-8": "utf-8", "utf8": "utf-8", "marc-8": "marc-8", "marc8": "marc-8"}.get(encoding.lower())
            if enc is None:
                raise LibsyncError("interchange.encoding.unknown", encoding=encoding, choices="utf-8, marc-8")
        read = marc.read_marc(data, path, enc, lazy=True)  # planned while the workers decode
    else:
        from libsync.interchange import editsheet

        if editsheet.is_edit_sheet(data):   # a sheet from `export xlsx --for-edit`: edits, not a register
            return editsheet.plan_edit(repo, data, path, options, mapping)
        read = tables.read_table(data, path, encoding, mapping)
    return plan_import(repo, read, options)
