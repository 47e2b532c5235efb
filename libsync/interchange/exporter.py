"""Export: the records one audience may see, in MARC, MARCXML, CSV, XLSX or JSON.

``export(repo, fmt, library=None, audience=None)`` returns an ``Export`` (the bytes and a
report). The audience decides what leaves the repository (``libsync.audience``): a record
with ``share: internal`` never leaves its own library, ``public`` sees only ``share: public``,
and private fields (prices, register numbers, internal notes, provenance) are removed for
anyone but the owning library. MARC output never holds a record over 99,999 bytes: copies
are spread over several records with the same 001, and a record whose bibliographic part
alone is too big is left out with a message (the export then exits 1).

XLSX, MARCXML and ISO 2709 cannot carry every character a record may hold (validate
refuses them, but export must not depend on it): a record with a character XML cannot
carry (C0 controls but TAB/LF/CR, which in ISO 2709 include MARC's own delimiters) or, in
XLSX, a text longer than a cell holds is left out with a message naming the record and the
field, as with MARC's size limits — never a crash, never an ill-formed file, never a value
silently cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libsync import audience as aud
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.repository import Repository
from libsync.text import xmlchars

if TYPE_CHECKING:
    from libsync.interchange.model import Message

FORMATS = ("marc", "marcxml", "csv", "xlsx", "json")
XML_FORMATS = ("marc", "marcxml", "xlsx")   # formats that cannot carry every character
XLSX_CELL_LIMIT = 32_767                    # characters in one Excel cell


@dataclass
class Export:
    fmt: str
    audience: str
    library: str | None
    data: bytes
    records: int = 0
    marc_records: int = 0
    split: list[str] = field(default_factory=list)
    refused: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"format": self.fmt, "audience": self.audience, "library": self.library, "records": self.records,
                "marc_records": self.marc_records, "split": self.split, "bytes": len(self.data),
                "refused": [t(k, **p) for k, p in self.refused]}


def select(repo: Repository, library: str | None, audience: str) -> list[dict[str, Any]]:
    """The records of ``library`` (or the whole network) that ``audience`` may see, redacted."""
    codes = repo.network.libraries
    if library:
        repo.network.library(library)
    if aud.is_library(audience) and audience not in codes:
        repo.network.library(audience)
    from libsync.interchange.importer import library_records

    records = [data for _, data in library_records(repo, library)]
    visible: list[dict[str, Any]] = aud.visible_records(records, audience)
    return visible


def unexportable(record: dict[str, Any], fmt: str) -> Message | None:
    """Why ``record`` cannot be written in ``fmt`` (message key + params), or None."""
    if fmt not in XML_FORMATS:
        return None
    bad = xmlchars.find(record)
    if bad:
        return "interchange.export.bad_chars", {"id": record.get("id"), "field": bad[0],
                                                 "chars": xmlchars.codes(bad[1]), "fmt": fmt}
    if fmt == "xlsx":
        from libsync.interchange.tables import record_rows

        for row in record_rows(record):
            for column, value in row.items():
                if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
                    return "interchange.export.cell_too_long", {"id": record.get("id"), "field": column,
                                                                 "size": len(value), "limit": XLSX_CELL_LIMIT}
    return None


def render(records: list[dict[str, Any]], fmt: str) -> tuple[bytes, int, list[str], list[Message]]:
    from libsync.interchange import marc, tables

    split: list[str] = []
    refused: list[Message] = []
    count = 0
    if fmt in XML_FORMATS:
        kept = []
        for record in records:
            why = unexportable(record, fmt)
            if why:
                refused.append(why)
            else:
                kept.append(record)
        records = kept
    if fmt == "json":
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), len(records), split, refused
    if fmt == "csv":
        return tables.write_csv(records), len(records), split, refused
    if fmt == "xlsx":
        return tables.write_xlsx(records), len(records), split, refused
    chunks: list[bytes] = []
    if fmt == "marcxml":
        chunks.append(b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n')
    for record in records:
        try:
            if fmt == "marc":
                parts = marc.record_to_iso2709(record)
            else:
                parts = [marc.as_marcxml(part) + b"\n" for part in marc.record_to_marc(record)]
        except ValueError as exc:
            refused.append(exc.args[0])
            continue
        if len(parts) > 1:
            split.append(record["id"])
        chunks.extend(parts)
        count += len(parts)
    if fmt == "marcxml":
        chunks.append(b"</collection>\n")
    return b"".join(chunks), count, split, refused


def export(repo: Repository, fmt: str, library: str | None = None, audience: str | None = None) -> Export:
    if fmt not in FORMATS:
        raise LibsyncError("cli.bad_format", fmt=fmt, choices="|".join(FORMATS))
    # an empty --audience "" (an unset variable in a script) is refused like any unknown audience,
    # never taken for the default: with --library that default is the owner's full view
    audience = audience if audience is not None else (library or "network")
    records = select(repo, library, audience)
    data, marc_count, split, refused = render(records, fmt)
    return Export(fmt, audience, library, data, records=len(records) - len(refused),
                  marc_records=marc_count if fmt in ("marc", "marcxml") else 0, split=split, refused=refused)
