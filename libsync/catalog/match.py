"""Matching records that describe the same edition: keys, blocking, pair scoring, guards.

Order of evidence, as a cataloguer would weigh it:

1. identifiers — ISBN-10 and ISBN-13 of one book meet at the same ISBN-13 (hyphens, spaces,
   qualifiers such as "(tập 1)" ignored); ISSN likewise for periodicals;
2. without identifiers — candidate blocks from the folded title key and the first author,
   then rapidfuzz similarity of titles and authors, tolerant of typos, NFC/NFD, đ/d and the
   i/y spelling variants of Vietnamese (kí/ký, lí/lý, mĩ/mỹ);
3. guards that no similarity can overrule: a different volume or part, grade, textbook
   series, edition or year, a different ISBN, print vs digital, and the book's *kind* —
   pupil's book, workbook, teacher's book — told by the type or, when a register has no type,
   by the title ("Bài tập …", "… - Sách giáo viên"; ``libsync.model.gdpt``);
4. identity of the title's *words*: similarity is measured on folded text (typos), but two
   titles whose aligned words have the same letters and other diacritics ("Mẹ"/"Mè",
   "Cá"/"Ca", "Đá"/"Da") are different titles (``libsync.text.identity_key``,
   ``tone_clash``); a letter typo is tolerated only in titles of ``LONG_TITLE`` words or more;
5. GDPT 2018 school-book knowledge (``libsync.model.gdpt``): series and publishers compared by
   their canonical names ("KNTT" = "Kết nối tri thức với cuộc sống", "NXBGDVN" = "Nhà xuất bản
   Giáo dục Việt Nam"), the volume read from every spelling ("T.1", "(Quyển 1)", "tập một"), a
   title that is a subject and a grade compared by the subject's canonical name ("KHTN 6" =
   "Khoa học tự nhiên 6"), and a kind word never part of the title's similarity: "Bài tập X"
   and "X" differ by their kind, not by two words of a long title.

Everything here works on plain record dicts; ``Features`` is computed once per record.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from libsync.model import gdpt
from libsync.text import bare_word, fold, identity_words, is_bare, tone_clashes
from libsync.text.identifiers import compact_isbn, compact_issn


def isbn13(value: str) -> str | None:
    """The ISBN-13 of a valid ISBN-10 or ISBN-13, else None — the same answer as
    ``libsync.text.identifiers.isbn13`` (tested against it), without python-stdnum's per-call
    overhead, which dominated matching 100,000 records."""
    code = compact_isbn(value)
    if len(code) == 13 and code.isdigit() and code[:3] in ("978", "979"):
        return code if _ean_check(code[:12]) == code[12] else None
    if len(code) == 10 and code[:9].isdigit() and (code[9].isdigit() or code[9] == "X"):
        total = sum((10 - i) * int(c) for i, c in enumerate(code[:9]))
        check = (11 - total % 11) % 11
        if code[9] == ("X" if check == 10 else str(check)):
            body = "978" + code[:9]
            return body + _ean_check(body)
    return None


def _ean_check(body: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return str((10 - total % 10) % 10)

# --- thresholds (pairwise; see docs/catalog.md) -------------------------------------------
MERGE_TITLE = 90        # title similarity at or above which a pair may merge
UNCERTAIN_TITLE = 80    # … at or above which an unmerged pair goes to a person
AUTHOR_OK = 80          # first-author similarity that counts as "same author"
AUTHOR_UNSURE = 60      # … below which the authors clearly differ
ISBN_TITLE_MIN = 70     # a shared ISBN with titles less similar than this is a data error
PUBLISHER_OK = 70
LONG_TITLE = 3          # words a title needs before a letter typo (folded titles differ) may merge

_Y_WORD = re.compile(r"\b([bcdghklmnpqrstvx]+|qu)y\b")
# "Tập 2", "tập hai", "T.2", "T2", "(Quyển II)", "Phần 3", "Số 560" — a number word not after "Bài tập"
_VOLUME = re.compile(
    r"\b(?:(?:tap|quyen|cuon|phan|vol|volume|part|book|so)\s*(\d+|[ivx]{1,5})"
    r"|(?<!bai )(?:tap|quyen|cuon)\s*(mot|hai|ba|bon)|t\s*(\d+))\b"
)
_NUMBER = re.compile(r"\b\d+\b")
_GRADE = re.compile(r"\blop\s*(\d{1,2})\b")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUMBER_WORDS = {"nhat": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "bon": 4, "nam": 5, "sau": 6,
                 "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
# kinds a title or type states outright: against a record of unknown kind, never a merge
NAMED_KINDS = frozenset({gdpt.WORKBOOK, gdpt.TEACHER})
_PUBLISHER_NOISE = re.compile(
    r"\b(?:nxb|nha xuat ban|cong ti|co phan|ctcp|tnhh|publishing|publisher|press|house|jsc)\b"
)
ACCESS_ORDER = {"catalog": 0, "read": 1, "download": 2}


def normalise_iy(folded: str) -> str:
    """i/y variants meet: a syllable of consonants (or qu) + final y is spelt with i (ký → ki,
    lý → li, quý → qui) — the rule of ``libsync.text.identity_key``, on folded text."""
    return _Y_WORD.sub(r"\1i", folded)


def _fold_table() -> dict[int, int | None]:
    """One ``str.translate`` table doing what ``libsync.text.fold`` does letter by letter
    (diacritics off, đ → d, combining marks dropped), so NFC and NFD input meet — fast."""
    table: dict[int, int | None] = {cp: None for cp in range(0x300, 0x370)}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = ord(base)
    table.update({ord("đ"): ord("d"), ord("Đ"): ord("D"), ord("ð"): ord("d"), ord("Ð"): ord("D")})
    return table


_FOLD = _fold_table()
_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 18)
def key_text(text: str | None) -> str:
    """Folded, i/y-normalised text: the form every similarity works on (same result as
    ``normalise_iy(fold(text))``, computed with one translate table and cached)."""
    if not text:
        return ""
    folded = _NON_WORD.sub(" ", text.translate(_FOLD).lower()).strip()
    if not folded.isascii():  # rare letters outside the table: the general routine
        folded = fold(text)
    return normalise_iy(folded)


def _number(token: str | None) -> int | None:
    if not token:
        return None
    if token.isdigit():
        return int(token)
    return _ROMAN.get(token) or _NUMBER_WORDS.get(token)


def volume_key(value: object) -> str | None:
    """"Tập 2", "T.2", "2", "Quyển II", "Số 560" → "2" / "560"; other text folded; None if empty."""
    if value is None or value == "":
        return None
    folded = key_text(str(value))
    match = _VOLUME.search(folded)
    if match:
        n = _number(match.group(1) or match.group(2) or match.group(3))
        if n is not None:
            return str(n)
    digits = _NUMBER.search(folded)
    if digits:
        return str(int(digits.group(0)))
    words = folded.split()
    if len(words) == 1 and _number(words[0]) is not None:
        return str(_number(words[0]))
    return folded or None


def edition_key(value: object) -> str | None:
    """"Tái bản lần thứ 2", "Lần thứ hai", "2nd ed." → "2"; "1" and missing are the same."""
    if value is None or value == "":
        return None
    folded = key_text(str(value))
    digits = _NUMBER.search(folded)
    n = int(digits.group(0)) if digits else None
    if n is None:
        for word in folded.split():
            if word in _NUMBER_WORDS:
                n = _NUMBER_WORDS[word]
                break
    if n is not None:
        return None if n == 1 else str(n)
    return folded or None


@functools.lru_cache(maxsize=4096)
def series_key(value: str | None) -> str | None:
    """A GDPT 2018 series by its code, whatever the spelling ("Kết nối tri thức", "KNTT",
    "kết nối tri thức với cuộc sống" → "kntt"); another series by its folded name."""
    if not value:
        return None
    name = gdpt.series_name(value)
    if name is not None:
        return key_text(gdpt.series_code(name))
    return key_text(value) or None


@functools.lru_cache(maxsize=4096)
def publisher_key(value: str | None) -> str:
    """A publisher's folded name without "NXB", "Nhà xuất bản" …; a known publisher by its
    canonical name, whatever the spelling ("NXBGDVN", "NXB GDVN" → "giao duc viet nam")."""
    if not value:
        return ""
    value = gdpt.publisher_name(value) or value
    return " ".join(_PUBLISHER_NOISE.sub(" ", key_text(value)).split())


def author_key(value: str) -> str:
    return key_text(_PAREN.sub(" ", value))


@dataclass(slots=True)
class Features:
    """What matching needs from one record, computed once."""

    key: str                 # "LIB/record-id"
    library: str
    title: str               # folded title key without volume and series phrases
    full: str                # title + subtitle key
    words: tuple[str, ...]
    numbers: frozenset[str] | None
    authors: tuple[str, ...]
    first_author: str
    publisher: str
    isbn: str | None
    issn: str | None
    volume: str | None
    grade: int | None
    series: str | None
    edition: str | None
    year: int | None
    form: str                # print | digital
    kind: str | None = None  # pupil | workbook | teacher | reference (``libsync.model.gdpt``), None: not known
    ident: tuple[str, ...] = ()   # identity words of title (without volume/series) + subtitle
    marked: int = 0          # how many of them carry a diacritic
    signature: tuple[object, ...] = ()   # everything compared: equal signatures are one edition
    guards: tuple[object, ...] = ()      # ``attrs()`` values in ``GUARDS`` order, for the pair-by-pair test

    @property
    def unmarked(self) -> bool:
        """A title of ``LONG_TITLE`` words or more typed without any diacritic (legacy data):
        it says nothing about tones, so it is not compared tone by tone (see ``tone_clash``)."""
        return self.marked == 0 and len(self.ident) >= LONG_TITLE

    def attrs(self) -> dict[str, object]:
        """Attributes that must agree across a whole cluster (None = unknown); a fresh dict."""
        return dict(zip(GUARDS, self.guards))


# Attributes that must agree within a cluster, in the order ``Features.guards`` holds them.
GUARDS = ("grade", "series", "volume", "kind", "form", "edition", "year", "numbers", "isbn", "issn")


@functools.lru_cache(maxsize=1 << 17)
def _fold_word(word: str) -> str:
    return normalise_iy(bare_word(word))


# how a volume is written, tones included (as identity words write them): a word that folds to one
# of these but has other tones ("Quyén", "bà") is another word, and the title keeps it
_VOLUME_SPELLINGS = frozenset(identity_words(
    "tập tap quyển quyen cuốn cuon phần phan số so vol volume part book t một mot hai ba bốn bon"))


def _volume_spelled(folded: list[str], ident: list[str], start: int, end: int) -> bool:
    """Whether the words of ``" ".join(folded)`` at characters start..end (a ``_VOLUME`` match)
    are a volume as written, tone by tone: a number, a roman numeral or one of the spellings."""
    pos = 0
    for n, word in enumerate(folded):
        if pos < end and pos + len(word) > start:
            spelled = re.sub(r"\d+", "", ident[n])
            if spelled and spelled not in _VOLUME_SPELLINGS and ident[n] not in _ROMAN:
                return False
        pos += len(word) + 1
    return True


def _drop_words(folded: list[str], ident: list[str], start: int, end: int) -> None:
    """Remove (in place) the words of ``" ".join(folded)`` that overlap characters start..end,
    and the identity words beside them."""
    pos = 0
    dropped: set[int] = set()
    for n, word in enumerate(folded):
        if pos < end and pos + len(word) > start:
            dropped.add(n)
        pos += len(word) + 1
    folded[:] = [w for n, w in enumerate(folded) if n not in dropped]
    ident[:] = [w for n, w in enumerate(ident) if n not in dropped]


def _drop_range(folded: list[str], ident: list[str], start: int, end: int) -> None:
    """Remove (in place) words start..end of both word lists."""
    del folded[start:end]
    del ident[start:end]


def _series_of(record: dict[str, Any], curriculum: dict[str, Any]) -> str | None:
    """The series key of the curriculum's series or the record's series field: a GDPT 2018
    series named in either wins (``series`` may be a publisher's collection)."""
    ours, theirs = curriculum.get("series"), record.get("series")
    if not theirs:
        return series_key(str(ours)) if ours else None
    if not ours:
        return series_key(str(theirs))
    keys = (series_key(str(ours)), series_key(str(theirs)))
    return next((k for k in keys if k in _SERIES_CODES), keys[0])


_SERIES_CODES = frozenset(key_text(s.code) for s in gdpt.SERIES)


def features(record: dict[str, Any]) -> Features:
    title_raw = str(record.get("title", ""))
    ident = list(identity_words(title_raw))
    words_f = [_fold_word(w) for w in ident]   # the folded title, word by word beside ``ident``
    folded = " ".join(words_f)
    volume = volume_key(record.get("volume"))
    match = _VOLUME.search(folded)
    if match and _volume_spelled(words_f, ident, match.start(), match.end()):
        title_volume = _number(match.group(1) or match.group(2) or match.group(3))
        if volume is None and title_volume is not None:
            volume = str(title_volume)
        _drop_words(words_f, ident, match.start(), match.end())
        folded = " ".join(words_f)
    curriculum = record.get("curriculum") or {}
    series = _series_of(record, curriculum)
    in_title = gdpt.find_series(words_f)
    if in_title is not None:
        series = series or key_text(gdpt.series_code(in_title[0]))
        _drop_range(words_f, ident, in_title[1], in_title[2])
    rtype = record.get("type")
    # the kind: a kind word starting or ending the title (or a subtitle that is one), else the type
    kind, lead, trail = gdpt.kind_of_words(words_f, title_raw)
    if kind is not None:
        _drop_range(words_f, ident, len(words_f) - trail, len(words_f))
        _drop_range(words_f, ident, 0, lead)
    subtitle_raw = record.get("subtitle")
    if subtitle_raw and kind is None:
        kind = gdpt.kind_of_text(str(subtitle_raw))
        if kind is not None:
            subtitle_raw = None   # the subtitle said the kind and nothing else
    if kind is None:
        kind = gdpt.TYPE_KIND.get(str(rtype))
    grade = curriculum.get("grade")
    subject = gdpt.subject_grade(words_f)
    if subject is not None:   # "KHTN 6", "Khoa học tự nhiên lớp 6": compared by the subject's name
        words_f = [*_subject_words(subject[0]), str(subject[1])]
        kind = kind or gdpt.PUPIL
        grade = grade if grade is not None else subject[1]
    folded = " ".join(words_f)
    words = tuple(words_f)
    numbers = frozenset(w for w in words if w.isdigit()) or None
    if grade is None:
        g = _GRADE.search(folded)
        if g:
            grade = int(g.group(1))
        elif kind in _SCHOOL_KINDS and numbers:
            small = sorted(int(n) for n in numbers if 1 <= int(n) <= 12)
            if len(small) == 1:
                grade = small[0]
    subtitle = key_text(subtitle_raw) if subtitle_raw else ""
    ident_full = (*ident, *identity_words(str(subtitle_raw))) if subtitle_raw else tuple(ident)
    authors = tuple(a for a in (author_key(str(x)) for x in record.get("authors") or []) if a)
    if not authors:
        authors = tuple(a for a in (author_key(str(c.get("name", ""))) for c in record.get("contributors") or []
                                    if isinstance(c, dict)) if a)
    year = record.get("year")
    form = "digital" if rtype == "digital" else "print"
    isbn = isbn13(str(record["isbn"])) if record.get("isbn") else None
    issn = compact_issn(str(record["issn"])) if record.get("issn") else None
    f = Features(
        key=f"{record.get('library', '')}/{record.get('id', '')}",
        library=str(record.get("library", "")),
        title=folded,
        full=f"{folded} {subtitle}".strip(),
        words=words,
        numbers=numbers,
        authors=authors,
        first_author=authors[0] if authors else "",
        publisher=publisher_key(record.get("publisher")),
        isbn=isbn,
        issn=issn or None,
        volume=volume,
        grade=int(grade) if isinstance(grade, int) else None,
        series=series,
        edition=edition_key(record.get("edition")),
        year=year if isinstance(year, int) else None,
        form=form,
        kind=kind,
        ident=ident_full,
        marked=sum(1 for w in ident_full if not is_bare(w)),
    )
    f.guards = (f.grade, f.series, f.volume, f.kind, f.form, f.edition, f.year, f.numbers, f.isbn, f.issn)
    f.signature = (f.ident, f.authors[:3], f.publisher, f.isbn, f.issn, f.volume, f.grade, f.series,
                   f.edition, f.year, f.numbers, f.form, f.kind)
    return f


_SCHOOL_KINDS = frozenset({gdpt.PUPIL, gdpt.WORKBOOK, gdpt.TEACHER})


@functools.lru_cache(maxsize=256)
def _subject_words(subject: str) -> tuple[str, ...]:
    return tuple(key_text(subject).split())


# A blocking key: its kind ("head", "tail" or "author") first, then what records of the block share.
BlockKey = tuple[str, tuple[str, ...]] | tuple[str, str, str]


def blocking_keys(f: Features) -> list[BlockKey]:
    """Candidate blocks: a typo in one word still leaves another block in common."""
    keys: list[BlockKey] = []
    w = f.words
    if w:
        keys.append(("head", w[:2]))
        if len(w) > 2:
            keys.append(("tail", w[-2:]))
        if f.first_author:
            keys.append(("author", f.first_author, f.title[:3]))
    return keys


# --- comparing two records ------------------------------------------------------------------

def guard_differences(a: dict[str, object], b: dict[str, object]) -> list[str]:
    """Attributes known on both sides that differ: each one forbids an automatic merge."""
    return [name for name, va in a.items() if va is not None and b.get(name) is not None and va != b[name]]


def _guard_diffs(a: tuple[object, ...], b: tuple[object, ...]) -> tuple[str, ...]:
    """``guard_differences`` of two ``Features.guards`` tuples (the hot path: millions of pairs)."""
    if a == b:
        return ()
    return tuple(name for name, va, vb in zip(GUARDS, a, b) if va is not None and vb is not None and va != vb)


def title_similarity(a: Features, b: Features) -> float:
    return max(fuzz.ratio(a.title, b.title), fuzz.token_sort_ratio(a.full, b.full))


def tone_clash(a: Features, b: Features) -> list[tuple[str, str]]:
    """Aligned title words of ``a`` and ``b`` with the same letters and other diacritics —
    each one a *different word* ("mẹ"/"mè", "cá"/"ca", "đá"/"da"), whatever the similarity.

    A long title typed without any diacritic (``Features.unmarked``) against one with
    diacritics on two words or more is a legacy entry, not a different title: no clash.
    """
    if a.ident == b.ident:
        return []
    if (a.unmarked and b.marked >= 2) or (b.unmarked and a.marked >= 2):
        return []
    return tone_clashes(a.ident, b.ident)


def author_similarity(a: Features, b: Features) -> float | None:
    """Best similarity among the first three authors of each; None if one side has none."""
    if not a.authors or not b.authors:
        return None
    return max(fuzz.token_sort_ratio(x, y) for x in a.authors[:3] for y in b.authors[:3])


@dataclass(slots=True)
class Decision:
    outcome: str            # merge | uncertain | conflict | none
    rule: str               # isbn | issn | fuzzy | exact
    score: float
    title: float
    author: float | None
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "score": round(self.score, 1), "title_similarity": round(self.title, 1)}
        if self.author is not None:
            out["author_similarity"] = round(self.author, 1)
        if self.reasons:
            out["reasons"] = list(self.reasons)
        return out


def compare(a: Features, b: Features) -> Decision:
    """Should records ``a`` and ``b`` be one cluster?

    Cheapest evidence first: most candidate pairs differ in a guard (another grade, volume,
    series …) or in title, and end there. A ``none`` decision carries the scores only as far as
    they were computed (nobody reads them: ``none`` pairs are dropped)."""
    shared_id = (a.isbn and a.isbn == b.isbn) or (a.issn and a.issn == b.issn and not (a.isbn and b.isbn))
    if not shared_id:
        for name, va, vb in zip(GUARDS, a.guards, b.guards):   # a guard known on both sides differs: no
            if va is not None and vb is not None and va != vb:
                return Decision("none", "fuzzy", 0.0, 0.0, None, (name,))
    diffs = _guard_diffs(a.guards, b.guards)
    tsim = title_similarity(a, b)
    if not shared_id and tsim < UNCERTAIN_TITLE:  # most candidate pairs end here, cheaply
        return Decision("none", "fuzzy", tsim, tsim, None)
    asim = author_similarity(a, b)
    if shared_id:
        rule = "isbn" if a.isbn and a.isbn == b.isbn else "issn"
        set_sim = fuzz.token_set_ratio(a.full, b.full)
        if max(tsim, set_sim) < ISBN_TITLE_MIN:
            return Decision("conflict", rule, tsim, tsim, asim, ("title",))
        if rule == "issn" and diffs and set(diffs) <= {"volume", "year", "numbers"}:
            return Decision("none", rule, tsim, tsim, asim, tuple(diffs))  # other issues of a periodical
        if diffs:
            return Decision("conflict", rule, tsim, tsim, asim, tuple(diffs))
        if tone_clash(a, b):
            return Decision("conflict", rule, tsim, tsim, asim, ("diacritics",))
        return Decision("merge", rule, 100.0, tsim, asim)
    if diffs:
        return Decision("none", "fuzzy", tsim, tsim, asim, tuple(diffs))
    clash = tone_clash(a, b)
    if clash:
        # another word, not a typo — a person may still judge one slip in a long title
        score = tsim if asim is None else (0.7 * tsim + 0.3 * asim)
        if (len(clash) == 1 and min(len(a.ident), len(b.ident)) >= LONG_TITLE and tsim >= UNCERTAIN_TITLE
                and (asim is None or asim >= AUTHOR_UNSURE)):
            return Decision("uncertain", "fuzzy", score, tsim, asim, ("diacritics",))
        return Decision("none", "fuzzy", score, tsim, asim, ("diacritics",))
    reasons: list[str] = []
    if a.full != b.full and a.title != b.title and min(len(a.words), len(b.words)) < LONG_TITLE:
        reasons.append("title")  # a letter typo cannot be told from another word in a short title
    if (a.volume is None) != (b.volume is None):
        reasons.append("volume-missing")
    if a.kind != b.kind and (a.kind in NAMED_KINDS or b.kind in NAMED_KINDS):
        reasons.append("kind-missing")   # "Bài tập X" against "X" of unknown kind: never similar enough
    if asim is not None and asim < AUTHOR_OK:
        reasons.append("author")
    if a.publisher and b.publisher and fuzz.token_set_ratio(a.publisher, b.publisher) < PUBLISHER_OK:
        reasons.append("publisher")
    if asim is None and (a.authors or b.authors) and tsim < 95:
        reasons.append("author-missing")
    score = tsim if asim is None else (0.7 * tsim + 0.3 * asim)
    if tsim >= MERGE_TITLE and not reasons:
        return Decision("merge", "fuzzy", score, tsim, asim)
    if tsim >= UNCERTAIN_TITLE and (asim is None or asim >= AUTHOR_UNSURE):
        return Decision("uncertain", "fuzzy", score, tsim, asim, tuple(reasons) or ("title",))
    return Decision("none", "fuzzy", score, tsim, asim, tuple(reasons))
