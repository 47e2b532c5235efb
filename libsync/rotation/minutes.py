"""Handover minutes (biên bản bàn giao) of an exchange, as a ``render.document.Document``.

``build_minutes(repo, exchange_id, kind="dispatch"|"return", lang=None) -> Document``

* dispatch: the sending school hands the batch to the receiving school (date: the
  received step once there is one — the minutes made at receipt record what arrived —, else the
  dispatched step, else the planned handover; the body's "Hôm nay, ngày …" says the same day);
* return: the partner hands the batch back (date: the returned step, else the return
  due); each copy shows whether it came back or is missing/lost, and the losses are
  listed under the table.

People and positions come from the manifest ``people``, else the first librarian of each
library in network.yaml; the principals (Hiệu trưởng) of both schools sign too.
Write with ``libsync.render.document.write(doc, path)``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.network import parse_date
from libsync.render.document import Document, Paragraph, Signature, Table, nobreak, short_date
from libsync.render.letterhead import letterhead, place_of
from libsync.rotation.exchanges import find, load_copies

if TYPE_CHECKING:
    from libsync.repository import Repository

KINDS = ("dispatch", "return", "donation")


def _step_date(data: dict[str, Any], status: str) -> dt.date | None:
    for entry in reversed(data.get("history") or []):
        if entry.get("status") == status:
            return parse_date(entry.get("date"))
    return None


def _person(data: dict[str, Any], side: str, lib: dict[str, Any]) -> dict[str, Any]:
    person: dict[str, Any] | None = (data.get("people") or {}).get(side)
    if person:
        return person
    librarians = lib.get("librarians") or []
    if librarians:
        return {"name": librarians[0].get("name", ""), "position": librarians[0].get("role", "")}
    return {"name": "", "position": ""}


def build_minutes(repo: Repository, exchange_id: str, kind: str = "dispatch", lang: str | None = None) -> Document:
    if kind not in KINDS:
        raise LibsyncError("rotation.bad_kind", kind=kind)
    relpath, data = find(repo, exchange_id)
    donation = data.get("kind") == "donation"
    if donation and kind == "return":
        raise LibsyncError("rotation.donation.no_return", exchange=exchange_id)
    if kind == "donation" and not donation:
        raise LibsyncError("rotation.bad_kind", kind=kind)
    kind = "donation" if donation else kind
    network = repo.network
    sender_lib, receiver_lib = network.library(data["from"]), network.library(data["to"])
    status_order = ("proposed", "approved", "dispatched", "received", "returned", "closed")
    status = data.get("status")
    if kind == "return" and status not in ("returned", "closed"):
        raise LibsyncError("rotation.minutes_not_yet", exchange=exchange_id, step=t("rotation.step.returned", lang))
    if status == "cancelled":
        raise LibsyncError("rotation.minutes_not_yet", exchange=exchange_id, step=t("rotation.step.dispatched", lang))
    planned = data.get("planned") or {}
    if kind == "dispatch":
        date = _step_date(data, "received") or _step_date(data, "dispatched") or parse_date(planned.get("handover"))
        giver_lib, taker_lib = sender_lib, receiver_lib
        giver, taker = _person(data, "sender", sender_lib), _person(data, "receiver", receiver_lib)
        title = t("rotation.minutes.title_dispatch", lang)
    elif kind == "donation":
        date = _step_date(data, "received") or _step_date(data, "dispatched") or parse_date(planned.get("handover"))
        giver_lib, taker_lib = sender_lib, receiver_lib
        giver, taker = _person(data, "sender", sender_lib), _person(data, "receiver", receiver_lib)
        title = t("rotation.minutes.title_donation", lang)
    else:
        date = _step_date(data, "returned") or parse_date(planned.get("return_due"))
        giver_lib, taker_lib = receiver_lib, sender_lib
        giver, taker = _person(data, "receiver", receiver_lib), _person(data, "sender", sender_lib)
        title = t("rotation.minutes.title_return", lang)
    del status_order
    dispatched = _step_date(data, "dispatched") or parse_date(planned.get("handover"))

    copies = load_copies(repo, data)
    # a copy the receiver's scan lacked never reached it: it is not in the receiver's keeping,
    # even once close has recorded it lost
    not_arrived = set((data.get("received") or {}).get("missing") or [])
    rows, lost, missing, never = [], [], [], []
    for n, copy in enumerate(data.get("copies") or [], start=1):
        found = copies.get(copy["barcode"])
        record = found[1] if found else {}
        item = found[2] if found else {}
        cond = copy.get("condition") or item.get("condition") or t("rotation.minutes.condition_ok", lang)
        note = copy.get("note") or ""
        outcome = copy.get("outcome")
        qty = "1"
        if outcome == "missing-on-receipt" or (outcome == "lost" and copy["barcode"] in not_arrived):
            cond = t("rotation.minutes.never_received" if kind == "return" else "rotation.minutes.not_received", lang)
            qty = "0"
            never.append(copy["barcode"])
        elif kind == "return":
            if outcome == "lost":
                cond, qty = t("rotation.minutes.outcome_lost", lang), "0"
                lost.append(copy["barcode"])
            elif outcome == "missing-on-return":
                cond, qty = t("rotation.minutes.outcome_missing", lang), "0"
                missing.append(copy["barcode"])
        title_text = record.get("title", copy.get("record", ""))
        if record.get("volume"):
            title_text = f"{title_text}. {record['volume']}"
        row = [str(n), copy["barcode"], title_text, _authors(record.get("authors") or [], lang), qty, cond, note]
        if kind == "donation":
            row.insert(2, (copy.get("accession") or {}).get("barcode", ""))
        rows.append(row)
    total = len(rows)
    received = total - len(never)
    back = received - len(lost) - len(missing)
    columns = ["no", "barcode", "title", "author", "qty", "condition", "note"]
    align = ["center", "left", "left", "left", "center", "left", "left"]
    if kind == "donation":
        columns.insert(2, "new_barcode")
        align.insert(2, "left")
    if not any(row[-1] for row in rows):   # no copy has a note: the title gets the room of an empty column
        columns, align, rows = columns[:-1], align[:-1], [row[:-1] for row in rows]
    header = [t(f"rotation.minutes.col.{c}", lang) for c in columns]
    totals = ["", t("rotation.minutes.total", lang), *[""] * (len(columns) - 2)]
    totals[columns.index("qty")] = str(back if kind == "return" else received)
    table = Table(header, rows, totals=totals, align=align, wide=columns.index("title"))

    term = network.terms.get(data["term"])
    term_name = term.name if term else data["term"]
    batch_name = data.get("title") or t("rotation.minutes.listed_copies", lang)   # never an id slug in the body
    # the header first: minutes with a blank authority line or place name are refused
    head = letterhead(network, sender_lib["code"], title, lang)
    place = place_of(giver_lib) or head.place
    if kind == "dispatch" and never:
        agree = t("rotation.minutes.agree_dispatch_short", lang, count=total, received=received, missing=len(never),
                  batch=batch_name, term=term_name, dispatched=short_date(dispatched))
    else:
        agree = t(f"rotation.minutes.agree_{kind}", lang, count=back if kind == "return" else total,
                  batch=batch_name, term=term_name)
    body: list[Paragraph | Table] = [
        Paragraph(t("rotation.minutes.basis", lang, network=network.name or network.id)),
        Paragraph(t("rotation.minutes.intro", lang, when=short_date(date),
                    place=giver_lib.get("name", giver_lib["code"]))),
        Paragraph(giver_lib.get("name", giver_lib["code"]), lead=t("rotation.minutes.giver", lang), style="heading"),
        Paragraph(t("rotation.minutes.person", lang, name=giver.get("name", ""), position=giver.get("position", ""))),
        Paragraph(taker_lib.get("name", taker_lib["code"]), lead=t("rotation.minutes.taker", lang), style="heading"),
        Paragraph(t("rotation.minutes.person", lang, name=taker.get("name", ""), position=taker.get("position", ""))),
        Paragraph(agree),
        table,
    ]
    taker_school = receiver_lib.get("name", receiver_lib["code"])   # the school the copies never reached
    if never and kind == "return":   # at return "bên nhận" is the owner: the school is named
        body.append(Paragraph(", ".join(never), lead=t("rotation.minutes.never_list_return", lang, school=taker_school,
                                                       date=short_date(dispatched))))
    elif never:
        body.append(Paragraph(", ".join(never), lead=t("rotation.minutes.never_list", lang)))
    if kind == "donation":
        register_nos = sorted({str(item.get("register_no")) for copy in data.get("copies") or []
                               for item in _accessioned(repo, data["to"], copy) if item.get("register_no")})
        body.append(Paragraph(t("rotation.minutes.donation_terms", lang, count=total,
                                register_no=", ".join(register_nos) or "—")))
    elif kind == "dispatch":
        body.append(Paragraph(t("rotation.minutes.dispatch_terms", lang, count=received,
                                return_due=short_date(planned.get("return_due")))))
    else:
        body.append(Paragraph(t("rotation.minutes.return_summary", lang, total=total, received=received, back=back,
                                lost=len(lost), missing=len(missing), never=len(never), school=taker_school)))
        if lost:
            body.append(Paragraph(", ".join(lost), lead=t("rotation.minutes.lost_list", lang)))
        if missing:
            body.append(Paragraph(", ".join(missing), lead=t("rotation.minutes.missing_list", lang)))
    body.append(Paragraph(t("rotation.minutes.copies_made", lang)))

    def principal(lib: dict[str, Any]) -> Signature:
        p = lib.get("principal") or {}
        return Signature(t("rotation.minutes.sign_principal", lang, school=lib.get("name", lib["code"]).upper()),
                         name=p.get("name", ""))

    return Document(
        title=title,
        issuer=head.issuer,
        number=t("rotation.minutes.number", lang),
        place=place,
        date=date,
        subtitle=t("rotation.minutes.subtitle_donation" if donation else "rotation.minutes.subtitle", lang,
                   term=term_name),
        footnote=t("rotation.minutes.footnote_donation" if donation else "rotation.minutes.footnote", lang,
                   exchange=nobreak(data["id"]), path=nobreak(relpath)),   # an id is never broken
        body=body,
        signatures=[
            [Signature(t("rotation.minutes.sign_giver", lang), name=giver.get("name", ""), position=giver.get("position", "")),
             Signature(t("rotation.minutes.sign_taker", lang), name=taker.get("name", ""), position=taker.get("position", ""))],
            [principal(giver_lib), principal(taker_lib)],
        ],
        lang=lang,
    )


def _authors(authors: list[str], lang: str | None) -> str:
    """One or two authors as they are; of more, the first then "và nnk." (and others), as a
    Vietnamese reference list writes them: a textbook's ten authors would make a row of the
    minutes a page tall, and two names beside a title wrapped it over three lines."""
    if len(authors) <= 2:
        return "; ".join(authors)
    return t("rotation.minutes.et_al", lang, authors=authors[0])


def _accessioned(repo: Repository, library: str, copy: dict[str, Any]) -> list[dict[str, Any]]:
    """The receiver's copy a donated copy became (empty before receipt)."""
    accession = copy.get("accession")
    if not accession:
        return []
    from libsync.rotation.records import read_records

    rel = repo.record_relpath(library, accession["record"])
    record = read_records(repo, [rel]).get(rel) or {}
    return [i for i in record.get("items") or [] if i.get("barcode") == accession["barcode"]]

