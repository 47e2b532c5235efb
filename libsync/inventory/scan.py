"""Reading a barcode scan: plain text from a scanner, CSV or an Excel sheet.

A handheld scanner "types" one barcode per line into a text file; librarians also keep
lists in Excel. ``read_scan`` turns any of these into an ordered list of barcodes with the
line (or row) each came from, optional location sections, and warnings for what it had to
clean up. It is tolerant of what scanners add (blank lines, stray spaces, STX/ETX and
other control characters, TAB/CR, ``]C1``-style AIM symbology prefixes, Code 39 ``*``
start/stop characters) and strict about what cannot be trusted: an empty scan or a file
in the wrong encoding is refused with a ``LibsyncError`` naming the file and line.

Text format::

    # a comment line
    [Kho A — Kệ 1]          <- location header (starts a section)
    XS000123
    XS000124

CSV / XLSX: a header row naming the barcode column (barcode, mã vạch, ĐKCB, số đăng ký
cá biệt …) and optionally a location column (vị trí, kho, kệ, location, shelf); without a
recognised header the first column is taken and the first row is data.

Encodings: UTF-8 (BOM or not) by default, UTF-16 when the file has a BOM or the NUL bytes
of UTF-16 text; ``encoding`` takes the same names as ``libsync import table``
(``libsync.text.legacy.ENCODINGS``: utf-8, utf-16[-le|-be], cp1258/windows-1258, tcvn3,
vni) — any other name, ``rot13`` included, is a usage error. Lines may end in LF, CRLF or
CR alone (old Macintosh files). An .xlsx scan is checked for zip bombs, XML entities and
huge sheets before it is read (``libsync.interchange.xlsx``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libsync.errors import LibsyncError, os_reason
from libsync.problems import WARNING, Problem
from libsync.text import fold, legacy, nfc

FORMATS = ("text", "csv", "xlsx")
BARCODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"\s+")
_HEADER = re.compile(r"^\[(.+)\]$")
_LINE_END = re.compile(r"\r\n|\r|\n")
_BARCODE_HEADERS = {"barcode", "ma vach", "dkcb", "so dkcb", "so dang ky ca biet", "ma dkcb", "so dang ky",
                    "ma so", "ma", "code", "ma sach"}
_LOCATION_HEADERS = {"location", "shelf", "vi tri", "kho", "ke", "ke sach", "kho sach", "noi de", "vi tri kho"}
MAX_SCAN_BYTES = 50 * 1024 * 1024


@dataclass(slots=True)
class ScanResult:
    """What one scan file holds, in the order it was read."""

    path: str
    format: str
    encoding: str | None
    barcodes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)          # parallel to ``barcodes``: line / row number
    sections: list[dict[str, Any]] = field(default_factory=list)      # {location, start, count}
    problems: list[Problem] = field(default_factory=list)   # warnings: cleaned or skipped lines
    sha256: str = ""
    raw: bytes = b""

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def line_numbers(self) -> dict[str, list[int]]:
        """Each barcode → every line it was read on (more than one: scanned twice)."""
        out: dict[str, list[int]] = {}
        for code, line in zip(self.barcodes, self.lines):
            out.setdefault(code, []).append(line)
        return out

    @property
    def twice(self) -> dict[str, list[int]]:
        return {code: lines for code, lines in self.line_numbers.items() if len(lines) > 1}

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "format": self.format, "encoding": self.encoding,
            "count": len(self.barcodes), "unique": len(set(self.barcodes)),
            "barcodes": list(self.barcodes), "lines": list(self.lines), "sections": list(self.sections),
            "warnings": [p.to_dict() for p in self.warnings], "sha256": self.sha256,
        }


def clean_barcode(value: str) -> tuple[str, bool]:
    """The barcode in a scanned cell or line, and whether anything had to be removed."""
    original = value
    value = _CONTROL.sub("", value)
    value = value.strip()
    value = _AIM.sub("", value)
    if len(value) >= 2 and value[0] == "*" and value[-1] == "*":   # Code 39 start/stop characters
        value = value[1:-1]
    value = _SPACES.sub("", value)
    return value, value != original.strip(" \r\n")


def detect_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return "xlsx"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "text"


def _line_of(data: bytes, offset: int, encoding: str = "utf-8") -> int:
    """The line (LF, CRLF or CR line ends) of byte ``offset``."""
    if encoding in legacy.UTF16:
        head = data[:offset].decode(encoding, errors="replace")
    else:
        head = data[:offset].decode("latin-1")
    return len(_LINE_END.findall(head)) + 1


def check_encoding(encoding: str | None) -> str | None:
    """The canonical name of a ``--encoding`` value (``libsync.text.legacy.ENCODINGS``, the
    choices of ``import table`` too), None for none; anything else is a usage error (exit 2)."""
    if not encoding:
        return None
    enc = legacy.canonical_encoding(encoding)
    if enc is None:
        raise LibsyncError("inventory.scan_bad_encoding_name", encoding=encoding, choices=", ".join(legacy.ENCODINGS))
    return enc


def _strict(data: bytes, relpath: str, encoding: str) -> str:
    try:
        return legacy.decode(data, encoding)
    except UnicodeDecodeError as exc:
        raise LibsyncError("inventory.scan_encoding", path=relpath, line=_line_of(data, exc.start, encoding),
                           byte=f"0x{data[exc.start]:02X}", encoding=encoding) from None


def decode_scan(data: bytes, relpath: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a scan and the encoding used; a wrong encoding raises with file and line."""
    enc = check_encoding(encoding)
    if enc in ("utf-8", *legacy.UTF16):
        return _strict(data, relpath, enc), enc
    if enc:
        return legacy.decode(data, enc), enc   # a one-byte legacy encoding: every byte means something
    wide = legacy.sniff_utf16(data)
    if wide:
        return _strict(data, relpath, wide), wide
    if b"\x00" in data:  # not UTF-16 after all: a binary file
        offset = data.index(b"\x00")
        raise LibsyncError("inventory.scan_binary", path=relpath, line=_line_of(data, offset))
    return _strict(data, relpath, "utf-8"), "utf-8"


class _Builder:
    def __init__(self, result: ScanResult) -> None:
        self.result = result
        self.location: str | None = None
        self.section_start = 0

    def warn(self, line: int, rule: str, key: str, **params: object) -> None:
        self.result.problems.append(Problem(self.result.path, line, None, rule, key, params, WARNING))

    def set_location(self, location: str | None) -> None:
        location = nfc(location.strip()) if location else None
        if location == self.location:
            return
        self._close_section()
        self.location = location
        self.section_start = len(self.result.barcodes)

    def _close_section(self) -> None:
        count = len(self.result.barcodes) - self.section_start
        if self.location and count:
            self.result.sections.append({"location": self.location, "start": self.section_start, "count": count})
        elif self.location and not count:
            pass  # a header with nothing under it leaves no section

    def add(self, raw: str, line: int) -> None:
        code, cleaned = clean_barcode(raw)
        if not code:
            if raw.strip():
                self.warn(line, "scan-unreadable", "inventory.scan_skipped", text=_show(raw))
            return
        if not BARCODE_RE.match(code):
            self.warn(line, "scan-unreadable", "inventory.scan_skipped", text=_show(raw))
            return
        if cleaned:
            self.warn(line, "scan-cleaned", "inventory.scan_cleaned", text=_show(raw), barcode=code)
        self.result.barcodes.append(code)
        self.result.lines.append(line)

    def finish(self) -> ScanResult:
        self._close_section()
        return self.result


def _show(raw: str) -> str:
    """A visible form of a raw line for messages: control characters as <0x02>."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"<0x{ord(m.group(0)):02X}>", raw.strip(" "))[:60]


def _directive(value: str, builder: _Builder) -> bool:
    """A line that is not a barcode: blank, a ``#`` comment, or a ``[Kho A]`` section header
    (which starts a location). True when ``value`` was such a line."""
    stripped = _CONTROL.sub("", value).strip()
    if not stripped or stripped.startswith("#"):
        return True
    header = _HEADER.match(stripped)
    if header:
        builder.set_location(header.group(1))
        return True
    return False


def _parse_text(text: str, builder: _Builder) -> None:
    # Lines end in LF, CRLF or CR alone, as editors count them (VT/FF are cleaned as control characters).
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if not _directive(line, builder):
            builder.add(line, number)


def _header_columns(row: list[str]) -> tuple[int | None, int | None]:
    keys = [fold(str(c)) if c is not None else "" for c in row]
    barcode = next((i for i, k in enumerate(keys) if k in _BARCODE_HEADERS), None)
    location = next((i for i, k in enumerate(keys) if k in _LOCATION_HEADERS), None)
    return barcode, location


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_rows(rows: Iterable[tuple[int, Sequence[object]]], builder: _Builder) -> None:
    """Rows of cells with 1-based row numbers: header detection, then barcode and location."""
    barcode_col, location_col = 0, None
    first = True
    for number, row in rows:
        cells = [_cell_text(c) for c in row]
        if not any(c.strip() for c in cells):
            continue
        if first:
            first = False
            found_barcode, found_location = _header_columns(cells)
            if found_barcode is not None:
                barcode_col, location_col = found_barcode, found_location
                continue
        if len(cells) > 1 and cells[0].strip().startswith("#"):
            continue
        value = cells[barcode_col] if barcode_col < len(cells) else ""
        if location_col is not None and location_col < len(cells):
            builder.set_location(cells[location_col] or None)
        if len(cells) == 1 and value.strip() and _directive(value, builder):
            continue
        builder.add(value, number)


def _parse_csv(text: str, builder: _Builder) -> None:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        _parse_rows(((reader.line_num, row) for row in reader), builder)
    except csv.Error as exc:   # a cell over 131,072 characters: an unclosed quotation mark, or not a scan
        raise LibsyncError("inventory.scan_bad_csv", path=builder.result.path, line=reader.line_num,
                           reason=str(exc)) from None


def _parse_xlsx(data: bytes, builder: _Builder, relpath: str) -> None:
    from libsync.interchange.xlsx import load_workbook

    workbook = load_workbook(data, relpath, read_only=True, bad_key="inventory.scan_bad_xlsx")
    try:
        sheet = workbook.worksheets[0]
        _parse_rows(((i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)), builder)
    except LibsyncError:
        raise
    except Exception as exc:  # read-only sheets are parsed while iterating: damage shows up here
        raise LibsyncError("inventory.scan_bad_xlsx", path=relpath, reason=str(exc) or type(exc).__name__) from None
    finally:
        workbook.close()


def read_scan_bytes(data: bytes, relpath: str, encoding: str | None = None, fmt: str | None = None) -> ScanResult:
    """Parse scan ``data`` (named ``relpath`` in messages); see ``read_scan``."""
    if len(data) > MAX_SCAN_BYTES:
        raise LibsyncError("inventory.scan_too_large", path=relpath, size=f"{len(data) / 1048576:.1f}",
                           limit=MAX_SCAN_BYTES // 1048576)
    fmt = fmt or detect_format(Path(relpath), data)
    if fmt not in FORMATS:
        raise LibsyncError("cli.bad_format", fmt=fmt, choices="|".join(FORMATS))
    check_encoding(encoding)   # a bad --encoding is a usage error, whatever the file
    result = ScanResult(path=relpath, format=fmt, encoding=None, raw=data, sha256=hashlib.sha256(data).hexdigest())
    builder = _Builder(result)
    if fmt == "xlsx":
        _parse_xlsx(data, builder, relpath)
    else:
        text, result.encoding = decode_scan(data, relpath, encoding)
        (_parse_csv if fmt == "csv" else _parse_text)(text, builder)
    builder.finish()
    if not result.barcodes:
        raise LibsyncError("inventory.scan_empty", path=relpath)
    return result


def read_scan(path: str | Path, encoding: str | None = None, fmt: str | None = None) -> ScanResult:
    """Read a scan file (text, CSV or XLSX) into a ``ScanResult``.

    Raises ``LibsyncError`` (exit 2) for a missing/unreadable file, an empty scan (no
    barcode at all) or bytes that are not in the expected encoding (UTF-8 by default,
    UTF-16 when the file is, or ``encoding`` when given), naming file and line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LibsyncError("file.not_found", path=str(path)) from None
    except OSError as exc:
        raise LibsyncError("file.unreadable", path=str(path), reason=os_reason(exc)) from None
    return read_scan_bytes(data, str(path), encoding, fmt)


def compare_with_manifest(scan_barcodes: list[str], manifest: dict[str, Any]) -> dict[str, Any]:
    """A batch scan against an exchange manifest's ``copies``.

    Returns lists (manifest order for present/missing, scan order for extra/twice):
    ``present`` (in both), ``missing`` (in the manifest, not scanned), ``extra`` (scanned,
    not in the manifest), ``twice`` (scanned more than once), plus ``counts``.
    """
    expected = [c.get("barcode") for c in manifest.get("copies") or [] if c.get("barcode")]
    # barcodes compare case-insensitively (a scanner set to lower case reads 'nd-t00008'):
    # a scanned code is taken in the manifest's spelling
    spelled = {code.casefold(): code for code in expected}
    scan_barcodes = [spelled.get(code.casefold(), code) for code in scan_barcodes]
    seen: dict[str, int] = {}
    for code in scan_barcodes:
        seen[code] = seen.get(code, 0) + 1
    expected_set = set(expected)
    present = [code for code in dict.fromkeys(expected) if code in seen]
    missing = [code for code in dict.fromkeys(expected) if code not in seen]
    extra = [code for code in seen if code not in expected_set]
    twice = [code for code, n in seen.items() if n > 1]
    return {
        "exchange": manifest.get("id"),
        "present": present, "missing": missing, "extra": extra, "twice": twice,
        "counts": {"expected": len(expected_set), "scanned": len(scan_barcodes), "present": len(present),
                   "missing": len(missing), "extra": len(extra), "twice": len(twice)},
    }
