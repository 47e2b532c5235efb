"""`libsync record show|set|add`: one record, shown or edited without opening its YAML file.

Arguments and prompts only; the work is ``libsync.edit.records``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    ask,
    check_format,
    commit_option,
    console,
    date_option,
    dry_run_option,
    format_option,
    library_option,
    print_json,
    report_start,
    repository,
)
from libsync.cli.tables import Column, print_table
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import ACCESS_LEVELS, RECORD_TYPES, SHARE_LEVELS

if TYPE_CHECKING:
    from libsync.edit.records import Assignment, RecordEdit
    from libsync.repository import Repository

SHOW_FORMATS = ("text", "json", "yaml")
COPY_COLUMNS = ("barcode", "status", "holder", "location", "status_date", "status_ref", "note", "exchanges")


def _label(name: str) -> str:
    key = f"edit.label.{name}"
    text = t(key)
    return name if text.startswith(key) else text


def _show_text(shown: dict[str, Any]) -> None:
    from libsync.edit.records import value_text

    out = console()
    record = shown["record"]
    out.print(t("edit.record.head", library=shown["library"], id=shown["id"], title=record.get("title", "")))
    out.print(t("edit.record.file", file=shown["file"]))
    rows = []
    for name, value in record.items():
        if name in ("id", "library", "title"):
            continue
        if name in ("type", "share", "access"):   # the code she types in `record set`, and what it means
            value = labels.coded(name, value)
        if isinstance(value, dict) and not {"name"} & set(value):
            for sub, inner in value.items():
                rows.append([_label(name), f"{name}.{sub}", value_text(inner)])
            continue
        rows.append([_label(name), name, value_text(value)])
    print_table([Column(t("edit.col.label")), Column(t("edit.col.field"), whole=True, drop=1),
                 Column(t("edit.col.value"))], rows)
    if shown["lacking"]:
        out.print(t("edit.record.lacking", fields=", ".join(t(f"field.{m}") for m in shown["lacking"])))
    copies = shown["copies"]
    if not copies:
        out.print(t("edit.record.no_copies"))
        return
    out.print(t("edit.record.copies", count=len(copies)))
    table = []
    for item in copies:
        row = []
        for col in COPY_COLUMNS:
            value = item.get(col)
            if col == "status" and value:
                value = t(f"inventory.status.{value}")
            if col == "holder" and not value:
                value = shown["library"]
            row.append(value_text(value) if value else "")
        table.append(row)
    # the barcode and its status first; where, since when and why next; the note and the exchanges last
    drops = {"barcode": 0, "status": 0, "holder": 3, "location": 4, "status_date": 2, "status_ref": 5, "note": 6,
             "exchanges": 7}
    print_table([Column(t(f"edit.col.{c}"), whole=c not in ("note", "location", "status_ref", "exchanges"),
                        drop=drops[c]) for c in COPY_COLUMNS], table)


def change_table(rows: list[list[str]]) -> None:
    """Field, old value, new value: what an edit changes."""
    print_table([Column(t("edit.col.field"), whole=True), Column(t("edit.col.old")), Column(t("edit.col.new"))], rows)


def report(outcome: RecordEdit, fmt: str) -> None:
    """The changes (old → new), the warnings, and what was written."""
    from libsync.edit.records import value_text

    out = report_start(outcome, fmt)
    if out is None:
        return
    if outcome.action == "add":
        out.print(t("edit.record.added", library=outcome.library, id=outcome.id,
                    copies=len(outcome.record.get("items") or [])))
    else:
        out.print(t("edit.record.changes", library=outcome.library, id=outcome.id, count=len(outcome.changes)))
    if not outcome.changes:
        out.print(t("edit.nothing_changed"))
        return
    if outcome.action == "add":
        print_table([Column(t("edit.col.field"), whole=True), Column(t("edit.col.new"))],
                    [[c.field, value_text(c.new)] for c in outcome.changes])
        items = outcome.record.get("items") or []
        if items:
            out.print(t("edit.record.copies", count=len(items)) + " " + ", ".join(i["barcode"] for i in items))
    else:
        change_table([[c.field, value_text(c.old), value_text(c.new)] for c in outcome.changes])
    done(outcome.dry_run, [outcome.file], outcome.commit)


def done(dry_run: bool, files: list[str], sha: str | None) -> None:
    out = console()
    if dry_run:
        out.print(t("edit.dry_run"))
        return
    out.print(t("edit.written", files=", ".join(files)))
    if sha:
        out.print(t("edit.committed", sha=sha[:10]))


def _ask(question: str, check: Any = None, required: bool = False) -> str:
    """One answer; asked again while ``check`` refuses it (its message shown) or it is required and empty."""
    while True:
        answer: str = ask(question).strip()
        if not answer:
            if required:
                typer.echo(t("edit.prompt.required"), err=True)
                continue
            return ""
        if check is not None:
            try:
                check(answer)
            except LibsyncError as exc:
                typer.echo(str(exc), err=True)
                continue
        return answer


def _ask_type() -> str:
    for n, code in enumerate(RECORD_TYPES, 1):
        typer.echo(f"  {n}. {code} — {t(f'site.type.{code}')}")

    def pick(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(RECORD_TYPES):
            return RECORD_TYPES[int(answer) - 1]
        if answer.lower() in RECORD_TYPES:
            return answer.lower()
        raise LibsyncError("edit.bad_choice", field="type", value=answer, choices=", ".join(RECORD_TYPES))

    return pick(_ask(t("edit.prompt.type"), pick, required=True))


def _prompt(library: str, given: dict[str, Any]) -> tuple[list[Assignment], list[str]]:
    """Ask, in the language of this run, for every value the options did not give."""
    from libsync.edit.records import Assignment, apply_assignments

    def field_check(name: str) -> Any:
        return lambda answer: apply_assignments({}, [Assignment(name, (answer,))], required=())

    typer.echo(t("edit.prompt.intro", library=library))
    assignments: list[Assignment] = []
    barcodes: list[str] = []
    if not given.get("title"):
        assignments.append(Assignment.of("title", _ask(t("edit.prompt.title"), required=True)))
    for name in ("authors", "publisher", "year"):
        if not given.get(name):
            answer = _ask(t(f"edit.prompt.{name}"), field_check(name))
            if answer:
                assignments.append(Assignment(name, (answer,)))
    if not given.get("type"):
        assignments.append(Assignment.of("type", _ask_type()))
    for name in ("isbn", "call_number", "subjects"):
        if not given.get(name):
            answer = _ask(t(f"edit.prompt.{name}"), field_check(name))
            if answer:
                assignments.append(Assignment(name, (answer,)))
    if not given.get("barcodes"):
        answer = _ask(t("edit.prompt.barcodes"))
        barcodes = [b.strip() for b in answer.split(";") if b.strip()]
    return assignments, barcodes


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.record"), no_args_is_help=True)
    app.add_typer(sub, name="record")

    @sub.command("show", help=t("help.record.show"))
    def show_cmd(
        ctx: typer.Context,
        ref: str = typer.Argument(..., metavar="LIB/ID", help=t("help.record.ref")),
        fmt: str = format_option(SHOW_FORMATS, help_key="help.record.show_format"),
    ) -> None:
        from libsync.edit.records import show_record

        fmt = check_format(fmt, SHOW_FORMATS)
        repo = repository(ctx)
        shown = show_record(repo, ref)
        if fmt == "json":
            print_json(shown)
        elif fmt == "yaml":
            data = {**shown["record"]}
            if shown["copies"]:
                data["items"] = [{k: v for k, v in c.items() if k != "exchanges"} for c in shown["copies"]]
            sys.stdout.write(repo.render("record", data))
        else:
            _show_text(shown)

    @sub.command("set", help=t("help.record.set"))
    def set_cmd(
        ctx: typer.Context,
        ref: str = typer.Argument(..., metavar="LIB/ID", help=t("help.record.ref")),
        assignments: list[str] = typer.Argument(None, metavar="FIELD=VALUE...", help=t("help.record.assignments")),
        date: str | None = date_option("help.record.date"),
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.records import parse_assignment, set_fields

        fmt = check_format(fmt, TEXT_JSON)
        parsed = [parse_assignment(a) for a in assignments or []]
        report(set_fields(repository(ctx), ref, parsed, commit=commit, dry_run=dry_run, day=date), fmt)

    @sub.command("add", help=t("help.record.add"))
    def add_cmd(
        ctx: typer.Context,
        library: str = library_option(...),
        title: str | None = typer.Option(None, "--title", help=t("help.record.title")),
        authors: list[str] = typer.Option(None, "--author", help=t("help.record.author")),
        publisher: str | None = typer.Option(None, "--publisher", help=t("help.record.publisher")),
        place: str | None = typer.Option(None, "--place", help=t("help.record.place")),
        year: str | None = typer.Option(None, "--year", help=t("help.record.year")),
        kind: str | None = typer.Option(None, "--type", help=t("help.record.type", choices=labels.choices("type", RECORD_TYPES))),
        isbn: str | None = typer.Option(None, "--isbn", help=t("help.record.isbn")),
        call_number: str | None = typer.Option(None, "--call-number", help=t("help.record.call_number")),
        subjects: list[str] = typer.Option(None, "--subject", help=t("help.record.subject")),
        barcodes: list[str] = typer.Option(None, "--barcode", help=t("help.record.barcode")),
        location: str | None = typer.Option(None, "--location", help=t("help.record.location")),
        acquired: str | None = date_option("help.record.acquired", "--acquired"),
        share: str | None = typer.Option(None, "--share", help=t("help.record.share", choices=labels.choices("share", SHARE_LEVELS))),
        access: str | None = typer.Option(None, "--access", help=t("help.record.access", choices=labels.choices("access", ACCESS_LEVELS))),
        record_id: str | None = typer.Option(None, "--id", help=t("help.record.id")),
        extra: list[str] = typer.Option(None, "--set", metavar="FIELD=VALUE", help=t("help.record.set_option")),
        interactive: bool = typer.Option(False, "--interactive", "-i", help=t("help.record.interactive")),
        date: str | None = date_option("help.record.date"),
        commit: bool = commit_option(),
        dry_run: bool = dry_run_option(),
        fmt: str = format_option(),
    ) -> None:
        from libsync.edit.records import Assignment, add_record, parse_assignment

        fmt = check_format(fmt, TEXT_JSON)
        repo: Repository = repository(ctx)
        repo.network.library(library)
        options = {"title": title, "publisher": publisher, "place": place, "year": year, "type": kind,
                   "isbn": isbn, "call_number": call_number, "share": share, "access": access}
        assignments = [Assignment.of(name, value) for name, value in options.items() if value is not None]
        if authors:
            assignments.append(Assignment.of("authors", *authors))
        if subjects:
            assignments.append(Assignment.of("subjects", *subjects))
        assignments += [parse_assignment(a) for a in extra or []]
        named = {a.field for a in assignments}
        if ("title" not in named or "type" not in named) and (interactive or sys.stdin.isatty()):
            given = {**{k: v for k, v in options.items() if v}, "authors": authors, "subjects": subjects,
                     "barcodes": barcodes, **{name: True for name in named}}
            asked, more = _prompt(library, given)
            assignments += asked
            barcodes = [*(barcodes or []), *more]
        report(add_record(repo, library, assignments, barcodes=barcodes or [], record_id=record_id,
                          location=location, acquired=acquired, commit=commit, dry_run=dry_run, day=date), fmt)
