"""`libsync harvest [SOURCE] --library CODE`: argument parsing and the report only.

The work is ``libsync.interchange.harvest``; each source is one all-or-nothing write. With several
sources (none named: every declared one), a source that fails is reported and the others still
run; the exit code is the worst of them (0 fine, 1 records rejected or a write refused, 2 a
provider that could not be read or a usage error)."""

from __future__ import annotations

from typing import Any

import typer

from libsync.cli.common import (
    TEXT_JSON,
    check_format,
    commit_option,
    console,
    dry_run_option,
    format_option,
    library_option,
    print_json,
    quiet_option,
    repository,
    verbose_option,
)
from libsync.cli.imports import print_outcomes
from libsync.cli.progress import bars
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.interchange import harvest, importer
from libsync.interchange.harvest_client import Settings

FORMATS = TEXT_JSON


def _range(h: harvest.Harvest) -> str:
    f = h.fetched
    if f.incremental and not f.sent_until:
        return t("harvest.report.range_since", **{"from": f.sent_from})
    if f.sent_from or f.sent_until:
        return t("harvest.report.range", **{"from": f.sent_from or "…", "until": f.sent_until or "…"})
    return t("harvest.report.range_all")


def render_details(h: harvest.Harvest, verbose: bool = False) -> None:
    """Everything above the summary (what ``--quiet`` leaves out): the source, the notes, one row
    per record received, the deletions applied."""
    f, plan = h.fetched, h.plan
    out = console()   # a source's URL and the notes are long sentences: wrapped between words on a terminal
    out.print(t("harvest.report.source", source=h.source.name, url=h.source.url, library=h.source.library,
                name=f.described.name or "?", prefix=f.prefix,
                set=t("harvest.report.set", set=f.set_spec) if f.set_spec else "", range=_range(h)))
    for key, params in f.notes:
        out.print(t(key, **params))
    print_outcomes(plan.outcomes, verbose, skip_unchanged=True)   # the summary counts the unchanged ones
    for w in h.withdrawals:
        if w.record_id is None:
            continue
        if w.withdrawn:
            out.print(t("harvest.report.withdrawn", identifier=w.identifier, datestamp=w.datestamp, n=len(w.withdrawn),
                         id=w.record_id, barcodes=", ".join(w.withdrawn)))
        elif w.already and not w.away:
            out.print(t("harvest.report.withdrawn_before", identifier=w.identifier, id=w.record_id))
        if w.away:
            out.print(t("harvest.report.away", identifier=w.identifier, id=w.record_id, barcodes=", ".join(w.away)))


def render_text(h: harvest.Harvest, dry_run: bool, quiet: bool = False, verbose: bool = False) -> None:
    """The report of one source; ``quiet``: the summary only; ``verbose``: every note of every record."""
    f, plan = h.fetched, h.plan
    if not quiet:
        render_details(h, verbose)
    if not f.received:
        typer.echo(t("harvest.report.nothing"))
        return
    out = console()   # on a terminal the summary's long sentences wrap between words (as import's)
    if h.unknown_deletions:
        out.print(t("harvest.report.not_here", n=len(h.unknown_deletions)))
    out.print(h.summary())
    if plan.sharing_line():
        out.print(plan.sharing_line())
    if h.state is not None:
        out.print(t("harvest.report.state_moved", datestamp=h.state["datestamp"], file=h.source.state_path))
    elif plan.rejected:
        out.print(t("harvest.report.state_kept_rejected"))
    elif f.sent_until:
        out.print(t("harvest.report.state_kept_until"))
    if dry_run:
        typer.echo(t("interchange.report.dry_run"))
    elif h.written:
        typer.echo(t("interchange.report.written", n=h.written))
    if h.sha:
        typer.echo(t("interchange.report.committed", sha=h.sha[:10]))


def run_harvest(ctx: typer.Context, source: str | None, library: str | None, prefix: str | None, set_spec: str | None,
                from_: str | None, until: str | None, full: bool, on_match: str, dry_run: bool, commit: bool,
                timeout: float, retries: int, max_wait: float, fmt: str, quiet: bool = False,
                verbose: bool = False) -> None:
    fmt = check_format(fmt, FORMATS)
    on_match = check_format(on_match, importer.ON_MATCH)
    repo = repository(ctx)
    options = harvest.Options(library=library, prefix=prefix, set=set_spec, from_=harvest.check_stamp(from_, "--from"),
                              until=harvest.check_stamp(until, "--until"), full=full, on_match=on_match,
                              settings=Settings(timeout=timeout, retries=retries, max_wait=max_wait))
    sources = harvest.resolve(repo, source, library, set_spec)
    results: list[dict[str, Any]] = []
    worst = 0
    for src in sources:
        try:
            with bars(fmt == "text"):
                done = harvest.run(repo, src, options, dry_run=dry_run, commit=commit)
        except LibsyncError as exc:
            if len(sources) == 1 and fmt == "text":
                typer.echo(f"libsync: {exc}", err=True)
                typer.echo(t("harvest.failed_nothing_written", source=src.name), err=True)
                raise typer.Exit(exc.exit_code) from None
            worst = max(worst, exc.exit_code)
            results.append({"source": src.to_dict(), "error": str(exc), "exit_code": exc.exit_code})
            if fmt == "text":
                typer.echo(t("harvest.report.failed", source=src.name, error=str(exc)), err=True)
                typer.echo(t("harvest.failed_nothing_written", source=src.name), err=True)
            continue
        if done.plan.rejected:
            worst = max(worst, 1)
        if fmt == "text":
            if results or src is not sources[0]:
                typer.echo("")
            render_text(done, dry_run, quiet, verbose)
        data = done.to_dict()
        data["dry_run"] = dry_run
        results.append(data)
    if fmt == "json":
        totals: dict[str, int] = {}
        for data in results:
            for key, n in (data.get("counts") or {}).items():
                totals[key] = totals.get(key, 0) + n
        print_json({"harvests": results, "counts": totals, "dry_run": dry_run,
                    "failed": sum(1 for d in results if "error" in d)})
    if worst:
        raise typer.Exit(worst)


def register(app: typer.Typer) -> None:
    @app.command("harvest", help=t("help.harvest"))
    def harvest_cmd(
        ctx: typer.Context,
        source: str | None = typer.Argument(None, metavar="SOURCE", help=t("help.harvest.opt.source")),
        library: str | None = library_option(None, help_key="help.harvest.opt.library"),
        prefix: str | None = typer.Option(None, "--prefix", metavar="marc21|marcxml|oai_dc", help=t("help.harvest.opt.prefix")),
        set_spec: str | None = typer.Option(None, "--set", metavar="SPEC", help=t("help.harvest.opt.set")),
        from_: str | None = typer.Option(None, "--from", metavar="DATE", help=t("help.harvest.opt.from")),
        until: str | None = typer.Option(None, "--until", metavar="DATE", help=t("help.harvest.opt.until")),
        full: bool = typer.Option(False, "--full", help=t("help.harvest.opt.full")),
        on_match: str = typer.Option("update", "--on-match", metavar="update|skip|new", help=t("help.harvest.opt.on_match")),
        dry_run: bool = dry_run_option(),
        commit: bool = commit_option(),
        timeout: float = typer.Option(60.0, "--timeout", metavar="SECONDS", min=0.1, max=3600,
                                      help=t("help.harvest.opt.timeout")),
        retries: int = typer.Option(3, "--retries", metavar="N", min=0, max=20, help=t("help.harvest.opt.retries")),
        max_wait: float = typer.Option(300.0, "--max-wait", metavar="SECONDS", min=0, max=86400,
                                       help=t("help.harvest.opt.max_wait")),
        fmt: str = format_option(FORMATS),
        quiet: bool = quiet_option(),
        verbose: bool = verbose_option("help.import.opt.verbose"),
    ) -> None:
        run_harvest(ctx, source, library, prefix, set_spec, from_, until, full, on_match, dry_run, commit,
                    timeout, retries, max_wait, fmt, quiet, verbose)
