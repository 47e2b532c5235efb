"""What a record needs before it may be shared, and the network's sharing policy.

Two pieces of knowledge every writer and the validator share:

* ``lacking(record, share)`` — the fields a record lacks for a share level. A record shared
  beyond its own library (``network`` or ``public``) is part of a shared catalogue, and Decree
  93/2020 Art. 28 asks a shared catalogue for a title, an author (a periodical or a picture may
  name its publisher instead), the publisher and year, subjects or keywords, and a call number.
  ``internal`` needs nothing.
* ``policy_for(network, library, type)`` — the ``share`` and ``access`` a new record of that
  library and type gets, from network.yaml's ``sharing:`` section::

      sharing:
        share: network            # the network's default
        access: catalog
        types:                    # per record type
          textbook: {share: public, access: read}
        libraries:                # per library: its own default and its own types
          HD:
            share: network
            types:
              periodical: {share: internal}

  The most specific rule wins, one key at a time: the library's rule for the type, then the
  network's rule for the type, then the library's default, then the network's default, then
  the caller's default (the schema's ``internal``, ``catalog`` unless it says otherwise).

This module reads plain data and never touches files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from libsync.model.enums import ACCESS_DEFAULT, AUTHORLESS_TYPES, SHARE_DEFAULT, SHARED_LEVELS

# the fields Art. 28 asks for, in the order they are reported; "subjects" is met by keywords too
REQUIRED_FOR_SHARING = ("title", "authors", "publisher", "year", "subjects", "call_number")


def lacking(record: Mapping[str, Any], share: object | None = None) -> list[str]:
    """The fields of ``REQUIRED_FOR_SHARING`` that ``record`` lacks to be shared at ``share``
    (default: its own level); empty when it may be."""
    level = record.get("share", SHARE_DEFAULT) if share is None else share
    if level not in SHARED_LEVELS:
        return []
    missing: list[str] = []
    if not record.get("title"):
        missing.append("title")
    if not record.get("authors") and not (record.get("type") in AUTHORLESS_TYPES and record.get("publisher")):
        missing.append("authors")
    if not record.get("publisher"):
        missing.append("publisher")
    if not record.get("year"):
        missing.append("year")
    if not record.get("subjects") and not record.get("keywords"):
        missing.append("subjects")
    if not record.get("call_number"):
        missing.append("call_number")
    return missing


def _rule(section: object, key: str) -> object | None:
    return section.get(key) if isinstance(section, Mapping) else None


def policy_for(network: Mapping[str, Any] | Any, library: str, record_type: str | None,
               default: tuple[str, str] = (SHARE_DEFAULT, ACCESS_DEFAULT)) -> tuple[str, str]:
    """``(share, access)`` for a new record of ``library`` and ``record_type`` (see the module
    docstring). ``network`` is network.yaml's data or a ``Network``; ``default`` is what applies
    when no rule says (importers pass ``network``: a register is imported to be shared)."""
    data = getattr(network, "data", network)
    policy = _rule(data, "sharing") or {}
    own = _rule(_rule(policy, "libraries"), library) or {}
    layers = [
        _rule(_rule(own, "types"), record_type or ""),
        _rule(_rule(policy, "types"), record_type or ""),
        own,
        policy,
    ]
    found: dict[str, str] = {}
    for key, fallback in zip(("share", "access"), default):
        for layer in layers:
            value = _rule(layer, key)
            if isinstance(value, str):
                found[key] = value
                break
        else:
            found[key] = fallback
    return found["share"], found["access"]


def set_initial_levels(record: dict[str, Any], network: Mapping[str, Any] | Any, library: str,
                       default: tuple[str, str] = ("network", "catalog")) -> tuple[str, list[str]]:
    """Give a record a library is creating its ``share`` and ``access`` from the policy (where it
    has none), and keep it ``internal`` when it lacks what sharing requires. Returns the share
    it was meant to have and the fields it lacks for it (empty: shared as meant). What import,
    harvest, accession and donations do for each new record."""
    share, access = policy_for(network, library, record.get("type"), default)
    record.setdefault("share", share)
    record.setdefault("access", access)
    meant = str(record["share"])
    missing = lacking(record)
    if missing:
        record["share"] = SHARE_DEFAULT
    return meant, missing
