"""The catalogue as an OAI-PMH *Static Repository* file (the OAI's "Static Repository" guideline).

A Static Repository is one XML file on a web server that a Static Repository Gateway answers the
six verbs for, so a network that has only static hosting (the web catalogue of ``libsync site
build``) can still be harvested. Its rules, kept here: namespace
``http://www.openarchives.org/OAI/2.0/static-repository`` with OAI-PMH elements inside; one
``ListRecords`` per metadata format holding every record (no resumption token); granularity
``YYYY-MM-DD``; no sets and no deleted records (``deletedRecord`` is ``no``, a removed record simply
leaves the file); the guideline is meant for collections of up to 5,000 records, so a catalogue
beyond ``LIMIT`` is not written (``too_big``) and the caller says so.

The records, identifiers and datestamps are the provider's (``libsync.oai.index``, the same
audience rules), the day of each datestamp kept. In the web catalogue the file keeps the site's
rule of never showing barcodes (records without their copies, MARC 952), and its ``baseURL`` is its
own name (``oai.xml``): only the gateway that serves it knows the URL the guideline asks for, so
``libsync oai static --base-url`` writes a file ready to register (copies included). Must never: write a file
beyond the limit, or anything the audience may not see.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from libsync.atomic import write_atomic
from libsync.i18n import t
from libsync.oai.metadata import FORMATS, attr, esc, render
from libsync.oai.protocol import Catalogue, Entry, day_stamp

STATIC_NS = "http://www.openarchives.org/OAI/2.0/static-repository"
STATIC_SCHEMA = "http://www.openarchives.org/OAI/2.0/static-repository.xsd"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
LIMIT = 5_000            # records: the size the guideline is meant for
FILE_NAME = "oai.xml"
BATCH = 500              # records read from the store at a time


def served(cat: Catalogue) -> list[Entry]:
    """The entries a static repository holds: records with metadata, no deleted ones."""
    return [e for e in cat.entries if not e.deleted and e.disseminable]


def too_big(cat: Catalogue, limit: int | None = None) -> int | None:
    """The number of records when there are more than ``limit`` (``LIMIT``); else None."""
    count = len(served(cat))
    return count if count > (LIMIT if limit is None else limit) else None


def chunks(cat: Catalogue, base_url: str, copies: bool = True) -> Iterator[bytes]:
    """The static repository of ``cat``, piece by piece (``base_url``: the gateway's URL of it;
    ``copies=False``: records without their copies, so no barcode)."""
    entries = served(cat)
    earliest = min((e.stamp for e in entries), default=cat.earliest)
    emails = "".join(f"<oai:adminEmail>{esc(e)}</oai:adminEmail>" for e in cat.admin_emails)
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<Repository xmlns="{STATIC_NS}" xmlns:oai="{OAI_NS}" '
           f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{STATIC_NS} {STATIC_SCHEMA}">\n'
           f"<Identify><oai:repositoryName>{esc(cat.name)}</oai:repositoryName>"
           f"<oai:baseURL>{esc(base_url)}</oai:baseURL><oai:protocolVersion>2.0</oai:protocolVersion>{emails}"
           f"<oai:earliestDatestamp>{day_stamp(earliest)}</oai:earliestDatestamp>"
           "<oai:deletedRecord>no</oai:deletedRecord><oai:granularity>YYYY-MM-DD</oai:granularity></Identify>\n"
           "<ListMetadataFormats>").encode()
    for prefix, (schema, ns) in FORMATS.items():
        yield (f"<oai:metadataFormat><oai:metadataPrefix>{prefix}</oai:metadataPrefix><oai:schema>{schema}"
               f"</oai:schema><oai:metadataNamespace>{ns}</oai:metadataNamespace></oai:metadataFormat>").encode()
    yield b"</ListMetadataFormats>\n"
    for prefix in FORMATS:
        yield f'<ListRecords metadataPrefix="{attr(prefix)}">\n'.encode()
        for start in range(0, len(entries), BATCH):
            page = entries[start:start + BATCH]
            records = cat.fetch(page)
            if not copies:
                records = {k: {f: v for f, v in r.items() if f != "items"} for k, r in records.items()}
            for entry in page:
                if entry.key not in records:
                    continue
                yield (f"<oai:record><oai:header><oai:identifier>{esc(cat.identifier(entry.key))}</oai:identifier>"
                       f"<oai:datestamp>{day_stamp(entry.stamp)}</oai:datestamp></oai:header>"
                       "<oai:metadata>").encode() + render(prefix, records[entry.key]) + b"</oai:metadata></oai:record>\n"
        yield b"</ListRecords>\n"
    yield b"</Repository>\n"


def static_repository(cat: Catalogue, base_url: str, copies: bool = True) -> bytes:
    return b"".join(chunks(cat, base_url, copies))


def write_for_site(root: str | os.PathLike[str], out_dir: str | os.PathLike[str], audience: str,
                   records: int) -> dict[str, Any]:
    """``oai.xml`` in a built web catalogue (``records``: how many it shows). It keeps the site's
    rule (docs/site.md: never barcodes): records without their copies. Beyond ``LIMIT`` nothing is
    written (the caller says why: ``too_big_message``). Returns ``{"file": name or None, "records": n}``."""
    from libsync.oai.index import build

    if records > LIMIT:
        return {"file": None, "records": records}
    built = build(Path(root), audience)
    count = too_big(built.catalogue)
    if count is not None:
        return {"file": None, "records": count}
    write_atomic(Path(out_dir) / FILE_NAME, static_repository(built.catalogue, FILE_NAME, copies=False))
    return {"file": FILE_NAME, "records": len(served(built.catalogue))}


def too_big_message(written: dict[str, Any]) -> str | None:
    """What to tell the user when ``write_for_site`` left ``oai.xml`` out (None when it wrote it)."""
    if written.get("file"):
        return None
    return t("oai.static.too_big", file=FILE_NAME, records=written.get("records", 0), limit=LIMIT)
