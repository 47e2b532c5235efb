"""What every command shares: the repository from --repo, output formats, JSON, consoles."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import typer
from rich.console import Console

from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.repository import Repository

if TYPE_CHECKING:
    from libsync.problems import Problem


@dataclass
class State:
    repo: str | None = None
    _repository: Repository | None = None

    def repository(self) -> Repository:
        if self._repository is None:
            self._repository = Repository.discover(self.repo)
        return self._repository


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = State()
    return cast(State, root.obj)   # only ever a State (here, or the app's callback)


def repository(ctx: typer.Context) -> Repository:
    return state(ctx).repository()


def check_format(value: str, choices: tuple[str, ...]) -> str:
    value = value.lower()
    if value not in choices:
        raise LibsyncError("cli.bad_format", fmt=value, choices="|".join(choices))
    return value


def console(stderr: bool = False) -> Console:
    """A rich console that prints library data as it is: no markup, so a title such as
    "[Tập 1]" or a note with brackets is never taken for a style."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False)


def print_json(data: object) -> None:
    """One JSON document on stdout, UTF-8 and readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def bounded(low: int, high: int) -> Callable[[int | None], int | None]:
    """An option callback: a number outside ``low``…``high`` is a usage error (exit 2) before
    any work, so ``--grade 99999999999999999999`` never reaches the code that uses it."""
    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise typer.BadParameter(t("cli.out_of_range", value=value, low=low, high=high))
        return value
    return check


def report_skipped(problems: Sequence[Problem]) -> None:
    """On stderr (the output itself may be published): the record files a catalogue left out
    because they do not validate, with file, line and reason."""
    if not problems:
        return
    typer.echo(t("catalog.skipped", count=len(problems)), err=True)
    for p in sorted(problems, key=lambda p: p.sort_key()):
        typer.echo(f"  {p.where}: {p.message}", err=True)
