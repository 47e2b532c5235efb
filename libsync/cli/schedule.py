"""`libsync schedule TERM`: plan a term's rotation; table, JSON, .ics, proposed manifests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

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
    verbose_option,
)
from libsync.cli.tables import Column, print_table
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
    if params.get("status"):
        params["status"] = t(f"inventory.status.{params['status']}")
    return t(f"rotation.reason.{entry['reason']}", **params)


def reason_groups(entries: list[dict[str, Any]]) -> str:
    """Copies left out, counted by why, largest group first: "12 đang cho mượn, 5 hư hỏng"."""
    counts: dict[str, int] = {}
    for e in entries:
        label = (t(f"inventory.status.{e['status']}") if e["reason"] == "status" and e.get("status")
                 else t(f"rotation.reason_group.{e['reason']}"))
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(t("rotation.reason_group.count", count=n, label=label)
                     for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


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
        verbose: bool = verbose_option(),
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
        columns = [Column(t("rotation.schedule.col.handover"), whole=True),
                   Column(t("rotation.schedule.col.return_due"), whole=True),
                   Column(t("rotation.schedule.col.batch"), whole=True, drop=2),
                   Column(t("rotation.schedule.col.from"), whole=True), Column(t("rotation.schedule.col.to"), whole=True),
                   Column(t("rotation.schedule.col.copies"), whole=True, justify="right"),
                   Column(t("rotation.schedule.col.days"), whole=True, justify="right", drop=3),
                   Column(t("rotation.schedule.col.exchange"), whole=True, drop=1)]
        if plan.stages:
            print_table(columns, [[s.handover.isoformat(), s.return_due.isoformat(), s.batch, s.sender, s.receiver,
                                   s.copies, s.stay_days, s.exchange_id] for s in plan.stages],
                        title=t("rotation.schedule.title", term=plan.term, name=plan.term_name))
        else:
            out.print(t("rotation.schedule.empty", term=plan.term))
            if not network.batches:
                out.print(t("edit.schedule.no_batches"))
        if without and network.batches:
            out.print(t("edit.schedule.libraries_without", libraries=", ".join(without)))
        balance = plan.balance()
        if balance:
            out.print(t("rotation.schedule.balance"))
            print_table([Column(t("rotation.schedule.col.library"), whole=True),
                         Column(t("rotation.schedule.col.sent"), whole=True, justify="right"),
                         Column(t("rotation.schedule.col.received"), whole=True, justify="right")],
                        [[lib, row["sent"], row["received"]] for lib, row in balance.items()])
        for u in plan.unplaced:
            out.print(t("rotation.schedule.unplaced", batch=u.batch, library=u.library,
                        reason=t(f"rotation.unplaced.{u.reason}", **u.params)))
        placed = {s.batch for s in plan.stages}
        hidden = False
        for batch, result in plan.batches.items():
            if result.left_out and batch in placed:
                out.print(t("rotation.schedule.left_out_groups", batch=batch, count=len(result.left_out),
                            groups=reason_groups(result.left_out)))
                hidden = hidden or not verbose
                for e in result.left_out if verbose else []:
                    out.print(t("rotation.schedule.left_out_item", barcode=e["barcode"], reason=reason_text(e)))
        if hidden:
            out.print(t("rotation.schedule.verbose_hint"))
        if ics:
            out.print(t("rotation.schedule.ics_written", path=ics, count=2 * len(plan.stages)))
        if written is not None:
            out.print(t("rotation.schedule.written", count=len(written["written"]), skipped=len(written["skipped"])))
