"""Turn JSON Schema failures into problems a librarian can act on.

jsonschema-rs decides quickly whether a document is valid; only for an invalid one does
python-jsonschema list the errors, whose kind (required, type, enum …), path and values
become a message in the selected language, placed at the YAML line and column.
"""

from __future__ import annotations

import difflib

from libsync import schemas, yamlio
from libsync.problems import Problem, msg as t

_TYPE_NAMES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object", type(None): "null"}
_DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ID = (r"^(?!(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][1-9]|[Ll][Pp][Tt][1-9])(?:\.|$))"
       r"(?!.*\.\.)(?!.*\.$)[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_CODE = "^[A-Z][A-Z0-9]{1,15}$"
_URL = r"^(?:https?://[^\s\\]+|files/(?!/)(?!\.\.?(?:/|$))(?!.*/\.\.?(?:/|$))(?!.*//)[^\s\\]+)$"


def field_name(path):
    """``items[3].status`` (1-based list positions, as a person counts)."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step + 1}]"
        else:
            out += ("." if out else "") + str(step)
    return out or t("field.file")


def _value_text(value) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…'"


def _source_token(text: str, path) -> str | None:
    """The value as typed in the file (``00123``, not the octal number YAML 1.1 made of it)."""
    line, col = yamlio.locate(text, list(path))
    if not line or not col:
        return None
    lines = text.splitlines()
    if line > len(lines):
        return None
    token = lines[line - 1][col - 1:].split(" #", 1)[0].strip()
    return token or None


def _problem(relpath, text, path, rule, key, params, key_position=False) -> Problem:
    line, col = yamlio.locate(text, list(path), key=key_position)
    return Problem(relpath, line, col, rule, key, params, "error", yamlio.pointer(path))


def explain(kind: str, data, text: str, relpath: str, wrong: list | None = None) -> list[Problem]:
    """Problems for every schema violation of ``data`` (call only when it is invalid).

    ``wrong``, when given, receives the JSON path of every value of the wrong shape (a number
    where a list belongs, a mapping where a choice belongs; not a bad pattern or a missing field): ``prune`` drops them so that
    the rules after the schema only ever see values of the right shape."""
    problems: list[Problem] = []
    for error in schemas.explainer(kind).iter_errors(data):
        path = list(error.absolute_path)
        validator = error.validator
        if wrong is not None and (validator == "type" or (validator in ("enum", "const")
                                                          and isinstance(error.instance, (dict, list)))):
            wrong.append(path)
        value = error.validator_value
        instance = error.instance
        if validator == "required":
            for name in value:
                if isinstance(instance, dict) and name not in instance:
                    problems.append(_problem(relpath, text, path, "schema-required", "schema.required",
                                             {"field": field_name(path + [name])}))
        elif validator == "additionalProperties":
            known = list(error.schema.get("properties", {}))
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
        else:
            problems.append(_problem(relpath, text, path, f"schema-{validator}", "schema.other", {
                "field": field_name(path), "detail": error.message}))
    return problems


def prune(data, paths: list) -> object:
    """A copy of ``data`` without the values at ``paths`` (a list entry becomes ``None``, so the
    positions of the others, used to point at lines, stay as they are)."""
    import copy

    data = copy.deepcopy(data)
    for path in sorted(paths, key=len):
        if not path:
            return None
        parent = data
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
