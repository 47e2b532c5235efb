"""`libsync schedule TERM`: plan a term's rotation; table, JSON, .ics, proposed manifests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from rich.table import Table

from libsync.cli.common import (
    TEXT_JSON,
    bounded,
    by_option,
    check_format,
    commit_option,
    console,
    date_option,
    format_option,
    print_json,
    repository,
)
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.network import MAX_STAY_LIMIT, parse_date
from libsync.store.output import check_output, write_output


def parse_day(value: str | None, required: bool = False) -> dt.date | None:
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise LibsyncError("rotation.bad_date", value=value)
    return day


def reason_text(entry: dict[str, Any]) -> str:
    params = {k: v for k, v in entry.items() if k not in ("reason",)}
    params.setdefault("ref", "—")
    params["ref"] = params["ref"] or "—"
    return t(f"rotation.reason.{entry['reason']}", **params)


def register(app: typer.Typer) -> None:
    @app.command("schedule", help=t("help.schedule"))
    def schedule_cmd(
        ctx: typer.Context,
        term: str = typer.Argument(..., metavar="TERM", help=t("help.schedule.term")),
        group: str | None = typer.Option(None, "--group", "-g", help=t("help.schedule.group")),
        max_stay_days: int | None = typer.Option(None, "--max-stay-days", callback=bounded(1, MAX_STAY_LIMIT), help=t("help.schedule.max_stay")),
        earliest: str | None = date_option("help.schedule.from", "--from"),
        fmt: str = format_option(),
        ics: str | None = typer.Option(None, "--ics", metavar="FILE", help=t("help.schedule.ics")),
        write: bool = typer.Option(False, "--write", help=t("help.schedule.write")),
        commit: bool = commit_option(),
        by: str | None = by_option(),
    ) -> None:
        from libsync.rotation.batches import CopyIndex
        from libsync.rotation.calendar import plan_to_ics
        from libsync.rotation.lifecycle import create_from_plan
        from libsync.rotation.schedule import libraries_without_batches, plan_term

        fmt = check_format(fmt, TEXT_JSON)
        repo = repository(ctx)
        if ics:
            check_output(ics, repo.root)
        network = repo.network
        network.term(term)
        index = CopyIndex.from_repository(repo)
        plan = plan_term(network, index, term, group, max_stay_days, parse_day(earliest))
        written = None
        if ics:
            write_output(ics, plan_to_ics(plan, network), repo.root)
        if write:
            written = create_from_plan(repo, plan, by=by, commit=commit)
        without = libraries_without_batches(network, group)
        if fmt == "json":
            data = plan.to_dict()
            data["without_batches"] = without
            data["left_out"] = {b: r.left_out for b, r in plan.batches.items() if r.left_out}
            if written is not None:
                data["written"] = written
            if ics:
                data["ics"] = ics
            print_json(data)
            return
        out = console()
        table = Table(title=t("rotation.schedule.title", term=plan.term, name=plan.term_name))
        for key in ("handover", "return_due", "batch", "from", "to", "copies", "days", "exchange"):
            table.add_column(t(f"rotation.schedule.col.{key}"), justify="right" if key in ("copies", "days") else "left",
                             no_wrap=key != "batch")
        for s in plan.stages:
            table.add_row(s.handover.isoformat(), s.return_due.isoformat(), s.batch, s.sender, s.receiver,
                          str(s.copies), str(s.stay_days), s.exchange_id)
        if plan.stages:
            out.print(table)
        else:
            out.print(t("rotation.schedule.empty", term=plan.term))
            if not network.batches:
                out.print(t("edit.schedule.no_batches"))
        if without and network.batches:
            out.print(t("edit.schedule.libraries_without", libraries=", ".join(without)))
        balance = plan.balance()
        if balance:
            out.print(t("rotation.schedule.balance"))
            bt = Table()
            for key in ("library", "sent", "received"):
                bt.add_column(t(f"rotation.schedule.col.{key}"), justify="left" if key == "library" else "right")
            for lib, row in balance.items():
                bt.add_row(lib, str(row["sent"]), str(row["received"]))
            out.print(bt)
        for u in plan.unplaced:
            out.print(t("rotation.schedule.unplaced", batch=u.batch, library=u.library,
                        reason=t(f"rotation.unplaced.{u.reason}", **u.params)))
        placed = {s.batch for s in plan.stages}
        for batch, result in plan.batches.items():
            if result.left_out and batch in placed:
                details = "; ".join(f"{e['barcode']}: {reason_text(e)}" for e in result.left_out[:20])
                out.print(t("rotation.schedule.left_out", batch=batch, count=len(result.left_out), details=details))
        if ics:
            out.print(t("rotation.schedule.ics_written", path=ics, count=2 * len(plan.stages)))
        if written is not None:
            out.print(t("rotation.schedule.written", count=len(written["written"]), skipped=len(written["skipped"])))
