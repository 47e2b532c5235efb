"""`libsync share`: set share/access of many records (the work is ``libsync.catalog.sharing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from libsync import labels
from libsync.catalog.sharing import SHOWN, Selection, apply_share, plan_share
from libsync.cli.common import (
    bounded,
    check_format,
    commit_option,
    confirm,
    dry_run_option,
    format_option,
    library_option,
    print_json,
    repository,
    yes_option,
)
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import ACCESS_LEVELS, RECORD_TYPES, SHARE_LEVELS

if TYPE_CHECKING:
    from libsync.catalog.sharing import SharePlan

FORMATS = ("text", "json")


def plan_lines(plan: SharePlan, verbose: bool = False) -> list[str]:
    """The plan as a librarian reads it: counts, the first records changed, the records left as
    they are grouped by the field they lack."""
    c = plan.counts
    lines = [t("share.summary", matched=c["matched"], changed=c["changed"], unchanged=c["unchanged"],
               refused=c["refused"])]
    shown = plan.changes if verbose else plan.changes[:SHOWN]
    for change in shown:
        moves = "; ".join(f"{labels.field_name(key)}: {labels.label(key, change.before[key])} → "
                          f"{labels.label(key, change.after[key])}" for key in ("share", "access")
                          if change.before[key] != change.after[key])
        lines.append(f"  {change.library}/{change.id}  {change.title}  ({moves})")
    if len(plan.changes) > len(shown):
        lines.append("  " + t("share.more", n=len(plan.changes) - len(shown)))
    if plan.refused:
        counts = ", ".join(f"{t('field.' + name)} ({n})" for name, n in
                           sorted(plan.missing_counts().items(), key=lambda item: (-item[1], item[0])))
        lines.append(t("share.refused_head", n=len(plan.refused), fields=counts))
        listed = plan.refused if verbose else plan.refused[:SHOWN]
        for refusal in listed:
            lines.append(f"  {refusal.library}/{refusal.id}  {refusal.title}  — {refusal.text()}")
        if len(plan.refused) > len(listed):
            lines.append("  " + t("share.more", n=len(plan.refused) - len(listed)))
        library = plan.refused[0].library
        lines.append(t("share.refused_hint", library=library))
    return lines


def register(app: typer.Typer) -> None:
    @app.command("share", help=t("help.share"))
    def share_cmd(
        ctx: typer.Context,
        ids: list[str] | None = typer.Argument(None, metavar="LIB/ID", help=t("help.share.ids")),
        library: str | None = library_option(help_key="help.share.library"),
        types: list[str] | None = typer.Option(None, "--type", metavar="TYPE", help=t("help.share.type")),
        grades: list[int] | None = typer.Option(None, "--grade", metavar="N", help=t("help.share.grade")),
        subjects: list[str] | None = typer.Option(None, "--subject", metavar="TEXT", help=t("help.share.subject")),
        series: list[str] | None = typer.Option(None, "--series", metavar="TEXT", help=t("help.share.series")),
        batch: str | None = typer.Option(None, "--batch", metavar="ID", help=t("help.share.batch")),
        query: str | None = typer.Option(None, "--query", "-q", metavar="TEXT", help=t("help.share.query")),
        share: str | None = typer.Option(None, "--share", metavar="|".join(SHARE_LEVELS), help=t("help.share.share")),
        access: str | None = typer.Option(None, "--access", metavar="|".join(ACCESS_LEVELS), help=t("help.share.access")),
        yes: bool = yes_option(),
        dry_run: bool = dry_run_option(),
        commit: bool = commit_option(),
        verbose: bool = typer.Option(False, "--verbose", "-v", help=t("help.share.verbose")),
        fmt: str = format_option(FORMATS),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        if share is not None:
            share = check_format(share, SHARE_LEVELS)
        if access is not None:
            access = check_format(access, ACCESS_LEVELS)
        for kind in types or []:
            check_format(kind, RECORD_TYPES)
        check_grade = bounded(1, 12)
        for grade in grades or []:
            check_grade(grade)
        repo = repository(ctx)
        selection = Selection(library=library, types=types or (), grades=grades or (), subjects=subjects or (),
                              series=series or (), batch=batch, query=query, ids=ids or ())
        plan = plan_share(repo, selection, share, access)
        sha = None
        written = False
        if plan.documents and not dry_run:
            if not yes:
                if fmt == "text":
                    typer.echo("\n".join(plan_lines(plan, verbose)))
                if not confirm(t("share.confirm", n=len(plan.documents)), err=fmt == "json"):
                    raise LibsyncError("share.not_confirmed", exit_code=1)
            sha = apply_share(repo, plan, commit=commit)
            written = True
        if fmt == "json":
            data = plan.to_dict()
            data.update({"dry_run": dry_run, "written": written, "commit": sha})
            print_json(data)
        else:
            if yes or dry_run or not plan.documents:
                typer.echo("\n".join(plan_lines(plan, verbose)))
            if dry_run:
                typer.echo(t("share.dry_run"))
            elif written:
                typer.echo(t("share.written", n=len(plan.documents)))
            if sha:
                typer.echo(t("share.committed", sha=sha[:10]))
        if plan.refused:
            raise typer.Exit(1)
