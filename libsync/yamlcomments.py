"""Keep a librarian's YAML comments when libsync rewrites a file.

PyYAML drops comments, so a rewrite (``fmt``, an import updating a record, an exchange step
changing a copy) would silently delete them. ``carry_comments(old, new)`` finds each comment of
the old text with the scanner's token spans (a ``#`` inside a quoted or block scalar is text,
not a comment), ties it to the node it belongs to — a comment on its own line to the entry
that follows it (above the first entry: the file's header, kept on top), a comment at the end of a line to the deepest entry starting on that line —
and writes it beside the same entry of the new text (entries are found by their path of keys
and positions, so reordered keys keep their comments). The result is checked: it must load to
exactly the data of ``new``, or ``None`` is returned and the caller decides.
"""

from __future__ import annotations

import bisect
import re

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from libsync.text import nfc

EntryPath = tuple[str | int, ...]   # keys and positions from the document's root

_HASH = re.compile(r"(?:^|(?<=[ \t]))#")


def _scalar_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        if isinstance(token, yaml.ScalarToken):
            starts.append(token.start_mark.index)
            ends.append(token.end_mark.index)
    return starts, ends


def comments(text: str) -> list[tuple[int, str, bool]]:
    """``(line, comment, whole_line)`` for every comment (0-based lines, ``#`` included)."""
    if "#" not in text:
        return []
    starts, ends = _scalar_spans(text)
    found = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        for match in _HASH.finditer(line):
            at = offset + match.start()
            i = bisect.bisect_right(starts, at) - 1
            if i >= 0 and starts[i] <= at < ends[i]:
                continue   # inside a scalar: text, not a comment
            found.append((number, nfc(line[match.start():].rstrip("\r\n").rstrip()),
                          not line[:match.start()].strip()))
            break
        offset += len(line)
    return found


def entry_lines(text: str) -> dict[EntryPath, int]:
    """0-based line where each entry starts: the key's line in a mapping, the item's in a list."""
    out: dict[EntryPath, int] = {}

    def walk(node: Node | None, path: EntryPath) -> None:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                step = path + (nfc(str(key.value)),)
                out[step] = key.start_mark.line
                walk(value, step)
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                step = path + (i,)
                out[step] = value.start_mark.line
                walk(value, step)

    walk(yaml.compose(text, Loader=yaml.CSafeLoader), ())
    return out


def carry_comments(old: str, new: str) -> str | None:
    """``new`` with the comments of ``old`` put back beside the same entries (see module doc);
    ``new`` itself when ``old`` has none; ``None`` if they cannot be placed faithfully."""
    try:
        found = comments(old)
        if not found or comments(new):   # nothing to carry, or the new text has its own already
            return new
        old_lines = entry_lines(old)
        new_lines = entry_lines(new)
    except yaml.YAMLError:
        return None
    by_line: dict[int, list[EntryPath]] = {}
    for path, line in old_lines.items():
        by_line.setdefault(line, []).append(path)
    ordered = sorted(old_lines.items(), key=lambda item: (item[1], len(item[0])))
    starts = [line for _, line in ordered]
    before: dict[int, list[str]] = {}   # new line -> whole-line comments to put above it
    after: dict[int, str] = {}          # new line -> end-of-line comment
    trailing: list[str] = []
    header: list[str] = []              # comments above the first entry stay at the top
    first = starts[0] if starts else 0
    for line, comment, whole in found:
        if whole and line < first:
            header.append(comment)
            continue
        if not whole and line in by_line:
            path = max(by_line[line], key=len)
            target = new_lines.get(path)
            if target is not None and target not in after:
                after[target] = comment
                continue
        i = bisect.bisect_right(starts, line)   # the first entry starting after the comment
        while i < len(ordered) and ordered[i][1] == line:
            i += 1
        if i < len(ordered):
            target = new_lines.get(ordered[i][0])
            if target is not None:
                before.setdefault(target, []).append(comment)
                continue
        trailing.append(comment)
    lines = new.splitlines(keepends=True)
    out = [f"{comment}\n" for comment in header]
    for number, text_line in enumerate(lines):
        indent = text_line[:len(text_line) - len(text_line.lstrip(" "))]
        out.extend(f"{indent}{comment}\n" for comment in before.get(number, []))
        if number in after:
            text_line = f"{text_line.rstrip(chr(10))}  {after[number]}\n"
        out.append(text_line)
    out.extend(f"{comment}\n" for comment in trailing)
    result = "".join(out)
    try:
        same = yaml.load(result, Loader=yaml.CSafeLoader) == yaml.load(new, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        same = False
    return result if same else None
