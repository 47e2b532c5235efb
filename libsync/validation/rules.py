"""Rules a schema cannot express, one document at a time, and the facts for cross-file rules.

``check_document(kind, relpath, data)`` returns ``(problems, facts)``. Problems carry a JSON
path in ``pointer_path`` (located to a line later, only when there is a problem); facts are
the small plain values the cross-file rules need (ids, barcodes, exchange copies), so that a
cached file never has to be parsed again for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import pairwise
from pathlib import PurePosixPath
from typing import Any

from libsync import labels
from libsync.dates import typed_date
from libsync.model.classification import is_ddc, looks_bpl19
from libsync.model.enums import EXCHANGE_CHECKS, EXCHANGE_OUT, EXCHANGE_PENDING, ROTATING_STATUSES
from libsync.model.sharing import lacking
from libsync.network import parse_date
from libsync.problems import msg
from libsync.text import identity_key
from libsync.text.identifiers import isbn13, isbn_valid, issn_valid

# Manifest states in which copies are spoken for (promised or at the partner).
ACTIVE_STATUSES = EXCHANGE_PENDING
AWAY_STATUSES = EXCHANGE_OUT
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


JsonPath = list[str | int]   # keys and list positions, from the document's top
Document = dict[str, Any]    # one data file as read (after the schema's pruning)
# What a file's rules leave for the cross-file ones: a list for a record (``check_record``:
# 30,000 of them are cached), a mapping for the other kinds.
Facts = list[Any] | dict[str, Any]
# One value to put in order: (field label, value as written, json path)
Dated = tuple[str, Any, JsonPath]


class Found:
    """Collects (rule, key, params, path, severity) tuples for one document."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, dict[str, Any], JsonPath, str]] = []

    def error(self, rule: str, key: str, path: JsonPath, **params: Any) -> None:
        self.items.append((rule, key, params, path, "error"))

    def warning(self, rule: str, key: str, path: JsonPath, **params: Any) -> None:
        self.items.append((rule, key, params, path, "warning"))


def unsafe_id(value: str) -> bool:
    return (
        ".." in value or "/" in value or "\\" in value or value.startswith(".")
        or any(ord(c) < 32 for c in value) or value.split(".")[0].lower() in _WINDOWS_RESERVED
    )


def _check_dates(found: Found, obj: dict[str, Any], fields: tuple[str, ...], path: JsonPath) -> None:
    for name in fields:
        value = obj.get(name)
        if isinstance(value, str) and parse_date(value) is None:
            day = typed_date(value)   # 10/09/2022, as people write it: a real day, in the wrong form for the file
            if day is not None:
                found.error("date-invalid", "rule.date_day_first", path + [name], value=value, iso=day.isoformat())
            else:
                found.error("date-invalid", "rule.date_invalid", path + [name], value=value)


def _order(found: Found, first: Dated, second: Dated, path: JsonPath) -> None:
    """``first``/``second`` are (field label, value, json path)."""
    a, b = parse_date(first[1]), parse_date(second[1])
    if a and b and a > b:
        found.error("date-order", "rule.date_order", second[2], first=first[0], first_value=first[1],
                    second=second[0], second_value=second[1])


def _path_parts(relpath: str) -> tuple[str, ...]:
    if "//" in relpath or relpath.startswith(("./", "/")) or relpath.endswith("/") or "/./" in relpath:
        return PurePosixPath(relpath).parts
    return tuple(relpath.split("/"))   # a plain relative path (every listed one): no Path needed


def _stem(name: str) -> str:
    """``PurePosixPath(name).stem`` of a file name."""
    cut = name.rfind(".")
    return name[:cut] if 0 < cut < len(name) - 1 else name


def check_place(found: Found, relpath: str, data: Document) -> None:
    """The file's place agrees with its content: ``id`` is the file name (and a safe one), and
    for records and snapshots ``library`` is the folder (``<top>/<LIB>/<id>.yaml``)."""
    parts = _path_parts(relpath)
    value = data.get("id")
    if isinstance(value, str):
        if unsafe_id(value):
            found.error("unsafe-id", "rule.unsafe_id", ["id"], value=value)
        elif value != _stem(parts[-1] if parts else ""):
            found.error("path-mismatch", "rule.path_mismatch", ["id"], field="id", value=value, expected=relpath)
    lib = data.get("library")
    if isinstance(lib, str) and len(parts) == 3 and lib != parts[1]:
        found.error("path-mismatch", "rule.path_mismatch", ["library"], field="library", value=lib, expected=relpath)


# --- records ---------------------------------------------------------------------------------

ART28_REQUIRED = ("title", "authors", "publication", "subjects", "call_number")


def check_record(relpath: str, data: Document, found: Found) -> list[Any]:
    rid, lib = data.get("id"), data.get("library")
    check_place(found, relpath, data)
    isbn = data.get("isbn")
    if isinstance(isbn, str) and not isbn_valid(isbn):
        found.error("isbn-checksum", "rule.isbn", ["isbn"], value=isbn)
    issn = data.get("issn")
    if isinstance(issn, str) and not issn_valid(issn):
        found.error("issn-checksum", "rule.issn", ["issn"], value=issn)
    _check_dates(found, data, ("created", "updated"), [])
    _order(found, ("created", data.get("created"), ["created"]), ("updated", data.get("updated"), ["updated"]), [])
    if isinstance(data.get("provenance"), dict):
        _check_dates(found, data["provenance"], ("imported",), ["provenance"])

    classification = value if isinstance(value := data.get("classification"), dict) else {}
    ddc = classification.get("ddc")
    if isinstance(ddc, str) and not is_ddc(ddc):   # a rule, not the schema: the record stays usable to fix
        found.error("ddc-format", "rule.ddc_format", ["classification", "ddc"], value=ddc,
                    hint=msg("hint.ddc_bpl19", value=ddc) if looks_bpl19(ddc) else msg("hint.ddc"),
                    record=f"{lib}/{rid}")

    missing = lacking(data)
    if missing:
        found.error("art28-incomplete", "rule.art28_missing", ["share"], share=labels.later("share", data.get("share")),
                    fields=[msg(f"field.{name}") for name in missing])

    items_facts: list[list[Any]] = []
    seen: dict[str, int] = {}
    items = value if isinstance(value := data.get("items"), list) else []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        barcode, status, holder = item.get("barcode"), item.get("status"), item.get("holder")
        _check_dates(found, item, ("acquired", "status_date"), ["items", i])
        _order(found, (f"items[{i + 1}].acquired", item.get("acquired"), ["items", i, "acquired"]),
               (f"items[{i + 1}].status_date", item.get("status_date"), ["items", i, "status_date"]), [])
        if isinstance(barcode, str):
            if barcode.casefold() in seen:   # case-insensitively, as across files (crossfile)
                found.error("duplicate-barcode", "rule.duplicate_barcode_in_file", ["items", i, "barcode"], barcode=barcode)
            seen[barcode.casefold()] = i
            items_facts.append([barcode, status, holder, i])
        if status in ROTATING_STATUSES and (not holder or holder == lib) and status == "at-partner":
            found.error("holder-status", "rule.holder_status", ["items", i, "status"], barcode=barcode,
                        status=labels.later("item-status", status), holder=holder or lib)
    return [rid, lib, items_facts, isbn_shape(data)]   # a list, not a dict: 30,000 of these are cached and reloaded


def isbn_shape(data: Document) -> list[str] | None:
    """A record's ISBN (13 digits) and the parts of its description that tell editions apart
    (title words with their tones, volume, edition, type, grade, series): records sharing an ISBN
    whose shapes agree are one edition; the others are checked by the union catalogue's matcher
    (``libsync.validation.isbn``)."""
    isbn = data.get("isbn")
    code = isbn13(isbn) if isinstance(isbn, str) else None
    if code is None:
        return None
    curriculum = value if isinstance(value := data.get("curriculum"), dict) else {}
    parts = (identity_key(data.get("title") if isinstance(data.get("title"), str) else ""), data.get("volume"),
             data.get("edition"), data.get("type"), curriculum.get("grade"), curriculum.get("series"))
    return [code, *("" if part is None else str(part) for part in parts)]


# --- exchange manifests ----------------------------------------------------------------------

def check_exchange(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    parts = _path_parts(relpath)
    eid, term = data.get("id"), data.get("term")
    check_place(found, relpath, data)
    if isinstance(term, str) and len(parts) == 4 and term != f"{parts[1]}/{parts[2]}":
        found.error("term-path", "rule.term_mismatch_path", ["term"], term=term, folder=f"{parts[1]}/{parts[2]}")
    sender, receiver = data.get("from"), data.get("to")
    if isinstance(eid, str) and isinstance(sender, str) and isinstance(receiver, str) \
            and not eid.lower().startswith(f"{sender}-{receiver}-".lower()):
        found.warning("exchange-id-prefix", "rule.exchange_id_prefix", ["id"], id=eid,
                      prefix=f"{sender}-{receiver}-".lower())
    if data.get("from") and data.get("from") == data.get("to"):
        found.error("same-library", "rule.same_library", ["to"], code=data["to"])
    planned = value if isinstance(value := data.get("planned"), dict) else {}
    _check_dates(found, planned, ("handover", "return_due"), ["planned"])
    _order(found, ("planned.handover", planned.get("handover"), ["planned", "handover"]),
           ("planned.return_due", planned.get("return_due"), ["planned", "return_due"]), [])
    history = value if isinstance(value := data.get("history"), list) else []
    previous: tuple[int, Any] | None = None
    for i, entry in enumerate(history):
        if not isinstance(entry, dict):
            continue
        _check_dates(found, entry, ("date",), ["history", i])
        if previous is not None:
            _order(found, (f"history[{previous[0] + 1}].date", previous[1], ["history", previous[0], "date"]),
                   (f"history[{i + 1}].date", entry.get("date"), ["history", i, "date"]), [])
        previous = (i, entry.get("date"))
    if history and isinstance(history[-1], dict) and history[-1].get("status") not in (None, data.get("status")):
        found.error("history-status", "rule.history_status", ["status"],
                    status=labels.later("exchange-status", data.get("status")),
                    last=labels.later("exchange-status", history[-1].get("status")))
    checks: list[Dated] = []
    for name in EXCHANGE_CHECKS:
        if isinstance(data.get(name), dict):
            _check_dates(found, data[name], ("date",), [name])
            checks.append((f"{name}.date", data[name].get("date"), [name, "date"]))
    for first, second in pairwise(checks):   # handed over, then received, then back
        _order(found, first, second, [])
    copies_facts: list[list[Any]] = []
    accessions: list[list[Any]] = []   # a donation's copies as the receiver registered them: [index, barcode]
    seen: set[Any] = set()
    copies = value if isinstance(value := data.get("copies"), list) else []
    for i, copy in enumerate(copies):
        if not isinstance(copy, dict):
            continue
        barcode = copy.get("barcode")
        if barcode is not None and barcode in seen:
            found.error("copy-twice", "rule.copy_twice_in_manifest", ["copies", i, "barcode"], barcode=barcode)
        seen.add(barcode)
        copies_facts.append([barcode, copy.get("record"), i, copy.get("outcome")])
        accession = copy.get("accession")
        if isinstance(accession, dict) and isinstance(accession.get("barcode"), str):
            accessions.append([i, accession["barcode"]])
    return {
        "kind": data.get("kind"), "accessions": accessions,
        "id": eid, "term": term, "from": data.get("from"), "to": data.get("to"), "group": data.get("group"),
        "status": data.get("status"), "handover": planned.get("handover"), "return_due": planned.get("return_due"),
        "copies": copies_facts,
    }


# --- inventory snapshots ---------------------------------------------------------------------

def check_inventory(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    sid, lib = data.get("id"), data.get("library")
    check_place(found, relpath, data)
    _check_dates(found, data, ("date",), [])
    barcodes = data.get("barcodes")
    total = len(barcodes) if isinstance(barcodes, list) else None
    for i, section in enumerate(data.get("sections") or [] if total is not None else []):
        if isinstance(section, dict) and isinstance(section.get("start"), int) and isinstance(section.get("count"), int) \
                and section["start"] + section["count"] > total:
            found.error("snapshot-sections", "rule.snapshot_sections", ["sections", i])
    return {"id": sid, "library": lib, "exchange": data.get("exchange")}


# --- network.yaml ----------------------------------------------------------------------------

def check_network(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    codes: dict[str | None, int] = {}   # None: an entry that is not a mapping
    for i, lib in enumerate(data.get("libraries") or []):
        code = lib.get("code") if isinstance(lib, dict) else None
        if code in codes:
            found.error("duplicate-code", "rule.duplicate_code", ["libraries", i, "code"], code=code)
        codes.setdefault(code, i)
    lead = (data.get("network") or {}).get("lead")
    if isinstance(lead, str) and lead not in codes:
        found.error("unknown-library", "rule.unknown_library", ["network", "lead"], code=lead)
    group_ids: set[Any] = set()
    for i, group in enumerate(data.get("groups") or []):
        if not isinstance(group, dict):
            continue
        if group.get("id") in group_ids:
            found.error("duplicate-code", "rule.duplicate_code", ["groups", i, "id"], code=group.get("id"))
        group_ids.add(group.get("id"))
        members = group.get("members") or []
        for j, member in enumerate(members):
            if isinstance(member, str) and member not in codes:
                found.error("unknown-library", "rule.unknown_library", ["groups", i, "members", j], code=member)
        if isinstance(group.get("lead"), str) and group["lead"] not in members:
            found.error("lead-not-member", "rule.lead_not_member", ["groups", i, "lead"], code=group["lead"])
    term_ids: set[Any] = set()
    for y, year in enumerate((data.get("calendar") or {}).get("school_years") or []):
        if not isinstance(year, dict):
            continue
        for k, term in enumerate(year.get("terms") or []):
            if not isinstance(term, dict):
                continue
            tid = term.get("id")
            if tid in term_ids:
                found.error("duplicate-code", "rule.duplicate_code", ["calendar", "school_years", y, "terms", k, "id"], code=tid)
            term_ids.add(tid)
            if isinstance(tid, str) and year.get("id") and not tid.startswith(f"{year['id']}/"):
                found.error("term-year", "rule.term_outside_year", ["calendar", "school_years", y, "terms", k, "id"],
                            term=tid, year=year["id"])
            base: JsonPath = ["calendar", "school_years", y, "terms", k]
            _check_dates(found, term, ("start", "end"), base)
            _order(found, (f"{tid}.start", term.get("start"), base + ["start"]), (f"{tid}.end", term.get("end"), base + ["end"]), [])
        for k, period in enumerate(year.get("blackouts") or []):
            if not isinstance(period, dict):
                continue
            base = ["calendar", "school_years", y, "blackouts", k]
            _check_dates(found, period, ("start", "end"), base)
            _order(found, ("start", period.get("start"), base + ["start"]), ("end", period.get("end"), base + ["end"]), [])
    batch_ids: set[Any] = set()
    for i, batch in enumerate((data.get("rotation") or {}).get("batches") or []):
        if not isinstance(batch, dict):
            continue
        if batch.get("id") in batch_ids:
            found.error("duplicate-code", "rule.duplicate_code", ["rotation", "batches", i, "id"], code=batch.get("id"))
        batch_ids.add(batch.get("id"))
        if isinstance(batch.get("library"), str) and batch["library"] not in codes:
            found.error("unknown-library", "rule.unknown_library", ["rotation", "batches", i, "library"], code=batch.get("library"))
        if batch.get("group") and batch["group"] not in group_ids:
            found.error("unknown-group", "rule.unknown_group", ["rotation", "batches", i, "group"], group=batch["group"])
    sharing = data.get("sharing")
    for code in (sharing.get("libraries") or {}) if isinstance(sharing, dict) else ():
        if code not in codes:
            found.error("unknown-library", "rule.unknown_library", ["sharing", "libraries", code], code=code)
    source_names: set[Any] = set()
    for i, source in enumerate(data.get("sources") or []):   # OAI-PMH sources of `libsync harvest`
        if not isinstance(source, dict):
            continue
        if source.get("name") in source_names:
            found.error("duplicate-code", "rule.duplicate_code", ["sources", i, "name"], code=source.get("name"))
        source_names.add(source.get("name"))
        if isinstance(source.get("library"), str) and source["library"] not in codes:
            found.error("unknown-library", "rule.unknown_library", ["sources", i, "library"], code=source["library"])
    return {"libraries": sorted(c for c in codes if c), "terms": sorted(t for t in term_ids if t),
            "groups": sorted(g for g in group_ids if g)}


def check_overrides(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    """A decision may not say both "always merge" and "never merge" of one pair (merge refuses
    such a file). Facts: every pair decided (either way), and every record named, with its place,
    for the cross-file check that the records exist."""
    pairs: dict[str, dict[frozenset[str], int]] = {"never_merge": {}, "always_merge": {}}   # pair → entry
    named: list[list[Any]] = []
    for key in ("never_merge", "always_merge"):
        for n, entry in enumerate(data.get(key) or []):
            refs = entry.get("records") if isinstance(entry, dict) else None
            if not isinstance(refs, list):
                continue
            texts = [r for r in refs if isinstance(r, str)]
            named.extend([key, n, k, ref] for k, ref in enumerate(refs) if isinstance(ref, str))
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    pairs[key].setdefault(frozenset((a, b)), n)
    for pair, n in pairs["always_merge"].items():
        if pair in pairs["never_merge"]:
            a, b = sorted(pair)
            found.error("overrides-contradict", "rule.overrides_contradict", ["always_merge", n], a=a, b=b)
    decided = sorted(sorted(p) for p in {*pairs["never_merge"], *pairs["always_merge"]})
    return {"decided": decided, "named": named}

def check_harvest(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    """A harvest state file is named after its source (``harvest/<source>.yaml``): a copy under
    another name would be read for the wrong source. Facts: the source and its library."""
    stem = _path_parts(relpath)[-1].rsplit(".", 1)[0]
    if isinstance(data.get("source"), str) and data["source"] != stem:
        found.error("harvest-name", "rule.harvest_name", ["source"], source=data["source"], name=stem)
    return {"source": data.get("source"), "library": data.get("library")}


def check_withdrawal(relpath: str, data: Document, found: Found) -> dict[str, Any]:
    """A withdrawal proposal sits in its library's folder under its id, and its dates exist."""
    check_place(found, relpath, data)
    _check_dates(found, data, ("proposed", "decided"), [])
    return {"id": data.get("id"), "library": data.get("library")}


CHECKERS: dict[str, Callable[[str, Document, Found], Facts]] = {
    "record": check_record,
    "exchange": check_exchange,
    "inventory": check_inventory,
    "network": check_network,
    "overrides": check_overrides,
    "harvest": check_harvest,
    "withdrawal": check_withdrawal,
}


def today() -> dt.date:
    return dt.date.today()
