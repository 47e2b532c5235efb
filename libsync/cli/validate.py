"""`libsync validate`: check the repository (or some files) and report."""

from __future__ import annotations

import typer

from libsync.cli.common import bounded, check_format, format_option, no_cache_option, paths_argument, repository
from libsync.cli.progress import bars
from libsync.i18n import t
from libsync.validation import report, validate

FORMATS = ("text", "json", "github")


def register(app: typer.Typer) -> None:
    @app.command("validate", help=t("help.validate"))
    def validate_cmd(
        ctx: typer.Context,
        paths: list[str] | None = paths_argument("help.validate.paths"),
        fmt: str = format_option(FORMATS),
        changed_since: str | None = typer.Option(None, "--changed-since", metavar="REF", help=t("help.validate.changed_since")),
        no_cache: bool = no_cache_option("help.validate.no_cache"),
        strict: bool = typer.Option(False, "--strict", help=t("help.validate.strict")),
        jobs: int | None = typer.Option(None, "--jobs", "-j", callback=bounded(1, 256), help=t("help.validate.jobs")),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        with bars(fmt == "text"):
            result = validate(repo.root, paths=paths or None, changed_since=changed_since,
                              use_cache=not no_cache, workers=jobs)
        if fmt == "json":
            typer.echo(report.to_json(result))
        elif fmt == "github":
            typer.echo("\n".join(report.github_lines(result)))
        else:
            typer.echo("\n".join(report.text_lines(result)))
        failed = not result.ok or (strict and result.warnings)
        raise typer.Exit(1 if failed else 0)
