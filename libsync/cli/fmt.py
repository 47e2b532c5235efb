"""`libsync fmt`: write the repository's YAML in canonical form."""

from __future__ import annotations

import typer

from libsync.cli.common import TEXT_JSON, check_format, format_option, paths_argument, print_json, repository
from libsync.fmt import format_repository
from libsync.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("fmt", help=t("help.fmt"))
    def fmt_cmd(
        ctx: typer.Context,
        paths: list[str] | None = paths_argument("help.fmt.paths"),
        check: bool = typer.Option(False, "--check", help=t("help.fmt.check")),
        fmt: str = format_option(),
    ) -> None:
        fmt = check_format(fmt, TEXT_JSON)
        repo = repository(ctx)
        from libsync.validation.engine import _selected

        files = repo.data_files()
        chosen = sorted(_selected(repo.root, files, paths or None, None) & set(files))
        result = format_repository(repo.root, chosen, check=check)
        if fmt == "json":
            print_json({"check": check, **result.to_dict()})
        else:
            for rel in result.changed:
                typer.echo(t("fmt.would_change" if check else "fmt.changed", path=rel))
            for problem in result.skipped:
                where = f"{problem.file}:{problem.line}" if problem.line else problem.file
                typer.echo(t("fmt.skipped", path=where, reason=problem.message), err=True)
            if check:
                typer.echo(t("fmt.summary_check", count=len(result.changed)))
            else:
                typer.echo(t("fmt.summary", count=len(result.changed), same=len(result.unchanged)))
        failed = (check and result.changed) or result.skipped
        raise typer.Exit(1 if failed else 0)
