"""``libsync harvest``: another library system's catalogue into one library's records, over OAI-PMH.

A *source* is a data provider's base URL (Koha, DSpace, VuFind, another libsync network's
``oai serve``), or an OAI Static Repository file or URL, harvested into one library. It is named
on the command line, or declared in network.yaml (``sources:``: name, url, library, prefix, set,
schedule). One harvest of one source, in three steps:

1. ``fetch`` — ask the provider what it offers (Identify, ListMetadataFormats), choose the
   metadata format (``--prefix``, the source's, else the best offered: MARC before Dublin Core),
   then ListRecords from where the last successful harvest stopped (the source's state file,
   ``harvest/<source>.yaml``; ``--full`` ignores it), every page to the end
   (``libsync.interchange.harvest_client``). MARCXML is read by the MARC reader of ``import marc``
   (``libsync.interchange.marc``), Dublin Core by ``harvest_dc``. Nothing is written, nothing is
   locked: a provider that fails half-way leaves the repository as it was.
2. ``plan`` — the records go through ``importer.plan_import``, exactly as an imported file's do
   (matching — first by the OAI identifier the record was harvested under —, the sharing policy
   of network.yaml, in-memory validation, the counts and reasons). A record the provider reports
   **deleted** is never deleted here: its copies become ``withdrawn`` (``status_date`` the day of
   the deletion, ``status_ref`` naming the source and the datestamp); copies away in a rotation
   are left as they are and named.
3. ``write`` — records, withdrawals and the source's new state in ONE all-or-nothing write
   (``libsync.store.write.apply``), so the stored datestamp moves only with the records it
   stands for. It does not move when the provider had nothing new, nor when a record was
   rejected (the next run asks for the same range again, so a record rejected today comes back).

Must never: delete a record or a copy, write outside that one write, move the datestamp of a
harvest that failed, or speak the protocol itself (Sickle does, through ``harvest_client``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.interchange import harvest_client, importer
from libsync.interchange.harvest_client import MARC_NS, OAI_DC_NS, Described, Item, Settings
from libsync.interchange.model import Incoming, Message, ReadResult
from libsync.model.enums import ROTATING_STATUSES
from libsync.repository import Repository
from libsync.store import write as store_write

STATE_DIR = "harvest"
PREFIXES = ("marc21", "marcxml", "oai_dc")   # the usual ones; any prefix the provider lists is accepted
MARC_PREFIXES = ("marc21", "marcxml", "marc", "usmarc")
BATCH = 250                                   # MARC records read by the MARC reader at a time
DAY = "YYYY-MM-DD"
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}Z)?$")
_MARC = f"{{{MARC_NS}}}"


# --- sources -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    name: str
    url: str
    library: str
    prefix: str | None = None
    set: str | None = None
    schedule: str | None = None
    declared: bool = False

    @property
    def state_path(self) -> str:
        return f"{STATE_DIR}/{self.name}.yaml"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "library": self.library, "prefix": self.prefix,
                "set": self.set, "schedule": self.schedule, "declared": self.declared}


def declared(repo: Repository) -> list[Source]:
    """The sources network.yaml declares, in its order."""
    return [Source(s["name"], s["url"], s["library"], s.get("prefix"), s.get("set"), s.get("schedule"), True)
            for s in repo.network.data.get("sources") or []]


def name_for(location: str, library: str = "", set_spec: str | None = None) -> str:
    """A state file name for a source named by its URL or file: host, path, library and set, made a
    safe id ("thcs-xs.edu.vn/cgi-bin/koha/oai.pl" into XS → "thcs-xs.edu.vn-cgi-bin-koha-oai.pl-XS"):
    one provider harvested into two libraries, or set by set, keeps one state for each."""
    parts = urlsplit(location)
    text = f"{parts.netloc}{parts.path}" if parts.netloc else location.replace("\\", "/").rsplit("/", 1)[-1]
    text = "-".join(p for p in (text, library, set_spec or "") if p)
    text = re.sub(r"[^A-Za-z0-9.-]+", "-", text)
    text = re.sub(r"\.{2,}", ".", text).strip(".-")[:80].strip(".-")
    return text or "oai"


def resolve(repo: Repository, source: str | None, library: str | None, set_spec: str | None = None) -> list[Source]:
    """The sources one run harvests: the one named (a declared name, a URL or a static file),
    else every declared one (of ``library``, when given)."""
    network = repo.network
    if library is not None:
        network.library(library)   # an unknown code: the known ones, exit 2
    known = declared(repo)
    if source is None:
        chosen = [s for s in known if library is None or s.library == library]
        if not chosen:
            raise LibsyncError("harvest.no_sources", library=f" ({library})" if library else "")
        return chosen
    by_name = {s.name: s for s in known}
    if source in by_name:
        found = by_name[source]
        if library is not None and library != found.library:
            raise LibsyncError("harvest.library_mismatch", source=source, library=library, declared=found.library)
        return [found]
    if not harvest_client.is_url(source) and not _is_file(source):
        raise LibsyncError("harvest.unknown_source", source=source,
                           names=", ".join(by_name) or t("harvest.none_declared"))
    if library is None:
        raise LibsyncError("harvest.library_needed", source=source)
    same = next((s for s in known if s.url == source and s.library == library and s.set == set_spec), None)
    return [same or Source(name_for(source, library, set_spec), source, library, set=set_spec)]


def _is_file(location: str) -> bool:
    import os

    return os.path.isfile(location)


# --- options and results -----------------------------------------------------------------------

@dataclass
class Options:
    library: str | None = None
    prefix: str | None = None
    set: str | None = None
    from_: str | None = None
    until: str | None = None
    full: bool = False
    on_match: str = "update"
    settings: Settings = field(default_factory=Settings)
    today: str = field(default_factory=lambda: dt.date.today().isoformat())
    by: str | None = None


@dataclass
class Withdrawal:
    """A record the provider reported deleted, and what became of its copies here."""

    identifier: str
    datestamp: str
    record_id: str | None = None
    relpath: str | None = None
    title: str | None = None
    withdrawn: list[str] = field(default_factory=list)    # barcodes withdrawn now
    already: list[str] = field(default_factory=list)      # withdrawn before
    away: list[str] = field(default_factory=list)         # in a rotation: left as they are

    def to_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "datestamp": self.datestamp, "id": self.record_id,
                "file": self.relpath, "title": self.title, "withdrawn": self.withdrawn,
                "already_withdrawn": self.already, "away": self.away}


@dataclass
class Fetched:
    """What one source's provider gave: records read, deletions, and how the conversation went."""

    items: list[Incoming]
    deletions: list[tuple[str, str]]         # (identifier, datestamp)
    described: Described
    prefix: str
    kind: str                                 # marc | dc
    sent_from: str | None
    sent_until: str | None
    incremental: bool                         # the from came from the state file
    response_date: str | None
    pages: int                                # ListRecords pages
    requests: int                             # every request (Identify, ListMetadataFormats …)
    waited: list[float]
    previous: dict[str, Any] | None
    previous_oid: str
    notes: list[Message]
    latest: str = ""                          # the latest record datestamp seen
    set_spec: str | None = None               # the set asked for

    @property
    def received(self) -> int:
        return len(self.items) + len(self.deletions)


@dataclass
class Harvest:
    """One source harvested (planned; ``written``/``sha`` once written)."""

    source: Source
    fetched: Fetched
    plan: importer.Plan
    withdrawals: list[Withdrawal]
    state: dict[str, Any] | None               # the state to write; None: the datestamp stays
    writes: dict[str, dict[str, Any]]          # every record file to write (plan + withdrawals)
    written: int | None = None
    sha: str | None = None

    @property
    def unknown_deletions(self) -> list[Withdrawal]:
        return [w for w in self.withdrawals if w.record_id is None]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict(self.plan.counts)
        counts["withdrawn"] = sum(1 for w in self.withdrawals if w.withdrawn)
        return counts

    def summary(self) -> str:
        c = self.counts
        copies = sum(len(w.withdrawn) for w in self.withdrawals)
        return t("harvest.summary", source=self.source.name, library=self.source.library,
                 received=self.fetched.received, created=c["created"], updated=c["updated"] + c["merged"],
                 unchanged=c["unchanged"], skipped=c["skipped"], rejected=c["rejected"],
                 deleted=len(self.fetched.deletions), withdrawn=c["withdrawn"], copies=copies)

    def to_dict(self) -> dict[str, Any]:
        data = self.plan.to_dict()
        f = self.fetched
        data.update({
            "source": self.source.to_dict(), "kind": f"oai-{f.kind}", "counts": self.counts,
            "provider": {"name": f.described.name, "granularity": f.described.granularity,
                         "deleted_record": f.described.deleted_record, "static": f.described.static},
            "prefix": f.prefix, "set": f.set_spec, "from": f.sent_from, "until": f.sent_until,
            "incremental": f.incremental, "received": f.received, "deleted": len(f.deletions),
            "pages": f.pages, "requests": f.requests, "waited_seconds": f.waited,
            "withdrawn": [w.to_dict() for w in self.withdrawals if w.record_id is not None],
            "deleted_not_here": [w.identifier for w in self.unknown_deletions],
            "harvest_notes": [t(k, **p) for k, p in f.notes],
            "state_file": self.source.state_path, "state": self.state, "state_moved": self.state is not None,
            "written": self.written or 0, "commit": self.sha,
        })
        return data


# --- step 1: fetch -----------------------------------------------------------------------------

def read_state(repo: Repository, source: Source) -> tuple[dict[str, Any] | None, str]:
    """The source's state file as validate reads it (None when there is none) and its Git blob
    id ("" for none): the write refuses if another run changed it in the meantime."""
    from libsync.store.read import Store
    from libsync.validation import gate

    if not (repo.root / source.state_path).is_file():
        return None, ""
    exam = Store.of(repo).examine(source.state_path)
    if not exam.usable or not isinstance(exam.data, dict):
        raise gate.refusal(source.state_path, exam.refusal())
    return exam.data, exam.oid


def check_stamp(value: str | None, option: str) -> str | None:
    """A ``--from``/``--until`` as OAI-PMH sends it: a day (typed ``19/01/2027`` too, see
    ``libsync.dates``) or a UTC time ``YYYY-MM-DDThh:mm:ssZ``."""
    if value is None:
        return None
    value = value.strip()
    from libsync.dates import typed_date

    day = typed_date(value) if "/" in value or "." in value else None
    if day is not None:
        return day.isoformat()
    if not _STAMP.match(value) or _parse(value) is None:
        raise LibsyncError("harvest.bad_date", option=option, value=value)
    return value


def _parse(value: str) -> dt.datetime | None:
    try:
        if len(value) == 10:
            return dt.datetime.fromisoformat(value)
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def in_granularity(value: str | None, granularity: str) -> str | None:
    """``value`` as the provider takes it: a day for a day-granular provider (every provider takes
    days; one that takes seconds gets seconds as they are)."""
    if value is None:
        return None
    if granularity == DAY or "T" not in granularity:
        return value[:10]
    return value


def _same_granularity(from_: str | None, until: str | None) -> tuple[str | None, str | None]:
    """OAI-PMH refuses a from and an until of different granularities: make both seconds."""
    if from_ and until and (len(from_) == 10) != (len(until) == 10):
        if len(from_) == 10:
            from_ += "T00:00:00Z"
        else:
            until = f"{until}T23:59:59Z"
    return from_, until


def choose_format(described: Described, wanted: str | None) -> tuple[str, str]:
    """(metadataPrefix, kind ``marc``|``dc``): ``wanted`` if given, else the best the provider
    lists — a MARCXML format (marc21, marcxml, …) before Dublin Core."""
    offered = dict(described.formats)
    if wanted:
        namespace = offered.get(wanted)
        if offered and namespace is None:
            raise LibsyncError("harvest.prefix_not_offered", exit_code=harvest_client.EXIT, prefix=wanted,
                               offered=", ".join(offered))
        if namespace == MARC_NS or (namespace is None and wanted.lower() in MARC_PREFIXES):
            return wanted, "marc"
        if namespace == OAI_DC_NS or (namespace is None and wanted == "oai_dc"):
            return wanted, "dc"
        raise LibsyncError("harvest.format_unknown", exit_code=harvest_client.EXIT, prefix=wanted,
                           namespace=namespace or "?")
    marc = [p for p, ns in described.formats if ns == MARC_NS]
    if marc:
        marc.sort(key=lambda p: (MARC_PREFIXES.index(p.lower()) if p.lower() in MARC_PREFIXES else 99, p))
        return marc[0], "marc"
    dc = [p for p, ns in described.formats if ns == OAI_DC_NS]
    if dc or not described.formats:   # every OAI-PMH provider must offer oai_dc
        return (dc[0] if dc else "oai_dc"), "dc"
    raise LibsyncError("harvest.no_usable_format", exit_code=harvest_client.EXIT,
                       offered=", ".join(p for p, _ in described.formats))


def fetch(repo: Repository, source: Source, options: Options) -> Fetched:
    """Step 1: every record the source has for this harvest, read and mapped (nothing written)."""
    previous, previous_oid = read_state(repo, source)
    provider, described = harvest_client.open_source(source.url, options.settings)
    try:
        prefix, kind = choose_format(described, options.prefix or source.prefix)
    except LibsyncError:
        provider.close()
        raise
    set_spec = options.set or source.set
    notes: list[Message] = []
    from_ = check_stamp(options.from_, "--from")
    until = check_stamp(options.until, "--until")
    incremental = False
    if from_ is None and not options.full and previous is not None:
        same = (previous.get("url") == source.url and previous.get("prefix") == prefix
                and previous.get("set") == set_spec and previous.get("library") == source.library)
        if same:
            from_, incremental = previous.get("datestamp"), True
        else:
            notes.append(("harvest.note.state_other", {"file": source.state_path}))
    from_ = in_granularity(from_, described.granularity)
    until = in_granularity(until, described.granularity)
    from_, until = _same_granularity(from_, until)
    if described.deleted_record == "no" and not described.static:
        notes.append(("harvest.note.no_deletions", {}))

    items: list[Incoming] = []
    deletions: list[tuple[str, str]] = []
    batch: list[Item] = []
    latest = ""
    try:
        for item in provider.records(prefix, set_spec, from_, until):
            latest = max(latest, item.datestamp)
            if item.deleted:
                deletions.append((item.identifier, item.datestamp))
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                items.extend(_read(batch, kind, source, len(items)))
                batch = []
    finally:
        provider.close()
    if batch:
        items.extend(_read(batch, kind, source, len(items)))
    waited = provider.waited
    if waited:
        notes.append(("harvest.note.waited", {"n": len(waited), "seconds": round(sum(waited))}))
    return Fetched(items, deletions, described, prefix, kind, from_, until, incremental,
                   provider.response_date, provider.pages, provider.requests, waited, previous, previous_oid, notes,
                   latest, set_spec)


def _where(position: int, item: Item) -> Message:
    return ("harvest.where", {"n": position, "identifier": item.identifier, "page": item.page})


# a libsync provider's identifier, oai:<network id>:<LIB>/<record id> (docs/oai.md): the record
# keeps its id here too when it is free, so a district's copy of a school's record is recognisable
_LIBSYNC_ID = re.compile(r"^oai:[^:\s]+:[A-Z][A-Z0-9]{1,15}/([A-Za-z0-9][A-Za-z0-9._-]{0,79})$")


def _provenance(record: dict[str, Any], item: Item) -> None:
    found = _LIBSYNC_ID.match(item.identifier)
    if found and "id" not in record:
        record["id"] = found.group(1)
    prov = record.setdefault("provenance", {})
    prov["source"] = "oai"
    ids = [s for s in prov.get("system_ids") or [] if not s.startswith(importer.OAI_ID)]
    prov["system_ids"] = ids + [importer.OAI_ID + item.identifier]


def _read(batch: list[Item], kind: str, source: Source, done: int) -> list[Incoming]:
    """The batch's records as the importer takes them, in order (one ``Incoming`` per record)."""
    out: list[Incoming] = []
    if kind == "dc":
        from libsync.interchange.harvest_dc import dc_to_record

        for n, item in enumerate(batch, done + 1):
            incoming = Incoming(n, _where(n, item))
            if item.metadata is None or item.metadata.tag != f"{{{OAI_DC_NS}}}dc":
                incoming.error = ("harvest.not_dc", {"identifier": item.identifier})
            else:
                record, incoming.warnings = dc_to_record(item.metadata)
                _provenance(record, item)
                incoming.record = record
            out.append(incoming)
        return out
    from libsync.interchange import marc

    elements: list[etree._Element | None] = []
    for item in batch:
        element = item.metadata
        if element is not None and element.tag == _MARC + "collection":   # a provider wrapping its record
            element = element.find(_MARC + "record")
        elements.append(element if element is not None and element.tag == _MARC + "record" else None)
    good = [e for e in elements if e is not None]
    read: list[Incoming] = []
    if good:
        data = (b'<collection xmlns="http://www.loc.gov/MARC21/slim">'
                + b"".join(etree.tostring(e) for e in good) + b"</collection>")
        read = list(marc.read_marcxml(data, source.name).items)
    if len(read) != len(good):   # the reader skipped one: read them one by one to keep the order
        read = [marc.read_marcxml(etree.tostring(e), source.name).items[0] for e in good]
    found = iter(read)
    for n, (item, element) in enumerate(zip(batch, elements), done + 1):
        if element is None:
            out.append(Incoming(n, _where(n, item), error=("harvest.not_marc", {"identifier": item.identifier})))
            continue
        incoming = next(found)
        incoming.position, incoming.where = n, _where(n, item)
        if incoming.record is not None:
            _provenance(incoming.record, item)
        out.append(incoming)
    return out


# --- step 2: plan ------------------------------------------------------------------------------

def plan(repo: Repository, source: Source, fetched: Fetched, options: Options) -> Harvest:
    """Step 2: what the harvest would write (records, withdrawals, the new state), validated."""
    read = ReadResult(path=source.name, kind=f"oai-{fetched.kind}", items=fetched.items,
                      encodings={"utf-8": len(fetched.items)} if fetched.items else {})
    opts = importer.Options(library=source.library, on_match=options.on_match, today=options.today, by=options.by)
    if fetched.received:
        the_plan = importer.plan_import(repo, read, opts)
    else:   # nothing new: the library's records need not be read
        repo.network.library(source.library)
        the_plan = importer.Plan(library=source.library, source=source.name, kind=read.kind, encodings={},
                                 outcomes=[], writes={}, notes=[])
    writes: dict[str, dict[str, Any]] = dict(the_plan.writes)
    withdrawals = _withdraw(repo, source, fetched.deletions, writes, options.today)
    state = _new_state(source, fetched, the_plan, options)
    return Harvest(source, fetched, the_plan, withdrawals, state, writes)


def _withdraw(repo: Repository, source: Source, deletions: list[tuple[str, str]],
              writes: dict[str, dict[str, Any]], today: str) -> list[Withdrawal]:
    """Copies of the records the provider reported deleted become ``withdrawn`` (in ``writes``)."""
    if not deletions:
        return []
    by_oai: dict[str, str] = {}
    current: dict[str, dict[str, Any]] = {}
    for relpath, data in importer.library_records(repo, source.library):
        current[relpath] = data
    current.update(writes)   # what this harvest is about to write wins
    for relpath, data in current.items():
        for system_id in importer.oai_ids(data):
            by_oai.setdefault(system_id[len(importer.OAI_ID):], relpath)
    out: list[Withdrawal] = []
    for identifier, datestamp in deletions:
        gone = Withdrawal(identifier, datestamp)
        out.append(gone)
        found = by_oai.get(identifier)
        if found is None:
            continue
        relpath = found
        record = importer.copy_data(current[relpath])
        gone.record_id, gone.relpath, gone.title = record.get("id"), relpath, record.get("title")
        reference = f"harvest {source.name}: deleted {datestamp}"
        for item in record.get("items") or []:
            status = item.get("status")
            if status == "withdrawn":
                gone.already.append(item["barcode"])
            elif status in ROTATING_STATUSES:
                gone.away.append(item["barcode"])
            else:
                item["status"], item["status_date"], item["status_ref"] = "withdrawn", datestamp[:10] or today, reference
                gone.withdrawn.append(item["barcode"])
        if gone.withdrawn:
            record["updated"] = today
            errors = importer.check_record(repo, relpath, record)
            if errors:
                raise LibsyncError("harvest.withdraw_invalid", exit_code=1, file=relpath,
                                   reason="; ".join(t(k, **p) for k, p in errors))
            writes[relpath] = record
            current[relpath] = record
    return out


def _new_state(source: Source, fetched: Fetched, the_plan: importer.Plan, options: Options) -> dict[str, Any] | None:
    """The source's state after this harvest; None when the datestamp must not move: nothing was
    received, a record was rejected (the next run asks for it again), or the range had an end
    (``--until``: what came after it was not asked for)."""
    if not fetched.received or the_plan.rejected or fetched.sent_until:
        return None
    found = re.match(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2})?", fetched.response_date or fetched.latest)
    if found is None:   # a provider that dates nothing: the next run asks for everything again
        return None
    stamp = found.group(1) + (f"{found.group(2)}Z" if found.group(2) else "")
    stamp = in_granularity(stamp, fetched.described.granularity) or stamp
    state: dict[str, Any] = {"source": source.name, "url": source.url, "library": source.library,
                             "prefix": fetched.prefix}
    if fetched.set_spec:
        state["set"] = fetched.set_spec
    state.update({"datestamp": stamp, "harvested": options.today, "received": fetched.received,
                  "deleted": len(fetched.deletions)})
    return state


# --- step 3: write -----------------------------------------------------------------------------

def write(repo: Repository, harvest: Harvest, commit: bool = False) -> str | None:
    """Step 3: records, withdrawals and the new state in one all-or-nothing write."""
    relpaths = sorted(harvest.writes)
    changes: dict[str, str | None] = dict(zip(relpaths, importer.render_all(repo, [harvest.writes[p] for p in relpaths])))
    if harvest.state is not None and harvest.state != harvest.fetched.previous:   # a state already there: no write
        changes[harvest.source.state_path] = repo.render("harvest", harvest.state)
    if not changes:
        harvest.written = 0
        return None
    message = None
    if commit:
        c = harvest.counts
        message = t("harvest.commit_message", source=harvest.source.name, library=harvest.source.library,
                    created=c["created"], updated=c["updated"] + c["merged"], withdrawn=c["withdrawn"])
        message += "\n\n" + harvest.summary()
    sha = store_write.apply(repo, changes, message=message, command="harvest", checked=set(relpaths),
                            expected={harvest.source.state_path: harvest.fetched.previous_oid})
    harvest.written, harvest.sha = len(relpaths), sha
    return sha


def run(repo: Repository, source: Source, options: Options, *, dry_run: bool = False, commit: bool = False) -> Harvest:
    """Fetch (unlocked), then plan and write under the repository lock (a dry run writes nothing)."""
    from contextlib import nullcontext

    from libsync.store import lock

    fetched = fetch(repo, source, options)
    with nullcontext() if dry_run else lock.locked(repo.root, f"harvest {source.name}"):
        harvest = plan(repo, source, fetched, options)
        if not dry_run:
            write(repo, harvest, commit)
    return harvest
