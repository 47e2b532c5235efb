"""The official registers of a school library (Circular 16/2022/TT-BGDĐT), built from the records.

* the general register (sổ đăng ký tổng quát): part I each intake (date, document, source,
  copies by type, value), part II each removal (date, decision, copies by type, value, reason),
  part III each stocktake (date, copies expected, counted, away on rotation that day by the
  exchange manifests — not missing —, missing, value missing);
* the individual register (sổ đăng ký cá biệt): one line per copy in register-number order;
* the textbook register (sổ đăng ký sách giáo khoa): one line per textbook edition.

``build(repo, kind, library, year)`` gives plain data — ``{"kind", "library", "year",
"parts": [{"key", "title", "header", "rows", "totals"}]}`` — and ``write(register, path)``
renders it as .xlsx (openpyxl write-only, frozen header rows) or .docx (landscape A4).
An intake is read from a copy's ``intake`` {source, document, date, supplier, line} when it has
one (``libsync accession``), else from its ``acquired``, ``register_no`` and ``source``; a removal
from its ``removal`` {date, reason, decision, ref} (``libsync withdraw apply``), else from a gone
status' date, ``status_reason`` (``donated``) and ``status_ref`` (a decision, an exchange id).
This module reads only; it never writes to the repository.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.collection import money
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import GONE_STATUSES, RECORD_TYPES, SCHOOL_BOOK_TYPES
from libsync.network import SCHOOL_YEAR_FIRST_MONTH

if TYPE_CHECKING:
    from libsync.inventory.index import Movement
    from libsync.repository import Repository

KINDS = ("general", "individual", "textbook")
TEXTBOOK_TYPES = SCHOOL_BOOK_TYPES
# The type columns of the general register, as the printed book groups them: pupils' books
# (with their workbooks), teachers' books, periodicals, digital, and every other type as reading.
_OWN_COLUMN = dict.fromkeys(SCHOOL_BOOK_TYPES, "school") | {"teacher-book": "teacher"}
_OWN_COLUMN |= {kind: kind for kind in ("periodical", "digital")}
TYPE_GROUPS = tuple((group, tuple(rt for rt in RECORD_TYPES if _OWN_COLUMN.get(rt, "reading") == group))
                    for group in ("school", "teacher", "reading", "periodical", "digital"))
# A copy leaves the registers' books (part II, the removal column) when it is withdrawn — by a
# withdrawal decision or a donation; a lost or damaged copy waits for that decision.
REMOVED = ("withdrawn",)
GROUP_OF = {rtype: group for group, types in TYPE_GROUPS for rtype in types}
YEAR_START = (SCHOOL_YEAR_FIRST_MONTH, 1)   # a school year's books open on 1 July (libsync.network)
_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
_NUM = re.compile(r"(\d+)")


@dataclass(slots=True)
class CopyRow:
    """One copy with what the registers need of it and of its record."""

    barcode: str
    record: str
    rtype: str
    title: str
    authors: str
    publisher: str
    year: str
    grade: int | None
    subject: str
    series: str
    price: int
    status: str
    acquired: str
    register_no: str
    source: str
    document: str
    supplier: str
    removal_date: str
    removal_reason: str
    removal_decision: str
    holder: str
    klass: str = ""
    status_date: str = ""


def class_of(record: dict[str, Any]) -> str:
    """The class a report counts a record under: its BPL19 code's main class (``8V`` → ``8``),
    else its DDC hundreds (``895.9223`` → ``800``), else empty."""
    cls = record.get("classification") or {}
    bpl = str(cls.get("bpl19") or "")
    if bpl:
        m = re.match(r"^\d+", bpl)
        return m.group(0) if m else bpl[:1]
    ddc = str(cls.get("ddc") or "")
    return f"{ddc[0]}00" if ddc[:1].isdigit() else ""


def year_range(year: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of school year ``2024-2025`` (None: all years)."""
    if not year:
        return None
    m = _YEAR.match(year.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise LibsyncError("collection.bad_year", exit_code=2, year=year)
    first = int(m.group(1))
    return dt.date(first, *YEAR_START), dt.date(first + 1, *YEAR_START) - dt.timedelta(days=1)


def in_range(day: str, span: tuple[dt.date, dt.date] | None) -> bool:
    if span is None:
        return True
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return False
    return span[0] <= d <= span[1]


def natural_key(text: str) -> tuple[Any, ...]:
    """Register-number order: ``XS-00009`` before ``XS-00010``, ``GK-2`` before ``GK-10``."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _NUM.split(text))


def rows_of(record: dict[str, Any]) -> list[CopyRow]:
    """The register rows of one record's copies."""
    cur = record.get("curriculum") or {}
    rid, rtype = str(record.get("id", "")), str(record.get("type", "other"))
    title = str(record.get("title", ""))
    if record.get("volume"):
        title = f"{title}. {record['volume']}"
    authors = ", ".join(str(a) for a in record.get("authors") or [])
    publisher, year = str(record.get("publisher") or ""), str(record.get("year") or "")
    grade = cur.get("grade") if isinstance(cur.get("grade"), int) else None
    subject, series = str(cur.get("subject") or ""), str(cur.get("series") or record.get("series") or "")
    klass = class_of(record)
    out = []
    for item in record.get("items") or []:
        intake = item.get("intake") if isinstance(item.get("intake"), dict) else {}
        removal = item.get("removal") if isinstance(item.get("removal"), dict) else {}
        status = str(item.get("status", ""))
        gone = status in GONE_STATUSES
        out.append(CopyRow(
            barcode=str(item.get("barcode", "")), price=int(item.get("price") or 0), status=status,
            acquired=str(intake.get("date") or item.get("acquired") or ""),
            register_no=str(item.get("register_no") or intake.get("line") or ""),
            source=source_label(str(intake["source"])) if intake.get("source") else str(item.get("source") or ""),
            document=str(intake.get("document") or ""), supplier=str(intake.get("supplier") or ""),
            removal_date=str(removal.get("date") or (item.get("status_date") if gone else "") or ""),
            removal_reason=str(removal.get("reason") or item.get("status_reason") or (status if gone else "")),
            removal_decision=str(removal.get("decision") or removal.get("ref")
                                 or (item.get("status_ref") if gone else "") or ""),
            holder=str(item.get("holder") or record.get("library") or ""),
            record=rid, rtype=rtype, title=title, authors=authors, publisher=publisher, year=year, grade=grade,
            subject=subject, series=series, klass=klass, status_date=str(item.get("status_date") or ""),
        ))
    return out


def source_label(code: str) -> str:
    """An intake's source code (``mua``, ``tang`` …) as the register writes it."""
    key = f"collection.source.{code}"
    text = t(key)
    return code if text == key else text


def library_copies(repo: Repository, library: str, audience: str | None = None) -> list[CopyRow]:
    """Every copy a library owns, withdrawn ones included, through the store (strict); with an
    ``audience`` (public, network, a library's code) only the copies of records it may see."""
    from libsync.audience import can_see
    from libsync.store.read import Store

    repo.network.library(library)
    loaded = Store.of(repo).records(strict=True, library=library)
    return [row for record in loaded.documents if audience is None or can_see(record, audience)
            for row in rows_of(record)]


def snapshots(repo: Repository, library: str) -> list[dict[str, Any]]:
    """The library's stocktake snapshots, oldest first."""
    from libsync.store.read import Store

    loaded = Store.of(repo).documents(("inventory",), strict=True, prefix=f"inventories/{library}/")
    return sorted(loaded.documents, key=lambda d: (str(d.get("date", "")), str(d.get("id", ""))))


# --- the registers as plain data ------------------------------------------------------------

def _by_group(rows: Iterable[CopyRow]) -> tuple[list[int], int]:
    counts = [0] * len(TYPE_GROUPS)
    value = 0
    index = {g: i for i, (g, _) in enumerate(TYPE_GROUPS)}
    for r in rows:
        counts[index[GROUP_OF.get(r.rtype, "reading")]] += 1
        value += r.price
    return counts, value


def _type_header() -> list[str]:
    return [t(f"collection.type.{g}") for g, _ in TYPE_GROUPS]


def part_intake(copies: list[CopyRow], span: tuple[dt.date, dt.date] | None) -> dict[str, Any]:
    # one line per delivery: its register line (with its document, source, supplier) when the
    # copies carry one, else the day they came; the line's date is its first copy's
    groups: dict[tuple[str, str, str, str, str], list[CopyRow]] = {}
    for r in copies:
        if r.acquired and in_range(r.acquired, span):
            groups.setdefault(("" if r.register_no else r.acquired, r.register_no, r.document, r.source, r.supplier),
                              []).append(r)
    firsts = {key: min(r.acquired for r in rows) for key, rows in groups.items()}
    rows: list[list[Any]] = []
    total_counts = [0] * len(TYPE_GROUPS)
    total_value = 0
    for n, key in enumerate(sorted(groups, key=lambda k: (firsts[k], natural_key(k[1]), k[2], k[3], k[4])), 1):
        _, line, document, source, supplier = key
        date = firsts[key]
        counts, value = _by_group(groups[key])
        total_counts = [a + b for a, b in zip(total_counts, counts)]
        total_value += value
        rows.append([n, date, line, document, source, supplier, sum(counts), *counts, value])
    header = [t("collection.col.no"), t("collection.col.date_in"), t("collection.col.line"),
              t("collection.col.document"), t("collection.col.source"), t("collection.col.supplier"),
              t("collection.col.copies"), *_type_header(), t("collection.col.value")]
    totals = ["", t("collection.total"), "", "", "", "", sum(total_counts), *total_counts, total_value]
    return {"key": "intake", "title": t("collection.part.intake"), "header": header, "rows": rows, "totals": totals}


def part_removals(copies: list[CopyRow], span: tuple[dt.date, dt.date] | None) -> dict[str, Any]:
    groups: dict[tuple[str, str, str], list[CopyRow]] = {}
    for r in copies:
        if r.status in REMOVED and r.removal_date and in_range(r.removal_date, span):
            groups.setdefault((r.removal_date, r.removal_decision, r.removal_reason), []).append(r)
    rows: list[list[Any]] = []
    total_counts = [0] * len(TYPE_GROUPS)
    total_value = 0
    for n, key in enumerate(sorted(groups), 1):
        date, decision, reason = key
        counts, value = _by_group(groups[key])
        total_counts = [a + b for a, b in zip(total_counts, counts)]
        total_value += value
        rows.append([n, date, decision, sum(counts), *counts, value, reason_label(reason)])
    header = [t("collection.col.no"), t("collection.col.date_out"), t("collection.col.decision"),
              t("collection.col.copies"), *_type_header(), t("collection.col.value"), t("collection.col.reason")]
    totals = ["", t("collection.total"), "", sum(total_counts), *total_counts, total_value, ""]
    return {"key": "removals", "title": t("collection.part.removals"), "header": header, "rows": rows, "totals": totals}


def reason_label(reason: str) -> str:
    key = f"collection.reason.{reason}"
    text = t(key)
    return reason if text == key else text


def held_on(r: CopyRow, day: str) -> bool:
    """Whether the copy belonged to the collection on ``day`` (acquired by then, not yet removed)."""
    if r.rtype == "digital" or (r.acquired and r.acquired > day):
        return False
    return not (r.status in GONE_STATUSES and r.removal_date and r.removal_date <= day)


def on_loan_on(r: CopyRow, day: str) -> bool:
    """Whether the copy was lent to a reader on ``day``, as far as the record tells: it is on loan
    now and the loan began by then (a record keeps a loan's status and date, not its history, so a
    loan since returned cannot be told and such a copy counts as missing)."""
    return r.status == "on-loan" and (not r.status_date or r.status_date <= day)


def away_on(moves: Iterable[Movement], library: str, day: str) -> set[str]:
    """The barcodes (casefolded) of ``library``'s copies away in an exchange on ``day``: dispatched
    by then and not yet back (``libsync.inventory.index.Movement.out_at``), a donation until the
    copies are written off."""
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return set()
    return {code.casefold() for move in moves if move.source == library and move.out_at(when)
            for code in move.barcodes}


def stocktake_counts(copies: list[CopyRow], barcodes: Iterable[str], library: str, day: str,
                     moves: Iterable[Movement] = ()) -> dict[str, int]:
    """A stocktake against the register: the copies the register holds on ``day`` (``expected``,
    with their ``expected_value``), those scanned (``counted``), away on rotation (``away``), lent
    (``on_loan``) and the rest (``missing``, ``missing_value``). The general register's part III
    and the stocktake minutes give these figures."""
    seen = {str(b).casefold() for b in barcodes}
    away_codes = away_on(moves, library, day)
    expected = [r for r in copies if held_on(r, day)]
    absent = [r for r in expected if r.barcode.casefold() not in seen]
    away = [r for r in absent if r.barcode.casefold() in away_codes]
    on_loan = [r for r in absent if r.barcode.casefold() not in away_codes and on_loan_on(r, day)]
    missing = [r for r in absent if r.barcode.casefold() not in away_codes and not on_loan_on(r, day)]
    return {"expected": len(expected), "expected_value": sum(r.price for r in expected),
            "counted": len(expected) - len(absent), "away": len(away), "on_loan": len(on_loan),
            "missing": len(missing), "missing_value": sum(r.price for r in missing)}


def part_stocktakes(copies: list[CopyRow], snaps: list[dict[str, Any]],
                    span: tuple[dt.date, dt.date] | None, moves: Iterable[Movement] = ()) -> dict[str, Any]:
    # a copy not scanned because it was away on rotation that day (at the partner, in transit)
    # is counted apart, not as missing: the exchange manifests say where it was
    moves = list(moves)
    rows: list[list[Any]] = []
    for snap in snaps:
        day = str(snap.get("date", ""))
        if not in_range(day, span):
            continue
        c = stocktake_counts(copies, snap.get("barcodes") or [], str(snap.get("library") or ""), day, moves)
        rows.append([len(rows) + 1, day, str(snap.get("label") or snap.get("id", "")), c["expected"],
                     c["expected_value"], c["counted"], c["away"], c["on_loan"], c["missing"], c["missing_value"]])
    header = [t("collection.col.no"), t("collection.col.date_check"), t("collection.col.label"),
              t("collection.col.expected"), t("collection.col.expected_value"), t("collection.col.counted"),
              t("collection.col.away"), t("collection.col.on_loan"), t("collection.col.missing"),
              t("collection.col.missing_value")]
    return {"key": "stocktakes", "title": t("collection.part.stocktakes"), "header": header, "rows": rows,
            "totals": None}


def individual_rows(copies: list[CopyRow], span: tuple[dt.date, dt.date] | None) -> list[list[Any]]:
    chosen = sorted((r for r in copies if span is None or in_range(r.acquired, span)),
                    key=lambda r: natural_key(r.barcode))
    rows: list[list[Any]] = []
    for n, r in enumerate(chosen, 1):
        title = f"{r.title} / {r.authors}" if r.authors else r.title
        pub = f"{r.publisher}, {r.year}" if r.publisher and r.year else (r.publisher or r.year)
        removal = ", ".join(x for x in (r.removal_decision, r.removal_date) if x) if r.status in REMOVED else ""
        rows.append([n, r.acquired, r.barcode, title, pub, r.price, r.register_no, r.source, removal])
    return rows


def part_individual(copies: list[CopyRow], span: tuple[dt.date, dt.date] | None) -> dict[str, Any]:
    rows = individual_rows(copies, span)
    header = [t("collection.col.no"), t("collection.col.date_in"), t("collection.col.barcode"),
              t("collection.col.title_author"), t("collection.col.publisher_year"), t("collection.col.price"),
              t("collection.col.line"), t("collection.col.source"), t("collection.col.removal")]
    return {"key": "individual", "title": t("collection.register.individual"), "header": header, "rows": rows,
            "totals": ["", "", "", t("collection.total"), "", sum(int(r[5]) for r in rows), "", "", ""]}


def part_textbooks(copies: list[CopyRow], span: tuple[dt.date, dt.date] | None) -> dict[str, Any]:
    editions: dict[str, list[CopyRow]] = {}
    for r in copies:
        if r.rtype in TEXTBOOK_TYPES and (span is None or in_range(r.acquired, span)
                                          or (r.removal_date and in_range(r.removal_date, span))):
            editions.setdefault(r.record, []).append(r)
    order = sorted(editions, key=lambda k: (editions[k][0].grade or 99, editions[k][0].subject.casefold(),
                                            editions[k][0].title.casefold(), k))
    rows: list[list[Any]] = []
    for n, rid in enumerate(order, 1):
        group = editions[rid]
        first = group[0]
        came = [r for r in group if span is None or in_range(r.acquired, span)]
        left = [r for r in group if r.status in REMOVED and r.removal_date
                and (span is None or in_range(r.removal_date, span))]
        now = sum(1 for r in group if r.status not in GONE_STATUSES)
        price = max((r.price for r in group), default=0)
        rows.append([n, first.title, first.grade or "", first.subject, first.series, first.publisher, first.year,
                     len(came), price, sum(r.price for r in came), len(left), now])
    header = [t("collection.col.no"), t("collection.col.title"), t("collection.col.grade"),
              t("collection.col.subject"), t("collection.col.series"), t("collection.col.publisher"),
              t("collection.col.year"), t("collection.col.in"), t("collection.col.price"),
              t("collection.col.value"), t("collection.col.out"), t("collection.col.left")]
    totals = ["", t("collection.total"), "", "", "", "", "", sum(int(r[7]) for r in rows), "",
              sum(int(r[9]) for r in rows), sum(int(r[10]) for r in rows), sum(int(r[11]) for r in rows)]
    return {"key": "textbooks", "title": t("collection.register.textbook"), "header": header, "rows": rows,
            "totals": totals}


def build(repo: Repository, kind: str, library: str, year: str | None = None) -> dict[str, Any]:
    """The register ``kind`` (general, individual, textbook) of ``library`` for school ``year``."""
    if kind not in KINDS:
        raise LibsyncError("collection.bad_register", exit_code=2, kind=kind, choices=", ".join(KINDS))
    span = year_range(year)
    copies = library_copies(repo, library)
    if kind == "general":
        from libsync.inventory.index import movements

        parts = [part_intake(copies, span), part_removals(copies, span),
                 part_stocktakes(copies, snapshots(repo, library), span, movements(repo))]
    elif kind == "individual":
        parts = [part_individual(copies, span)]
    else:
        parts = [part_textbooks(copies, span)]
    lib = repo.network.library(library)
    return {"kind": kind, "library": library, "library_name": str(lib.get("name") or library), "year": year,
            "title": t(f"collection.register.{kind}"), "parts": parts}


# --- writing ---------------------------------------------------------------------------------

def check_output(path: str | os.PathLike[str]) -> str:
    """``.xlsx`` or ``.docx`` by the extension of ``path``; anything else is refused (exit 2)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".docx"):
        raise LibsyncError("collection.bad_output", exit_code=2, path=str(path), choices=".xlsx, .docx")
    return suffix


def write(register: dict[str, Any], path: str | os.PathLike[str]) -> str:
    """Write ``register`` as .xlsx or .docx (by the extension), atomically."""
    from libsync.atomic import write_atomic

    data = to_xlsx(register) if check_output(path) == ".xlsx" else to_docx(register)
    write_atomic(Path(path), data)
    return str(path)


def _heading(register: dict[str, Any]) -> list[str]:
    head = [register["library_name"].upper(), register["title"]]
    if register.get("year"):
        head.append(t("collection.school_year", year=register["year"]))
    return head


def to_xlsx(register: dict[str, Any]) -> bytes:
    """One sheet per part: the book's heading, the column header (frozen), the lines, the totals."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for part in register["parts"]:
        ws = wb.create_sheet(title=_sheet_title(part["title"]))
        head = _heading(register)
        if part["title"] != register["title"]:
            head.append(part["title"])
        ws.freeze_panes = f"A{len(head) + 2}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"   # A4 (openpyxl: Worksheet.PAPERSIZE_A4)
        for line in head:
            cell = WriteOnlyCell(ws, value=line)
            cell.font = bold
            ws.append([cell])
        header = []
        for name in part["header"]:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            cell.alignment = wrap
            header.append(cell)
        ws.append(header)
        append = ws.append
        for row in part["rows"]:
            append([None if v == "" else v for v in row])
        if part.get("totals"):
            ws.append([WriteOnlyCell(ws, value=v) if v == "" else _bold_cell(ws, v, bold) for v in part["totals"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bold_cell(ws: Any, value: Any, font: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _sheet_title(title: str) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", title)
    return clean[:31]


def to_docx(register: dict[str, Any]) -> bytes:
    """Landscape A4: the heading, then each part's title and table (header repeated on every page)."""
    import io

    from docx import Document as new_document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from libsync.render.document import cant_split, column_widths, fix_widths, repeat_header
    from libsync.text.xmlchars import visible

    d = new_document()
    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(10)
    for n, line in enumerate(_heading(register)):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(visible(line))
        run.bold = True
        run.font.size = Pt(14 if n == 1 else 12)
    for part in register["parts"]:
        if part["title"] != register["title"]:
            p = d.add_paragraph()
            p.add_run(visible(part["title"])).bold = True
        rows = part["rows"] + ([part["totals"]] if part.get("totals") else [])
        table = d.add_table(rows=1 + len(rows), cols=len(part["header"]))
        table.style = "Table Grid"
        texts = [[visible(_cell_text(value)) for value in row] for row in rows]
        # columns as wide as their content (a barcode or an amount never broken), the header
        # repeated on every page, no row split across two pages
        fix_widths(table, column_widths([str(h) for h in part["header"]], texts, total_cm=26.7, size_pt=10))
        cells = table.rows[0].cells
        for i, name in enumerate(part["header"]):
            cells[i].text = ""
            cells[i].paragraphs[0].add_run(visible(str(name))).bold = True
        repeat_header(table.rows[0])
        for r, row_texts in enumerate(texts, 1):
            cells = table.rows[r].cells
            for i, text in enumerate(row_texts):
                cells[i].text = text
        for row in table.rows:
            cant_split(row)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _cell_text(value: Any) -> str:
    """A cell of the printed register: amounts 1.250.000, dates dd/mm/yyyy (as in every document)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return money(value)
    text = "" if value is None else str(value)
    if _ISO_DAY.fullmatch(text):
        from libsync.render.document import short_date

        return short_date(text)
    return text
