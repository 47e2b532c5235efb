"""What every command shares: the repository from --repo, output formats, JSON, consoles, and
the one definition of each option several commands take (``--format``, ``--audience``,
``--library``, dates, ``--no-cache``, ``--commit`` …).

The option helpers return the ``typer.Option``/``typer.Argument`` to use as a parameter's
default (``fmt: str = format_option()``); their help comes from the i18n catalogue when the
command is registered, so it is in the language chosen for this run. Where two commands
word an option differently (``--audience`` of ``export`` says what is left out) the caller
passes its own help key; the flags, short names, metavars and defaults stay in one place."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

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


TEXT_JSON = ("text", "json")
"""The output formats of most commands (``--format``)."""

DATE_METAVAR = "DD/MM/YYYY"
AUDIENCE_METAVAR = "public|network|CODE"


def format_option(choices: Sequence[str] = TEXT_JSON, *, help_key: str | None = None) -> Any:
    """``--format``/``-f``, ``text`` by default; check the value with ``check_format(fmt, choices)``."""
    helptext = t(help_key) if help_key else t("help.opt.format", choices="|".join(choices))
    return typer.Option("text", "--format", "-f", help=helptext)


def audience_option(default: str | None, *, help_key: str = "help.opt.audience") -> Any:
    """``--audience``/``-a public|network|CODE``: who the output is for."""
    return typer.Option(default, "--audience", "-a", metavar=AUDIENCE_METAVAR, help=t(help_key))


def library_option(default: Any = None, *, help_key: str = "help.opt.library", short: bool = True,
                   metavar: str | None = "CODE") -> Any:
    """``--library``/``-l CODE``: a library's code (``...`` as default: required)."""
    flags = ("--library", "-l") if short else ("--library",)
    return typer.Option(default, *flags, metavar=metavar, help=t(help_key))


def library_argument(default: Any = ..., *, metavar: str = "LIB") -> Any:
    """A library's code as a positional argument (``LIB``; ``None`` as default: optional)."""
    return typer.Argument(default, metavar=metavar, help=t("help.opt.library"))


def typed_date(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """An option callback: a date as typed (``19/01/2027``, ``19/1/2027`` or ``2027-01-19``, see
    ``libsync.dates``) becomes ``YYYY-MM-DD`` for the command; anything else is a usage error (exit 2)
    that names the option."""
    if value is None:
        return None
    from libsync.dates import typed_date as parse

    day = parse(value)
    if day is None:
        # click names the option (typer's stubs want its own parameter class, which this is at run time)
        raise typer.BadParameter(t("dates.bad", value=value), ctx=ctx, param=cast(Any, param))
    return day.isoformat()


def date_option(help_key: str, flag: str = "--date", *, default: Any = None) -> Any:
    """A day, ``DD/MM/YYYY`` or ``YYYY-MM-DD`` (``--date`` unless ``flag`` says otherwise; ``...``:
    required); the command receives it as ``YYYY-MM-DD``."""
    return typer.Option(default, flag, metavar=DATE_METAVAR, help=t(help_key), callback=typed_date)


def no_cache_option(help_key: str) -> Any:
    """``--no-cache``: read every file again instead of the cache."""
    return typer.Option(False, "--no-cache", help=t(help_key))


def commit_option() -> Any:
    """``--commit``: record the change as one Git commit."""
    return typer.Option(False, "--commit", help=t("help.opt.commit"))


def dry_run_option() -> Any:
    """``--dry-run``/``-n``: show what would happen, write nothing."""
    return typer.Option(False, "--dry-run", "-n", help=t("help.opt.dry_run"))


def verbose_option(help_key: str = "help.opt.verbose") -> Any:
    """``--verbose``/``-v``: list every item where the output counts them by group."""
    return typer.Option(False, "--verbose", "-v", help=t(help_key))


def quiet_option() -> Any:
    """``--quiet``/``-q``: print the summary only, not a line per record."""
    return typer.Option(False, "--quiet", "-q", help=t("help.opt.quiet"))


def yes_option() -> Any:
    """``--yes``/``-y``: do not ask, confirm."""
    return typer.Option(False, "--yes", "-y", help=t("help.opt.yes"))


def output_option(default: Any = ..., *, help_key: str = "help.opt.output") -> Any:
    """``--output``/``-o FILE`` (required unless a default is given)."""
    return typer.Option(default, "--output", "-o", metavar="FILE", help=t(help_key))


def by_option(help_key: str = "help.exchange.by") -> Any:
    """``--by``: who does this."""
    return typer.Option(None, "--by", help=t(help_key))


def encoding_option(metavar: str, help_key: str) -> Any:
    """``--encoding``/``-e``: the input file's encoding (guessed when not given)."""
    return typer.Option(None, "--encoding", "-e", metavar=metavar, help=t(help_key))


def paths_argument(help_key: str) -> Any:
    """``[PATH]...``: only these files or folders (default: the whole repository)."""
    return typer.Argument(None, metavar="PATH", help=t(help_key))   # usage: [PATH]...


def check_format(value: str, choices: tuple[str, ...]) -> str:
    value = value.lower()
    if value not in choices:
        raise LibsyncError("cli.bad_format", fmt=value, choices="|".join(choices))
    return value


def confirm(question: str, *, err: bool = False) -> bool:
    """Ask yes/no (default no), in the user's language: ``[c/K]`` in Vietnamese, where "c", "có",
    "y" or "yes" mean yes. No answer — end of input, Ctrl-D, a closed pipe — is "no", never
    click's English "Aborted!"."""
    from libsync.text import fold

    yes = {fold(word) for word in t("cli.confirm.yes_words").split(",")}
    no = {fold(word) for word in t("cli.confirm.no_words").split(",")}
    while True:
        try:
            answer = str(typer.prompt(f"{question} {t('cli.confirm.suffix')}", default="", show_default=False,
                                      err=err))
        except (typer.Abort, EOFError):
            typer.echo("", err=err)
            return False
        word = fold(answer.strip())
        if word in yes:
            return True
        if not word or word in no:
            return False
        typer.echo(t("cli.confirm.again"), err=err)


def can_ask() -> bool:
    """Whether a question can be asked: stdin is a terminal. ``TTY_INTERACTIVE=1`` (or ``0``),
    rich's convention, decides instead: for a script wrapping libsync, or a test that answers."""
    import os

    forced = os.environ.get("TTY_INTERACTIVE")
    if forced in ("0", "1"):
        return forced == "1"
    try:
        return sys.stdin.isatty()
    except ValueError:   # stdin closed
        return False


def check_dated(days: Sequence[dt.date | None], *, period: tuple[dt.date, dt.date] | None = None,
                term: str = "", yes: bool = False, fix: str = "") -> None:
    """Before recording what happened on a typed day: a day in the future or outside ``period``
    (the term, named ``term``) is said on stderr (``libsync.dates.step_warnings``). On a terminal
    she is asked whether to record it all the same (default no: nothing is written, exit 1); with
    ``--yes`` or when no question can be asked (a pipe, a script) it is recorded, and the message
    ``fix`` (a message key) says how to take it back if the day was wrong: ``dates.fix_undo``
    after a commit, ``dates.fix_restore`` for files written and not committed."""
    from libsync.dates import shown, step_warnings

    today = dt.date.today()
    said = False
    for day in dict.fromkeys(d for d in days if d is not None):
        for key in step_warnings(day, period, today):
            said = True
            typer.echo(t(key, date=shown(day), today=shown(today), term=term,
                         start=shown(period[0]) if period else "", end=shown(period[1]) if period else ""), err=True)
    if not said:
        return
    if not yes and can_ask():
        if not confirm(t("dates.confirm"), err=True):
            raise LibsyncError("dates.not_recorded", exit_code=1)
        return
    if fix:
        typer.echo(t(fix), err=True)


def ask(question: str) -> str:
    """One line of input (empty when none is given); the end of input stops the command with a
    message in the user's language rather than click's English "Aborted!"."""
    try:
        return str(typer.prompt(question, default="", show_default=False))
    except (typer.Abort, EOFError):
        typer.echo("", err=True)
        raise LibsyncError("cli.no_answer", exit_code=1) from None


def console(stderr: bool = False) -> Console:
    """A rich console that prints library data as it is: no markup, so a title such as
    "[Tập 1]" or a note with brackets is never taken for a style. On a terminal long lines wrap
    between words at its width; elsewhere (a pipe, a file) a line is never broken."""
    out = Console(stderr=stderr, highlight=False, markup=False)
    out.soft_wrap = not out.is_terminal
    return out


def report_start(outcome: Any, fmt: str) -> Console | None:
    """The start every edit report shares: with ``--format json`` the outcome's ``to_dict()`` is
    printed and None returned; else a console, the outcome's warnings already printed on it."""
    if fmt == "json":
        print_json(outcome.to_dict())
        return None
    out = console()
    for warning in outcome.warnings:
        out.print(t("edit.warning", text=warning))
    return out


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
