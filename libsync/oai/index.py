"""The provider's catalogue of one repository state for one audience, built once and kept in memory.

``build(root, audience, …)`` reads every record file through the store (``Store.records`` policy:
a file ``libsync validate`` refuses on its own is left out and named in ``skipped``), keeps of each
record only what lists need (key, datestamp, sets, whether XML can carry it) and hands the
protocol a ``fetch`` that reads a page's records again through the store's cache (by the blob
ids listed at build time, so a page always shows the state its token was made for). Memory stays
small at 30,000 records; nothing is rebuilt per request.

Who sees what is ``libsync.audience`` (``can_see``, ``redact``), as for merge, search and the site.
A record the audience may not see is not in the catalogue; it appears as a *deleted* header only
when a committed version of it was visible to the audience (it was served, so harvesters must
hear it went): a record file removed from the repository, or one whose ``share`` was lowered. A
record that was never visible is never named, not even by its identifier.

Datestamps (``libsync.oai.history``): the time of the commit that last changed the file on
HEAD's first-parent line; a file changed but not committed yet, or not tracked, takes its
modification time (never earlier than its last commit); a file deleted but not committed, the
time of this build. Outside Git every datestamp is the file's modification time and removals
cannot be known (``deletedRecord`` is ``no``).

``repository_state(root)`` is what a catalogue and its resumption tokens are valid for: HEAD and
the store's key of the listing (Git's index and what differs from it).

Must never: write anything into the repository, hold every document in memory, or run Git once
per record.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libsync import audience as aud
from libsync.i18n import t
from libsync.model.enums import RECORD_TYPES
from libsync.network import Network
from libsync.oai import history
from libsync.oai.protocol import TYPE_SET, Catalogue, Entry
from libsync.problems import Problem
from libsync.repository import Repository
from libsync.store.listing import list_files, quick_key
from libsync.store.read import Store
from libsync.text import xmlchars

FALLBACK_EMAIL_DOMAIN = "invalid"   # RFC 2606: a name that is never an address


@dataclass
class Built:
    """A catalogue and what building it found."""

    catalogue: Catalogue
    skipped: list[Problem] = field(default_factory=list)
    records: int = 0          # records served
    deleted: int = 0          # deleted headers
    seconds: float = 0.0


def repository_state(root: Path, head: str | None = None) -> str:
    """Changes whenever a commit is made or a data file changes, appears or goes."""
    root = Path(root)
    if head is None:
        head = history.head(root)
    key = quick_key(root) if head is not None else None
    if key is None:      # outside Git: the listing of the folders (stat-cached file ids)
        listing = list_files(root)
        key = listing.digest()
    return f"{head or '-'}/{key}"


def admin_emails(network: Network, given: Sequence[str] = ()) -> tuple[list[str], bool]:
    """The addresses Identify gives and whether they are real: those given (``--admin-email``),
    else the lead library's ``email``, else every library's; else a ``.invalid`` stand-in."""
    if given:
        return list(given), True
    lead = network.libraries.get(network.lead, {})
    found = [str(lead["email"])] if lead.get("email") else []
    if not found:
        found = [str(lib["email"]) for lib in network.libraries.values() if lib.get("email")]
    found = [e.strip() for e in found if "@" in e and " " not in e.strip()]
    if found:
        return list(dict.fromkeys(found)), True
    return [f"libsync@{network.id or 'network'}.{FALLBACK_EMAIL_DOMAIN}"], False


def sets_of(library: str, kind: str) -> tuple[str, ...]:
    """The setSpecs of a record of ``library`` and type ``kind`` (docs/oai.md)."""
    if not kind:
        return (library,)
    return (library, f"{TYPE_SET}:{kind}", f"{library}:{kind}")


def _set_list(network: Network, entries: list[Entry]) -> list[tuple[str, str]]:
    libraries = list(network.libraries)
    used: set[str] = {s for e in entries for s in e.sets}
    libraries += sorted({s for s in used if ":" not in s} - set(libraries))
    order = {k: i for i, k in enumerate(RECORD_TYPES)}
    kinds = sorted({s.split(":", 1)[1] for s in used if s.startswith(TYPE_SET + ":")},
                   key=lambda k: (order.get(k, len(order)), k))

    def type_name(kind: str) -> str:
        name = t(f"site.type.{kind}")
        return kind if name.startswith("site.type.") else name

    out = [(code, network.library_name(code)) for code in libraries]
    if kinds:
        out.append((TYPE_SET, t("oai.set.types")))
        out += [(f"{TYPE_SET}:{k}", type_name(k)) for k in kinds]
    out += [(f"{code}:{k}", f"{network.library_name(code)} — {type_name(k)}")
            for code in libraries for k in kinds if f"{code}:{k}" in used]
    return out


def build(root: Path, audience: str, *, page_size: int = 100, emails: Sequence[str] = (),
          use_cache: bool = True, state: str | None = None) -> Built:
    """The catalogue of the repository at ``root`` as ``audience`` sees it now."""
    started = time.perf_counter()
    root = Path(root).resolve()
    head = history.head(root)
    state = state or repository_state(root, head)      # first: a change during the build makes it stale
    repo = Repository(root)
    network = repo.network
    store = Store(root, use_cache)
    files = store.files(("record",))
    ids = store.listing.ids
    hist = history.load(root, use_cache) if head is not None else None
    now = int(time.time())

    def stamp_of(rel: str) -> int:
        past = hist.paths.get(rel) if hist is not None else None
        if past is not None and not past.removed and past.blobs and past.blobs[0] == ids.get(rel):
            return past.time
        try:
            mtime = int(os.lstat(root / rel).st_mtime)
        except OSError:
            mtime = now
        return max(mtime, past.time if past is not None else 0)

    entries: list[Entry] = []
    where: dict[str, str] = {}               # key -> relpath of what is served
    hidden: dict[str, tuple[int, str]] = {}  # relpath -> (datestamp, type) of records the audience may not see
    skipped: list[Problem] = []
    for rel, doc in store.iter_documents(files, strict=False, skipped=skipped):
        _, library, name = rel.split("/")
        key = f"{library}/{name.rsplit('.', 1)[0]}"
        kind = str(doc.get("type") or "")
        if key in where:
            continue
        if aud.can_see(doc, audience):
            shown = aud.redact(doc, audience)
            entries.append(Entry(key, stamp_of(rel), sets_of(library, kind), False, xmlchars.find(shown) is None))
            where[key] = rel
        else:
            hidden[rel] = (stamp_of(rel), kind)
    served = len(entries)

    deleted = 0
    if hist is not None:
        present = set(files)
        candidates: dict[str, tuple[int, str]] = dict(hidden)
        for rel, past in hist.paths.items():
            if rel not in present and past.blobs:
                candidates[rel] = (past.time if past.removed else max(now, past.time), "")
        blobs = {rel: hist.paths[rel].blobs for rel in candidates if rel in hist.paths}
        facts = history.blob_facts(root, [b for bs in blobs.values() for b in bs], use_cache)
        for rel, (stamp, kind) in sorted(candidates.items()):
            _, library, name = rel.split("/")
            key = f"{library}/{name.rsplit('.', 1)[0]}"
            if key in where:
                continue
            seen = [f for f in (facts.get(b) for b in blobs.get(rel, [])) if f is not None]
            if not any(aud.can_see({"library": f[0], "share": f[1]}, audience) for f in seen):
                continue          # never visible to this audience: never named
            kind = kind or seen[0][2]
            entries.append(Entry(key, stamp, sets_of(library, kind), True))
            where[key] = ""
            deleted += 1

    lock = threading.Lock()

    def fetch(page: Sequence[Entry]) -> Mapping[str, dict[str, Any]]:
        rels = {where[e.key]: e.key for e in page if where.get(e.key)}
        with lock:      # one SQLite connection, shared by the server's threads
            docs = list(store.iter_documents(list(rels), strict=False))
        # the file may have changed since the catalogue was built (an uncommitted edit is seen
        # within a second): a record this audience may no longer see is never served
        return {rels[rel]: aud.redact(doc, audience) for rel, doc in docs if aud.can_see(doc, audience)}

    emails_used, _ = admin_emails(network, emails)
    earliest = min((e.stamp for e in entries), default=0) or (hist.first if hist is not None and hist.first else now)
    catalogue = Catalogue(
        repository_id=network.id or "libsync", name=network.name or network.id or "libsync",
        admin_emails=emails_used, state=state, entries=entries, sets=_set_list(network, entries),
        fetch=fetch, deleted_record="persistent" if hist is not None else "no", page_size=page_size,
        earliest=earliest,
    )
    return Built(catalogue, skipped, served, deleted, time.perf_counter() - started)
