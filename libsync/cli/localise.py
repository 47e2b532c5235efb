"""Click's and Typer's own words in the user's language: usage errors, help headings, types.

Typer (and the copy of Click it carries) writes its messages in English as f-strings, with no
translation hook. This module owns what libsync does about it:

- :func:`usage_error` turns a Click usage error into one message from the catalogue (``Thiếu
  đối số QUERY.``), from the exception's type and its parameter, never from its English text
  (an English message not recognised here is shown after a translated lead-in);
- :func:`apply` sets Typer's help headings, the ``[default: …]`` and ``[required]`` marks and
  Click's ``Usage:`` line in the current language, and shows an option's kind of value in
  words (``SỐ``) instead of Python's type names (``<int>``, ``<bool>``).

It never changes what a command does, only the words around it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import typer.core

from libsync.i18n import t

if TYPE_CHECKING:
    from typer._click import Command as ClickCommand

# The click classes Typer builds on (its own copy, or click itself), found from Typer's classes.
_ClickCommand = cast("type[ClickCommand]", typer.core.TyperCommand.__mro__[1])
_ClickContext: Any = typer.Context.__mro__[1]
_click_exceptions: Any = __import__(_ClickCommand.__module__.rsplit(".", 1)[0] + ".exceptions", fromlist=["x"])
_formatting: Any = __import__(_ClickCommand.__module__.rsplit(".", 1)[0] + ".formatting", fromlist=["x"])

ClickException: type[Exception] = _click_exceptions.ClickException
Abort: type[BaseException] = typer.Abort
NoArgsIsHelpError: type[Exception] = _click_exceptions.NoArgsIsHelpError

# Python type names Typer shows for an option's value, and how a person reads them.
_TYPE_WORDS = {"str": "cli.type.text", "int": "cli.type.integer", "float": "cli.type.number",
               "Path": "cli.type.path", "date": "cli.type.date", "datetime": "cli.type.date"}


# Placeholders the commands name their values with (English capitals), said in the user's language.
_METAVARS = {
    "FILE": "file", "TEXT": "text", "N": "n", "ID": "id", "LIB/ID": "lib_id", "TYPE": "type", "DIR": "dir",
    "CODE": "code", "TERM": "term", "START": "start", "SECONDS": "seconds", "SCANFILE": "scanfile",
    "QUERY": "query", "FIELD": "field", "DATE": "date", "FIELD=VALUE": "field_value", "PATH": "path",
    "CLUSTER": "cluster", "RULE": "rule", "REF": "ref", "BEFORE": "before", "AFTER": "after",
    "SNAPSHOT": "snapshot", "SOURCE": "source", "PORT": "port", "HOST": "host", "ADDRESS": "address",
    "CATEGORIES": "categories", "YYYY-YYYY": "years", "CODE=TÊN": "code_name", "[CODE=]TEXT": "code_text",
    "LIB": "library", "BARCODE": "barcode", "SPEC": "set_spec",
}


def metavar(name: str) -> str:
    """A value's placeholder (``FILE``, ``LIB/ID``) in the current language."""
    more = name.endswith("...")
    base = name.removesuffix("...")
    key = _METAVARS.get(base)
    return (t(f"cli.metavar.{key}") if key else base) + ("..." if more else "")


def placeholders(text: str) -> str:
    """Every placeholder in ``text`` (``[PATH]...``, ``{QUERY}``) in the current language."""
    return re.sub(r"(?<![\w/=])[A-Z][A-Z0-9_]*(?:[/=][A-Z]+)?(?![\w/=])", lambda m: metavar(m.group(0)), text)


def _hint(exc: Any) -> str:
    """The parameter an error is about, as the user typed it: ``--term`` or ``QUERY``."""
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            hint = metavar(param.metavar.strip("[]{}. ") if param.metavar else (param.name or "").upper())
        else:
            opts = [o for o in param.opts if o.startswith("--")] or list(param.opts)
            hint = opts[0] if opts else param.name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(str(h) for h in hint)
    return str(hint or "").strip("'\"")


# English messages Click builds itself, recognised so they can be said in the user's language.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No such command '(?P<name>.*?)'\.?(?: Did you mean (?P<like>.*)\?)?$"), "cli.click.no_command"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$"), "cli.click.extra_args"),
    (re.compile(r"Option '(?P<option>.*?)' requires (?:an argument|(?P<n>\d+) arguments)\.$"), "cli.click.needs_value"),
    (re.compile(r"Option '(?P<option>.*?)' does not take a value\.$"), "cli.click.no_value"),
    (re.compile(r"Missing command\.$"), "cli.click.missing_command"),
    (re.compile(r"Value (?P<value>.*) is not a valid (?P<kind>\w+)\.$"), "cli.click.not_a"),
    (re.compile(r"'?(?P<value>.*?)'? is not a valid (?P<kind>integer|float|boolean|int)(?: range)?\.$"), "cli.click.not_a"),
    (re.compile(r"Input should be a valid (?P<kind>integer|number|boolean|date)\b.*$"), "cli.click.should_be"),
    (re.compile(r"Input should be less than or equal to (?P<n>\S+?)\.?$"), "cli.click.at_most"),
    (re.compile(r"Input should be greater than or equal to (?P<n>\S+?)\.?$"), "cli.click.at_least"),
    (re.compile(r"(?P<kind>File|Directory|Path) '(?P<value>.*)' does not exist\.$"), "cli.click.no_such_path"),
    (re.compile(r"(?P<kind>File|Directory|Path) '(?P<value>.*)' is a directory\.$"), "cli.click.is_directory"),
    (re.compile(r"(?P<kind>File|Directory|Path) '(?P<value>.*)' is a file\.$"), "cli.click.is_file"),
    (re.compile(r"'(?P<value>.*?)' is not one of (?P<choices>.*)\.$"), "cli.click.not_one_of"),
    (re.compile(r"'(?P<value>.*?)' is not (?P<choices>.*)\.$"), "cli.click.not_one_of"),
]


def _said(message: str) -> str:
    """Click's English ``message`` in the current language (a lead-in + the English if unknown)."""
    text = message.strip()
    for pattern, key in _MESSAGES:
        found = pattern.match(text)
        if found:
            params = {k: v or "" for k, v in found.groupdict().items()}
            if key == "cli.click.no_command" and params.get("like"):
                key = "cli.click.no_command_like"
            if "kind" in params:
                kind = params["kind"].lower()
                params["kind"] = t("cli.kind." + {"int": "integer", "number": "float", "bool": "boolean"}.get(kind, kind))
            return t(key, **params)
    return t("cli.click.other", message=text)


def usage_error(exc: Any) -> str:
    """One message, in the current language, for a Click usage error or bad parameter."""
    hint = _hint(exc)
    name = type(exc).__name__
    if name == "MissingParameter":
        kind = getattr(exc, "param_type", None) or getattr(getattr(exc, "param", None), "param_type_name", "")
        return t("cli.click.missing_argument" if kind == "argument" else "cli.click.missing_option", name=hint)
    if name == "NoSuchOption":
        option = getattr(exc, "option_name", hint)
        like = sorted(getattr(exc, "possibilities", None) or [])
        if like:
            return t("cli.click.no_option_like", option=option, like=", ".join(like))
        return t("cli.click.no_option", option=option)
    message = exc.message if hasattr(exc, "message") else str(exc)
    if name == "BadParameter" and hint:
        reason = _said(message)
        if reason == t("cli.click.other", message=message.strip()):
            reason = message.strip()
        return t("cli.click.bad_value", name=hint, reason=reason.rstrip("."))
    return _said(message)


def usage_line(ctx: Any) -> str:
    """The command's usage line in the current language (``Cách dùng: libsync search …``)."""
    return str(ctx.get_usage()).strip()


def help_hint(ctx: Any) -> str:
    names = getattr(ctx, "help_option_names", None) or ["--help"]
    return t("cli.click.try_help", command=f"{ctx.command_path} {names[0]}")


def render(exc: Any) -> str:
    """The whole text shown for a usage error: usage line, the error, where to find help."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(usage_line(ctx))
    lines.append(t("cli.click.error", message=usage_error(exc)))
    if ctx is not None:
        lines.append(help_hint(ctx))
    return "\n".join(lines)


class _Formatter(_formatting.HelpFormatter):  # type: ignore[misc]
    """Click's help formatter, with its ``Usage:`` line in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", t("cli.usage.options")).replace("COMMAND [ARGS]...", t("cli.usage.command"))
        super().write_usage(prog, args, t("cli.usage.prefix") + " " if prefix is None else prefix)


def _display_type(param: Any, ctx: Any) -> str | None:
    """An option's kind of value in words; nothing for a flag or an argument (its name says it)."""
    if type(param).__name__ == "TyperArgument":
        return None
    if getattr(param, "metavar", None) is not None:   # "FILE", or "public|network|CODE", "FILE.yaml"
        named = str(param.metavar)
        return metavar(named) if named.removesuffix("...") in _METAVARS else placeholders(named)
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return None
    shown = _original_display_type(param, ctx)
    if shown is None:
        return None
    shown = str(shown).replace("<", "").replace(">", "").replace(" range", "")
    more = shown.endswith("...")
    base = shown.removesuffix("...")
    listed = re.fullmatch(r"list\[(\w+)\]", base)
    if listed:
        base, more = listed.group(1), True
    if base == "bool":
        return None
    key = _TYPE_WORDS.get(base)
    word = t(key) if key else base
    return word + ("..." if more else "")


_original_display_type = typer.core.TyperOption.display_type_rich


def _help_words() -> None:
    """Typer's help headings and marks in the current language (imports Typer's rich help
    module, about 60 ms: done only when a help page is about to be drawn)."""
    import typer.rich_utils as rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = t("cli.help.arguments")
    rich_utils.OPTIONS_PANEL_TITLE = t("cli.help.options")
    rich_utils.COMMANDS_PANEL_TITLE = t("cli.help.commands")
    rich_utils.ERRORS_PANEL_TITLE = t("cli.help.error")
    rich_utils.DEFAULT_STRING = t("cli.help.default")
    rich_utils.REQUIRED_LONG_STRING = t("cli.help.required")
    rich_utils.ENVVAR_STRING = t("cli.help.envvar")
    rich_utils.ABORTED_TEXT = t("cli.aborted")


def _localised_help(original: Any) -> Any:
    def format_help(self: Any, ctx: Any, formatter: Any) -> Any:
        _help_words()
        return original(self, ctx, formatter)

    format_help.__wrapped__ = original  # type: ignore[attr-defined]
    return format_help


def _range(param: Any) -> str | None:
    """An option's allowed numbers in words: ``≥ 1``, ``0–65535``."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if (low is None and high is None) or getattr(param, "count", False):
        return None
    if low is None:
        return f"≤ {high}"
    if high is None:
        return f"≥ {low}"
    return f"{low}–{high}"


def apply() -> None:
    """Put Typer's and Click's own words in the current language (call when the language is known)."""
    _ClickContext.formatter_class = _Formatter
    typer.core.TyperOption.display_type_rich = _display_type  # type: ignore[method-assign, assignment]
    typer.core.TyperArgument.display_type_rich = _display_type  # type: ignore[method-assign, assignment]
    typer.core.TyperOption._get_number_range_help_str = _range  # type: ignore[method-assign, assignment]
    if not hasattr(typer.core.TyperArgument, "_libsync_name"):   # an argument's name in the help panel
        shown = typer.core.TyperArgument.display_name_raw
        typer.core.TyperArgument._libsync_name = shown  # type: ignore[attr-defined]
        typer.core.TyperArgument.display_name_raw = property(  # type: ignore[method-assign, assignment]
            lambda self: placeholders(shown.fget(self)))  # type: ignore[attr-defined]
    for cls in (typer.core.TyperCommand, typer.core.TyperGroup):
        if not hasattr(cls.format_help, "__wrapped__"):
            cls.format_help = _localised_help(cls.format_help)  # type: ignore[method-assign]
