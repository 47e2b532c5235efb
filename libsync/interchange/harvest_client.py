"""The network side of ``libsync harvest``: OAI-PMH 2.0 requests through Sickle, answers as plain data.

Owns the conversation with a data provider — Identify, ListMetadataFormats, ListRecords with its
resumption tokens followed to the end — and the reading of an OAI *Static Repository* (one XML
file, the OAI's "Static Repository" guideline), which answers the same questions from the file.
The protocol client is Sickle's (a kept OAI-PMH library); this module only sets it up strictly:

* every response is parsed once, **strictly** (Sickle's own parser recovers from broken XML and
  would silently drop the records after the break): malformed XML, a page that is not OAI-PMH at
  all (an HTML login page, a JSON error) or an empty answer is a ``LibsyncError`` naming the
  request and the page;
* OAI errors are told by their code: ``noRecordsMatch`` is an empty list, not a failure;
  ``badResumptionToken``, ``badArgument``, ``cannotDisseminateFormat``, ``noSetHierarchy`` … are
  a clear message with the provider's own words;
* HTTP 503 is retried as Sickle retries it (``retries`` times, waiting what ``Retry-After`` asks),
  bounded: a ``Retry-After`` longer than ``max_wait`` seconds, or given as a date, is not waited for
  blindly; any other HTTP error, a refused connection or no answer within ``timeout`` seconds is a
  clear message (exit 2);
* one HTTP connection is kept for the whole list (a 10,000-record harvest is 100 requests).

Must never: write anything, know about the repository or the record model (``harvest`` maps the
metadata), follow a link out of the conversation, or resolve XML entities (no entity expansion,
no network access from the parser).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from lxml import etree
from sickle import Sickle  # type: ignore[import-untyped]  # Sickle ships no type information
from sickle.app import DEFAULT_CLASS_MAP  # type: ignore[import-untyped]
from sickle.iterator import OAIItemIterator  # type: ignore[import-untyped]

from libsync import __version__, progress
from libsync.errors import LibsyncError, os_reason

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
STATIC_NS = "http://www.openarchives.org/OAI/2.0/static-repository"
MARC_NS = "http://www.loc.gov/MARC21/slim"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
_O = f"{{{OAI_NS}}}"
_S = f"{{{STATIC_NS}}}"

EXIT = 2   # a provider that cannot be read is unreadable input (docs/oai.md)

# Sickle logs each 503 it retries in English; the harvest reports its waits itself
logging.getLogger("sickle").addHandler(logging.NullHandler())
logging.getLogger("sickle").propagate = False


@dataclass(frozen=True)
class Settings:
    """How patient the harvester is with a provider."""

    timeout: float = 60.0        # seconds without an answer (connecting, or between bytes)
    retries: int = 3             # new tries after an HTTP 503
    max_wait: float = 300.0      # the longest Retry-After waited for, seconds
    default_wait: float = 10.0   # the wait after a 503 that names none


@dataclass(slots=True)
class Item:
    """One record of a list: its header, and its metadata element (None when deleted)."""

    identifier: str
    datestamp: str
    deleted: bool
    sets: list[str]
    metadata: etree._Element | None
    page: int


@dataclass
class Described:
    """What a provider says of itself (Identify, ListMetadataFormats)."""

    name: str = ""
    granularity: str = "YYYY-MM-DD"
    deleted_record: str = "no"        # no | transient | persistent
    earliest: str = ""
    formats: list[tuple[str, str]] = field(default_factory=list)   # (metadataPrefix, namespace)
    static: bool = False


class NoRecords(Exception):
    """``noRecordsMatch``: the list is empty."""


class _StaticFound(Exception):
    """The URL answered with a static repository file, not an OAI-PMH response."""

    def __init__(self, content: bytes) -> None:
        super().__init__("static repository")
        self.content = content


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)


def parse_strictly(content: bytes, where: dict[str, Any]) -> etree._Element:
    """The document in ``content``; a malformed one is a ``LibsyncError`` with line and reason."""
    if not content.strip():
        raise LibsyncError("harvest.empty_response", exit_code=EXIT, **where)
    try:
        return etree.fromstring(content, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise LibsyncError("harvest.bad_xml", exit_code=EXIT, line=line, reason=exc.msg or str(exc),
                           **where) from None


class _Response:
    """One provider response, parsed once and strictly (Sickle's ``OAIResponse`` parses with
    ``recover=True`` on every access). OAI errors are raised here, by their code."""

    def __init__(self, http_response: requests.Response, params: dict[str, str], page: int) -> None:
        self.http_response = http_response
        self.params = params
        verb = params.get("verb", "")
        where = {"url": http_response.url, "verb": verb, "page": page}
        content = http_response.content
        kind = http_response.headers.get("Content-Type", "")
        root = parse_strictly(content, where) if "html" not in kind.lower() else None
        if root is not None and root.tag == _S + "Repository":
            raise _StaticFound(content)
        if root is None or root.tag != _O + "OAI-PMH":
            head = content[:80].decode("utf-8", "replace").replace("\n", " ").strip()
            raise LibsyncError("harvest.not_oai", exit_code=EXIT, type=kind or "?", start=head, **where)
        self.xml = root
        for error in root.findall(_O + "error"):
            code = error.get("code", "")
            text = (error.text or "").strip()
            if code == "noRecordsMatch":
                raise NoRecords(text)
            key = {"badResumptionToken": "harvest.oai.bad_token", "badArgument": "harvest.oai.bad_argument",
                   "cannotDisseminateFormat": "harvest.oai.cannot_disseminate",
                   "noSetHierarchy": "harvest.oai.no_sets", "badVerb": "harvest.oai.bad_verb",
                   "noMetadataFormats": "harvest.oai.no_formats"}.get(code, "harvest.oai.error")
            raise LibsyncError(key, exit_code=EXIT, code=code, text=text or "—",
                               prefix=params.get("metadataPrefix", ""), set=params.get("set", ""), **where)

    @property
    def raw(self) -> str:
        return self.http_response.text


class _Item:
    """Sickle's item class for ListRecords (its own ``Record`` turns every MARC field into a dict)."""

    def __init__(self, xml: etree._Element) -> None:
        self.xml = xml
        header = xml.find(_O + "header")
        self.deleted = header is not None and header.get("status") == "deleted"


class _Client(Sickle):  # type: ignore[misc]  # Sickle is untyped
    """Sickle with a kept connection, strict responses and bounded waits."""

    def __init__(self, url: str, settings: Settings) -> None:
        super().__init__(url, max_retries=settings.retries, retry_status_codes=[503],
                         default_retry_after=settings.default_wait,
                         class_mapping={**DEFAULT_CLASS_MAP, "ListRecords": _Item, "ListMetadataFormats": _Format},
                         timeout=settings.timeout,
                         headers={"User-Agent": f"libsync/{__version__} (OAI-PMH harvester; Sickle)"})
        self.settings = settings
        self.session = requests.Session()
        self.pages = 0          # requests made
        self.list_pages = 0     # of them, ListRecords pages (what messages call "page N")
        self.waited: list[float] = []
        self.tokens: set[str] = set()

    def _request(self, kwargs: dict[str, str]) -> requests.Response:
        return self.session.get(self.endpoint, params=kwargs, **self.request_args)

    def get_retry_after(self, http_response: requests.Response) -> float:
        """Seconds to wait before the next try: the provider's ``Retry-After`` (seconds, or an
        HTTP date), else ``default_wait``; more than ``max_wait`` is refused, not slept through."""
        header = (http_response.headers.get("Retry-After") or "").strip()
        wait = self.settings.default_wait
        if header.isdigit():
            wait = float(header)
        elif header:
            when = email.utils.parsedate_to_datetime(header) if _looks_like_date(header) else None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=dt.UTC)
                wait = max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
        if wait > self.settings.max_wait:
            raise LibsyncError("harvest.busy_long", exit_code=EXIT, url=self.endpoint, seconds=round(wait),
                               limit=round(self.settings.max_wait))
        self.waited.append(wait)
        return wait

    def harvest(self, **kwargs: str) -> _Response:
        self.pages += 1
        if kwargs.get("verb") == "ListRecords":
            self.list_pages += 1
        page = self.list_pages if kwargs.get("verb") == "ListRecords" else 1
        where = {"url": self.endpoint, "verb": kwargs.get("verb", ""), "page": page}
        token = kwargs.get("resumptionToken")
        if token is not None:   # a provider handing out a token it gave before would never end
            if token in self.tokens:
                raise LibsyncError("harvest.token_loop", exit_code=EXIT, token=token[:60], **where)
            self.tokens.add(token)
        try:
            response = super().harvest(**kwargs)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            if status == 503:
                raise LibsyncError("harvest.busy", exit_code=EXIT, tries=self.settings.retries + 1, **where) from None
            reason = exc.response.reason if exc.response is not None else str(exc)
            raise LibsyncError("harvest.http_error", exit_code=EXIT, status=status, reason=reason or "", **where) from None
        except requests.Timeout:
            raise LibsyncError("harvest.timeout", exit_code=EXIT, seconds=self.settings.timeout, **where) from None
        except requests.ConnectionError as exc:
            raise LibsyncError("harvest.unreachable", exit_code=EXIT, reason=_reason(exc), **where) from None
        except requests.RequestException as exc:
            raise LibsyncError("harvest.http_failed", exit_code=EXIT, reason=_reason(exc), **where) from None
        return _Response(response.http_response, dict(kwargs), page)


class _Format:
    def __init__(self, xml: etree._Element) -> None:
        self.prefix = (xml.findtext(_O + "metadataPrefix") or "").strip()
        self.namespace = (xml.findtext(_O + "metadataNamespace") or "").strip()
        self.deleted = False


def _looks_like_date(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _reason(exc: Exception) -> str:
    """The innermost reason of a requests error, without the library's wrapping."""
    text = str(exc)
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", None)
    if reason is not None:
        text = str(reason)
    return text.split(": ", 1)[-1][:200] if "object at 0x" in text else text[:200]


def _item(element: etree._Element, page: int) -> Item:
    header = element.find(_O + "header")
    if header is None:
        raise LibsyncError("harvest.no_header", exit_code=EXIT, page=page)
    identifier = (header.findtext(_O + "identifier") or "").strip()
    datestamp = (header.findtext(_O + "datestamp") or "").strip()
    deleted = header.get("status") == "deleted"
    sets = [(s.text or "").strip() for s in header.findall(_O + "setSpec")]
    metadata = None
    if not deleted:
        holder = element.find(_O + "metadata")
        if holder is not None:
            metadata = next((child for child in holder if isinstance(child.tag, str)), None)
    return Item(identifier, datestamp, deleted, sets, metadata, page)


# --- a provider, over HTTP or as a static file ----------------------------------------------------

class Provider:
    """An OAI-PMH data provider at a base URL."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.client = _Client(url, settings)
        self.response_date: str | None = None   # of the first ListRecords response

    @property
    def pages(self) -> int:
        return int(self.client.list_pages)

    @property
    def requests(self) -> int:
        return int(self.client.pages)

    def close(self) -> None:
        """Let go of the kept connection."""
        self.client.session.close()

    @property
    def waited(self) -> list[float]:
        return list(self.client.waited)

    def describe(self) -> Described:
        response = self.client.harvest(verb="Identify")
        node = response.xml.find(_O + "Identify")
        if node is None:
            raise LibsyncError("harvest.not_oai", exit_code=EXIT, url=self.url, verb="Identify", page=1,
                               type="?", start="")
        described = Described(
            name=(node.findtext(_O + "repositoryName") or "").strip(),
            granularity=(node.findtext(_O + "granularity") or "YYYY-MM-DD").strip(),
            deleted_record=(node.findtext(_O + "deletedRecord") or "no").strip(),
            earliest=(node.findtext(_O + "earliestDatestamp") or "").strip())
        try:
            formats = OAIItemIterator(self.client, {"verb": "ListMetadataFormats"})
            described.formats = [(f.prefix, f.namespace) for f in formats]
        except NoRecords:   # not an answer ListMetadataFormats may give, but harmless
            described.formats = []
        return described

    def records(self, prefix: str, set_spec: str | None, from_: str | None, until: str | None) -> Iterator[Item]:
        """Every record of the list, page after page, following resumption tokens to the end."""
        params = {"metadataPrefix": prefix}
        if set_spec:
            params["set"] = set_spec
        if from_:
            params["from"] = from_
        if until:
            params["until"] = until
        try:
            iterator = self.client.ListRecords(**params)
        except NoRecords:
            return
        self.response_date = (iterator.oai_response.xml.findtext(_O + "responseDate") or "").strip() or None
        try:
            for n, found in enumerate(iterator, start=1):
                if n % 50 == 0:   # the provider's completeListSize, when it gives one, is the total
                    size = getattr(getattr(iterator, "resumption_token", None), "complete_list_size", None)
                    progress.step("harvest", n, int(str(size)) if str(size or "").isdigit() else None)
                yield _item(found.xml, self.client.list_pages)
        except NoRecords:   # not on a resumed page by the protocol; an empty page ends the list
            return


class StaticRepository:
    """An OAI Static Repository: one XML file holding Identify, ListMetadataFormats and one
    ListRecords per format (no sets, no deleted records, no resumption tokens)."""

    def __init__(self, content: bytes, url: str) -> None:
        self.url = url
        self.root = parse_strictly(content, {"url": url, "verb": "-", "page": 1})
        if self.root.tag != _S + "Repository":
            raise LibsyncError("harvest.not_static", exit_code=EXIT, url=url, root=str(self.root.tag))
        self.response_date: str | None = None
        self.pages = 1
        self.requests = 1
        self.waited: list[float] = []

    def close(self) -> None:
        return None

    def describe(self) -> Described:
        node = self.root.find(_S + "Identify")
        described = Described(static=True)
        if node is not None:
            described.name = (node.findtext(_O + "repositoryName") or "").strip()
            described.granularity = (node.findtext(_O + "granularity") or "YYYY-MM-DD").strip()
            described.earliest = (node.findtext(_O + "earliestDatestamp") or "").strip()
        described.deleted_record = "no"
        formats = self.root.find(_S + "ListMetadataFormats")
        for fmt in formats.findall(_O + "metadataFormat") if formats is not None else []:
            described.formats.append(((fmt.findtext(_O + "metadataPrefix") or "").strip(),
                                      (fmt.findtext(_O + "metadataNamespace") or "").strip()))
        return described

    def records(self, prefix: str, set_spec: str | None, from_: str | None, until: str | None) -> Iterator[Item]:
        if set_spec:
            raise LibsyncError("harvest.static_no_sets", exit_code=EXIT, url=self.url, set=set_spec)
        lists = [node for node in self.root.findall(_S + "ListRecords") if node.get("metadataPrefix") == prefix]
        if not lists:
            raise LibsyncError("harvest.oai.cannot_disseminate", exit_code=EXIT, url=self.url, verb="ListRecords",
                               page=1, code="cannotDisseminateFormat", text="—", prefix=prefix, set="")
        latest = ""
        for node in lists:
            for element in node.findall(_O + "record"):
                found = _item(element, 1)
                day = found.datestamp[:10]
                if (from_ and day < from_[:10]) or (until and day > until[:10]):
                    continue
                latest = max(latest, found.datestamp)
                yield found
        self.response_date = latest or None


Source = Provider | StaticRepository


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https") and bool(urlsplit(text).netloc)


def open_source(location: str, settings: Settings) -> tuple[Source, Described]:
    """The provider at ``location`` (a base URL, a static repository URL or file) and what it says
    of itself."""
    if not is_url(location):
        try:
            with open(location, "rb") as fh:
                content = fh.read()
        except FileNotFoundError:
            raise LibsyncError("harvest.bad_source", exit_code=EXIT, source=location) from None
        except OSError as exc:
            raise LibsyncError("file.unreadable", path=location, reason=os_reason(exc)) from None
        static = StaticRepository(content, os.path.abspath(location))
        return static, static.describe()
    provider = Provider(location, settings)
    try:
        return provider, provider.describe()
    except _StaticFound as found:
        provider.close()
        static = StaticRepository(found.content, location)
        return static, static.describe()
    except BaseException:
        provider.close()
        raise
