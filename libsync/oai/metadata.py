"""The two metadata formats the OAI-PMH provider disseminates: ``marc21`` (MARCXML) and ``oai_dc``.

A record (already redacted for the audience) → the bytes of one XML element for ``<metadata>``.

* ``marc21``: the MARC mapping of ``libsync export marcxml`` (``libsync.interchange.marc``: the
  same leader, bibliographic fields and 952 copy fields, docs/marc-mapping.md), written here as
  MARCXML text without building pymarc objects (the bytes are what ``pymarc.record_to_xml`` gives,
  namespaced). One OAI record is one MARC record: MARCXML has no 99,999-byte limit, so copies are
  never spread over several records as ISO 2709 export must.
* ``oai_dc``: unqualified Dublin Core (docs/oai.md lists the mapping).

Never: a second MARC mapping, I/O, or a record with characters XML cannot carry (the caller leaves
such records out, ``libsync.text.xmlchars``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from libsync.interchange import marc
from libsync.text import nfc

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# prefix -> (schema, namespace), in the order ListMetadataFormats gives them (MARC first: richer)
FORMATS: dict[str, tuple[str, str]] = {
    "marc21": (MARC_SCHEMA, MARC_NS),
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
}

# DCMI Type vocabulary term for each record type (docs/oai.md)
DCMI_TYPE = {"picture": "StillImage", "digital": "Text"}

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                       "\t": "&#9;"})


def esc(text: object) -> str:
    """``text`` as XML character data."""
    return str(text).translate(_TEXT)


def attr(text: object) -> str:
    """``text`` as a double-quoted XML attribute value."""
    return str(text).translate(_ATTR)


# --- MARCXML --------------------------------------------------------------------------------------

def marc_fields(record: dict[str, Any]) -> list[marc.LightField]:
    """Every field of the record's MARC form: the bibliographic fields, then one 952 per copy."""
    return marc.bibliographic_fields(record) + [marc.item_field(record, item) for item in record.get("items") or []]


def marcxml_body(leader: str, fields: Iterable[marc.LightField]) -> str:
    """``<leader>`` and the fields as MARCXML elements (no enclosing ``<record>``)."""
    parts = [f"<leader>{esc(leader)}</leader>"]
    add = parts.append
    for field in fields:
        tag, ind1, ind2, raw, data = field
        if data is not None:
            add(f'<controlfield tag="{attr(tag)}">{esc(data)}</controlfield>')
            continue
        add(f'<datafield ind1="{attr(ind1)}" ind2="{attr(ind2)}" tag="{attr(tag)}">')
        for part in raw:
            if part:
                add(f'<subfield code="{attr(part[0])}">{esc(part[1:])}</subfield>')
        add("</datafield>")
    return "".join(parts)


def marc21(record: dict[str, Any]) -> bytes:
    """The record as one namespaced MARCXML ``<record>`` element."""
    body = marcxml_body(marc._leader(record), marc_fields(record))
    return (f'<record xmlns="{MARC_NS}" xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{MARC_NS} {MARC_SCHEMA}">'
            f"{body}</record>").encode()


# --- Dublin Core ----------------------------------------------------------------------------------

def dc_elements(record: dict[str, Any]) -> list[tuple[str, str]]:
    """``[(element, value) …]`` of the record's unqualified Dublin Core, in the order of the
    15 elements (docs/oai.md gives the mapping); text in NFC, as MARC's."""
    out: list[tuple[str, str]] = []
    add = out.append
    title = str(record.get("title") or "")
    if record.get("subtitle"):
        title += f" : {record['subtitle']}"
    if record.get("volume") and not record.get("series"):
        title += f". {record['volume']}"
    add(("title", title))
    if record.get("parallel_title"):
        add(("title", str(record["parallel_title"])))
    for author in record.get("authors") or []:
        add(("creator", str(author)))
    for value in [*(record.get("subjects") or []), *(record.get("keywords") or [])]:
        add(("subject", str(value)))
    cls = record.get("classification") or {}
    for scheme in ("ddc", "udc"):
        if cls.get(scheme):
            add(("subject", f"{scheme.upper()} {cls[scheme]}"))
    if record.get("summary"):
        add(("description", str(record["summary"])))
    if record.get("publisher"):
        add(("publisher", str(record["publisher"])))
    for person in record.get("contributors") or []:
        if isinstance(person, dict) and person.get("name"):
            add(("contributor", str(person["name"])))
    if record.get("year"):
        add(("date", str(record["year"])))
    kind = str(record.get("type") or "")
    add(("type", DCMI_TYPE.get(kind, "Text")))
    if kind:
        add(("type", kind))
    digital = record.get("digital") or {}
    if record.get("pages"):
        add(("format", f"{record['pages']} tr."))
    if record.get("dimensions"):
        add(("format", str(record["dimensions"])))
    if digital.get("format"):
        add(("format", str(digital["format"])))
    if record.get("isbn"):
        add(("identifier", f"urn:isbn:{record['isbn']}"))
    if record.get("issn"):
        add(("identifier", f"urn:issn:{record['issn']}"))
    if digital.get("url"):
        add(("identifier", str(digital["url"])))
    if record.get("language"):
        add(("language", str(record["language"])))
    if record.get("series"):
        series = str(record["series"])
        add(("relation", f"{series} ; {record['volume']}" if record.get("volume") else series))
    if digital.get("licence"):
        add(("rights", str(digital["licence"])))
    return [(name, nfc(value)) for name, value in out]


def oai_dc(record: dict[str, Any]) -> bytes:
    """The record as one ``<oai_dc:dc>`` element."""
    inner = "".join(f"<dc:{name}>{esc(value)}</dc:{name}>" for name, value in dc_elements(record))
    return (f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}" '
            f'xsi:schemaLocation="{OAI_DC_NS} {OAI_DC_SCHEMA}">{inner}</oai_dc:dc>').encode()


RENDER = {"marc21": marc21, "oai_dc": oai_dc}


def render(prefix: str, record: dict[str, Any]) -> bytes:
    return RENDER[prefix](record)
