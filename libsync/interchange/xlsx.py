"""Opening an .xlsx file that may be hostile: checked before openpyxl reads a byte of it.

An .xlsx file is a zip archive of XML parts. Three things in one can cost far more than its
size, and each is refused with a message naming the file (exit 2):

* a **zip bomb** — parts that expand a thousandfold (1 MB on disk, a gigabyte in memory).
  The archive's directory declares every part's uncompressed size, and ``zipfile`` never
  hands out more than the declared size, so the declared sizes are checked first:
  ``MAX_UNCOMPRESSED`` in all, ``MAX_RATIO`` for any big part;
* **XML entities** — a DTD that defines entities in terms of each other ("billion laughs")
  expands in the XML parser. No part of a real workbook has a DTD, so any ``<!DOCTYPE`` or
  ``<!ENTITY`` is refused, as is a part in an encoding other than UTF-8 (where such text
  could hide);
* a **huge sheet** — a cell at XFD1048576, a ``<dimension>`` that claims it, or millions of
  cells make openpyxl build (or iterate) every cell of the range. The worksheets are
  streamed once: their cell count and the extent (rows × columns) must stay under
  ``MAX_CELLS``.

``load_workbook(data, path)`` runs the checks and returns the openpyxl workbook; any other
failure to read it is reported as an unreadable Excel file, never a traceback. Used by the
register import (``libsync.interchange.tables``), the edit sheet
(``libsync.interchange.editsheet``) and the barcode scans (``libsync.inventory.scan``:
``inventory record/check``, exchange steps with ``--scan``).

Excel 97–2003 workbooks (``.xls``, BIFF in an OLE2 compound file, told by its first 8 bytes)
are read by xlrd: ``xls_rows(data, path)`` gives the first worksheet's values — numbers that
are whole as ``int``, date cells as ``datetime``, merged cells spread over their range — and
refuses (exit 2, naming the file) a sheet over ``MAX_CELLS`` or a file xlrd cannot read
(damaged, encrypted, another Office document). xlrd's warnings go to a buffer, never to stdout
(where they would break ``--format json``).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError

if TYPE_CHECKING:
    from openpyxl import Workbook

MAX_UNCOMPRESSED = 256 * 1024 * 1024    # bytes of all parts together, as declared
MAX_RATIO = 200                          # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
MAX_PARTS = 10_000
MAX_CELLS = 2_000_000                    # cells in all worksheets, and rows × columns of each
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # an OLE2 compound file: Excel 97–2003, old Word …
CHUNK = 1024 * 1024

_XML_PART = re.compile(r"(?i)\.(xml|rels|vml)$")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref="([A-Z]{1,3})?([0-9]{1,7})?'
                        rb'(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f}"


def check(data: bytes, path: str, bad_key: str = "interchange.xlsx.bad") -> None:
    """Refuse (``LibsyncError``, exit 2) an .xlsx archive that would cost far more to read
    than its size says; see the module's docstring."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise LibsyncError(bad_key, path=path, reason=str(exc) or type(exc).__name__) from None
    if len(infos) > MAX_PARTS:
        raise LibsyncError("interchange.xlsx.too_many_parts", path=path, parts=len(infos), limit=MAX_PARTS)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise LibsyncError("interchange.xlsx.too_big", path=path, size=_mb(total), limit=_mb(MAX_UNCOMPRESSED))
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise LibsyncError("interchange.xlsx.ratio", path=path, part=info.filename, size=_mb(info.file_size),
                               compressed=_mb(info.compress_size), ratio=MAX_RATIO)
    cells = 0
    with archive:
        for info in infos:
            if info.is_dir() or not _XML_PART.search(info.filename):
                continue
            is_sheet = info.filename.lower().startswith("xl/worksheets/")
            try:
                found = _scan_part(archive, info, is_sheet)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
                raise LibsyncError(bad_key, path=path, reason=f"{info.filename}: {exc}") from None
            if found[0] == "dtd":
                raise LibsyncError("interchange.xlsx.entities", path=path, part=info.filename)
            if found[0] == "encoding":
                raise LibsyncError("interchange.xlsx.encoding", path=path, part=info.filename)
            if is_sheet:
                count, rows, cols = found[1:]
                cells += count
                extent = rows * cols
                if cells > MAX_CELLS or extent > MAX_CELLS:
                    raise LibsyncError("interchange.xlsx.too_many_cells", path=path, part=info.filename,
                                       cells=max(cells, extent), rows=rows, cols=cols, limit=MAX_CELLS)


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, is_sheet: bool) -> tuple[str, *tuple[int, ...]]:
    """One streamed pass over an XML part: ``("dtd",)``, ``("encoding",)`` or
    ``("ok", cells, rows, columns)`` (counts only for worksheets)."""
    cells = rows = cols = 0
    carry = b""
    first = True
    with archive.open(info) as part:
        while True:
            chunk = part.read(CHUNK)
            if not chunk:
                break
            if first:
                head = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
                if head:
                    if not head.startswith(b"<"):
                        return ("encoding",)
                    first = False
            buffer = carry + chunk
            cut = buffer.rfind(b">") + 1
            if cut == 0 and len(buffer) < CHUNK * 4:
                carry = buffer
                continue
            done, carry = (buffer[:cut], buffer[cut:]) if cut else (buffer, b"")
            if _DTD.search(done):
                return ("dtd",)
            if is_sheet:
                cells += len(_CELL.findall(done))
                for letters, digits in _CELL_REF.findall(done):
                    cols = max(cols, _column(letters))
                    rows = max(rows, int(digits))
                for digits in _ROW_REF.findall(done):
                    rows = max(rows, int(digits))
                for c1, r1, c2, r2 in _DIMENSION.findall(done):
                    cols = max(cols, _column(c2 or c1 or b"A"))
                    rows = max(rows, int(r2 or r1 or 1))
        if carry and _DTD.search(carry):
            return ("dtd",)
    if is_sheet and cells:
        rows, cols = max(rows, 1), max(cols, 1)
    return ("ok", cells, rows, cols)


def load_workbook(data: bytes, path: str, read_only: bool = False, bad_key: str = "interchange.xlsx.bad") -> Workbook:
    """``openpyxl.load_workbook`` of ``data`` (values, not formulas) once ``check`` passed."""
    import openpyxl

    check(data, path, bad_key)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except LibsyncError:
        raise
    except Exception as exc:  # openpyxl fails on damaged parts in many ways; all mean "unreadable"
        raise LibsyncError(bad_key, path=path, reason=str(exc) or type(exc).__name__) from None


def is_xls(data: bytes) -> bool:
    """Whether ``data`` is an OLE2 compound file (as every Excel 97–2003 workbook is)."""
    return data[:8] == OLE2_MAGIC


def xls_rows(data: bytes, path: str) -> list[list[Any]]:
    """The first worksheet of an Excel 97–2003 workbook as rows of cell values (see the module docstring)."""
    import xlrd

    log = io.StringIO()
    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=log,
                                      verbosity=0)
        except NotImplementedError:   # formatting (merged cells) is not read for the oldest BIFF versions
            book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=log, verbosity=0)
        if book.nsheets < 1:
            raise ValueError("no worksheet")
        sheet = book.sheet_by_index(0)
    except LibsyncError:
        raise
    except Exception as exc:  # xlrd fails on damaged files in many ways (struct, index, its own errors); all mean "unreadable"
        raise LibsyncError("interchange.xls.bad", path=path, reason=str(exc) or type(exc).__name__) from None
    if sheet.nrows * sheet.ncols > MAX_CELLS:
        raise LibsyncError("interchange.xls.too_many_cells", path=path, rows=sheet.nrows, cols=sheet.ncols,
                           cells=sheet.nrows * sheet.ncols, limit=MAX_CELLS)
    grid: list[list[Any]] = []
    for r in range(sheet.nrows):
        row: list[Any] = []
        for ctype, cell in zip(sheet.row_types(r), sheet.row_values(r)):
            value: Any = cell
            if ctype == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                    pass   # a number formatted as a date but outside the calendar: kept as the number
            elif ctype == xlrd.XL_CELL_NUMBER and float(value).is_integer():
                value = int(value)
            elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                value = None
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            row.append(value)
        grid.append(row)
    for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []) or []:
        if rlo >= len(grid) or clo >= len(grid[rlo]):
            continue
        top_left = grid[rlo][clo]
        for r in range(rlo, min(rhi, len(grid))):
            for c in range(clo, min(chi, len(grid[r]))):
                grid[r][c] = top_left
    book.release_resources()
    return grid
