"""Biên bản kiểm kê (inventory minutes) from a diff or check report, via render.document.

The minutes follow the usual form: issuer (the school), Quốc hiệu, title, the stocktake
dates and people, a summary table by category, then the detailed list of every copy that
is not simply "present", with the M/C marks librarians use (M = mất: not on the shelf at
the end; C = còn: on the shelf), and signature blocks.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from libsync.i18n import t
from libsync.inventory import report as rep
from libsync.network import parse_date
from libsync.render.document import Document, Paragraph, Signature, Table, write

if TYPE_CHECKING:
    from libsync.network import Network


def build(report: dict[str, Any], network: Network, place: str | None = None) -> Document:
    library = report["library"]
    info = network.libraries.get(library, {})
    kind = report.get("kind", "diff")
    if kind == "diff":
        day = parse_date(report["after"]["date"]) or dt.date.today()
        subtitle = t("inventory.minutes.period", before=report["before"]["label"] or report["before"]["id"],
                     before_date=report["before"]["date"], after=report["after"]["label"] or report["after"]["id"],
                     after_date=report["after"]["date"])
    else:
        day = parse_date(report["scan"]["date"]) or dt.date.today()
        subtitle = t("inventory.minutes.check_period", date=report["scan"]["date"])
    issuer = [s for s in (info.get("parent"), info.get("name", library).upper()) if s]
    body: list[Paragraph | Table] = [
        Paragraph(t("inventory.minutes.opening", library=info.get("name", library), date=day.strftime("%d/%m/%Y"))),
        Paragraph(t("inventory.minutes.purpose")),
        Paragraph(t("inventory.minutes.section_summary"), style="heading"),
        Table(header=[t("inventory.col.category"), t("inventory.col.count")], rows=rep.summary_rows(report),
              totals=[t("inventory.minutes.total"), str(sum(report["counts"].values()))], align=["left", "right"],
              widths=[9.0, 3.0]),
        Paragraph(t("inventory.minutes.section_detail"), style="heading"),
    ]
    detail = [e for e in report["entries"] if e["category"] != "present"]
    if detail:
        rows = [[str(i), e["barcode"], e.get("title") or "", rep.category_label(e["category"], kind),
                 rep.mark(e, kind), rep.note(e)] for i, e in enumerate(detail, start=1)]
        body.append(Table(header=[t("inventory.col.no"), t("inventory.col.barcode"), t("inventory.col.title"),
                                  t("inventory.col.category"), t("inventory.col.mark"), t("inventory.col.note")],
                          rows=rows, align=["center", "left", "left", "left", "center", "left"],
                          widths=[1.0, 2.4, 4.6, 2.6, 1.0, 4.4]))
    else:
        body.append(Paragraph(t("inventory.minutes.nothing")))
    body.append(Paragraph(t("inventory.minutes.marks"), style="note"))
    body.append(Paragraph(t("inventory.minutes.closing")))
    librarian: dict[str, Any] = next(iter(info.get("librarians") or []), {})
    principal = info.get("principal") or {}
    taken_by = (report.get("after") or {}).get("taken_by") if kind == "diff" else None
    signatures = [[Signature(t("inventory.minutes.sign_librarian"), name=taken_by or librarian.get("name", "")),
                   Signature(t("inventory.minutes.sign_principal"), name=principal.get("name", ""))]]
    return Document(title=t("inventory.minutes.title"), issuer=issuer, place=place or info.get("commune"),
                    date=day, subtitle=subtitle, body=body, signatures=signatures)


def write_minutes(report: dict[str, Any], network: Network, path: str | os.PathLike[str], place: str | None = None) -> str:
    """Write the minutes to ``path`` (.docx, .md or .html by extension, atomically)."""
    return write(build(report, network, place), path)
