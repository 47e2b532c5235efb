"""`libsync harvest` against libsync's own provider (`oai serve`, its static repository): the round
trip of the example network, and the network of networks — a district aggregator repository whose
`sources:` are two member networks' OAI endpoints, filled by `libsync harvest`, on which merge,
search and site work unchanged."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from conftest import copy_example
from harvest_support import committed, tree_hash
from libsync.repository import Repository
from libsync.text.identifiers import isbn13


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class Serving:
    """`oai serve`'s provider (``libsync.oai.server``) for ``root`` on a free loopback port."""

    def __init__(self, root: Path, audience: str = "network", page_size: int = 25) -> None:
        from libsync.oai.server import Provider, make_server, url_of

        self.server = make_server(Provider(root, audience, page_size=page_size), "127.0.0.1", 0)
        self.url = url_of(self.server, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Serving:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        from waitress import wasyncore

        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:
            self.server.close()
        self.thread.join(timeout=5)


def empty_like(source: Path, dest: Path, network: dict | None = None) -> Path:
    """A repository with ``source``'s network.yaml (or ``network``) and no records."""
    dest.mkdir(parents=True)
    if network is None:
        shutil.copy2(source / "network.yaml", dest / "network.yaml")
    else:
        Repository(dest).save("network.yaml", network, kind="network")
    return committed(dest)


def copies(record: dict) -> list[tuple]:
    return [(i["barcode"], i.get("status"), i.get("holder"), i.get("location")) for i in record.get("items") or []]


def test_round_trip_of_the_example_network(tmp_path, cli):
    """oai serve → harvest into an empty repository: the same titles, authors, ISBNs, call numbers
    and copies as the originals, for every record the audience may see (none it may not)."""
    source = committed(copy_example(tmp_path / "src"))
    target = empty_like(source, tmp_path / "dst")
    with Serving(source) as served:
        for lib in ("XS", "HD", "ND"):
            result = cli("--repo", target, "--lang", "en", "harvest", served.url, "--library", lib, "--set", lib,
                         "--commit", "--format", "json")
            assert result.exit_code == 0, result.output
            run = json.loads(result.output)["harvests"][0]
            assert run["prefix"] == "marc21" and run["counts"]["rejected"] == 0 and run["counts"]["updated"] == 0
        # harvested twice: the second run creates nothing and changes no record (a record committed in
        # the second of the first harvest's responseDate comes again, from= being inclusive)
        before = tree_hash(target / "records")
        for lib in ("XS", "HD", "ND"):
            result = cli("--repo", target, "harvest", served.url, "--library", lib, "--set", lib, "--format", "json")
            assert result.exit_code == 0
            counts = json.loads(result.output)["harvests"][0]["counts"]
            assert counts["created"] == counts["updated"] == 0
        assert tree_hash(target / "records") == before
    compared = 0
    for path in sorted((source / "records").glob("*/*.yaml")):
        original = load(path)
        copy = target / path.relative_to(source)
        if original.get("share") == "internal":      # the audience is the network: never served
            assert not copy.exists()
            continue
        harvested = load(copy)                      # the libsync identifier keeps the record id
        compared += 1
        for name in ("title", "subtitle", "authors", "call_number", "volume", "year", "type"):
            assert harvested.get(name) == original.get(name), (path.name, name)
        assert isbn13(harvested.get("isbn") or "") == isbn13(original.get("isbn") or ""), path.name
        assert copies(harvested) == copies(original), path.name
        assert harvested["provenance"]["source"] == "oai"
    assert compared >= 190
    assert cli("--repo", target, "validate").exit_code == 0


def member_network(tmp_path: Path) -> Path:
    """A second member network: Mạo Khê (MK), ten stories of Xuân Sơn's catalogue renumbered as its own."""
    root = copy_example(tmp_path / "maokhe")
    network = load(root / "network.yaml")
    library = dict(network["libraries"][0], code="MK", name="Trường THCS Mạo Khê I", short_name="THCS Mạo Khê I",
                   commune="Phường Mạo Khê")
    network["network"].update(id="lien-thong-mao-khe", name="Liên thông thư viện phường Mạo Khê", lead="MK")
    network["libraries"] = [library]
    network["groups"] = []    # one school: no interlinking group of its own yet
    for key in ("rotation", "sharing"):
        network.pop(key, None)
    for folder in ("records", "exchanges", "inventories", "catalog"):
        shutil.rmtree(root / folder, ignore_errors=True)
    repo = Repository(root)
    repo.save("network.yaml", network, kind="network")
    stories = sorted((tmp_path / "maokhe-src").glob("xs-truyen-*.yaml"))[:10]
    for path in stories:
        record = load(path)
        record.update(id=path.stem.replace("xs-", "mk-"), library="MK", share="network")
        record["items"] = [{"barcode": f"MK-{n:05d}", "status": "available"} for n in range(1, 3)]
        for n, item in enumerate(record["items"]):
            item["barcode"] = f"MK-{stories.index(path):03d}{n}"
        repo.save(f"records/MK/{record['id']}.yaml", record)
    return committed(root)


def test_district_aggregator_harvests_member_networks(tmp_path, cli):
    """Phòng GD&ĐT Đông Triều: one repository whose sources are two member networks' endpoints."""
    dong_trieu = committed(copy_example(tmp_path / "dongtrieu"))
    shutil.copytree(dong_trieu / "records" / "XS", tmp_path / "maokhe-src")
    mao_khe = member_network(tmp_path)
    network = load(dong_trieu / "network.yaml")
    libraries = network["libraries"] + [dict(network["libraries"][0], code="MK", name="Trường THCS Mạo Khê I",
                                             short_name="THCS Mạo Khê I")]
    district = {
        "network": {"id": "phong-gd-dong-trieu", "name": "Mục lục liên hợp thư viện trường học thành phố Đông Triều",
                    "lead": "XS", "province": "Quảng Ninh"},
        "libraries": libraries,
        "groups": [{"id": "dong-trieu", "name": "Thư viện trường học Đông Triều", "mode": "geography", "lead": "XS",
                    "members": ["XS", "HD", "ND", "MK"], "rotation": False}],
        "calendar": network["calendar"],
    }
    with Serving(dong_trieu) as a, Serving(mao_khe) as b:
        district["sources"] = [
            {"name": f"dong-trieu-{code.lower()}", "url": a.url, "library": code, "set": code, "prefix": "marc21",
             "schedule": "02:00 hằng đêm"} for code in ("XS", "HD", "ND")
        ] + [{"name": "mao-khe", "url": b.url, "library": "MK", "set": "MK"}]
        aggregator = empty_like(dong_trieu, tmp_path / "district", district)
        assert cli("--repo", aggregator, "validate").exit_code == 0
        result = cli("--repo", aggregator, "--lang", "en", "harvest", "--commit", "--format", "json", "--max-wait", "5")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert [h["source"]["name"] for h in data["harvests"]] == ["dong-trieu-xs", "dong-trieu-hd", "dong-trieu-nd",
                                                                   "mao-khe"]
        assert data["failed"] == 0 and data["counts"]["rejected"] == 0
        assert data["counts"]["created"] >= 190 + 10
        # the next night: nothing new anywhere
        result = cli("--repo", aggregator, "harvest", "--format", "json")
        assert result.exit_code == 0 and json.loads(result.output)["counts"].get("created", 0) == 0
    assert len(list((aggregator / "harvest").glob("*.yaml"))) == 4
    assert cli("--repo", aggregator, "validate").exit_code == 0

    # merge, search and site work on it unchanged: "Dế Mèn" of four schools is one title
    result = cli("--repo", aggregator, "merge", "--format", "json", "--audience", "network")
    assert result.exit_code == 0, result.output
    union = json.loads(result.output)
    text = json.dumps(union, ensure_ascii=False)
    assert "mk-truyen-de-men" in text and "xs-truyen-de-men" in text
    result = cli("--repo", aggregator, "--lang", "en", "search", "Dế Mèn", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.dumps(json.loads(result.output), ensure_ascii=False)
    assert "MK" in found and "XS" in found
    result = cli("--repo", aggregator, "site", "build", "--out", tmp_path / "site", "--audience", "network")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()


def test_static_repository_file_and_url(tmp_path, cli):
    """`oai static` writes the catalogue as an OAI Static Repository; harvest reads it as a file, and
    at a URL that serves it (a static host answers every query with the file)."""
    source = committed(copy_example(tmp_path / "src"))
    static = tmp_path / "oai.xml"
    result = cli("--repo", source, "oai", "static", "--output", static, "--audience", "public")
    assert result.exit_code == 0, result.output
    target = empty_like(source, tmp_path / "dst")
    result = cli("--repo", target, "--lang", "en", "harvest", static, "--library", "XS", "--format", "json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.output)["harvests"][0]
    public = [p for p in (source / "records").glob("*/*.yaml") if load(p).get("share") == "public"]
    assert run["provider"]["static"] and run["prefix"] == "marc21" and run["counts"]["rejected"] == 0
    assert run["counts"]["created"] + run["counts"]["merged"] == len(public) > 20
    state = load(next((target / "harvest").glob("*.yaml")))
    assert len(state["datestamp"]) == 10                     # a static repository's days
    result = cli("--repo", target, "harvest", static, "--library", "XS", "--set", "XS")
    assert result.exit_code == 2                               # no sets in a static repository

    from waitress import create_server

    body = static.read_bytes()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
        return [body]

    server = create_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.effective_port}/oai.xml"
        other = empty_like(source, tmp_path / "dst2")
        result = cli("--repo", other, "--lang", "en", "harvest", url, "--library", "XS", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["harvests"][0]["counts"] == run["counts"]
    finally:
        from waitress import wasyncore

        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=5)


@pytest.mark.parametrize("audience", ["public"])
def test_internal_records_never_arrive(tmp_path, cli, audience):
    source = committed(copy_example(tmp_path / "src"))
    target = empty_like(source, tmp_path / "dst")
    with Serving(source, audience) as served:
        result = cli("--repo", target, "harvest", served.url, "--library", "ND", "--set", "ND", "--format", "json")
    assert result.exit_code == 0, result.output
    shared = {p.stem for p in (source / "records/ND").glob("*.yaml") if load(p).get("share") == "public"}
    assert {p.stem for p in (target / "records/ND").glob("*.yaml")} == shared
