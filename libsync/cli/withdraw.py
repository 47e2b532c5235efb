"""`libsync withdraw propose|apply`: a withdrawal round (thanh lọc) — arguments and output only;
the work is in ``libsync.collection.withdraw``."""

from __future__ import annotations

import typer

from libsync.cli.common import (
    check_dated,
    check_format,
    commit_option,
    confirm,
    date_option,
    format_option,
    library_option,
    output_option,
    print_json,
    repository,
    yes_option,
)
from libsync.collection import money
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store.output import check_output


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.withdraw"), no_args_is_help=True)
    app.add_typer(sub, name="withdraw")

    @sub.command("propose", help=t("help.withdraw.propose"))
    def propose_cmd(
        ctx: typer.Context,
        library: str = library_option(...),
        rule: str = typer.Option(..., "--rule", metavar="RULE", help=t("help.withdraw.rule")),
        file: str | None = typer.Option(None, "--file", metavar="FILE", help=t("help.withdraw.file")),
        years: int | None = typer.Option(None, "--years", min=1, max=100, help=t("help.withdraw.years")),
        output: str = output_option(help_key="help.withdraw.output"),
        commit: bool = commit_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.collection import withdraw
        from libsync.render import document

        fmt = check_format(fmt, ("text", "json"))
        document.format_of(output)   # a dossier format we cannot write is refused before anything is kept
        repo = repository(ctx)
        target = check_output(output, repo.root)   # never into the data, never through a link
        result = withdraw.propose(repo, library.upper(), rule, years=years, file=file, commit=commit, dossier_to=target)
        path = output
        summary = withdraw.summary(result)
        if fmt == "json":
            print_json({**summary, "dossier": path})
            return
        typer.echo(result["id"])
        typer.echo(t("collection.proposed", id=result["id"], path=result["path"], n=summary["count"],
                     value=money(summary["value"]), holdings=summary["holdings"],
                     percent=f"{summary['count'] * 100 / max(summary['holdings'], 1):.1f}",
                     cap=f"{summary['max_share'] * 100:g}"), err=True)
        typer.echo(t("collection.dossier_written", path=path), err=True)

    @sub.command("apply", help=t("help.withdraw.apply"))
    def apply_cmd(
        ctx: typer.Context,
        proposal: str = typer.Argument(..., metavar="ID", help=t("help.withdraw.id")),
        decision: str = typer.Option(..., "--decision", help=t("help.withdraw.decision")),
        date: str = date_option("help.withdraw.date", default=...),
        yes: bool = yes_option(),
        commit: bool = commit_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.collection import withdraw
        from libsync.inventory.snapshot import check_date

        fmt = check_format(fmt, ("text", "json"))
        day = check_date(date)
        check_dated([day], yes=yes, fix="dates.fix_undo" if commit else "dates.fix_restore")
        repo = repository(ctx)
        _, data = withdraw.find(repo, proposal)
        if not yes and not confirm(t("collection.confirm_apply", n=len(data.get("copies") or []),
                                     library=data.get("library", ""), decision=decision), err=fmt == "json"):
            raise LibsyncError("share.not_confirmed", exit_code=1)
        result = withdraw.apply(repo, proposal, decision, day, commit=commit)
        if fmt == "json":
            print_json(result)
        else:
            typer.echo(t("collection.applied", copies=result["copies"], records=result["records"],
                         decision=result["decision"], date=result["date"]))
