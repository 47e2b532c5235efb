"""MARC21 in and out: ISO 2709 and MARCXML, encoding detection, the MARC ↔ record mapping.

Reading does its own framing (records end with 0x1D) so one broken record never hides
the ones after it, then lets pymarc decode each record with the encoding decided here:

* leader/09 = ``a`` → UTF-8 (a record whose bytes are not UTF-8 is broken, with the offset);
* leader/09 blank → MARC-8, *unless* the bytes hold no MARC-8 escape (0x1B) and are valid
  UTF-8 with multi-byte sequences — the common Vietnamese export bug of UTF-8 with a blank
  leader/09, which pymarc alone would turn into garbage. MARC-8 combining marks (0xE0–0xFE)
  come before an ASCII letter, which is never valid UTF-8, so the test is safe.

Every string comes out NFC. The mapping is documented field by field in docs/marc-mapping.md;
``record_to_marc`` is its inverse for every mapped field (tests prove the round trip).
"""

from __future__ import annotations

import functools
import os
import re
import warnings
import xml.sax
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, cast

import pymarc
from pymarc import Field, Indicators, Record, Subfield
from pymarc import exceptions as mexc

from libsync.interchange.model import Incoming, Message, ReadResult, parse_date, parse_int, parse_price, parse_year
from libsync.model.classification import is_bpl19_source, looks_bpl19, normalise_bpl19, normalise_ddc, scheme_of
from libsync.model.enums import ITEM_STATUSES
from libsync.text import fold, nfc
from libsync.text.identifiers import compact_isbn, compact_issn, format_isbn, isbn_valid

RECORD_END = b"\x1d"
FIELD_END = b"\x1e"
MAX_RECORD_BYTES = 99_999
MAX_FIELD_BYTES = 9_999

# Koha item types and the usual Vietnamese school codes → record type
TYPE_CODES = {
    "sgk": "textbook", "textbook": "textbook", "gk": "textbook",
    "sgv": "teacher-book", "teacher-book": "teacher-book", "gv": "teacher-book",
    "sbt": "workbook", "vbt": "workbook", "bt": "workbook", "workbook": "workbook",
    "stk": "reference", "tk": "reference", "reference": "reference", "bk": "reference", "book": "reference",
    "bao": "periodical", "tc": "periodical", "btc": "periodical", "periodical": "periodical", "ser": "periodical",
    "truyen": "story", "story": "story", "tn": "story", "tt": "story",
    "tranh": "picture", "picture": "picture",
    "dt": "digital", "digital": "digital", "ebook": "digital", "tlso": "digital",
    "other": "other", "khac": "other",
}

_TRAILING = re.compile(r"[\s/:;,=]+$")
_TRAILING_CHARS = frozenset("/:;,=")
_INITIAL_DOT = re.compile(r"(?:^|\s)\w\.$")
_SPACES = re.compile(r"\s+")
_CLEANED: dict[str, str | None] = {}


def clean(value: str | None) -> str | None:
    """A subfield value without ISBD punctuation at the end, spaces collapsed, NFC."""
    if value is None:
        return None
    try:
        return _CLEANED[value]
    except KeyError:
        pass
    text = " ".join(nfc(value).split())  # = \s+ → " " and strip (both use str.isspace)
    if text and text[-1] in _TRAILING_CHARS:
        text = _TRAILING.sub("", text)
    if text.endswith(".") and not text.endswith("..") and not _INITIAL_DOT.search(text):
        text = text[:-1].rstrip()
    cleaned = text or None
    if len(_CLEANED) > 50_000:  # the same publishers, places and locations recur; bound the memo
        _CLEANED.clear()
    _CLEANED[value] = cleaned
    return cleaned


def plain(value: str | None) -> str | None:
    """Free text (notes, summaries): NFC and trimmed, its sentence punctuation kept."""
    if value is None:
        return None
    return nfc(value).strip() or None


# --- reading ISO 2709 ------------------------------------------------------------------------

def _looks_utf8(chunk: bytes) -> bool:
    if b"\x1b" in chunk or chunk.isascii():
        return False
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _where(position: int, offset: int) -> Message:
    return "interchange.where.marc", {"n": position, "offset": offset}


_PYMARC_REASONS: dict[type[Exception], str] = {
    mexc.RecordLengthInvalid: "interchange.marc.bad_length",
    mexc.RecordLeaderInvalid: "interchange.marc.bad_leader",
    mexc.BaseAddressNotFound: "interchange.marc.bad_base",
    mexc.BaseAddressInvalid: "interchange.marc.bad_base",
    mexc.RecordDirectoryInvalid: "interchange.marc.bad_directory",
    mexc.NoFieldsFound: "interchange.marc.no_fields",
    mexc.TruncatedRecord: "interchange.marc.truncated",
    mexc.EndOfRecordNotFound: "interchange.marc.truncated",
}


_DIRECTORY = re.compile(rb"(?:[0-9A-Za-z]{3}[0-9]{9})*")


def _check_frame(chunk: bytes) -> Message | None:
    """Structural checks pymarc does not make (or makes with an unhelpful error)."""
    if len(chunk) < 25:
        return "interchange.marc.truncated", {"declared": "?", "found": len(chunk)}
    lead = chunk[:24]
    if not lead[:5].isdigit() or not lead[12:17].isdigit():
        return "interchange.marc.bad_leader", {}
    declared = int(lead[:5])
    if len(chunk) + 1 > MAX_RECORD_BYTES:
        return "interchange.marc.too_long", {"size": len(chunk) + 1, "limit": MAX_RECORD_BYTES}
    if declared > len(chunk) + 1:
        return "interchange.marc.truncated", {"declared": declared, "found": len(chunk) + 1}
    base = int(lead[12:17])
    if base <= 24 or base > len(chunk):
        return "interchange.marc.bad_base", {"base": base}
    directory = chunk[24:base - 1]
    if len(directory) % 12 or not _DIRECTORY.fullmatch(directory):
        return "interchange.marc.bad_directory", {}
    data_len = len(chunk) - base
    for i in range(0, len(directory), 12):
        entry = directory[i:i + 12]
        length, start = int(entry[3:7]), int(entry[7:12])
        if start + length > data_len + 1:
            return "interchange.marc.bad_directory_entry", {"tag": entry[:3].decode("ascii", "replace")}
    return None


def decode_record(chunk: bytes, encoding: str | None = None) -> tuple[Record, str]:
    """One ISO 2709 record (without its 0x1D) → pymarc Record and the encoding used.

    Raises ``ValueError((key, params))`` for a broken record."""
    problem = _check_frame(chunk)
    if problem:
        raise ValueError(problem)
    flag = chunk[9:10]
    if encoding == "utf-8" or (encoding is None and (flag == b"a" or _looks_utf8(chunk))):
        used = "utf-8" if flag == b"a" or encoding == "utf-8" else "utf-8-unflagged"
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(("interchange.marc.bad_utf8", {"byte": f"0x{chunk[exc.start]:02X}",
                                                             "at": exc.start})) from None
        force = True
    else:
        used = "marc-8" if not chunk.isascii() else "ascii"
        force = False
        if flag == b"a":  # forced MARC-8 on a record that says UTF-8
            chunk = chunk[:9] + b" " + chunk[10:]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            record = Record(chunk + RECORD_END, force_utf8=force, hide_utf8_warnings=True,
                            utf8_handling="strict")
    except tuple(_PYMARC_REASONS) as exc:
        raise ValueError((_PYMARC_REASONS[type(exc)], {"declared": "?", "found": len(chunk) + 1, "base": "?"})) from None
    except (UnicodeDecodeError, ValueError, IndexError):
        raise ValueError(("interchange.marc.bad_directory", {})) from None
    return record, used


# A framed record: (position, offset, chunk | None, problem); with the encoding asked for, a job
# for ``_convert``, whose row is (position, offset, record dict, warnings, encoding, error).
Frame = tuple[int, int, bytes | None, Message | None]
Job = tuple[int, int, bytes | None, Message | None, str | None]
Row = tuple[int, int, dict[str, Any] | None, list[Message], str | None, Message | None]


def frames(data: bytes) -> Iterator[Frame]:
    """``(position, offset, chunk | None, problem)`` for each record in ``data`` (framing only)."""
    offset = 0
    position = 0
    size = len(data)
    while offset < size:
        end = data.find(RECORD_END, offset)
        chunk = data[offset:] if end < 0 else data[offset:end]
        next_offset = size if end < 0 else end + 1
        if not chunk.strip(b" \r\n\t\x00\x1a"):
            offset = next_offset
            continue
        # tolerate line breaks between records (files passed through a text editor)
        stripped = chunk.lstrip(b"\r\n")
        offset += len(chunk) - len(stripped)
        chunk = stripped
        position += 1
        if end < 0:
            yield position, offset, None, ("interchange.marc.truncated",
                                           {"declared": chunk[:5].decode("ascii", "replace"), "found": len(chunk)})
            break
        yield position, offset, chunk, None
        offset = next_offset


# --- the fast path: UTF-8 records split here, without pymarc objects -------------------------

class MarcField(Protocol):
    """What the mapping reads of a field: a ``pymarc.Field`` or a ``LightField``."""

    @property
    def tag(self) -> str: ...
    @property
    def indicator2(self) -> str: ...
    @property
    def data(self) -> str | None: ...
    def get(self, code: str, default: None = None) -> str | None: ...
    def get_subfields(self, *codes: str) -> list[str]: ...


class MarcRecord(Protocol):
    """What the mapping reads of a record: a ``pymarc.Record`` or a ``LightRecord``."""

    @property
    def leader(self) -> object: ...
    def get(self, tag: str, default: None = None) -> MarcField | None: ...
    def get_fields(self, *tags: str) -> Sequence[MarcField]: ...


class LightField(tuple[str, str, str, Sequence[str], "str | None"]):
    """The part of ``pymarc.Field`` the mapping reads, for a record split by ``fast_decode``.

    A tuple ``(tag, indicator1, indicator2, raw, data)``: built in C, no ``__init__`` to run.
    ``raw`` is the field's text split at the subfield delimiter with its first element (the
    indicators) blanked, so each other element is a subfield's code followed by its value."""

    __slots__ = ()
    if TYPE_CHECKING:   # what the C getters below give
        @property
        def tag(self) -> str: ...
        @property
        def indicator1(self) -> str: ...
        @property
        def indicator2(self) -> str: ...
        @property
        def data(self) -> str | None: ...
    else:
        tag = property(itemgetter(0))
        indicator1 = property(itemgetter(1))
        indicator2 = property(itemgetter(2))
        data = property(itemgetter(4))

    @property
    def subfields(self) -> list[tuple[str, str]]:
        return [(part[0], part[1:]) for part in self[3] if part]

    def get(self, code: str, default: str | None = None) -> str | None:
        for part in self[3]:
            if part[:1] == code:
                return part[1:]
        return default

    def get_subfields(self, *codes: str) -> list[str]:
        return [part[1:] for part in self[3] if part and part[0] in codes]


class LightRecord:
    """The part of ``pymarc.Record`` the mapping reads: leader, fields by tag, in record order."""

    __slots__ = ("leader", "fields", "_by_tag")

    def __init__(self, leader: str, fields: list[LightField]) -> None:
        self.leader = leader
        self.fields = fields
        by_tag: dict[str, list[LightField]] = {}
        for field in fields:
            if field[0] in by_tag:
                by_tag[field[0]].append(field)
            else:
                by_tag[field[0]] = [field]
        self._by_tag = by_tag

    def get(self, tag: str, default: LightField | None = None) -> LightField | None:
        found = self._by_tag.get(tag)
        return found[0] if found else default

    def get_fields(self, *tags: str) -> list[LightField]:
        if len(tags) == 1:
            return self._by_tag.get(tags[0], [])
        wanted = set(tags)
        return [f for f in self.fields if f[0] in wanted]


_ENTRY = re.compile(r"([0-9A-Za-z]{3})([0-9]{4})([0-9]{5})")
_TAGS = re.compile(r"([0-9A-Za-z]{3})[0-9]{9}")
_CLEAN_FRAME = re.compile(rb"[0-9]{5}[\x20-\x7e]{7}[0-9]{5}[\x20-\x7e]{7}")
_ODD_CODE = re.compile(rb"\x1f[\x80-\xff]")
_ENTRY_FORMAT = "%s%04d%05d".__mod__


def _light_field(tag: str, value: str) -> LightField | None:
    if tag < "010" and tag.isdigit():
        return LightField((tag, " ", " ", (), value))
    raw = value.split("\x1f")
    indicators = raw[0]
    if len(indicators) != 2 or not indicators.isascii():
        return None  # pymarc's tolerant handling (and its warnings) for odd indicators
    raw[0] = ""
    return LightField((tag, indicators[0], indicators[1], raw, None))


def fast_decode(chunk: bytes, encoding: str | None = None) -> tuple[LightRecord, str] | None:
    """``decode_record`` for the common case — a well-formed record read as UTF-8 — without
    pymarc objects and decoding each byte once. Returns None for anything else (MARC-8, any
    damage, anything irregular) and the caller takes the pymarc path, which gives the same
    result for good records and the exact reason for broken ones (a test compares both)."""
    size = len(chunk)
    if size < 25 or size + 1 > MAX_RECORD_BYTES or not _CLEAN_FRAME.match(chunk):
        return None
    flag = chunk[9:10]
    ascii_only = chunk.isascii()
    if encoding == "utf-8" or (encoding is None and flag == b"a"):
        used = "utf-8"
    elif encoding is None and not ascii_only and b"\x1b" not in chunk:
        used = "utf-8-unflagged"  # only if the whole record is UTF-8, checked below
    else:
        return None  # MARC-8 (or plain ASCII read as MARC-8): pymarc's converter
    if not ascii_only and _ODD_CODE.search(chunk):
        return None  # a subfield code that is not ASCII: pymarc repairs it, with a warning
    declared = int(chunk[:5])
    base = int(chunk[12:17])
    if declared > size + 1 or base <= 24 or base >= size or chunk[base - 1] != 0x1E:
        return None
    raw_directory = chunk[24:base - 1]
    if not raw_directory or len(raw_directory) % 12 or not _DIRECTORY.fullmatch(raw_directory):
        return None
    directory = raw_directory.decode("ascii")
    body = chunk[base:]
    leader = chunk[:24].decode("ascii")
    fields: list[LightField] = []
    # The usual layout: fields stored one after another in directory order. Then the whole
    # data area is decoded once and split; the directory must be exactly what that implies.
    parts = body.split(FIELD_END)
    if not parts[-1]:
        del parts[-1]
        lengths = [len(part) + 1 for part in parts]
        tags = _TAGS.findall(directory)
        if "".join(map(_ENTRY_FORMAT, zip(tags, lengths, accumulate(lengths, initial=0)))) == directory:
            try:
                texts = body.decode("utf-8").split("\x1e")
            except UnicodeDecodeError:
                return None
            for tag, value in zip(tags, texts):
                field = _light_field(tag, value)
                if field is None:
                    return None
                fields.append(field)
            return LightRecord(leader, fields), used
    # Any other layout: field by field, as the directory says.
    if not ascii_only:
        try:
            chunk.decode("utf-8")  # the whole record, as the pymarc path checks it
        except UnicodeDecodeError:
            return None
    data_len = size - base
    for tag, raw_length, raw_start in _ENTRY.findall(directory):
        length, start = int(raw_length), int(raw_start)
        if start + length > data_len + 1 or length < 1:
            return None
        try:
            value = chunk[base + start:base + start + length - 1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        field = _light_field(tag, value)
        if field is None:
            return None
        fields.append(field)
    return LightRecord(leader, fields), used


def _convert(job: Job) -> Row:
    """Decode and map one framed record: ``(position, offset, record dict, warnings, encoding, error)``."""
    position, offset, frame, problem, encoding = job
    if problem:
        return position, offset, None, [], None, problem
    chunk = cast(bytes, frame)   # ``frames`` gives a chunk whenever it gives no problem
    decoded: tuple[MarcRecord, str] | None = fast_decode(chunk, encoding) if FAST else None
    if decoded is None:
        try:
            decoded = decode_record(chunk, encoding)
        except ValueError as exc:
            return position, offset, None, [], None, cast(Message, exc.args[0])   # ValueError((key, params))
    record, used = decoded
    try:
        mapped, notes = marc_to_record(record)
    except Exception as exc:  # a mapping failure is one broken record, never the whole file
        return position, offset, None, [], used, ("interchange.marc.unmappable", {"reason": f"{type(exc).__name__}: {exc}"})
    return position, offset, mapped, notes, used, None


def _convert_batch(jobs: list[Job]) -> list[Row]:
    return [_convert(job) for job in jobs]


PARALLEL_MIN = 2000
FAST = True  # tests switch the fast path off to compare it with pymarc's


def read_marc(data: bytes, path: str, encoding: str | None = None, today: str | None = None,
              lazy: bool = False) -> ReadResult:
    """A MARC file (ISO 2709 or MARCXML, told apart by its first bytes) → ``ReadResult``.

    Big files are decoded and mapped on both cores (records are independent); the result
    is the same, in file order. With ``lazy`` (what ``import_file`` asks for), ``items`` of a
    big ISO 2709 file is an iterator that hands each record over as soon as it is mapped, so
    the importer matches and validates while the workers are still decoding; ``encodings``
    is complete once ``items`` has been consumed. Consume it once."""
    head = data.lstrip()[:200]
    if head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf<"):
        return read_marcxml(data, path, today)
    result = ReadResult(path=path, kind="marc", items=[])
    jobs: list[Job] = [(position, offset, chunk, problem, encoding) for position, offset, chunk, problem in frames(data)]
    if not jobs or (FIELD_END not in data and not any(data[job[1]:job[1] + 5].isdigit() for job in jobs)):
        # nothing but NUL bytes or blanks, or text with neither a leader nor a field terminator
        from libsync.errors import LibsyncError

        raise LibsyncError("interchange.not_marc", path=path)
    workers = min(2, os.cpu_count() or 1)
    if len(jobs) >= PARALLEL_MIN and workers > 1:
        rows: Iterator[Row] = _parallel_rows(jobs, workers)
    else:
        rows = map(_convert, jobs)
    items = _incoming(rows, result.encodings)
    # ReadResult.items is documented to be an iterator after a lazy read
    result.items = cast("list[Incoming]", items) if lazy and len(jobs) >= PARALLEL_MIN else list(items)
    return result


def _parallel_rows(jobs: list[Job], workers: int) -> Iterator[Row]:
    """``_convert`` of every job, in order, on ``workers`` processes; small batches so the
    first records are ready early (the pool lives as long as the iteration)."""
    from libsync import parallel

    size = max(100, min(500, len(jobs) // (8 * workers)))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with parallel.executor(workers) as pool:
        for part in pool.map(_convert_batch, batches):
            yield from part


def _incoming(rows: Iterable[Row], encodings: dict[str, int]) -> Iterator[Incoming]:
    for position, offset, mapped, notes, used, error in rows:
        if used:
            encodings[used] = encodings.get(used, 0) + 1
        yield Incoming(position, _where(position, offset), record=mapped, error=error, warnings=list(notes))


def read_marcxml(data: bytes, path: str, today: str | None = None) -> ReadResult:
    import io

    result = ReadResult(path=path, kind="marcxml", items=[])
    try:
        records: list[Record] = pymarc.parse_xml_to_array(  # type: ignore[no-untyped-call]  # pymarc leaves it unannotated
            io.BytesIO(data), strict=False, normalize_form="NFC")
    except xml.sax.SAXParseException as exc:
        from libsync.errors import LibsyncError

        raise LibsyncError("interchange.marcxml.bad", path=path, line=exc.getLineNumber(),
                           reason=exc.getMessage()) from None
    if not records:   # well-formed XML, but no MARC <record> in it
        from libsync.errors import LibsyncError

        raise LibsyncError("interchange.not_marc", path=path)
    result.encodings["utf-8"] = len(records)
    for position, record in enumerate(records, 1):
        where: Message = ("interchange.where.xml", {"n": position})
        item = Incoming(position, where)
        try:
            item.record, item.warnings = marc_to_record(record)
        except Exception as exc:
            item.error = ("interchange.marc.unmappable", {"reason": f"{type(exc).__name__}: {exc}"})
        result.items.append(item)
    return result


# --- MARC → record ---------------------------------------------------------------------------

def _subs(field: MarcField, code: str) -> list[str]:
    return [v for v in field.get_subfields(code) if v is not None]


def _first(record: MarcRecord, tags: tuple[str, ...], code: str) -> str | None:
    for tag in tags:
        for field in record.get_fields(tag):
            for value in _subs(field, code):
                cleaned = clean(value)
                if cleaned:
                    return cleaned
    return None


def _type_from_code(code: str | None) -> str | None:
    if not code:
        return None
    return TYPE_CODES.get(fold(code).replace(" ", ""))


# dates and prices of copies recur (one acquisition, one price for a whole delivery)
_date = functools.lru_cache(maxsize=8192)(parse_date)
_price = functools.lru_cache(maxsize=8192)(parse_price)


def _first_values(field: MarcField) -> dict[str, str]:
    """Code → first value of that code: ``field.get(code)`` for many codes at the price of one."""
    if isinstance(field, LightField):
        return {part[0]: part[1:] for part in reversed(field[3]) if part}
    return {sub.code: sub.value for sub in reversed(cast(Field, field).subfields)}   # the other kind


def _item_status(sub: dict[str, str]) -> str | None:
    explicit = clean(sub.get("k"))
    if explicit in ITEM_STATUSES:
        return explicit
    if (sub.get("0") or "0").strip() not in ("", "0"):
        return "withdrawn"
    if (sub.get("1") or "0").strip() not in ("", "0"):
        return "lost"
    if (sub.get("4") or "0").strip() not in ("", "0"):
        return "damaged"
    if (sub.get("q") or "").strip():
        return "on-loan"
    return None


def _items(record: MarcRecord, warnings_out: list[Message]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for field in record.get_fields("952"):
        sub = _first_values(field)
        barcode = clean(sub.get("p"))
        if not barcode:
            warnings_out.append(("interchange.marc.item_no_barcode", {"tag": "952"}))
            continue
        item: dict[str, Any] = {"barcode": barcode}
        status = _item_status(sub)
        if status:
            item["status"] = status
        home, holding = clean(sub.get("a")), clean(sub.get("b"))
        if holding and holding != home:
            item["holder"] = holding
        for key, code in (("location", "c"), ("register_no", "i"), ("source", "e"), ("note", "x"),
                          ("condition", "z")):
            value = clean(sub.get(code))
            if value:
                item[key] = value
        for key, code in (("acquired", "d"), ("status_date", "r")):
            value = _date(sub.get(code))
            if value:
                item[key] = value
        if "status_date" not in item and status == "on-loan":
            value = _date(sub.get("q"))
            if value:
                item["status_date"] = value
        price = _price(sub.get("g") or sub.get("v"))
        if price is not None:
            item["price"] = price
        items.append(item)
    for field in record.get_fields("852"):
        barcode = clean(field.get("p"))
        if not barcode:
            continue
        item = {"barcode": barcode}
        location = clean(field.get("c") or field.get("b"))
        if location:
            item["location"] = location
        for key, code in (("note", "x"), ("condition", "z")):
            value = clean(field.get(code))
            if value:
                item[key] = value
        items.append(item)
    return items


def marc_to_record(record: MarcRecord) -> tuple[dict[str, Any], list[Message]]:
    """The record fields a MARC record maps to (no id/library: the importer adds them)."""
    notes: list[Message] = []
    out: dict[str, Any] = {}
    leader = str(record.leader)

    title_field = record.get("245")
    if title_field is not None:
        out["title"] = clean(title_field.get("a"))
        subtitle = clean(title_field.get("b"))
        if subtitle:
            out["subtitle"] = subtitle
        parts = [clean(v) for v in _subs(title_field, "n") + _subs(title_field, "p")]
        present = [p for p in parts if p]
        if present:
            out["volume"] = ". ".join(present)
    if not out.get("title"):
        out.pop("title", None)
    for field in record.get_fields("246"):
        if field.indicator2 == "1" and clean(field.get("a")):
            out["parallel_title"] = clean(field.get("a"))
            break

    authors: list[str] = []
    contributors: list[dict[str, str]] = []
    for tag in ("100", "110", "700", "710"):
        for field in record.get_fields(tag):
            name = clean(field.get("a"))
            if tag in ("110", "710") and name and clean(field.get("b")):
                name = f"{name}. {clean(field.get('b'))}"
            if not name:
                continue
            role = clean(field.get("e")) if tag.startswith("7") else None
            if role:
                contributors.append({"name": name, "role": role})
            elif name not in authors:
                authors.append(name)
    if authors:
        out["authors"] = authors
    if contributors:
        out["contributors"] = contributors

    for tag in ("264", "260"):
        fields = [f for f in record.get_fields(tag) if tag == "260" or f.indicator2 in ("1", " ")]
        if fields:
            field = fields[0]
            for key, code in (("place", "a"), ("publisher", "b")):
                value = clean(field.get(code))
                if value:
                    out[key] = value
            year = parse_year(field.get("c"))
            if year:
                out["year"] = year
            break
    field008 = record.get("008")
    control008 = cast(str, field008.data) if field008 is not None else ""   # a control field has data
    if "year" not in out and len(control008) >= 11:
        year = parse_year(control008[7:11])
        if year:
            out["year"] = year

    edition = _first(record, ("250",), "a")
    if edition:
        out["edition"] = edition

    for field in record.get_fields("020"):
        raw = field.get("a")
        if raw and isbn_valid(raw):
            out["isbn"] = format_isbn(compact_isbn(raw))
            break
        if raw and "isbn" not in out:
            notes.append(("interchange.marc.bad_isbn", {"value": raw}))
    issn = _first(record, ("022",), "a")
    if issn:
        code = compact_issn(issn)
        if re.fullmatch(r"[0-9]{7}[0-9X]", code):
            out["issn"] = f"{code[:4]}-{code[4:]}"

    series = _first(record, ("490", "830"), "a")
    if series:
        out["series"] = series
        if "volume" not in out:
            volume = _first(record, ("490", "830"), "v")
            if volume:
                out["volume"] = volume

    language = _first(record, ("041",), "a")
    if not language and len(control008) >= 38:
        language = control008[35:38]
    if language and re.fullmatch(r"[a-z]{3}", language.strip().lower()) and language.strip() not in ("|||", "   "):
        out["language"] = language.strip().lower()

    field300 = record.get("300")
    if field300 is not None:
        pages = parse_int(field300.get("a"))
        if pages:
            out["pages"] = pages
        dims = clean(field300.get("c"))
        if dims:
            out["dimensions"] = dims

    classification: dict[str, str] = {}
    ddc = _first(record, ("082",), "a")
    if ddc:   # segmentation marks dropped; a 19-class code typed into 082 ("8V") goes to bpl19
        found = scheme_of(ddc)
        if found:
            classification[found[0]] = found[1]
        else:
            notes.append(("interchange.marc.bad_ddc", {"value": ddc}))
    udc = _first(record, ("080",), "a")
    if udc:
        classification["udc"] = udc
    for field in record.get_fields("084"):
        value, scheme = clean(field.get("a")), clean(field.get("2"))
        if value:
            key = fold(scheme or "local").replace(" ", "_") or "local"
            bpl19 = normalise_bpl19(value)
            if bpl19 and (is_bpl19_source(scheme) or (not scheme and looks_bpl19(value))):
                key, value = "bpl19", bpl19   # the 19-class table: $2 names it, or no $2 and a code like 8V
            elif key == "ddc":
                value = normalise_ddc(value) or ""
            if value:
                classification.setdefault(key, value)
    if classification:
        out["classification"] = classification

    call = None
    field090 = record.get("090")
    if field090 is not None:
        call = " ".join(v for v in (clean(field090.get("a")), clean(field090.get("b"))) if v) or None
    if not call:
        for field in record.get_fields("852"):
            call = " ".join(v for v in (clean(field.get("h")), clean(field.get("i"))) if v) or None
            if call:
                break
    if not call:
        call = _first(record, ("952",), "o")
    if call:
        out["call_number"] = call

    subjects: list[str] = []
    for field in record.get_fields("650", "651"):
        parts = [clean(v) for code in "axyz" for v in _subs(field, code)]
        text = " -- ".join(p for p in parts if p)
        if text and text not in subjects:
            subjects.append(text)
    if subjects:
        out["subjects"] = subjects
    keywords: list[str] = []
    for field in record.get_fields("653"):
        for value in _subs(field, "a"):
            value = clean(value)
            if value and value not in keywords:
                keywords.append(value)
    if keywords:
        out["keywords"] = keywords

    summary = [plain(v) for f in record.get_fields("520") for v in _subs(f, "a")]
    if any(summary):
        out["summary"] = "\n".join(s for s in summary if s)
    note_texts = [plain(v) for f in record.get_fields("500") for v in _subs(f, "a")]
    if any(note_texts):
        out["notes"] = "\n".join(s for s in note_texts if s)

    field856 = next((f for f in record.get_fields("856") if f.get("u")), None)
    if field856 is not None:
        url = cast(str, field856.get("u")).strip()   # picked for having one
        if re.match(r"^(https?://|files/)\S+$", url):
            digital: dict[str, Any] = {"url": url}
            fmt = clean(field856.get("q"))
            if fmt:
                digital["format"] = fmt
            size = parse_int(field856.get("s"))
            if size is not None:
                digital["size"] = size
            licence = next((plain(v) for f in record.get_fields("540") for v in _subs(f, "a") if plain(v)), None)
            if licence:
                digital["licence"] = licence
            out["digital"] = digital
        else:
            notes.append(("interchange.marc.bad_url", {"value": url}))

    field911 = record.get("911")
    if field911 is not None:
        curriculum: dict[str, Any] = {}
        for key, code in (("program", "a"), ("subject", "c"), ("series", "d")):
            value = clean(field911.get(code))
            if value:
                curriculum[key] = value
        grade = parse_int(field911.get("b"))
        if grade and 1 <= grade <= 12:
            curriculum["grade"] = grade
        if curriculum:
            out["curriculum"] = curriculum

    kind = _type_from_code(_first(record, ("942",), "c"))
    if not kind:
        if leader[7:8] == "s":
            kind = "periodical"
        elif leader[6:7] == "m":
            kind = "digital"
        else:
            # subject headings and keywords; what the title says is the importer's inference
            # (``libsync.model.gdpt.infer_type``), kept visible in the record's provenance
            haystack = fold(" ".join([*out.get("subjects", []), *out.get("keywords", [])]))
            if "sach giao vien" in haystack:
                kind = "teacher-book"
            elif "sach giao khoa" in haystack:
                kind = "textbook"
    if kind:
        out["type"] = kind

    provenance: dict[str, Any] = {"source": "marc"}
    control = record.get("001")
    if control is not None and control.data and control.data.strip():
        provenance["control_number"] = nfc(control.data.strip())
    system_ids = [clean(v) for f in record.get_fields("035") for v in _subs(f, "a")]
    system_ids = [s for s in system_ids if s]
    if system_ids:
        provenance["system_ids"] = system_ids
    out["provenance"] = provenance

    items = _items(record, notes)
    if items:
        out["items"] = items
    return out, notes


# --- record → MARC ---------------------------------------------------------------------------

def _field(tag: str, ind: str, *pairs: tuple[str, object]) -> LightField | None:
    """A data field to write, as a ``LightField`` (encoded once by ``_encode``; a pymarc
    ``Field`` only when a pymarc record is asked for)."""
    raw = [""]
    raw.extend(code + nfc(str(value)) for code, value in pairs if value not in (None, ""))
    if len(raw) == 1:
        return None
    return LightField((tag, ind[0], ind[1], raw, None))


def _control(tag: str, data: str) -> LightField:
    return LightField((tag, " ", " ", (), data))


def _encode(field: LightField) -> bytes:
    """The field's bytes in ISO 2709 (with its field terminator), as pymarc's ``Field.as_marc``."""
    if field[4] is not None:
        return (field[4] + "\x1e").encode()
    return f"{field[1]}{field[2]}{chr(0x1F).join(field[3])}\x1e".encode()


def _pymarc_field(field: LightField) -> Field:
    if field[4] is not None:
        return Field(tag=field[0], data=field[4])
    return Field(tag=field[0], indicators=Indicators(field[1], field[2]),
                 subfields=[Subfield(part[0], part[1:]) for part in field[3] if part])


def _leader(record: dict[str, Any]) -> str:
    kind = record.get("type")
    rtype = "m" if kind == "digital" else "a"
    level = "s" if kind == "periodical" else "m"
    return f"00000n{rtype}{level} a2200000 i 4500"


def bibliographic_fields(record: dict[str, Any]) -> list[LightField]:
    fields: list[LightField | None] = []
    prov = record.get("provenance") or {}
    fields.append(_control("001", str(prov.get("control_number") or record["id"])))
    created = (record.get("created") or "").replace("-", "")[2:8] or "000000"
    year = str(record.get("year") or "    ")
    lang = record.get("language") or "   "
    fields.append(_control("008", f"{created:6.6}s{year:4.4}    vm            000 0 {lang:3.3} d"))
    add = fields.append
    for sid in prov.get("system_ids") or []:
        add(_field("035", "  ", ("a", sid)))
    if record.get("isbn"):
        add(_field("020", "  ", ("a", record["isbn"])))
    if record.get("issn"):
        add(_field("022", "  ", ("a", record["issn"])))
    if record.get("language"):
        add(_field("041", "0 ", ("a", record["language"])))
    cls = dict(record.get("classification") or {})
    if cls.get("udc"):
        add(_field("080", "  ", ("a", cls.pop("udc"))))
    if cls.get("ddc"):
        add(_field("082", "04", ("a", cls.pop("ddc"))))
    for scheme, value in cls.items():
        add(_field("084", "  ", ("a", value), ("2", scheme)))
    if record.get("call_number"):
        add(_field("090", "  ", ("a", record["call_number"])))
    authors = record.get("authors") or []
    if authors:
        add(_field("100", "1 ", ("a", authors[0])))
    series = record.get("series")
    volume = record.get("volume")
    add(_field("245", ("1" if authors else "0") + "0", ("a", record["title"]), ("b", record.get("subtitle")),
               ("n", None if series else volume)))
    if record.get("parallel_title"):
        add(_field("246", "31", ("a", record["parallel_title"])))
    if record.get("edition"):
        add(_field("250", "  ", ("a", record["edition"])))
    if record.get("place") or record.get("publisher") or record.get("year"):
        add(_field("264", " 1", ("a", record.get("place")), ("b", record.get("publisher")), ("c", record.get("year"))))
    if record.get("pages") or record.get("dimensions"):
        add(_field("300", "  ", ("a", f"{record['pages']} tr" if record.get("pages") else None),
                   ("c", record.get("dimensions"))))
    if series:
        add(_field("490", "0 ", ("a", series), ("v", volume)))
    if record.get("notes"):
        for line in record["notes"].split("\n"):
            add(_field("500", "  ", ("a", line)))
    if record.get("summary"):
        for line in record["summary"].split("\n"):
            add(_field("520", "  ", ("a", line)))
    digital = record.get("digital") or {}
    if digital.get("licence"):
        add(_field("540", "  ", ("a", digital["licence"])))
    for subject in record.get("subjects") or []:
        add(_field("650", " 4", ("a", subject)))
    for keyword in record.get("keywords") or []:
        add(_field("653", "  ", ("a", keyword)))
    for author in authors[1:]:
        add(_field("700", "1 ", ("a", author)))
    for contributor in record.get("contributors") or []:
        add(_field("700", "1 ", ("a", contributor["name"]), ("e", contributor.get("role"))))
    if digital.get("url"):
        add(_field("856", "40", ("u", digital["url"]), ("q", digital.get("format")), ("s", digital.get("size"))))
    cur = record.get("curriculum") or {}
    if cur:
        add(_field("911", "  ", ("a", cur.get("program")), ("b", cur.get("grade")), ("c", cur.get("subject")),
                   ("d", cur.get("series"))))
    add(_field("942", "  ", ("c", record.get("type"))))
    return [f for f in fields if f is not None]


def item_field(record: dict[str, Any], item: dict[str, Any]) -> LightField:
    status = item.get("status")
    return cast(LightField, _field(   # never None: the barcode is always there
        "952", "  ",
        ("0", "1" if status == "withdrawn" else None),
        ("1", "1" if status == "lost" else None),
        ("4", "1" if status == "damaged" else None),
        ("a", record.get("library")),
        ("b", item.get("holder") or record.get("library")),
        ("c", item.get("location")),
        ("d", item.get("acquired")),
        ("e", item.get("source")),
        ("g", item.get("price")),
        ("i", item.get("register_no")),
        ("k", status),
        ("o", record.get("call_number")),
        ("p", item["barcode"]),
        ("q", item.get("status_date") if status == "on-loan" else None),
        ("r", item.get("status_date")),
        ("x", item.get("note")),
        ("y", record.get("type")),
        ("z", item.get("condition")),
    ))


def _grouped(record: dict[str, Any]) -> list[list[tuple[LightField, bytes]]]:
    """The record's fields with their bytes, one list per MARC record to write: the
    bibliographic fields in each, the 952 copies spread so that none passes 99,999 bytes.

    Raises ``ValueError((key, params))`` when even the bibliographic part cannot fit."""
    bib = [(field, _encode(field)) for field in bibliographic_fields(record)]
    for field, data in bib:
        if len(data) > MAX_FIELD_BYTES:
            raise ValueError(("interchange.export.field_too_big", {"id": record.get("id"), "tag": field.tag,
                                                                   "limit": MAX_FIELD_BYTES}))
    base = 24 + 1 + 1 + sum(len(data) + 12 for _, data in bib)
    if base > MAX_RECORD_BYTES:
        raise ValueError(("interchange.export.record_too_big", {"id": record.get("id"), "size": base,
                                                                "limit": MAX_RECORD_BYTES}))
    groups: list[list[tuple[LightField, bytes]]] = [[]]
    size = base
    for item in record.get("items") or []:
        field = item_field(record, item)
        data = _encode(field)
        cost = len(data) + 12
        if groups[-1] and size + cost > MAX_RECORD_BYTES:
            groups.append([])
            size = base
        groups[-1].append((field, data))
        size += cost
    return [bib + group for group in groups]


def record_to_marc(record: dict[str, Any]) -> list[Record]:
    """One record → one pymarc record, or several when its copies would pass 99,999 bytes
    (each carries the bibliographic fields and a share of the 952 copies).

    Raises ``ValueError((key, params))`` when even the bibliographic part cannot fit."""
    out = []
    for group in _grouped(record):
        rec = Record(leader=_leader(record), force_utf8=True)
        rec.add_field(*(_pymarc_field(field) for field, _ in group))  # type: ignore[no-untyped-call]  # pymarc: unannotated
        out.append(rec)
    return out


def record_to_iso2709(record: dict[str, Any]) -> list[bytes]:
    """``[as_iso2709(r) for r in record_to_marc(record)]`` — the same bytes — with each field
    encoded once and no pymarc objects (what ``libsync export marc`` writes)."""
    leader = _leader(record)
    out = []
    for group in _grouped(record):
        directory = []
        offset = 0
        for field, data in group:
            directory.append(f"{field[0]}{len(data):04d}{offset:05d}")
            offset += len(data)
        head = "".join(directory).encode("ascii") + FIELD_END
        base = 24 + len(head)
        length = base + offset + 1
        out.append(f"{length:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("ascii") + head
                   + b"".join(data for _, data in group) + RECORD_END)
    return out


def as_iso2709(rec: Record) -> bytes:
    return rec.as_marc()


def as_marcxml(rec: Record) -> bytes:
    xml: bytes = pymarc.record_to_xml(rec, namespace=False)  # type: ignore[no-untyped-call]  # pymarc: unannotated
    return xml
