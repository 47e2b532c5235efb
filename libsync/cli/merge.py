"""`libsync merge`: build the union catalogue, explain a cluster, list uncertain pairs."""

from __future__ import annotations

import json
from typing import Optional

import typer
from tabulate import tabulate

from libsync.catalog import build_union, check_audience, explain
from libsync.store.read import load_records
from libsync.store.output import check_output, write_output
from libsync.cli.common import check_format, print_json, report_skipped, repository
from libsync.errors import LibsyncError
from libsync.i18n import t

FORMATS = ("text", "json")


def to_json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def holdings_text(cluster: dict) -> str:
    return ", ".join(f"{h['library']} {h['available']}/{h['copies']}" for h in cluster.get("holdings", []))


def display_title(cluster: dict) -> str:
    """Title, volume and textbook series: what tells "Toán 6" clusters apart at a glance."""
    text = cluster.get("title", "")
    if cluster.get("volume"):
        text += f" — {cluster['volume']}"
    series = (cluster.get("curriculum") or {}).get("series") or cluster.get("series")
    if series:
        text += f" ({series})"
    return text


def reasons_text(reasons) -> str:
    return "; ".join(t(f"catalog.reason.{r}") for r in reasons or [])


def rule_text(edge: dict) -> str:
    rule = edge.get("rule", "")
    if rule == "fuzzy":
        author = edge.get("author_similarity")
        return t("catalog.rule.fuzzy", title=edge.get("title_similarity"), author="—" if author is None else author)
    return t(f"catalog.rule.{rule}")


def summary_line(union: dict) -> str:
    clusters = union["clusters"]
    return t("catalog.summary", audience=union["audience"], records=sum(len(c["members"]) for c in clusters),
             clusters=len(clusters), merged=sum(1 for c in clusters if len({m["library"] for m in c["members"]}) > 1),
             conflicts=len(union["conflicts"]), uncertain=len(union["uncertain"]))


def pair_rows(pairs: list[dict]) -> list[list]:
    return [[" + ".join(p["records"]), " / ".join(p["clusters"]), p.get("score"), reasons_text(p.get("reasons"))]
            for p in pairs]


def register(app: typer.Typer) -> None:
    @app.command("merge", help=t("help.merge"))
    def merge_cmd(
        ctx: typer.Context,
        fmt: str = typer.Option("text", "--format", "-f", help=t("help.opt.format", choices="text|json")),
        output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE", help=t("help.merge.output")),
        audience: str = typer.Option("network", "--audience", "-a", metavar="public|network|CODE",
                                     help=t("help.opt.audience")),
        explain_id: Optional[str] = typer.Option(None, "--explain", metavar="CLUSTER", help=t("help.merge.explain")),
        uncertain: bool = typer.Option(False, "--uncertain", help=t("help.merge.uncertain")),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        if output:
            check_output(output, repo.root)
        audience = check_audience(repo, audience)
        loaded = load_records(repo)
        union = build_union(repo, audience, with_edges=bool(explain_id), loaded=loaded)
        report_skipped(loaded.problems)
        code = 1 if loaded.problems else 0
        if explain_id:
            cluster = explain(union, explain_id)
            if cluster is None:
                raise LibsyncError("catalog.no_cluster", cluster=explain_id, audience=audience)
            if fmt == "json":
                print_json(cluster)
                raise typer.Exit(code)
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
            raise typer.Exit(code)
        if output:
            write_output(output, to_json_text(union), repo.root)
        if uncertain:
            pairs = {"audience": union["audience"], "conflicts": union["conflicts"], "uncertain": union["uncertain"]}
            if fmt == "json":
                print_json(pairs)
                raise typer.Exit(code)
            headers = [t("catalog.col.records"), t("catalog.col.id"), t("catalog.col.score"), t("catalog.col.reasons")]
            if union["conflicts"]:
                typer.echo(t("catalog.conflicts"))
                typer.echo(tabulate(pair_rows(union["conflicts"]), headers=headers))
            if union["uncertain"]:
                typer.echo(t("catalog.uncertain"))
                typer.echo(tabulate(pair_rows(union["uncertain"]), headers=headers))
            if not union["conflicts"] and not union["uncertain"]:
                typer.echo(t("catalog.none_uncertain"))
            raise typer.Exit(code)
        if fmt == "json" and not output:
            typer.echo(to_json_text(union), nl=False)
            raise typer.Exit(code)
        typer.echo(summary_line(union))
        if output:
            typer.echo(t("catalog.written", path=output))
            raise typer.Exit(code)
        rows = [[c["id"], display_title(c), holdings_text(c)] for c in union["clusters"]]
        typer.echo(tabulate(rows, headers=[t("catalog.col.id"), t("catalog.col.title"), t("catalog.col.libraries")]))
        raise typer.Exit(code)
