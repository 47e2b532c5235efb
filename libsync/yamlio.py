"""Reading and writing the repository's YAML: safe, strict and canonical.

* Reading uses libyaml's CSafeLoader (never object construction from data), with three
  changes: dates stay strings (the schemas check them), a mapping key given twice is
  recorded instead of silently keeping the last one, and anchors/aliases are refused
  before anything is built (no alias bombs).
* ``check_bytes`` gives each classic accident its own message: BOM, non-UTF-8 bytes,
  Git conflict markers, tabs used for indentation, an empty or huge file, a truncated one.
* ``locate`` maps a JSON pointer back to the line and column of the YAML node, so a
  schema error points at the right place.
* ``dump`` writes canonical YAML: NFC text, schema key order, readable UTF-8 (no \\u
  escapes), no line folding, so diffs in pull requests stay small.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from libsync.errors import os_reason
from libsync.problems import ERROR, WARNING, Problem, msg
from libsync.text import nfc, xmlchars

MAX_FILE_BYTES = 5 * 1024 * 1024
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_TAB_INDENT = re.compile(rb"^[ ]*\t", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class Position(Protocol):
    """Where a YAML node or event starts (PyYAML's or libyaml's ``Mark``), 0-based."""

    line: int
    column: int


_REPLACED = {_TIMESTAMP, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class Loader(yaml.CSafeLoader):
    """CSafeLoader with YAML 1.2-style plain scalars, dates kept as text, duplicate keys recorded.

    YAML 1.1 turns ``00123`` into the octal number 83, ``1:20`` into 80 and ``no`` into
    false — fatal for barcodes, call numbers and language codes. Here only ``true``/``false``
    are booleans, integers have no leading zero (``00123`` stays text), and dates stay text.
    """

    # PyYAML looks the resolver table up on the class, so it is a class attribute by design
    yaml_implicit_resolvers = {  # noqa: RUF012
        first: [pair for pair in resolvers if pair[0] not in _REPLACED]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[object, yaml.Mark]] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        construct = self.construct_object
        for key_node, value_node in node.value:
            key = construct(key_node, deep=deep)
            try:
                seen = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                ) from None
            if seen:
                self.duplicates.append((key, key_node.start_mark))
            mapping[key] = construct(value_node, deep=deep)
        return mapping


# (typeshed types the unbound method's self as SafeConstructor, which is no loader class)
Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)  # type: ignore[type-var]
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+|0o[0-7]+)$"),
                             list("-+0123456789"))
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


class TagRefused(yaml.constructor.ConstructorError):
    """An explicit YAML tag our data never uses (``!!binary``, ``!!set``, ``!!timestamp``,
    ``!!omap``, ``!foo`` …), or a scalar tag whose value is not of that type (``!!int x``)."""

    def __init__(self, node: Node) -> None:
        super().__init__(None, None, f"tag {node.tag}", node.start_mark)
        self.tag = node.tag


_SCALAR_FORMS = {   # an explicit !!int/!!float/!!bool/!!null must look as the plain scalar would
    tag: [regexp for first in Loader.yaml_implicit_resolvers.values() for t, regexp in first if t == tag]
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
}
_SCALAR_FORMS["tag:yaml.org,2002:null"].append(re.compile(r"^$"))


_Constructor = Callable[[Loader, Node], Any]


def _checked(construct: _Constructor) -> _Constructor:
    def constructor(loader: Loader, node: Node) -> Any:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]  # a non-scalar: PyYAML raises
        if not any(regexp.match(value) for regexp in _SCALAR_FORMS[node.tag]):
            raise TagRefused(node)
        try:
            return construct(loader, node)
        except (ValueError, KeyError, OverflowError) as exc:   # e.g. an integer of 5,000 digits
            raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None
    return constructor


def _construct_int(loader: Loader, node: Node) -> int:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]  # a scalar: _checked read it already
    if value.startswith("0o"):
        return int(value[2:], 8)
    return int(value, 0) if value.startswith("0x") else int(value)


def _refuse(loader: Loader, node: Node) -> Any:
    raise TagRefused(node)


Loader.add_constructor("tag:yaml.org,2002:int", _checked(_construct_int))
for _tag in ("float", "bool", "null"):
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _checked(yaml.CSafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]))
for _tag in ("binary", "timestamp", "omap", "pairs", "set"):   # JSON Schema has no such values
    Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
Loader.add_constructor(None, _refuse)                            # any other tag (!foo, !!python/…)


@dataclass(slots=True)
class Loaded:
    """The outcome of reading one file: its data (if any), text and the problems found."""

    data: object = None
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def check_bytes(data: bytes, relpath: str) -> tuple[str | None, list[Problem]]:
    """Decode ``data`` and report the accidents that stop a YAML file being read at all."""
    problems: list[Problem] = []

    def add(rule: str, msg: str, line: int | None = None, column: int | None = None, severity: str = ERROR,
            **params: object) -> None:
        problems.append(Problem(relpath, line, column, rule, msg, params, severity))

    size = len(data)
    if size > MAX_FILE_BYTES:
        add("file-too-large", "yaml.too_large", 1, 1, size=f"{size / 1048576:.1f}", limit=MAX_FILE_BYTES // 1048576)
        return None, problems
    if not data.strip():
        add("empty-file", "yaml.empty", 1, 1)
        return None, problems
    if data.startswith(codecs.BOM_UTF8):
        add("bom", "yaml.bom", 1, 1)
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        add("encoding", "yaml.not_utf8", line, col, byte=f"0x{data[exc.start]:02X}")
        return None, problems
    if b"<<<<<<<" in data or b">>>>>>>" in data:
        for match in _CONFLICT.finditer(data):
            line, col = _line_col(data, match.start())
            add("merge-conflict", "yaml.conflict_marker", line, col, marker=match.group(1).decode()[:1] * 7)
            break
    if b"\t" in data:
        tab = _TAB_INDENT.search(data)
        if tab:
            line, col = _line_col(data, tab.end() - 1)
            add("tab-indent", "yaml.tab", line, col)
    control = _CONTROL.search(text) or re.search("\x00", text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        add("control-character", "yaml.control_char", line, control.start() - text.rfind("\n", 0, control.start()),
            code=f"U+{ord(control.group(0)):04X}")
    if not problems or all(p.severity == WARNING for p in problems):
        return text, problems
    return None, problems


# Characters XML 1.0 and XLSX cannot carry: C0 controls but TAB/LF/CR, U+FFFE/U+FFFF and lone
# surrogates. As raw characters ``check_bytes`` finds them (``_CONTROL``); a double-quoted YAML
# string can also spell them as escapes, found by one regex over the text (cheap: most files
# have no backslash at all) and then pinned to a field by a walk of that one document.
_BAD_ESCAPE = re.compile(
    r"\\(?:[0abvfe]|x(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|u(?:00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|[dD][89a-fA-F][0-9a-fA-F]{2}"
    r"|[fF]{3}[eEfF])|U(?:0000(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])|0000[dD][89a-fA-F][0-9a-fA-F]{2}|0000[fF]{3}[eEfF]))"
)


def _field_label(path: Sequence[object]) -> str:
    """``items[2].note`` (1-based positions), any unprintable character shown as its code."""
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else ("." if out else "") + str(step)
    return xmlchars.ILLEGAL.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", out) or "-"


def unsafe_escape(loaded: Loaded, relpath: str) -> Problem | None:
    """The first string of a loaded document holding a character XML cannot carry, written as an
    escape (raw ones ``check_bytes`` already refuses): a ``control-character`` problem naming the
    field, or None. Part of validation, not of reading: the loader itself reads back any string
    the writer wrote."""
    text = loaded.text
    if "\\" not in text or not _BAD_ESCAPE.search(text):
        return None
    bad = xmlchars.locate(loaded.data)
    if bad is None:
        return None
    path, char = list(bad[0]), bad[1][0]
    line, col = locate(text, path)
    return Problem(relpath, line, col, "control-character", "yaml.control_char_field",
                   {"code": f"U+{ord(char):04X}", "field": _field_label(path)}, ERROR, pointer(path))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _has_alias(text: str) -> Position | None:
    """The mark of the first anchor or alias, using libyaml's event stream (nothing is built)."""
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return event.start_mark
    return None


# PyYAML's reasons (English), and the message that says each in the user's language. The
# reason is kept as a message reference, so a cached problem speaks the language of the run
# that shows it; a reason not listed here is shown as PyYAML wrote it.
_YAML_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"could not find expected ':'"), "yaml.why.no_colon"),
    (re.compile(r"mapping values are not allowed"), "yaml.why.mapping_here"),
    (re.compile(r"block sequence entries are not allowed here"), "yaml.why.sequence_here"),
    (re.compile(r"expected <block end>, but found '<block sequence start>'"), "yaml.why.list_indent"),
    (re.compile(r"expected <block end>, but found"), "yaml.why.indent"),
    (re.compile(r"found character .*that cannot start any token"), "yaml.why.bad_start"),
    (re.compile(r"found unexpected end of stream"), "yaml.why.unclosed_quote"),
    (re.compile(r"found unknown escape character"), "yaml.why.escape"),
    (re.compile(r"expected ',' or '\]'"), "yaml.why.flow_list"),
    (re.compile(r"expected ',' or '\}'"), "yaml.why.flow_map"),
    (re.compile(r"but found another document"), "yaml.why.two_documents"),
    (re.compile(r"found undefined alias"), "yaml.why.alias"),
    (re.compile(r"did not find expected key"), "yaml.why.indent"),
    (re.compile(r"did not find expected '-' indicator"), "yaml.why.list_indent"),
    (re.compile(r"did not find expected comment or line break"), "yaml.why.trailing"),
    # libyaml's words for the rarer faults (found by mutating a record file character by character)
    (re.compile(r"(?:did not find|expected) (?:expected )?(?:the )?node content"), "yaml.why.node_content"),
    (re.compile(r"scanning an? (?:anchor|alias)|expected alphabetic or numeric character(?!.*directive)"),
     "yaml.why.anchor_name"),
    (re.compile(r"directive|<document start>|incompatible YAML document|non-alphabetical character"),
     "yaml.why.directive"),
    (re.compile(r"unhashable key"), "yaml.why.unhashable_key"),
    (re.compile(r"block scalar|chomping or indentation|indentation indicator"), "yaml.why.block_scalar"),
    (re.compile(r"expected hex\w* number|escaped octet"), "yaml.why.escape"),
    (re.compile(r"did not find expected whitespace or line break|scanning a tag|tag handle|tag URI"),
     "yaml.why.special_character"),
]


def yaml_reason(problem: str | None, context: str | None = None) -> object:
    """PyYAML's reason for a syntax error, as a message reference when it is a known one."""
    whole = f"{context or ''} {problem or ''}"
    for pattern, key in _YAML_REASONS:
        found = pattern.search(whole)
        if found:
            return msg(key)
    return (f"{context}: " if context else "") + (problem or "")


def load_text(text: str, relpath: str, problems: list[Problem] | None = None) -> Loaded:
    """Parse YAML ``text`` (already decoded) strictly; never raises for bad input."""
    problems = problems if problems is not None else []
    result = Loaded(text=text, problems=problems)

    def add(rule: str, msg: str, mark: Position | None = None, severity: str = ERROR, **params: object) -> None:
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problems.append(Problem(relpath, line, col, rule, msg, params, severity))

    try:
        if "&" in text or "*" in text:
            mark = _has_alias(text)
            if mark is not None:
                add("yaml-alias", "yaml.alias", mark)
                return result
        loader = Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except TagRefused as exc:
        add("yaml-tag", "yaml.tag", exc.problem_mark, tag=_short_tag(exc.tag))
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and mark.index >= len(text.rstrip()) - 1
        reason = yaml_reason(exc.problem or str(exc))
        if exc.context == "while scanning a simple key" and exc.context_mark is not None:
            # a ':' missing after a field name: PyYAML marks the next line, the fault is this one
            mark = exc.context_mark
        if at_end and exc.context_mark is not None and exc.context:
            # e.g. an unclosed quote: the useful place is where the quoted text began
            mark = exc.context_mark
            reason = yaml_reason(exc.problem, exc.context)
        if at_end and not text.endswith("\n"):
            add("truncated", "yaml.truncated", mark, reason=reason)
        else:
            add("yaml-syntax", "yaml.syntax", mark, reason=reason)
        return result
    except yaml.YAMLError as exc:
        add("yaml-syntax", "yaml.syntax", None, reason=str(exc))
        return result
    except RecursionError:
        add("yaml-syntax", "yaml.too_deep", None)
        return result
    except (ValueError, TypeError, KeyError, OverflowError) as exc:   # never a traceback for bad input
        add("yaml-syntax", "yaml.syntax", None, reason=f"{type(exc).__name__}: {exc}")
        return result
    for key, mark in loader.duplicates:
        add("duplicate-key", "yaml.duplicate_key", mark, key=key)
    if data is None:
        add("empty-file", "yaml.empty", None)
        return result
    if not text.endswith("\n"):
        last_line = text.count("\n") + 1
        problems.append(Problem(relpath, last_line, None, "truncated", "yaml.no_final_newline", {}, WARNING))
    result.data = data
    return result


def load_bytes(data: bytes, relpath: str) -> Loaded:
    text, problems = check_bytes(data, relpath)
    if text is None:
        return Loaded(problems=problems)
    return load_text(text, relpath, problems)


def load_file(path: str | Path, relpath: str | None = None) -> Loaded:
    relpath = relpath or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Loaded(problems=[Problem(relpath, None, None, "unreadable", "file.unreadable",
                                        {"path": relpath, "reason": os_reason(exc)})])
    return load_bytes(data, relpath)


def safe_load(text: str) -> Any:
    """Plain strict load for trusted-shape text (raises ``yaml.YAMLError`` on bad input)."""
    loader = Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# --- locating a JSON pointer in the YAML source ------------------------------------------

def locate(text: str, path: Sequence[object], key: bool = False) -> tuple[int | None, int | None]:
    """1-based (line, column) of the node at JSON path ``path`` in ``text``.

    Walks as far as the path exists, so a missing property points at its parent mapping.
    With ``key=True`` the last step points at the mapping key rather than its value.
    """
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None, None
    if node is None:
        return 1, 1
    mark = node.start_mark
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(step):
                    mark = key_node.start_mark if (last and key) else value_node.start_mark
                    node = value_node
                    break
            else:
                break
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            mark = node.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


def pointer(path: Iterable[object]) -> str:
    """RFC 6901 JSON pointer for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# --- canonical writing ---------------------------------------------------------------------

class Dumper(yaml.CSafeDumper):
    """Quotes every string that *either* our loader or a YAML 1.1 reader would take for
    something else: the emitter writes a scalar plain only when no implicit resolver of the
    dumper claims it, so the dumper knows the loader's resolvers (``1e5``, ``0o17`` are
    numbers to it) as well as YAML 1.1's (``no``, ``00123``, ``2024-01-01``)."""

    yaml_implicit_resolvers = {  # noqa: RUF012  (a class attribute for PyYAML, as above)
        first: list(yaml.CSafeDumper.yaml_implicit_resolvers.get(first, []))
        + [pair for pair in Loader.yaml_implicit_resolvers.get(first, [])
           if pair not in yaml.CSafeDumper.yaml_implicit_resolvers.get(first, [])]
        for first in set(yaml.CSafeDumper.yaml_implicit_resolvers) | set(Loader.yaml_implicit_resolvers)
    }


def _represent_str(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.ScalarNode:
    value = nfc(value)
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _represent_str)


def _resolve(schema: dict[str, Any], node: dict[str, Any] | None) -> dict[str, Any] | None:
    seen = 0
    while node and "$ref" in node and seen < 16:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return None
        target = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        node = target
        seen += 1
    return node


def canonical(value: Any, schema: dict[str, Any] | None, node: dict[str, Any] | None = None) -> Any:
    """``value`` with mapping keys in the schema's property order (unknown keys after, sorted)
    and every string in NFC."""
    if node is None and schema is not None:
        node = schema
    node = _resolve(schema, node) if schema is not None else None
    if isinstance(value, dict):
        props = (node or {}).get("properties", {})
        extra = (node or {}).get("additionalProperties")
        extra = extra if isinstance(extra, dict) else None
        known = [k for k in props if k in value]
        rest = sorted((k for k in value if k not in props), key=str)
        return {
            (nfc(k) if isinstance(k, str) else k): canonical(value[k], schema, props.get(k, extra))
            for k in known + rest
        }
    if isinstance(value, list):
        items = (node or {}).get("items")
        return [canonical(v, schema, items if isinstance(items, dict) else None) for v in value]
    if isinstance(value, str):
        return nfc(value)
    return value


def render(value: object, schema: dict[str, Any] | None = None) -> tuple[Any, str]:
    """``(canonical(value), its YAML text)``: the data exactly as the text carries it, and the text."""
    data = canonical(value, schema)
    return data, yaml.dump(
        data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
        width=1 << 16, indent=2,
    )


def dump(value: object, schema: dict[str, Any] | None = None) -> str:
    """Canonical YAML text for ``value`` (see module docstring)."""
    return render(value, schema)[1]
