"""`libsync register general|individual|textbook`: print an official register — arguments only;
the registers are built in ``libsync.collection.registers``."""

from __future__ import annotations

import typer

from libsync.cli.common import library_option, output_option, repository
from libsync.i18n import t
from libsync.store.output import check_output


def register(app: typer.Typer) -> None:
    @app.command("register", help=t("help.register"))
    def register_cmd(
        ctx: typer.Context,
        kind: str = typer.Argument(..., metavar="general|individual|textbook", help=t("help.register.kind")),
        library: str = library_option(...),
        year: str | None = typer.Option(None, "--year", metavar="YYYY-YYYY", help=t("help.register.year")),
        output: str = output_option(help_key="help.register.output"),
    ) -> None:
        from libsync.collection import registers

        registers.check_output(output)
        repo = repository(ctx)
        target = check_output(output, repo.root)   # never into the data, never through a link
        book = registers.build(repo, kind, library.upper(), year)
        registers.write(book, target)
        typer.echo(t("collection.written", path=output), err=True)
