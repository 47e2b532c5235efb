"""Unqualified Dublin Core (``oai_dc``) → the record fields it can say: the harvest's DC mapping.

Dublin Core has fifteen repeatable elements and no structure, so a DC record maps to less than a
MARC one and never to copies (docs/oai.md gives the table). Element by element:

=============  ==========================================================================
dc:title       the first: ``title`` (an ISBD `` : `` splits off ``subtitle``); a second:
               ``parallel_title``
dc:creator     ``authors``, in order
dc:contributor ``contributors`` (name only)
dc:subject     ``classification.ddc``/``udc`` when written "DDC 895.922" or "UDC 37"; a bare
               Dewey number ("895.922"); otherwise ``subjects``
dc:description ``summary`` (several joined by a new line)
dc:publisher   ``publisher`` (the first)
dc:date        ``year`` (the first year found)
dc:type        a record type of libsync ("textbook"), a school code ("SGK"), "StillImage"/"Image"
               (picture); "Text" says nothing
dc:format      "96 tr." / "96 p." / "96 trang" → ``pages``; "24 cm" → ``dimensions``
dc:identifier  an ISBN ("urn:isbn:…", "ISBN …" or the bare number) → ``isbn``; an ISSN →
               ``issn``; an http(s) link → ``digital.url`` when the record is digital
dc:language    ``language`` as an ISO 639-2 code ("vie"; "vi", "Tiếng Việt", "Vietnamese" too)
dc:relation    ``series`` (``volume`` after " ; "), when it is not a link
dc:rights      ``digital.licence`` of a digital record
=============  ==========================================================================

dc:coverage and dc:source are not kept. Every string comes out NFC, trimmed of ISBD punctuation
as the MARC reader trims it. Must never: invent a field DC does not carry, or do I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from libsync.interchange.marc import TYPE_CODES, clean, plain
from libsync.interchange.model import Message, parse_int, parse_year
from libsync.model.classification import scheme_of
from libsync.model.enums import RECORD_TYPES
from libsync.text import fold
from libsync.text.identifiers import compact_isbn, compact_issn, format_isbn, isbn_valid, issn_valid

DC_NS = "http://purl.org/dc/elements/1.1/"
_D = f"{{{DC_NS}}}"

LANGUAGES = {"vi": "vie", "en": "eng", "fr": "fre", "zh": "chi", "ru": "rus", "ja": "jpn", "ko": "kor",
             "de": "ger", "tieng viet": "vie", "vietnamese": "vie", "tieng anh": "eng", "english": "eng"}
PICTURE_TYPES = ("stillimage", "image")
_PAGES = re.compile(r"(\d+)\s*(?:tr\b|tr\.|trang|p\b|p\.|pages?)", re.IGNORECASE)
_CM = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*(?:x\s*\d+(?:[.,]\d+)?\s*)?cm\.?\s*$", re.IGNORECASE)
_SCHEME = re.compile(r"^(DDC|UDC)\s+(.+)$", re.IGNORECASE)
_BARE_DDC = re.compile(r"^\d{3}(?:\.\d+)?$")
_ISBN = re.compile(r"^(?:urn:isbn:|isbn[:\s]*)?([0-9][0-9 -]{8,16}[0-9Xx])$", re.IGNORECASE)
_ISSN = re.compile(r"^(?:urn:issn:|issn[:\s]*)([0-9]{4}-?[0-9]{3}[0-9Xx])$", re.IGNORECASE)


def values(element: etree._Element, name: str, tidy: Callable[[str | None], str | None] = clean) -> list[str]:
    """The non-empty texts of every ``dc:<name>`` child, tidied (``clean``: NFC, spaces collapsed,
    ISBD punctuation off; ``plain`` for free text)."""
    out = []
    for child in element.iter(_D + name):
        text = tidy("".join(child.itertext()))
        if text:
            out.append(text)
    return out


def dc_to_record(element: etree._Element) -> tuple[dict[str, Any], list[Message]]:
    """The record fields an ``oai_dc:dc`` element maps to (no id/library: the importer adds them)."""
    out: dict[str, Any] = {}
    notes: list[Message] = []
    titles = values(element, "title")
    if titles:
        title, _, subtitle = titles[0].partition(" : ")
        out["title"] = clean(title)
        if clean(subtitle):
            out["subtitle"] = clean(subtitle)
        if len(titles) > 1:
            out["parallel_title"] = titles[1]
    authors = list(dict.fromkeys(values(element, "creator")))
    if authors:
        out["authors"] = authors
    contributors = [{"name": name} for name in dict.fromkeys(values(element, "contributor")) if name not in authors]
    if contributors:
        out["contributors"] = contributors

    subjects: list[str] = []
    classification: dict[str, str] = {}
    for text in values(element, "subject"):
        scheme = _SCHEME.match(text)
        code = scheme.group(2).strip() if scheme else text if _BARE_DDC.match(text) else None
        if code is not None:
            if scheme and scheme.group(1).lower() == "udc":
                classification.setdefault("udc", code)
                continue
            found = scheme_of(code)
            if found:
                classification.setdefault(found[0], found[1])
                continue
        if text not in subjects:
            subjects.append(text)
    if subjects:
        out["subjects"] = subjects
    if classification:
        out["classification"] = classification

    descriptions = values(element, "description", plain)
    if descriptions:
        out["summary"] = "\n".join(descriptions)
    publishers = values(element, "publisher")
    if publishers:
        out["publisher"] = publishers[0]
    for text in values(element, "date"):
        year = parse_year(text)
        if year:
            out["year"] = year
            break

    for text in values(element, "type"):
        key = fold(text).replace(" ", "")
        if text in RECORD_TYPES:
            out["type"] = text
            break
        if key in TYPE_CODES:
            out["type"] = TYPE_CODES[key]
            break
        if key in PICTURE_TYPES:
            out["type"] = "picture"
            break

    for text in values(element, "format"):
        pages = _PAGES.search(text)
        if pages and "pages" not in out:
            number = parse_int(pages.group(1))
            if number:
                out["pages"] = number
        elif _CM.match(text) and "dimensions" not in out:
            out["dimensions"] = text

    links: list[str] = []
    for text in values(element, "identifier"):
        isbn = _ISBN.match(text)
        issn = _ISSN.match(text)
        if isbn and "isbn" not in out:
            if isbn_valid(isbn.group(1)):
                out["isbn"] = format_isbn(compact_isbn(isbn.group(1)))
            else:
                notes.append(("interchange.marc.bad_isbn", {"value": text}))
        elif issn and "issn" not in out and issn_valid(issn.group(1)):
            code = compact_issn(issn.group(1))
            out["issn"] = f"{code[:4]}-{code[4:]}"
        elif re.match(r"^https?://\S+$", text):
            links.append(text)
    if links and out.get("type") == "digital":
        out["digital"] = {"url": links[0]}
        rights = values(element, "rights")
        if rights:
            out["digital"]["licence"] = rights[0]

    for text in values(element, "language"):
        code = text.strip().lower()
        code = LANGUAGES.get(fold(code), code)
        if re.fullmatch(r"[a-z]{3}", code):
            out["language"] = code
            break

    for text in values(element, "relation"):
        if "://" in text:
            continue
        series, _, volume = text.partition(" ; ")
        if clean(series):
            out["series"] = clean(series)
            if clean(volume):
                out["volume"] = clean(volume)
            break
    return out, notes
