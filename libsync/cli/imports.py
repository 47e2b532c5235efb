"""`libsync import marc|table FILE --library CODE`: argument parsing and the report only."""

from __future__ import annotations

import os
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    check_format,
    commit_option,
    console,
    dry_run_option,
    encoding_option,
    format_option,
    library_option,
    print_json,
    quiet_option,
    repository,
    verbose_option,
)
from libsync.cli.progress import bars
from libsync.cli.tables import Column, print_table
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.interchange import editsheet, importer, tables
from libsync.store import lock

if TYPE_CHECKING:
    from libsync.repository import Repository

FORMATS = TEXT_JSON


SUMMED_UP = importer.SUMMED_UP
PLACES_SHOWN = 5     # row numbers shown for a kind of note (the rest with --verbose)
STOPPED_SHOWN = 20   # records not imported listed one per row without --verbose
NOTE_FLOOR = 36      # the notes column is never narrower (the title is hidden first)


def outcome_note(outcome: importer.Outcome, verbose: bool = True) -> tuple[str, bool]:
    """A record's note in the report, and whether something the summary counts was left out of it
    (without ``verbose``: why it was refused or skipped, what changed, what was repaired — not the
    sharing level kept and the names made canonical, which the summary counts)."""
    parts = [t(k, **p) for k, p in outcome.reasons]
    if outcome.changes:
        parts.append(t("interchange.report.changes", fields=", ".join(labels.field_name(c) for c in outcome.changes)))
    parts += [t(k, **p) for k, p in outcome.warnings if verbose or k not in SUMMED_UP]
    if verbose:
        parts += [t(k, **p) for k, p in outcome.inferred]
    hidden = not verbose and (bool(outcome.inferred) or any(k in SUMMED_UP for k, _ in outcome.warnings))
    return "; ".join(parts), hidden


def print_outcomes(outcomes: list[importer.Outcome], verbose: bool, skip_unchanged: bool, every: bool = False) -> None:
    """The records of the file (import or harvest): with ``verbose`` (or ``every``, an edit sheet's
    changes) one row per record with all its notes; otherwise the notes grouped by kind and
    counted, with the first few row numbers of each, and a row only for the records not
    imported (at most ``STOPPED_SHOWN``, the rest counted). The row number is always shown."""
    shown = [o for o in outcomes if not (skip_unchanged and o.action == "unchanged")]
    stopped = [o for o in shown if o.action == "rejected"]
    listed = shown if verbose or every else stopped[:STOPPED_SHOWN]
    rows, hidden = [], False
    for o in listed:
        note, left_out = outcome_note(o, verbose)
        hidden = hidden or left_out
        rows.append([o.location, t(f"interchange.action.{o.action}"), o.record_id, o.title, note])
    if rows:
        print_table(outcome_columns(), rows)
    out = console()   # prose wraps between words on a terminal, stays whole in a pipe
    if len(listed) < len(stopped):
        out.print(t("interchange.report.rejected_more", n=len(stopped) - len(listed)))
    if not every:
        print_groups(importer.note_groups(shown), verbose)
    if not verbose and (hidden or len(listed) < len(shown)):
        out.print(t("interchange.report.verbose_hint"))


def print_groups(groups: list[importer.NoteGroup], verbose: bool) -> None:
    """One line per kind of note: "312 dòng: thiếu năm xuất bản (dòng 4, 9, 17, … — xem --verbose)"."""
    if not groups:
        return
    out = console()
    out.print(t("interchange.group.title"))
    for group in groups:
        places = ", ".join(str(n) for n in group.places[:PLACES_SHOWN])
        if group.count > PLACES_SHOWN:
            places = t("interchange.group.more", places=places) if not verbose else places + ", …"
        unit = "line" if group.lines else "record"
        key = f"interchange.group.{unit}.{'one' if group.count == 1 else 'many'}"
        out.print("  " + t(key, n=group.count, kind=group.kind, places=places))


def outcome_columns() -> list[Column]:
    """The columns of an import's or a harvest's report: where in the file, what was done, the
    record's id (never cut), its title and the notes (both wrap; the title goes first when narrow,
    and when even the notes have no room each record is printed as "heading  value" lines)."""
    return [Column(t("interchange.report.position"), whole=True),
            Column(t("interchange.report.action"), whole=True), Column(t("interchange.report.id"), whole=True),
            Column(t("interchange.report.title"), drop=1), Column(t("interchange.report.reason"), floor=NOTE_FLOOR)]


def completable(repo: Repository, plan: importer.Plan) -> int | None:
    """How many of the records the import kept internal ``libsync enrich`` could make complete
    for the sharing policy's level (a dry run of it over those records, once they are written);
    None when there are none or the union catalogue cannot be built now."""
    ids = plan.kept_internal_ids()
    if not ids:
        return None
    from libsync.catalog.enrich import plan_enrich

    try:
        return len(plan_enrich(repo, None, ids, share_when_complete=True).promoted)
    except LibsyncError:
        return None


def render_plan(plan: importer.Plan, fmt: str, dry_run: bool, written: int | None, sha: str | None,
                could_complete: int | None = None, quiet: bool = False, verbose: bool = False) -> None:
    if fmt == "json":
        data = plan.to_dict()
        if could_complete is not None:
            data["kept_internal"]["enrich_could_complete"] = could_complete
        data["dry_run"] = dry_run
        data["written"] = written or 0
        data["commit"] = sha
        print_json(data)
        return
    if not quiet:
        render_details(plan, verbose)
    out = console()   # on a terminal the summary's long sentences wrap between words
    out.print(plan.summary())
    if plan.sharing_line():
        out.print(plan.sharing_line(could_complete))
    for line in plan.inference_lines():
        out.print(line)
    if dry_run:
        out.print(t("interchange.report.dry_run"))
    elif written is not None:
        out.print(t("interchange.report.written", n=written))
    if sha:
        out.print(t("interchange.report.committed", sha=sha[:10]))


def render_details(plan: importer.Plan, verbose: bool = False) -> None:
    """Everything above the summary (what ``--quiet`` leaves out): encodings, notes, one row per
    record of the file (the notes the summary counts only with ``verbose``), an edit sheet's changes."""
    out = console()   # the notes are sentences: wrapped between words on a terminal
    out.print(t("interchange.report.encoding", encodings=plan.encoding_text()))
    for key, params in plan.notes:
        out.print(t(key, **params))
    if plan.blank_lines:
        out.print(t("interchange.report.blank_lines", n=plan.blank_lines))
    # an edit sheet lists what it changes (the summary counts the rest)
    edit_sheet = isinstance(plan, editsheet.EditPlan)
    print_outcomes(plan.outcomes, verbose, skip_unchanged=edit_sheet, every=edit_sheet)
    if isinstance(plan, editsheet.EditPlan):
        render_edits(plan)


def render_edits(plan: editsheet.EditPlan) -> None:
    """An edit sheet's changes field by field (old → new), then the exported rows no longer in it."""
    changed = [o for o in plan.outcomes if o.diff]
    if changed:
        typer.echo("")
        typer.echo(t("interchange.edit.diff_title"))
    for outcome in changed:
        typer.echo(t("interchange.edit.diff_record", id=outcome.record_id, title=outcome.title or ""))
        for d in outcome.diff:
            old, new = editsheet.show(d["old"]), editsheet.show(d["new"])
            if d["scope"] == "new_copy":
                typer.echo(t("interchange.edit.diff_new_copy", line=d["line"], barcode=d["barcode"], fields=new))
            elif d["scope"] == "copy":
                typer.echo(t("interchange.edit.diff_copy", line=d["line"], barcode=d["barcode"], column=d["column"],
                             old=old, new=new))
            else:
                typer.echo(t("interchange.edit.diff_field", line=d["line"], column=d["column"], old=old, new=new))
    if plan.missing:
        typer.echo("")
        typer.echo(t("interchange.edit.missing_title", n=len(plan.missing)))
        for row in plan.missing:
            key = "interchange.edit.missing_row" if row["barcode"] else "interchange.edit.missing_record_row"
            typer.echo(t(key, line=row["line"], id=row["id"], barcode=row["barcode"], title=row["title"] or ""))
    if changed or plan.missing:
        typer.echo("")


def run_import(ctx: typer.Context, kind: str, file: str, library: str, on_match: str, encoding: str | None, mapping: str | None,
               dry_run: bool, commit: bool, strict: bool, share: str | None, access: str | None, default_type: str, fmt: str,
               quiet: bool = False, verbose: bool = False) -> None:
    fmt = check_format(fmt, FORMATS)
    on_match = check_format(on_match, importer.ON_MATCH)
    share = check_format(share, importer.SHARES) if share is not None else None
    access = check_format(access, importer.ACCESS) if access is not None else None
    default_type = check_format(default_type, importer.TYPES)
    repo = repository(ctx)
    columns = tables.load_mapping(mapping) if mapping else None
    options = importer.Options(library=library, on_match=on_match, share=share, access=access,
                               default_type=default_type, strict=strict)
    # the plan is made from the records as they are now: no other command may change them
    # between planning and writing (a dry run writes nothing and needs no lock)
    with nullcontext() if dry_run else lock.locked(repo.root, f"import {kind} {os.path.basename(file)}"):
        with bars(fmt == "text"):
            plan = importer.import_file(repo, file, kind, options, encoding=encoding, mapping=columns)
        written, sha = None, None
        if plan.refused:
            render_plan(plan, fmt, True, None, None, quiet=quiet, verbose=verbose)
            raise LibsyncError("interchange.strict_refused", exit_code=1, rejected=len(plan.rejected),
                               total=plan.total)
        if not dry_run:
            sha = importer.apply_plan(repo, plan, commit=commit)
            written = len(plan.writes)
    render_plan(plan, fmt, dry_run, written, sha, completable(repo, plan) if written else None, quiet=quiet,
                verbose=verbose)
    if plan.rejected:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.import"), no_args_is_help=True)

    def options() -> dict[str, Any]:
        return dict(
            library=library_option(..., help_key="help.import.opt.library"),
            on_match=typer.Option("update", "--on-match", metavar="update|skip|new", help=t("help.import.opt.on_match")),
            dry_run=dry_run_option(),
            commit=commit_option(),
            strict=typer.Option(False, "--strict", help=t("help.import.opt.strict")),
            share=typer.Option(None, "--share", metavar="internal|network|public", help=t("help.import.opt.share")),
            access=typer.Option(None, "--access", metavar="catalog|read|download", help=t("help.import.opt.access")),
            default_type=typer.Option("other", "--type", metavar="TYPE", help=t("help.import.opt.type")),
            fmt=format_option(FORMATS),
            quiet=quiet_option(),
            verbose=verbose_option("help.import.opt.verbose"),
        )

    o = options()

    @sub.command("marc", help=t("help.import.marc"))
    def marc_cmd(
        ctx: typer.Context,
        file: str = typer.Argument(..., metavar="FILE", help=t("help.import.opt.file")),
        library: str = o["library"],
        on_match: str = o["on_match"],
        encoding: str | None = encoding_option("utf-8|marc-8", "help.import.opt.encoding_marc"),
        dry_run: bool = o["dry_run"],
        commit: bool = o["commit"],
        strict: bool = o["strict"],
        share: str | None = o["share"],
        access: str | None = o["access"],
        default_type: str = o["default_type"],
        fmt: str = o["fmt"],
        quiet: bool = o["quiet"],
        verbose: bool = o["verbose"],
    ) -> None:
        run_import(ctx, "marc", file, library, on_match, encoding, None, dry_run, commit, strict, share, access,
                   default_type, fmt, quiet, verbose)

    @sub.command("table", help=t("help.import.table"))
    def table_cmd(
        ctx: typer.Context,
        file: str = typer.Argument(..., metavar="FILE", help=t("help.import.opt.file")),
        library: str = o["library"],
        on_match: str = o["on_match"],
        mapping: str | None = typer.Option(None, "--map", "-m", metavar="FILE.yaml", help=t("help.import.opt.map")),
        encoding: str | None = encoding_option("utf-8|cp1258|tcvn3|vni", "help.import.opt.encoding_table"),
        dry_run: bool = o["dry_run"],
        commit: bool = o["commit"],
        strict: bool = o["strict"],
        share: str | None = o["share"],
        access: str | None = o["access"],
        default_type: str = o["default_type"],
        fmt: str = o["fmt"],
        quiet: bool = o["quiet"],
        verbose: bool = o["verbose"],
    ) -> None:
        run_import(ctx, "table", file, library, on_match, encoding, mapping, dry_run, commit, strict, share, access,
                   default_type, fmt, quiet, verbose)

    app.add_typer(sub, name="import", help=t("help.import"))
