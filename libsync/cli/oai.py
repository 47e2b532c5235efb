"""`libsync oai serve|request|static`: the OAI-PMH data provider (argument parsing and rendering only;
the work is in ``libsync.oai``)."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

import typer

from libsync import labels
from libsync.cli.common import audience_option, bounded, no_cache_option, output_option, report_skipped, repository
from libsync.errors import LibsyncError
from libsync.i18n import t

if TYPE_CHECKING:
    from libsync.network import Network

MAX_PAGE = 1000
DEFAULT_BASE = "http://127.0.0.1:8080/oai"
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+")    # the OAI-PMH schema's emailType


def _emails(network: Network, given: list[str], warn: bool = True) -> list[str]:
    from libsync.oai.index import admin_emails

    for email in given:
        if not _EMAIL.fullmatch(email):
            raise LibsyncError("oai.bad_email", email=email)
    emails, real = admin_emails(network, given)
    if not real and warn:
        typer.echo(t("oai.serve.no_email", email=emails[0]), err=True)
    return emails


def register(app: typer.Typer) -> None:
    oai = typer.Typer(help=t("help.oai"), no_args_is_help=True, add_completion=False)

    @oai.command("serve", help=t("help.oai.serve"))
    def serve_cmd(
        ctx: typer.Context,
        audience: str = audience_option("public", help_key="help.oai.serve.audience"),
        host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help=t("help.oai.serve.host")),
        port: int = typer.Option(8080, "--port", "-p", metavar="PORT", callback=bounded(0, 65535),
                                 help=t("help.oai.serve.port")),
        page_size: int = typer.Option(100, "--page-size", metavar="N", callback=bounded(1, MAX_PAGE),
                                      help=t("help.oai.page_size")),
        admin_email: list[str] = typer.Option([], "--admin-email", metavar="EMAIL", help=t("help.oai.admin_email")),
        no_cache: bool = no_cache_option("help.oai.no_cache"),
    ) -> None:
        from libsync.catalog.union import check_audience
        from libsync.oai.index import Built
        from libsync.oai.server import Provider, make_server, url_of

        repo = repository(ctx)
        audience = check_audience(repo.network, audience)
        emails = _emails(repo.network, admin_email)

        def built(result: Built) -> None:
            report_skipped(result.skipped)
            typer.echo(t("oai.serve.built", records=result.records, deleted=result.deleted,
                         seconds=result.seconds), err=True)

        provider = Provider(repo.root, audience, page_size=page_size, emails=emails, use_cache=not no_cache,
                            on_build=built)
        server = make_server(provider, host, port)     # a port in use is said before any reading
        try:
            provider.catalogue()                       # read the repository now: the first harvest is quick
            typer.echo(t("oai.serve.started", audience=labels.audience(audience), url=url_of(server, host, port)), err=True)
            sys.stderr.flush()
            server.run()
        except KeyboardInterrupt:                      # Ctrl-C or SIGTERM: a clean stop
            if "multiprocessing" in sys.modules:       # workers of a first reading cut short
                for child in sys.modules["multiprocessing"].active_children():
                    child.terminate()
        finally:
            server.close()
        typer.echo(t("oai.serve.stopped"), err=True)

    @oai.command("request", help=t("help.oai.request"))
    def request_cmd(
        ctx: typer.Context,
        query: str = typer.Argument(..., metavar="QUERY", help=t("help.oai.request.query")),
        audience: str = audience_option("public", help_key="help.oai.serve.audience"),
        page_size: int = typer.Option(100, "--page-size", metavar="N", callback=bounded(1, MAX_PAGE),
                                      help=t("help.oai.page_size")),
        admin_email: list[str] = typer.Option([], "--admin-email", metavar="EMAIL", help=t("help.oai.admin_email")),
    ) -> None:
        from libsync.catalog.union import check_audience
        from libsync.oai.server import Provider

        repo = repository(ctx)
        audience = check_audience(repo.network, audience)
        emails = _emails(repo.network, admin_email, warn=False)
        provider = Provider(repo.root, audience, page_size=page_size, emails=emails,
                            on_build=lambda result: report_skipped(result.skipped))
        body = provider.answer(query.lstrip("?"), DEFAULT_BASE)
        sys.stdout.buffer.write(body)
        sys.stdout.flush()

    @oai.command("static", help=t("help.oai.static"))
    def static_cmd(
        ctx: typer.Context,
        output: str = output_option(),
        audience: str = audience_option("public", help_key="help.oai.serve.audience"),
        base_url: str = typer.Option("oai.xml", "--base-url", metavar="URL", help=t("help.oai.static.base_url")),
        admin_email: list[str] = typer.Option([], "--admin-email", metavar="EMAIL", help=t("help.oai.admin_email")),
    ) -> None:
        from libsync.catalog.union import check_audience
        from libsync.oai import static
        from libsync.oai.index import build
        from libsync.store.output import write_output

        repo = repository(ctx)
        audience = check_audience(repo.network, audience)
        emails = _emails(repo.network, admin_email)
        built = build(repo.root, audience, emails=emails)
        report_skipped(built.skipped)
        count = static.too_big(built.catalogue)
        if count is not None:
            raise LibsyncError("oai.static.too_big", exit_code=1, file=output, records=count, limit=static.LIMIT)
        data = static.static_repository(built.catalogue, base_url)
        write_output(output, data, repo.root)
        typer.echo(t("oai.static.written", file=output, records=len(static.served(built.catalogue)),
                     kb=round(len(data) / 1024)))

    app.add_typer(oai, name="oai", help=t("help.oai"))
