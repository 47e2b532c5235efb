"""`libsync harvest` against providers that fail: busy (503 with Retry-After), broken XML on page 3,
one that hangs, one that is not OAI-PMH at all, HTTP errors, a refused token or argument, nobody
listening. Every failure is a clear message and exit 2; nothing is written and the stored
datestamp does not move (compared byte for byte)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import yaml

from harvest_support import App, Catalogue, Fault, Served, committed, entries, tree_hash


@pytest.fixture
def repo(example_repo: Path) -> Path:
    return committed(example_repo)


def run(cli, repo: Path, url: str, *args: str):
    return cli("--repo", repo, "--lang", "en", "harvest", url, "--library", "XS", *args)


def is_list(params: dict[str, str]) -> bool:
    return params.get("verb") == "ListRecords"


class BusyFirst(Fault):
    """503 with Retry-After: 1 for the first ListRecords request, then pyoai answers."""

    def __init__(self, times: int = 1, retry_after: str = "1") -> None:
        self.times, self.retry_after, self.refused = times, retry_after, 0

    def before(self, params, count):
        if is_list(params) and self.refused < self.times:
            self.refused += 1
            return "503 Service Unavailable", [("Retry-After", self.retry_after), ("Content-Type", "text/plain")], b"busy"
        return None


class BrokenPage(Fault):
    """Page ``page`` of ListRecords comes back cut in the middle of a record."""

    def __init__(self, page: int = 3) -> None:
        self.page, self.seen = page, 0

    def after(self, params, count, body):
        if is_list(params):
            self.seen += 1
            if self.seen == self.page:
                return body[: len(body) // 2]
        return body


class Hang(Fault):
    """ListRecords never answers (until the test releases it)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def before(self, params, count):
        if is_list(params):
            self.release.wait(10)
        return None


class Html(Fault):
    def before(self, params, count):
        return "200 OK", [("Content-Type", "text/html; charset=utf-8")], "<html><body><h1>Đăng nhập</h1></body></html>".encode()


class Status(Fault):
    def __init__(self, status: str) -> None:
        self.status = status

    def before(self, params, count):
        return (self.status, [("Content-Type", "text/plain")], b"error") if is_list(params) else None


class Rewrite(Fault):
    """Change a request's argument before pyoai reads it (a token that went stale, a date it refuses)."""

    def __init__(self, key: str, value: str) -> None:
        self.key, self.value = key, value

    def before(self, params, count):
        if is_list(params) and self.key in params:
            params[self.key] = self.value
        return None


def first_harvest(cli, repo: Path, url: str) -> dict:
    result = run(cli, repo, url, "--commit")
    assert result.exit_code == 0, result.output
    return yaml.safe_load(next((repo / "harvest").glob("*.yaml")).read_text(encoding="utf-8"))


def test_busy_then_answers(repo, cli):
    fault = BusyFirst()
    app = App(Catalogue(entries(7)), page_size=3, fault=fault)
    with Served(app) as served:
        started = time.monotonic()
        result = run(cli, repo, served.url, "--format", "json")
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started >= 1      # it waited as Retry-After asked
        data = json.loads(result.output)["harvests"][0]
        assert data["waited_seconds"] == [1.0] and data["counts"]["created"] + data["counts"]["updated"] == 7
        assert fault.refused == 1


def test_busy_for_too_long_or_for_ever(repo, cli):
    before = tree_hash(repo)
    with Served(App(Catalogue(entries(3)), fault=BusyFirst(retry_after="7200"))) as served:
        started = time.monotonic()
        result = run(cli, repo, served.url, "--max-wait", "60")
        assert result.exit_code == 2 and "7200" in result.output and "--max-wait" in result.output
        assert time.monotonic() - started < 10     # refused at once, not slept through
    with Served(App(Catalogue(entries(3)), fault=BusyFirst(times=99, retry_after="0"))) as served:
        result = run(cli, repo, served.url, "--retries", "2")
        assert result.exit_code == 2 and "503" in result.output and "3 tries" in result.output
    with Served(App(Catalogue(entries(3)), fault=BusyFirst(retry_after="Wed, 21 Oct 2099 07:28:00 GMT"))) as served:
        result = run(cli, repo, served.url)    # an HTTP date in Retry-After: far away, so not waited for
        assert result.exit_code == 2 and "--max-wait" in result.output
    assert tree_hash(repo) == before


def test_broken_xml_on_page_three_writes_nothing(repo, cli):
    items = entries(12)
    fault = BrokenPage(page=3)
    fault.seen = -100          # the first harvest goes through
    catalogue = Catalogue(items)
    with Served(App(catalogue, page_size=3, fault=fault)) as served:
        state = first_harvest(cli, repo, served.url)
        for item in items:     # everything changed at the provider since
            item.datestamp = item.datestamp.replace(year=2099)
        fault.seen = 0
        before = tree_hash(repo)
        result = run(cli, repo, served.url, "--commit")
        assert result.exit_code == 2, result.output
        assert "malformed XML on page" in result.output and "line" in result.output
        assert "nothing was written" in result.output
        assert tree_hash(repo) == before
        again = yaml.safe_load(next((repo / "harvest").glob("*.yaml")).read_text(encoding="utf-8"))
        assert again["datestamp"] == state["datestamp"]
        # the same with --full: still nothing
        fault.seen = 0
        assert run(cli, repo, served.url, "--full").exit_code == 2
        assert tree_hash(repo) == before


def test_a_provider_that_hangs_times_out(repo, cli):
    fault = Hang()
    before = tree_hash(repo)
    with Served(App(Catalogue(entries(3)), fault=fault)) as served:
        started = time.monotonic()
        result = run(cli, repo, served.url, "--timeout", "0.5")
        elapsed = time.monotonic() - started
        fault.release.set()
    assert result.exit_code == 2 and "did not answer within 0.5 seconds" in result.output
    assert elapsed < 8
    assert tree_hash(repo) == before


@pytest.mark.parametrize("fault, words", [
    (Html(), "does not answer in OAI-PMH"),
    (Status("500 Internal Server Error"), "HTTP 500"),
    (Status("404 Not Found"), "HTTP 404"),
    (Rewrite("resumptionToken", "không-phải-mã"), "badResumptionToken"),
    (Rewrite("from", "2024-13-45"), "badArgument"),
])
def test_provider_errors_are_clear_and_write_nothing(repo, cli, fault, words):
    before = tree_hash(repo)
    with Served(App(Catalogue(entries(8)), page_size=3, fault=fault)) as served:
        result = run(cli, repo, served.url, "--from", "2024-01-01")
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert tree_hash(repo) == before


def test_nobody_listening_and_a_missing_format(repo, cli):
    before = tree_hash(repo)
    result = run(cli, repo, "http://127.0.0.1:9/oai", "--timeout", "2")
    assert result.exit_code == 2 and "Cannot connect" in result.output
    with Served(App(Catalogue(entries(3)))) as served:
        result = run(cli, repo, served.url, "--prefix", "mods")
        assert result.exit_code == 2 and "marc21, oai_dc" in result.output
    assert tree_hash(repo) == before


def test_several_sources_one_failing(repo, cli):
    """With several declared sources, a failing one is reported and the others still harvest."""
    from libsync.repository import Repository

    with Served(App(Catalogue(entries(4)))) as good, Served(App(Catalogue(entries(4)), fault=Html())) as bad:
        network = yaml.safe_load((repo / "network.yaml").read_text(encoding="utf-8"))
        network["sources"] = [{"name": "hong", "url": bad.url, "library": "HD"},
                              {"name": "tot", "url": good.url, "library": "XS"}]
        Repository(repo).save("network.yaml", network)
        result = cli("--repo", repo, "--lang", "en", "harvest", "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["failed"] == 1 and "OAI-PMH" in data["harvests"][0]["error"]
    assert data["harvests"][1]["counts"]["created"] + data["harvests"][1]["counts"]["updated"] == 4
    assert [p.name for p in (repo / "harvest").glob("*.yaml")] == ["tot.yaml"]
