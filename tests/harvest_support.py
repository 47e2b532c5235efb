"""What the `libsync harvest` tests share: a third-party OAI-PMH provider (pyoai's server) over
Vietnamese MARC records, served over real HTTP on the loopback (waitress), with optional faults.

pyoai 2.5.0, the last release, still calls ``cgi.parse_qs`` to read its own resumption tokens;
Python 3.8 removed it (``urllib.parse.parse_qs`` is the same function). The shim below puts it
back before pyoai is imported; the protocol itself (verbs, arguments, errors, resumption tokens,
the XML) is entirely pyoai's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import threading
import types
import unicodedata
import urllib.parse
import warnings
from dataclasses import dataclass, field
from pathlib import Path

with warnings.catch_warnings():   # "cgi is deprecated": pyoai's import, not ours
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import cgi
    except ImportError:   # pragma: no cover - Python 3.13+
        sys.modules["cgi"] = types.ModuleType("cgi")
    import cgi

if not hasattr(cgi, "parse_qs"):
    cgi.parse_qs = urllib.parse.parse_qs   # type: ignore[attr-defined]

import pymarc
from lxml import etree
from oaipmh import common, metadata, server

MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
STATE = (".git", ".libsync")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thủ thư", "GIT_AUTHOR_EMAIL": "tt@example.vn",
           "GIT_COMMITTER_NAME": "Thủ thư", "GIT_COMMITTER_EMAIL": "tt@example.vn"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env).stdout


def committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "mạng mẫu")
    return root


def tree_hash(root: Path) -> str:
    """A hash of every file of the repository (its Git and libsync state folders left out)."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames[:] = sorted(d for d in dirnames if d not in STATE)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- the records ------------------------------------------------------------------------------

TITLES = [
    ("Toán 6", "Tập một", "Hà Huy Khoái", "textbook"), ("Ngữ văn 6", "Tập hai", "Bùi Mạnh Hùng", "textbook"),
    ("Khoa học tự nhiên 7", None, "Vũ Văn Hùng", "textbook"), ("Lịch sử và Địa lí 8", None, "Vũ Minh Giang", "textbook"),
    ("Dế Mèn phiêu lưu ký", None, "Tô Hoài", "story"), ("Tuổi thơ dữ dội", "Tập 1", "Phùng Quán", "story"),
    ("Đất rừng phương Nam", None, "Đoàn Giỏi", "story"), ("Quê nội", None, "Võ Quảng", "story"),
    ("Chiếc lược ngà", None, "Nguyễn Quang Sáng", "story"), ("Mắt biếc", None, "Nguyễn Nhật Ánh", "story"),
    ("Từ điển tiếng Việt", None, "Hoàng Phê", "reference"), ("Sổ tay hoá học THCS", None, "Ngô Ngọc An", "reference"),
    ("Bài tập Toán 6", "Tập một", "Nguyễn Huy Đoan", "reference"), ("Tiếng Anh 6", "Global Success", "Hoàng Văn Vân", "textbook"),
    ("Âm nhạc 7", None, "Đỗ Thị Minh Chính", "textbook"), ("Mĩ thuật 8", None, "Đinh Gia Lê", "textbook"),
    ("Hoàng tử bé", None, "Antoine de Saint-Exupéry", "story"), ("Những tấm lòng cao cả", None, "Edmondo De Amicis", "story"),
    ("Góc sân và khoảng trời", None, "Trần Đăng Khoa", "story"), ("Lá cờ thêu sáu chữ vàng", None, "Nguyễn Huy Tưởng", "story"),
    ("Kính vạn hoa", "Tập 1", "Nguyễn Nhật Ánh", "story"), ("Cho tôi xin một vé đi tuổi thơ", None, "Nguyễn Nhật Ánh", "story"),
    ("Tin học 6", None, "Nguyễn Chí Công", "textbook"),
]
TYPE_CODE = {"textbook": "SGK", "story": "TRUYEN", "reference": "STK"}


def isbn13(n: int) -> str:
    body = f"978604{n:06d}"
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def marc_record(n: int, title: str, subtitle: str | None, author: str, kind: str, *, barcode_prefix: str = "KOHA",
                nfd: bool = False) -> pymarc.Record:
    """A Koha-like MARC record (001, 020, 082, 090, 100, 245, 264, 300, 650, 942, one 952 copy)."""
    text = (lambda s: unicodedata.normalize("NFD", s)) if nfd else (lambda s: s)
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("00000nam a2200000 a 4500")
    record.add_field(pymarc.Field(tag="001", data=f"koha-{n}"))
    record.add_field(pymarc.Field(tag="020", indicators=pymarc.Indicators(" ", " "),
                                  subfields=[pymarc.Subfield("a", isbn13(n))]))
    record.add_field(pymarc.Field(tag="082", indicators=pymarc.Indicators("0", "4"),
                                  subfields=[pymarc.Subfield("a", f"{300 + n}.{n:02d}")]))
    record.add_field(pymarc.Field(tag="090", indicators=pymarc.Indicators(" ", " "),
                                  subfields=[pymarc.Subfield("a", f"{300 + n}.{n:02d}"), pymarc.Subfield("b", "T" + str(n))]))
    record.add_field(pymarc.Field(tag="100", indicators=pymarc.Indicators("1", " "),
                                  subfields=[pymarc.Subfield("a", text(author))]))
    subfields = [pymarc.Subfield("a", text(title) + (" :" if subtitle else ""))]
    if subtitle:
        subfields.append(pymarc.Subfield("b", text(subtitle)))
    record.add_field(pymarc.Field(tag="245", indicators=pymarc.Indicators("1", "0"), subfields=subfields))
    record.add_field(pymarc.Field(tag="264", indicators=pymarc.Indicators(" ", "1"), subfields=[
        pymarc.Subfield("a", "Hà Nội :"), pymarc.Subfield("b", text("Nhà xuất bản Giáo dục Việt Nam,")),
        pymarc.Subfield("c", str(2015 + n % 9))]))
    record.add_field(pymarc.Field(tag="300", indicators=pymarc.Indicators(" ", " "),
                                  subfields=[pymarc.Subfield("a", f"{100 + n} tr. ;"), pymarc.Subfield("c", "24 cm")]))
    record.add_field(pymarc.Field(tag="650", indicators=pymarc.Indicators(" ", "7"),
                                  subfields=[pymarc.Subfield("a", text("Văn học thiếu nhi" if kind == "story" else "Giáo dục phổ thông"))]))
    record.add_field(pymarc.Field(tag="942", indicators=pymarc.Indicators(" ", " "),
                                  subfields=[pymarc.Subfield("c", TYPE_CODE[kind])]))
    record.add_field(pymarc.Field(tag="952", indicators=pymarc.Indicators(" ", " "), subfields=[
        pymarc.Subfield("p", f"{barcode_prefix}-{n:05d}"), pymarc.Subfield("c", "Kho chính"),
        pymarc.Subfield("o", f"{300 + n}.{n:02d} T{n}"), pymarc.Subfield("g", "45000")]))
    return record


@dataclass
class Entry:
    identifier: str
    datestamp: dt.datetime
    sets: list[str]
    marc: bytes | None            # MARCXML <record>; None: deleted
    dc: dict[str, list[str]] = field(default_factory=dict)


def entries(count: int = len(TITLES), *, start: dt.datetime | None = None, nfd_every: int = 4,
            prefix: str = "oai:koha.thcs-xs.edu.vn:") -> list[Entry]:
    start = start or dt.datetime(2024, 3, 1, 8, 0, 0)
    out = []
    for n in range(1, count + 1):
        title, subtitle, author, kind = TITLES[(n - 1) % len(TITLES)]
        if n > len(TITLES):
            title = f"{title} ({n})"
        record = marc_record(n, title, subtitle, author, kind, nfd=(n % nfd_every == 0))
        xml = pymarc.record_to_xml(record, namespace=True)
        dc = {"title": [title + (f" : {subtitle}" if subtitle else "")], "creator": [author],
              "publisher": ["Nhà xuất bản Giáo dục Việt Nam"], "date": [str(2015 + n % 9)],
              "identifier": [f"urn:isbn:{isbn13(n)}"], "language": ["vie"], "type": [kind],
              "subject": ["Giáo dục phổ thông"]}
        out.append(Entry(f"{prefix}{n}", start + dt.timedelta(minutes=n), ["XS", f"type:{kind}"], xml, dc))
    return out


# --- the provider: pyoai -----------------------------------------------------------------------

class Catalogue:
    """pyoai's IBatchingOAI over ``entries`` (changed by tests between harvests)."""

    def __init__(self, items: list[Entry], base_url: str = "http://127.0.0.1/oai") -> None:
        self.items = items
        self.base_url = base_url

    def identify(self):
        earliest = min((e.datestamp for e in self.items), default=dt.datetime(2024, 1, 1))
        return common.Identify(repositoryName="Koha THCS Xuân Sơn", baseURL=self.base_url, protocolVersion="2.0",
                               adminEmails=["thuvien@thcs-xs.edu.vn"], earliestDatestamp=earliest,
                               deletedRecord="persistent", granularity="YYYY-MM-DDThh:mm:ssZ",
                               compression=["identity"], toolkit_description=False)

    def listMetadataFormats(self, identifier=None):
        return [("marc21", MARC_SCHEMA, MARC_NS), ("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS)]

    def listSets(self, cursor=0, batch_size=10):
        specs = sorted({s for e in self.items for s in e.sets})
        return [(s, s, None) for s in specs][cursor:cursor + batch_size]

    def _select(self, set=None, from_=None, until=None):
        out = [e for e in sorted(self.items, key=lambda e: (e.datestamp, e.identifier))
               if (set is None or set in e.sets) and (from_ is None or e.datestamp >= from_)
               and (until is None or e.datestamp <= until)]
        return out

    def _record(self, e: Entry):
        header = common.Header(None, e.identifier, e.datestamp, e.sets, e.marc is None)
        if e.marc is None:
            return header, None, None
        return header, common.Metadata(None, {"marc": [e.marc], **e.dc}), None

    def getRecord(self, metadataPrefix, identifier):
        for e in self.items:
            if e.identifier == identifier:
                return self._record(e)
        from oaipmh import error
        raise error.IdDoesNotExistError(identifier)

    def listIdentifiers(self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10):
        return [self._record(e)[0] for e in self._select(set, from_, until)[cursor:cursor + batch_size]]

    def listRecords(self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10):
        return [self._record(e) for e in self._select(set, from_, until)[cursor:cursor + batch_size]]


def _marc_writer(element, record_metadata):
    element.append(etree.fromstring(record_metadata.getMap()["marc"][0]))


def pyoai_server(catalogue: Catalogue, page_size: int = 5) -> server.BatchingServer:
    registry = metadata.MetadataRegistry()
    registry.registerWriter("marc21", _marc_writer)
    registry.registerWriter("oai_dc", server.oai_dc_writer)
    return server.BatchingServer(catalogue, metadata_registry=registry, resumption_batch_size=page_size)


class Fault:
    """What a faulty provider does to a request: ``None`` to let pyoai answer, else a WSGI answer
    ``(status, headers, body)``; ``after`` may change pyoai's answer."""

    def before(self, params: dict[str, str], count: int):
        return None

    def after(self, params: dict[str, str], count: int, body: bytes) -> bytes:
        return body


class App:
    """The WSGI application: query string → pyoai → XML. ``requests`` counts what it was asked."""

    def __init__(self, catalogue: Catalogue, page_size: int = 5, fault: Fault | None = None) -> None:
        self.catalogue = catalogue
        self.oai = pyoai_server(catalogue, page_size)
        self.fault = fault or Fault()
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        params = {k: v[0] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
        with self.lock:
            self.requests.append(params)
            count = len(self.requests)
        early = self.fault.before(params, count)
        if early is not None:
            status, headers, body = early
            start_response(status, headers)
            return [body]
        body = self.fault.after(params, count, self.oai.handleRequest(params))
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]


class Served:
    """A WSGI app on 127.0.0.1 (a free port), in a thread, for a ``with`` block."""

    def __init__(self, app) -> None:
        from waitress import create_server

        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}/oai"
        if isinstance(app, App):
            app.catalogue.base_url = self.url
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        from waitress import wasyncore

        # closed from the server's own thread (its trigger), kept-alive connections included
        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:   # the trigger is already gone (the loop ended): close what is left here
            self.server.close()
        self.thread.join(timeout=5)
