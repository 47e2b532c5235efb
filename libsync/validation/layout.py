"""Files in the data folders that are not where the layout says (rule ``misplaced-file``).

A record renamed to ``.YAML`` or ``.yml``, moved one folder deeper (``records/XS/sub/x.yaml``) or
left at the top of ``records/`` is read by no command — it would silently vanish from the
catalogue. ``misplaced(root)`` walks the data folders (one ``os.scandir`` per folder, no file is
opened) and gives each such file with the place the layout expects:

    records/<LIB>/<id>.yaml             exchanges/<year>/<term>/<id>.yaml
    inventories/<LIB>/<id>.yaml         inventories/<LIB>/raw/…   (raw scans: any file)
    catalog/overrides.yaml              harvest/<source>.yaml
    withdrawals/<LIB>/<id>.yaml

Hidden files (``.gitkeep``) are left alone unless they are YAML; symbolic links are reported by
the repository's own walk, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

# top folder → (depth of a data file, in path parts; the placeholder for the folders between)
LAYOUT = {
    "records": (3, ("<LIB>",)),
    "exchanges": (4, ("<YEAR>", "<TERM>")),
    "inventories": (3, ("<LIB>",)),
    "harvest": (2, ()),
    "withdrawals": (3, ("<LIB>",)),
}


def _stem(name: str) -> str:
    lower = name.lower()
    for suffix in (".yaml", ".yml"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name.strip(".") else name


def _expected(parts: list[str]) -> str | None:
    """The place the layout expects for the file at ``parts``, or None when it is already there."""
    top, name = parts[0], parts[-1]
    if top == "catalog":
        return None if parts == ["catalog", "overrides.yaml"] else "catalog/overrides.yaml"
    if top == "inventories" and len(parts) >= 4 and parts[2] == "raw":
        return None   # the raw scans kept with a library's snapshots: any name, any depth
    depth, between = LAYOUT[top]
    if len(parts) == depth and name.endswith(".yaml") and not name.startswith("."):
        return None
    folders = parts[1:depth - 1] if len(parts) >= depth else list(between)
    return "/".join([top, *folders, _stem(name.lstrip(".")) + ".yaml"])


def misplaced(root: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(relative path, expected place) of every file in a data folder that the layout does not
    place there, in path order."""
    root = Path(root)
    found: list[tuple[str, str]] = []

    def walk(rel_dir: str) -> None:
        try:
            entries = list(os.scandir(root / rel_dir))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}"
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if rel == f"{rel_dir.split('/')[0]}/.git" or name.startswith("."):
                    continue
                walk(rel)
                continue
            if name.startswith(".") and not name.lower().endswith((".yaml", ".yml")):
                continue   # .gitkeep, .DS_Store, editors' and libsync's own temporary files
            expected = _expected(rel.split("/"))
            if expected is not None:
                found.append((rel, expected))

    from libsync.repository import DATA_DIRS

    for top in DATA_DIRS:
        if (root / top).is_dir():
            walk(top)
    found.sort()
    return found


def misplaced_in(relpaths: list[str]) -> list[tuple[str, str]]:
    """``misplaced`` for files already listed (by Git: ``libsync.store.listing``), without a walk:
    the same files are skipped as the walk skips."""
    found: list[tuple[str, str]] = []
    for rel in relpaths:
        parts = rel.split("/")
        if len(parts) < 2 or any(p.startswith(".") for p in parts[:-1]):
            continue
        name = parts[-1]
        if name.startswith(".") and not name.lower().endswith((".yaml", ".yml")):
            continue
        expected = _expected(parts)
        if expected is not None:
            found.append((rel, expected))
    found.sort()
    return found
