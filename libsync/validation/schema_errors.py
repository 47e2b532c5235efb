"""Turn JSON Schema failures into problems a librarian can act on.

jsonschema-rs decides quickly whether a document is valid; only for an invalid one does
python-jsonschema list the errors, whose kind (required, type, enum …), path and values
become a message in the selected language, placed at the YAML line and column.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from libsync import schemas, yamlio
from libsync.problems import Problem
from libsync.problems import msg as t

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

JsonPath = list[str | int]   # a JSON path: keys and list positions

_TYPE_NAMES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object", type(None): "null"}
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ID = (r"^(?!(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][1-9]|[Ll][Pp][Tt][1-9])(?:\.|$))"
       r"(?!.*\.\.)(?!.*\.$)[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_CODE = "^[A-Z][A-Z0-9]{1,15}$"
_URL = r"^(?:https?://[^\s\\]+|files/(?!/)(?!\.\.?(?:/|$))(?!.*/\.\.?(?:/|$))(?!.*//)[^\s\\]+)$"


def field_name(path: Iterable[object]) -> str | dict[str, object]:
    """``items[3].status`` (1-based list positions, as a person counts); the whole file, as a
    message (``problems.msg``), when the path is empty."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step + 1}]"
        else:
            out += ("." if out else "") + str(step)
    return out or t("field.file")


def _value_text(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _source_token(text: str, path: Iterable[object]) -> str | None:
    """The value as typed in the file (``00123``, not the octal number YAML 1.1 made of it)."""
    line, col = yamlio.locate(text, list(path))
    if not line or not col:
        return None
    lines = text.splitlines()
    if line > len(lines):
        return None
    token = lines[line - 1][col - 1:].split(" #", 1)[0].strip()
    return token or None


def _problem(relpath: str, text: str, path: Sequence[object], rule: str, key: str, params: dict[str, Any],
             key_position: bool = False) -> Problem:
    line, col = yamlio.locate(text, list(path), key=key_position)
    return Problem(relpath, line, col, rule, key, params, "error", yamlio.pointer(path))


# Keywords that only say "none of the alternatives fit": a sibling error on the same value
# says more, and inside them the alternative's own error is the one to show.
_WEAK = frozenset({"anyOf", "oneOf"})


def _rank(error: ValidationError) -> tuple[int, bool]:
    # The shallowest error first: a missing or wrong value high up explains more than a
    # detail inside it (jsonschema.exceptions.relevance ranks the same way). Among errors at
    # the same depth a weak keyword comes last; otherwise the first one reported wins, and
    # python-jsonschema reports them in the schema's property order, which is also the
    # canonical key order of the file (``libsync fmt``), so "first" is "first in the file".
    return (len(error.absolute_path), error.validator in _WEAK)


def most_relevant(errors: Iterable[ValidationError]) -> ValidationError | None:
    """The one schema error to show when only one is shown, or ``None`` for no errors.

    Every place that reports a single schema failure (validate's callers, the record cache,
    the merge decisions, snapshots, exchange manifests) picks with this function, so the same
    invalid file is described by the same error everywhere. The ranking is ours, not
    ``jsonschema.exceptions.best_match`` (whose heuristic may change between versions)."""
    best = min(errors, key=_rank, default=None)
    while best is not None and best.validator in _WEAK and best.context:
        best = min(best.context, key=_rank)
    return best


def schema_errors(kind: str, data: object) -> list[ValidationError]:
    """Every python-jsonschema error of ``data`` against the ``kind`` schema."""
    return list(schemas.explainer(kind).iter_errors(data))


def first_problem(kind: str, data: object, text: str = "", relpath: str = "") -> Problem | None:
    """The most relevant schema violation of ``data`` as a located problem in the user's
    language (``problem.where`` is file:line:column, ``problem.message`` the sentence;
    ``None`` when ``data`` is valid). ``text`` is the file's YAML, to find the line."""
    error = most_relevant(schema_errors(kind, data))
    if error is None:
        return None
    found = _explain_error(error, text, relpath)
    return found[0] if found else _problem(relpath, text, list(error.absolute_path), f"schema-{error.validator}",
                                           "schema.keyword", {"field": field_name(list(error.absolute_path)),
                                                            "keyword": error.validator, "detail": error.message})


def explain(kind: str, data: object, text: str, relpath: str, wrong: list[JsonPath] | None = None) -> list[Problem]:
    """Problems for every schema violation of ``data`` (call only when it is invalid).

    ``wrong``, when given, receives the JSON path of every value of the wrong shape (a number
    where a list belongs, a mapping where a choice belongs; not a bad pattern or a missing field): ``prune`` drops them so that
    the rules after the schema only ever see values of the right shape."""
    problems: list[Problem] = []
    for error in schemas.explainer(kind).iter_errors(data):
        problems.extend(_explain_error(error, text, relpath, wrong))
    return problems


def _explain_error(error: ValidationError, text: str, relpath: str, wrong: list[JsonPath] | None = None) -> list[Problem]:
    """The problems one schema error stands for (a ``required`` error: one per missing field)."""
    problems: list[Problem] = []
    path: JsonPath = list(error.absolute_path)
    validator = cast(str, error.validator)   # set on every error iter_errors yields (Unset only when built by hand)
    if wrong is not None and (validator == "type" or (validator in ("enum", "const")
                                                      and isinstance(error.instance, (dict, list)))):
        wrong.append(path)
    value: Any = error.validator_value   # the keyword's value in the schema, as JSON
    instance: Any = error.instance       # the value that failed, as read from the file
    if validator == "required":
        for name in value:
            if isinstance(instance, dict) and name not in instance:
                problems.append(_problem(relpath, text, path, "schema-required", "schema.required",
                                         {"field": field_name(path + [name])}))
    elif validator == "additionalProperties":
        known = list(cast(Mapping[str, Any], error.schema).get("properties", {}))   # the object schema that failed
        for name in instance:
            if name in known:
                continue
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = t("hint.did_you_mean", suggestion=close[0]) if close else ""
            problems.append(_problem(relpath, text, path + [name], "schema-unknown-field", "schema.additional",
                                     {"field": field_name(path + [name]), "hint": hint or ""}, key_position=True))
    elif validator == "type":
        expected = value if isinstance(value, str) else value[0]
        actual = _TYPE_NAMES.get(type(instance), type(instance).__name__)
        hint = ""
        if expected == "string" and isinstance(instance, (int, float, bool)):
            hint = t("hint.quote", value=_source_token(text, path) or instance)
        problems.append(_problem(relpath, text, path, "schema-type", "schema.type", {
            "field": field_name(path), "expected": t(f"type.{expected}"), "actual": t(f"type.{actual}"), "hint": hint}))
    elif validator == "enum":
        problems.append(_problem(relpath, text, path, "schema-enum", "schema.enum", {
            "field": field_name(path), "value": _value_text(instance), "choices": ", ".join(map(str, value))}))
    elif validator == "pattern":
        hint = {_DATE: t("hint.date"), _ID: t("hint.id"), _CODE: t("hint.code"), _URL: t("hint.url")}.get(value, "")
        problems.append(_problem(relpath, text, path, "schema-pattern", "schema.pattern", {
            "field": field_name(path), "value": _value_text(instance), "hint": hint}))
    elif validator == "minLength":
        problems.append(_problem(relpath, text, path, "schema-empty", "schema.min_length", {"field": field_name(path)}))
    elif validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        limit = f"{'≥' if 'inimum' in validator else '≤'} {value}"
        problems.append(_problem(relpath, text, path, "schema-range", "schema.range", {
            "field": field_name(path), "value": _value_text(instance), "limit": limit}))
    elif validator == "minItems":
        problems.append(_problem(relpath, text, path, "schema-min-items", "schema.min_items", {
            "field": field_name(path), "limit": value}))
    elif validator == "uniqueItems":
        problems.append(_problem(relpath, text, path, "schema-uniqueItems", "schema.unique_items", {
            "field": field_name(path)}))
    else:   # a keyword the schemas do not use today: named, never in jsonschema's English for vi
        problems.append(_problem(relpath, text, path, f"schema-{validator}", "schema.keyword", {
            "field": field_name(path), "keyword": validator, "detail": error.message}))
    return problems


def prune(data: object, paths: list[JsonPath]) -> object:
    """A copy of ``data`` without the values at ``paths`` (a list entry becomes ``None``, so the
    positions of the others, used to point at lines, stay as they are)."""
    import copy

    data = copy.deepcopy(data)
    for path in sorted(paths, key=len):
        if not path:
            return None
        parent: Any = data
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if isinstance(parent, dict) and last in parent:
            del parent[last]
        elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            parent[last] = None
    return data
