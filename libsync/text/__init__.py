"""Vietnamese text: NFC storage form and a folding key for matching.

One module used by import, merge, search and the web catalogue, so "toan 6",
"TOÁN 6" and an NFD "Toán 6" all meet at the same key.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["nfc", "is_nfc", "fold", "fold_words", "strip_accents"]

# đ/Đ do not decompose under NFD: map them (and a few look-alikes seen in legacy data) by hand.
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ɖ": "d"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form every stored string takes."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


@functools.lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """A ``str.translate`` table deleting every combining character (built once, on first use)."""
    return {cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}


def strip_accents(text: str) -> str:
    """Remove diacritics (tones and vowel marks) and map đ → d, keeping case and punctuation."""
    return unicodedata.normalize("NFD", text.translate(_FOLD_TABLE)).translate(_combining_marks())


def fold(text: str | None) -> str:
    """The matching key: lower case, no diacritics, đ → d, punctuation and spaces collapsed.

    >>> fold("  Đất rừng  phương Nam! ")
    'dat rung phuong nam'
    """
    if not text:
        return ""
    folded = strip_accents(text.casefold())
    folded = _NON_WORD.sub(" ", folded).replace("_", " ")
    return _SPACE.sub(" ", folded).strip()


def fold_words(text: str | None) -> list[str]:
    """The folded words of ``text``."""
    key = fold(text)
    return key.split() if key else []
