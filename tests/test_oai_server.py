"""`libsync oai serve` as a harvester meets it: a real server process on a free port, harvested with Sickle
(a third-party OAI-PMH client), over a real Git repository changed with real commits."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, IdDoesNotExist

REPO_ID = "lien-thong-dong-trieu-thcs"
PUBLIC = "records/HD/hd-tk-atlat.yaml"
LOWERED = "records/HD/hd-tk-ke-chuyen-bac-ho.yaml"
INTERNAL = "records/XS/xs-noi-bo-de-cuong-toan-9-on-thi-10.yaml"


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thư viện", "GIT_AUTHOR_EMAIL": "tv@example.org",
           "GIT_COMMITTER_NAME": "Thư viện", "GIT_COMMITTER_EMAIL": "tv@example.org"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def key(relpath: str) -> str:
    _, lib, name = relpath.split("/")
    return f"oai:{REPO_ID}:{lib}/{name[:-5]}"


def set_share(repo: Path, relpath: str, share: str) -> None:
    path = repo / relpath
    text, n = re.subn(r"^share: \w+$", f"share: {share}", path.read_text(encoding="utf-8"), flags=re.M)
    assert n == 1
    path.write_text(text, encoding="utf-8")


class Server:
    """A `libsync oai serve` process; its stderr is collected as it comes."""

    def __init__(self, repo: Path, *args: str, port: int = 0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "libsync", "--repo", str(repo), "oai", "serve", "--port", str(port),
             "--admin-email", "thuvien@xuanson.edu.vn", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.err: list[str] = []
        self.url = ""
        started = threading.Event()

        def read() -> None:
            for line in self.proc.stderr:
                self.err.append(line)
                found = re.search(r"(http://127\.0\.0\.1:\d+/oai)", line)
                if found and not self.url:
                    self.url = found.group(1)
                    started.set()
            started.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        started.wait(120)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        code = self.proc.wait(30)
        self.reader.join(10)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)


@pytest.fixture
def repo(example_repo: Path) -> Path:
    git(example_repo, "init", "-q")
    git(example_repo, "add", "-A")
    git(example_repo, "commit", "-qm", "mạng mẫu", date="2024-01-10T08:00:00Z")
    return example_repo


@pytest.fixture
def serve(repo: Path):
    servers: list[Server] = []

    def start(*args: str, port: int = 0) -> Server:
        server = Server(repo, *args, port=port)
        servers.append(server)
        assert server.url, server.stderr
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(10)


def internal_ids(repo: Path) -> list[str]:
    found = [p.stem for p in sorted(repo.glob("records/*/*.yaml"))
             if yaml.safe_load(p.read_text(encoding="utf-8")).get("share", "internal") == "internal"]
    assert len(found) == 6
    return found


def test_sickle_harvests_every_page_of_both_formats(repo, serve):
    server = serve("--audience", "network", "--page-size", "7")
    sickle = Sickle(server.url)
    identify = sickle.Identify()
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ" and identify.deletedRecord == "persistent"
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    assert len(records) == 200                          # 29 pages of 7, followed by Sickle's tokens
    ids = [r.header.identifier for r in records]
    assert len(set(ids)) == 200
    atlat = next(r for r in records if r.header.identifier == key(PUBLIC))
    assert atlat.metadata["title"] == ["Atlat Địa lý Việt Nam"]
    assert atlat.header.setSpecs == ["HD", "type:reference", "HD:reference"]
    marc = list(sickle.ListRecords(metadataPrefix="marc21"))
    assert sorted(r.header.identifier for r in marc) == sorted(ids)
    assert "Atlat Địa lý Việt Nam" in next(r.raw for r in marc if r.header.identifier == key(PUBLIC))
    everything = "".join(r.raw for r in records + marc) + "".join(
        h.raw for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="XS"))
    for record_id in internal_ids(repo):                 # not a record, not an identifier
        assert record_id not in everything
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier=key(INTERNAL), metadataPrefix="oai_dc")
    # POST is answered as GET
    posted = list(Sickle(server.url, http_method="POST").ListIdentifiers(metadataPrefix="marc21", set="XS:textbook"))
    assert posted and all("XS:textbook" in h.setSpecs for h in posted)
    assert server.stop() == 0
    assert "Đã dừng máy chủ OAI-PMH" in server.stderr


def test_deletions_and_datestamps_reach_the_harvester(repo, serve):
    server = serve("--page-size", "5")
    sickle = Sickle(server.url)
    before = {h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")}
    assert {key(PUBLIC), key(LOWERED)} <= before and len(before) == 39
    (repo / PUBLIC).unlink()
    set_share(repo, LOWERED, "network")          # public → network: the public audience loses it
    (repo / INTERNAL).unlink()                   # never public: never reported
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bớt biểu ghi", date="2024-03-05T10:00:00Z")
    changed = list(sickle.ListIdentifiers(metadataPrefix="marc21", ignore_deleted=False, **{"from": "2024-03-01"}))
    assert sorted(h.identifier for h in changed) == sorted([key(PUBLIC), key(LOWERED)])
    assert all(h.deleted and h.datestamp == "2024-03-05T10:00:00Z" for h in changed)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    deleted = [r for r in records if r.header.deleted]
    assert sorted(r.header.identifier for r in deleted) == sorted([key(PUBLIC), key(LOWERED)])
    assert all("metadata" not in r.raw for r in deleted)
    assert "Bác Hồ" not in "".join(r.raw for r in deleted)
    assert len(records) == 39
    assert key(INTERNAL) not in {r.header.identifier for r in records}
    old = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2024-01-31"))
    assert len(old) == 37


def test_a_token_goes_stale_after_a_commit(repo, serve):
    server = serve("--page-size", "5")
    headers = Sickle(server.url).ListIdentifiers(metadataPrefix="oai_dc")
    first = [next(headers) for _ in range(5)]          # the first page, read
    assert len({h.identifier for h in first}) == 5
    set_share(repo, "records/XS/xs-am-nhac-6-kntt.yaml", "public")
    git(repo, "commit", "-qam", "chia sẻ công khai")
    with pytest.raises(BadResumptionToken):
        next(headers)                                  # the second page's token was made before the commit
    assert len(list(Sickle(server.url).ListIdentifiers(metadataPrefix="oai_dc"))) == 40


def test_port_in_use_is_a_clear_message(repo, serve):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    try:
        proc = subprocess.run([sys.executable, "-m", "libsync", "--repo", str(repo), "oai", "serve", "--port", str(port)],
                              capture_output=True, text=True, encoding="utf-8", timeout=120)
    finally:
        holder.close()
    assert proc.returncode == 2
    assert f"Cổng {port} trên 127.0.0.1 đang được chương trình khác dùng" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ctrl_c_stops_cleanly_and_other_paths_are_404(repo, serve):
    server = serve("--audience", "public")
    base = server.url.rsplit("/oai", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base + "/", timeout=10)
    assert caught.value.code == 404
    with urllib.request.urlopen(server.url + "?verb=Identify", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert b"<deletedRecord>persistent</deletedRecord>" in response.read()
    time.sleep(0.2)
    assert server.stop(signal.SIGINT) == 0
    assert "Đã dừng máy chủ OAI-PMH" in server.stderr and "Traceback" not in server.stderr
