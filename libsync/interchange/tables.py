"""Spreadsheet registers in and out: CSV and XLSX, column recognition, legacy encodings.

A register is usually a *sổ đăng ký cá biệt*: one line per copy, the title repeated on
each line. Reading groups the lines of one title (same ISBN, title, author, year, volume)
into one record with one item per copy.

Encodings: a CSV file's bytes are detected with ``libsync.text.legacy.detect`` (UTF-8
with or without BOM, Windows-1258, TCVN3, VNI) unless forced; an XLSX file is Unicode, but
cells typed with a .VnTime or VNI-Times font hold legacy bytes shown as Latin-1 letters
("Ti¾ng ViÖt"), so its text is repaired the same way, deciding once for the whole sheet.
UTF-16 files are read (BOM or not); headings damaged as mojibake ("TÃªn sÃ¡ch") are still
recognised (the importer repairs such values, ``libsync.text.legacy.fix_mojibake``).

The delimiter of a CSV file (comma, semicolon or TAB) is the one whose split of the first
lines recognises the most column headings, so a title full of semicolons cannot change it.

Writing guards against formula injection (OWASP "CSV injection"): a CSV cell starting
with ``= + - @``, TAB or CR gets a leading single quote, and reading a CSV file removes
exactly that quote again (``neutralise`` / ``unneutralise``: a title that really starts
with "-" or "=" survives the round trip); XLSX cells are written as text, never formulas.
An .xlsx file is checked by ``libsync.interchange.xlsx`` (zip bombs, XML entities, cell
count) before openpyxl reads it.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from libsync import labels, yamlio
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.interchange.model import (
    Incoming,
    Message,
    ReadResult,
    parse_date,
    parse_int,
    parse_price,
    parse_year,
    split_list,
)
from libsync.model import gdpt
from libsync.model.classification import normalise_bpl19, scheme_of
from libsync.text import fold, identity_key, legacy, nfc
from libsync.text.identifiers import compact_isbn, format_isbn, isbn13, isbn_valid

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

Rows = list[tuple[int, list[Any]]]   # (first line in the file, cell values) of each row

# column field → headings (folded, i.e. without diacritics); see docs/interchange.md
ALIASES: dict[str, tuple[str, ...]] = {
    "ignore": ("stt", "tt", "so thu tu", "no", "#"),
    "id": ("ma bieu ghi", "record id", "id"),
    "barcode": ("so dkcb", "dkcb", "so dang ky ca biet", "ma vach", "barcode", "so dk ca biet", "ma dkcb",
                "so dkcb ma vach", "dang ky ca biet", "so dang ki ca biet", "copy barcode"),
    "title": ("ten sach", "nhan de", "ten tai lieu", "title", "nhan de chinh", "ten an pham", "ten bao tap chi",
              "ten sach nhan de", "nhan de ten sach"),
    "subtitle": ("phu de", "nhan de phu", "subtitle", "thong tin bo sung nhan de"),
    "parallel_title": ("nhan de song song", "parallel title"),
    "authors": ("tac gia", "author", "authors", "tac gia chinh", "ten tac gia", "tac gia chu bien"),
    "publisher": ("nha xuat ban", "nxb", "publisher", "don vi xuat ban", "nha xb"),
    "place": ("noi xb", "noi xuat ban", "place", "place of publication", "dia diem xuat ban"),
    "year": ("nam xb", "nam xuat ban", "year", "nam", "nam xb nam xuat ban"),
    "edition": ("lan xuat ban", "tai ban", "edition", "lan xb"),
    "isbn": ("isbn", "so isbn", "ma isbn"),
    "issn": ("issn", "so issn"),
    "ddc": ("mon loai", "ddc", "ky hieu phan loai", "phan loai", "ma phan loai", "dewey", "mon loai ddc",
            "ky hieu phan loai ddc"),
    "bpl19": ("19 lop", "khung 19 lop", "mon loai 19 lop", "bang phan loai 19 lop", "ky hieu 19 lop", "bpl19"),
    "bbk": ("bbk",),
    "udc": ("udc",),
    "call_number": ("ky hieu xep gia", "call number", "khxg", "so xep gia", "ki hieu xep gia"),
    "pages": ("so trang", "trang", "pages", "so tr"),
    "dimensions": ("kho sach cm", "kich thuoc", "dimensions", "kho cm"),
    "price": ("gia tien", "gia", "don gia", "price", "gia bia", "gia tien dong", "gia tien vnd", "thanh tien"),
    "keywords": ("tu khoa", "keywords", "tu khoa tu do", "keyword"),
    "subjects": ("chu de", "subjects", "de muc chu de", "subject", "tieu de de muc"),
    "type": ("loai tai lieu", "loai sach", "type", "dang tai lieu", "loai", "loai hinh"),
    "notes": ("ghi chu", "notes", "note", "chu thich"),
    "series": ("tung thu", "series", "ten tung thu"),
    "volume": ("tap", "volume", "so tap", "tap so", "tap quyen"),
    "language": ("ngon ngu", "language"),
    "register_no": ("so vao so", "so dang ky tong quat", "so dktq", "register no", "so so", "so vao so tong quat"),
    "acquired": ("ngay nhap", "ngay vao so", "ngay bo sung", "acquired", "ngay nhan", "ngay nhap kho"),
    "location": ("kho", "kho sach", "vi tri", "location", "kho luu tru", "noi luu tru"),
    "source": ("nguon", "nguon bo sung", "nguon cung cap", "source", "nguon goc"),
    "condition": ("tinh trang", "condition", "tinh trang sach"),
    "status": ("trang thai", "status"),
    "item_note": ("ghi chu ban sach", "copy note", "item note"),
    "digital_format": ("dinh dang so", "digital format"),
    "digital_licence": ("giay phep", "licence", "license"),
    "digital_size": ("dung luong byte", "size bytes"),
    "holder": ("noi dang giu", "thu vien dang giu", "holder"),
    "status_date": ("ngay trang thai", "status date"),
    "status_ref": ("can cu trang thai", "ly do trang thai", "status ref"),
    "contributors": ("dong tac gia", "trach nhiem khac", "contributors", "chu bien"),
    "summary": ("tom tat", "summary", "noi dung tom tat", "tom tat noi dung"),
    "url": ("lien ket", "url", "duong dan", "link", "dia chi truy cap"),
    "grade": ("khoi lop", "lop", "khoi", "grade"),
    "curriculum_subject": ("mon hoc", "curriculum subject"),
    "curriculum_series": ("bo sach", "textbook series"),
    "program": ("chuong trinh", "program"),
}
# headings told apart only by their diacritics (Khổ = format, Kho = store)
EXACT = {"khổ": "dimensions", "khổ sách": "dimensions", "khổ (cm)": "dimensions", "kho": "location"}
FIELDS = tuple(ALIASES)

# the columns of an exported register, in order (headings from the catalogue: interchange.col.*)
EXPORT_COLUMNS = (
    "barcode", "id", "title", "subtitle", "parallel_title", "authors", "publisher", "place", "year",
    "edition", "isbn", "issn", "ddc", "bpl19", "bbk", "udc", "call_number", "pages", "dimensions", "series",
    "volume", "language", "type", "subjects", "keywords", "summary", "notes", "url", "digital_format",
    "digital_licence", "digital_size", "program", "grade",
    "curriculum_subject", "curriculum_series", "price", "register_no", "acquired", "location", "source",
    "condition", "status", "status_date", "status_ref", "holder", "item_note", "contributors",
)

STATUS_WORDS = {
    "co san": "available", "san sang": "available", "trong kho": "available", "available": "available",
    "dang muon": "on-loan", "cho muon": "on-loan", "on loan": "on-loan",
    "dang chuyen": "in-transit", "in transit": "in-transit",
    "o thu vien ban": "at-partner", "at partner": "at-partner", "dang luan chuyen": "at-partner",
    "mat": "lost", "da mat": "lost", "lost": "lost",
    "hong": "damaged", "rach": "damaged", "damaged": "damaged",
    "thanh ly": "withdrawn", "da thanh ly": "withdrawn", "withdrawn": "withdrawn",
}
TYPE_WORDS = {
    "sgk": "textbook", "sach giao khoa": "textbook", "textbook": "textbook",
    "sgv": "teacher-book", "sach giao vien": "teacher-book", "teacher book": "teacher-book",
    "sbt": "workbook", "vbt": "workbook", "sach bai tap": "workbook", "vo bai tap": "workbook", "bai tap": "workbook",
    "workbook": "workbook",
    "stk": "reference", "sach tham khao": "reference", "tham khao": "reference", "reference": "reference",
    "bao": "periodical", "tap chi": "periodical", "bao tap chi": "periodical", "periodical": "periodical",
    "truyen": "story", "truyen thieu nhi": "story", "story": "story", "van hoc": "story",
    "truyen tranh": "picture", "tranh": "picture", "picture": "picture",
    "tai lieu so": "digital", "dien tu": "digital", "digital": "digital", "ebook": "digital",
    "khac": "other", "other": "other",
}


def _with_labels(words: dict[str, str], kind: str) -> dict[str, str]:
    """``words`` plus the label of every code in every language, folded: a table exported for
    people (labels, not codes) reads back as the same codes."""
    from libsync.i18n import LANGUAGES, has

    out = dict(words)
    family = labels._FAMILIES[kind]
    for code in set(words.values()):
        for lang in LANGUAGES:
            if has(family + code):
                out.setdefault(fold(t(family + code, lang)), code)
    return out


def status_code(word: str) -> str | None:
    """The item status a register cell names (a Vietnamese or English word, a label or a code)."""
    return _status_lookup().get(fold(word))


def type_code(word: str) -> str | None:
    """The record type a register cell names (SGK, sách tham khảo, a label or a code)."""
    folded = fold(word)
    return _type_lookup().get(folded) or (word if word in TYPE_WORDS.values() else None)


LANGUAGE_WORDS = {"tieng viet": "vie", "viet": "vie", "vi": "vie", "anh": "eng", "tieng anh": "eng", "en": "eng",
                  "phap": "fre", "tieng phap": "fre"}


def language_code(word: str) -> str | None:
    """The ISO 639-2 code a register cell names: a code ("vie"), or a language's name as exported
    ("Tiếng Việt", "English") or as typed ("Việt", "Anh")."""
    text = word.strip().lower()
    found = _language_lookup().get(fold(text))
    if found:
        return found
    return text if re.fullmatch(r"[a-z]{3}", text) else None


@cache
def _language_lookup() -> dict[str, str]:
    from libsync.i18n import LANGUAGES

    out = dict(LANGUAGE_WORDS)
    for code in labels.LANGUAGE_CODES:   # in order: a name reads back as the one code shown by it
        for lang in LANGUAGES:
            out.setdefault(fold(t(f"label.language.{code}", lang)), code)
    return out


@cache
def _status_lookup() -> dict[str, str]:
    return _with_labels(STATUS_WORDS, "item-status")


@cache
def _type_lookup() -> dict[str, str]:
    return _with_labels(TYPE_WORDS, "type")


_PAREN = re.compile(r"\([^)]*\)")
FORMULA_START = frozenset("=+-@\t\r")   # what makes a spreadsheet read a cell as a formula


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet shows as text instead of running it (a leading ``'``).

    A value that already starts with quotes before such a character gets one more quote,
    so that ``unneutralise`` can always remove exactly the one added here."""
    if text and text.lstrip("'")[:1] in FORMULA_START:
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The value ``neutralise`` was given (also what Excel means by a leading ``'``)."""
    if text[:1] == "'" and text.lstrip("'")[:1] in FORMULA_START:
        return text[1:]
    return text


def _heading_index(extra: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    folded = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
    for field in EXPORT_COLUMNS:  # the headings we write ourselves, in both languages
        for lang in ("vi", "en"):
            folded.setdefault(fold(t(f"interchange.col.{field}", lang)), field)
    exact = dict(EXACT)
    for heading, field in (extra or {}).items():
        exact[nfc(str(heading)).strip().lower()] = field
        folded[fold(str(heading))] = field
    return folded, exact


def recognise(heading: object, folded: dict[str, str], exact: dict[str, str]) -> str | None:
    """The field a column heading stands for, or ``None``."""
    if heading is None:
        return None
    text = nfc(str(heading)).strip()
    if not text:
        return None
    if not text.isascii():
        text = legacy.fix_mojibake(text) or text   # "TÃªn sÃ¡ch" is "Tên sách"
    lowered = re.sub(r"\s+", " ", text.lower())
    if lowered in exact:
        return exact[lowered]
    key = fold(text)
    if key in folded:
        return folded[key]
    key = fold(_PAREN.sub(" ", text))
    if key in folded:
        return folded[key]
    return None


def load_mapping(path: str) -> dict[str, str]:
    """A ``--map`` file: YAML ``{heading in the file: field}``."""
    loaded = yamlio.load_file(path, path)
    if not loaded.ok or not isinstance(loaded.data, dict):
        first = next((p for p in loaded.problems if p.severity == "error"), None)
        raise LibsyncError("interchange.map.bad", path=path, reason=first.message if first else "?")
    out: dict[str, str] = {}
    for heading, field in loaded.data.items():
        if field not in FIELDS:
            raise LibsyncError("interchange.map.unknown_field", path=path, heading=heading, field=field,
                               fields=", ".join(FIELDS))
        out[str(heading)] = field
    return out


# --- reading raw rows ------------------------------------------------------------------------

def _decode_csv(data: bytes, path: str, encoding: str | None) -> tuple[str, str, list[Message]]:
    notes: list[Message] = []
    if encoding:
        enc = legacy.canonical_encoding(encoding)
        if enc is None:
            raise LibsyncError("interchange.encoding.unknown", encoding=encoding,
                               choices=", ".join(legacy.ENCODINGS))
        if enc == "utf-8" or enc in legacy.UTF16:
            try:
                text = legacy.decode(data, enc)
            except UnicodeDecodeError as exc:
                line = (data[:exc.start].decode(enc, "replace").count("\n") if enc in legacy.UTF16
                        else data.count(b"\n", 0, exc.start)) + 1
                guess = legacy.detect(data)
                raise LibsyncError("interchange.encoding.forced_wrong", path=path, encoding=enc, line=line,
                                   guess=guess.encoding) from None
            return text, enc, notes
        text = legacy.decode(data, enc)
        guess = legacy.detect(data)
        if guess.encoding != enc and legacy.score(text) < 0 <= legacy.score(guess.text):
            raise LibsyncError("interchange.encoding.forced_wrong", path=path, encoding=enc, line=1,
                               guess=guess.encoding)
        return text, enc, notes
    guess = legacy.detect(data)
    if guess.encoding != "utf-8" and not guess.confident:
        notes.append(("interchange.encoding.unsure", {"encoding": guess.encoding}))
    return guess.text, guess.encoding, notes


def _csv_rows(text: str, path: str, delimiter: str = ",", limit: int | None = None) -> Rows:
    """``(first line, cells)`` of each row; ``limit`` rows at most (for choosing the delimiter).

    A cell over the csv module's limit (131,072 characters; most often a quotation mark that
    is never closed, so the rest of the file became one cell) is refused with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    start = 1
    try:
        for row in reader:
            rows.append((start, [unneutralise(cell) for cell in row]))
            start = reader.line_num + 1
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        if limit is not None:   # a sample cut in the middle of a cell: judge by what was read
            return rows
        if "field larger than field limit" in str(exc):
            raise LibsyncError("interchange.table.cell_too_long", path=path, line=start,
                               limit=csv.field_size_limit()) from None
        raise LibsyncError("interchange.table.bad_csv", path=path, line=start, reason=str(exc)) from None
    return rows


def _delimiter(text: str, path: str, folded: dict[str, str], exact: dict[str, str]) -> str:
    """Comma, semicolon or TAB: the one whose split of the first 15 lines recognises the
    most headings (a tie goes to the one used most often in the first 20,000 characters)."""
    sample = text[:20000]
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    candidates = sorted((d for d in counts if counts[d]), key=lambda d: -counts[d])
    if len(candidates) < 2:
        return candidates[0] if candidates else ","
    best, best_score = candidates[0], -1
    for d in candidates:
        found = len(_find_header(_csv_rows(sample, path, d, limit=15), folded, exact)[1])
        if found > best_score:
            best, best_score = d, found
    return best


def _xlsx_rows(data: bytes, path: str) -> Rows:
    from libsync.interchange.xlsx import load_workbook

    book = load_workbook(data, path)
    sheet = book.worksheets[0]
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    # a merged cell holds its value only in the top-left corner: spread it over the range
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            row = grid[r]
            for c in range(merged.min_col - 1, merged.max_col):
                while len(row) <= c:
                    row.append(None)
                row[c] = value
    return [(i + 1, row) for i, row in enumerate(grid)]


def _repair_sheet(rows: Rows, encoding: str | None) -> tuple[str, list[Message]]:
    """Decide once whether the sheet's text is legacy bytes in disguise; repair every cell."""
    notes: list[Message] = []
    def legacy_shaped(c: str) -> bool:  # only text that Windows-1252 can hold may be legacy bytes in disguise
        try:
            c.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False

    # mojibake (UTF-8 shown as Windows-1252) is cp1252-shaped too, but the importer repairs it
    # as such (``legacy.fix_mojibake``): it is neither evidence nor a cell to decode here
    strings = [c for _, row in rows for c in row
               if isinstance(c, str) and not c.isascii() and legacy_shaped(c) and not legacy.fix_mojibake(c)]
    enc = legacy.canonical_encoding(encoding) if encoding else None
    if encoding and enc is None:
        raise LibsyncError("interchange.encoding.unknown", encoding=encoding, choices=", ".join(legacy.ENCODINGS))
    if enc is None:
        _, found = legacy.repair("\n".join(strings[:2000]))
        enc = found or "utf-8"
    if enc in ("tcvn3", "vni", "cp1258"):
        def fix(value: object) -> object:
            if isinstance(value, str) and not value.isascii() and not legacy.fix_mojibake(value):
                try:
                    raw = value.encode("cp1252")
                except UnicodeEncodeError:
                    try:
                        raw = value.encode("latin-1")
                    except UnicodeEncodeError:
                        return nfc(value)
                repaired = legacy.decode(raw, enc)
                # a heading typed in Unicode stays as it is; only cells that read better decoded change
                return repaired if legacy.score(repaired) > legacy.score(value) else nfc(value)
            return nfc(value) if isinstance(value, str) else value
        for _, row in rows:
            row[:] = [fix(c) for c in row]
    else:
        for _, row in rows:
            row[:] = [nfc(c) if isinstance(c, str) else c for c in row]
    return enc, notes


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        day: str = value.strftime("%Y-%m-%d")
        return day
    return nfc(str(value)).strip()


def _find_header(rows: Rows, folded: dict[str, str], exact: dict[str, str]) -> tuple[int, dict[int, str]]:
    """The header row (index into ``rows``) and column → field; looks at the first 15 rows and
    joins a second header row (sub-headings under merged cells)."""
    best, best_cols = -1, dict[int, str]()
    for i, (_, row) in enumerate(rows[:15]):
        cols: dict[int, str] = {}
        for c, cell in enumerate(row):
            field = recognise(cell, folded, exact)
            if field and field not in cols.values():
                cols[c] = field
        if len(cols) > len(best_cols):
            best, best_cols = i, cols
    if best < 0 or ("title" not in best_cols.values() and len(best_cols) < 2):
        return -1, {}
    last = best
    if best + 1 < len(rows):
        # a row of sub-headings only: each of its cells is blank, repeats the heading above it
        # (a merged cell spread down) or is a heading itself. A data row never qualifies, even
        # when one of its values reads like a heading (an author "Tt", a note "Kho").
        heading_row, below = rows[best][1], rows[best + 1][1]
        extra: dict[int, str] = {}
        for c, cell in enumerate(below):
            text = "" if cell is None else str(cell).strip()
            if not text or (c < len(heading_row) and text == str(heading_row[c] or "").strip()):
                continue
            field = recognise(cell, folded, exact)
            if field is None:
                extra = {}
                break
            if c not in best_cols and field not in best_cols.values() and field not in extra.values():
                extra[c] = field
        if extra:
            for c, field in extra.items():
                best_cols[c] = field
            last = best + 1
    return last, best_cols


def _record_from_row(values: dict[str, str], warnings: list[Message], every_copy: bool = False,
                     headings: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """One line's record and copy; a value that cannot be read is a warning naming its column as
    the file heads it (``headings``: field → heading, "Năm XB" rather than ``year``)."""
    def bad(key: str) -> None:
        column = (headings or {}).get(key) or labels.field_name(key)
        warnings.append(("interchange.table.bad_value", {"field": key, "column": column, "value": values[key]}))

    rec: dict[str, Any] = {}
    for key in ("title", "subtitle", "parallel_title", "publisher", "place", "edition", "call_number",
                "dimensions", "series", "volume", "summary", "notes", "id"):
        if values.get(key):
            rec[key] = values[key]
    if values.get("authors"):
        rec["authors"] = split_list(values["authors"], ";")
    if values.get("contributors"):
        people = []
        for part in split_list(values["contributors"], ";"):
            match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", part)
            people.append({"name": match.group(1), "role": match.group(2)} if match else {"name": part})
        rec["contributors"] = people
    if values.get("year"):
        year = parse_year(values["year"])
        if year:
            rec["year"] = year
        else:
            bad("year")
    if values.get("pages"):
        pages = parse_int(values["pages"])
        if pages:
            rec["pages"] = pages
    if values.get("isbn"):
        raw = values["isbn"]
        if isbn_valid(raw):
            rec["isbn"] = format_isbn(compact_isbn(raw))
        else:
            warnings.append(("interchange.table.bad_isbn", {"value": raw}))
    if values.get("issn"):
        code = re.sub(r"[^0-9Xx]", "", values["issn"]).upper()
        if len(code) == 8:
            rec["issn"] = f"{code[:4]}-{code[4:]}"
    if values.get("language"):
        lang = language_code(values["language"])
        if lang:
            rec["language"] = lang
    cls = {k: values[k] for k in ("bbk", "udc") if values.get(k)}
    for key in ("ddc", "bpl19"):   # "Môn loại" holds DDC or a 19-class code ("8V"): each goes to its own key
        if values.get(key):
            found = scheme_of(values[key]) if key == "ddc" else ("bpl19", normalise_bpl19(values[key]))
            if found and found[1]:
                cls.setdefault(found[0], found[1])
            else:
                bad(key)
    if cls:
        rec["classification"] = cls
    for key in ("subjects", "keywords"):
        if values.get(key):
            rec[key] = split_list(values[key], ";")
    if values.get("type"):
        kind = type_code(values["type"])
        if kind:
            rec["type"] = kind
        else:
            bad("type")
    if values.get("url"):
        rec["digital"] = {"url": values["url"]}
        if values.get("digital_format"):
            rec["digital"]["format"] = values["digital_format"]
        if values.get("digital_licence"):
            rec["digital"]["licence"] = values["digital_licence"]
        size = parse_int(values.get("digital_size"))
        if size is not None:
            rec["digital"]["size"] = size
    cur: dict[str, Any] = {}
    if values.get("program"):
        cur["program"] = values["program"]
    if values.get("grade"):
        grade = parse_int(values["grade"])
        if grade and 1 <= grade <= 12:
            cur["grade"] = grade
    if values.get("curriculum_subject"):
        cur["subject"] = values["curriculum_subject"]
    if values.get("curriculum_series"):
        cur["series"] = values["curriculum_series"]
    if cur:
        rec["curriculum"] = cur
    item: dict[str, Any] | None = None
    if values.get("barcode") or every_copy:
        item = {"barcode": values["barcode"]} if values.get("barcode") else {}
        if values.get("status"):
            status = status_code(values["status"])
            if status:
                item["status"] = status
            else:
                bad("status")
        for key in ("register_no", "location", "source", "condition", "status_ref"):
            if values.get(key):
                item[key] = values[key]
        if values.get("holder") and re.fullmatch(r"[A-Z][A-Z0-9]{1,15}", values["holder"]):
            item["holder"] = values["holder"]
        if values.get("status_date"):
            when = parse_date(values["status_date"])
            if when:
                item["status_date"] = when
        if values.get("item_note"):
            item["note"] = values["item_note"]
        if values.get("price"):
            price = parse_price(values["price"])
            if price is not None:
                item["price"] = price
        if values.get("acquired"):
            acquired = parse_date(values["acquired"])
            if acquired:
                item["acquired"] = acquired
            else:
                bad("acquired")
    return rec, item


def _headings_in_file(rows: Rows, header_at: int, columns: dict[int, str]) -> dict[str, str]:
    """Field → the column's heading as the file writes it (a sub-heading under a merged cell, else
    the heading above it)."""
    out: dict[str, str] = {}
    for c, field in columns.items():
        for at in (header_at, header_at - 1):
            row = rows[at][1] if at >= 0 else []
            text = _cell_text(row[c]) if c < len(row) else ""
            if text:
                out[field] = " ".join(text.split())
                break
    return out


def _group_key(values: dict[str, str]) -> tuple[object, ...]:
    if values.get("id"):
        return ("id", values["id"])
    code = isbn13(values["isbn"]) if values.get("isbn") else None
    # title and authors by identity (tones and đ count: "Cá", "Ca", "Đá" are three titles); the
    # type and series too: "Tin học 6" typed SGK and "Tin học 6" typed SGV are two books
    series = [gdpt.series_name(v) or fold(v) for v in (values.get("series"), values.get("curriculum_series")) if v]
    return ("t", code or "", identity_key(values.get("title")), identity_key(values.get("authors")),
            parse_year(values.get("year") or "") or 0, fold(values.get("volume")), fold(values.get("publisher")),
            fold(values.get("type")), tuple(series))


def read_table(data: bytes, path: str, encoding: str | None = None, mapping: dict[str, str] | None = None,
               every_copy: bool = False) -> ReadResult:
    """A CSV, XLSX or XLS register → one ``Incoming`` per title (lines of one title grouped).
    A line gives a copy when it has a barcode; with ``every_copy`` every line gives one, in line
    order, its barcode left out when it has none (``accession`` numbers those, keeping the price)."""
    from libsync.interchange.xlsx import is_xls, xls_rows

    is_xlsx = data[:2] == b"PK"
    notes: list[Message] = []
    if is_xlsx:
        rows = _xlsx_rows(data, path)
        enc, more = _repair_sheet(rows, encoding)
        notes += more
        kind = "xlsx"
    elif is_xls(data):   # Excel 97–2003: read by xlrd, its text repaired as an .xlsx's is
        rows = [(i + 1, row) for i, row in enumerate(xls_rows(data, path))]
        enc, more = _repair_sheet(rows, encoding)
        notes += more
        kind = "xls"
    else:
        text, enc, more = _decode_csv(data, path, encoding)
        notes += more
        kind = "csv"
    folded, exact = _heading_index(mapping)
    if kind == "csv":
        rows = _csv_rows(text, path, _delimiter(text, path, folded, exact))
    header_at, columns = _find_header(rows, folded, exact)
    if header_at < 0:
        if kind == "csv" and path.lower().endswith(".xls"):   # a web page or other file saved as .xls
            raise LibsyncError("interchange.xls.not_xls", path=path)
        raise LibsyncError("interchange.table.no_header", path=path)
    if "title" not in columns.values():
        raise LibsyncError("interchange.table.no_title", path=path, line=rows[header_at][0])
    headings = _headings_in_file(rows, header_at, columns)
    result = ReadResult(path=path, kind=kind, items=[], encodings={enc: 1}, notes=notes)
    groups: dict[tuple[object, ...], Incoming] = {}
    for line, row in rows[header_at + 1:]:
        values: dict[str, str] = {}
        for c, field in columns.items():
            if field == "ignore" or c >= len(row):
                continue
            text = _cell_text(row[c])
            if text:
                values[field] = text
        if not values:
            result.blank_lines += 1
            continue
        if not values.get("title"):
            position = len(result.items) + 1
            result.items.append(Incoming(position, ("interchange.where.line", {"line": line}),
                                         error=("interchange.table.no_title_row", {}), lines=[line]))
            continue
        warnings: list[Message] = []
        rec, item = _record_from_row(values, warnings, every_copy, headings)
        key = _group_key(values)
        incoming = groups.get(key)
        if incoming is None:
            rec["provenance"] = {"source": "table"}
            incoming = Incoming(len(result.items) + 1, ("interchange.where.line", {"line": line}), record=rec,
                                lines=[line])
            groups[key] = incoming
            result.items.append(incoming)
            record = rec
        else:
            record = cast("dict[str, Any]", incoming.record)   # a title's group is made with its record
            incoming.lines.append(line)
            for k, v in rec.items():
                record.setdefault(k, v)
        incoming.warnings.extend((w[0], {**w[1], "line": line}) for w in warnings)
        if item:
            record.setdefault("items", []).append(item)
    return result


# --- writing ---------------------------------------------------------------------------------

def record_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The register lines of one record: one per copy (one line without copy data if none)."""
    cls = record.get("classification") or {}
    cur = record.get("curriculum") or {}
    base = {
        "id": record.get("id"), "title": record.get("title"), "subtitle": record.get("subtitle"),
        "parallel_title": record.get("parallel_title"), "authors": "; ".join(record.get("authors") or []) or None,
        "publisher": record.get("publisher"), "place": record.get("place"), "year": record.get("year"),
        "edition": record.get("edition"), "isbn": record.get("isbn"), "issn": record.get("issn"),
        "ddc": cls.get("ddc"), "bpl19": cls.get("bpl19"), "bbk": cls.get("bbk"), "udc": cls.get("udc"),
        "call_number": record.get("call_number"), "pages": record.get("pages"),
        "dimensions": record.get("dimensions"), "series": record.get("series"), "volume": record.get("volume"),
        "language": labels.language(record.get("language")) or None,
        "type": labels.record_type(record.get("type")) or None,
        "subjects": "; ".join(record.get("subjects") or []) or None,
        "keywords": "; ".join(record.get("keywords") or []) or None,
        "summary": record.get("summary"), "notes": record.get("notes"),
        "url": (record.get("digital") or {}).get("url"),
        "digital_format": (record.get("digital") or {}).get("format"),
        "digital_licence": (record.get("digital") or {}).get("licence"),
        "digital_size": (record.get("digital") or {}).get("size"),
        "program": cur.get("program"), "grade": cur.get("grade"), "curriculum_subject": cur.get("subject"),
        "curriculum_series": cur.get("series"),
        "contributors": "; ".join(f"{c['name']} ({c['role']})" if c.get("role") else c["name"]
                                  for c in record.get("contributors") or []) or None,
    }
    items = record.get("items") or [None]
    rows: list[dict[str, Any]] = []
    for item in items:
        row = dict(base)
        if item:
            row.update({"barcode": item.get("barcode"), "price": item.get("price"),
                        "register_no": item.get("register_no"), "acquired": item.get("acquired"),
                        "location": item.get("location"), "source": item.get("source"),
                        "condition": item.get("condition"), "status": labels.item_status(item.get("status")) or None,
                        "status_date": item.get("status_date"), "status_ref": item.get("status_ref"),
                        "holder": item.get("holder"),
                        "item_note": item.get("note")})
        rows.append(row)
    return rows


def headings(lang: str | None = None) -> list[str]:
    return [t(f"interchange.col.{c}", lang) if lang else t(f"interchange.col.{c}") for c in EXPORT_COLUMNS]


def write_csv(records: list[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM (Excel then shows Vietnamese correctly), comma-separated."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings())
    for record in records:
        for row in record_rows(record):
            writer.writerow(["" if row.get(c) is None else neutralise(str(row.get(c))) for c in EXPORT_COLUMNS])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(records: list[dict[str, Any]]) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=False)
    sheet = cast("Worksheet", book.active)   # a new workbook opens on its one worksheet
    sheet.title = t("interchange.xlsx.sheet")[:31]
    sheet.append(headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_cols = {"barcode", "isbn", "issn", "ddc", "bpl19", "bbk", "udc", "call_number", "register_no", "id", "volume"}
    for record in records:
        for row in record_rows(record):
            values = []
            for c in EXPORT_COLUMNS:
                v = row.get(c)
                if v is not None and c in text_cols:
                    v = str(v)
                if isinstance(v, str):
                    v = Cell(sheet, value=v)  # type: ignore[call-arg]  # row and column are optional
                    v.data_type = "s"   # text as text: "=…" is not a formula, "#N/A" not an error
                values.append(v)
            sheet.append(values)
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()

