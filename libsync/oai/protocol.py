"""OAI-PMH 2.0 as plain functions: the arguments of a request → the bytes of its XML response.

``respond(catalogue, arguments, base_url, now)`` answers the six verbs (Identify,
ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord) and every error the
protocol names, over a ``Catalogue``: one repository state as one audience sees it, built by
``libsync.oai.index`` (entries sorted by datestamp, the sets, a ``fetch`` that gives the redacted
records of a page). The rules, as docs/oai.md states them:

* identifiers ``oai:<network id>:<LIB>/<record id>``; datestamps in seconds (``YYYY-MM-DDThh:mm:ssZ``),
  ``from``/``until`` accepted as days or seconds (both of one granularity, ``from`` ≤ ``until``);
* sets ``LIB`` (a library), ``type:TYPE`` (a record type, under the set ``type``) and ``LIB:TYPE``
  (a library's records of a type, under ``LIB``); a set selects its own records and its subsets';
* lists longer than a page end with a resumption token naming the repository state it was made
  for (``completeListSize`` and ``cursor`` given); in another state it is ``badResumptionToken``;
* a record whose text XML cannot carry has no metadata format (``cannotDisseminateFormat``,
  ``noMetadataFormats``) and is left out of lists; a deleted record is a header with
  ``status="deleted"`` in every format.

Must never: read files, run Git or know about audiences (the catalogue holds only what its audience
may see; a record it does not hold does not exist here, not even its identifier).
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from libsync.i18n import t
from libsync.oai.metadata import FORMATS, attr, esc, render
from libsync.text import xmlchars

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TYPE_SET = "type"
TOKEN_VERSION = 1

# verb -> (required arguments, optional arguments); a resumptionToken is exclusive (see _arguments)
VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ()),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set")),
}
EXCLUSIVE = ("ListSets", "ListIdentifiers", "ListRecords")   # verbs that take a resumptionToken

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# the XSD's patterns (metadataPrefixType, setSpecType) and a URI with no space or control character
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SETSPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[\x21-\x7e\u00a0-\U0010ffff]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of the repository: a record the audience may see, or a deleted one."""

    key: str                      # "<LIB>/<record id>"
    stamp: int                    # datestamp: Unix seconds, UTC
    sets: tuple[str, ...] = ()
    deleted: bool = False
    disseminable: bool = True     # False: text XML cannot carry, no metadata format


Fetch = Callable[[Sequence[Entry]], Mapping[str, dict[str, Any]]]


@dataclass
class Catalogue:
    """One repository state as one audience sees it: what every verb answers from."""

    repository_id: str
    name: str
    admin_emails: list[str]
    state: str                             # changes whenever the repository does
    entries: list[Entry]                   # sorted by (stamp, key)
    sets: list[tuple[str, str]]            # (setSpec, setName), in the order ListSets gives them
    fetch: Fetch                           # key → the redacted record, for the entries of a page
    deleted_record: str = "persistent"     # "no" outside Git (no history of removals)
    page_size: int = 100
    earliest: int = 0
    by_key: dict[str, Entry] = field(default_factory=dict)
    stamps: list[int] = field(default_factory=list)
    _selections: OrderedDict[tuple[str, str, int, int], list[Entry]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)     # the server answers in threads

    def __post_init__(self) -> None:
        self.entries.sort(key=lambda e: (e.stamp, e.key))
        self.by_key = {e.key: e for e in self.entries}
        self.stamps = [e.stamp for e in self.entries]
        if not self.earliest:
            self.earliest = self.stamps[0] if self.stamps else 0

    def identifier(self, key: str) -> str:
        return f"oai:{self.repository_id}:{key}"

    def key_of(self, identifier: str) -> str | None:
        prefix = f"oai:{self.repository_id}:"
        return identifier[len(prefix):] if identifier.startswith(prefix) else None

    def select(self, prefix: str, set_spec: str, start: int, end: int) -> list[Entry]:
        """The entries of a list request, in list order (kept for the next pages' requests)."""
        key = (prefix, set_spec, start, end)
        with self._lock:
            found = self._selections.get(key)
            if found is not None:
                self._selections.move_to_end(key)
                return found
        lo = bisect.bisect_left(self.stamps, start)
        hi = bisect.bisect_right(self.stamps, end)
        child = set_spec + ":"
        found = [e for e in self.entries[lo:hi]
                 if (e.deleted or e.disseminable)
                 and (not set_spec or any(s == set_spec or s.startswith(child) for s in e.sets))]
        with self._lock:
            self._selections[key] = found
            if len(self._selections) > 16:
                self._selections.popitem(last=False)
        return found


class OAIError(Exception):
    """An OAI-PMH error condition: its code and message (and whether the request is echoed)."""

    def __init__(self, code: str, message: str, echo: bool = True) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.echo = echo


def datestamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d")


def parse_datestamp(value: str, end_of_day: bool = False) -> tuple[int, str] | None:
    """(Unix seconds, "day"|"second") of a ``from``/``until`` value; None if it is not one."""
    try:
        if _DAY.fullmatch(value):
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return int(day.timestamp()) + (86_399 if end_of_day else 0), "day"
        if _SECOND.fullmatch(value):
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return int(moment.timestamp()), "second"
    except (ValueError, OverflowError):
        return None
    return None


# --- resumption tokens ------------------------------------------------------------------------------

def make_token(cat: Catalogue, verb: str, prefix: str, set_spec: str, start: int, end: int, offset: int) -> str:
    raw = orjson.dumps([TOKEN_VERSION, cat.state, verb, prefix, set_spec, start, end, offset])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def read_token(cat: Catalogue, verb: str, token: str) -> tuple[str, str, int, int, int]:
    """(prefix, set, from, until, offset) of a token made for this verb in this repository state."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        version, state, made_for, prefix, set_spec, start, end, offset = orjson.loads(raw)
        valid = (version == TOKEN_VERSION and made_for == verb and isinstance(prefix, str) and prefix in FORMATS
                 and isinstance(set_spec, str) and all(type(n) is int for n in (start, end, offset)) and offset > 0)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        valid = False
    if not valid:
        raise OAIError("badResumptionToken", t("oai.error.bad_token"))
    if state != cat.state:
        raise OAIError("badResumptionToken", t("oai.error.stale_token"))
    return prefix, set_spec, start, end, offset


# --- the request ------------------------------------------------------------------------------------

def _arguments(args: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked against the verb (badVerb, badArgument)."""
    verbs = list(args.get("verb", []))
    if len(verbs) != 1:
        raise OAIError("badVerb", t("oai.error.verb_repeated" if verbs else "oai.error.no_verb"), echo=False)
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", t("oai.error.bad_verb", verb=xmlchars.strip(verb)[:80]), echo=False)
    required, optional = VERBS[verb]
    out: dict[str, str] = {}
    for name, values in args.items():
        if name == "verb":
            continue
        allowed = name in required or name in optional or (name == "resumptionToken" and verb in EXCLUSIVE)
        if not allowed:
            raise OAIError("badArgument", t("oai.error.illegal_argument", name=xmlchars.strip(name)[:40], verb=verb),
                           echo=False)
        if len(values) != 1:
            raise OAIError("badArgument", t("oai.error.repeated_argument", name=name), echo=False)
        out[name] = values[0]
    if "resumptionToken" in out:
        if len(out) > 1:
            raise OAIError("badArgument", t("oai.error.token_exclusive"), echo=False)
        return verb, out
    missing = [name for name in required if name not in out]
    if missing:
        raise OAIError("badArgument", t("oai.error.missing_argument", name=", ".join(missing), verb=verb), echo=False)
    if "metadataPrefix" in out and not _PREFIX.fullmatch(out["metadataPrefix"]):
        raise OAIError("badArgument", t("oai.error.bad_prefix_syntax"), echo=False)
    if "set" in out and not _SETSPEC.fullmatch(out["set"]):
        raise OAIError("badArgument", t("oai.error.bad_set_syntax"), echo=False)
    if "identifier" in out and not _URI.fullmatch(out["identifier"]):
        raise OAIError("badArgument", t("oai.error.bad_identifier_syntax"), echo=False)
    return verb, out


def respond(cat: Catalogue, args: Mapping[str, Sequence[str]], base_url: str,
            now: dt.datetime | None = None) -> bytes:
    """The XML response to one request (``args``: each argument's values, as a query string gives them)."""
    now = now or dt.datetime.now(dt.UTC)
    verb = ""
    arguments: dict[str, str] = {}
    try:
        verb, arguments = _arguments(args)
        body = identify(cat, base_url) if verb == "Identify" else HANDLERS[verb](cat, arguments)
    except OAIError as exc:
        request = _request(base_url, verb, arguments) if exc.echo else _request(base_url, "", {})
        error = f'<error code="{exc.code}">{esc(xmlchars.strip(exc.message))}</error>'.encode()
        return _envelope(now, request, [error])
    return _envelope(now, _request(base_url, verb, arguments), body)


def _request(base_url: str, verb: str, arguments: Mapping[str, str]) -> bytes:
    attrs = "".join(f' {name}="{attr(xmlchars.strip(value))}"' for name, value in
                    ([("verb", verb)] if verb else []) + sorted(arguments.items()))
    return f"<request{attrs}>{esc(base_url)}</request>".encode()


def _envelope(now: dt.datetime, request: bytes, body: list[bytes]) -> bytes:
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="{XSI_NS}" '
            f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">\n'
            f"<responseDate>{now.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</responseDate>\n").encode()
    return b"".join([head, request, b"\n", *body, b"\n</OAI-PMH>\n"])


# --- the verbs ----------------------------------------------------------------------------------------

def identify(cat: Catalogue, base_url: str) -> list[bytes]:
    emails = "".join(f"<adminEmail>{esc(e)}</adminEmail>" for e in cat.admin_emails)
    return [(f"<Identify><repositoryName>{esc(cat.name)}</repositoryName>"
             f"<baseURL>{esc(base_url)}</baseURL><protocolVersion>2.0</protocolVersion>{emails}"
             f"<earliestDatestamp>{datestamp(cat.earliest)}</earliestDatestamp>"
             f"<deletedRecord>{cat.deleted_record}</deletedRecord><granularity>{GRANULARITY}</granularity>"
             "</Identify>").encode()]


def list_metadata_formats(cat: Catalogue, args: Mapping[str, str]) -> list[bytes]:
    if "identifier" in args:
        entry = _entry(cat, args["identifier"])
        if not entry.deleted and not entry.disseminable:
            raise OAIError("noMetadataFormats", t("oai.error.no_formats"))
    formats = "".join(f"<metadataFormat><metadataPrefix>{prefix}</metadataPrefix><schema>{schema}</schema>"
                      f"<metadataNamespace>{ns}</metadataNamespace></metadataFormat>"
                      for prefix, (schema, ns) in FORMATS.items())
    return [f"<ListMetadataFormats>{formats}</ListMetadataFormats>".encode()]


def list_sets(cat: Catalogue, args: Mapping[str, str]) -> list[bytes]:
    if "resumptionToken" in args:      # ListSets is one page: no token was ever given
        raise OAIError("badResumptionToken", t("oai.error.bad_token"))
    if not cat.sets:
        raise OAIError("noSetHierarchy", t("oai.error.no_sets"))
    sets = "".join(f"<set><setSpec>{esc(spec)}</setSpec><setName>{esc(name)}</setName></set>" for spec, name in cat.sets)
    return [f"<ListSets>{sets}</ListSets>".encode()]


def get_record(cat: Catalogue, args: Mapping[str, str]) -> list[bytes]:
    prefix = _prefix(args["metadataPrefix"])
    entry = _entry(cat, args["identifier"])
    if not entry.deleted and not entry.disseminable:
        raise OAIError("cannotDisseminateFormat", t("oai.error.cannot_disseminate", prefix=prefix))
    records = cat.fetch([entry]) if not entry.deleted else {}
    if not entry.deleted and entry.key not in records:   # gone since the catalogue was built
        raise OAIError("idDoesNotExist", t("oai.error.no_identifier", identifier=args["identifier"]))
    return [b"<GetRecord>", _record(cat, entry, prefix, records), b"</GetRecord>"]


def list_identifiers(cat: Catalogue, args: Mapping[str, str]) -> list[bytes]:
    return _list(cat, "ListIdentifiers", args)


def list_records(cat: Catalogue, args: Mapping[str, str]) -> list[bytes]:
    return _list(cat, "ListRecords", args)


HANDLERS: dict[str, Callable[[Catalogue, Mapping[str, str]], list[bytes]]] = {
    "ListMetadataFormats": list_metadata_formats, "ListSets": list_sets,
    "GetRecord": get_record, "ListIdentifiers": list_identifiers, "ListRecords": list_records,
}


def _prefix(value: str) -> str:
    if value not in FORMATS:
        raise OAIError("cannotDisseminateFormat", t("oai.error.unknown_prefix", prefix=value,
                                                    known=", ".join(FORMATS)))
    return value


def _entry(cat: Catalogue, identifier: str) -> Entry:
    key = cat.key_of(identifier)
    entry = cat.by_key.get(key) if key is not None else None
    if entry is None:
        raise OAIError("idDoesNotExist", t("oai.error.no_identifier", identifier=identifier))
    return entry


def _range(args: Mapping[str, str]) -> tuple[int, int]:
    start, end = 0, 2**62
    found = []
    if "from" in args:
        parsed = parse_datestamp(args["from"])
        if parsed is None:
            raise OAIError("badArgument", t("oai.error.bad_date", name="from"), echo=False)
        start = parsed[0]
        found.append(parsed[1])
    if "until" in args:
        parsed = parse_datestamp(args["until"], end_of_day=True)
        if parsed is None:
            raise OAIError("badArgument", t("oai.error.bad_date", name="until"), echo=False)
        end = parsed[0]
        found.append(parsed[1])
    if len(found) == 2 and found[0] != found[1]:
        raise OAIError("badArgument", t("oai.error.mixed_granularity"), echo=False)
    if start > end:
        raise OAIError("badArgument", t("oai.error.from_after_until"), echo=False)
    return start, end


def _list(cat: Catalogue, verb: str, args: Mapping[str, str]) -> list[bytes]:
    if "resumptionToken" in args:
        prefix, set_spec, start, end, offset = read_token(cat, verb, args["resumptionToken"])
    else:
        start, end = _range(args)
        prefix = _prefix(args["metadataPrefix"])
        set_spec = args.get("set", "")
        offset = 0
    selection = cat.select(prefix, set_spec, start, end)
    if not selection:
        raise OAIError("noRecordsMatch", t("oai.error.no_records"))
    if offset >= len(selection):
        raise OAIError("badResumptionToken", t("oai.error.bad_token"))
    page = selection[offset:offset + cat.page_size]
    out = [f"<{verb}>".encode()]
    if verb == "ListIdentifiers":
        out.extend(_header(cat, entry) for entry in page)
    else:
        records = cat.fetch([e for e in page if not e.deleted])
        out.extend(_record(cat, entry, prefix, records) for entry in page if entry.deleted or entry.key in records)
    nxt = offset + len(page)
    if offset or nxt < len(selection):
        token = make_token(cat, verb, prefix, set_spec, start, end, nxt) if nxt < len(selection) else ""
        out.append(f'<resumptionToken completeListSize="{len(selection)}" cursor="{offset}">{token}'
                   "</resumptionToken>".encode())
    out.append(f"</{verb}>".encode())
    return out


def _header(cat: Catalogue, entry: Entry) -> bytes:
    status = ' status="deleted"' if entry.deleted else ""
    sets = "".join(f"<setSpec>{esc(s)}</setSpec>" for s in entry.sets)
    return (f"<header{status}><identifier>{esc(cat.identifier(entry.key))}</identifier>"
            f"<datestamp>{datestamp(entry.stamp)}</datestamp>{sets}</header>").encode()


def _record(cat: Catalogue, entry: Entry, prefix: str, records: Mapping[str, dict[str, Any]]) -> bytes:
    if entry.deleted:
        return b"<record>" + _header(cat, entry) + b"</record>"
    return b"".join([b"<record>", _header(cat, entry), b"<metadata>", render(prefix, records[entry.key]),
                     b"</metadata></record>"])
