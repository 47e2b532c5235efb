"""Every enumeration of the data model, read from the JSON Schemas in ``schema/``.

The schemas are the single source of truth: a status, type or level added there is known
here, in the same order, without a second list to keep in step. Each enum is a tuple in the
schema's order (which is also the order a person reads them in: an exchange's statuses in
the order it moves through them). Reading them costs four small JSON files, already cached
by ``libsync.schemas.load_schema`` for validation; no jsonschema import.

Below the enums are the groupings the code needs (which statuses mean a copy is gone, which
exchanges are still under way …), each defined once with the reason, and checked against
the enums at import so a renamed value cannot leave a grouping silently empty.
"""

from __future__ import annotations

import re

from libsync.schemas import load_schema


def _enum(kind: str, *path: str) -> tuple[str, ...]:
    node = load_schema(kind)
    for step in path:
        node = node[step]
    return tuple(node["enum"])


def _subset(enum: tuple[str, ...], *names: str) -> tuple[str, ...]:
    unknown = [n for n in names if n not in enum]
    if unknown:
        raise RuntimeError(f"schema/ no longer has {unknown} (one of {enum}): update libsync/model/enums.py")
    return tuple(names)


# --- the enums, as in schema/ -------------------------------------------------------------

# record.schema.json
RECORD_TYPES = _enum("record", "properties", "type")
SHARE_LEVELS = _enum("record", "properties", "share")        # internal, network, public
ACCESS_LEVELS = _enum("record", "properties", "access")      # catalog, read, download (Decree 93/2020 Art. 26)
ITEM_STATUSES = _enum("record", "$defs", "item", "properties", "status")
INTAKE_SOURCES = _enum("record", "$defs", "item", "properties", "intake", "properties", "source")   # mua, tang …

# exchange.schema.json
EXCHANGE_STATUSES = _enum("exchange", "properties", "status")
COPY_OUTCOMES = _enum("exchange", "properties", "copies", "items", "properties", "outcome")
EXCHANGE_KINDS = _enum("exchange", "properties", "kind")       # rotation (the default), donation

# the handover checks a manifest records, in the order they happen (dispatched, received,
# returned): the exchange's properties that are a "check"
EXCHANGE_CHECKS = tuple(name for name, spec in load_schema("exchange")["properties"].items()
                        if spec.get("$ref") == "#/$defs/check")

# inventory.schema.json
SCAN_FORMATS = _enum("inventory", "properties", "source", "properties", "format")

# withdrawal.schema.json
WITHDRAWAL_RULES = _enum("withdrawal", "properties", "rule")
WITHDRAWAL_STATUSES = _enum("withdrawal", "properties", "status")   # proposed, applied

# network.schema.json
LIBRARY_LEVELS = _enum("network", "properties", "libraries", "items", "properties", "level")
GROUP_MODES = _enum("network", "properties", "groups", "items", "properties", "mode")
SCHOOL_DAYS = _enum("network", "properties", "calendar", "properties", "school_days", "items")

# --- groupings --------------------------------------------------------------------------

# A record without ``share`` stays in its library; without ``access`` it may only be found.
SHARE_DEFAULT = _subset(SHARE_LEVELS, "internal")[0]
ACCESS_DEFAULT = _subset(ACCESS_LEVELS, "catalog")[0]
# The share levels that leave the library (and so must meet Decree 93/2020 Art. 28); as
# audiences (``--audience``) they are named by these words, the widest first (public, then
# network); any other audience is a library code.
SHARED_LEVELS = tuple(s for s in SHARE_LEVELS if s != SHARE_DEFAULT)
NAMED_AUDIENCES = _subset(SHARED_LEVELS, "public", "network")

# Record types whose publisher may stand in for authors (Art. 28): a newspaper or a picture
# set has an editorial office, not authors.
AUTHORLESS_TYPES = _subset(RECORD_TYPES, "periodical", "picture")

# Copies: on the owner's shelf (a damaged copy is still on it), and the rest: away from the
# shelf for a known reason. Lost and withdrawn copies are gone for good (not counted as
# holdings); at-partner and in-transit ones are away in a rotation.
SHELF_STATUSES = _subset(ITEM_STATUSES, "available", "damaged")
OFF_SHELF_STATUSES = tuple(s for s in ITEM_STATUSES if s not in SHELF_STATUSES)
GONE_STATUSES = _subset(ITEM_STATUSES, "lost", "withdrawn")
ROTATING_STATUSES = _subset(ITEM_STATUSES, "at-partner", "in-transit")
# The statuses a librarian sets by hand (``libsync copy set``); on-loan, at-partner and
# in-transit belong to the loan desk and the exchange lifecycle. Those that take a copy off the
# shelf need the document that records them (biên bản): a write-off is never anonymous.
HAND_SET_STATUSES = _subset(ITEM_STATUSES, "available", "lost", "damaged", "withdrawn")
DOCUMENTED_STATUSES = _subset(ITEM_STATUSES, "lost", "damaged", "withdrawn")

# School books (sách giáo khoa and the books that go with them): the textbook register, the
# report's grade-and-subject table and the rule replaced-textbooks take these.
SCHOOL_BOOK_TYPES = _subset(RECORD_TYPES, "textbook", "workbook", "teacher-book")

# Exchanges: the steps in order (cancelled is a way out, not a step); the ones under way
# while copies are at the partner; the finished ones; the ones that still bind copies.
EXCHANGE_STEPS = tuple(s for s in EXCHANGE_STATUSES if s != "cancelled")
EXCHANGE_OUT = _subset(EXCHANGE_STATUSES, "dispatched", "received")          # copies at the partner
EXCHANGE_FINISHED = _subset(EXCHANGE_STATUSES, "closed", "cancelled")
EXCHANGE_OPEN = tuple(s for s in EXCHANGE_STATUSES if s not in EXCHANGE_FINISHED)   # proposed … returned
# Until returned, an exchange's copies are promised or away (a returned one awaits closing).
EXCHANGE_PENDING = tuple(s for s in EXCHANGE_OPEN if s != "returned")       # proposed … received

# An exchange whose copies have travelled (handed over, and maybe back and closed).
EXCHANGE_MOVED = tuple(s for s in EXCHANGE_STEPS if EXCHANGE_STEPS.index(s) >= EXCHANGE_STEPS.index("dispatched"))

# Copy outcomes: a copy with one of these is settled (back home, or written off as lost);
# the missing ones were not found at a handover and still need an answer.
CLOSED_OUTCOMES = _subset(COPY_OUTCOMES, "returned", "lost")
MISSING_OUTCOMES = _subset(COPY_OUTCOMES, "missing-on-receipt", "missing-on-return")
# The copy did not come back from the exchange (lost, or not found at a handover).
NOT_BACK_OUTCOMES = _subset(COPY_OUTCOMES, "lost", *MISSING_OUTCOMES)


# --- patterns, as in schema/ -----------------------------------------------------------------

# A record or batch id: also a file name on every checkout (no Windows device name, no "..").
SAFE_ID = re.compile(load_schema("record")["$defs"]["safe_id"]["pattern"])
