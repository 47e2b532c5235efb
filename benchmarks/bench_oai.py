"""`libsync oai serve` at district scale: ListRecords of 30,000 MARCXML records over HTTP.

    python benchmarks/bench_oai.py                      # 30,000 records in 10 libraries
    python benchmarks/bench_oai.py --keep /tmp/oai30k   # keep (or reuse) the generated network

The network is generated as ``bench_scale.py`` does (``make_network``), every record shared with
the network (so all 30,000 are served to ``--audience network``), and committed to Git. A real
``libsync oai serve`` process is started on a free port; the figures are what a harvester sees:

* start-up until the provider answers (cold cache: every record file examined; warm: the store's
  cache and the kept Git history reused);
* the first page of a new ListRecords (MARCXML, 100 records) once the server is up, several times;
* a whole ListRecords harvest, page by page through the resumption tokens, in records per second;
* the server process's peak resident memory (VmHWM) at the end.

Targets (issue #10): pages of 100 at ≥ 500 records/s of MARCXML, first page ≤ 300 ms once warm.
The figures are printed, not asserted: a busy machine makes them slower, not wrong.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_scale import git, make_network  # noqa: E402

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")


def generate(root: Path, records: int, libraries: int) -> None:
    start = time.perf_counter()
    make_network(root, libraries, records)
    for path in (root / "records").rglob("*.yaml"):        # every record shared: all of them are served
        text = path.read_text(encoding="utf-8")
        if "share: internal" in text:
            path.write_text(text.replace("share: internal", "share: network"), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "mạng mô phỏng")
    print(f"generated {records:,} records in {libraries} libraries in {time.perf_counter() - start:.0f} s")


class Server:
    def __init__(self, root: Path, cache: Path, page_size: int) -> None:
        env = dict(os.environ, LIBSYNC_CACHE_DIR=str(cache), LIBSYNC_LANG="en")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "libsync", "--repo", str(root), "oai", "serve", "--audience", "network",
             "--port", "0", "--page-size", str(page_size), "--admin-email", "bench@example.org"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.url = ""
        self.log: list[str] = []
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)
            found = re.search(r"(http://127\.0\.0\.1:\d+/oai)", line)
            if found:
                self.url = found.group(1)
                break
        if not self.url:
            sys.exit("the server did not start:\n" + "".join(self.log))
        self.ready = time.perf_counter() - self.started

    def get(self, **args: str) -> bytes:
        with urllib.request.urlopen(self.url + "?" + urllib.parse.urlencode(args), timeout=300) as response:
            body: bytes = response.read()
            return body

    def peak_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)


def harvest(server: Server, prefix: str) -> tuple[int, int, float, list[float]]:
    """(records, pages, seconds, per-page seconds) of a whole ListRecords harvest."""
    records = pages = 0
    times: list[float] = []
    start = time.perf_counter()
    args = {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        t0 = time.perf_counter()
        body = server.get(**args)
        times.append(time.perf_counter() - t0)
        pages += 1
        records += body.count(b"<header")
        found = TOKEN.search(body)
        if not found or not found.group(1):
            return records, pages, time.perf_counter() - start, times
        args = {"verb": "ListRecords", "resumptionToken": found.group(1).decode()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--libraries", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="libsync-oai-"))
    root = args.keep or tmp / "net"
    try:
        if not (root / "network.yaml").is_file():
            generate(root, args.records, args.libraries)
        cache = tmp / "cache"
        load = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")

        cold = Server(root, cache, args.page_size)
        print(f"  start-up until serving, cold cache          {cold.ready:8.2f} s")
        cold.stop()
        server = Server(root, cache, args.page_size)
        print(f"  start-up until serving, warm cache          {server.ready:8.2f} s")
        try:
            firsts = []
            for _ in range(5):
                t0 = time.perf_counter()
                body = server.get(verb="ListRecords", metadataPrefix="marc21")
                firsts.append(time.perf_counter() - t0)
            assert body.count(b"<header") == args.page_size, body[:2000]
            print(f"  first page of ListRecords marc21 (warm)     {statistics.median(firsts) * 1000:8.0f} ms median"
                  f" of 5, {max(firsts) * 1000:.0f} ms max ({len(body) / 1024:.0f} KB)")
            for prefix in ("marc21", "oai_dc"):
                records, pages, seconds, times = harvest(server, prefix)
                print(f"  ListRecords {prefix:6s} whole harvest           {seconds:8.2f} s  {records:,} records, "
                      f"{pages} pages, {records / seconds:,.0f} records/s, page median "
                      f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
            t0 = time.perf_counter()
            body = server.get(verb="ListIdentifiers", metadataPrefix="marc21", set="L001:textbook")
            print(f"  ListIdentifiers of one set, first page      {(time.perf_counter() - t0) * 1000:8.0f} ms")
            print(f"  server peak resident memory                 {server.peak_mb():8.0f} MB")
        finally:
            server.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
