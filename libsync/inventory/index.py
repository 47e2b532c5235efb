"""What a stocktake reads besides its scans: the copies (the store's one ``CopyIndex``, re-exported
here) and the exchanges that move them (``Movement``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from libsync.model.enums import EXCHANGE_STEPS
from libsync.network import parse_date
from libsync.store.copies import Copy, CopyIndex

if TYPE_CHECKING:
    from libsync.repository import Repository

__all__ = ["Copy", "CopyIndex", "Movement", "cached_load", "movement", "movements"]


def cached_load(repo: Repository, relpath: str) -> dict[str, Any]:
    """``repo.load(relpath)`` through the store: parsed once per content (a snapshot of 100,000
    barcodes is slow to parse as YAML, fast to read back)."""
    from libsync.store.read import Store

    return Store.of(repo).load(relpath)


# --- exchanges ----------------------------------------------------------------------------

_ORDER = EXCHANGE_STEPS


@dataclass(slots=True)
class Movement:
    """One exchange as the stocktake sees it: who sent what to whom, and when."""

    id: str
    file: str
    source: str
    target: str
    status: str
    barcodes: frozenset[str]
    outcomes: dict[str, str]   # barcode → outcome (lost, damaged …) where recorded
    dispatched: dt.date | None
    returned: dt.date | None

    def out_at(self, day: dt.date) -> bool:
        """Were the copies away from ``source`` on ``day``?"""
        if self.status == "cancelled" or self.dispatched is None or day < self.dispatched:
            return False
        return self.returned is None or day < self.returned


def _event(ex: dict[str, Any], *statuses: str) -> dt.date | None:
    for status in statuses:
        for event in ex.get("history") or []:
            if event.get("status") == status and parse_date(event.get("date")):
                return parse_date(event["date"])
    return None


def movement(ex: dict[str, Any], relpath: str) -> Movement:
    status = ex.get("status", "proposed")
    dispatched = _event(ex, "dispatched", "received")
    if dispatched is None and status in _ORDER[2:]:
        dispatched = parse_date((ex.get("planned") or {}).get("handover"))
    returned = _event(ex, "returned", "closed")
    if returned is None:
        returned = parse_date((ex.get("returned") or {}).get("date"))
    if returned is None and status in ("returned", "closed"):
        returned = parse_date((ex.get("planned") or {}).get("return_due"))
    copies = [c for c in ex.get("copies") or [] if isinstance(c, dict) and c.get("barcode")]
    return Movement(
        id=str(ex.get("id")), file=relpath, source=str(ex.get("from")), target=str(ex.get("to")), status=status,
        barcodes=frozenset(str(c["barcode"]) for c in copies),
        outcomes={str(c["barcode"]): c["outcome"] for c in copies if c.get("outcome")},
        dispatched=dispatched, returned=returned,
    )


def movements(repo: Repository) -> list[Movement]:
    """Every exchange manifest (exchanges/<year>/<term>/<id>.yaml) as a ``Movement``."""
    from libsync.store.read import Store

    store = Store.of(repo)
    return [movement(data, rel) for rel, data in store.iter_documents(store.files(("exchange",)), strict=True)]
