"""`libsync search`: find titles in the union catalogue, with who holds them."""

from __future__ import annotations

from typing import Any

import typer

from libsync import labels
from libsync.catalog.search import DEFAULT_LIMIT, MAX_TERMS, query_terms, search
from libsync.cli.common import (
    audience_option,
    bounded,
    check_format,
    format_option,
    library_option,
    print_json,
    repository,
)
from libsync.cli.merge import display_title
from libsync.errors import LibsyncError
from libsync.i18n import t

FORMATS = ("text", "json")


def hit_lines(n: int, hit: dict[str, Any]) -> list[str]:
    title = display_title(hit)
    extra = ", ".join(str(x) for x in (", ".join(hit.get("authors", [])[:2]), hit.get("publisher"), hit.get("year")) if x)
    head = f"{n}. {title}" + (f" ({extra})" if extra else "")
    holdings = " · ".join(t("catalog.search.holding", library=h["library"], available=h["available"], copies=h["copies"])
                          for h in hit.get("holdings", []))
    access = t(f"catalog.access.{hit.get('access', 'catalog')}")
    return [head, f"   {holdings} · {access} · {hit['id']}"]


def register(app: typer.Typer) -> None:
    @app.command("search", help=t("help.search"))
    def search_cmd(
        ctx: typer.Context,
        query: str = typer.Argument(..., metavar="QUERY", help=t("help.search.query")),
        library: str | None = library_option(help_key="help.search.library"),
        type_: str | None = typer.Option(None, "--type", metavar="TYPE", help=t("help.search.type")),
        grade: int | None = typer.Option(None, "--grade", metavar="N", callback=bounded(1, 12), help=t("help.search.grade")),
        subject: str | None = typer.Option(None, "--subject", metavar="TEXT", help=t("help.search.subject")),
        series: str | None = typer.Option(None, "--series", metavar="TEXT", help=t("help.search.series")),
        available: bool = typer.Option(False, "--available", help=t("help.search.available")),
        audience: str = audience_option("network"),
        limit: int = typer.Option(DEFAULT_LIMIT, "--limit", "-n", metavar="N", help=t("help.search.limit")),
        fmt: str = format_option(FORMATS),
    ) -> None:
        fmt = check_format(fmt, FORMATS)
        if not 1 <= limit <= 1000:
            raise LibsyncError("catalog.bad_limit")
        repo = repository(ctx)
        result = search(repo, query, audience, library=library, type_=type_, grade=grade, subject=subject,
                        available=available, limit=limit, series=series)
        if result.get("skipped"):   # on stderr: the results may be published, these names not
            typer.echo(t("catalog.search.skipped", count=len(result["skipped"]),
                         files=", ".join(result["skipped"][:5]) + (" …" if len(result["skipped"]) > 5 else "")), err=True)
        if result.get("dropped"):
            typer.echo(t("catalog.search.dropped", kept=MAX_TERMS, dropped=result["dropped"]), err=True)
        if fmt == "json":
            print_json(result)
            return
        shown = query  # a very long query is echoed as the words searched
        if len(query) > 200:
            shown = " ".join(query_terms(query)[0]) + (" …" if result.get("dropped") else "")
        if not result["results"]:
            typer.echo(t("catalog.search.none", query=shown))
            return
        typer.echo(t("catalog.search.count", count=result["count"], query=shown, audience=labels.audience(result["audience"])))
        for n, hit in enumerate(result["results"], start=1):
            typer.echo("\n".join(hit_lines(n, hit)))
