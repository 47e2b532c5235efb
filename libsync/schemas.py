"""The JSON Schemas (draft 2020-12) of the network repository's files.

``schema/`` at the top of the source tree is the single source of truth; a built wheel
carries the same files as ``libsync/schema`` (see pyproject.toml), so there is no second
copy to drift. Each schema is compiled once: jsonschema-rs answers "valid?" fast for
every document, and python-jsonschema explains a failure (error kind, path, values) so
the message can be given in the librarian's language.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema
    import jsonschema_rs

KINDS = ("network", "record", "exchange", "inventory", "overrides", "harvest", "withdrawal")


def schema_dir() -> Path:
    packaged = Path(__file__).with_name("schema")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schema"


def schema_path(kind: str) -> Path:
    return schema_dir() / f"{kind}.schema.json"


@functools.cache
def load_schema(kind: str) -> dict[str, Any]:
    with open(schema_path(kind), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@functools.cache
def fast_validator(kind: str) -> jsonschema_rs.Validator:
    import jsonschema_rs  # imported on first use: commands that validate nothing start faster

    return jsonschema_rs.validator_for(load_schema(kind))


@functools.cache
def explainer(kind: str) -> jsonschema.Draft202012Validator:
    """A python-jsonschema Draft 2020-12 validator, used only to explain failures."""
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema(kind))


@functools.cache
def fingerprint() -> str:
    """A hash of every schema file: part of the validation cache key."""
    digest = hashlib.sha256()
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def kind_of(relpath: str) -> str | None:
    """Which schema governs the repository file at ``relpath`` (POSIX, relative), if any."""
    if not relpath.endswith((".yaml", ".yml")):
        return None
    parts = relpath.split("/")
    depth = len(parts)
    if depth == 1:
        return "network" if parts[0] in ("network.yaml", "network.yml") else None
    top = parts[0]
    if top == "records" and depth == 3:
        return "record"
    if top == "exchanges" and depth == 4:
        return "exchange"
    if top == "inventories" and depth == 3:
        return "inventory"
    if top == "catalog" and depth == 2 and parts[1] in ("overrides.yaml", "overrides.yml"):
        return "overrides"
    if top == "harvest" and depth == 2:
        return "harvest"
    if top == "withdrawals" and depth == 3:
        return "withdrawal"
    return None
