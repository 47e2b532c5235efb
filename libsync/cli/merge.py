"""`libsync merge`: build the union catalogue, explain a cluster, list uncertain pairs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import typer

from libsync import labels
from libsync.catalog import check_audience, explain, open_union, overrides
from libsync.cli.common import (
    audience_option,
    by_option,
    check_format,
    commit_option,
    console,
    dry_run_option,
    format_option,
    output_option,
    print_json,
    report_skipped,
    repository,
)
from libsync.cli.progress import bars
from libsync.cli.tables import KEEP, Column, print_table
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.store.output import check_output, write_output
from libsync.text import nfc

if TYPE_CHECKING:
    from libsync.catalog.union import Union
    from libsync.repository import Repository

FORMATS = ("text", "json")


def to_json_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def holdings_text(cluster: dict[str, Any], space: str = " ") -> str:
    """"HD 2/4, ND 3/4": who holds the title, copies available of all (``space`` between a library
    and its figures: a no-break one keeps them on one line in a table)."""
    return ", ".join(f"{h['library']}{space}{h['available']}/{h['copies']}" for h in cluster.get("holdings", []))


def display_title(cluster: dict[str, Any]) -> str:
    """Title, volume and textbook series: what tells "Toán 6" clusters apart at a glance."""
    text: str = cluster.get("title", "")
    if cluster.get("volume"):
        text += f" — {cluster['volume']}"
    series = (cluster.get("curriculum") or {}).get("series") or cluster.get("series")
    if series:
        text += f" ({series})"
    return text


def reasons_text(reasons: Iterable[str] | None) -> str:
    return "; ".join(t(f"catalog.reason.{r}") for r in reasons or [])


def rule_text(edge: dict[str, Any]) -> str:
    rule = edge.get("rule", "")
    if rule == "fuzzy":
        author = edge.get("author_similarity")
        return t("catalog.rule.fuzzy", title=edge.get("title_similarity"), author="—" if author is None else author)
    return t(f"catalog.rule.{rule}")


def summary_line(union: Union) -> str:
    s = union.stats
    return t("catalog.summary", audience=labels.audience(union.header["audience"]), records=s["records"], clusters=s["clusters"],
             merged=s["merged"], conflicts=s["conflicts"], uncertain=s["uncertain"])


def pair_rows(pairs: list[dict[str, Any]]) -> list[list[object]]:
    return [[" + ".join(p["records"]), " / ".join(p["clusters"]), p.get("score"), reasons_text(p.get("reasons"))]
            for p in pairs]


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("help.merge"), invoke_without_command=True, subcommand_metavar="[decide A B]")
    app.add_typer(sub, name="merge")

    @sub.command("decide", help=t("help.merge.decide"))
    def decide_cmd(
        ctx: typer.Context,
        a: str = typer.Argument(..., metavar="LIB/ID", help=t("help.merge.decide.a")),
        b: str = typer.Argument(..., metavar="LIB/ID", help=t("help.merge.decide.b")),
        same: bool = typer.Option(False, "--same", help=t("help.merge.decide.same")),
        different: bool = typer.Option(False, "--different", help=t("help.merge.decide.different")),
        note: str | None = typer.Option(None, "--note", metavar="TEXT", help=t("help.merge.decide.note")),
        by: str | None = by_option("help.merge.decide.by"),
        dry_run: bool = dry_run_option(),
        commit: bool = commit_option(),
        fmt: str = format_option(FORMATS),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        if same == different:
            raise LibsyncError("catalog.decide.which")
        repo = repository(ctx)
        decided = overrides.decide(repo, nfc(a.strip()), nfc(b.strip()), same, nfc(note) if note else None,
                                   nfc(by) if by else None)
        sha = None if dry_run else overrides.write_decision(repo, decided, commit=commit)
        if fmt == "json":
            print_json({**decided.to_dict(), "dry_run": dry_run, "commit": sha})
            return
        decision = t("catalog.decide.same" if same else "catalog.decide.different")
        key = f"catalog.decide.would_{decided.action}" if dry_run and decided.action != "unchanged" else \
            f"catalog.decide.{decided.action}"
        typer.echo(t(key, a=decided.records[0], b=decided.records[1], decision=decision, path=overrides.RELPATH,
                     replaced="; ".join(decided.replaced)))
        if dry_run and decided.action != "unchanged":
            typer.echo(t("share.dry_run"))
        if sha:
            typer.echo(t("share.committed", sha=sha[:10]))

    @sub.callback(invoke_without_command=True)
    def merge_cmd(
        ctx: typer.Context,
        fmt: str = format_option(FORMATS),
        output: str | None = output_option(None, help_key="help.merge.output"),
        audience: str = audience_option("network"),
        explain_id: str | None = typer.Option(None, "--explain", metavar="CLUSTER", help=t("help.merge.explain")),
        uncertain: bool = typer.Option(False, "--uncertain", help=t("help.merge.uncertain")),
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        if output:
            check_output(output, repo.root)
        audience = check_audience(repo.network, audience)
        with bars(fmt == "text"):
            union, skipped = open_union(repo, audience, with_edges=bool(explain_id))
        with union:
            report_skipped(skipped)
            code = 1 if skipped else 0
            _show(union, fmt, output, repo, explain_id, uncertain, audience)
        raise typer.Exit(code)


def _show(union: Union, fmt: str, output: str | None, repo: Repository, explain_id: str | None, uncertain: bool, audience: str) -> None:
    """Render the built ``union`` as the options ask (the JSON document is written as it is read)."""
    if explain_id:
        cluster = explain(union, explain_id)
        if cluster is None:
            raise LibsyncError("catalog.no_cluster", cluster=explain_id, audience=labels.audience(audience))
        if fmt == "json":
            print_json(cluster)
            return
        typer.echo(t("catalog.explain.head", id=cluster["id"], title=cluster.get("title", "")))
        typer.echo(t("catalog.explain.members"))
        for m in cluster["members"]:
            typer.echo(f"  {m['library']}/{m['record']}")
        if not cluster.get("evidence"):
            typer.echo(t("catalog.explain.single"))
        else:
            typer.echo(t("catalog.explain.joined"))
            for e in cluster["evidence"]:
                typer.echo("  " + t("catalog.explain.edge", a=e["records"][0], b=e["records"][1], rule=rule_text(e)))
        return
    if output:
        write_output(output, union.write_json, repo.root)
    if uncertain:
        conflicts, unsure = union.pairs("conflicts"), union.pairs("uncertain")
        if fmt == "json":
            print_json({"audience": union.header["audience"], "conflicts": conflicts, "uncertain": unsure})
            return
        columns = [Column(t("catalog.col.records")), Column(t("catalog.col.id"), drop=1),
                   Column(t("catalog.col.score"), whole=True, justify="right", drop=2), Column(t("catalog.col.reasons"))]
        if conflicts:
            print_table(columns, pair_rows(conflicts), title=t("catalog.conflicts"))
        if unsure:
            print_table(columns, pair_rows(unsure), title=t("catalog.uncertain"))
        if not conflicts and not unsure:
            typer.echo(t("catalog.none_uncertain"))
        else:
            typer.echo(t("catalog.uncertain_hint"))
        return
    if fmt == "json" and not output:
        sys.stdout.flush()
        union.write_json(sys.stdout.buffer)
        return
    console().print(summary_line(union))   # on a terminal it wraps between words
    if output:
        typer.echo(t("catalog.written", path=output))
        return
    print_table([Column(t("catalog.col.id"), whole=True), Column(t("catalog.col.title")),
                 Column(t("catalog.col.libraries"))],
                [[c["id"], display_title(c), holdings_text(c, KEEP)] for c in union.clusters()])
