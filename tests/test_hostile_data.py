"""Hand-edited data of the wrong shape never crashes a command (issue #14, item 14).

Systematic: every mutation (a wrong type in network.yaml, a manifest, a snapshot or a record;
a YAML tag our data never uses) × every command that reads that kind of file. ``validate``
reports the file (exit 1, never an internal error); every other command either refuses with
validate's message, the file and a pointer to ``libsync validate`` (exit 1 or 2), or — the
catalogue commands, which leave invalid records out and say so — names the file it left out.
Runs in-process, one repository copy per mutation (the commands here only read).
"""

from __future__ import annotations

import pytest
import yaml

from conftest import copy_example

NET = "network.yaml"
MAN = "exchanges/2024-2025/HK1/xs-hd-2024-10-truyen-thieu-nhi.yaml"
SNAP = "inventories/XS/2024-10-01-truoc-luan-chuyen-hk1.yaml"
SNAP2 = "inventories/XS/2024-11-15-sau-luan-chuyen-hk1.yaml"
REC = "records/XS/xs-truyen-de-men.yaml"

# name: (file, JSON path, wrong value) — or (file, None, YAML text appended in place of a key)
MUTATIONS = {
    "net-libraries": (NET, ["libraries"], 5),
    "net-libraries-item": (NET, ["libraries", 0], "XS"),
    "net-code": (NET, ["libraries", 0, "code"], ["XS"]),
    "net-network": (NET, ["network"], "x"),
    "net-lead": (NET, ["network", "lead"], {"code": "XS"}),
    "net-groups": (NET, ["groups"], 5),
    "net-members": (NET, ["groups", 0, "members"], 5),
    "net-calendar": (NET, ["calendar"], 5),
    "net-school-days": (NET, ["calendar", "school_days"], ["funday"]),
    "net-school-years": (NET, ["calendar", "school_years"], 5),
    "net-school-year-item": (NET, ["calendar", "school_years", 0], "2024-2025"),
    "net-terms": (NET, ["calendar", "school_years", 0, "terms"], "x"),
    "net-term-start": (NET, ["calendar", "school_years", 0, "terms", 0, "start"], 20240905),
    "net-blackouts": (NET, ["calendar", "school_years", 0, "blackouts"], {"a": 1}),
    "net-rotation": (NET, ["rotation"], 5),
    "net-max-stay": (NET, ["rotation", "max_stay_days"], "x"),
    "net-batches": (NET, ["rotation", "batches"], 5),
    "net-filter": (NET, ["rotation", "batches", 0, "filter"], "x"),
    "net-filter-type": (NET, ["rotation", "batches", 0, "filter", "type"], 5),
    "net-binary": (NET, None, "site_logo: !!binary aGVsbG8=\n"),
    "man-copies": (MAN, ["copies"], 5),
    "man-copy-item": (MAN, ["copies", 0], 5),
    "man-copy-barcode": (MAN, ["copies", 0, "barcode"], ["x"]),
    "man-history": (MAN, ["history"], "x"),
    "man-history-item": (MAN, ["history", 0], 5),
    "man-planned": (MAN, ["planned"], 5),
    "man-people": (MAN, ["people"], 5),
    "man-sender": (MAN, ["people", "sender"], "x"),
    "man-from": (MAN, ["from"], 5),
    "man-status": (MAN, ["status"], 5),
    "man-set": (MAN, None, "notes: !!set {a, b}\n"),
    "snap-barcodes": (SNAP, ["barcodes"], 5),
    "snap-barcode-item": (SNAP, ["barcodes", 0], ["x"]),
    "snap-sections": (SNAP, ["sections"], 5),
    "snap-date": (SNAP, ["date"], 5),
    "snap-library": (SNAP, ["library"], 5),
    "snap-timestamp": (SNAP, None, "notes: !!timestamp 2024-10-01\n"),
    "rec-items": (REC, ["items"], 5),
    "rec-item": (REC, ["items", 0], 5),
    "rec-barcode": (REC, ["items", 0, "barcode"], [5]),
    "rec-status": (REC, ["items", 0, "status"], {"a": 1}),
    "rec-title": (REC, ["title"], ["x"]),
    "rec-binary": (REC, None, "notes: !!binary aGVsbG8=\n"),
    "rec-set": (REC, None, "notes: !!set {a, b}\n"),
    "rec-timestamp": (REC, None, "notes: !!timestamp 2024-01-01\n"),
}

COMMANDS = {
    "validate": ["validate"],
    "merge": ["merge"],
    "search": ["search", "toan"],
    "export": ["export", "csv", "-o", "{out}/x.csv"],
    "site": ["site", "build", "-o", "{out}/site"],
    "schedule": ["schedule", "2024-2025/HK2"],
    "exchange-list": ["exchange", "list"],
    "exchange-show": ["exchange", "show", "xs-hd-2024-10-truyen-thieu-nhi"],
    "exchange-minutes": ["exchange", "minutes", "xs-hd-2024-10-truyen-thieu-nhi", "-o", "{out}/m.docx"],
    "inventory-diff": ["inventory", "diff", "{repo}/" + SNAP, "{repo}/" + SNAP2],
    "inventory-check": ["inventory", "check", "XS", "{repo}/inventories/XS/raw/2024-11-15-sau-luan-chuyen-hk1.txt"],
    "inventory-list": ["inventory", "list"],
    "inventory-show": ["inventory", "show", "XS/2024-10-01-truoc-luan-chuyen-hk1"],
}

# which commands read which file (the commands that do not need a file are not run for it)
READERS = {
    NET: ["validate", "merge", "search", "export", "site", "schedule", "exchange-minutes", "inventory-check",
          "inventory-diff", "inventory-show"],
    MAN: ["validate", "site", "schedule", "exchange-list", "exchange-show", "exchange-minutes", "inventory-check",
          "inventory-diff"],
    SNAP: ["validate", "inventory-diff", "inventory-list", "inventory-show"],
    REC: ["validate", "merge", "search", "export", "site", "schedule", "exchange-minutes", "inventory-check",
          "inventory-diff"],
}
CATALOGUE = {"merge", "search", "export", "site"}   # leave an invalid record out, and say which


def _cases():
    for name, (rel, _, _) in MUTATIONS.items():
        for command in READERS[rel]:
            yield pytest.param(name, command, id=f"{name}:{command}")


def _mutate(text: str, path, value) -> str:
    if path is None:   # a tagged value, added at the top level
        return text + value
    data = yaml.safe_load(text)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One cache folder for the module: the commands run on one mutated copy share its parsed
    files (the caches are keyed by repository, and by content, so nothing stale is reused)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    made: dict = {}

    def get(name):
        if name not in made:
            rel, path, value = MUTATIONS[name]
            root = copy_example(tmp_path_factory.mktemp(name) / "network")
            target = root / rel
            target.write_text(_mutate(target.read_text(encoding="utf-8"), path, value), encoding="utf-8")
            made[name] = root
        return made[name]

    return get


@pytest.mark.parametrize("name,command", list(_cases()))
def test_wrong_shape_is_refused_never_a_crash(name, command, repos, cli, tmp_path, shared_cache, monkeypatch):
    from libsync.i18n import set_language

    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(shared_cache))
    set_language("en")
    root = repos(name)
    rel = MUTATIONS[name][0]
    argv = [a.replace("{out}", str(tmp_path)).replace("{repo}", str(root)) for a in COMMANDS[command]]
    result = cli("--repo", root, *argv)
    out = result.output
    assert "Internal libsync error" not in out and "Traceback" not in out, out
    if command == "validate":
        assert result.exit_code == 1 and f"{rel}:" in out, out
    elif rel == REC and command in CATALOGUE:
        pass   # the catalogue leaves an invalid record out (merge and export name it); never a crash
    else:
        assert result.exit_code in (1, 2), out
        assert f"{rel}:" in out and "libsync validate" in out, out
