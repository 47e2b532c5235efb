"""`libsync enrich`: copy cataloguing from partner libraries (the work is ``libsync.catalog.enrich``).

Exit codes: 0 — the run did what was asked (a dry run shown, or the changes written), conflicts
included: they are the data's, not the tool's, and are listed; 1 — a record was held back
because it would still not validate, a record file could not be read (left out, as `merge`
does), or the write was refused; 2 — usage or an unreadable ``--from`` file.
"""

from __future__ import annotations

from typing import Any

import typer

from libsync import labels
from libsync.catalog.enrich import FIELDS, Plan, apply_enrich, plan_enrich
from libsync.cli.common import check_format, format_option, library_option, print_json, report_skipped, repository
from libsync.cli.tables import Column, table_text
from libsync.i18n import t

FORMATS = ("text", "json")
WIDTH = 60   # characters of a value shown in the text table


def value_text(value: Any) -> str:
    """A field value on one line: lists joined with "; ", long text cut."""
    if value is None:
        return "—"
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= WIDTH else text[:WIDTH - 1] + "…"


def field_text(name: str) -> str:
    """"chủ đề (subjects)": the librarian's word and the name ``--overwrite`` takes."""
    base = name.split(".", 1)[0]
    label = t(f"enrich.field.{base}")
    return f"{label} ({name})"


def source_text(sources: list[str]) -> str:
    return ", ".join(s.replace("classification.", t("enrich.from_classification") + " ", 1)
                     if s.startswith("classification.") else s for s in sources)


SHOWN = 30   # fills and conflicts listed without --verbose


def plan_lines(plan: Plan, verbose: bool = False) -> list[str]:
    lines = [t("enrich.summary", libraries=", ".join(plan.libraries) or "—", records=plan.records,
               with_sources=plan.with_sources, fields=len(plan.fills), changed=plan.changed_records,
               conflicts=len(plan.conflicts))]
    if plan.fills:
        per_field: dict[str, int] = {}
        for f in plan.fills:
            per_field[f.field] = per_field.get(f.field, 0) + 1
        lines.append(t("enrich.per_field", fields=", ".join(
            f"{field_text(name)} ({n})" for name, n in sorted(per_field.items(), key=lambda item: (-item[1], item[0])))))
        shown = plan.fills if verbose else plan.fills[:SHOWN]
        rows = [[f.record, field_text(f.field), value_text(f.new), source_text(f.sources)] for f in shown]
        headers = [t("enrich.col.record"), t("enrich.col.field"), t("enrich.col.new"), t("enrich.col.from")]
        if any(f.old is not None for f in shown):
            rows = [[*row[:2], value_text(f.old), *row[2:]] for row, f in zip(rows, shown)]
            headers = [*headers[:2], t("enrich.col.old"), *headers[2:]]
        lines.extend(table_text([Column(h, whole=n == 0) for n, h in enumerate(headers)], rows))
        if len(plan.fills) > len(shown):
            lines.append(t("share.more", n=len(plan.fills) - len(shown)))
    elif not plan.conflicts:
        lines.append(t("enrich.nothing"))
    if plan.conflicts:
        lines.append(t("enrich.conflicts"))
        listed = plan.conflicts if verbose else plan.conflicts[:SHOWN]
        rows = [[c.record if n == 0 else "", field_text(c.field) if n == 0 else "", value_text(v), source_text(s)]
                for c in listed for n, (v, s) in enumerate(c.values)]
        lines.extend(table_text([Column(t("enrich.col.record"), whole=True), Column(t("enrich.col.field")),
                                 Column(t("enrich.col.value")), Column(t("enrich.col.from"), drop=1)], rows))
        if len(plan.conflicts) > len(listed):
            lines.append(t("share.more", n=len(plan.conflicts) - len(listed)))
    if plan.promoted:
        lines.append(t("enrich.promoted"))
        lines.extend(f"  {p['record']}: {labels.share(p['share'][0])} → {labels.share(p['share'][1])}"
                     for p in plan.promoted)
    if plan.still_lacking:
        lines.append(t("enrich.still_lacking", count=len(plan.still_lacking)))
        lines.extend("  " + t("enrich.lacking_line", record=s["record"], share=labels.share(s["share"]),
                              fields=", ".join(t(f"enrich.field.{f}") for f in s["lacking"]))
                     for s in plan.still_lacking)
    if plan.held_back:
        lines.append(t("enrich.held_back"))
        for held in plan.held_back:
            lines.extend(f"  {held['record']}: {p}" for p in held["problems"])
    return lines


def register(app: typer.Typer) -> None:
    @app.command("enrich", help=t("help.enrich"))
    def enrich_cmd(
        ctx: typer.Context,
        library: str | None = library_option(help_key="help.enrich.library"),
        records: list[str] | None = typer.Option(None, "--records", "-r", metavar="LIB/ID",
                                                 help=t("help.enrich.records")),
        source: str | None = typer.Option(None, "--from", metavar="FILE", help=t("help.enrich.from")),
        overwrite: list[str] | None = typer.Option(None, "--overwrite", metavar="FIELD",
                                                   help=t("help.enrich.overwrite", fields=", ".join(FIELDS))),
        share_when_complete: bool = typer.Option(False, "--share-when-complete", help=t("help.enrich.share")),
        apply: bool = typer.Option(False, "--apply", help=t("help.enrich.apply")),
        commit: bool = typer.Option(False, "--commit", help=t("help.enrich.commit")),
        verbose: bool = typer.Option(False, "--verbose", "-v", help=t("help.enrich.verbose")),
        fmt: str = format_option(FORMATS),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        plan = plan_enrich(repo, library, records or (), overwrite or (), source, share_when_complete)
        report_skipped(plan.skipped)
        if (apply or commit) and plan.texts:
            apply_enrich(repo, plan, commit=commit)
        if fmt == "json":
            print_json({**plan.to_dict(), "dry_run": not (apply or commit)})
        else:
            typer.echo("\n".join(plan_lines(plan, verbose)))
            if not (apply or commit):
                if plan.texts:
                    typer.echo(t("enrich.dry_run"))
            elif plan.applied:
                typer.echo(t("enrich.written", count=plan.changed_records))
                if plan.commit:
                    typer.echo(t("enrich.committed", sha=plan.commit[:10]))
        raise typer.Exit(1 if plan.held_back or plan.skipped else 0)
