"""`libsync undo`: take back the last commit libsync made (the work is ``libsync.store.undo``)."""

from __future__ import annotations

import typer

from libsync.cli.common import check_format, confirm, dry_run_option, format_option, print_json, repository, yes_option
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store.undo import apply_undo, plan_undo

FORMATS = ("text", "json")


def register(app: typer.Typer) -> None:
    @app.command("undo", help=t("help.undo"))
    def undo_cmd(
        ctx: typer.Context,
        yes: bool = yes_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(FORMATS),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        plan = plan_undo(repo)
        if fmt == "text":
            typer.echo(t("undo.plan", commit=plan.commit[:10], subject=plan.subject, command=plan.command,
                         author=plan.author, date=plan.date))
            for rel, change in plan.changes.items():
                typer.echo(f"  {t('undo.change.' + change)}: {rel}")
        sha = None
        if not dry_run:
            if not yes and not confirm(t("undo.confirm"), err=fmt == "json"):
                raise LibsyncError("share.not_confirmed", exit_code=1)
            sha = apply_undo(repo, plan)
        if fmt == "json":
            print_json({**plan.to_dict(), "dry_run": dry_run, "undo_commit": sha})
        elif dry_run:
            typer.echo(t("share.dry_run"))
        elif sha:
            typer.echo(t("undo.done", sha=sha[:10]))
