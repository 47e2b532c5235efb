"""Withdrawal rounds (thanh lọc tài liệu): choose the candidates, keep the proposal, apply the decision.

``propose(repo, library, rule, ...)`` picks a library's copies by one rule — recorded damaged or
lost, textbooks of the programme GDPT 2018 replaced, periodicals older than N years, copies missing
from the last N stocktakes, or an explicit list — refuses a round larger than the configured share
of the holdings (network.yaml ``withdrawal.max_share``, default 10 %), and writes the proposal to
``withdrawals/<LIB>/<id>.yaml``. ``dossier(...)`` is the document the council signs: the list
(danh sách tài liệu đề nghị thanh lọc), the council's minutes and a draft decision.
``apply(repo, id, decision, date)`` marks every listed copy ``withdrawn`` with the decision's
reference (``removal``), and the proposal ``applied``, in one all-or-nothing write.

Nothing is ever deleted: a withdrawn copy stays in its record and in the registers. Every write
goes through ``libsync.store.write``; a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.collection import money
from libsync.collection.registers import CopyRow, away_on, library_copies, natural_key, snapshots
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import GONE_STATUSES, SCHOOL_BOOK_TYPES, WITHDRAWAL_RULES

if TYPE_CHECKING:
    from libsync.render.document import Document
    from libsync.repository import Repository

RULES = WITHDRAWAL_RULES
DEFAULT_MAX_SHARE = 0.1
DEFAULT_YEARS = {"old-periodicals": 2, "not-seen": 2}
# The school year each grade's GDPT 2018 books came into use (Circular 32/2018 roadmap):
# a school book of that grade printed before, and not of a GDPT 2018 series, has been replaced.
GDPT_FROM = {1: 2020, 2: 2021, 6: 2021, 3: 2022, 7: 2022, 10: 2022, 4: 2023, 8: 2023, 11: 2023,
             5: 2024, 9: 2024, 12: 2024}


def max_share(repo: Repository) -> float:
    conf = repo.network.data.get("withdrawal") or {}
    value = conf.get("max_share", DEFAULT_MAX_SHARE)
    return float(value)


def _year_of(text: str) -> int | None:
    m = re.match(r"^(\d{4})", text)
    return int(m.group(1)) if m else None


def replaced_textbook(row: CopyRow, program: str | None) -> bool:
    """A school book of the old programme: not catalogued GDPT 2018, no GDPT 2018 series, and
    printed before its grade's GDPT 2018 books (any grade: before 2020)."""
    from libsync.model import gdpt

    if row.rtype not in SCHOOL_BOOK_TYPES or program == gdpt.PROGRAM:
        return False
    if row.series and gdpt.series_name(row.series):
        return False
    year = _year_of(row.year)
    if year is None:
        return False
    return year < GDPT_FROM.get(row.grade or 0, 2020)


def _read_list(path: str) -> list[str]:
    """Barcodes from a text/CSV file (first field of each line) or an .xlsx (first column)."""
    p = Path(path)
    if not p.is_file():
        raise LibsyncError("file.not_found", exit_code=2, path=path)
    values: list[str] = []
    if p.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:   # a broken or foreign file: say so, with the file
            raise LibsyncError("collection.bad_list", exit_code=2, path=path, line=1, reason=str(exc)) from None
        for row in wb.worksheets[0].iter_rows(values_only=True):
            if row and row[0] is not None:
                values.append(str(row[0]).strip())
        wb.close()
    else:
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LibsyncError("collection.bad_list", exit_code=2, path=path, line=1, reason=str(exc)) from None
        for line in text.splitlines():
            first = re.split(r"[,;\t]", line.strip(), maxsplit=1)[0].strip().strip('"')
            if first and not first.startswith("#"):
                values.append(first)
    return values


def candidates(repo: Repository, library: str, rule: str, *, years: int | None = None, file: str | None = None,
               today: dt.date | None = None) -> tuple[list[CopyRow], list[CopyRow]]:
    """(the library's copies still held, the candidates of ``rule``) in register-number order."""
    if rule not in RULES:
        raise LibsyncError("collection.bad_rule", exit_code=2, rule=rule, choices=", ".join(RULES))
    today = today or dt.date.today()
    copies = library_copies(repo, library)
    held = [r for r in copies if r.status not in GONE_STATUSES]
    open_ = [r for r in copies if r.status != "withdrawn"]
    n = years if years is not None else DEFAULT_YEARS.get(rule, 2)
    chosen: list[CopyRow]
    if rule in ("damaged", "lost"):
        chosen = [r for r in open_ if r.status == rule]
    elif rule == "replaced-textbooks":
        from libsync.store.read import Store

        programs = {str(d.get("id")): (d.get("curriculum") or {}).get("program")
                    for d in Store.of(repo).records(strict=True, library=library).documents}
        chosen = [r for r in open_ if replaced_textbook(r, programs.get(r.record))]
    elif rule == "old-periodicals":
        limit = today.year - n
        chosen = [r for r in open_ if r.rtype == "periodical"
                  and (y := _year_of(r.year) or _year_of(r.acquired)) is not None and y < limit]
    elif rule == "not-seen":
        snaps = snapshots(repo, library)[-n:]
        if len(snaps) < n:
            raise LibsyncError("collection.too_few_stocktakes", exit_code=1, library=library, n=n, found=len(snaps))
        seen = {str(b).casefold() for s in snaps for b in s.get("barcodes") or []}
        first_day = str(snaps[0].get("date", ""))
        # not seen because it was away on rotation on a stocktake day, or lent to a reader now: accounted for
        from libsync.inventory.index import movements

        moves = list(movements(repo))
        excused = {code for s in snaps for code in away_on(moves, library, str(s.get("date", "")))}
        chosen = [r for r in held if r.barcode.casefold() not in seen and r.barcode.casefold() not in excused
                  and r.status != "on-loan" and r.rtype != "digital"
                  and r.holder == library and (not r.acquired or r.acquired <= first_day)]
    else:
        if not file:
            raise LibsyncError("collection.list_needs_file", exit_code=2)
        by_code = {r.barcode.casefold(): r for r in copies}
        chosen = []
        unknown = []
        for code in dict.fromkeys(_read_list(file)):
            row = by_code.get(code.casefold())
            if row is None:
                unknown.append(code)
            elif row.status != "withdrawn":
                chosen.append(row)
        if unknown:
            raise LibsyncError("collection.list_unknown", exit_code=2, path=file, library=library, n=len(unknown),
                               barcodes=", ".join(unknown[:10]))
    chosen.sort(key=lambda r: natural_key(r.barcode))
    return held, chosen


def proposal_id(repo: Repository, library: str, rule: str, today: dt.date) -> str:
    base = f"{today.isoformat()}-{rule}"
    n, pid = 1, base
    while repo.path(relpath(library, pid)).exists():
        n += 1
        pid = f"{base}-{n}"
    return pid


def relpath(library: str, pid: str) -> str:
    return f"withdrawals/{library}/{pid}.yaml"


def propose(repo: Repository, library: str, rule: str, *, years: int | None = None, file: str | None = None,
            today: dt.date | None = None, commit: bool = False, dossier_to: Path | None = None) -> dict[str, Any]:
    """Choose, check the cap, keep the proposal. Returns ``{"id", "path", "proposal", "rows",
    "holdings", "max_share"}`` (``rows``: the candidates as ``CopyRow``). With ``dossier_to`` (an
    output path already checked), the dossier is rendered and written first and removed again if
    the proposal cannot be kept: never a proposal without its dossier."""
    from libsync.store import write as store_write

    today = today or dt.date.today()
    held, chosen = candidates(repo, library, rule, years=years, file=file, today=today)
    if not chosen:
        raise LibsyncError("collection.no_candidates", exit_code=1, library=library, rule=rule)
    share = max_share(repo)
    limit = int(len(held) * share)
    if len(chosen) > limit:
        raise LibsyncError("collection.over_cap", exit_code=1, library=library, n=len(chosen), holdings=len(held),
                           share=f"{share * 100:g}", limit=limit)
    pid = proposal_id(repo, library, rule, today)
    params: dict[str, Any] = {}
    if rule in DEFAULT_YEARS:
        params["years"] = years if years is not None else DEFAULT_YEARS[rule]
    if rule == "list" and file:
        params["file"] = Path(file).name
    data: dict[str, Any] = {
        "id": pid, "library": library, "rule": rule, "status": "proposed", "proposed": today.isoformat(),
        **({"parameters": params} if params else {}),
        "holdings": len(held), "cap": share,
        "copies": [{"barcode": r.barcode, "record": r.record, "reason": rule, **({"price": r.price} if r.price else {})}
                   for r in chosen],
    }
    rel = relpath(library, pid)
    result = {"id": pid, "path": rel, "proposal": data, "rows": chosen, "holdings": len(held), "max_share": share}
    replaced = dossier_to is not None and os.path.lexists(dossier_to)
    if dossier_to is not None:
        from libsync.render import document

        document.write(dossier(repo, result, today), dossier_to)
    message = t("collection.commit.propose", id=pid, n=len(chosen)) if commit else None
    try:
        # expected "": two proposals made at once never overwrite each other
        store_write.apply(repo, {rel: repo.render("withdrawal", data)}, message=message,
                          command=f"withdraw propose {library}", expected={rel: ""})
    except BaseException:
        if dossier_to is not None and not replaced:   # a dossier of an earlier round is never removed
            Path(dossier_to).unlink(missing_ok=True)
        raise
    return result


def find(repo: Repository, pid: str) -> tuple[str, dict[str, Any]]:
    """(relpath, data) of proposal ``pid`` (``ID`` or ``LIB/ID``)."""
    from libsync.store.read import Store

    store = Store.of(repo)
    files = store.files(("withdrawal",))
    if "/" in pid:
        lib, sid = pid.split("/", 1)
        wanted = [f for f in files if f == relpath(lib, sid)]
    else:
        wanted = [f for f in files if Path(f).stem == pid]
    if not wanted:
        raise LibsyncError("collection.proposal_not_found", exit_code=2, id=pid)
    if len(wanted) > 1:
        raise LibsyncError("collection.proposal_ambiguous", exit_code=2, id=pid, paths=", ".join(wanted))
    return wanted[0], store.load(wanted[0])


def apply(repo: Repository, pid: str, decision: str, date: dt.date, *, commit: bool = False) -> dict[str, Any]:
    """Mark the proposal's copies withdrawn by ``decision`` of ``date``, all at once."""
    import copy as copymod
    import unicodedata

    from libsync.store import write as store_write
    from libsync.store.read import Store

    decision = unicodedata.normalize("NFC", decision.strip())
    if not decision:
        raise LibsyncError("collection.no_decision", exit_code=2)
    rel, proposal = find(repo, pid)
    if proposal.get("status") == "applied":
        raise LibsyncError("collection.already_applied", exit_code=1, id=proposal["id"],
                           decision=proposal.get("decision", ""))
    library = proposal["library"]
    loaded = Store.of(repo).records(strict=True, library=library)
    where: dict[str, tuple[int, int]] = {}
    for d, record in enumerate(loaded.documents):
        for i, item in enumerate(record.get("items") or []):
            where.setdefault(str(item.get("barcode", "")).casefold(), (d, i))
    changed: dict[int, dict[str, Any]] = {}
    problems: list[str] = []
    for entry in proposal["copies"]:
        spot = where.get(entry["barcode"].casefold())
        if spot is None:
            problems.append(t("collection.apply_missing", barcode=entry["barcode"]))
            continue
        d, i = spot
        record = changed.get(d) or copymod.deepcopy(loaded.documents[d])
        item = record["items"][i]
        if item.get("status") == "withdrawn":
            problems.append(t("collection.apply_withdrawn", barcode=entry["barcode"], ref=item.get("status_ref", "")))
            continue
        if item.get("holder") not in (None, library):
            problems.append(t("collection.apply_away", barcode=entry["barcode"], holder=item["holder"]))
            continue
        item["status"] = "withdrawn"
        item["status_date"] = date.isoformat()
        item["status_ref"] = decision
        item["removal"] = {"date": date.isoformat(), "reason": entry.get("reason") or proposal["rule"],
                           "decision": decision, "ref": proposal["id"]}
        changed[d] = record
    if problems:
        raise LibsyncError("collection.apply_refused", exit_code=1, id=proposal["id"], n=len(problems),
                           problems="\n  ".join(problems[:10]))
    done = dict(proposal, status="applied", decision=decision, decided=date.isoformat())
    documents: dict[str, dict[str, Any] | None] = {loaded.paths[d]: rec for d, rec in changed.items()}
    documents[rel] = done
    message = t("collection.commit.apply", id=proposal["id"], decision=decision) if commit else None
    # the records and the proposal as read: a change another command made since is never undone
    ids = Store.of(repo).listing.ids
    store_write.apply_documents(repo, documents, message=message, command=f"withdraw apply {proposal['id']}",
                                expected={path: ids.get(path, "") for path in documents})
    return {"id": proposal["id"], "path": rel, "copies": len(proposal["copies"]), "records": len(changed),
            "decision": decision, "date": date.isoformat()}


# --- the dossier -------------------------------------------------------------------------------

def dossier(repo: Repository, result: dict[str, Any], today: dt.date | None = None) -> Document:
    """The council's dossier: the list, the minutes of the council's meeting, a draft decision."""
    from libsync.render.document import Document, Paragraph, Signature, Table

    today = today or dt.date.today()
    proposal = result["proposal"]
    library = proposal["library"]
    info = repo.network.library(library)
    name = str(info.get("name") or library)
    rows: list[CopyRow] = result["rows"]
    total = sum(r.price for r in rows)
    amount = money(total)
    reason = t(f"collection.reason.{proposal['rule']}")
    table = Table(
        header=[t("collection.col.no"), t("collection.col.barcode"), t("collection.col.title"),
                t("collection.col.authors"), t("collection.col.publisher_year"), t("collection.col.price"),
                t("collection.col.reason")],
        rows=[[str(n), r.barcode, r.title, r.authors, ", ".join(x for x in (r.publisher, r.year) if x),
               money(r.price), reason] for n, r in enumerate(rows, 1)],
        totals=["", t("collection.total"), t("collection.dossier.copies", n=len(rows)), "", "", amount, ""],
        align=["center", "left", "left", "left", "left", "right", "left"], wide=2,
    )
    principal = info.get("principal") or {}
    librarian = (info.get("librarians") or [{}])[0]
    body: list[Paragraph | Table] = [
        Paragraph(t("collection.dossier.part_list"), style="heading"),
        Paragraph(t("collection.dossier.list_intro", school=name, n=len(rows), holdings=result["holdings"],
                    share=f"{len(rows) * 100 / max(result['holdings'], 1):.1f}", cap=f"{result['max_share'] * 100:g}",
                    value=amount, rule=reason)),
        table,
        Paragraph(t("collection.dossier.part_minutes"), style="heading"),
        Paragraph(t("collection.dossier.minutes_intro", school=name)),
        Paragraph(t("collection.dossier.minutes_members", principal=principal.get("name", "…"),
                    librarian=librarian.get("name", "…"))),
        Paragraph(t("collection.dossier.minutes_body", n=len(rows), value=amount, rule=reason, id=proposal["id"])),
        Paragraph(t("collection.dossier.minutes_end")),
        Paragraph(t("collection.dossier.part_decision"), style="heading"),
        Paragraph(t("collection.dossier.decision_title", school=name.upper()), style="center"),
        Paragraph(t("collection.dossier.decision_basis")),
        Paragraph(t("collection.dossier.decision_art1", n=len(rows), value=amount, id=proposal["id"])),
        Paragraph(t("collection.dossier.decision_art2")),
        Paragraph(t("collection.dossier.decision_art3")),
    ]
    from libsync.render.letterhead import letterhead

    head = letterhead(repo.network, library, t("collection.dossier.title"))   # refused with a blank header
    return Document(
        title=t("collection.dossier.title"), issuer=head.issuer, place=head.place, date=today,
        subtitle=t("collection.dossier.subtitle", id=proposal["id"]), body=body,
        signatures=[[Signature(t("collection.dossier.sign_librarian"), name=str(librarian.get("name", ""))),
                     Signature(t("collection.dossier.sign_principal"), name=str(principal.get("name", "")))]],
    )


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The JSON of ``propose``: the id, the figures of the cap, the candidates."""
    rows: list[CopyRow] = result["rows"]
    return {"id": result["id"], "path": result["path"], "library": result["proposal"]["library"],
            "rule": result["proposal"]["rule"], "holdings": result["holdings"], "max_share": result["max_share"],
            "count": len(rows), "value": sum(r.price for r in rows),
            "copies": [{"barcode": r.barcode, "record": r.record, "title": r.title, "price": r.price} for r in rows]}
