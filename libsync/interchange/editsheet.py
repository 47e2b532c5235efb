"""The spreadsheet round trip: one library's records as an Excel sheet to edit, and the edited sheet back.

``export_edit(repo, library)`` writes the **for-edit sheet** (``libsync export xlsx --for-edit``):

* sheet 1 (*Sửa biểu ghi* / *Edit records*): every editable field of the library's records, one
  row per copy (a record without copies: one row), headings in the current language. The
  headings are coloured by what a column belongs to — grey: the record's library and id, which
  say *which* record a row is and are never changed; blue: the record; green: the copy. The
  coded columns (share, access, type, status) carry drop-down lists (data validation) of the
  values in ``libsync.model.enums``; the heading row and the first columns are frozen; text
  columns are formatted as text, so Excel keeps "00123" and "978-…" as typed. A hidden last
  column holds each row's key: its line number at export;
* sheet 2 (*Hướng dẫn* / *How to*): what to edit and what each code means;
* a hidden sheet ``_libsync``: the marker that makes the workbook a for-edit sheet, the
  library, the export date, and every exported row's values as they were (the *originals*).

``plan_edit(repo, data, path, options)`` reads an edited sheet back into an importer ``Plan``
(an ``EditPlan``), so ``--dry-run``, ``--strict``, ``--format json`` and ``apply_plan`` work
as for any import. The rules:

* a cell is an **edit** when its value differs from the original *as a value*: 2021 typed as a
  number is the year "2021", a barcode 12345.0 is "12345", an ISBN typed as a number is the
  same ISBN, a date cell is its day, NFD text is its NFC form, runs of spaces count once and
  spaces at the ends not at all. Only edits change a record; a record without edits is
  ``unchanged``;
* an edit replaces the value; a cell **emptied** by the librarian clears that (optional) field.
  Emptying a required one — title, type, a copy's barcode or status — refuses the record,
  with the line and the column;
* a value changed in the repository since the export is kept; when the sheet edits the same
  field to something else, the record is refused as a conflict (never silently reverted);
* a row added by the librarian with the id of one of the library's records and a new barcode
  adds a copy (status ``available`` unless given); a row without a known id is refused (a new
  title is added with ``libsync record add`` or a register import);
* a row **deleted** by the librarian deletes nothing: it is listed in ``missing`` (reported,
  exit code unaffected). Copies leave a library through their status (lost, withdrawn);
* a status edited without its status date gets today's date;
* the library and id cells are read-only: a row whose id or library was changed is refused.

The plan is checked as ``libsync validate`` checks files (``importer.check_record``), barcodes
are checked across the library and the network, and ``importer.apply_plan`` writes through
``libsync.store.write.apply`` (all or nothing). This module never writes a file itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from libsync.errors import LibsyncError
from libsync.i18n import has, t
from libsync.interchange import importer
from libsync.interchange.importer import Options, Outcome, Plan, Record
from libsync.interchange.model import Message, parse_date, parse_price, parse_year
from libsync.interchange.tables import STATUS_WORDS, TYPE_WORDS, language_code
from libsync.model.enums import ACCESS_DEFAULT, ACCESS_LEVELS, ITEM_STATUSES, RECORD_TYPES, SHARE_DEFAULT, SHARE_LEVELS
from libsync.repository import Repository
from libsync.store.copies import barcode_owners
from libsync.text import fold, nfc, xmlchars
from libsync.text.identifiers import compact_isbn, compact_issn, format_isbn, isbn13, isbn_valid

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

META_SHEET = "_libsync"
MARKER = "libsync-edit-sheet"
VERSION = 1
ROW_KEY = "row_key"
EXTRA_ROWS = 1000          # rows below the data that still get the drop-down lists (rows the librarian adds)
CELL_LIMIT = 32_767        # characters in one Excel cell
HEADER_ROWS = 15           # the heading row is looked for in the first rows (a title may be typed above it)
FILLS = {"key": "D9D9D9", "record": "DDEBF7", "copy": "E2EFDA"}


@dataclass(frozen=True)
class Column:
    """One column of the for-edit sheet: the field (heading ``interchange.col.<name>``), whether
    it belongs to the record's identity (``key``), the record or the copy, how its cells are read,
    and where the value lives in the record (or in the copy)."""

    name: str
    level: str
    kind: str = "text"    # text | barcode | list | people | int | year | price | date | isbn | issn | language | code
    width: int = 16
    path: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def where(self) -> tuple[str, ...]:
        return self.path or (self.name,)

    @property
    def heading(self) -> str:
        return t(f"interchange.col.{self.name}")


COLUMNS: tuple[Column, ...] = (
    Column("library", "key", width=9),
    Column("id", "key", width=26),
    Column("title", "record", width=38, required=True),
    Column("barcode", "copy", "barcode", 15, required=True),
    Column("status", "copy", "code", 12, required=True, choices=ITEM_STATUSES),
    Column("location", "copy", width=16),
    Column("item_note", "copy", width=24, path=("note",)),
    Column("status_date", "copy", "date", 13),
    Column("status_ref", "copy", width=20),
    Column("share", "record", "code", 11, choices=SHARE_LEVELS),
    Column("access", "record", "code", 11, choices=ACCESS_LEVELS),
    Column("type", "record", "code", 13, required=True, choices=RECORD_TYPES),
    Column("subtitle", "record", width=24),
    Column("parallel_title", "record", width=20),
    Column("authors", "record", "list", 30),
    Column("contributors", "record", "people", 30),
    Column("publisher", "record", width=26),
    Column("place", "record", width=12),
    Column("year", "record", "year", 8),
    Column("edition", "record", width=10),
    Column("isbn", "record", "isbn", 19),
    Column("issn", "record", "issn", 11),
    Column("series", "record", width=18),
    Column("volume", "record", width=8),
    Column("language", "record", "language", 9),
    Column("pages", "record", "int", 8),
    Column("dimensions", "record", width=9),
    Column("ddc", "record", width=11, path=("classification", "ddc")),
    Column("bpl19", "record", width=10, path=("classification", "bpl19")),
    Column("bbk", "record", width=9, path=("classification", "bbk")),
    Column("udc", "record", width=9, path=("classification", "udc")),
    Column("call_number", "record", width=16),
    Column("subjects", "record", "list", 30),
    Column("keywords", "record", "list", 30),
    Column("summary", "record", width=40),
    Column("notes", "record", width=24),
    Column("program", "record", width=12, path=("curriculum", "program")),
    Column("grade", "record", "int", 8, path=("curriculum", "grade")),
    Column("curriculum_subject", "record", width=14, path=("curriculum", "subject")),
    Column("curriculum_series", "record", width=22, path=("curriculum", "series")),
    Column("url", "record", width=30, path=("digital", "url")),
    Column("digital_format", "record", width=12, path=("digital", "format")),
    Column("digital_licence", "record", width=14, path=("digital", "licence")),
    Column("digital_size", "record", "int", 12, path=("digital", "size")),
    Column("acquired", "copy", "date", 13),
    Column("price", "copy", "price", 10),
    Column("register_no", "copy", width=13),
    Column("source", "copy", width=18),
    Column("condition", "copy", width=14),
)
BY_NAME = {c.name: c for c in COLUMNS}
RECORD_COLUMNS = tuple(c for c in COLUMNS if c.level == "record")
COPY_COLUMNS = tuple(c for c in COLUMNS if c.level == "copy")
TEXT_KINDS = ("text", "barcode", "list", "people", "isbn", "issn", "language", "code")
# other words a librarian may type in a coded cell (folded); the codes themselves always work
CODE_WORDS = {
    "status": STATUS_WORDS,
    "type": TYPE_WORDS,
    "share": {"noi bo": "internal", "trong mang": "network", "mang": "network", "lien thong": "network",
              "cong khai": "public"},
    "access": {"muc luc": "catalog", "chi muc luc": "catalog", "doc": "read", "doc truc tuyen": "read",
               "tai ve": "download"},
}
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_DIGITS = re.compile(r"\d+")


# --- cell values ------------------------------------------------------------------------------

def _get(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set (or, for ``None``, remove) the value at ``path``; a mapping left empty goes too."""
    if value is None:
        parent = _get(data, path[:-1]) if len(path) > 1 else data
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
            if len(path) > 1 and not parent:
                data.pop(path[0], None)
        return
    node = data
    for step in path[:-1]:
        if not isinstance(node.get(step), dict):
            node[step] = {}
        node = node[step]
    node[path[-1]] = value


def cell_value(column: Column, record: Record, item: dict[str, Any] | None) -> Any:
    """What the sheet shows for ``column`` of this record (and copy): text, a number, a date or None."""
    if column.level == "copy":
        value = _get(item, column.where) if item is not None else None
    else:
        value = _get(record, column.where)
    if value is None and column.name == "share":
        value = SHARE_DEFAULT       # what a record without ``share`` is
    if value is None and column.name == "access":
        value = ACCESS_DEFAULT
    if value is None:
        return None
    if column.kind == "list" and isinstance(value, list):
        return "; ".join(str(v) for v in value) or None
    if column.kind == "people" and isinstance(value, list):
        return "; ".join(f"{p.get('name')} ({p['role']})" if isinstance(p, dict) and p.get("role")
                         else str(p.get("name") if isinstance(p, dict) else p) for p in value) or None
    if column.kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _original_text(value: Any) -> str:
    """A cell value as the text the hidden sheet keeps of it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def clean_text(raw: object) -> str | None:
    """A cell as text: NFC, runs of spaces as one, no spaces at the ends of lines; numbers that
    are whole as whole numbers (12345.0 → "12345"), dates as YYYY-MM-DD; empty → None."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else str(raw).upper()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        text = raw.date().isoformat()
    elif isinstance(raw, dt.date):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = _SPACES.sub(" ", nfc(text))
    text = "\n".join(line.strip() for line in text.splitlines()).strip()
    return text or None


def _whole(raw: object) -> int | None:
    """A whole number from a number cell or text of digits (thousands separators allowed)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = clean_text(raw) or ""
    if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+|\d+", text):
        return int(re.sub(r"\D", "", text))
    return None


def parse(column: Column, raw: object) -> tuple[Any, Message | None]:
    """The value a cell stands for (``None``: empty), or why it cannot be read."""
    text = clean_text(raw)
    if text is None:
        return None, None
    kind = column.kind
    if kind in ("text", "barcode"):
        return text, None
    if kind == "list":
        parts = [p for p in (clean_text(part) for part in text.split(";")) if p]
        return parts or None, None
    if kind == "people":
        people: list[dict[str, str]] = []
        for part in (clean_text(p) for p in text.split(";")):
            if part:
                match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", part)
                people.append({"name": match.group(1), "role": match.group(2).strip()} if match else {"name": part})
        return people or None, None
    if kind == "int":
        number = _whole(raw)
        return (number, None) if number is not None else (None, _bad(column, text, "int"))
    if kind == "year":
        year = _whole(raw)
        if year is None or not 1800 <= year <= 2100:
            year = parse_year(text) if not isinstance(raw, (int, float)) else None
        return (year, None) if year else (None, _bad(column, text, "year"))
    if kind == "price":
        price = parse_price(raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else text)
        return (price, None) if price is not None else (None, _bad(column, text, "price"))
    if kind == "date":
        return _date(column, raw, text)
    if kind == "isbn":
        code = compact_isbn(text)
        if isinstance(raw, (int, float)) and len(code) == 9:
            code = "0" + code     # an ISBN-10 typed as a number lost its leading zero
        return (format_isbn(code), None) if isbn_valid(code) else (None, _bad(column, text, "isbn"))
    if kind == "issn":
        code = compact_issn(text)
        if isinstance(raw, (int, float)):
            code = code.zfill(8)
        return (f"{code[:4]}-{code[4:]}", None) if len(code) == 8 else (None, _bad(column, text, "issn"))
    if kind == "language":
        lang = language_code(text)   # a code, or a language's name as the public table shows it
        return (lang, None) if lang else (None, _bad(column, text, "language"))
    # a coded column: the code itself (any case, spaces for hyphens) or a Vietnamese word for it
    key = fold(text).replace("_", "-")
    for code in column.choices:
        if key in (code, code.replace("-", " ")):
            return code, None
    word = CODE_WORDS.get(column.name, {}).get(key.replace("-", " "))
    if word in column.choices:
        return word, None
    return None, ("interchange.edit.bad_choice", {"column": column.heading, "value": text,
                                                  "choices": ", ".join(column.choices)})


def _date(column: Column, raw: object, text: str) -> tuple[Any, Message | None]:
    if isinstance(raw, dt.date):
        return (raw.date() if isinstance(raw, dt.datetime) else raw).isoformat(), None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        # a date cell that lost its date format: Excel's day number (1 = 1900-01-01, with its leap-year bug)
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
        return day.isoformat(), None
    when = parse_date(text)
    return (when, None) if when else (None, _bad(column, text, "date"))


def _bad(column: Column, text: str, kind: str) -> Message:
    return "interchange.edit.bad_value", {"column": column.heading, "value": text[:80],
                                           "expected": t(f"interchange.edit.expected.{kind}")}


def _same(column: Column, a: Any, b: Any) -> bool:
    if column.kind == "isbn" and isinstance(a, str) and isinstance(b, str):
        return (isbn13(a) or compact_isbn(a)) == (isbn13(b) or compact_isbn(b))
    return bool(a == b)


def _value_of(column: Column, raw: object) -> Any:
    """What a cell the export wrote (or the repository holds) stands for: read as ``parse`` reads
    the librarian's cells; a stored value ``parse`` cannot read (an old invalid ISBN) as its text."""
    value, error = parse(column, raw)
    return clean_text(raw) if error else value


# --- export -----------------------------------------------------------------------------------

@dataclass
class EditExport:
    library: str
    data: bytes
    records: int = 0
    rows: int = 0
    refused: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"format": "xlsx", "for_edit": True, "library": self.library, "records": self.records,
                "rows": self.rows, "bytes": len(self.data), "refused": [t(k, **p) for k, p in self.refused]}


def sheet_rows(record: Record) -> list[tuple[dict[str, Any] | None, list[Any]]]:
    """The rows of one record: ``(copy or None, cell values in COLUMNS order)``, one per copy."""
    items: list[dict[str, Any] | None] = [i for i in record.get("items") or [] if isinstance(i, dict)]
    return [(item, [cell_value(c, record, item) for c in COLUMNS]) for item in items or [None]]


def _unwritable(record: Record, rows: list[tuple[dict[str, Any] | None, list[Any]]]) -> Message | None:
    bad = xmlchars.find(record)
    if bad:
        return "interchange.export.bad_chars", {"id": record.get("id"), "field": bad[0],
                                                 "chars": xmlchars.codes(bad[1]), "fmt": "xlsx"}
    for _, values in rows:
        for column, value in zip(COLUMNS, values):
            if isinstance(value, str) and len(value) > CELL_LIMIT:
                return "interchange.export.cell_too_long", {"id": record.get("id"), "field": column.name,
                                                             "size": len(value), "limit": CELL_LIMIT}
    return None


def export_edit(repo: Repository, library: str, today: str | None = None) -> EditExport:
    """The for-edit workbook of ``library`` (see the module docstring)."""
    repo.network.library(library)   # unknown code → LibsyncError listing the known ones
    records = [data for _, data in importer.library_records(repo, library)]
    result = EditExport(library, b"")
    kept: list[tuple[Record, list[tuple[dict[str, Any] | None, list[Any]]]]] = []
    for record in records:
        rows = sheet_rows(record)
        why = _unwritable(record, rows)
        if why:
            result.refused.append(why)
        else:
            kept.append((record, rows))
    result.records = len(kept)
    result.rows = sum(len(rows) for _, rows in kept)
    result.data = _workbook(library, kept, today or dt.date.today().isoformat())
    return result


def _workbook(library: str, kept: list[tuple[Record, list[tuple[dict[str, Any] | None, list[Any]]]]],
              today: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    main = cast("Worksheet", book.active)   # a new workbook opens on its one worksheet
    main.title = t("interchange.edit.sheet")[:31]
    guide = book.create_sheet(t("interchange.edit.guide_sheet")[:31])
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"

    headings = [c.heading for c in COLUMNS] + [t("interchange.col.row_key")]
    levels = [c.level for c in COLUMNS] + ["key"]
    for col, (heading, level) in enumerate(zip(headings, levels), start=1):
        cell = main.cell(row=1, column=col, value=heading)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=FILLS[level])
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    key_col = len(COLUMNS) + 1
    text_cols = {i for i, c in enumerate(COLUMNS, start=1) if c.kind in TEXT_KINDS}
    date_cols = {i for i, c in enumerate(COLUMNS, start=1) if c.kind == "date"}

    meta.append([MARKER, VERSION, library, today, main.title])
    meta.append([ROW_KEY, json.dumps([c.name for c in COLUMNS])])
    line = 1
    for _record, rows in kept:
        for _item, values in rows:
            line += 1
            for col, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = main.cell(row=line, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"     # text as text: "=…" is not a formula, "#N/A" not an error
                if col in text_cols:
                    cell.number_format = "@"
                elif col in date_cols:
                    cell.number_format = "DD/MM/YYYY"
            main.cell(row=line, column=key_col, value=line)
            # the originals of a row: one JSON list (in cells of at most CELL_LIMIT characters), so
            # the hidden sheet costs one cell per row to read, not one per column
            packed = json.dumps([_original_text(v) or None for v in values], ensure_ascii=False)
            meta.append([line, *[packed[i:i + CELL_LIMIT] for i in range(0, len(packed), CELL_LIMIT)]])
    for row in meta.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"

    for col, column in enumerate(COLUMNS, start=1):
        dimension = main.column_dimensions[get_column_letter(col)]
        dimension.width = column.width
        if column.kind in TEXT_KINDS:     # what is typed later in an empty cell stays text too
            dimension.number_format = "@"
        elif column.kind == "date":
            dimension.number_format = "DD/MM/YYYY"
    key_letter = get_column_letter(key_col)
    main.column_dimensions[key_letter].width = 10
    main.column_dimensions[key_letter].hidden = True
    main.freeze_panes = "D2"     # headings, library, id and title stay in view
    main.auto_filter.ref = f"A1:{key_letter}{max(line, 2)}"
    _validations(main, line + EXTRA_ROWS)
    _guide(guide)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _validations(sheet: Worksheet, last: int) -> None:
    """Drop-down lists for the coded columns, a whole number for the year."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(col)
        if column.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"',
                                  allow_blank=not column.required, showErrorMessage=True,
                                  errorTitle=t("interchange.edit.dv_title")[:32],
                                  error=t("interchange.edit.dv_choice", column=column.heading,
                                          choices=", ".join(column.choices))[:255])
        elif column.kind == "year":
            rule = DataValidation(type="whole", operator="between", formula1="1800", formula2="2100",
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle=t("interchange.edit.dv_title")[:32],
                                  error=t("interchange.edit.dv_year")[:255])
        else:
            continue
        rule.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(rule)


def _guide(sheet: Worksheet) -> None:
    from openpyxl.styles import Font

    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
    sheet.append([t("interchange.edit.guide.title")])
    sheet["A1"].font = Font(bold=True, size=13)
    n = 1
    while has(f"interchange.edit.guide.{n}"):
        sheet.append(["", t(f"interchange.edit.guide.{n}")])
        n += 1
    for column in COLUMNS:
        if not column.choices:
            continue
        sheet.append([])
        sheet.append([column.heading, t("interchange.edit.guide.meaning")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
        for code in column.choices:
            key = f"interchange.edit.code.{column.name}.{code}"
            sheet.append([code, t(key) if has(key) else ""])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


# --- reading an edited sheet ------------------------------------------------------------------

def is_edit_sheet(data: bytes) -> bool:
    """Whether ``data`` is a workbook written by ``export_edit`` (it has the ``_libsync`` sheet).
    Reads only the workbook's list of sheets; the whole file is checked when it is read."""
    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 4 * 1024 * 1024:
                return False
            xml = archive.read(info)
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        return False
    return re.search(rb'<(?:\w+:)?sheet\b[^>]*\bname="' + META_SHEET.encode() + b'"', xml) is not None


@dataclass
class _Row:
    line: int
    cells: dict[str, Any]
    key: int | None = None
    original: dict[str, str] | None = None

    def raw(self, name: str) -> Any:
        return self.cells.get(name)


@dataclass
class EditPlan(Plan):
    """An import plan made from a for-edit sheet: the rows the librarian deleted (reported,
    nothing deleted) and the columns it did not recognise are kept beside the outcomes."""

    missing: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    exported: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["for_edit"] = True
        data["exported"] = self.exported
        data["missing_rows"] = list(self.missing)
        data["ignored_columns"] = list(self.ignored_columns)
        return data


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", " ", nfc(text).strip().lower())


def _headings() -> tuple[dict[str, str], dict[str, str]]:
    """Heading → column name: as written (either language, case and spacing aside), and folded
    when that is unambiguous ("Kho" and "Khổ" fold alike: location and dimensions are told apart
    by their diacritics only)."""
    exact: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for name in [c.name for c in COLUMNS] + [ROW_KEY]:
        for text in (t(f"interchange.col.{name}", "vi"), t(f"interchange.col.{name}", "en"), name):
            exact.setdefault(_heading_key(text), name)
            folded.setdefault(fold(text), set()).add(name)
    return exact, {key: next(iter(names)) for key, names in folded.items() if len(names) == 1}


def _recognise(cell: object, exact: dict[str, str], folded: dict[str, str]) -> str | None:
    if cell is None or not str(cell).strip():
        return None
    return exact.get(_heading_key(str(cell))) or folded.get(fold(str(cell)))


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str], list[str]]:
    """The heading row (index), column index → column name, and the headings not recognised."""
    exact, folded = _headings()
    best, best_cols = -1, dict[int, str]()
    for i, row in enumerate(rows[:HEADER_ROWS]):
        cols: dict[int, str] = {}
        for c, cell in enumerate(row):
            name = _recognise(cell, exact, folded)
            if name and name not in cols.values():
                cols[c] = name
        if len(cols) > len(best_cols):
            best, best_cols = i, cols
    if best < 0 or len(best_cols) < 2:
        return -1, {}, []
    ignored = [str(cell).strip() for c, cell in enumerate(rows[best])
               if c not in best_cols and cell is not None and str(cell).strip()]
    return best, best_cols, ignored


def _read_meta(book: Any, path: str) -> tuple[str, str, str | None, dict[int, dict[str, str]]]:
    """The marker sheet: library, export date, main sheet title, originals by row key."""
    sheet = book[META_SHEET]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    head = list(rows[0]) if rows else []
    head += [None] * (5 - len(head))
    if head[0] != MARKER or _whole(head[1]) != VERSION or len(rows) < 2 or not head[2]:
        raise LibsyncError("interchange.edit.bad_meta", path=path)
    names = _unpack(rows[1][1:] if rows[1][:1] == (ROW_KEY,) else ())
    if not names:
        raise LibsyncError("interchange.edit.bad_meta", path=path)
    originals: dict[int, dict[str, str]] = {}
    for row in rows[2:]:
        key = _whole(row[0]) if row else None
        if key is None:
            continue
        values = _unpack(row[1:])
        if values is None or len(values) != len(names):
            raise LibsyncError("interchange.edit.bad_meta", path=path)
        originals[key] = {str(name): "" if value is None else str(value) for name, value in zip(names, values)
                          if name in BY_NAME}
    return str(head[2]), str(head[3] or ""), str(head[4]) if head[4] else None, originals


def _unpack(cells: tuple[Any, ...]) -> list[Any] | None:
    """A JSON list written over one or more cells (``_workbook``), or None if it is not one."""
    try:
        value = json.loads("".join(str(c) for c in cells if c is not None))
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def plan_edit(repo: Repository, data: bytes, path: str, options: Options,
              mapping: dict[str, str] | None = None) -> EditPlan:
    """The plan of an edited for-edit sheet (see the module docstring); writes nothing."""
    from libsync.interchange.xlsx import load_workbook

    if mapping:
        raise LibsyncError("interchange.edit.no_map", path=path)
    if options.on_match != "update":
        raise LibsyncError("interchange.edit.on_match", path=path, on_match=options.on_match)
    book = load_workbook(data, path, read_only=True)
    if META_SHEET not in book.sheetnames:
        raise LibsyncError("interchange.edit.bad_meta", path=path)
    library, exported, title, originals = _read_meta(book, path)
    repo.network.library(options.library)
    if library != options.library:
        raise LibsyncError("interchange.edit.other_library", path=path, sheet=library, library=options.library)
    visible = [name for name in book.sheetnames if name != META_SHEET]
    sheet = book[title] if title in book.sheetnames else book[visible[0]]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()   # read every cell, whatever extent the file claims
    grid = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    at, columns, ignored = _header(grid)
    if at < 0 or ("id" not in columns.values() and ROW_KEY not in columns.values()):
        raise LibsyncError("interchange.edit.no_id_column", path=path)
    plan = EditPlan(library=options.library, source=path, kind="xlsx", encodings={"utf-8": 1}, outcomes=[],
                    writes={}, notes=[], strict=options.strict, ignored_columns=ignored, exported=exported or None)
    if ignored:
        plan.notes.append(("interchange.edit.ignored_columns", {"columns": ", ".join(ignored)}))
    present = set(columns.values())

    rows: list[_Row] = []
    for i, values in enumerate(grid[at + 1:], start=at + 2):
        cells = {name: values[c] for c, name in columns.items() if c < len(values)}
        if all(clean_text(v) is None for name, v in cells.items() if name != ROW_KEY):   # emptied, or blank
            plan.blank_lines += 1
            continue
        rows.append(_Row(i, cells))
    _assign_keys(rows, originals, ROW_KEY in present)

    existing: dict[str, Record] = {}
    paths: dict[str, str] = {}
    for relpath, record in importer.library_records(repo, options.library):
        rid = str(record.get("id"))
        existing[rid] = record
        paths[rid] = relpath

    groups: dict[str, list[_Row]] = {}
    for row in rows:
        given = (row.original or {}).get("id") or clean_text(row.raw("id"))
        if not given:
            plan.outcomes.append(Outcome(row.line, ("interchange.where.line", {"line": row.line}), "rejected",
                                         reasons=[("interchange.edit.no_id", {})]))
            continue
        if given not in existing:
            why = "interchange.edit.record_gone" if row.original else "interchange.edit.unknown_id"
            plan.outcomes.append(Outcome(row.line, ("interchange.where.line", {"line": row.line}), "rejected",
                                         title=clean_text(row.raw("title")), record_id=given,
                                         reasons=[(why, {"id": given, "library": options.library})]))
            continue
        groups.setdefault(given, []).append(row)

    planned: dict[str, Record] = {}
    for rid, group in groups.items():
        outcome, new = _plan_record(repo, rid, existing[rid], group, present, options, paths[rid])
        plan.outcomes.append(outcome)
        if new is not None:
            planned[rid] = new
    _check_barcodes(repo, options.library, existing, planned, plan.outcomes)
    plan.outcomes.sort(key=lambda o: o.position)
    plan.writes = {paths[rid]: record for rid, record in planned.items()}

    seen = {row.key for row in rows if row.key is not None}
    for key in sorted(set(originals) - seen):
        original = originals[key]
        plan.missing.append({"line": key, "id": original.get("id") or None, "barcode": original.get("barcode") or None,
                             "title": original.get("title") or None})
    return plan


def _assign_keys(rows: list[_Row], originals: dict[int, dict[str, str]], has_key_column: bool) -> None:
    """Which exported row each row is: by its hidden key (the first row to claim a key has it: a
    copied row is a new row), or, without the key column, by record id and barcode."""
    claimed: set[int] = set()
    by_identity = {(o.get("id", ""), o.get("barcode", "")): k for k, o in originals.items()}
    for row in rows:
        key = _whole(row.raw(ROW_KEY)) if has_key_column else by_identity.get(
            (clean_text(row.raw("id")) or "", clean_text(row.raw("barcode")) or ""))
        if key is not None and key in originals and key not in claimed:
            claimed.add(key)
            row.key, row.original = key, originals[key]


@dataclass
class _Edit:
    """What the sheet asks for one field: the new value, or why it cannot be done."""

    value: Any
    line: int


def _edited(column: Column, row: _Row, present: set[str], current: Any, reasons: list[Message]) -> _Edit | None:
    """The edit ``row`` makes to ``column`` (``None``: none). In an exported row an edit is a cell
    whose value differs from the exported one (an emptied cell included); in a row the librarian
    added, a filled cell whose value differs from the record's."""
    if column.name not in present:
        return None
    raw = row.raw(column.name)
    if row.original is not None:
        before = row.original.get(column.name, "")
        if clean_text(raw) == clean_text(before):
            return None
        if (column.kind == "barcode" and isinstance(raw, (int, float)) and not isinstance(raw, bool)
                and before.isdigit() and int(before) == raw):
            return None     # "00123" retyped in a cell formatted as a number: Excel kept 123
        value, error = parse(column, raw)
        if error:
            reasons.append(_at(row.line, error))
            return None
        if _same(column, value, _value_of(column, before or None)):
            return None
        return _Edit(value, row.line)
    value, error = parse(column, raw)
    if error:
        reasons.append(_at(row.line, error))
        return None
    if value is None or _same(column, value, current):
        return None
    return _Edit(value, row.line)


def _at(line: int, message: Message) -> Message:
    return message[0], {**message[1], "line": line}


def _diff(line: int, column: Column, old: Any, new: Any, barcode: str | None = None,
          scope: str = "record") -> dict[str, Any]:
    return {"line": line, "scope": scope, "barcode": barcode, "field": column.name, "column": column.heading,
            "old": old, "new": new}


def _plan_record(repo: Repository, rid: str, record: Record, rows: list[_Row], present: set[str],
                 options: Options, relpath: str) -> tuple[Outcome, Record | None]:
    """One record's outcome and, when it changes, the record to write."""
    lines = [row.line for row in rows]
    where = ("interchange.where.line", {"line": ", ".join(str(n) for n in lines[:8]) + (" …" if len(lines) > 8 else "")})
    outcome = Outcome(lines[0], where, "rejected", title=record.get("title"), record_id=rid, relpath=relpath)
    reasons: list[Message] = []
    for row in rows:
        library = clean_text(row.raw("library"))
        if "library" in present and library and library != options.library:
            reasons.append(("interchange.edit.library_changed", {"line": row.line, "value": library,
                                                                  "library": options.library}))
        given = clean_text(row.raw("id"))
        if row.original is not None and "id" in present and given and given != rid:
            reasons.append(("interchange.edit.id_changed", {"line": row.line, "value": given, "id": rid}))

    new = importer.copy_data(record)
    diff: list[dict[str, Any]] = []
    for column in RECORD_COLUMNS:
        current = _value_of(column, cell_value(column, record, None))
        edits = [e for e in (_edited(column, row, present, current, reasons) for row in rows) if e is not None]
        if not edits:
            continue
        distinct: list[_Edit] = []
        for e in edits:
            if not any(_same(column, e.value, d.value) for d in distinct):
                distinct.append(e)
        if len(distinct) > 1:
            reasons.append(("interchange.edit.rows_disagree", {
                "column": column.heading, "lines": ", ".join(str(e.line) for e in distinct),
                "values": " | ".join(_show(e.value) for e in distinct)}))
            continue
        edit = distinct[0]
        if _same(column, edit.value, current):
            continue
        exported = next((row.original for row in rows if row.original is not None), None)
        if exported is not None:
            before = _value_of(column, exported.get(column.name) or None)
            if not _same(column, before, current):
                reasons.append(("interchange.edit.conflict", {
                    "line": edit.line, "column": column.heading, "exported": _show(before), "now": _show(current),
                    "value": _show(edit.value)}))
                continue
        if edit.value is None and column.required:
            reasons.append(("interchange.edit.required", {"line": edit.line, "column": column.heading}))
            continue
        _set(new, column.where, edit.value)
        diff.append(_diff(edit.line, column, _get(record, column.where), edit.value))

    items = _plan_copies(record, new, rows, present, diff, reasons, options.today)
    barcodes = [str(i.get("barcode")) for i in items]
    folded = [b.casefold() for b in barcodes]
    twice = sorted({b for b, f in zip(barcodes, folded) if folded.count(f) > 1})
    if twice:
        reasons.append(("interchange.reject.barcode_twice", {"barcodes": ", ".join(twice)}))
    if items or "items" in new:
        new["items"] = items

    if reasons:
        outcome.reasons = reasons
        return outcome, None
    if not diff:
        outcome.action = "unchanged"
        outcome.items = len(items)
        return outcome, None
    new["updated"] = options.today
    errors = importer.check_record(repo, relpath, new)
    if errors:
        outcome.reasons = errors
        return outcome, None
    outcome.action = "updated"
    outcome.items = len(items)
    outcome.diff = diff
    fields = [d["field"] if d["scope"] == "record" else "items" for d in diff]
    outcome.changes = list(dict.fromkeys(fields))
    outcome.title = new.get("title")
    return outcome, new


@dataclass
class _Copies:
    """The copies of one record while its rows are read: the list to write, each copy by the
    barcode it had (case-folded, as validate compares barcodes — rows find their copy here even
    after another row renamed one, two barcodes swapped), and the copies a row already spoke for."""

    record: Record
    items: list[dict[str, Any]]
    by_barcode: dict[str, dict[str, Any]]
    claimed: set[str]
    diff: list[dict[str, Any]]
    reasons: list[Message]
    today: str

    def before(self, folded: str) -> dict[str, Any]:
        """The copy as the repository has it."""
        return next((i for i in self.record.get("items") or [] if isinstance(i, dict)
                     and str(i.get("barcode")).casefold() == folded), {})


def _plan_copies(record: Record, new: Record, rows: list[_Row], present: set[str], diff: list[dict[str, Any]],
                 reasons: list[Message], today: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [dict(i) for i in new.get("items") or [] if isinstance(i, dict)]
    copies = _Copies(record, items, {str(i.get("barcode")).casefold(): i for i in items},
                     {str((row.original or {}).get("barcode")).casefold() for row in rows
                      if (row.original or {}).get("barcode")}, diff, reasons, today)
    for row in rows:
        exported = (row.original or {}).get("barcode") or None
        if exported is None:
            _other_copy(row, present, copies)
        else:
            _exported_copy(row, present, exported, copies)
    return items


def _exported_copy(row: _Row, present: set[str], exported: str, copies: _Copies) -> None:
    """The edits of an exported copy's row."""
    reasons = copies.reasons
    item = copies.by_barcode.get(exported.casefold())
    if item is None:   # the copy left the record since the export
        if any(_edited(c, row, present, None, reasons) for c in COPY_COLUMNS):
            reasons.append(("interchange.edit.copy_gone", {"line": row.line, "barcode": exported}))
        return
    before_item = copies.before(exported.casefold())
    edited: set[str] = set()
    for column in COPY_COLUMNS:
        current = _value_of(column, cell_value(column, copies.record, before_item))
        edit = _edited(column, row, present, current, reasons)
        if edit is None or _same(column, edit.value, current):
            continue
        before = _value_of(column, (row.original or {}).get(column.name) or None)
        if not _same(column, before, current):
            reasons.append(("interchange.edit.conflict_copy", {
                "line": row.line, "barcode": exported, "column": column.heading, "exported": _show(before),
                "now": _show(current), "value": _show(edit.value)}))
            continue
        if edit.value is None and column.required:
            key = "interchange.edit.barcode_cleared" if column.name == "barcode" else "interchange.edit.required"
            reasons.append((key, {"line": row.line, "column": column.heading}))
            continue
        _set(item, column.where, edit.value)
        copies.diff.append(_diff(row.line, column, _get(before_item, column.where), edit.value, exported, "copy"))
        edited.add(column.name)
    _date_status(row, item, edited, exported, copies)


def _date_status(row: _Row, item: dict[str, Any], edited: set[str], barcode: str, copies: _Copies) -> None:
    """A status changed without its date gets today's."""
    if "status" in edited and "status_date" not in edited and item.get("status_date") != copies.today:
        copies.diff.append(_diff(row.line, BY_NAME["status_date"], item.get("status_date"), copies.today, barcode,
                                 "copy"))
        item["status_date"] = copies.today


def _other_copy(row: _Row, present: set[str], copies: _Copies) -> None:
    """A row that is no exported copy's: a row the librarian added, or the row of a record that had
    no copy. With a barcode the record already has (a copy added since the export — by this very
    sheet imported before), the row speaks for that copy: its filled cells that differ are edits.
    With a new barcode it adds a copy."""
    values: dict[str, Any] = {}
    for column in COPY_COLUMNS:
        if column.name not in present:
            continue
        value, error = parse(column, row.raw(column.name))
        if error:
            copies.reasons.append(_at(row.line, error))
        elif value is not None:
            values[column.name] = value
    if not values:
        return
    barcode = values.get("barcode")
    if barcode is None:
        copies.reasons.append(("interchange.edit.new_copy_no_barcode", {"line": row.line}))
        return
    folded = str(barcode).casefold()
    if folded in copies.claimed:
        copies.reasons.append(("interchange.edit.copy_twice", {"line": row.line, "barcode": barcode}))
        return
    copies.claimed.add(folded)
    item = copies.by_barcode.get(folded)
    if item is not None:
        before_item = copies.before(folded)
        edited: set[str] = set()
        for column in COPY_COLUMNS:
            current = _value_of(column, cell_value(column, copies.record, before_item))
            if column.name in values and not _same(column, values[column.name], current):
                _set(item, column.where, values[column.name])
                copies.diff.append(_diff(row.line, column, _get(before_item, column.where), values[column.name],
                                         str(item.get("barcode")), "copy"))
                edited.add(column.name)
        _date_status(row, item, edited, str(item.get("barcode")), copies)
        return
    item = {}
    for column in COPY_COLUMNS:
        if column.name in values:
            _set(item, column.where, values[column.name])
    item.setdefault("status", "available")
    copies.items.append(item)
    copies.diff.append(_diff(row.line, BY_NAME["barcode"], None, dict(item), str(barcode), "new_copy"))


def _check_barcodes(repo: Repository, library: str, existing: dict[str, Record], planned: dict[str, Record],
                    outcomes: list[Outcome]) -> None:
    """Refuse the records whose new barcodes another record holds once the edits are made — in
    this library, or in another one (a barcode names one copy in the whole network; compared
    case-folded, as validate compares them)."""
    def barcodes(record: Record) -> set[str]:
        return {str(i.get("barcode")).casefold() for i in record.get("items") or [] if isinstance(i, dict)}

    introduced = {rid: barcodes(rec) - barcodes(existing[rid]) for rid, rec in planned.items()}
    if not any(introduced.values()):
        return
    foreign = barcode_owners(repo, library)
    by_id = {o.record_id: o for o in outcomes if o.action == "updated"}
    changed = True
    while changed:
        changed = False
        owners: dict[str, list[str]] = {}
        for rid, record in existing.items():
            for barcode in barcodes(planned.get(rid, record)):
                owners.setdefault(barcode, []).append(rid)
        for rid in sorted(planned, key=lambda r: by_id[r].position):
            reason: Message | None = None
            for barcode in sorted(introduced[rid]):
                shown = next(str(i.get("barcode")) for i in planned[rid].get("items") or []
                             if str(i.get("barcode")).casefold() == barcode)
                others = [o for o in owners.get(barcode, []) if o != rid]
                if barcode in foreign:
                    owner_library, owner_id = foreign[barcode]
                    reason = ("interchange.reject.barcode_other_library",
                              {"barcode": shown, "library": owner_library, "id": owner_id})
                elif others:
                    reason = ("interchange.reject.barcode_taken", {"barcode": shown, "id": others[0]})
                if reason:
                    break
            if reason:
                outcome = by_id[rid]
                outcome.action, outcome.reasons, outcome.diff, outcome.changes = "rejected", [reason], [], []
                del planned[rid]
                changed = True
                break


def _show(value: Any) -> str:
    """A value as the report shows it."""
    if value is None or value == [] or value == {}:
        return t("interchange.edit.empty")
    if isinstance(value, list):
        return "; ".join(_show(v) if not isinstance(v, str) else v for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return f"{value['name']} ({value['role']})" if value.get("role") else str(value["name"])
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def show(value: Any) -> str:
    """``_show`` for the CLI's report."""
    return _show(value)
