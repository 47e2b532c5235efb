"""`libsync exchange …`: the lifecycle of exchange manifests, listing, minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from libsync.cli.common import (
    TEXT_JSON,
    by_option,
    check_dated,
    check_format,
    commit_option,
    console,
    date_option,
    format_option,
    library_option,
    output_option,
    print_json,
    repository,
    verbose_option,
    yes_option,
)
from libsync.cli.common import confirm as ask_yes
from libsync.cli.schedule import parse_day, reason_groups, reason_text
from libsync.cli.tables import Column, print_table
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store.output import check_output

if TYPE_CHECKING:
    from libsync.problems import Problem
    from libsync.repository import Repository
    from libsync.rotation.lifecycle import Outcome


def _report(outcome: Outcome, fmt: str, verbose: bool = False) -> None:
    if fmt == "json":
        print_json(outcome.to_dict())
        return
    out = console()
    if outcome.check:
        c = outcome.check["counts"]
        out.print(t("rotation.check_summary", present=c["present"], missing=c["missing"], extra=c["extra"], twice=c["twice"]))
        if outcome.check["missing"]:
            out.print(t("rotation.missing_list", barcodes=", ".join(outcome.check["missing"])))
        if outcome.check["extra"]:
            out.print(t("rotation.extra_list", barcodes=", ".join(outcome.check["extra"])))
    if outcome.left_out:   # counted by reason; each copy with --verbose
        out.print(t("rotation.left_out_groups", count=len(outcome.left_out), groups=reason_groups(outcome.left_out)))
        for e in outcome.left_out if verbose else []:
            out.print(t("rotation.schedule.left_out_item", barcode=e["barcode"], reason=reason_text(e)))
        if not verbose:
            out.print(t("rotation.schedule.verbose_hint"))
    if outcome.losses and outcome.status == "closed":
        out.print(t("rotation.lost_list", barcodes=", ".join(x["barcode"] for x in outcome.losses)))
    if outcome.action == "receive":   # received n of m: the console says what the minutes say
        out.print(t("rotation.done_receive_dry" if outcome.dry_run else "rotation.done_receive",
                    exchange=outcome.exchange, status=t(f"rotation.status.{outcome.status}"),
                    received=outcome.count - len(outcome.not_received), count=outcome.count,
                    files=", ".join(outcome.files)))
        if outcome.not_received:
            out.print(t("rotation.not_received", count=len(outcome.not_received),
                        barcodes=", ".join(outcome.not_received)))
    elif outcome.action == "return" and not outcome.dry_run:   # returned n of m, as the return minutes say
        out.print(t("rotation.done_return", exchange=outcome.exchange, count=outcome.count,
                    returned=outcome.count - len(outcome.not_returned), files=", ".join(outcome.files)))
    else:
        out.print(t("rotation.done_dry" if outcome.dry_run else "rotation.done", exchange=outcome.exchange,
                    status=t(f"rotation.status.{outcome.status}"), count=outcome.count, files=", ".join(outcome.files)))
    if outcome.dry_run:
        out.print(t("rotation.dry_run"))
    if outcome.commit:
        out.print(t("rotation.done_commit", sha=outcome.commit[:10], branch=outcome.branch or "HEAD"))
    if outcome.pushed:
        out.print(t("rotation.done_push", branch=outcome.branch, remote=outcome.pushed))


def warn_dates(repo: Repository, term: str, days: list[str | None], *, yes: bool = False, fix: str = "") -> None:
    """Before a step is recorded: a typed day in the future or outside the exchange's term is said
    on stderr and, on a terminal, asked about (``libsync.cli.common.check_dated``). (A proposal's
    handover lies ahead by nature, and propose itself refuses one outside the term.)"""
    period = repo.network.terms.get(term)
    check_dated([parse_day(value) for value in days], period=(period.start, period.end) if period else None,
                term=period.name if period else term, yes=yes, fix=fix)


def _outcome_label(code: str | None) -> str:
    """What became of a copy (``missing-on-receipt`` …) in words; blank while it has no outcome."""
    return t(f"rotation.outcome.{code}") if code else ""


def _status_cell(row: dict[str, Any]) -> str:
    """A listed exchange's status in words, marked when the proposal still waits on its branch."""
    status = t(f"rotation.status.{row['status']}")
    return t("rotation.list.status_waiting", status=status) if row.get("branch") else status


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.exchange"), no_args_is_help=True)
    app.add_typer(sub, name="exchange")

    @sub.command("propose", help=t("help.exchange.propose"))
    def propose_cmd(
        ctx: typer.Context,
        term: str = typer.Option(..., "--term", help=t("help.exchange.term")),
        sender: str = typer.Option(..., "--from", help=t("help.exchange.from")),
        receiver: str = typer.Option(..., "--to", help=t("help.exchange.to")),
        handover: str = date_option("help.exchange.handover", "--handover", default=...),
        return_due: str | None = date_option("help.exchange.return_due", "--return-due"),
        kind: str = typer.Option("rotation", "--kind", help=t("help.exchange.kind_propose")),
        batch: str | None = typer.Option(None, "--batch", help=t("help.exchange.batch")),
        barcodes: list[str] | None = typer.Option(None, "--barcode", help=t("help.exchange.barcode")),
        exchange_id: str | None = typer.Option(None, "--id", help=t("help.exchange.new_id")),
        by: str | None = by_option(),
        date: str | None = date_option("help.exchange.date"),
        note: str | None = typer.Option(None, "--note", help=t("help.exchange.note")),
        push: bool = typer.Option(False, "--push", help=t("help.exchange.push")),
        remote: str = typer.Option("origin", "--remote", help=t("help.exchange.remote")),
        no_branch: bool = typer.Option(False, "--no-branch", help=t("help.exchange.no_branch")),
        yes: bool = yes_option(),
        fmt: str = format_option(),
        verbose: bool = verbose_option(),
    ) -> None:
        from libsync.rotation.lifecycle import propose

        fmt = check_format(fmt, TEXT_JSON)
        repo = repository(ctx)
        warn_dates(repo, term, [date], yes=yes, fix="dates.fix_restore" if no_branch else "dates.fix_propose")
        outcome = propose(
            repo, branch=not no_branch, push=push, remote=remote,
            term=term, sender=sender, receiver=receiver, handover=parse_day(handover), return_due=parse_day(return_due),
            kind=kind,
            batch=batch, barcodes=barcodes, exchange_id=exchange_id, by=by, date=parse_day(date), note=note,
        )
        _report(outcome, fmt, verbose)
        if fmt == "text" and outcome.branch:
            # what happens next, in one sentence: her checkout is back where it was
            from libsync.gitops import current_branch

            partner = repo.network.libraries.get(receiver.upper(), {})
            console().print(t("rotation.propose_next_pushed" if outcome.pushed else "rotation.propose_next_local",
                              back=current_branch(repo.root) or "HEAD", branch=outcome.branch,
                              remote=outcome.pushed or remote, exchange=outcome.exchange,
                              partner=partner.get("short_name") or partner.get("name") or receiver))

    def step(action: str) -> Callable[..., None]:
        def command(
            ctx: typer.Context,
            exchange_id: str = typer.Argument(..., metavar="ID", help=t("help.exchange.id")),
            by: str | None = by_option(),
            date: str | None = date_option("help.exchange.date"),
            note: str | None = typer.Option(None, "--note", help=t("help.exchange.note")),
            scan: str | None = typer.Option(None, "--scan", metavar="FILE", help=t("help.exchange.scan")),
            yes: bool = yes_option(),
            commit: bool = commit_option(),
            fmt: str = format_option(),
            barcodes: str | None = typer.Option(None, "--barcodes", metavar="START", help=t("help.exchange.barcodes"),
                                                hidden=action != "receive"),
            map_file: str | None = typer.Option(None, "--map", metavar="FILE", help=t("help.exchange.map"),
                                                hidden=action != "receive"),
            dry_run: bool = typer.Option(False, "--dry-run", "-n", help=t("help.opt.dry_run"),
                                         hidden=action != "receive"),
        ) -> None:
            from libsync.rotation.lifecycle import advance
            from libsync.rotation.queries import pending_losses

            fmt = check_format(fmt, TEXT_JSON)
            if dry_run and action != "receive":
                raise LibsyncError("rotation.dry_run_receive_only", exit_code=2)
            repo = repository(ctx)
            if date:
                from libsync.rotation.queries import find

                warn_dates(repo, str(find(repo, exchange_id)[1].get("term") or ""), [date], yes=yes or dry_run,
                           fix="" if dry_run else "dates.fix_undo" if commit else "dates.fix_restore")
            confirm = yes
            if action == "close" and not yes:
                losses = pending_losses(repo, exchange_id)
                if losses and fmt == "text":
                    out = console()
                    for x in losses:
                        out.print(f"  - {x['barcode']} ({x['record']})")
                    confirm = ask_yes(t("rotation.confirm_losses", count=len(losses), exchange=exchange_id))
            mapping = None
            if map_file is not None:
                from libsync.rotation.donation import read_map

                mapping = read_map(map_file)
            outcome = advance(repo, exchange_id, action, date=parse_day(date), by=by, note=note, scan=scan,
                              confirm_losses=confirm, commit=commit, barcodes=barcodes, mapping=mapping,
                              dry_run=dry_run)
            _report(outcome, fmt)

        return command

    for action in ("approve", "dispatch", "receive", "return", "close", "cancel"):
        sub.command(action, help=t(f"help.exchange.{action}"))(step(action))

    @sub.command("list", help=t("help.exchange.list"))
    def list_cmd(
        ctx: typer.Context,
        term: str | None = typer.Option(None, "--term", help=t("help.exchange.term")),
        library: str | None = library_option(metavar=None),
        status: str | None = typer.Option(None, "--status", help=t("help.exchange.status")),
        today: str | None = date_option("help.exchange.today", "--today"),
        fmt: str = format_option(),
    ) -> None:
        from libsync.rotation.queries import list_exchanges

        fmt = check_format(fmt, TEXT_JSON)
        skipped: list[Problem] = []
        rows = list_exchanges(repository(ctx), term, library, status, parse_day(today), skipped=skipped)
        for problem in skipped:   # a broken manifest on a proposal's branch: named, on stderr
            typer.echo(problem.message, err=True)
        if fmt == "json":
            print_json(rows)
            return
        out = console()
        if not rows:
            out.print(t("rotation.list.empty"))
            return
        columns = [Column(t("rotation.col.id"), whole=True), Column(t("rotation.col.term"), whole=True, drop=6),
                   Column(t("rotation.schedule.col.from"), whole=True), Column(t("rotation.schedule.col.to"), whole=True),
                   Column(t("rotation.col.status"), whole=True),
                   Column(t("rotation.schedule.col.copies"), whole=True, drop=4, justify="right"),
                   Column(t("rotation.schedule.col.handover"), whole=True, drop=5),
                   Column(t("rotation.schedule.col.return_due"), whole=True, drop=3),
                   Column(t("rotation.col.note"), drop=2)]
        print_table(columns, [[r["id"], r["term"], r["from"], r["to"], _status_cell(r), r["copies"],
                               r["handover"], r["return_due"],
                               t("rotation.list.overdue", days=r["overdue_days"]) if r["overdue"] else ""]
                              for r in rows])
        for r in rows:   # the proposals not merged yet: where each waits
            if r["branch"]:
                out.print(t("rotation.list.waiting", exchange=r["id"], branch=r["branch"]))

    @sub.command("show", help=t("help.exchange.show"))
    def show_cmd(
        ctx: typer.Context,
        exchange_id: str = typer.Argument(..., metavar="ID", help=t("help.exchange.id")),
        fmt: str = format_option(),
    ) -> None:
        from libsync.rotation.queries import find_anywhere, summary

        fmt = check_format(fmt, TEXT_JSON)
        relpath, data, branch = find_anywhere(repository(ctx), exchange_id)
        if fmt == "json":
            print_json({"path": relpath, "branch": branch, "summary": summary(data, relpath) | {"branch": branch},
                        "manifest": data})
            return
        out = console()
        s = summary(data, relpath)
        out.print(Text.assemble((data["id"], "bold"), f" — {data.get('title', '')} ({relpath})"))
        if branch:
            out.print(t("rotation.list.waiting", exchange=data["id"], branch=branch))
        out.print(f"{data['term']}: {data['from']} → {data['to']}; {t('rotation.col.status')}: "
                  f"{t('rotation.status.' + data['status'])}; {s['handover']} → {s['return_due']}"
                  + (f" ({t('rotation.list.overdue', days=s['overdue_days'])})" if s["overdue"] else ""))
        people = data.get("people") or {}
        out.print(t("rotation.show.people", sender=(people.get("sender") or {}).get("name", "—"),
                    receiver=(people.get("receiver") or {}).get("name", "—")))
        columns = [Column(t("rotation.minutes.col.no"), whole=True, justify="right", drop=1),
                   Column(t("rotation.minutes.col.barcode"), whole=True), Column(t("rotation.col.record"), whole=True),
                   Column(t("rotation.col.outcome"), whole=True)]
        print_table(columns, [[n, c["barcode"], c["record"], _outcome_label(c.get("outcome"))]
                              for n, c in enumerate(data["copies"], start=1)])
        print_table([Column(t("rotation.col.date"), whole=True), Column(t("rotation.col.status"), whole=True),
                     Column(t("rotation.col.by"), drop=1), Column(t("rotation.col.note"), drop=2)],
                    [[h["date"], t("rotation.status." + h["status"]), h.get("by"), h.get("note")]
                     for h in data.get("history") or []], title=t("rotation.show.history"))

    @sub.command("minutes", help=t("help.exchange.minutes"))
    def minutes_cmd(
        ctx: typer.Context,
        exchange_id: str = typer.Argument(..., metavar="ID", help=t("help.exchange.id")),
        output: str = output_option(),
        kind: str = typer.Option("dispatch", "--kind", help=t("help.exchange.kind")),
    ) -> None:
        from libsync.render.document import format_of, write
        from libsync.rotation.minutes import build_minutes

        format_of(output)
        repo = repository(ctx)
        check_output(output, repo.root)
        doc = build_minutes(repo, exchange_id, kind)
        write(doc, output)
        console().print(t("rotation.minutes_written", path=output))


__all__ = ["register", "LibsyncError"]
