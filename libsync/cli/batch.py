"""`libsync batch add|set|remove|list`: rotation batches in network.yaml, edited by command.

Arguments and rendering only; the work is ``libsync.edit.batches``."""

from __future__ import annotations

from typing import Any

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    bounded,
    check_format,
    commit_option,
    console,
    dry_run_option,
    format_option,
    library_option,
    print_json,
    report_start,
    repository,
)
from libsync.cli.record import change_table, done
from libsync.cli.tables import Column, print_table
from libsync.edit.batches import CLEARABLE, BatchEdit
from libsync.i18n import t
from libsync.model.enums import RECORD_TYPES


def report(outcome: BatchEdit, fmt: str) -> None:
    from libsync.edit.records import value_text

    out = report_start(outcome, fmt)
    if out is None:
        return
    out.print(t({"add": "edit.batch.added", "set": "edit.batch.changed", "remove": "edit.batch.removed"}[outcome.action],
                batch=outcome.id))
    if not outcome.changes:
        out.print(t("edit.nothing_changed"))
        return
    change_table([[c.field, value_text(c.old), value_text(c.new)] for c in outcome.changes])
    if outcome.copies is not None:
        out.print(t("edit.batch.summary", batch=outcome.id, copies=outcome.copies, left_out=outcome.left_out))
    done(outcome.dry_run, [outcome.file], outcome.commit)


def _filter_options() -> dict[str, Any]:
    """The filter options ``add`` and ``set`` share (one definition)."""
    return {
        "types": typer.Option(None, "--type", help=t("help.batch.type", choices=labels.choices("type", RECORD_TYPES))),
        "grades": typer.Option(None, "--grade", callback=_grades, help=t("help.batch.grade")),
        "subjects": typer.Option(None, "--subject", help=t("help.batch.subject")),
        "series": typer.Option(None, "--series", help=t("help.batch.series")),
        "call_from": typer.Option(None, "--call-from", help=t("help.batch.call_from")),
        "call_to": typer.Option(None, "--call-to", help=t("help.batch.call_to")),
        "barcodes": typer.Option(None, "--barcode", help=t("help.batch.barcode")),
        "records": typer.Option(None, "--record", help=t("help.batch.record")),
        "scan": typer.Option(None, "--scan", metavar="FILE", help=t("help.batch.scan")),
    }


def _grades(values: list[int] | None) -> list[int] | None:
    check = bounded(1, 12)
    for value in values or []:
        check(value)
    return values


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.batch"), no_args_is_help=True)
    app.add_typer(sub, name="batch")
    opt = _filter_options()

    @sub.command("add", help=t("help.batch.add"))
    def add_cmd(
        ctx: typer.Context,
        batch_id: str = typer.Argument(..., metavar="ID", help=t("help.batch.id")),
        library: str = library_option(...),
        name: str = typer.Option(..., "--name", help=t("help.batch.name")),
        group: str | None = typer.Option(None, "--group", "-g", help=t("help.batch.group")),
        notes: str | None = typer.Option(None, "--notes", help=t("help.batch.notes")),
        types: list[str] = opt["types"], grades: list[int] = opt["grades"], subjects: list[str] = opt["subjects"],
        series: list[str] = opt["series"], call_from: str | None = opt["call_from"],
        call_to: str | None = opt["call_to"], barcodes: list[str] = opt["barcodes"],
        records: list[str] = opt["records"], scan: str | None = opt["scan"],
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.batches import add_batch, build_filter

        fmt = check_format(fmt, TEXT_JSON)
        flt = build_filter(types=types, grades=grades, subjects=subjects, series=series, call_from=call_from,
                           call_to=call_to, barcodes=barcodes, records=records, scan=scan)
        report(add_batch(repository(ctx), batch_id, library=library, name=name, group=group, notes=notes,
                         filter=flt, commit=commit, dry_run=dry_run), fmt)

    @sub.command("set", help=t("help.batch.set"))
    def set_cmd(
        ctx: typer.Context,
        batch_id: str = typer.Argument(..., metavar="ID", help=t("help.batch.id")),
        library: str | None = library_option(),
        name: str | None = typer.Option(None, "--name", help=t("help.batch.name")),
        group: str | None = typer.Option(None, "--group", "-g", help=t("help.batch.group")),
        notes: str | None = typer.Option(None, "--notes", help=t("help.batch.notes")),
        types: list[str] = opt["types"], grades: list[int] = opt["grades"], subjects: list[str] = opt["subjects"],
        series: list[str] = opt["series"], call_from: str | None = opt["call_from"],
        call_to: str | None = opt["call_to"], barcodes: list[str] = opt["barcodes"],
        records: list[str] = opt["records"], scan: str | None = opt["scan"],
        clear: list[str] = typer.Option(None, "--clear", metavar="FIELD",
                                        help=t("help.batch.clear", choices=", ".join(CLEARABLE))),
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.batches import build_filter, set_batch

        fmt = check_format(fmt, TEXT_JSON)
        flt = build_filter(types=types, grades=grades, subjects=subjects, series=series, call_from=call_from,
                           call_to=call_to, barcodes=barcodes, records=records, scan=scan)
        report(set_batch(repository(ctx), batch_id, library=library, name=name, group=group, notes=notes,
                         filter=flt, clear=clear or [], commit=commit, dry_run=dry_run), fmt)

    @sub.command("remove", help=t("help.batch.remove"))
    def remove_cmd(
        ctx: typer.Context,
        batch_id: str = typer.Argument(..., metavar="ID", help=t("help.batch.id")),
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.batches import remove_batch

        fmt = check_format(fmt, TEXT_JSON)
        report(remove_batch(repository(ctx), batch_id, commit=commit, dry_run=dry_run), fmt)

    @sub.command("list", help=t("help.batch.list"))
    def list_cmd(
        ctx: typer.Context,
        library: str | None = library_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.batches import list_batches

        fmt = check_format(fmt, TEXT_JSON)
        rows = list_batches(repository(ctx), library)
        if fmt == "json":
            print_json(rows)
            return
        if not rows:
            console().print(t("edit.batch.none"))
            return
        columns = [Column(t("edit.col.batch"), whole=True), Column(t("edit.col.library"), whole=True),
                   Column(t("edit.col.name"), drop=2), Column(t("edit.col.group"), whole=True, drop=1),
                   Column(t("edit.col.copies"), whole=True, justify="right"),
                   Column(t("edit.col.left_out"), whole=True, justify="right")]
        print_table(columns, [[row["id"], row["library"], row["name"], row.get("group") or "—", row["copies"],
                               row["left_out"]] for row in rows])
