"""Intake (nhập kho): a delivery registered in one step — ``libsync accession``.

Owns: the numbering of a library's copies (``next_numbers``: a barcode series such as
HD-TK-00120, 00121 …; ``RegisterBook``: the lines of the general register part I, kept as
each copy's ``register_no`` ``<prefix>-<year>/<line>`` and ``intake.line``), the intake data of
a copy (``intake_of``), the matching of a delivered title to the library's own record of the
same edition (``EditionMatcher``, the union catalogue's ``match.features``/``compare``) and
``accession`` itself: read a register (CSV/XLSX, ``interchange.tables``) or a scan of copies
already catalogued, number the copies, write everything through ``store.write.apply``.

Numbers already used anywhere in the network are refused before anything is written; a
refusal leaves the repository as it was. It never opens YAML itself (the store reads) and
never writes outside ``store.write.apply``.
"""

from __future__ import annotations

import copy as copying
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.catalog.match import Features, compare, features
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import INTAKE_SOURCES
from libsync.model.sharing import set_initial_levels
from libsync.store import lock
from libsync.store import write as store_write
from libsync.store.copies import barcode_owners
from libsync.store.read import Store
from libsync.text import fold, nfc

if TYPE_CHECKING:
    from libsync.repository import Repository

Record = dict[str, Any]

SOURCES = INTAKE_SOURCES
_SOURCE_WORDS = {"mua": "mua", "tang": "tang", "cap phat": "cap-phat", "luan chuyen ve": "luan-chuyen-ve",
                 "bought": "mua", "purchase": "mua", "donation": "tang", "gift": "tang", "allocated": "cap-phat"}
_REGISTER_NO = re.compile(r"^(?P<prefix>.+?)-(?P<year>\d{4})/(?P<line>\d+)$")
_SERIES = re.compile(r"^(?P<head>.*?)(?P<digits>\d+)$")
DEFAULT_PREFIX = "TQ"


def source_code(value: str) -> str:
    """The ASCII code of a source as a librarian writes it (mua, tặng, cấp phát, luân chuyển về)."""
    key = fold(value).replace("-", " ").strip()
    code = _SOURCE_WORDS.get(key)
    if code is None:
        raise LibsyncError("collection.bad_source", source=value, known="mua, tặng, cấp-phát, luân-chuyển-về")
    return code


def next_numbers(start: str, count: int) -> list[str]:
    """``count`` numbers of a series from ``start`` on: HD-TK-00120 → HD-TK-00120, HD-TK-00121 …
    (the width of the digits is kept)."""
    match = _SERIES.match(start.strip())
    if not match:
        raise LibsyncError("collection.bad_series", start=start)
    head, digits = match.group("head"), match.group("digits")
    first = int(digits)
    return [f"{head}{first + n:0{len(digits)}d}" for n in range(count)]


@dataclass
class RegisterBook:
    """The general register part I of one library, as its copies record it: the prefix of
    its entries (TQ, ĐKTQ …) and the lines used per year."""

    library: str
    prefix: str = DEFAULT_PREFIX
    used: dict[int, dict[int, str]] = field(default_factory=dict)   # year → line → document (or "")

    @classmethod
    def of(cls, library: str, records: list[Record]) -> RegisterBook:
        prefixes: dict[str, int] = {}
        book = cls(library)
        for record in records:
            for item in record.get("items") or []:
                intake = item.get("intake") or {}
                match = _REGISTER_NO.match(str(item.get("register_no") or ""))
                if match:
                    prefixes[match.group("prefix")] = prefixes.get(match.group("prefix"), 0) + 1
                    book.used.setdefault(int(match.group("year")), {}).setdefault(
                        int(match.group("line")), intake.get("document", ""))
                if intake.get("line") and intake.get("date"):
                    book.used.setdefault(int(intake["date"][:4]), {}).setdefault(intake["line"], intake.get("document", ""))
        if prefixes:
            book.prefix = max(prefixes, key=lambda p: (prefixes[p], p))
        return book

    def next_line(self, year: int) -> int:
        return max(self.used.get(year, {}), default=0) + 1

    def register_no(self, year: int, line: int) -> str:
        return f"{self.prefix}-{year}/{line:02d}"


def intake_of(source: str, date: dt.date, line: int, *, document: str | None = None, supplier: str | None = None,
              exchange: str | None = None, origin: dict[str, str] | None = None) -> dict[str, Any]:
    """A copy's ``intake`` (docs/data-model.md), in the schema's key order."""
    out: dict[str, Any] = {"source": source}
    if document:
        out["document"] = nfc(document)
    out["date"] = date.isoformat()
    if supplier:
        out["supplier"] = nfc(supplier)
    out["line"] = line
    if exchange:
        out["exchange"] = exchange
    if origin:
        out["origin"] = origin
    return out


class EditionMatcher:
    """A library's own record of an edition, by the union catalogue's matcher (a ``merge``
    decision of ``match.compare``; the best score wins)."""

    def __init__(self, records: list[tuple[str, Record]]) -> None:
        self._records = records
        self._features: list[Features] = [features(r) for _, r in records]

    def find(self, record: Record) -> tuple[str, Record] | None:
        wanted = features({**record, "library": record.get("library") or "?", "id": record.get("id") or "?"})
        best: tuple[float, int] | None = None
        for n, other in enumerate(self._features):
            decision = compare(wanted, other)
            if decision.outcome == "merge" and (best is None or decision.score > best[0]):
                best = (decision.score, n)
        return self._records[best[1]] if best else None

    def add(self, relpath: str, record: Record) -> None:
        self._records.append((relpath, record))
        self._features.append(features(record))


def network_barcodes(repo: Repository) -> dict[str, str]:
    """Every barcode of the network (case-folded) → ``LIB/record`` holding it."""
    return {code: f"{lib}/{rid}" for code, (lib, rid) in barcode_owners(repo).items()}


def check_new_barcodes(repo: Repository, barcodes: list[str], where: dict[str, str] | None = None) -> None:
    """Refuse barcodes used anywhere in the network, or twice in ``barcodes``."""
    used = network_barcodes(repo)
    seen: set[str] = set()
    clashes = []
    for code in barcodes:
        key = code.casefold()
        if key in used:
            clashes.append(t("collection.used_by", barcode=code, record=used[key], where=(where or {}).get(code, "")))
        elif key in seen:
            clashes.append(t("collection.used_twice", barcode=code, where=(where or {}).get(code, "")))
        seen.add(key)
    if clashes:
        raise LibsyncError("collection.numbers_used", exit_code=1, count=len(clashes), details="; ".join(clashes[:20]))


def new_record_id(record: Record, library: str, taken: set[str]) -> str:
    """An id for a new record of ``library`` (the importer's rule, lower-case ids unique)."""
    from libsync.interchange.importer import new_id

    return new_id({k: v for k, v in record.items() if k != "id"}, taken)


# --- the accession command ------------------------------------------------------------------

@dataclass
class Delivery:
    library: str
    source: str
    document: str
    date: dt.date
    supplier: str | None = None
    line: int | None = None            # general register part I line; default: the next of the year
    barcodes: str | None = None        # first barcode for copies the file gives none


def _read_rows(path: str) -> list[tuple[Record, list[Record], list[int]]]:
    """(record, copies, lines) per title of a register file (tables), or barcodes of a scan."""
    data = Path(path).read_bytes() if Path(path).is_file() else None
    if data is None:
        raise LibsyncError("collection.no_file", path=path)
    if path.lower().endswith(".txt"):
        from libsync.inventory.scan import read_scan

        scan = read_scan(path)
        return [({}, [{"barcode": code}], scan.line_numbers.get(code, [0])[:1]) for code in scan.barcodes]
    from libsync.interchange.tables import read_table

    result = read_table(data, path, every_copy=True)   # a line without a barcode is a copy too, with its price
    out = []
    for incoming in result.items:
        if incoming.error or incoming.record is None:
            raise LibsyncError("collection.bad_row", path=path, where=incoming.location,
                               reason=t(incoming.error[0], **incoming.error[1]) if incoming.error else "")
        record = dict(incoming.record)
        items = record.pop("items", [])
        items += [{} for _ in range(len(incoming.lines) - len(items))]   # (every line gives its copy)
        out.append((record, items, incoming.lines))
    return out


def accession(repo: Repository, delivery: Delivery, path: str, *, dry_run: bool = False, commit: bool = False,
              by: str | None = None) -> dict[str, Any]:
    """Register the delivery in ``path``; returns the plain result (see docs/collection.md)."""
    repo.network.library(delivery.library)
    lib = delivery.library
    with lock.locked(repo.root, "accession"):
        store = Store.of(repo)   # one listing: the blob ids of the files as read (expected= below)
        loaded = store.records(strict=True, library=lib)
        records = list(zip(loaded.paths, loaded.documents))
        book = RegisterBook.of(lib, [r for _, r in records])
        year = delivery.date.year
        line = delivery.line or book.next_line(year)
        if line in book.used.get(year, {}) and book.used[year][line] != delivery.document:
            raise LibsyncError("collection.line_used", exit_code=1, line=book.register_no(year, line), library=lib)
        rows = _read_rows(path)
        by_barcode = {str(i.get("barcode")).casefold(): (rel, r, i) for rel, r in records for i in r.get("items") or []}
        missing = sum(1 for _, items, _ in rows for i in items if not i.get("barcode"))
        numbers = iter(next_numbers(delivery.barcodes, missing) if missing and delivery.barcodes else [])
        if missing and not delivery.barcodes:
            raise LibsyncError("collection.need_barcodes", path=path, count=missing)
        matcher = EditionMatcher(records)
        taken = {str(r.get("id")).lower() for _, r in records}
        touched: dict[str, Record] = {}
        new_codes: list[str] = []
        where: dict[str, str] = {}
        copies_out: list[dict[str, Any]] = []
        intake = intake_of(delivery.source, delivery.date, line, document=delivery.document, supplier=delivery.supplier)
        register_no = book.register_no(year, line)
        label = t(f"collection.source.{delivery.source}")
        for record, items, lines in rows:
            if not record:   # a scan: copies of the library already catalogued get their intake
                code = items[0]["barcode"]
                found = by_barcode.get(code.casefold())
                if found is None:
                    raise LibsyncError("collection.scan_unknown", exit_code=1, path=path, barcode=code,
                                       line=lines[0], library=lib)
                rel, rec, item = found
                if item.get("intake") or item.get("register_no"):   # already in the general register: its line stays
                    raise LibsyncError("collection.already_registered", exit_code=1, barcode=code,
                                       document=(item.get("intake") or {}).get("document") or item.get("register_no"))
                item.update(register_no=register_no, source=item.get("source") or label, intake=dict(intake))
                item.setdefault("acquired", delivery.date.isoformat())
                touched[rel] = rec
                copies_out.append({"barcode": code, "record": rec["id"], "register_no": register_no, "new": False})
                continue
            match = matcher.find({**record, "library": lib})
            if match is None:
                rec = {"id": new_record_id(record, lib, taken), "library": lib, "type": record.get("type") or "other",
                       **{k: v for k, v in record.items() if k not in ("id", "library", "type")}}
                rec["provenance"] = {"source": "accession", "file": Path(path).name, "imported": delivery.date.isoformat(),
                                     **({"by": by} if by else {})}
                rec["created"] = delivery.date.isoformat()
                set_initial_levels(rec, repo.network, lib)   # the network's sharing policy, as import applies it
                taken.add(rec["id"].lower())
                rel = repo.record_relpath(lib, rec["id"])
                matcher.add(rel, rec)
                created = True
            else:
                rel, rec = match
                created = False
            for n, given in enumerate(items):
                item = copying.deepcopy(given)
                code = item.get("barcode") or next(numbers)
                item["barcode"] = code
                item.setdefault("status", "available")
                item["acquired"] = delivery.date.isoformat()
                item["register_no"] = register_no
                item["source"] = label
                item["intake"] = dict(intake)
                rec.setdefault("items", []).append(item)
                new_codes.append(code)
                where[code] = f"{Path(path).name}:{lines[min(n, len(lines) - 1)]}"
                copies_out.append({"barcode": code, "record": rec["id"], "register_no": register_no, "new": created})
            touched[rel] = rec
        check_new_barcodes(repo, new_codes, where)
        result: dict[str, Any] = {"library": lib, "source": delivery.source, "document": delivery.document,
                                  "date": delivery.date.isoformat(), "supplier": delivery.supplier, "line": line,
                                  "register_no": register_no, "copies": copies_out, "count": len(copies_out),
                                  "files": sorted(touched), "commit": None, "dry_run": dry_run}
        if dry_run:
            return result
        writes = list(touched.items())
        texts = store_write.render_many(repo, writes)
        ids = store.listing.ids   # the files as read: one another command changed since is never overwritten
        message = (t("collection.commit.accession", library=lib, count=len(copies_out), document=delivery.document,
                     register_no=register_no) + f"\n\nLibrary: {lib}\nDocument: {delivery.document}\nCopies: {len(copies_out)}\n"
                   if commit else None)
        result["commit"] = store_write.apply(repo, {rel: text for (rel, _), text in zip(writes, texts)},
                                             message=message, command="accession",
                                             expected={rel: ids.get(rel, "") for rel, _ in writes})
        return result
