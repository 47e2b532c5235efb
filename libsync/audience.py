"""Who may see what: the audiences of export, merge, search and the web catalogue.

An audience is ``public`` (anyone), ``network`` (every member library) or one library's
code (that library's own staff). A record's ``share`` says how far it may travel:

* ``internal`` — only its own library (the default when ``share`` is missing);
* ``network`` — every member library, and its own;
* ``public`` — everyone.

``redact`` removes, for audiences other than the owning library, the fields that are
the library's business only (prices, register numbers, intake and removal papers, internal
notes, provenance), and
the download link of a digital resource whose ``access`` level is not ``download``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

SHARE_DEFAULT = "internal"
ACCESS_DEFAULT = "catalog"
PRIVATE_RECORD_FIELDS = ("provenance", "notes")
# a copy's intake (số chứng từ, supplier or donor, register line) and removal (decision, reason)
# are the library's paperwork, as its prices and register numbers are
PRIVATE_ITEM_FIELDS = ("price", "register_no", "note", "source", "intake", "removal", "status_reason")


def is_library(audience: str) -> bool:
    return audience not in ("public", "network")


def can_see(record: dict[str, Any], audience: str) -> bool:
    share: object = record.get("share", SHARE_DEFAULT)
    if audience == "public":
        return share == "public"
    if audience == "network":
        return share in ("network", "public")
    library: object = record.get("library")
    return library == audience or share in ("network", "public")


def redact(record: dict[str, Any], audience: str) -> dict[str, Any]:
    """A copy of ``record`` holding only what ``audience`` may see (assumes ``can_see``)."""
    if is_library(audience) and record.get("library") == audience:
        return record
    out = {k: v for k, v in record.items() if k not in PRIVATE_RECORD_FIELDS}
    if "items" in out:
        out["items"] = [{k: v for k, v in item.items() if k not in PRIVATE_ITEM_FIELDS} for item in out["items"]]
    if "digital" in out and record.get("access", ACCESS_DEFAULT) != "download":
        out["digital"] = {k: v for k, v in out["digital"].items() if k != "url"}
    return out


def visible_records(records: Iterable[dict[str, Any]], audience: str) -> list[dict[str, Any]]:
    """The records ``audience`` may see, redacted for it."""
    return [redact(r, audience) for r in records if can_see(r, audience)]
