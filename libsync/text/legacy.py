"""Legacy Vietnamese encodings → NFC Unicode, with automatic detection.

Registers typed before Unicode took over (and many still typed today) use one of:

* **TCVN3 (ABC)** — TCVN 5712:1993 "VN3", the .VnTime fonts: one byte per letter, lower
  case only for accented letters (the .VnTimeH fonts *display* those bytes as capitals),
  and byte 0xAD — the soft hyphen in every Windows code page — is ``ư``.
* **VNI** (VNI-Windows fonts): a base letter followed by a mark byte (``Vie\xe4t`` = Việt),
  upper-case letters take upper-case mark bytes (``VIE\xc4T``).
* **Windows-1258** — Python's ``cp1258`` codec gives base letters plus combining tone
  marks; NFC composition turns them into the stored form.

The TCVN3 and VNI tables below are written from the published charts (TCVN 5712:1993 table
VN3; the VNI-Windows keyboard/font chart), generated from the letter structure rather than
typed out letter by letter.

UTF-16 (what Excel's "Unicode Text" and some Windows tools save) is recognised by its BOM,
or without one by the NUL byte of every ASCII letter. Text that is UTF-8 read once more as
Windows-1252 ("Tiáº¿ng Viá»‡t", *mojibake*) is repaired by ``fix_mojibake``.

``detect`` scores each candidate decoding by how much of the result is well-formed
Vietnamese (syllables with one tone mark and a legal spelling) against how much is stray
Latin-1 punctuation; short texts give little evidence, so the result carries a confidence
and the caller may force an encoding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from libsync.text import nfc

ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "tcvn3", "vni")
UTF16 = ("utf-16", "utf-16-le", "utf-16-be")
ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8", "unicode": "utf-8",
    "utf-16": "utf-16", "utf16": "utf-16", "ucs-2": "utf-16", "utf-16-le": "utf-16-le", "utf-16le": "utf-16-le",
    "utf-16-be": "utf-16-be", "utf-16be": "utf-16-be",
    "cp1258": "cp1258", "windows-1258": "cp1258", "win1258": "cp1258", "1258": "cp1258",
    "tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vn3": "tcvn3", "vntime": "tcvn3",
    "vni": "vni", "vni-windows": "vni",
}


def canonical_encoding(name: str) -> str | None:
    """One of ``ENCODINGS`` for a name a user may type (``windows-1258``, ``ABC``, ``utf16`` …),
    or None — also for names Python knows that are not these text encodings (``rot13``)."""
    return ALIASES.get(name.strip().lower().replace("_", "-"))


def sniff_utf16(data: bytes) -> str | None:
    """``utf-16`` (with a BOM), ``utf-16-le`` / ``utf-16-be`` (without one: most ASCII
    characters then have a NUL byte on the same side), or None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


# --- the letters ---------------------------------------------------------------------------
# tone index: 0 none, 1 grave (huyền), 2 hook (hỏi), 3 tilde (ngã), 4 acute (sắc), 5 dot (nặng)
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
# base vowels with their modifier (TCVN3/VNI order)
_VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _letter(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + _TONES[tone])


# TCVN3: byte per (vowel, tone) in the chart's order: tones none, grave, hook, tilde, acute, dot
_TCVN3_TONED = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_OTHER = {0xAE: "đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}


def _tcvn3_table() -> dict[int, str]:
    table = {}
    for vowel, codes in _TCVN3_TONED.items():
        for tone, code in enumerate(codes):
            if code is not None:
                table[code] = _letter(vowel, tone)
    table.update(_TCVN3_OTHER)
    return table


TCVN3 = _tcvn3_table()
# bytes 0x80–0xFF that TCVN3 does not use keep their Windows-1252 meaning
_TCVN3_DECODE = {b: TCVN3.get(b, bytes([b]).decode("cp1252", "replace")) for b in range(0x80, 0x100)}
_TCVN3_DECODE = {**{b: chr(b) for b in range(0x80)}, **_TCVN3_DECODE}
_TCVN3_ENCODE = {v: k for k, v in TCVN3.items()}

# VNI: mark bytes (lower-case forms; upper-case letters use the byte − 0x20)
_VNI_PLAIN_TONE = {1: 0xF8, 2: 0xFB, 3: 0xF5, 4: 0xF9, 5: 0xEF}      # ø û õ ù ï
_VNI_CIRC = {0: 0xE2, 1: 0xE0, 2: 0xE5, 3: 0xE3, 4: 0xE1, 5: 0xE4}    # â à å ã á ä
_VNI_BREVE = {0: 0xEA, 1: 0xE8, 2: 0xFA, 3: 0xFC, 4: 0xE9, 5: 0xEB}   # ê è ú ü é ë
_VNI_I = {1: 0xEC, 2: 0xE6, 3: 0xF3, 4: 0xED, 5: 0xF2}               # ì æ ó í ò (whole letter)
_VNI_HORN_BASE = {"ơ": 0xF4, "ư": 0xF6}                              # ô ö
_VNI_Y_DOT = 0xEE                                                    # î = ỵ


def _vni_sequences() -> dict[str, str]:
    """Every Vietnamese letter (both cases) → its VNI spelling as Latin-1 characters."""
    seq: dict[str, str] = {}
    for vowel in _VOWELS:
        for tone in range(6):
            for upper in (False, True):
                letter = _letter(vowel, tone)
                shift = 0x20 if upper else 0
                if upper:
                    letter = letter.upper()
                base = unicodedata.normalize("NFD", vowel)[0]
                base_c = base.upper() if upper else base
                if vowel == "i":
                    text = base_c if tone == 0 else chr(_VNI_I[tone] - shift)
                elif vowel == "y" and tone == 5:
                    text = chr(_VNI_Y_DOT - shift)
                elif vowel in ("â", "ê", "ô"):
                    text = base_c + chr(_VNI_CIRC[tone] - shift)
                elif vowel == "ă":
                    text = base_c + chr(_VNI_BREVE[tone] - shift)
                elif vowel in _VNI_HORN_BASE:
                    text = chr(_VNI_HORN_BASE[vowel] - shift) + (chr(_VNI_PLAIN_TONE[tone] - shift) if tone else "")
                else:
                    text = base_c + (chr(_VNI_PLAIN_TONE[tone] - shift) if tone else "")
                if text != letter:
                    seq[letter] = text
    seq["đ"] = "\xf1"
    seq["Đ"] = "\xd1"
    return seq


VNI = _vni_sequences()
_VNI_DECODE = {v: k for k, v in VNI.items()}
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True)))


# --- decoding and encoding -----------------------------------------------------------------

def decode(data: bytes, encoding: str) -> str:
    """``data`` in ``encoding`` (utf-8, cp1258, tcvn3, vni) as NFC text; never raises for
    legacy encodings (unknown bytes keep their Windows-1252 meaning)."""
    enc = canonical_encoding(encoding) or encoding
    if enc == "utf-8":
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return nfc(data.decode("utf-8"))
    if enc in UTF16:   # strict, as UTF-8: raises UnicodeDecodeError
        return nfc(data.decode(enc).removeprefix("\ufeff"))
    if enc == "cp1258":
        return nfc(data.decode("cp1258", "replace"))
    if enc == "tcvn3":
        return nfc("".join(map(_TCVN3_DECODE.__getitem__, data)))
    if enc == "vni":
        text = data.decode("latin-1")
        text = _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group(0)], text)
        # the C1 range has no VNI meaning: give those bytes their Windows-1252 characters
        return nfc(re.sub("[\x80-\x9f]", lambda m: m.group(0).encode("latin-1").decode("cp1252", "replace"), text))
    raise ValueError(encoding)


def encode(text: str, encoding: str) -> bytes:
    """NFC ``text`` in a legacy encoding (for tests and for writing fixtures).

    TCVN3 has no upper-case accented letters: they are written lower case, as the
    .VnTimeH fonts expect."""
    enc = canonical_encoding(encoding) or encoding
    text = nfc(text)
    if enc == "utf-8":
        return text.encode("utf-8")
    if enc == "cp1258":
        out = []
        for ch in text:
            try:
                out.append(ch.encode("cp1258"))
            except UnicodeEncodeError:  # toned letter: modified base + combining tone mark
                parts = unicodedata.normalize("NFD", ch)
                tones = "".join(c for c in parts if c in _TONE_MARKS)
                base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
                out.append((base + tones).encode("cp1258"))
        return b"".join(out)
    if enc == "tcvn3":
        buf = bytearray()
        for ch in text:
            code = _TCVN3_ENCODE.get(ch) or _TCVN3_ENCODE.get(ch.lower())
            buf.extend(bytes([code]) if code else ch.encode("cp1252"))
        return bytes(buf)
    if enc == "vni":
        return b"".join(VNI[ch].encode("latin-1") if ch in VNI else ch.encode("cp1252") for ch in text)
    raise ValueError(encoding)


# --- detection -----------------------------------------------------------------------------

_VIET_LETTERS = set("".join(_letter(v, t) for v in _VOWELS for t in range(6))) | {"đ"}
_VIET_LETTERS |= {c.upper() for c in _VIET_LETTERS}
_WORD = re.compile(r"[^\W\d_]+")
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
# vowel nuclei with their modifiers (tone marks removed), longest first
_NUCLEI = sorted(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy "
    "ưa ưi ưu ươ ya yê oai oay oao oeo uây uôi ươi ươu iêu yêu uya uyê uyu".split(), key=len, reverse=True)
_SYLLABLE = re.compile(f"^{_ONSET}(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|[cmnpt])?$")
_TONE_MARKS = set(_TONES[1:])


def _untoned(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if c not in _TONE_MARKS))


def _looks_vietnamese(word: str) -> bool:
    """A word with at least one non-ASCII letter that is a plausible Vietnamese syllable."""
    if not all(ch in _VIET_LETTERS or ch.isascii() for ch in word):
        return False
    marks = [c for c in unicodedata.normalize("NFD", word.lower()) if c in _TONE_MARKS]
    if len(marks) > 1:
        return False
    return bool(_SYLLABLE.match(_untoned(word)))


def score(text: str) -> int:
    """How Vietnamese ``text`` looks: +2 per well-formed accented syllable, −3 per word with
    a non-ASCII letter that is not one, −2 per stray non-ASCII symbol."""
    total = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        total += 2 if _looks_vietnamese(word) else -3
    for ch in text:
        if not ch.isascii() and not ch.isalpha() and not ch.isspace() and ch not in "–—‘’“”…•·€":
            total -= 2
    return total


@dataclass(frozen=True, slots=True)
class Detection:
    encoding: str
    text: str
    confident: bool
    scores: Mapping[str, int | None]   # per candidate encoding; None when a UTF-16 BOM decided


def detect(data: bytes, candidates: tuple[str, ...] = ("cp1258", "tcvn3", "vni")) -> Detection:
    """The most plausible encoding of ``data`` and its text (NFC).

    UTF-8 wins whenever the bytes are valid UTF-8 (with or without BOM) — legacy bytes
    almost never form valid multi-byte sequences; UTF-16 is taken when ``sniff_utf16`` finds
    it and the bytes decode. Otherwise each legacy candidate is scored
    (see ``score``); ``confident`` is false when the evidence is thin or the top two are close.
    """
    try:
        text = data.decode("utf-8")
        return Detection("utf-8", nfc(text.removeprefix("\ufeff")), True, {"utf-8": None})
    except UnicodeDecodeError:
        pass
    wide = sniff_utf16(data)
    if wide:
        try:
            return Detection(wide, decode(data, wide), True, {wide: None})
        except UnicodeDecodeError:
            pass
    results = {enc: decode(data, enc) for enc in candidates}
    scores = {enc: score(text) for enc, text in results.items()}
    ranked = sorted(candidates, key=lambda e: (-scores[e], candidates.index(e)))
    best = ranked[0]
    margin = scores[best] - (scores[ranked[1]] if len(ranked) > 1 else 0)
    confident = scores[best] >= 6 and margin >= 4
    return Detection(best, results[best], confident, scores)


def repair(text: str) -> tuple[str, str | None]:
    """Text read as Unicode that is really legacy bytes shown through a Latin font
    (an .xlsx typed in .VnTime or VNI-Times): the repaired text and the encoding found,
    or ``text`` unchanged and ``None``."""
    if text.isascii():
        return text, None
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return text, None
    here = score(text)
    best, best_score = None, here
    for enc in ("tcvn3", "vni"):
        candidate = decode(raw, enc)
        s = score(candidate)
        if s > best_score + 2:
            best, best_score = (enc, candidate), s
    if best is None:
        return text, None
    return best[1], best[0]


# --- mojibake: UTF-8 read as Windows-1252 (or Latin-1) and saved again as UTF-8 ------------------

_CP1252_BYTE = {bytes([b]).decode("cp1252"): b for b in range(0x80, 0x100)
                if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
# a UTF-8 lead byte (Â–ô) shown as Windows-1252, then a continuation byte (0x80–0xBF) shown so
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf" + "".join(
    sorted(ch for ch, b in _CP1252_BYTE.items() if b < 0xA0 and ord(ch) > 0xFF)) + "]")


_PUNCTUATION = "–—‘’“”…•·€°©®«»"


def _as_cp1252(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(code)
        elif ch in _CP1252_BYTE:
            out.append(_CP1252_BYTE[ch])
        elif code < 0x100:   # Latin-1, and the five bytes Windows-1252 leaves undefined
            out.append(code)
        else:
            return None
    return bytes(out)


def fix_mojibake(text: str) -> str | None:
    """``text`` repaired if it is UTF-8 that was read as Windows-1252 or Latin-1 and saved
    again ("Tiáº¿ng Viá»‡t" → "Tiếng Việt", twice-damaged text too); None when it is not.

    Only text made entirely of characters those code pages show, that is valid UTF-8 once
    turned back into bytes, and that reads better as Vietnamese afterwards is repaired — a
    real word such as "Cà Mau" or "Noël" is never valid UTF-8 that way."""
    if text.isascii() or not _MOJIBAKE.search(text):
        return None
    current = text
    for _ in range(3):   # damaged once, twice or three times
        raw = _as_cp1252(current)
        if raw is None:
            break
        try:
            current = nfc(raw.decode("utf-8"))
        except UnicodeDecodeError:
            break
        if not _MOJIBAKE.search(current):
            break
    if current == text:
        return None
    # the repair must read better: as a score, or (twice-damaged text is full of "Ã", "Â", which
    # are Vietnamese letters too) as text made only of Vietnamese letters and common punctuation
    if score(current) <= score(text) and not all(ch.isascii() or ch in _VIET_LETTERS or ch in _PUNCTUATION
                                                 for ch in current):
        return None
    return current
