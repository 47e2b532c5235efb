"""`libsync recover`: undo or complete what a killed libsync command left half-done."""

from __future__ import annotations

import typer

from libsync.cli.common import TEXT_JSON, check_format, format_option, print_json, repository
from libsync.i18n import t


def register(app: typer.Typer) -> None:
    @app.command("recover", help=t("help.recover"))
    def recover_cmd(
        ctx: typer.Context,
        fmt: str = format_option(),
    ) -> None:
        from libsync.store.write import recover_all

        fmt = check_format(fmt, TEXT_JSON)
        outcome = recover_all(repository(ctx))
        if fmt == "json":
            print_json(outcome)
            return
        for journal in outcome["journals"]:
            key = "recover.completed" if journal["action"] == "completed" else "recover.rolled_back"
            typer.echo(t(key, pid=journal["pid"], count=len(journal["files"])))
        for stray in outcome["strays"]:
            action = t(f"recover.stray.{stray['action']}", target=stray.get("target", ""))
            typer.echo(t("recover.stray", path=stray["path"], action=action))
        if not outcome["journals"] and not outcome["strays"]:
            typer.echo(t("recover.nothing"))
