"""The network repository on disk: where things are, reading them, writing them canonically.

Layout (see docs/data-model.md)::

    network.yaml
    schema/                                  (JSON Schemas, shipped by the package)
    records/<LIB>/<record-id>.yaml            one bibliographic record with its copies
    exchanges/<school-year>/<term>/<id>.yaml  rotation manifests
    inventories/<LIB>/<id>.yaml               stocktake snapshots (raw scans under raw/)
    catalog/overrides.yaml                    merge decisions of the union catalogue
    harvest/<source>.yaml                     where the next OAI-PMH harvest of a source starts
    withdrawals/<LIB>/<id>.yaml               withdrawal rounds (thanh lọc): proposed, then applied
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any

from libsync import schemas, yamlio
from libsync.atomic import write_atomic
from libsync.errors import LibsyncError
from libsync.network import Network

NETWORK_FILE = "network.yaml"
DATA_DIRS = ("records", "exchanges", "inventories", "catalog", "harvest", "withdrawals")
TOP_OF = {"records": "record", "exchanges": "exchange", "inventories": "inventory", "catalog": "overrides",
          "harvest": "harvest", "withdrawals": "withdrawal"}


def find_root(start: Path | None = None, explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--repo`` if given, else ``LIBSYNC_REPO``, else the nearest folder upward holding network.yaml."""
    chosen = explicit or os.environ.get("LIBSYNC_REPO")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        if not (root / NETWORK_FILE).is_file():
            raise LibsyncError("repo.no_network", path=str(root))
        return root
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / NETWORK_FILE).is_file():
            return folder
    raise LibsyncError("repo.not_found", start=str(start))


class Repository:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.symlinks: list[str] = []   # found by the last ``data_files`` walk, never followed

    @classmethod
    def discover(cls, explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Repository:
        return cls(find_root(start, explicit))

    # --- paths ------------------------------------------------------------------------------
    def path(self, relpath: str) -> Path:
        """``relpath`` under the repository; a path that would lead out of it (``..``, an absolute
        path, a backslash) — an id or path a user typed — is refused."""
        if ".." in relpath or "\\" in relpath or relpath.startswith("/") or ":" in relpath[:2]:
            full = (self.root / relpath).resolve()
            if "\\" in relpath or not full.is_relative_to(self.root):
                raise LibsyncError("repo.outside", path=relpath, root=str(self.root))
        return self.root / relpath

    def relpath(self, path: str | os.PathLike[str]) -> str:
        return Path(os.path.abspath(path)).relative_to(self.root).as_posix()

    @staticmethod
    def record_relpath(library: str, record_id: str) -> str:
        return f"records/{library}/{record_id}.yaml"

    @staticmethod
    def exchange_relpath(term: str, exchange_id: str) -> str:
        return f"exchanges/{term}/{exchange_id}.yaml"

    @staticmethod
    def inventory_relpath(library: str, snapshot_id: str) -> str:
        return f"inventories/{library}/{snapshot_id}.yaml"

    # --- network ----------------------------------------------------------------------------
    @cached_property
    def network(self) -> Network:
        """network.yaml, refused with validate's messages unless validate accepts it on its own."""
        return Network(self.load(NETWORK_FILE))

    # --- listing ----------------------------------------------------------------------------
    def data_files(self, kinds: tuple[str, ...] | None = None) -> list[str]:
        """Relative paths of every YAML data file that a schema governs, sorted.

        A symbolic link (file or folder) is never followed: it could lead out of the repository
        (``records/XS/x.yaml -> /etc/passwd``). Such links are left out and listed in
        ``self.symlinks`` for ``validate`` to report."""
        found: list[str] = []
        self.symlinks = []
        network = self.root / NETWORK_FILE
        if kinds is None or "network" in kinds:
            if network.is_symlink():
                self.symlinks.append(NETWORK_FILE)
            elif network.is_file():
                found.append(NETWORK_FILE)
        for top in DATA_DIRS:   # only the folders that can hold the kinds asked for (records/ is big)
            if kinds is None or TOP_OF[top] in kinds:
                if (self.root / top).is_symlink():
                    self.symlinks.append(top)
                elif (self.root / top).is_dir():
                    self._walk(top, kinds, found)
        found.sort()
        self.symlinks.sort()
        return found

    def _walk(self, rel_dir: str, kinds: tuple[str, ...] | None, found: list[str]) -> None:
        # In records/, exchanges/ and inventories/ every YAML file of a folder has the same kind:
        # ask once per folder (30,000 records); elsewhere (catalog/) the file name decides.
        kind = schemas.kind_of(f"{rel_dir}/x.yaml")
        per_file = kind is None
        wanted = per_file or kinds is None or kind in kinds
        with os.scandir(self.root / rel_dir) as entries:
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                if entry.is_symlink():
                    self.symlinks.append(f"{rel_dir}/{name}")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    self._walk(f"{rel_dir}/{name}", kinds, found)
                elif wanted and name.endswith((".yaml", ".yml")):
                    rel = f"{rel_dir}/{name}"
                    if per_file:
                        file_kind = schemas.kind_of(rel)
                        if file_kind is None or (kinds is not None and file_kind not in kinds):
                            continue
                    found.append(rel)

    def record_files(self, library: str | None = None) -> list[str]:
        files = self.data_files(("record",))
        if library:
            prefix = f"records/{library}/"
            files = [f for f in files if f.startswith(prefix)]
        return files

    # --- reading ----------------------------------------------------------------------------
    def load(self, relpath: str) -> dict[str, Any]:
        """One data file, through the store (``libsync.store.read``: examined once per content, the
        one read policy): a file validate refuses on its own raises with validate's messages,
        file and line."""
        from libsync.store.read import Store

        return Store.of(self).load(self.path(relpath).relative_to(self.root).as_posix())

    def records(self, library: str | None = None) -> list[dict[str, Any]]:
        """Every record (of ``library``), through the store (``libsync.store.read``), strictly."""
        from libsync.store.read import Store

        return Store.of(self).records(strict=True, library=library).documents

    def exchanges(self) -> list[dict[str, Any]]:
        """Every rotation manifest, through the store, strictly."""
        from libsync.store.read import Store

        return Store.of(self).documents(("exchange",), strict=True).documents

    # --- writing ----------------------------------------------------------------------------
    def render(self, kind: str, data: dict[str, Any]) -> str:
        return yamlio.dump(data, schemas.load_schema(kind))

    def save(self, relpath: str, data: dict[str, Any], kind: str | None = None) -> None:
        """Write one file canonically and atomically, as it is, for tools and test fixtures.
        Commands never use this: they write through ``libsync.store.write.apply`` (lock,
        validation, all-or-nothing)."""
        kind = kind or schemas.kind_of(relpath)
        write_atomic(self.root / relpath, self.render(kind, data) if kind else yamlio.dump(data))
