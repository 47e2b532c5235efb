"""`libsync accession`: register a delivery (nhập kho) — thin: parses, calls
``libsync.collection.accession.accession``, renders."""

from __future__ import annotations

import typer

from libsync.cli.common import (
    TEXT_JSON,
    by_option,
    check_dated,
    check_format,
    commit_option,
    console,
    date_option,
    dry_run_option,
    format_option,
    print_json,
    repository,
    yes_option,
)
from libsync.cli.schedule import parse_day
from libsync.cli.tables import Column, print_table
from libsync.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("accession", help=t("help.accession"))
    def accession_cmd(
        ctx: typer.Context,
        library: str = typer.Option(..., "--library", "-l", help=t("help.accession.library")),
        source: str = typer.Option(..., "--source", help=t("help.accession.source")),
        doc: str = typer.Option(..., "--doc", help=t("help.accession.doc")),
        date: str = date_option("help.accession.date", default=...),
        supplier: str | None = typer.Option(None, "--supplier", help=t("help.accession.supplier")),
        file: str = typer.Option(..., "--file", metavar="FILE", help=t("help.accession.file")),
        barcodes: str | None = typer.Option(None, "--barcodes", metavar="START", help=t("help.accession.barcodes")),
        line: int | None = typer.Option(None, "--line", min=1, help=t("help.accession.line")),
        by: str | None = by_option(),
        dry_run: bool = dry_run_option(),
        commit: bool = commit_option(),
        yes: bool = yes_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.collection.accession import Delivery, accession, source_code

        fmt = check_format(fmt, TEXT_JSON)
        day = parse_day(date)
        assert day is not None   # a required option
        check_dated([day], yes=yes or dry_run,
                    fix="" if dry_run else "dates.fix_undo" if commit else "dates.fix_restore")
        delivery = Delivery(library=library, source=source_code(source), document=doc, date=day, supplier=supplier,
                            line=line, barcodes=barcodes)
        result = accession(repository(ctx), delivery, file, dry_run=dry_run, commit=commit, by=by)
        if fmt == "json":
            print_json(result)
            return
        out = console()
        print_table([Column(t(f"collection.accession.col.{key}"), whole=True, drop=1 if key == "new" else 0)
                     for key in ("barcode", "record", "register_no", "new")],
                    [[c["barcode"], c["record"], c["register_no"], "✓" if c["new"] else ""] for c in result["copies"]])
        new = len({c["record"] for c in result["copies"] if c["new"]})
        out.print(t("collection.accession.done", count=result["count"], library=library,
                    register_no=result["register_no"], new=new))
        if dry_run:
            out.print(t("collection.accession.dry_run"))
