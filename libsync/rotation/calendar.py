"""Schedule → iCalendar (.ics): one all-day event per handover, for both libraries.

``plan_to_ics(plan, network, lang=None) -> bytes``: for each stage of a ``Plan`` an event
on the handover day (sender → receiver) and one on the return-due day (receiver →
sender), each naming both libraries (summary, description, location = the school that
hands over, attendees = their librarians as named participants). UIDs are stable
(exchange id + kind + network id), so importing the file again updates the events.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Event, vCalAddress, vText

from libsync.i18n import t

if TYPE_CHECKING:
    from libsync.network import Network
    from libsync.rotation.schedule import Plan


def _attendee(lib: dict[str, Any], person: dict[str, Any]) -> vCalAddress:
    handle = person.get("github") or lib.get("code", "lib").lower()
    address = vCalAddress(f"mailto:{handle}@{lib.get('code', 'lib').lower()}.invalid")
    address.params["cn"] = vText(f"{person.get('name', '')} ({lib.get('name', lib.get('code'))})")
    address.params["role"] = vText("REQ-PARTICIPANT")
    return address


def plan_to_ics(plan: Plan, network: Network, lang: str | None = None, stamp: dt.datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//libsync//rotation//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", t("rotation.schedule.title", lang, term=plan.term, name=plan.term_name))
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    for stage in plan.stages:
        sender, receiver = network.libraries[stage.sender], network.libraries[stage.receiver]
        params = dict(name=stage.name, sender=stage.sender, receiver=stage.receiver,
                      sender_name=sender.get("name", stage.sender), receiver_name=receiver.get("name", stage.receiver),
                      copies=stage.copies, return_due=stage.return_due.isoformat(), exchange=stage.exchange_id)
        for kind, day, where in (("handover", stage.handover, sender), ("return", stage.return_due, receiver)):
            event = Event()
            event.add("uid", f"{stage.exchange_id}-{kind}@{network.id or 'libsync'}")
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + dt.timedelta(days=1))
            event.add("summary", t(f"rotation.ics.{kind}", lang, **params))
            event.add("description", t("rotation.ics.description", lang, **params))
            event.add("location", where.get("address") or where.get("name", ""))
            event.add("categories", ["libsync", stage.group])
            for lib in (sender, receiver):
                for person in (lib.get("librarians") or [])[:1]:
                    event.add("attendee", _attendee(lib, person), encode=False)
            cal.add_component(event)
    ical: bytes = cal.to_ical()   # icalendar leaves to_ical unannotated
    return ical
