"""The yearly report of a library or of the whole network (báo cáo công tác thư viện năm học).

``figures(repo, library=None|CODE, year="2024-2025")`` computes every figure as plain data (the
``--format json`` output): holdings by type, by class, textbooks by grade and subject, their value,
the year's intake and removals, rotations given and received and the losses per term, and the
stocktakes. With an ``audience`` (public, network, a library's code; ``libsync.audience``) only the
records it may see are counted, and — unless it is the reported library itself — money values and
the copies' private paperwork (intake, removal) are left out: that is the web catalogue's summary.
``to_html(figures)`` renders the same figures — and only those — as tables with SVG
charts drawn by pygal, in one self-contained page (no script, no CDN) readable on a phone.
It reads through the store and never writes to the repository.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from libsync.collection import money
from libsync.collection.registers import (
    REMOVED,
    CopyRow,
    in_range,
    library_copies,
    part_stocktakes,
    reason_label,
    snapshots,
    year_range,
)
from libsync.i18n import t
from libsync.model.enums import EXCHANGE_MOVED, GONE_STATUSES, NOT_BACK_OUTCOMES, SCHOOL_BOOK_TYPES
from libsync.network import school_year_of

if TYPE_CHECKING:
    from libsync.inventory.index import Movement
    from libsync.repository import Repository

TEXTBOOK_TYPES = SCHOOL_BOOK_TYPES
LOSS_OUTCOMES = NOT_BACK_OUTCOMES   # lost, or not found at a handover
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
MOVED = EXCHANGE_MOVED
MONEY = ("value", "missing_value")   # the figures in đồng: the library's business only (its prices)


def current_year(today: dt.date | None = None) -> str:
    """``2024-2025``: the school year of ``today`` (``libsync.network.school_year_of``)."""
    first, second = school_year_of(today or dt.date.today())
    return f"{first}-{second}"


def _count_value(rows: list[CopyRow], key: Any) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    values: Counter[str] = Counter()
    for r in rows:
        k = key(r)
        counts[k] += 1
        values[k] += r.price
    return [{"key": k, "copies": counts[k], "value": values[k]} for k in sorted(counts, key=lambda x: (x == "", x))]


def _library_figures(repo: Repository, library: str, year: str, span: tuple[dt.date, dt.date] | None,
                     exchanges: list[dict[str, Any]], terms: list[str], audience: str | None = None,
                     visible: Callable[[str, str], bool] | None = None,
                     moves: list[Movement] | None = None) -> dict[str, Any]:
    copies = library_copies(repo, library, audience)
    held = [r for r in copies if r.status not in GONE_STATUSES]
    books = [r for r in held if r.rtype in TEXTBOOK_TYPES]
    came = [r for r in copies if r.acquired and in_range(r.acquired, span)]
    left = [r for r in copies if r.status in REMOVED and r.removal_date and in_range(r.removal_date, span)]
    rotations = []
    for term in terms:
        given = received = lost = donated_out = donated_in = 0
        for ex in exchanges:
            if ex.get("term") != term or ex.get("status") not in MOVED:
                continue
            moved = [c for c in ex.get("copies") or []
                     if visible is None or visible(str(ex.get("from")), str(c.get("record")))]
            n = len(moved)
            donation = ex.get("kind") == "donation"
            if ex.get("from") == library:
                if donation:
                    donated_out += n
                else:
                    given += n
                lost += sum(1 for c in moved if c.get("outcome") in LOSS_OUTCOMES)
            elif ex.get("to") == library:
                if donation:
                    donated_in += n
                else:
                    received += n
        rotations.append({"term": term, "given": given, "received": received, "lost": lost,
                          "donated_out": donated_out, "donated_in": donated_in})
    stock = part_stocktakes(copies, snapshots(repo, library), span, moves or ())
    return {
        "library": library,
        "holdings": {"copies": len(held), "value": sum(r.price for r in held),
                     "records": len({r.record for r in held})},
        "by_type": _count_value(held, lambda r: r.rtype),
        "by_class": _count_value(held, lambda r: r.klass),
        "textbooks": [{"grade": g, "subject": s, "copies": n} for (g, s), n in
                      sorted(Counter((r.grade or 0, r.subject) for r in books).items())],
        "intake": {"copies": len(came), "value": sum(r.price for r in came),
                   "by_source": _count_value(came, lambda r: r.source)},
        "removals": {"copies": len(left), "value": sum(r.price for r in left),
                     "by_reason": _count_value(left, lambda r: r.removal_reason)},
        "rotations": rotations,
        "stocktakes": [{"date": row[1], "label": row[2], "expected": row[3], "counted": row[5], "away": row[6],
                        "on_loan": row[7], "missing": row[8], "missing_value": row[9]} for row in stock["rows"]],
    }


def _merge_counts(parts: list[list[dict[str, Any]]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    total: dict[tuple[Any, ...], dict[str, Any]] = {}
    for part in parts:
        for entry in part:
            k = tuple(entry[x] for x in keys)
            slot = total.setdefault(k, {x: entry[x] for x in keys})
            for field, value in entry.items():
                if field not in keys:
                    slot[field] = slot.get(field, 0) + value
    return [total[k] for k in sorted(total, key=lambda k: tuple((v == "", v) for v in k))]


def _visibility(repo: Repository, audience: str) -> Callable[[str, str], bool]:
    """``visible(library, record_id)``: whether ``audience`` may see that record (read once per library)."""
    from libsync.audience import can_see
    from libsync.store.read import Store

    seen: dict[str, set[str]] = {}

    def visible(library: str, record: str) -> bool:
        if library not in seen:
            known = library in repo.network.libraries
            docs = Store.of(repo).records(strict=True, library=library).documents if known else []
            seen[library] = {str(d.get("id")) for d in docs if can_see(d, audience)}
        return record in seen[library]

    return visible


def _withoutmoney(body: dict[str, Any]) -> dict[str, Any]:
    """The figures an audience other than the library itself may see: no value, no intake or removal."""
    def strip(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in e.items() if k not in MONEY} for e in entries]

    out = {k: v for k, v in body.items() if k not in ("intake", "removals")}
    out["holdings"] = {k: v for k, v in body["holdings"].items() if k not in MONEY}
    for key in ("by_type", "by_class", "stocktakes"):
        out[key] = strip(body[key])
    if "libraries" in body:
        out["libraries"] = [{k: v for k, v in e.items() if k not in (*MONEY, "intake", "removals")}
                            for e in body["libraries"]]
    return out


def figures(repo: Repository, library: str | None = None, year: str | None = None,
            audience: str | None = None) -> dict[str, Any]:
    """Every figure of the report (see the module docstring); ``library`` None: the network;
    ``audience`` None: everything (internal), else what that audience may see."""
    from libsync.inventory.index import movements
    from libsync.store.read import Store, session

    if audience is not None:
        from libsync.catalog.union import check_audience

        audience = check_audience(repo.network, audience)
    year = year or current_year()
    span = year_range(year)
    network = repo.network
    libraries = [library] if library else sorted(network.libraries)
    if library:
        network.library(library)
    terms = sorted(term_id for term_id, term in network.terms.items() if term.school_year == year)
    with session():
        exchanges = Store.of(repo).documents(("exchange",), strict=True, prefix=f"exchanges/{year}/").documents
        visible = _visibility(repo, audience) if audience is not None else None
        moves = movements(repo)
        per = [_library_figures(repo, code, year, span, exchanges, terms, audience, visible, moves)
               for code in libraries]
    if library:
        body = per[0]
    else:
        body = {
            "library": None,
            "holdings": {k: sum(p["holdings"][k] for p in per) for k in ("copies", "value", "records")},
            "by_type": _merge_counts([p["by_type"] for p in per], ("key",)),
            "by_class": _merge_counts([p["by_class"] for p in per], ("key",)),
            "textbooks": _merge_counts([p["textbooks"] for p in per], ("grade", "subject")),
            "intake": {"copies": sum(p["intake"]["copies"] for p in per),
                       "value": sum(p["intake"]["value"] for p in per),
                       "by_source": _merge_counts([p["intake"]["by_source"] for p in per], ("key",))},
            "removals": {"copies": sum(p["removals"]["copies"] for p in per),
                         "value": sum(p["removals"]["value"] for p in per),
                         "by_reason": _merge_counts([p["removals"]["by_reason"] for p in per], ("key",))},
            "rotations": _merge_counts([p["rotations"] for p in per], ("term",)),
            "stocktakes": [dict(s, library=p["library"]) for p in per for s in p["stocktakes"]],
            "libraries": [{"library": p["library"], "copies": p["holdings"]["copies"], "value": p["holdings"]["value"],
                           "intake": p["intake"]["copies"], "removals": p["removals"]["copies"]} for p in per],
        }
    name = network.library_name(library) if library else network.name
    private = audience is None or audience == library
    if not private:
        body = _withoutmoney(body)
    return {"scope": "library" if library else "network", "code": library or network.id, "name": name,
            "year": year, "audience": audience or "internal", **{k: v for k, v in body.items() if k != "library"}}


# --- HTML ---------------------------------------------------------------------------------------

CSS = """body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:960px;
padding:0 12px 24px;color:#222;line-height:1.45}h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;
border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.95em}
th,td{border:1px solid #ccc;padding:4px 6px;text-align:left}td.n,th.n{text-align:right}
.wrap{overflow-x:auto}figure{margin:.5em 0}svg{max-width:100%;height:auto}"""


def _table(header: list[str], rows: list[list[Any]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, v: Any) -> str:
        text = money(v) if isinstance(v, int) and not isinstance(v, bool) else str(v)
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _chart(kind: str, title: str, series: list[tuple[str, list[int]]], labels: list[str]) -> str:
    """An SVG chart drawn by pygal, inline, without its script (no CDN)."""
    import importlib

    # pygal ships no type information: it is used through these two names only
    pygal: Any = importlib.import_module("pygal")
    default_style: Any = importlib.import_module("pygal.style").DefaultStyle
    chart_class = {"bar": pygal.Bar, "pie": pygal.Pie, "hbar": pygal.HorizontalBar}[kind]
    chart = chart_class(js=[], disable_xml_declaration=True, explicit_size=False, width=640, height=360,
                        style=default_style, title=title, legend_at_bottom=True, print_values=False,
                        show_legend=kind == "pie" or len(series) > 1)
    if kind == "pie":
        for label, share in zip(labels, series[0][1]):
            chart.add(label, share)
    else:
        chart.x_labels = labels
        for name, values in series:
            chart.add(name, values)
    svg = chart.render(is_unicode=True)
    # pygal still writes the settings of its interactive script, which is never loaded: drop them
    svg = _SCRIPT.sub("", svg)
    return f"<figure>{svg}</figure>"


def type_label(rtype: str) -> str:
    key = f"collection.rtype.{rtype}"
    text = t(key)
    return rtype if text == key else text


def to_html(f: dict[str, Any], back: str | None = None) -> str:
    """The report as one self-contained HTML page: the figures of ``f`` only (those an audience
    may see leave out the money columns and the intake and removals); ``back``: a link back to
    that page (the web catalogue's index)."""
    from libsync.i18n import get_language

    h = html.escape
    out = [f'<!DOCTYPE html><html lang="{get_language()}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width,initial-scale=1">',
           f"<title>{h(t('collection.report.title', name=f['name'], year=f['year']))}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{h(t('collection.report.title', name=f['name'], year=f['year']))}</h1>"]
    if back:
        out.insert(-1, f'<p><a href="{h(back)}">{h(t("collection.report.back"))}</a></p>')
    hold = f["holdings"]
    with_value = "value" in hold
    if with_value:
        out.append(f"<p>{h(t('collection.report.summary', copies=money(hold['copies']), records=money(hold['records']), value=money(hold['value'])))}</p>")
    else:
        out.append(f"<p>{h(t('collection.report.summary_shared', copies=money(hold['copies']), records=money(hold['records'])))}</p>")
        out.append(f"<p>{h(t('collection.report.audience_note'))}</p>")
    c, v = t("collection.col.copies"), t("collection.col.value")

    def pick(*entries: tuple[str, Any]) -> list[Any]:
        # the value column only where the figures carry money
        return [x for key, x in entries if with_value or key != "value"]

    def vals(n: int) -> set[int]:
        return set(range(1, n + (1 if with_value else 0)))
    # holdings by type
    out.append(f"<h2>{h(t('collection.report.by_type'))}</h2>")
    types = f["by_type"]
    if types:
        out.append(_chart("pie", t("collection.report.by_type"), [("", [e["copies"] for e in types])],
                          [type_label(e["key"]) for e in types]))
    out.append(_table(pick(("", t("collection.col.type")), ("", c), ("value", v)),
                      [pick(("", type_label(e["key"])), ("", e["copies"]), ("value", e.get("value"))) for e in types],
                      vals(2)))
    # by class
    out.append(f"<h2>{h(t('collection.report.by_class'))}</h2>")
    classes = f["by_class"]
    if classes:
        out.append(_chart("bar", t("collection.report.by_class"), [(c, [e["copies"] for e in classes])],
                          [e["key"] or "—" for e in classes]))
    out.append(_table(pick(("", t("collection.col.class")), ("", c), ("value", v)),
                      [pick(("", e["key"] or "—"), ("", e["copies"]), ("value", e.get("value"))) for e in classes],
                      vals(2)))
    # textbooks
    out.append(f"<h2>{h(t('collection.report.textbooks'))}</h2>")
    books = f["textbooks"]
    grades = sorted({e["grade"] for e in books})
    if books:
        out.append(_chart("bar", t("collection.report.textbooks"),
                          [(c, [sum(e["copies"] for e in books if e["grade"] == g) for g in grades])],
                          [str(g or "—") for g in grades]))
    out.append(_table([t("collection.col.grade"), t("collection.col.subject"), c],
                      [[e["grade"] or "—", e["subject"] or "—", e["copies"]] for e in books], {2}))
    # intake and removals (the library's paperwork: not in an audience's figures)
    if "intake" in f:
        out.append(f"<h2>{h(t('collection.report.intake_removals'))}</h2>")
        intake, removals = f["intake"], f["removals"]
        out.append(_table(["", c, v], [[t("collection.report.intake"), intake["copies"], intake["value"]],
                                       [t("collection.report.removals"), removals["copies"], removals["value"]]],
                          {1, 2}))
        out.append(_table([t("collection.col.source"), c, v],
                          [[e["key"] or "—", e["copies"], e["value"]] for e in intake["by_source"]], {1, 2}))
        out.append(_table([t("collection.col.reason"), c, v],
                          [[reason_label(e["key"]) or "—", e["copies"], e["value"]] for e in removals["by_reason"]],
                          {1, 2}))
    # rotations
    out.append(f"<h2>{h(t('collection.report.rotations'))}</h2>")
    rot = f["rotations"]
    cols = ("given", "received", "lost", "donated_out", "donated_in")
    if rot:
        out.append(_chart("bar", t("collection.report.rotations"),
                          [(t(f"collection.report.rot.{k}"), [e[k] for e in rot]) for k in cols[:3]],
                          [e["term"] for e in rot]))
    out.append(_table([t("collection.col.term"), *(t(f"collection.report.rot.{k}") for k in cols)],
                      [[e["term"], *(e[k] for k in cols)] for e in rot], {1, 2, 3, 4, 5}))
    # stocktakes
    out.append(f"<h2>{h(t('collection.report.stocktakes'))}</h2>")
    lib_col = [t("collection.col.library")] if f["scope"] == "network" else []
    mv = [t("collection.col.missing_value")] if with_value else []
    out.append(_table([*lib_col, t("collection.col.date_check"), t("collection.col.label"), t("collection.col.expected"),
                       t("collection.col.counted"), t("collection.col.away"), t("collection.col.on_loan"),
                       t("collection.col.missing"), *mv],
                      [[*([s["library"]] if lib_col else []), s["date"], s["label"], s["expected"], s["counted"],
                        s["away"], s["on_loan"], s["missing"], *([s["missing_value"]] if mv else [])]
                       for s in f["stocktakes"]],
                      {len(lib_col) + i for i in (2, 3, 4, 5, 6, 7)}))
    if f["scope"] == "network" and with_value:
        out.append(f"<h2>{h(t('collection.report.libraries'))}</h2>")
        out.append(_table([t("collection.col.library"), c, v, t("collection.report.intake"),
                           t("collection.report.removals")],
                          [[e["library"], e["copies"], e["value"], e["intake"], e["removals"]] for e in f["libraries"]],
                          {1, 2, 3, 4}))
    elif f["scope"] == "network":
        out.append(f"<h2>{h(t('collection.report.libraries'))}</h2>")
        out.append(_table([t("collection.col.library"), c], [[e["library"], e["copies"]] for e in f["libraries"]], {1}))
    out.append("</body></html>\n")
    return "".join(out)
