"""Vietnamese text: NFC storage form, a folding key for search and an identity key for matching.

One module used by import, merge, search and the web catalogue. Two keys, for two jobs:

* ``fold`` — for *search recall*: "toan 6", "TOÁN 6" and an NFD "Toán 6" all meet at "toan 6".
  It throws away every diacritic, so "Mẹ", "Mè" and "Me" meet too — right for finding, wrong
  for deciding that two titles are one.
* ``identity_key`` — for *identity* (is this the same title?): NFC/NFD, case, punctuation,
  whitespace, old/new tone placement ("hoà"/"hòa", "thuỷ"/"thủy") and the i/y spellings
  ("kỹ"/"kĩ", "lý"/"lí") meet; tones, vowel marks (ă â ê ô ơ ư) and đ are kept, so "Cá", "Ca",
  "Cà", "Đá" and "Da" are five keys.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["nfc", "is_nfc", "fold", "fold_words", "strip_accents", "identity_key", "identity_words",
           "bare_word", "is_bare", "tone_clashes"]

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


# --- identity ---------------------------------------------------------------------------------
# The five tone marks as NFD combining characters, and how the identity key writes them: after
# the word, VIQR style (sắc ', huyền `, hỏi ?, ngã ~, nặng .), so the mark's position inside
# the syllable — "hoà" or "hòa", "thuỷ" or "thủy" — no longer matters.
_TONES = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_TONE_SYMBOLS = frozenset(_TONES.values())
_DROP_TONES = str.maketrans({mark: None for mark in _TONES})
# Letters that legacy fonts and careless typing put where đ/Đ belongs (Icelandic eth, African D).
_D_LOOKALIKES = str.maketrans({"Đ": "đ", "ð": "đ", "Ð": "đ", "ɖ": "đ", "Ɖ": "đ"})
# NFD words: letters and digits with the combining marks that follow them ("_" separates).
_NFD_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u034e\u0350-\u036f])*")  # U+034F: not a mark to fold
# i/y: a syllable of consonants (or qu) + final y is spelt with i (kỹ → kĩ, lý → lí, quý → quí)
_Y_SYLLABLE = re.compile(r"^([bcdđghklmnprstvx]+|qu)y$")


@functools.lru_cache(maxsize=1 << 16)
def _identity_word(word: str) -> str:
    """One NFD word → its identity form (Vietnamese has a few thousand syllables: remembered)."""
    tones = "".join(_TONES[c] for c in word if c in _TONES)
    base = unicodedata.normalize("NFC", word.translate(_DROP_TONES))
    base = _Y_SYLLABLE.sub(r"\1i", base)
    return base + tones


@functools.lru_cache(maxsize=1 << 17)
def identity_words(text: str | None) -> tuple[str, ...]:
    """The words of ``text`` as the identity key writes them (see ``identity_key``)."""
    if not text:
        return ()
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_D_LOOKALIKES))
    if max(decomposed, default=" ") < "\u0370":  # Latin script (Vietnamese, after NFD): one regex
        return tuple(_identity_word(m.group(0)) for m in _NFD_WORD.finditer(decomposed))
    # other scripts: a word is letters and digits with the combining marks among them, as in ``fold``
    words, current = [], []
    for c in decomposed:
        if (c.isalnum() and c != "_") or unicodedata.combining(c):
            current.append(c)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return tuple(_identity_word(w) for w in words if any(c.isalnum() for c in w))


def identity_key(text: str | None) -> str:
    """The key that decides whether two titles are the *same words*.

    NFC, casefold, punctuation and whitespace collapsed, i/y spellings unified (a syllable of
    consonants or "qu" + final y is spelt with i: kỹ → kĩ, lý → lí, quý → quí), tone placement
    normalised (the tone is written after the word, VIQR style); tones, vowel marks and đ kept
    (ð, Ð and ɖ, which legacy fonts put for đ, count as đ).

    >>> identity_key("Hoà bình!"), identity_key("Hòa  bình"), identity_key("Kỹ thuật")
    ('hoa` binh`', 'hoa` binh`', 'ki~ thuât.')
    >>> len({identity_key(t) for t in ["Cá", "Ca", "Cà", "Đá", "Da"]})
    5
    """
    return " ".join(identity_words(text))


@functools.lru_cache(maxsize=1 << 17)
def bare_word(word: str) -> str:
    """The search fold of one identity word: no tone, no vowel mark, đ → d ("thuât." → "thuat").
    Same result as ``fold`` on that word, without building ``fold``'s table of every code point."""
    decomposed = unicodedata.normalize("NFD", word.rstrip("'`?~.").translate(_FOLD_TABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_bare(word: str) -> bool:
    """True if an identity word carries no diacritic at all (no tone, no vowel mark, no đ)."""
    return word.isascii() and word[-1:] not in _TONE_SYMBOLS


def tone_clashes(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, str]]:
    """Words of two titles (identity words) that are the same letters with other diacritics.

    The titles are aligned word by word on their folded words; every aligned pair whose fold is
    equal but whose identity word differs is a *different word* ("mẹ"/"mè", "cá"/"ca",
    "đá"/"da", "rừng"/"rùng"). Words the other title does not have (typos that change letters,
    missing or extra words) are not clashes — similarity measures decide on those.
    """
    if a == b:
        return []
    fa = [bare_word(w) for w in a]
    fb = [bare_word(w) for w in b]
    if fa == fb:
        return [(x, y) for x, y in zip(a, b) if x != y]
    # cheap test first: no folded word common to both is written differently → no clash
    forms_a: dict[str, set[str]] = {}
    for f, w in zip(fa, a):
        forms_a.setdefault(f, set()).add(w)
    if not any(f in forms_a and forms_a[f] != {w} for f, w in zip(fb, b)):
        return []
    import difflib

    clashes = []
    for block in difflib.SequenceMatcher(None, fa, fb, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            x, y = a[block.a + k], b[block.b + k]
            if x != y:
                clashes.append((x, y))
    return clashes
