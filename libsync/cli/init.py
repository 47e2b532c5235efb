"""`libsync init` (a new network repository) and `libsync codeowners`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer

from libsync.cli.common import TEXT_JSON, ask, check_format, format_option, print_json, repository
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.scaffold import (
    HEADER_FIELDS,
    default_libsync_source,
    init_network,
    is_local_source,
    pip_requirement,
    write_codeowners,
)
from libsync.validation import gate


def _parse_library(value: str) -> tuple[str, str]:
    code, sep, name = value.partition("=")
    if not sep or not code.strip() or not name.strip():
        raise LibsyncError("init.bad_library", value=value)
    return code.strip().upper(), name.strip()


def _details(codes: list[str], given: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """The header fields from the options: ``CODE=value`` for one library, a bare value for all
    (a person's name needs the code when there are several libraries)."""
    out: dict[str, dict[str, str]] = {code: {} for code in codes}
    for field, values in given.items():
        for value in values:
            code, sep, rest = value.partition("=")
            if sep and code.strip().upper() in out:
                out[code.strip().upper()][field] = rest.strip()
            elif sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,15}", code.strip()):
                # CODE=… of a school not in --library (a typo): never written to every school as text
                raise LibsyncError("init.unknown_code", exit_code=2, option=f"--{field}", value=value,
                                   code=code.strip().upper(), codes=", ".join(codes) or "—")
            elif field in ("principal", "librarian") and len(codes) > 1:
                raise LibsyncError("init.needs_code", exit_code=2, option=f"--{field}", value=value,
                                   codes=", ".join(codes))
            else:
                for code in codes:
                    out[code][field] = value.strip()
    return out


def _ask_missing(libraries: list[tuple[str, str]], details: dict[str, dict[str, str]]) -> None:
    """On a terminal: ask for each library what the minutes' header and signatures need and the
    options did not say (an empty answer leaves it out; the minutes then name the field)."""
    previous: dict[str, str] = {}
    for code, name in libraries:
        fields = details.setdefault(code, {})
        typer.echo(t("init.ask.library", code=code, name=name))
        for field in HEADER_FIELDS:
            if fields.get(field):
                continue
            hint = previous.get(field) if field == "authority" else None
            answer = ask(t(f"init.ask.{field}") + (f" [{hint}]" if hint else ""))
            fields[field] = answer.strip() or (hint or "")
        previous = fields


def _ask_libraries() -> list[tuple[str, str]]:
    libraries: list[tuple[str, str]] = []
    while True:
        answer = ask(t("init.ask.library_line", n=len(libraries) + 1)).strip()
        if not answer:
            return libraries
        try:
            libraries.append(_parse_library(answer))
        except LibsyncError as exc:
            typer.echo(str(exc), err=True)


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("help.init"))
    def init_cmd(
        directory: Path = typer.Argument(..., metavar="DIR", help=t("help.init.dir")),
        name: str | None = typer.Option(None, "--name", help=t("help.init.name")),
        network_id: str = typer.Option("lien-thong-thu-vien", "--id", help=t("help.init.id")),
        library: list[str] | None = typer.Option(None, "--library", metavar="CODE=TÊN", help=t("help.init.library")),
        lead: str | None = typer.Option(None, "--lead", metavar="CODE", help=t("help.init.lead")),
        authority: list[str] | None = typer.Option(None, "--authority", metavar="[CODE=]TEXT",
                                                   help=t("help.init.authority")),
        place: list[str] | None = typer.Option(None, "--place", metavar="[CODE=]TEXT", help=t("help.init.place")),
        principal: list[str] | None = typer.Option(None, "--principal", metavar="CODE=TÊN",
                                                   help=t("help.init.principal")),
        librarian: list[str] | None = typer.Option(None, "--librarian", metavar="CODE=TÊN",
                                                   help=t("help.init.librarian")),
        source: str | None = typer.Option(None, "--libsync-source", metavar="SOURCE",
                                          help=t("help.init.libsync_source")),
        pip_spec: str | None = typer.Option(None, "--pip-spec", metavar="SOURCE", hidden=True,   # its old name
                                            help=t("help.init.libsync_source")),
        interactive: bool | None = typer.Option(None, "--ask/--no-ask", help=t("help.init.ask"), show_default=False),
        no_commit: bool = typer.Option(False, "--no-commit", help=t("help.init.no_commit")),
    ) -> None:
        asking = sys.stdin.isatty() if interactive is None else interactive
        libraries = [_parse_library(v) for v in library or []]
        if asking and not libraries:
            libraries = _ask_libraries()
        codes = [code for code, _ in libraries]
        details = _details(codes, {"authority": authority or [], "place": place or [],
                                   "principal": principal or [], "librarian": librarian or []})
        if asking:
            name = name or ask(t("init.ask.name", default=t("init.default_name"))).strip() or None
            _ask_missing(libraries, details)
        chosen = source or pip_spec or default_libsync_source()
        spec = pip_requirement(chosen) if chosen else None
        files = init_network(directory, network_id, name or t("init.default_name"), libraries,
                             lead.upper() if lead else None, chosen, commit=not no_commit, details=details)
        typer.echo(t("init.done", path=str(directory), count=len(files)))
        if spec is None:   # nothing GitHub can install from is known: said, and the CI step says it too
            typer.echo(t("init.no_source"), err=True)
        else:
            typer.echo(t("init.source", spec=spec))
            if is_local_source(spec):   # a folder on her disk: no GitHub-hosted runner sees it
                typer.echo(t("init.local_source", spec=spec), err=True)
        where = {"authority": "authority", "place": "place", "principal": "principal", "librarian": "librarians"}
        blanks = sorted({f"libraries[{code}].{where[field]}" for code in codes for field in HEADER_FIELDS
                         if not details.get(code, {}).get(field)})
        if blanks or not codes:
            typer.echo(t("init.header_blank", fields=", ".join(blanks) or "libraries"), err=True)

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
