"""Benchmark of `libsync site build` and of the search in the browser (issue 7).

Generates a network repository of 30,000 record files (three libraries, about a fifth of the
titles held by two libraries with the same ISBN) in a temporary folder, then prints:

* build time: union catalogue (cold: YAML parsed; warm: parsed-record cache), site files,
  whole `build` — target ≤ 15 s for 30,000 records;
* search-index size, gzipped, per 10,000 titles — target ≤ 1.5 MB — and what the first
  page load fetches;
* in headless Chromium with 4× CPU throttling (CDP Emulation.setCPUThrottlingRate), the
  time from the first key typed to the first results shown, on a freshly opened page (the
  index shards are not loaded yet) — target ≤ 300 ms.

Run:  python benchmarks/bench_site.py [--records 30000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from libsync.repository import Repository  # noqa: E402
from libsync.site import build, build_site  # noqa: E402
from libsync.site.serve import make_server, url_of  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Lịch sử và Địa lí", "Khoa học tự nhiên", "Tin học", "Công nghệ",
            "Giáo dục công dân", "Âm nhạc", "Mĩ thuật", "Hoạt động trải nghiệm", "Giáo dục thể chất"]
SERIES = ["Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều"]
WORDS = ("đất rừng phương nam dế mèn phiêu lưu ký cánh đồng bất tận tuổi thơ dữ dội quê nội hoa vàng cỏ xanh "
         "mắt biếc kính vạn hoa những ngày thơ ấu truyện cổ tích việt nam lịch sử hà nội huế sài gòn biển đảo "
         "hoàng sa trường sa khoa học vũ trụ trái đất động vật thực vật rừng núi sông ngòi làng quê thành phố "
         "bài tập nâng cao tuyển chọn đề thi học sinh giỏi ôn luyện từ điển tiếng anh văn học thiếu nhi danh nhân "
         "anh hùng chiến sĩ thầy giáo cô giáo bạn bè gia đình mẹ cha ông bà em bé mùa xuân mùa hạ mùa thu mùa đông "
         "con đường ánh sáng bóng tối giấc mơ ước mơ hành trình khám phá bí mật kho báu hòn đảo ngọn núi dòng sông "
         "vật lí hóa học sinh học địa lí toán học tư duy sáng tạo kỹ năng sống an toàn giao thông môi trường").split()
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
GIVEN = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Hồng", "Quang", "Thanh", "Ngọc", "Huy", "Khoái", "Giỏi", "Lan",
         "Hà", "Tâm", "Nhung", "Hùng", "Dũng", "Tuấn", "Phương", "Trang", "Linh", "Sơn", "Hải", "Nam", "Bình"]
LIBS = ["XS", "HD", "ND"]
QUERIES = ["toan 6", "dat rung", "lich su dia li 8", "de men", "khoa hoc", "nguyen van"]
STATUSES = ["available"] * 6 + ["on-loan"] * 2 + ["at-partner"]


def isbn13(n: int) -> str:
    body = f"978604{n:06d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def make_record(rng: random.Random, n: int, lib: str, rid: str) -> dict:
    kind = rng.random()
    items = [{"barcode": f"{lib}{n:06d}-{k}", "status": rng.choice(STATUSES)} for k in range(rng.randint(1, 4))]
    for item in items:
        if item["status"] == "at-partner":
            item["holder"] = rng.choice([x for x in LIBS if x != lib])
    rec: dict = {"id": rid, "library": lib}
    if kind < 0.35:
        subject, grade = rng.choice(SUBJECTS), rng.randint(6, 9)
        rec.update(type="textbook" if kind < 0.25 else "reference",
                   title=f"{subject} {grade}" if kind < 0.25 else f"Bài tập {subject} {grade} {' '.join(rng.sample(WORDS, 2))}",
                   volume=str(rng.randint(1, 2)),
                   curriculum={"program": "GDPT2018", "grade": grade, "subject": subject, "series": rng.choice(SERIES)})
    else:
        rec.update(type=rng.choice(["story", "reference", "story", "picture", "periodical"]),
                   title=" ".join(rng.sample(WORDS, rng.randint(2, 6))).capitalize(),
                   subjects=[rng.choice(["Văn học thiếu nhi", "Lịch sử Việt Nam", "Khoa học phổ thông", "Kỹ năng sống"])])
    rec.update(authors=[f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"],
               publisher=rng.choice(["Nhà xuất bản Giáo dục Việt Nam", "Kim Đồng", "Nhà xuất bản Trẻ", "Đại học Sư phạm"]),
               year=rng.randint(1995, 2024), isbn=isbn13(n), share=rng.choice(["public"] * 4 + ["network", "internal"]),
               call_number=f"{rng.randint(100, 899)} {rec['title'][:1].upper()}{rng.randint(100, 999)}", items=items)
    return rec


def generate(root: Path, count: int) -> None:
    rng = random.Random(20240905)
    (root / "records").mkdir(parents=True)
    shutil.copy(ROOT / "network.yaml", root / "network.yaml")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    made = 0
    n = 0
    while made < count:
        n += 1
        holders = rng.sample(LIBS, 2) if rng.random() < 0.2 else [rng.choice(LIBS)]
        base = make_record(rng, n, holders[0], f"r{n:06d}")
        for lib in holders[: count - made]:
            rec = dict(base, library=lib, id=f"r{n:06d}-{lib.lower()}")
            rec["items"] = [dict(i, barcode=f"{lib}{n:06d}-{k}") for k, i in enumerate(base["items"])]
            for item in rec["items"]:
                if item.get("holder") == lib:
                    item["holder"] = rng.choice([x for x in LIBS if x != lib])
            folder = root / "records" / lib
            folder.mkdir(exist_ok=True)
            (folder / f"{rec['id']}.yaml").write_text(yaml.dump(rec, Dumper=dumper, allow_unicode=True, sort_keys=False),
                                                     encoding="utf-8")
            made += 1


def measure_browser(site_url: str, queries: list[str], delay_ms: int) -> list[dict]:
    """Per query, on a fresh throttled page: time to the first results after the first key, and
    to the full query's results after the last key (typing ``delay_ms`` per key)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for q in queries:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(site_url + "index.html")
            page.wait_for_load_state("load")
            page.evaluate("""() => { window.__first = null; window.__last = null;
                document.getElementById('q').addEventListener('keydown', () => {
                    const now = performance.now(); if (window.__first === null) window.__first = now; window.__last = now;
                }, {capture: true}); }""")
            page.focus("#q")
            page.keyboard.type(q, delay=delay_ms)
            page.wait_for_function("q => window.LS_LAST && window.LS_LAST.q === q", arg=q, timeout=30000)
            r = page.evaluate("() => ({first: window.LS_FIRST_SHOWN, done: window.LS_PAINT.t, n: window.LS_LAST.n,"
                              " k0: window.__first, k1: window.__last})")
            out.append({"q": q, "first": r["first"] - r["k0"], "after_last_key": r["done"] - r["k1"], "n": r["n"]})
            context.close()
        for q in queries:  # the whole query at once (pasted), cold page
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(site_url + "index.html")
            page.wait_for_load_state("load")
            ms = page.evaluate("""async q => { const t0 = performance.now(); document.getElementById('q').value = q;
                await window.LS_SEARCH.search(); return [window.LS_PAINT.t - t0, performance.now() - t0]; }""", q)
            out.append({"q": q, "pasted": ms[0], "pasted_page": ms[1]})
            context.close()
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--keep", help="keep the generated repository and site in this folder (and reuse it next time)")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-site-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        repo_root = base / "net"
        if args.keep and (repo_root / "records").is_dir():
            print(f"reusing the generated repository in {repo_root}")
        else:
            t = time.perf_counter()
            generate(repo_root, args.records)
            print(f"generated {args.records} record files in {time.perf_counter() - t:.1f} s ({repo_root})")
        repo = Repository(repo_root)
        from libsync.catalog import build_union

        t = time.perf_counter()
        union = build_union(repo, "public")
        t_union_cold = time.perf_counter() - t
        t = time.perf_counter()
        union = build_union(Repository(repo_root), "public")
        t_union_warm = time.perf_counter() - t
        titles = len(union["clusters"])
        exchanges = repo.exchanges()
        t, c = time.perf_counter(), time.process_time()
        build_site(union, repo.network, exchanges, base / "site-only", audience="public")
        t_files, c_files = time.perf_counter() - t, time.process_time() - c
        site = base / "site"
        t = time.perf_counter()
        summary = build(Repository(repo_root), site, audience="public")
        t_total = time.perf_counter() - t
        shutil.rmtree(repo_root / ".libsync-cache", ignore_errors=True)
        t = time.perf_counter()
        build(Repository(repo_root), site, audience="public")
        t_total_cold = time.perf_counter() - t

        print(f"load average while measuring (other work on this 2-core machine inflates wall times): "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"records: {args.records}; public titles (clusters): {titles}")
        print(f"union catalogue (build_union, public): cold {t_union_cold:.2f} s, warm {t_union_warm:.2f} s")
        print(f"site files from the union (build_site): {t_files:.2f} s wall, {c_files:.2f} s CPU of this process")
        print(f"whole `libsync site build` (library call): warm cache {t_total:.2f} s, cold (no parsed-record cache) "
              f"{t_total_cold:.2f} s  [target <= 15 s]")
        gz_per_10k = summary["index_gzip_bytes"] / titles * 10_000
        print(f"search index: {summary['index_bytes'] / 1e6:.2f} MB raw, {summary['index_gzip_bytes'] / 1e6:.2f} MB gzipped "
              f"in {summary['shards']} word shards + {sum(1 for _ in (site / 'data' / 'd').iterdir())} display chunks + facets; "
              f"{gz_per_10k / 1e6:.2f} MB gzipped per 10,000 titles  [target <= 1.5 MB]")
        first_load = [site / "index.html", site / "data" / "meta.js", *(site / "assets").glob("*.js"), site / "assets" / "site.css"]
        raw = sum(p.stat().st_size for p in first_load)
        gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in first_load)
        print(f"first page load (index.html + meta.js + assets): {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped; "
              f"the index loads by shard as words are typed")
        shard_sizes = sorted(p.stat().st_size for p in (site / "data" / "w").glob("*.js"))
        print(f"word shards: median {statistics.median(shard_sizes) / 1024:.1f} KB, largest {shard_sizes[-1] / 1024:.1f} KB")
        buckets = sum(1 for _ in (site / "data" / "t").iterdir())
        print(f"title pages: one title.html + {buckets} data buckets for {titles} titles")

        server = make_server(site, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            results = measure_browser(url_of(server), QUERIES, 120)
        finally:
            server.shutdown()
            server.server_close()
        print("headless Chromium, CPU throttled 4x, fresh page per query (no index shard loaded yet), typing 120 ms/key:")
        for r in results:
            if "first" in r:
                print(f"  {r['q']!r}: first results {r['first']:.0f} ms after the first key; the full query's first "
                      f"results {r['after_last_key']:.0f} ms after the last key ({r['n']} results)")
        print("  same queries pasted at once into a fresh page (search call to first results shown / whole first page):")
        print("   " + ", ".join(f"{r['q']!r} {r['pasted']:.0f}/{r['pasted_page']:.0f} ms" for r in results if "pasted" in r))
        worst = max(r["after_last_key"] for r in results if "after_last_key" in r)
        print(f"worst time from the last key to results: {worst:.0f} ms  [target <= 300 ms]")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
