"""`libsync harvest` from pyoai's OAI-PMH server (a provider nobody on this project wrote), over
real HTTP on the loopback: pages of resumption tokens, sets, a deleted record, Dublin Core, the
state file, declared sources, and the refusals that must leave the repository as it was."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
import yaml

import pymarc

from harvest_support import App, Catalogue, Served, committed, entries, git, isbn13, marc_record, tree_hash
from libsync.repository import Repository

NAME = "127.0.0.1"   # the start of the state file name made from a loopback URL


@pytest.fixture
def repo(example_repo: Path) -> Path:
    return committed(example_repo)


def harvest(cli, repo: Path, *args: str):
    result = cli("--repo", repo, "--lang", "en", "harvest", *args, "--format", "json")
    data = json.loads(result.output) if result.output.strip().startswith("{") else None
    return result, data


def records_of(repo: Path, library: str = "XS") -> dict[str, dict]:
    out = {}
    for path in sorted((repo / "records" / library).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = data
    return out


def harvested(repo: Path, library: str = "XS") -> dict[str, dict]:
    """Records that came from the provider, by OAI identifier."""
    out = {}
    for data in records_of(repo, library).values():
        for sid in (data.get("provenance") or {}).get("system_ids") or []:
            if sid.startswith("(OAI)"):
                out[sid[5:]] = data
    return out


def state_files(repo: Path) -> list[Path]:
    return sorted((repo / "harvest").glob("*.yaml")) if (repo / "harvest").is_dir() else []


def test_pages_deleted_record_and_incremental_runs(repo, cli):
    items = entries()
    catalogue = Catalogue(items)
    app = App(catalogue, page_size=5)
    with Served(app) as served:
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--commit")
        assert result.exit_code == 0, result.output
        run = data["harvests"][0]
        # "Đất rừng phương Nam" (record 7) is one Xuân Sơn already has: matched by title, not created again
        assert run["counts"]["created"] == len(items) - 1 and run["counts"]["updated"] == 1
        assert run["counts"]["rejected"] == 0
        assert "xs-truyen-dat-rung" in json.dumps(run["records"])
        assert run["pages"] == 5 and run["requests"] == 5 + 2   # Identify, ListMetadataFormats, five pages of five
        tokens = [r for r in app.requests if "resumptionToken" in r]
        assert len(tokens) == 4                 # followed to the end: 23 records, pages of 5
        assert run["prefix"] == "marc21" and run["kind"] == "oai-marc"

        got = harvested(repo)
        assert len(got) == len(items)
        first = got["oai:koha.thcs-xs.edu.vn:4"]   # NFD in the provider's MARC: stored NFC
        assert first["title"] == "Lịch sử và Địa lí 8" and unicodedata.is_normalized("NFC", first["title"])
        assert first["authors"] == ["Vũ Minh Giang"]
        assert first["provenance"]["source"] == "oai" and first["provenance"]["control_number"] == "koha-4"
        assert first["items"][0]["barcode"] == "KOHA-00004" and first["items"][0]["status"] == "available"
        assert first["share"] in ("network", "internal", "public")

        state = yaml.safe_load(state_files(repo)[0].read_text(encoding="utf-8"))
        assert state["source"].startswith(NAME) and state["library"] == "XS" and state["prefix"] == "marc21"
        assert state["received"] == len(items) and state["deleted"] == 0
        assert len(state["datestamp"]) == 20 and state["datestamp"].endswith("Z")
        assert "harvest/" in git(repo, "show", "--stat", "HEAD")    # one commit: records and state
        assert cli("--repo", repo, "validate").exit_code == 0

        # the second run asks only for what changed since: nothing → exit 0, nothing written
        before = tree_hash(repo)
        result, data = harvest(cli, repo, served.url, "--library", "XS")
        assert result.exit_code == 0, result.output
        assert app.requests[-1]["from"] == state["datestamp"]
        assert data["harvests"][0]["received"] == 0 and data["harvests"][0]["counts"]["created"] == 0
        assert tree_hash(repo) == before

        # --full: everything again, nothing created, nothing changed
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--full", "--commit")
        assert result.exit_code == 0, result.output
        counts = data["harvests"][0]["counts"]
        assert counts["created"] == 0 and counts["updated"] == 0 and counts["unchanged"] == len(items)

        # the provider deletes one record and corrects another
        later = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) + dt.timedelta(seconds=5)
        items[9].marc, items[9].datestamp = None, later
        items[10].marc = pymarc.record_to_xml(marc_record(11, "Từ điển tiếng Việt (tái bản)", None, "Hoàng Phê",
                                                          "reference"), namespace=True)
        items[10].datestamp = later
        stamp = yaml.safe_load(state_files(repo)[0].read_text(encoding="utf-8"))["datestamp"]
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--commit")
        assert result.exit_code == 0, result.output
        run = data["harvests"][0]
        assert run["incremental"] and run["from"] == stamp
        assert run["received"] == 2 and run["deleted"] == 1
        assert run["counts"]["updated"] == 1 and run["counts"]["withdrawn"] == 1
        got = harvested(repo)
        gone = got["oai:koha.thcs-xs.edu.vn:10"]     # still here: never deleted
        copy = gone["items"][0]
        assert copy["status"] == "withdrawn" and copy["status_date"] == later.date().isoformat()
        assert NAME in copy["status_ref"] and later.strftime("%Y-%m-%dT%H:%M:%SZ") in copy["status_ref"]
        assert got["oai:koha.thcs-xs.edu.vn:11"]["title"] == "Từ điển tiếng Việt (tái bản)"
        assert run["withdrawn"][0]["withdrawn"] == ["KOHA-00010"]
        assert cli("--repo", repo, "validate").exit_code == 0

        # harvesting the deletion again withdraws nothing more
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--full")
        assert data["harvests"][0]["counts"]["withdrawn"] == 0
        assert data["harvests"][0]["withdrawn"][0]["already_withdrawn"] == ["KOHA-00010"]


def test_set_dublin_core_and_text_report(repo, cli):
    with Served(App(Catalogue(entries()), page_size=4)) as served:
        result, data = harvest(cli, repo, served.url, "--library", "HD", "--set", "type:story", "--prefix", "oai_dc")
        assert result.exit_code == 0, result.output
        run = data["harvests"][0]
        stories = [e for e in entries() if "type:story" in e.sets]
        # "Đất rừng phương Nam" of the same year is one Hưng Đạo has: updated, not created again
        assert run["counts"]["created"] == len(stories) - 1 and run["counts"]["updated"] == 1
        assert run["kind"] == "oai-dc" and run["set"] == "type:story"
        got = harvested(repo, "HD")
        de_men = got["oai:koha.thcs-xs.edu.vn:5"]
        assert de_men["title"] == "Dế Mèn phiêu lưu ký" and de_men["authors"] == ["Tô Hoài"]
        assert de_men["isbn"].replace("-", "") == isbn13(5) and de_men["year"] == 2020
        assert de_men["type"] == "story" and de_men["language"] == "vie" and "items" not in de_men
        tuoi_tho = got["oai:koha.thcs-xs.edu.vn:6"]
        assert tuoi_tho["title"] == "Tuổi thơ dữ dội" and tuoi_tho["subtitle"] == "Tập 1"

        result = cli("--repo", repo, "--lang", "vi", "harvest", served.url, "-l", "HD", "--set", "type:story", "--prefix", "oai_dc",
                     "--full", "--dry-run")
        assert result.exit_code == 0, result.output
        assert "Nguồn 127.0.0.1" in result.output and "không đổi " + str(len(stories)) in result.output
        assert "Chạy thử" in result.output


def test_declared_sources_in_turn_and_validate_rules(repo, cli):
    with Served(App(Catalogue(entries(8)), page_size=3)) as a, \
            Served(App(Catalogue(entries(5, prefix="oai:dspace.thcs-nd.edu.vn:")), page_size=3)) as b:
        network = yaml.safe_load((repo / "network.yaml").read_text(encoding="utf-8"))
        network["sources"] = [
            {"name": "koha-xs", "url": a.url, "library": "XS", "prefix": "marc21", "schedule": "Tối thứ Sáu hằng tuần"},
            {"name": "dspace-nd", "url": b.url, "library": "ND", "prefix": "oai_dc"},
        ]
        Repository(repo).save("network.yaml", network)
        git(repo, "commit", "-qam", "khai báo nguồn")
        assert cli("--repo", repo, "validate").exit_code == 0

        result, data = harvest(cli, repo, "--commit")
        assert result.exit_code == 0, result.output
        assert [h["source"]["name"] for h in data["harvests"]] == ["koha-xs", "dspace-nd"]
        assert data["counts"]["created"] + data["counts"]["updated"] == 8 + 5 and data["counts"]["rejected"] == 0
        assert sorted(p.name for p in state_files(repo)) == ["dspace-nd.yaml", "koha-xs.yaml"]
        assert yaml.safe_load((repo / "harvest/dspace-nd.yaml").read_text(encoding="utf-8"))["prefix"] == "oai_dc"
        assert cli("--repo", repo, "validate").exit_code == 0

        # one source by name, and only a library's sources
        result, data = harvest(cli, repo, "koha-xs")
        assert result.exit_code == 0 and data["harvests"][0]["received"] == 0
        result, data = harvest(cli, repo, "--library", "ND")
        assert [h["source"]["name"] for h in data["harvests"]] == ["dspace-nd"]
        result, _ = harvest(cli, repo, "koha-xs", "--library", "ND")
        assert result.exit_code == 2 and "XS" in result.output

    # validate: a source of a library that does not exist; a state file under another name
    network["sources"][0]["library"] = "ZZ"
    Repository(repo).save("network.yaml", network)
    result = cli("--repo", repo, "--lang", "en", "validate")
    assert result.exit_code == 1 and "ZZ" in result.output
    network["sources"][0]["library"] = "XS"
    Repository(repo).save("network.yaml", network)
    (repo / "harvest/koha-xs.yaml").rename(repo / "harvest/koha-khac.yaml")
    result = cli("--repo", repo, "--lang", "en", "validate")
    assert result.exit_code == 1 and "harvest/koha-xs.yaml" in result.output


def test_usage_errors_write_nothing(repo, cli):
    before = tree_hash(repo)
    result, _ = harvest(cli, repo)
    assert result.exit_code == 2 and "sources:" in result.output       # nothing declared
    result, _ = harvest(cli, repo, "khong-co-nguon")
    assert result.exit_code == 2 and "khong-co-nguon" in result.output
    result, _ = harvest(cli, repo, "http://127.0.0.1:9/oai")
    assert result.exit_code == 2 and "--library" in result.output
    result, _ = harvest(cli, repo, "http://127.0.0.1:9/oai", "--library", "QQ")
    assert result.exit_code == 2 and "QQ" in result.output
    result, _ = harvest(cli, repo, "http://127.0.0.1:9/oai", "--library", "XS", "--from", "2024-13-40")
    assert result.exit_code == 2 and "--from" in result.output
    result, _ = harvest(cli, repo, "http://127.0.0.1:9/oai", "--library", "XS", "--on-match", "merge")
    assert result.exit_code == 2
    assert tree_hash(repo) == before


def test_rejected_record_keeps_the_datestamp_and_the_rest_is_written(repo, cli):
    """A copy whose barcode belongs to another library is rejected (exit 1); the others are
    written, but the stored datestamp does not move, so the next run asks for it again."""
    items = entries(6)
    other = next(iter(records_of(repo, "HD").values()))["items"][0]["barcode"]
    items[2].marc = items[2].marc.replace(b"KOHA-00003", other.encode())
    with Served(App(Catalogue(items), page_size=4)) as served:
        result, data = harvest(cli, repo, served.url, "--library", "XS")
        assert result.exit_code == 1, result.output
        run = data["harvests"][0]
        assert run["counts"]["rejected"] == 1 and run["counts"]["created"] == 5
        assert run["state_moved"] is False and not state_files(repo)
        assert other in json.dumps(run["records"], ensure_ascii=False)
        # fixed at the source: the next run brings it
        items[2].marc = items[2].marc.replace(other.encode(), b"KOHA-00003")
        result, data = harvest(cli, repo, served.url, "--library", "XS")
        assert result.exit_code == 0, result.output
        assert data["harvests"][0]["counts"]["created"] == 1 and data["harvests"][0]["state_moved"]


def test_dry_run_and_the_on_match_choices(repo, cli):
    with Served(App(Catalogue(entries(6)), page_size=10)) as served:
        before = tree_hash(repo)
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--dry-run")
        assert result.exit_code == 0 and data["harvests"][0]["counts"]["created"] == 6 and data["dry_run"]
        assert tree_hash(repo) == before
        harvest(cli, repo, served.url, "--library", "XS")
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--full", "--on-match", "skip")
        assert data["harvests"][0]["counts"]["skipped"] == 6
        result, data = harvest(cli, repo, served.url, "--library", "XS", "--full", "--on-match", "new")
        # new records for the same titles: their copies' barcodes are taken, so each is refused
        assert data["harvests"][0]["counts"]["rejected"] == 6 and result.exit_code == 1
