"""Biên bản kiểm kê (inventory minutes) from a diff or check report, via render.document.

The minutes follow the usual form: issuer (the school under its authority), Quốc hiệu, title,
the stocktake date and the stocktake committee (hội đồng kiểm kê, ``libraries[].stocktake_committee``
in network.yaml: refused without one, as without a header line), then

I.   the stocktake against the general register on that day (``report["register"]``: copies on
     the register, on the shelf, away on rotation, lent, not found — they add up to the register);
II.  the comparison by category (with the previous stocktake, or the catalogue);
III. every copy that is not simply "present", in barcode order, with the marks librarians use:
     C (còn, on the shelf), M (mất, not on the shelf and no reason to expect it back), LC (away
     on rotation) and CM (lent to a reader), explained under the table. An exchange is named in a
     row by a reference ``[1]``; under the table each reference gives the exchange id once (never
     broken over two lines) and the partner school;

and the committee's signature blocks. Dates in the body and tables are dd/mm/yyyy; the header
line alone has the long form.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Any

from libsync.i18n import t
from libsync.inventory import report as rep
from libsync.network import parse_date
from libsync.render.document import Document, Paragraph, Signature, Table, nobreak, short_date, write
from libsync.render.letterhead import committee, letterhead

if TYPE_CHECKING:
    from libsync.network import Network

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dates(text: str) -> str:
    """ISO dates in a note (from the records) written dd/mm/yyyy, as everywhere in the minutes."""
    return _ISO_DATE.sub(r"\3/\2/\1", text)


def _barcode_order(entry: dict[str, Any]) -> tuple[Any, ...]:
    """XS-TK-00012 before XS-TN-00004, and XS-9 before XS-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", entry["barcode"]))


_EXCHANGE_REFS = ("status", "status:at-partner", "status:in-transit")   # a status_ref that is an exchange id


def _exchange_ref(entry: dict[str, Any]) -> str | None:
    """The exchange an entry's explanation names, if any."""
    reason = entry.get("reason") or ""
    if entry.get("ref") and (reason.startswith("exchange") or reason in _EXCHANGE_REFS):
        return str(entry["ref"])
    return None


def _detail(report: dict[str, Any], network: Network, kind: str) -> list[Paragraph | Table]:
    """Section III's table in barcode order; each exchange a row names is a reference ``[n]``,
    its id (unbroken) and partner school given once under the table."""
    detail = sorted((e for e in report["entries"] if e["category"] != "present"), key=_barcode_order)
    if not detail:
        return [Paragraph(t("inventory.minutes.nothing"))]
    refs: dict[str, dict[str, Any]] = {}
    rows = []
    for i, e in enumerate(detail, start=1):
        ref = _exchange_ref(e)
        if ref:
            info = refs.setdefault(ref, {"n": len(refs) + 1, "partner": None, "count": 0})
            info["partner"] = info["partner"] or e.get("partner")
            info["count"] += 1
            e = {**e, "ref": f"[{info['n']}]"}
        rows.append([str(i), e["barcode"], e.get("title") or "", rep.category_label(e["category"], kind),
                     rep.mark(e, kind), _dates(rep.note(e)).replace(f"({e['ref']})", str(e["ref"]))])
    out: list[Paragraph | Table] = [
        Table(header=[t("inventory.col.no"), t("inventory.col.barcode"), t("inventory.col.title"),
                      t("inventory.col.category"), t("inventory.col.mark"), t("inventory.col.note")],
              rows=rows, align=["center", "left", "left", "left", "center", "left"], wide=2)]
    for ref, info in refs.items():
        partner = network.libraries.get(info["partner"] or "", {}).get("name") or info["partner"]
        key = "inventory.minutes.ref_legend" if partner else "inventory.minutes.ref_legend_plain"
        out.append(Paragraph(t(key, n=info["n"], exchange=nobreak(ref), partner=partner or "", count=info["count"]),
                             style="note"))
    return out


def _register_table(register: dict[str, Any]) -> list[Paragraph | Table]:
    from libsync.collection import money

    day = short_date(register["date"])
    rows = [[t("inventory.minutes.reg.counted"), str(register["counted"])],
            [t("inventory.minutes.reg.away"), str(register["away"])],
            [t("inventory.minutes.reg.on_loan"), str(register["on_loan"])],
            [t("inventory.minutes.reg.missing"), str(register["missing"])]]
    out: list[Paragraph | Table] = [
        Paragraph(t("inventory.minutes.section_register"), style="heading"),
        Table(header=[t("inventory.minutes.reg.item"), t("inventory.col.count")], rows=rows,
              totals=[t("inventory.minutes.reg.expected", date=day), str(register["expected"])],
              align=["left", "right"]),
    ]
    if register["missing"]:
        out.append(Paragraph(t("inventory.minutes.reg.missing_value", count=register["missing"],
                               value=money(register["missing_value"]))))
    return out


def build(report: dict[str, Any], network: Network, place: str | None = None) -> Document:
    library = report["library"]
    info = network.libraries.get(library, {})
    kind = report.get("kind", "diff")
    title = t("inventory.minutes.title")
    head = letterhead(network, library, title)          # refused with blanks: nothing written
    members = committee(network, library, title)
    if kind == "diff":
        day = parse_date(report["after"]["date"]) or dt.date.today()
        subtitle = t("inventory.minutes.period", before=report["before"]["label"] or report["before"]["id"],
                     before_date=short_date(report["before"]["date"]),
                     after=report["after"]["label"] or report["after"]["id"],
                     after_date=short_date(report["after"]["date"]))
    else:
        day = parse_date(report["scan"]["date"]) or dt.date.today()
        subtitle = t("inventory.minutes.check_period", date=short_date(report["scan"]["date"]))
    body: list[Paragraph | Table] = [
        Paragraph(t("inventory.minutes.opening", library=info.get("name", library), date=short_date(day))),
        *[Paragraph(t("inventory.minutes.member", n=n, name=m["name"], role=m["role"] or "—"))
          for n, m in enumerate(members, start=1)],
        Paragraph(t("inventory.minutes.purpose")),
    ]
    if report.get("register"):
        body.extend(_register_table(report["register"]))
    body.extend([
        Paragraph(t("inventory.minutes.section_summary"), style="heading"),
        Table(header=[t("inventory.col.category"), t("inventory.col.count")], rows=rep.summary_rows(report),
              totals=[t("inventory.minutes.total"), str(sum(report["counts"].values()))], align=["left", "right"]),
        Paragraph(t("inventory.minutes.section_detail"), style="heading"),
    ])
    body.extend(_detail(report, network, kind))
    body.append(Paragraph(t("inventory.minutes.marks"), style="note"))
    body.append(Paragraph(t("inventory.minutes.closing")))
    blocks = [Signature((m["role"] or t("inventory.minutes.sign_member")).upper(), name=m["name"]) for m in members]
    principal = info.get("principal") or {}
    if principal.get("name") and principal["name"] not in {m["name"] for m in members}:
        blocks.append(Signature(t("inventory.minutes.sign_principal"), name=principal["name"]))
    signatures = [blocks[i:i + 2] for i in range(0, len(blocks), 2)]
    return Document(title=title, issuer=head.issuer, place=place or head.place, date=day, subtitle=subtitle,
                    body=body, signatures=signatures)


def write_minutes(report: dict[str, Any], network: Network, path: str | os.PathLike[str], place: str | None = None) -> str:
    """Write the minutes to ``path`` (.docx, .md or .html by extension, atomically); refused
    (nothing written) when network.yaml lacks what the header or the committee needs."""
    return write(build(report, network, place), path)
