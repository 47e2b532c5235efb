"""School books of the 2018 general education programme (GDPT 2018): what a cataloguer knows.

Owns a small body of domain knowledge, as plain data and the lookups over it:

* **subjects per grade** (``SUBJECTS``): the subjects that have a textbook at each grade, spelt as
  the books' titles spell them ("Lịch sử và Địa lí", "Hoạt động trải nghiệm, hướng nghiệp"), and
  the other spellings registers use (``SUBJECT_SPELLINGS``: "Lịch sử và Địa lý", "KHTN", "GDCD" …);
* **the textbook series** (``SERIES``): canonical name, the short code librarians write, every
  accepted spelling or abbreviation ("KNTT", "Kết nối tri thức", "CD", "Cánh diều" …) and the
  publishers whose imprint the series' books carry;
* **publishers** of the series (``PUBLISHERS``): canonical name ("Nhà xuất bản Giáo dục Việt
  Nam") and the spellings of registers ("NXB GDVN", "NXBGDVN", "Giáo dục Việt Nam" …) — only
  the school-book publishers: other publishers keep the name the register gives;
* **book kinds** (``KINDS``): pupil's book, workbook, teacher's book, reference — the record
  type each one is, and the words registers mark them with ("Sách giáo viên", "SGV", "Bài tập",
  "Vở bài tập", "Sách bài tập" …), at the start or the end of a title;
* **type inference** (``infer_type``): a title that says what kind of book it is, or a subject +
  grade + a GDPT 2018 series, gives the record type a register without a type column lacks.

Lookups compare *folded* text (``key``: no diacritics, đ → d, i/y spellings unified), which is
right for recognising a *spelling* of a known name; it is never used to decide that two titles
are the same words (that is ``libsync.text.identity_key``'s job, tone-sensitive). The matcher
(``libsync.catalog.match``), the importers and the catalogue's facets use this module; see
docs/gdpt.md. This module never reads files, never prints and never decides a merge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from libsync.text import fold, strip_accents

PROGRAM = "GDPT2018"

# i/y: a syllable of consonants (or qu) + final y is spelt with i (lý → li) — on folded text, the
# rule of ``libsync.text.identity_key`` and ``libsync.catalog.match.normalise_iy``
_Y_WORD = re.compile(r"\b([bcdghklmnpqrstvx]+|qu)y\b")


@functools.lru_cache(maxsize=8192)
def key(text: str | None) -> str:
    """Folded text: lower case, no diacritics, đ → d, punctuation gone, i/y spellings unified
    ("Địa lý" → "dia li"). Equal to ``libsync.catalog.match.key_text`` (tested)."""
    return _Y_WORD.sub(r"\1i", fold(text)) if text else ""


def _words(text: str) -> tuple[str, ...]:
    return tuple(key(text).split())


# --- subjects -------------------------------------------------------------------------------------
# The subjects with a textbook at each grade (Thông tư 32/2018/TT-BGDĐT; grades 4–5 and 3 have
# separate "Tin học" and "Công nghệ" books). Foreign language: English, the one nearly every school teaches.
_PRIMARY_12 = ("Tiếng Việt", "Toán", "Đạo đức", "Tự nhiên và Xã hội", "Giáo dục thể chất", "Âm nhạc", "Mĩ thuật",
               "Hoạt động trải nghiệm", "Tiếng Anh")
_PRIMARY_3 = (*_PRIMARY_12, "Tin học", "Công nghệ")
_PRIMARY_45 = ("Tiếng Việt", "Toán", "Đạo đức", "Khoa học", "Lịch sử và Địa lí", "Tin học", "Công nghệ",
               "Giáo dục thể chất", "Âm nhạc", "Mĩ thuật", "Hoạt động trải nghiệm", "Tiếng Anh")
_LOWER_SECONDARY = ("Ngữ văn", "Toán", "Tiếng Anh", "Giáo dục công dân", "Lịch sử và Địa lí", "Khoa học tự nhiên",
                    "Công nghệ", "Tin học", "Giáo dục thể chất", "Âm nhạc", "Mĩ thuật",
                    "Hoạt động trải nghiệm, hướng nghiệp")
_UPPER_SECONDARY = ("Ngữ văn", "Toán", "Tiếng Anh", "Lịch sử", "Địa lí", "Giáo dục kinh tế và pháp luật", "Vật lí",
                    "Hoá học", "Sinh học", "Công nghệ", "Tin học", "Âm nhạc", "Mĩ thuật", "Giáo dục thể chất",
                    "Giáo dục quốc phòng và an ninh", "Hoạt động trải nghiệm, hướng nghiệp")
SUBJECTS: dict[int, tuple[str, ...]] = {
    1: _PRIMARY_12, 2: _PRIMARY_12, 3: _PRIMARY_3, 4: _PRIMARY_45, 5: _PRIMARY_45,
    6: _LOWER_SECONDARY, 7: _LOWER_SECONDARY, 8: _LOWER_SECONDARY, 9: _LOWER_SECONDARY,
    10: _UPPER_SECONDARY, 11: _UPPER_SECONDARY, 12: _UPPER_SECONDARY,
}
# Other spellings of a subject in registers (case, diacritics and i/y spellings need no entry:
# names are compared folded). Abbreviations only where librarians really write them.
SUBJECT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Toán": ("Toán học",),
    "Tự nhiên và Xã hội": ("TN và XH", "TNXH", "Tự nhiên - Xã hội"),
    "Lịch sử và Địa lí": ("Lịch sử - Địa lí", "Lịch sử & Địa lí", "LS và ĐL", "LS&ĐL", "LSĐL", "Lịch sử Địa lí"),
    "Giáo dục công dân": ("GDCD",),
    "Khoa học tự nhiên": ("KHTN",),
    "Giáo dục thể chất": ("GDTC", "Thể dục"),
    "Hoạt động trải nghiệm, hướng nghiệp": ("Hoạt động trải nghiệm và hướng nghiệp", "HĐTN, HN", "HĐTNHN",
                                            "HĐTN - HN", "HĐTN hướng nghiệp"),
    "Hoạt động trải nghiệm": ("HĐTN",),
    "Giáo dục kinh tế và pháp luật": ("GDKT và PL", "GDKT&PL", "GDKTPL"),
    "Giáo dục quốc phòng và an ninh": ("GDQP và AN", "GDQP&AN", "GDQPAN"),
    "Tiếng Anh": ("Anh văn",),
}


def _subject_index() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for names in SUBJECTS.values():
        for name in names:
            out.setdefault(_words(name), name)
    for name, spellings in SUBJECT_SPELLINGS.items():
        for spelling in (name, *spellings):
            out.setdefault(_words(spelling), name)
    return out


_SUBJECT_INDEX = _subject_index()


def subject_name(text: str | None) -> str | None:
    """The subject as the textbooks spell it, for any accepted spelling ("Lịch sử và Địa lý",
    "KHTN" → "Khoa học tự nhiên"); None if it is not a GDPT 2018 subject."""
    return _SUBJECT_INDEX.get(_words(text)) if text else None


def subject_grade(words: Sequence[str]) -> tuple[str, int] | None:
    """(subject, grade) when the folded ``words`` of a title are a subject and a grade and
    nothing else — "toan 6", "ngu van lop 7", "mon khtn 8" — else None."""
    if len(words) < 2 or not words[-1].isdigit():
        return None
    grade = int(words[-1])
    if not 1 <= grade <= 12:
        return None
    body = tuple(words[:-1])
    if body and body[-1] == "lop":
        body = body[:-1]
    if body and body[0] == "mon":
        body = body[1:]
    subject = _SUBJECT_INDEX.get(body) or _subject_typo(body)
    return (subject, grade) if subject else None


TYPO_LENGTH = 12   # letters (folded, with spaces) a subject name needs before a typo in it is recognised


def _subjects_by_first() -> dict[str, tuple[str, ...]]:
    """The long subject names (folded) by their first word, for a letter typed wrong in a later one."""
    out: dict[str, tuple[str, ...]] = {}
    for words in _SUBJECT_INDEX:
        name = " ".join(words)
        if len(name) >= TYPO_LENGTH:
            out[words[0]] = (*out.get(words[0], ()), name)
    return out


_SUBJECT_BY_FIRST = _subjects_by_first()


@functools.lru_cache(maxsize=4096)
def _subject_typo(body: tuple[str, ...]) -> str | None:
    """A long subject name with one letter typed wrong, missing or extra in a word after the
    first ("Khoa học tự nhên", "Hoạt động trải nghiệm, hướng nghệp"); None otherwise."""
    candidates = _SUBJECT_BY_FIRST.get(body[0]) if body else None
    if not candidates:
        return None
    text = " ".join(body)
    for name in candidates:
        if abs(len(name) - len(text)) <= 1 and fuzz.ratio(text, name) >= 90:
            return _SUBJECT_INDEX[tuple(name.split())]
    return None


def is_gdpt_subject(subject: str, grade: int) -> bool:
    """Has ``subject`` (canonical name) a GDPT 2018 textbook at ``grade``?"""
    return subject in SUBJECTS.get(grade, ())


# --- publishers ----------------------------------------------------------------------------------
GDVN = "Nhà xuất bản Giáo dục Việt Nam"
DHSP = "Nhà xuất bản Đại học Sư phạm"
DHSP_HCM = "Nhà xuất bản Đại học Sư phạm Thành phố Hồ Chí Minh"
DH_HUE = "Nhà xuất bản Đại học Huế"


@dataclass(frozen=True, slots=True)
class Publisher:
    """A publisher: the name as its imprint spells it and the other spellings of registers
    (compared folded, after "Nhà xuất bản"/"NXB" is taken off)."""

    name: str
    spellings: tuple[str, ...] = ()


PUBLISHERS: tuple[Publisher, ...] = (
    Publisher(GDVN, ("Giáo dục Việt Nam", "GDVN", "GD VN", "Giáo dục", "GD", "NXBGD", "NXBGDVN")),
    Publisher(DHSP, ("Đại học Sư phạm", "ĐHSP", "ĐH Sư phạm", "Đại học Sư phạm Hà Nội", "ĐHSP Hà Nội", "NXBĐHSP")),
    Publisher(DHSP_HCM, ("Đại học Sư phạm TP. Hồ Chí Minh", "Đại học Sư phạm TP.HCM", "Đại học Sư phạm TPHCM",
                         "ĐHSP TP.HCM", "ĐHSP TPHCM", "ĐHSP TP. Hồ Chí Minh")),
    Publisher(DH_HUE, ("Đại học Huế", "ĐH Huế")),
)
# what registers put before a publisher's name ("NXB", "Nhà xuất bản", "Nhà XB"), also glued on ("NXBGDVN")
_PUBLISHER_PREFIX = re.compile(r"^(?:nha xuat ban|nha xb|nxb)\s*")


def _publisher_core(folded: str) -> str:
    return _PUBLISHER_PREFIX.sub("", folded).strip()


def _publisher_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for pub in PUBLISHERS:
        for spelling in (pub.name, *pub.spellings):
            core = _publisher_core(key(spelling))
            out.setdefault(core, pub.name)
            out.setdefault(core.replace(" ", ""), pub.name)
    return out


_PUBLISHER_INDEX = _publisher_index()
_PUBLISHER_CORES = tuple(core for core in _PUBLISHER_INDEX if " " in core and len(core) >= 10)


@functools.lru_cache(maxsize=4096)
def publisher_name(text: str | None) -> str | None:
    """The canonical name of a known publisher for any of its spellings ("NXB GDVN", "NXBGDVN",
    "Giáo dục Việt Nam", "Nhà xuất bản Giáo dục Việt Nam" → "Nhà xuất bản Giáo dục Việt Nam");
    a typo of a long name is tolerated. None for a publisher not listed here."""
    core = _publisher_core(key(text))
    if not core:
        return None
    found = _PUBLISHER_INDEX.get(core) or _PUBLISHER_INDEX.get(core.replace(" ", ""))
    if found or len(core) < 10:
        return found
    best = max(_PUBLISHER_CORES, key=lambda c: fuzz.ratio(core, c))
    return _PUBLISHER_INDEX[best] if fuzz.ratio(core, best) >= 92 else None


# --- series ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Series:
    """A textbook series (bộ sách) of GDPT 2018."""

    name: str                      # as the books spell it
    code: str                      # the abbreviation librarians write
    spellings: tuple[str, ...]     # other accepted spellings and abbreviations (compared folded)
    publishers: tuple[str, ...]    # canonical names of the publishers whose imprint its books carry
    grades: tuple[int, ...] = tuple(range(1, 13))


SERIES: tuple[Series, ...] = (
    Series("Kết nối tri thức với cuộc sống", "KNTT",
           ("Kết nối tri thức", "Kết nối", "KNTTVCS", "KNTT với CS", "KNTT và CS"), (GDVN,)),
    Series("Chân trời sáng tạo", "CTST", ("Chân trời",), (GDVN,)),
    Series("Cánh Diều", "CD", ("Cánh diều", "Bộ Cánh Diều"), (DHSP, DHSP_HCM, DH_HUE)),
    # the two series of grade 1 (2020) that were not continued
    Series("Cùng học để phát triển năng lực", "CHĐPTNL", (), (GDVN,), (1,)),
    Series("Vì sự bình đẳng và dân chủ trong giáo dục", "VSBĐVDCTGD", (), (), (1,)),
)
_BY_NAME = {s.name: s for s in SERIES}
# words registers put before a series' name: "Bộ sách Cánh Diều", "bộ KNTT", "Sách KNTT"
_SERIES_NOISE = ("bo sach", "bo sgk", "bo", "sach", "sgk")


def _series_index() -> tuple[dict[str, str], tuple[tuple[tuple[str, ...], str], ...], frozenset[str]]:
    exact: dict[str, str] = {}
    phrases: list[tuple[tuple[str, ...], str]] = []
    codes: set[str] = set()
    for s in SERIES:
        for spelling in (s.name, s.code, *s.spellings):
            folded = key(spelling)
            exact.setdefault(folded, s.name)
            exact.setdefault(folded.replace(" ", ""), s.name)
            words = tuple(folded.split())
            if len(words) >= 2:
                phrases.append((words, s.name))
        codes.add(key(s.code))
    phrases.sort(key=lambda p: -len(p[0]))
    return exact, tuple(phrases), frozenset(codes)


_SERIES_EXACT, _SERIES_PHRASES, _SERIES_CODES = _series_index()
_SERIES_FIRST = frozenset(phrase[0] for phrase, _ in _SERIES_PHRASES)
_SERIES_LONG = tuple(k for k in _SERIES_EXACT if len(k) >= 8 and " " in k)


@functools.lru_cache(maxsize=4096)
def series_name(text: str | None) -> str | None:
    """The canonical name of a GDPT 2018 series for any accepted spelling: "KNTT", "Kết nối tri
    thức", "kết nối tri thức với cuộc sống", "Bộ sách Cánh diều", "CD", a typo of a long name
    ("Chân trời sáng tại"); None for anything else ("Global Success", "Tủ sách vàng")."""
    folded = key(text)
    if not folded:
        return None
    for noise in _SERIES_NOISE:
        if folded.startswith(noise + " ") and len(folded) > len(noise) + 1:
            folded = folded[len(noise) + 1:]
            break
    found = _SERIES_EXACT.get(folded) or _SERIES_EXACT.get(folded.replace(" ", ""))
    if found:
        return found
    words = folded.split()
    at = find_series(words, anywhere=True)
    if at is not None and at[2] - at[1] == len(words) - (1 if words[-1] in _SERIES_CODES else 0):
        return at[0]   # the name with its code beside it: "Kết nối tri thức với cuộc sống (KNTT)"
    if len(folded) >= 8:
        best = max(_SERIES_LONG, key=lambda c: fuzz.ratio(folded, c))
        if fuzz.ratio(folded, best) >= 90:
            return _SERIES_EXACT[best]
    return None


def series_filter_key(text: object) -> str:
    """What a filter on series compares (``share --series``, a batch's ``series``): the canonical
    name of a GDPT 2018 series whatever the spelling, any other series folded (accents and case
    aside); "" for no series."""
    if not isinstance(text, str):
        return ""
    return series_name(text) or fold(text)


def series_code(name: str) -> str:
    """The abbreviation of a canonical series name ("Cánh Diều" → "CD")."""
    return _BY_NAME[name].code


# words before an abbreviation that make it something else: "kèm CD", "đĩa CD"
_NOT_SERIES_BEFORE = frozenset({"kem", "dia", "va", "co", "cung"})


def find_series(words: Sequence[str], anywhere: bool = False) -> tuple[str, int, int] | None:
    """A series named inside the folded words of a title: (canonical name, first word, end).

    A full spelling ("... Kết nối tri thức với cuộc sống", "(Cánh Diều)") counts anywhere in a
    title that has a number (a grade: a story called "Cánh diều tuổi thơ" names no series); an
    abbreviation ("KNTT", "CTST", "CD") only as the last word (after the volume was taken off:
    "Toán 6 (CD) - Tập 1") and not after "kèm" or "đĩa" ("Tiếng Anh 6 kèm CD").
    ``anywhere``: no number needed (a series column holds nothing else)."""
    n = len(words)
    if n == 0:
        return None
    starts = _SERIES_FIRST.intersection(words)   # most titles: no word that starts a series' name
    coded = n >= 2 and words[-1] in _SERIES_CODES
    if not (starts or coded) or not (anywhere or any(w.isdigit() for w in words)):
        return None
    for phrase, name in _SERIES_PHRASES:
        if phrase[0] not in starts:
            continue
        size = len(phrase)
        for i in range(n - size + 1):
            if tuple(words[i:i + size]) == phrase:
                return name, i, i + size
    last = words[-1]
    if n >= 2 and last in _SERIES_CODES and words[-2] not in _NOT_SERIES_BEFORE:
        return _SERIES_EXACT[last], n - 1, n
    return None


# --- book kinds -----------------------------------------------------------------------------------
PUPIL, WORKBOOK, TEACHER, REFERENCE = "pupil", "workbook", "teacher", "reference"
KINDS = (PUPIL, WORKBOOK, TEACHER, REFERENCE)
# the record type (schema/record.schema.json) of each kind, and the kind a type tells
KIND_TYPE = {PUPIL: "textbook", WORKBOOK: "workbook", TEACHER: "teacher-book", REFERENCE: "reference"}
TYPE_KIND = {"textbook": PUPIL, "workbook": WORKBOOK, "teacher-book": TEACHER}
# how registers spell each kind in a title (at its start, or at its end after a dash, colon or
# bracket) or in a type column; compared folded
KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    TEACHER: ("Sách giáo viên", "SGV", "Sách GV"),
    WORKBOOK: ("Vở bài tập", "Sách bài tập", "Bài tập", "Vở thực hành", "SBT", "VBT"),
    PUPIL: ("Sách giáo khoa", "SGK", "Sách học sinh"),
    REFERENCE: ("Sách tham khảo", "STK"),
}
_MARKERS: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted(
    ((tuple(key(s).split()), kind) for kind, spellings in KIND_SPELLINGS.items() for s in spellings),
    key=lambda m: -len(m[0])))
_MARKER_SPELLING = {tuple(key(s).split()): s for spellings in KIND_SPELLINGS.values() for s in spellings}
_MARKER_FIRST = frozenset(m[0][0] for m in _MARKERS)
_MARKER_LAST = frozenset(m[0][-1] for m in _MARKERS)
# "Bài tập" ends a title as its kind only after a separator ("Toán 6 - Bài tập"): "Giải bài tập" does not
_WEAK_AT_END = frozenset({("bai", "tap")})
_SEPARATED = re.compile(r"[-–—:(\[/,]\s*bai\s+tap\b")


def kind_of_words(words: Sequence[str], raw: str | None = None) -> tuple[str | None, int, int]:
    """The kind a title's folded ``words`` say, and how many words at its start and at its end
    say it: ("Bài tập Toán 6" → (workbook, 2, 0); "Toán 6 - Sách giáo viên" → (teacher, 0, 3));
    (None, 0, 0) when no kind word starts or ends the title. ``raw``: the title as typed, which
    tells whether an ending "Bài tập" follows a separator."""
    n = len(words)
    if n < 2:
        return None, 0, 0
    if words[0] in _MARKER_FIRST:
        for phrase, kind in _MARKERS:
            size = len(phrase)
            if size < n and tuple(words[:size]) == phrase:
                return kind, size, 0
    if words[-1] in _MARKER_LAST:
        for phrase, kind in _MARKERS:
            size = len(phrase)
            if size < n and tuple(words[n - size:]) == phrase:
                if phrase in _WEAK_AT_END and not (raw and _SEPARATED.search(strip_accents(raw.lower()))):
                    continue
                return kind, 0, size
    return None, 0, 0


def kind_of_text(text: str | None) -> str | None:
    """The kind a whole text names ("Sách giáo viên", "SGV" → teacher), e.g. a subtitle; else None."""
    words = tuple(key(text).split()) if text else ()
    for phrase, kind in _MARKERS:
        if words == phrase:
            return kind
    return None


# --- type inference ---------------------------------------------------------------------------------
# a volume in a title ("Tập 1", "T.2", "quyển một"), which says nothing about the kind
_VOLUME_WORDS = re.compile(r"\b(?:(?<!bai )(?:tap|quyen|cuon)|t)\s*(?:\d+|[ivx]{1,4}|mot|hai|ba|bon)\b")

def book_kind(title: str | None, rtype: str | None = None, subtitle: str | None = None) -> str | None:
    """The kind of a book: what its title or subtitle says ("Bài tập …", "… - Sách giáo viên"),
    else what its type says (textbook, workbook, teacher-book), else pupil's book for a title
    that is a subject and a grade ("Toán 6"); None when nothing tells. The rule of
    ``libsync.catalog.match.features``, for one record at a time."""
    found = infer_type(title, subtitle)
    if found is not None and found.source != "title + series":
        return found.kind
    kind = TYPE_KIND.get(str(rtype))
    if kind is None and title and subject_grade(_strip_title(title)) is not None:
        kind = PUPIL
    return kind


def _strip_title(title: str) -> list[str]:
    """The folded words of a title without a series named in it and without its volume."""
    words = key(title).split()
    series_in_title = find_series(words)
    if series_in_title is not None:
        words = words[:series_in_title[1]] + words[series_in_title[2]:]
    return _VOLUME_WORDS.sub(" ", " ".join(words)).split()


@dataclass(frozen=True, slots=True)
class Inference:
    """A record type told by a title: the type, the book's kind, where it was told ("title",
    "subtitle", "title + series") and the words that told it ("Bài tập", "Toán 6 + Cánh Diều")."""

    type: str
    kind: str
    source: str
    evidence: str


def infer_type(title: str | None, subtitle: str | None = None, series: str | None = None) -> Inference | None:
    """The record type a title tells, for a register that gives none (or "other"):

    * a kind word at the start or end of the title, or a subtitle that is one: "Sách giáo viên"
      → teacher-book; "Bài tập", "Vở bài tập", "Sách bài tap" → workbook; "Sách giáo khoa" →
      textbook; "Sách tham khảo" → reference;
    * a GDPT 2018 subject + grade + a series (in ``series`` or named in the title) → textbook.

    None when the title does not say."""
    if not title:
        return None
    words = _strip_title(title)
    kind, lead, trail = kind_of_words(words, title)
    if kind is None and subtitle:
        kind = kind_of_text(subtitle)
        if kind is not None:
            return Inference(KIND_TYPE[kind], kind, "subtitle", " ".join(subtitle.split()))
    if kind is not None:
        phrase = tuple(words[:lead]) if lead else tuple(words[len(words) - trail:])
        return Inference(KIND_TYPE[kind], kind, "title", _MARKER_SPELLING[phrase])
    named = series_name(series) if series else None
    if named is None:
        series_in_title = find_series(key(title).split())
        named = series_in_title[0] if series_in_title is not None else None
    found = subject_grade(words)
    if named is not None and found is not None:
        subject, grade = found
        return Inference("textbook", PUPIL, "title + series", f"{subject} {grade} + {named}")
    return None
