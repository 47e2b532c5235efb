"""How a code is shown to a person: ``on-loan`` → "đang cho mượn", ``network`` → "cả mạng liên thông".

Codes (statuses, audiences, record types, sharing and access levels, copy outcomes) stay as they
are in YAML and JSON; every human-facing rendering — console text, CSV/XLSX written for people,
minutes, the web catalogue — shows the label from the message catalogue instead, in the
current language. One function per kind of code, all here, so a renderer never builds a
message key itself. A code the catalogue has no label for is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from libsync.i18n import has, t
from libsync.model.enums import NAMED_AUDIENCES

_FAMILIES = {
    "item-status": "inventory.status.",
    "exchange-status": "rotation.status.",
    "outcome": "rotation.outcome.",
    "type": "site.type.",
    "access": "catalog.access.",
    "share": "label.share.",
    "action": "label.action.",
    "language": "label.language.",
}

LANGUAGE_CODES = ("vie", "eng", "fre", "ger", "rus", "chi", "jpn", "kor", "spa", "ita", "lao", "khm", "tha", "mul")
"""The ISO 639-2 (MARC) language codes shown by a name ("Tiếng Việt"); any other code is shown
as it is, so that a name always reads back as the one code it came from."""


def label(kind: str, code: object) -> str:
    """The label of ``code`` of ``kind`` (a key of ``_FAMILIES``); the code itself when unknown."""
    if code is None or code == "":
        return ""
    key = _FAMILIES[kind] + str(code)
    return t(key) if has(key) else str(code)


def coded(kind: str, code: object) -> str:
    """A code she has to type, with its label: ``on-loan (đang cho mượn)``; the code alone when
    the label says the same (``lost`` in English)."""
    shown = label(kind, code)
    return str(code) if shown.casefold() == str(code).casefold() else f"{code} ({shown})"


def choices(kind: str, codes: Iterable[object]) -> str:
    """The codes she may type, each with its label, comma-separated (so a help page wraps the list
    between them instead of cutting one 80-character word): ``textbook (sách giáo khoa), …``."""
    return ", ".join(coded(kind, code) for code in codes)


def later(kind: str, code: object) -> object:
    """The label of ``code`` as a message reference, rendered when shown: for problems that are
    cached and may be shown later in another language (``libsync.problems.msg``)."""
    if code is None or code == "":
        return ""
    key = _FAMILIES[kind] + str(code)
    return {"$t": key} if has(key) else str(code)


def item_status(code: object) -> str:
    return label("item-status", code)


def exchange_status(code: object) -> str:
    return label("exchange-status", code)


def outcome(code: object) -> str:
    return label("outcome", code)


def record_type(code: object) -> str:
    return label("type", code)


def access(code: object) -> str:
    return label("access", code)


def share(code: object) -> str:
    return label("share", code)


def language(code: object) -> str:
    """``vie`` → "Tiếng Việt" (``LANGUAGE_CODES``); another code as it is."""
    return label("language", code) if code in LANGUAGE_CODES else ("" if code is None else str(code))


def action(code: object) -> str:
    """An exchange step as a verb: ``dispatch`` → "giao"."""
    return label("action", code)


def audience(code: object) -> str:
    """``public`` → "công khai", ``network`` → "cả mạng liên thông", ``XS`` → "thư viện XS"."""
    if code in NAMED_AUDIENCES:
        return t(f"label.audience.{code}")
    return t("label.audience.library", library=str(code))


def field_name(name: object) -> str:
    """A record field as a librarian calls it: ``year`` → "năm xuất bản", ``curriculum.series``
    → "Bộ sách", ``authors.0`` or ``/authors/0`` → "tác giả" (``field.*``, else the register
    column's heading);
    the name itself when the catalogue has neither."""
    parts = [p for p in str(name).replace("/", ".").split(".") if p and not p.isdigit()]
    if not parts:
        return str(name)
    for key in (f"field.{'.'.join(parts)}", f"interchange.col.{'_'.join(parts)}", f"interchange.col.{parts[-1]}"):
        if has(key):
            return t(key)
    return str(name)
