"""The `libsync` command line: argument parsing and rendering only.

Each command group lives in its own module here (``validate``, ``fmt``, ``init`` …) with a
``register(app)`` function; the work itself is done by the library modules.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any, cast

import typer
import typer.core

from libsync import __version__
from libsync.errors import LibsyncError
from libsync.i18n import LANGUAGES, set_language, t

if TYPE_CHECKING:
    # The click that Typer builds on: its own copy (typer._click) in the Typer installed here.
    # Only for the type checker: at run time the code finds it from Typer's classes.
    from typer._click import Command as ClickCommand
    from typer._click import Context as ClickContext

# command -> the module of libsync.cli that defines it, in the order help lists them. A module
# is imported only when one of its commands runs (or help lists them all), so `libsync validate`
# never pays for MARC, spreadsheets, documents or fuzzy matching.
COMMANDS = {
    "validate": "validate", "fmt": "fmt", "init": "init", "codeowners": "init", "export": "export",
    "merge": "merge", "search": "search", "schedule": "schedule", "import": "imports",
    "exchange": "exchange", "inventory": "inventory", "site": "site", "recover": "recover",
    "share": "share", "undo": "undo",
    "enrich": "enrich",
    "record": "record",
    "copy": "copy",
    "batch": "batch",
    "harvest": "harvest",
    "oai": "oai",
    "accession": "accession",
    "withdraw": "withdraw",
    "register": "register",
    "report": "report",
}


class LibsyncGroup(typer.core.TyperGroup):
    """Loads each command's module when the command is asked for, and turns a ``LibsyncError``
    into its message and exit code — never a traceback."""

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def get_command(self, ctx: ClickContext, name: str) -> ClickCommand | None:
        if name not in self.commands and name in COMMANDS:
            self._load(COMMANDS[name])
        return self.commands.get(name)

    def resolve_command(self, ctx: ClickContext, args: list[str]) -> Any:
        """An unknown command name gets the nearest known ones as a suggestion."""
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            if type(exc).__name__ == "UsageError" and args and "Did you mean" not in str(exc):
                import difflib

                like = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if like:
                    cast(Any, exc).message = f"No such command {args[0]!r}. Did you mean {', '.join(repr(m) for m in like)}?"
            raise

    def _load(self, module_name: str) -> None:
        module = importlib.import_module(f"{__name__}.{module_name}")
        holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        module.register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            self.commands.setdefault(name, command)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,  # type: ignore[override]
             standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's own errors (a missing argument, an unknown option) in the user's language."""
        if not standalone_mode:
            return super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **kwargs)
        from libsync.cli import localise

        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  **kwargs)
        except localise.NoArgsIsHelpError as exc:   # the help was shown already
            sys.exit(cast(Any, exc).exit_code)
        except localise.ClickException as exc:
            typer.echo(localise.render(exc), err=True)
            sys.exit(cast(Any, exc).exit_code)
        except localise.Abort:
            typer.echo(t("cli.aborted"), err=True)
            sys.exit(1)
        # standalone: the command's return value is not an exit code; typer.Exit's code is returned
        sys.exit(result if isinstance(result, int) and not isinstance(result, bool) else 0)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except LibsyncError as exc:
            typer.echo(f"libsync: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            raise typer.Exit(_report_interrupt(exc)) from None
        except (typer.Exit, typer.Abort, BrokenPipeError):   # a closed pipe: main() ends quietly
            raise
        except Exception as exc:  # a bug, not a user error: say so plainly, trace only on request
            if os.environ.get("LIBSYNC_DEBUG"):
                traceback.print_exc()
            if "click" in type(exc).__module__:   # click's (or Typer's copy of click's) own errors
                raise
            from libsync import atomic

            signum = atomic.interruption()
            if signum is not None:   # the interruption's doing: say so, not "internal error"
                raise typer.Exit(_report_interrupt(atomic.Interrupted(signum))) from None
            typer.echo(f"libsync: {t('cli.internal_error', error=f'{type(exc).__name__}: {exc}')}", err=True)
            raise typer.Exit(2) from None


def _localised_help_option(command: ClickCommand, ctx: ClickContext) -> typer.core.TyperOption | None:
    option = _click_help_option(command, ctx)
    if option is not None:
        option.help = t("help.opt.help")
    return option


# click's own "--help" text is English only; Typer may carry its own copy of click.
# TyperCommand's base class is that click's Command (found at run time: Typer's copy or click).
_ClickCommand = cast("type[ClickCommand]", typer.core.TyperCommand.__mro__[1])
_click_help_option = _ClickCommand.get_help_option
# patching the class's method (mypy takes the plain function for a bound one, hence both codes)
_ClickCommand.get_help_option = _localised_help_option  # type: ignore[method-assign, assignment]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"libsync {__version__}")
        raise typer.Exit(0)


GLOBAL_OPTIONS = ("--lang", "--repo")
"""Options of ``libsync`` itself that are taken after the command too."""


def _globals_first(argv: list[str]) -> list[str]:
    """``--lang`` and ``--repo`` wherever they are typed (``libsync search toan --lang en``,
    ``libsync validate --repo ../mang``) moved before the command, the one place Click takes
    them: else Click refuses them as unknown options. Nothing after ``--`` is touched
    (``libsync search -- --lang`` searches for "--lang")."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv) and argv[i + 1] != "--":
            front += argv[i:i + 2]
            i += 2
            continue
        if arg in GLOBAL_OPTIONS:   # no value: Click says so (not "no such option")
            return [arg]
        if arg.startswith(tuple(f"{name}=" for name in GLOBAL_OPTIONS)):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _language_from_argv(argv: list[str]) -> str | None:
    """The language the command line asks for (the last ``--lang``, as Click takes it)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def create_app() -> typer.Typer:
    """Build the app; help texts come from the catalogue in the language selected now."""
    from libsync.cli import localise

    localise.apply()
    app = typer.Typer(
        name="libsync",
        cls=LibsyncGroup,
        help=t("help.app"),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _global(
        ctx: typer.Context,
        repo: str = typer.Option(None, "--repo", metavar="PATH", help=t("help.opt.repo")),
        lang: str = typer.Option(None, "--lang", metavar="|".join(LANGUAGES),
                                 help=t("help.opt.lang", languages=", ".join(LANGUAGES))),
        version: bool = typer.Option(False, "--version", help=t("help.opt.version"), is_eager=True,
                                     callback=_print_version),
    ) -> None:
        if lang:
            if lang.lower() not in LANGUAGES:
                raise LibsyncError("cli.bad_lang", lang=lang, languages=", ".join(LANGUAGES))
            set_language(lang)
        from libsync.cli.common import State

        ctx.obj = State(repo=repo)

    return app


def _report_interrupt(exc: KeyboardInterrupt) -> int:
    """Say what an interruption left behind (the truth: nothing, or a finished change); the exit code."""
    from libsync import atomic

    if "multiprocessing" in sys.modules:   # no worker may keep the command waiting at exit
        for child in sys.modules["multiprocessing"].active_children():
            child.terminate()
    done = len(atomic.completed)
    if done:
        typer.echo(t("cli.interrupted.done", count=done), err=True)
    else:
        typer.echo(t("cli.interrupted.undone" if atomic.undone else "cli.interrupted.nothing"), err=True)
    return 128 + getattr(exc, "signum", 2)


def main(argv: list[str] | None = None) -> None:
    from libsync import atomic

    atomic.catch_interruptions()
    argv = _globals_first(list(sys.argv[1:] if argv is None else argv))
    lang = _language_from_argv(argv)
    if lang and lang.lower() in LANGUAGES:
        set_language(lang)
    wanted = os.environ.get("LIBSYNC_LANG", "")
    if wanted and wanted.lower() not in LANGUAGES and not lang:   # a setting that silently did nothing
        typer.echo(t("cli.bad_lang_env", lang=wanted, languages=", ".join(LANGUAGES)), err=True)
    try:
        try:
            from libsync.store.read import session

            app = create_app()
            try:
                with session():   # one listing of the repository for the whole command
                    app(args=argv, prog_name="libsync")
            finally:
                sys.stdout.flush()      # a pipe closed early shows here, not at interpreter exit
        except KeyboardInterrupt as exc:   # before or after the command itself ran
            sys.exit(_report_interrupt(exc))
        except BrokenPipeError:         # `libsync search toan | head -1`: the reader has all it wants
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())   # nothing left to flush at exit, no second error
            sys.exit(1)
        except Exception:
            signum = atomic.interruption()
            if signum is not None:   # wrapped by Python in another error (e.g. an import)
                sys.exit(_report_interrupt(atomic.Interrupted(signum)))
            raise
    except SystemExit as exc:
        if atomic.interruption() is not None:
            # Interrupted: the change was undone or had finished, and was reported. Leave now,
            # without waiting at exit for worker processes that may never hear of it.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        raise
