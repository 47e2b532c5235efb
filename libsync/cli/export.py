"""`libsync export FORMAT [--library CODE] [--audience …] -o FILE` and `libsync export xlsx --library CODE
--for-edit -o FILE` (the sheet to edit, ``libsync.interchange.editsheet``): parsing and the report only."""

from __future__ import annotations

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    audience_option,
    check_format,
    format_option,
    library_option,
    output_option,
    print_json,
    repository,
)
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.interchange import editsheet, exporter
from libsync.store.output import check_output, write_output

REPORT_FORMATS = TEXT_JSON


def register(app: typer.Typer) -> None:
    @app.command("export", help=t("help.export"))
    def export_cmd(
        ctx: typer.Context,
        fmt: str = typer.Argument(..., metavar="marc|marcxml|csv|xlsx|json", help=t("help.export.opt.format")),
        output: str = output_option(help_key="help.export.opt.output"),
        library: str | None = library_option(help_key="help.export.opt.library"),
        audience: str | None = audience_option(None, help_key="help.export.opt.audience"),
        report: str = format_option(REPORT_FORMATS, help_key="help.export.opt.report"),
        for_edit: bool = typer.Option(False, "--for-edit", help=t("help.export.opt.for_edit")),
    ) -> None:
        fmt = check_format(fmt, exporter.FORMATS)
        report = check_format(report, REPORT_FORMATS)
        if for_edit:
            export_for_edit(ctx, fmt, output, library, audience, report)
            return
        repo = repository(ctx)
        check_output(output, repo.root)
        result = exporter.export(repo, fmt, library=library, audience=audience)
        write_output(output, result.data, repo.root)
        if report == "json":
            data = result.to_dict()
            data["output"] = output
            print_json(data)
        else:
            typer.echo(t("interchange.export.done", records=result.records, fmt=fmt, audience=labels.audience(result.audience),
                         path=output))
            if fmt in ("marc", "marcxml"):
                typer.echo(t("interchange.export.marc_count", n=result.marc_records))
            if result.split:
                typer.echo(t("interchange.export.split", ids=", ".join(result.split)))
            if result.refused:
                typer.echo(t("interchange.export.refused", n=len(result.refused)), err=True)
                for key, params in result.refused:
                    typer.echo("  " + t(key, **params), err=True)
        if result.refused:
            raise typer.Exit(1)


def export_for_edit(ctx: typer.Context, fmt: str, output: str, library: str | None, audience: str | None,
                    report: str) -> None:
    """``--for-edit``: the library's own sheet to edit, in full (the audience is the library itself)."""
    if fmt != "xlsx":
        raise LibsyncError("interchange.edit.xlsx_only", fmt=fmt)
    if not library:
        raise LibsyncError("interchange.edit.library_required")
    if audience is not None and audience != library:
        raise LibsyncError("interchange.edit.audience", library=library, audience=audience)
    repo = repository(ctx)
    check_output(output, repo.root)
    result = editsheet.export_edit(repo, library)
    write_output(output, result.data, repo.root)
    if report == "json":
        data = result.to_dict()
        data["output"] = output
        print_json(data)
    else:
        typer.echo(t("interchange.edit.exported", library=library, records=result.records, rows=result.rows,
                     path=output))
        typer.echo(t("interchange.edit.next", path=output, library=library))
        if result.refused:
            typer.echo(t("interchange.export.refused", n=len(result.refused)), err=True)
            for key, params in result.refused:
                typer.echo("  " + t(key, **params), err=True)
    if result.refused:
        raise typer.Exit(1)
