"""`libsync site build|serve`: the static web catalogue (argument parsing and rendering only)."""

from __future__ import annotations

import typer

from libsync import labels
from libsync.cli.common import (
    TEXT_JSON,
    audience_option,
    bounded,
    check_format,
    format_option,
    print_json,
    report_skipped,
    repository,
)
from libsync.cli.progress import bars
from libsync.i18n import t
from libsync.store.output import check_output

FORMATS = TEXT_JSON


def register(app: typer.Typer) -> None:
    site = typer.Typer(help=t("help.site"), no_args_is_help=True, add_completion=False)

    @site.command("build", help=t("help.site.build"))
    def build_cmd(
        ctx: typer.Context,
        out: str = typer.Option(..., "--out", "-o", metavar="DIR", help=t("help.site.build.out")),
        audience: str = audience_option("public", help_key="help.site.build.audience"),
        term: str | None = typer.Option(None, "--term", metavar="TERM", help=t("help.site.build.term")),
        fmt: str = format_option(FORMATS),
    ) -> None:
        from libsync.site import build

        fmt = check_format(fmt, FORMATS)
        repo = repository(ctx)
        check_output(out, repo.root, folder=True)
        with bars(fmt == "text"):
            summary = build(repo, out, audience=audience, term=term)
        skipped = summary.pop("skipped", [])
        report_skipped(skipped)
        from libsync.oai.static import too_big_message

        left_out = too_big_message(summary.get("oai_static") or {"file": "-"})
        if left_out:   # on stderr, whatever the format: the site was built without oai.xml
            typer.echo(left_out, err=True)
        if summary["titles"] == 0:   # on stderr, whatever the format: an empty catalogue is no success
            typer.echo(t("site.empty_public" if summary["audience"] == "public" else "site.empty",
                         audience=labels.audience(summary["audience"]), library=next(iter(repo.network.libraries), "XS")), err=True)
        if fmt == "json":
            print_json(summary)
            return
        typer.echo(t(
            "site.built", audience=labels.audience(summary["audience"]), output=summary["output"], titles=summary["titles"],
            libraries=summary["libraries"], exchanges=summary["exchanges"], term=summary["term"] or "—",
            index_kb=round(summary["index_bytes"] / 1024), gzip_kb=round(summary["index_gzip_bytes"] / 1024),
        ))

    @site.command("serve", help=t("help.site.serve"))
    def serve_cmd(
        directory: str = typer.Argument(..., metavar="DIR", help=t("help.site.serve.dir")),
        port: int = typer.Option(8000, "--port", "-p", metavar="PORT", callback=bounded(0, 65535),
                                 help=t("help.site.serve.port")),
        host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS", help=t("help.site.serve.host")),
    ) -> None:
        from libsync.site.serve import is_local_only, lan_urls, make_server, qr_text, url_of

        server = make_server(directory, port, host=host)
        if is_local_only(host):
            typer.echo(t("site.serve.started", url=url_of(server)))
        else:
            typer.echo(t("site.serve.network_warning"), err=True)
            urls = lan_urls(server)
            if not urls:
                typer.echo(t("site.serve.no_lan", port=server.server_address[1]), err=True)
            for url in urls:
                typer.echo(t("site.serve.started_lan", url=url))
                typer.echo(qr_text(url), nl=False)
            typer.echo(t("site.serve.stop"))
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    app.add_typer(site, name="site", help=t("help.site"))
