"""`libsync copy set BARCODE… --status … --ref …`: the status of copies, set by hand.

Arguments and rendering only; the work is ``libsync.edit.copies``."""

from __future__ import annotations

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    check_format,
    commit_option,
    date_option,
    dry_run_option,
    format_option,
    library_option,
    report_start,
    repository,
)
from libsync.cli.record import done
from libsync.cli.tables import Column, print_table
from libsync.edit.copies import SETTABLE, CopyEdit
from libsync.i18n import t


def report(outcome: CopyEdit, fmt: str) -> None:
    out = report_start(outcome, fmt)
    if out is None:
        return
    if outcome.unchanged:
        out.print(t("edit.copy.unchanged", barcodes=", ".join(outcome.unchanged)))
    if not outcome.changed:
        out.print(t("edit.nothing_changed"))
        return
    status = t(f"inventory.status.{outcome.status}")
    out.print(t("edit.copy.summary", count=len(outcome.changed), status=status, ref=outcome.ref or "—",
                date=outcome.date))
    rows = [[c.barcode, f"{c.library}/{c.record}", c.title, t(f"inventory.status.{c.old['status']}"), status]
            for c in outcome.changed]
    print_table([Column(t("edit.col.barcode"), whole=True), Column(t("edit.col.record"), whole=True, drop=2),
                 Column(t("edit.col.title"), drop=1), Column(t("edit.col.old"), whole=True),
                 Column(t("edit.col.new"), whole=True)], rows)
    done(outcome.dry_run, outcome.files, outcome.commit)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.copy"), no_args_is_help=True)
    app.add_typer(sub, name="copy")

    @sub.command("set", help=t("help.copy.set"))
    def set_cmd(
        ctx: typer.Context,
        barcodes: list[str] = typer.Argument(None, metavar="BARCODE", help=t("help.copy.barcodes")),
        status: str = typer.Option(..., "--status", "-s", help=t("help.copy.status", choices=labels.choices("item-status", SETTABLE))),
        ref: str | None = typer.Option(None, "--ref", help=t("help.copy.ref")),
        date: str | None = date_option("help.copy.date"),
        note: str | None = typer.Option(None, "--note", help=t("help.copy.note")),
        scan: str | None = typer.Option(None, "--scan", metavar="FILE", help=t("help.copy.scan")),
        library: str | None = library_option(help_key="help.copy.library"),
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.copies import set_status

        fmt = check_format(fmt, TEXT_JSON)
        report(set_status(repository(ctx), barcodes or [], status, ref=ref, date=date, note=note, library=library,
                          scan=scan, commit=commit, dry_run=dry_run), fmt)
