"""ISBN and ISSN: normalisation and check digits (python-stdnum does the arithmetic)."""

from __future__ import annotations

import functools
import re

from stdnum import isbn as _isbn
from stdnum import issn as _issn

_ISBN_CHARS = re.compile(r"[0-9Xx][0-9Xx\-\s]{8,20}[0-9Xx]")


def compact_isbn(value: str) -> str:
    """Digits (and a final X) only: hyphens, spaces and qualifiers such as "(tập 1)" removed."""
    match = _ISBN_CHARS.search(str(value))
    raw = match.group(0) if match else str(value)
    return re.sub(r"[^0-9Xx]", "", raw).upper()


@functools.lru_cache(maxsize=65536)
def isbn_valid(value: str) -> bool:
    """Check digit and length (the same editions recur across libraries: memoised)."""
    return _isbn.is_valid(compact_isbn(value))


def isbn13(value: str) -> str | None:
    """The ISBN-13 form of a valid ISBN-10 or ISBN-13, else ``None``."""
    code = compact_isbn(value)
    if not _isbn.is_valid(code):
        return None
    return _isbn.to_isbn13(code)


def format_isbn(value: str) -> str:
    """A valid ISBN hyphenated by its registration ranges; anything else unchanged."""
    code = compact_isbn(value)
    if not _isbn.is_valid(code):
        return value
    return _isbn.format(code)


def compact_issn(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", str(value)).upper()


@functools.lru_cache(maxsize=16384)
def issn_valid(value: str) -> bool:
    return _issn.is_valid(compact_issn(value))
