"""Donations between libraries (trao tặng): what ``exchange receive`` does for a manifest of
``kind: donation``.

``accession_donation(repo, data, copies, date, start=…, mapping=…)`` registers each copy the
receiver got under its own barcode — the next numbers of its series from ``start``, or an
old → new ``mapping`` (``read_map``) — in its own record of the same edition (the union
catalogue's matcher, ``collection.accession.EditionMatcher``) or in a new record made from the
giver's description with provenance; each new copy has an ``intake`` (source ``tang``, the
exchange id as document, ``origin`` = the giver's copy) and the receiver's next line of the
general register part I. The giver's copies become ``withdrawn`` (reason ``donated``, the
exchange id). It changes the documents in memory and returns them: the lifecycle writes the
manifest and every record in one ``store.write.apply``. It never writes and never reads YAML
itself.
"""

from __future__ import annotations

import copy as copying
import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.collection.accession import (
    EditionMatcher,
    RegisterBook,
    check_new_barcodes,
    intake_of,
    new_record_id,
    next_numbers,
)
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.sharing import set_initial_levels
from libsync.store.read import Store
from libsync.text import nfc

if TYPE_CHECKING:
    from libsync.repository import Repository
    from libsync.rotation.queries import Copies, Manifest

DONATED = "donated"
# what a new record keeps of the giver's description: not its notes, provenance, id, copies, nor
# the giver's sharing levels (the receiver's policy gives its own)
_DROP = ("id", "library", "notes", "provenance", "created", "updated", "items", "share", "access")


def _map_lines(path: str) -> list[tuple[int, list[str]]]:
    """The lines of a map file as (line number, cells): a text file split on commas, semicolons,
    TABs or spaces; an .xlsx's first sheet by its non-empty cells (line = the sheet's row)."""
    try:
        data = Path(path).read_bytes()
        if data[:2] == b"PK":   # an .xlsx (a zip)
            import io

            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [(n, [nfc(str(v).strip()) for v in row if v is not None and str(v).strip()])
                        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
            finally:
                book.close()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise LibsyncError("rotation.donation.map_unreadable", path=path, reason=str(exc)) from None
    return [(n, [p.strip() for p in re.split(r"[,;\t ]+", raw.strip()) if p.strip()])
            for n, raw in enumerate(text.splitlines(), start=1)]


def read_map(path: str) -> dict[str, str]:
    """An old → new barcode map (.csv/.txt or .xlsx): one pair a line — in a text file separated
    by a comma, semicolon, TAB or spaces, in a sheet two cells; a first line of headings and
    blank lines are skipped."""
    out: dict[str, str] = {}
    for n, parts in _map_lines(path):
        if not parts:
            continue
        if len(parts) != 2:
            raise LibsyncError("rotation.donation.map_line", path=path, line=n)
        if n == 1 and not any(ch.isdigit() for ch in parts[0]):
            continue   # headings
        if parts[0] in out:
            raise LibsyncError("rotation.donation.map_twice", path=path, line=n, barcode=parts[0])
        out[parts[0]] = parts[1]
    return out


def accession_donation(repo: Repository, data: Manifest, copies: Copies, date: dt.date, *, start: str | None = None,
                       mapping: dict[str, str] | None = None, by: str | None = None) -> dict[str, dict[str, Any]]:
    """Register the donated copies at the receiver and withdraw them at the giver (in memory).
    Returns the records to write (relpath → record); the manifest's copies get ``outcome:
    donated`` and ``accession {barcode, record}``."""
    giver, taker = data["from"], data["to"]
    given = [c for c in data["copies"] if c.get("outcome") is None]
    if (start is None) == (mapping is None):
        raise LibsyncError("rotation.donation.need_barcodes", exchange=data["id"])
    if mapping is not None:
        unmapped = [c["barcode"] for c in given if c["barcode"] not in mapping]
        if unmapped:
            raise LibsyncError("rotation.donation.unmapped", exit_code=1, barcodes=", ".join(unmapped))
        new_codes = [mapping[c["barcode"]] for c in given]
    else:
        new_codes = next_numbers(start or "", len(given))
    check_new_barcodes(repo, new_codes, {code: c["barcode"] for code, c in zip(new_codes, given)})

    loaded = Store.of(repo).records(strict=True, library=taker)
    records = list(zip(loaded.paths, loaded.documents))
    book = RegisterBook.of(taker, [r for _, r in records])
    line = book.next_line(date.year)
    register_no = book.register_no(date.year, line)
    matcher = EditionMatcher(records)
    taken = {str(r.get("id")).lower() for _, r in records}
    giver_name = repo.network.library(giver).get("name", giver)
    touched: dict[str, dict[str, Any]] = {}
    made: dict[str, tuple[str, dict[str, Any]]] = {}   # giver record id → receiver's (relpath, record)
    for copy, code in zip(given, new_codes):
        rel, record, item = copies[copy["barcode"]]
        target = made.get(record["id"])
        if target is None:
            target = matcher.find(record)
            if target is None:
                new = {k: copying.deepcopy(v) for k, v in record.items() if k not in _DROP}
                new_rec: dict[str, Any] = {"id": new_record_id(record, taker, taken), "library": taker, **new}
                new_rec["provenance"] = {"source": "donation", "file": rel, "imported": date.isoformat(),
                                         **({"by": by} if by else {})}
                new_rec["created"] = date.isoformat()
                set_initial_levels(new_rec, repo.network, taker)   # the receiver's sharing policy, not the giver's
                taken.add(new_rec["id"].lower())
                target = (repo.record_relpath(taker, new_rec["id"]), new_rec)
                matcher.add(*target)
            made[record["id"]] = target
        t_rel, t_rec = target
        new_item: dict[str, Any] = {"barcode": code, "status": "available", "acquired": date.isoformat()}
        if isinstance(item.get("price"), int):
            new_item["price"] = item["price"]
        new_item["register_no"] = register_no
        new_item["source"] = t("collection.source.tang", "vi")
        new_item["intake"] = intake_of("tang", date, line, document=data["id"], supplier=giver_name,
                                       exchange=data["id"],
                                       origin={"library": giver, "barcode": copy["barcode"], "record": record["id"]})
        if item.get("condition"):
            new_item["condition"] = item["condition"]
        t_rec.setdefault("items", []).append(new_item)
        touched[t_rel] = t_rec
        item["status"] = "withdrawn"
        item.pop("holder", None)
        item["status_date"] = date.isoformat()
        item["status_ref"] = data["id"]
        item["status_reason"] = DONATED
        touched[rel] = record
        copy["outcome"] = DONATED
        copy["accession"] = {"barcode": code, "record": t_rec["id"]}
    return touched
