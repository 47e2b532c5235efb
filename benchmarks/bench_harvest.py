"""Benchmark of `libsync harvest`: 10,000 MARCXML records from a local OAI-PMH provider, against
`libsync import marc` of the same records written as a file.

Generates in a temporary folder: two identical copies of the example network (each a Git
repository, each with its own empty parsed-record cache), N records of Nguyễn Du (ND) with two
copies each, rendered once as MARCXML (``libsync.oai.metadata.marc21``: what ``export marcxml``
writes). Then, each as a whole process (``python -m libsync …``, timed from start to exit, peak
memory from ``/usr/bin/time``):

* ``import marc records.xml --library ND`` — the file is a MARCXML collection of those records;
* ``harvest URL --library ND`` — the provider is pyoai's OAI-PMH server over the same records,
  pages of 100, served by waitress in its own process on 127.0.0.1 (its work shares the two
  cores with the harvester, so it is in the harvest's wall time);
* a second ``harvest`` (incremental: the provider has nothing new) and ``harvest --full``
  (every record again, all unchanged).

The target (issue #10): the harvest's rate ≥ 50 % of the import's.

    python benchmarks/bench_harvest.py [N]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))
from synth import copy_example, reference_record  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10_000
PAGE = 100


def make_record(i: int) -> dict:
    return reference_record(i, [{"barcode": f"BH-{i:05d}-{k}", "status": "available", "location": "Kho tham khảo",
                                 "price": 45000} for k in (1, 2)])


def provider_main(data_dir: str, port_file: str) -> None:
    """The provider process: pyoai's server over the rendered records, on a free port."""
    import datetime as dt

    from waitress import create_server

    from harvest_support import App, Catalogue, Entry

    start = dt.datetime(2024, 1, 1)
    records = json.loads(Path(data_dir, "records.json").read_text(encoding="utf-8"))
    items = [Entry(f"oai:bench.thcs-nd.edu.vn:{i}", start + dt.timedelta(seconds=i), ["ND"], xml.encode())
             for i, xml in enumerate(records)]
    server = create_server(App(Catalogue(items), page_size=PAGE), host="127.0.0.1", port=0, threads=2)
    Path(port_file).write_text(str(server.effective_port))
    server.run()


def measure(label: str, args: list[str], cache: Path) -> dict:
    """One whole process: wall seconds, peak memory (KiB), its JSON output."""
    env = {**os.environ, "LIBSYNC_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore"}
    command = ["/usr/bin/time", "-f", "%M %e %U %S", sys.executable, "-m", "libsync", *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    peak, _, user, system = done.stderr.strip().splitlines()[-1].split()
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(f"{label}: exit {done.returncode}")
    return {"wall": wall, "peak_mib": int(peak) / 1024, "cpu": float(user) + float(system),
            "out": json.loads(done.stdout)}


def line(label: str, n: int, result: dict, extra: str = "") -> None:
    rate = n / result["wall"] if result["wall"] else 0.0
    print(f"{label:<44} {n:>6} rec  {result['wall']:6.2f} s  {rate:7.0f} rec/s  cpu {result['cpu']:5.1f} s  "
          f"peak {result['peak_mib']:6.0f} MiB  {extra}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--provider":
        provider_main(sys.argv[2], sys.argv[3])
        return
    from libsync.oai.metadata import marc21

    with tempfile.TemporaryDirectory(prefix="bench-harvest-") as tmp_name:
        tmp = Path(tmp_name)
        records = [marc21(make_record(i)).decode() for i in range(N)]
        (tmp / "records.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        marcxml = tmp / "records.xml"
        marcxml.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">'
                           + "".join(records) + "</collection>\n", encoding="utf-8")
        imported, harvested = copy_example(tmp / "import", commit=True), copy_example(tmp / "harvest", commit=True)
        port_file = tmp / "port"
        provider = subprocess.Popen([sys.executable, "-W", "ignore", __file__, "--provider", str(tmp), str(port_file)],
                                    cwd=ROOT)
        try:
            for _ in range(200):
                if port_file.is_file() and port_file.read_text():
                    break
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port_file.read_text()}/oai"
            print(f"libsync harvest benchmark: {N} MARCXML records ({marcxml.stat().st_size / 1e6:.1f} MB as a file), "
                  f"pages of {PAGE}, {os.cpu_count()} cores")
            imp = measure("import", ["--repo", str(imported), "import", "marc", str(marcxml), "--library", "ND",
                                     "--format", "json"], tmp / "cache-import")
            line("import marc records.xml (whole process)", N, imp,
                 f"created {imp['out']['counts']['created']}")
            har = measure("harvest", ["--repo", str(harvested), "harvest", url, "--library", "ND", "--format", "json"],
                          tmp / "cache-harvest")
            run = har["out"]["harvests"][0]
            ratio = (N / har["wall"]) / (N / imp["wall"])
            line("harvest URL (whole process)", N, har,
                 f"created {run['counts']['created']}, {run['requests']} requests; {ratio:.0%} of import's rate")
            again = measure("again", ["--repo", str(harvested), "harvest", url, "--library", "ND", "--format", "json"],
                            tmp / "cache-harvest")
            line("harvest again (incremental: nothing new)", again["out"]["harvests"][0]["received"], again)
            full = measure("full", ["--repo", str(harvested), "harvest", url, "--library", "ND", "--full",
                                    "--format", "json"], tmp / "cache-harvest")
            line("harvest --full (all unchanged)", N, full,
                 f"unchanged {full['out']['harvests'][0]['counts']['unchanged']}")
            print(f"target: harvest ≥ 50 % of import's rate — {'met' if ratio >= 0.5 else 'NOT met'} ({ratio:.0%})")
        finally:
            provider.terminate()
            provider.wait(timeout=10)


if __name__ == "__main__":
    main()
