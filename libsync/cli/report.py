"""`libsync report`: the yearly report of a library or of the network, as HTML or JSON —
arguments only; the figures are computed in ``libsync.collection.report``."""

from __future__ import annotations

import typer

from libsync.cli.common import check_format, library_option, output_option, print_json, repository
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store.output import check_output, write_output

FORMATS = ("html", "json")


def register(app: typer.Typer) -> None:
    @app.command("report", help=t("help.report"))
    def report_cmd(
        ctx: typer.Context,
        library: str | None = library_option(),
        network: bool = typer.Option(False, "--network", help=t("help.report.network")),
        year: str | None = typer.Option(None, "--year", metavar="YYYY-YYYY", help=t("help.report.year")),
        output: str | None = output_option(None, help_key="help.report.output"),
        audience: str | None = typer.Option(None, "--audience", metavar="public|network|CODE",
                                            help=t("help.report.audience")),
        fmt: str = typer.Option("html", "--format", "-f", help=t("help.opt.format", choices="|".join(FORMATS))),
    ) -> None:
        from libsync.collection import report

        fmt = check_format(fmt, FORMATS)
        if bool(library) == network:
            raise LibsyncError("collection.need_scope", exit_code=2)
        repo = repository(ctx)
        figures = report.figures(repo, library.upper() if library else None, year, audience)
        if fmt == "json" and not output:
            print_json(figures)
            return
        if not output:
            raise LibsyncError("collection.need_output", exit_code=2)
        check_output(output, repo.root)   # never into the data, never through a link
        if fmt == "json":
            import json

            text = json.dumps(figures, ensure_ascii=False, indent=2) + "\n"
        else:
            text = report.to_html(figures)
        write_output(output, text.encode("utf-8"), repo.root)
        typer.echo(t("collection.written", path=output), err=True)
