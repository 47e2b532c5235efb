"""`libsync init` (a new network repository) and `libsync codeowners`."""

from __future__ import annotations

from pathlib import Path

import typer

from libsync.cli.common import TEXT_JSON, check_format, format_option, print_json, repository
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.scaffold import LIBSYNC_PIP_SPEC, init_network, write_codeowners
from libsync.validation import gate


def _parse_library(value: str) -> tuple[str, str]:
    code, sep, name = value.partition("=")
    if not sep or not code.strip() or not name.strip():
        raise LibsyncError("init.bad_library", value=value)
    return code.strip().upper(), name.strip()


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("help.init"))
    def init_cmd(
        directory: Path = typer.Argument(..., metavar="DIR", help=t("help.init.dir")),
        name: str = typer.Option(None, "--name", help=t("help.init.name")),
        network_id: str = typer.Option("lien-thong-thu-vien", "--id", help=t("help.init.id")),
        library: list[str] | None = typer.Option(None, "--library", metavar="CODE=TÊN", help=t("help.init.library")),
        lead: str | None = typer.Option(None, "--lead", metavar="CODE", help=t("help.init.lead")),
        pip_spec: str = typer.Option(LIBSYNC_PIP_SPEC, "--pip-spec", help=t("help.init.pip_spec")),
        no_commit: bool = typer.Option(False, "--no-commit", help=t("help.init.no_commit")),
    ) -> None:
        libraries = [_parse_library(v) for v in library or []]
        files = init_network(directory, network_id, name or t("init.default_name"), libraries,
                             lead.upper() if lead else None, pip_spec, commit=not no_commit)
        typer.echo(t("init.done", path=str(directory), count=len(files)))

    @app.command("codeowners", help=t("help.codeowners"))
    def codeowners_cmd(
        ctx: typer.Context,
        check: bool = typer.Option(False, "--check", help=t("help.codeowners.check")),
        fmt: str = format_option(),
    ) -> None:
        fmt = check_format(fmt, TEXT_JSON)
        repo = repository(ctx)
        # who reviews what comes from network.yaml: only from one validate accepts in full
        gate.read(repo.root, "network.yaml", "network", rules=True)
        changed = write_codeowners(repo.root, repo.network, check=check)
        if fmt == "json":
            print_json({"changed": changed, "check": check, "path": ".github/CODEOWNERS"})
        elif check:
            typer.echo(t("codeowners.outdated" if changed else "codeowners.current"))
        else:
            typer.echo(t("codeowners.written" if changed else "codeowners.current"))
        raise typer.Exit(1 if (check and changed) else 0)
