"""Characters XML 1.0 (and so XLSX, DOCX, MARCXML) cannot carry.

XML 1.0 allows TAB, LF, CR and everything from U+0020 up, except the surrogates and
U+FFFE/U+FFFF. A YAML record can still hold the others (``"A\\x07B\\0C"`` is a valid
double-quoted string), and so can a CSV or ISO 2709 file, where 0x1D–0x1F are even MARC's
own record, field and subfield delimiters. Writers that produce XML refuse or replace
them; importers remove them and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def illegal(text: str) -> list[str]:
    """The distinct characters of ``text`` XML cannot carry, in order of appearance."""
    return list(dict.fromkeys(ILLEGAL.findall(text)))


def codes(chars: Iterable[str]) -> str:
    """``U+0007, U+0000`` — characters as readers can see them in a message."""
    return ", ".join(f"U+{ord(c):04X}" for c in chars)


def strip(text: str) -> str:
    return ILLEGAL.sub("", text)


def visible(text: str) -> str:
    """``text`` with each character XML cannot carry replaced by U+FFFD (�), for documents
    printed from the data, where a removed character would go unnoticed."""
    return ILLEGAL.sub(REPLACEMENT, text) if ILLEGAL.search(text) else text


def locate(value: object, path: tuple[object, ...] = ()) -> tuple[tuple[object, ...], list[str]] | None:
    """The first string in YAML/JSON-shaped ``value`` (keys included) holding characters XML
    cannot carry: ``(path of keys and positions, [characters])``, or None."""
    if isinstance(value, str):
        return (path, illegal(value)) if ILLEGAL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = path + (key,)
            if isinstance(key, str) and ILLEGAL.search(key):
                return here, illegal(key)
            hit = locate(item, here)
            if hit:
                return hit
    elif isinstance(value, list):
        for i, item in enumerate(value):
            hit = locate(item, path + (i,))
            if hit:
                return hit
    return None


def find(value: object) -> tuple[str, list[str]] | None:
    """``locate`` with the path written for people: ``("items.2.note", [characters])``."""
    hit = locate(value)
    return (".".join(map(str, hit[0])) or "/", hit[1]) if hit else None


def clean(value: object, path: tuple[object, ...] = (), removed: list[tuple[str, list[str]]] | None = None) -> object:
    """``value`` (YAML/JSON-shaped) with those characters removed from every string;
    ``(field path, [characters])`` of each changed string is appended to ``removed``."""
    if isinstance(value, str):
        if ILLEGAL.search(value):
            if removed is not None:
                removed.append((".".join(map(str, path)) or "/", illegal(value)))
            return strip(value)
        return value
    if isinstance(value, dict):
        return {(strip(k) if isinstance(k, str) else k): clean(v, path + (k,), removed) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, path + (i,), removed) for i, v in enumerate(value)]
    return value
