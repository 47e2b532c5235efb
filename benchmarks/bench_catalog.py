"""Union-catalogue benchmark: matcher accuracy on the labelled pairs and on the GDPT 2018
register set (tests/gdpt_corpus.py: three libraries' CSV/XLSX/MARC registers read through the
importers), merge time for 10,000 / 30,000 / 100,000 generated records (loading measured apart
from merging), search latency.

    python benchmarks/bench_catalog.py            # all sizes
    python benchmarks/bench_catalog.py 10000      # chosen sizes
    python benchmarks/bench_catalog.py --baseline REF 10000 30000
        # also: the register set's figures and the merge time of the code at Git revision REF
        # (a temporary `git worktree`), measured in the same run on the same records, the two
        # versions taking turns in fresh processes (the machine is shared: noise hits both alike);
        # the per-size details below are then left out

Data is generated in a temporary folder (deleted afterwards); nothing in the project changes.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(1, str(PROJECT / "tests"))   # gdpt_corpus: the register-like labelled set
ROUNDS = 5   # merge runs of each version, taking turns

from stdnum import ean, isbn as stdisbn  # noqa: E402

from libsync import yamlio  # noqa: E402
from synth import baseline_tree  # noqa: E402

SYLLABLES = ("Toán Văn Sử Địa Lý Hóa Sinh Tin Nhạc Họa Mĩ Kí Lí Đất Rừng Sông Núi Biển Trời Hoa Lá Cây Chim Mèo "
             "Dế Mèn Tuổi Thơ Mắt Biếc Gió Mưa Nắng Trăng Sao Làng Quê Phố Thị Em Anh Chị Mẹ Cha Bà Ông Bạn "
             "Thầy Cô Trường Lớp Học Sách Vở Bút Mực Đèn Lửa Nước Đường Cầu Nhà Cửa Ngõ Chợ Vườn Ruộng Đồng "
             "Phiêu Lưu Kỳ Thú Bí Mật Huyền Thoại Truyện Cổ Tích Thần Thoại Ngụ Ngôn Khoa Học Vũ Trụ Trái").split()
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đoàn Đinh Phan Võ Trịnh".split()
GIVEN = "An Bình Chi Dũng Giang Hà Hải Hùng Khoa Lan Linh Minh Nam Ngọc Phương Quân Sơn Tâm Thảo Trung Vân Yến".split()
MIDDLE = "Văn Thị Đức Minh Ngọc Thu Hữu Quang Thanh Xuân".split()
PUBLISHERS = ("Nhà xuất bản Giáo dục Việt Nam", "NXB Kim Đồng", "NXB Trẻ", "NXB Văn học", "NXB Đại học Sư phạm",
              "NXB Hội Nhà văn", "NXB Phụ nữ", "NXB Thanh niên")
SERIES = ("Kết nối tri thức với cuộc sống", "Cánh Diều", "Chân trời sáng tạo")
SUBJECTS = ("Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Tin học", "Công nghệ",
            "Âm nhạc", "Mĩ thuật", "Giáo dục công dân")
LIBS = ("XS", "HD", "ND")
QUERIES = ("toan 6", "tieng anh", "de men", "khoa hoc tu nhien 7", "ngu van", "lich su va dia ly", "truyen co tich",
           "mat biec", "hoa la", "phieu luu ky thu", "nguyen van", "kim dong", "tin hoc 9", "cay", "song nui")


def make_isbn(rng: random.Random) -> str:
    body = "9786" + "".join(rng.choice("0123456789") for _ in range(8))
    return body + ean.calc_check_digit(body)


def make_work(rng: random.Random, n: int) -> dict:
    if rng.random() < 0.3:
        subject = rng.choice(SUBJECTS)
        grade = rng.randint(6, 9)
        work = {"type": "textbook", "title": f"{subject} {grade}", "curriculum": {"grade": grade, "subject": subject,
                "series": rng.choice(SERIES)}, "authors": [f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"]}
        if rng.random() < 0.5:
            work["volume"] = str(rng.randint(1, 2))
        # a textbook title repeats a lot: make the work unique with a distinct author and year
        work["title"] += f" {rng.choice(['Bài tập', 'Thực hành', 'Nâng cao', 'Chuyên đề'])} {n}"
    else:
        words = rng.sample(SYLLABLES, rng.randint(3, 6))
        work = {"type": rng.choice(("story", "reference", "story", "picture")), "title": " ".join(words).capitalize(),
                "authors": [f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"]}
        if rng.random() < 0.15:
            work["volume"] = f"Tập {rng.randint(1, 5)}"
    work["publisher"] = rng.choice(PUBLISHERS)
    work["year"] = rng.randint(2005, 2024)
    if rng.random() < 0.6:
        work["isbn"] = make_isbn(rng)
    work["subjects"] = [rng.choice(SUBJECTS)]
    return work


def variant(rng: random.Random, work: dict) -> dict:
    rec = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in work.items()}
    r = rng.random()
    if r < 0.1:
        rec["title"] = rec["title"].replace("ý", "í").replace("ỳ", "ì")  # i/y spelling
    elif r < 0.15 and len(rec["title"]) > 12:
        letters = [i for i, ch in enumerate(rec["title"]) if i >= 3 and ch.isalpha()
                   and rec["title"][i - 1].isalpha()]  # a one-letter typo inside a word
        if letters:
            i = rng.choice(letters)
            rec["title"] = rec["title"][:i] + rec["title"][i + 1:]
    if rng.random() < 0.2 and rec.get("isbn"):
        rec["isbn"] = stdisbn.format(rec["isbn"])
    if rng.random() < 0.1:
        rec.pop("year", None)
    return rec


def generate(root: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    from gdpt_corpus import write_network

    write_network(root)   # readable by the --baseline tree too
    for lib in LIBS:
        (root / "records" / lib).mkdir(parents=True, exist_ok=True)
    count, w = 0, 0
    while count < n:
        work = make_work(rng, w)
        holders = rng.sample(LIBS, min(n - count, rng.choice((1, 1, 2, 2, 3))))
        for lib in holders:
            rec = variant(rng, work)
            rid = f"r{w:06d}-{lib.lower()}"
            share = rng.choices(("network", "public", "internal"), (70, 25, 5))[0]
            data = {"id": rid, "library": lib, **rec, "share": share,
                    "items": [{"barcode": f"{lib}-{w:06d}-{k}", "status": rng.choice(("available", "available", "on-loan"))}
                              for k in range(rng.randint(1, 3))]}
            if rng.random() < 0.05:  # NFD from a Mac
                data["title"] = unicodedata.normalize("NFD", data["title"])
            (root / "records" / lib / f"{rid}.yaml").write_text(yamlio.dump(data), encoding="utf-8")
            count += 1
        w += 1


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def accuracy() -> None:
    from libsync.catalog.evaluate import evaluate, load_pairs

    pairs = load_pairs(PROJECT / "tests" / "catalog_pairs.yaml")
    print(f"Labelled pairs: {len(pairs)} ({sum(p['label'] == 'merge' for p in pairs)} must merge, "
          f"{sum(p['label'] == 'distinct' for p in pairs)} must not)")
    for pooled in (False, True):
        r = evaluate(pairs, pooled=pooled)
        print(f"  {'pooled      ' if pooled else 'pair-by-pair'}: precision {r['precision']:.3f}  recall {r['recall']:.3f}"
              f"  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']}, tn {r['tn']})" + (f"  wrong: {r['wrong']}" if r['wrong'] else ""))


def gdpt_figures(result: dict, corpus) -> str:
    wrong = Counter("+".join(w["differ"]) for w in result["wrong"])
    return (f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  (tp {result['tp']}, fp {result['fp']}, "
            f"fn {result['fn']}; {result['clusters']} clusters, {result['uncertain']} pairs left to a person)"
            + (f"  wrongly joined: {dict(wrong)}" if wrong else ""))


def gdpt_accuracy(tmp: Path, baseline: Path | None = None) -> None:
    """Pairwise precision/recall on the GDPT 2018 register set; with ``baseline``, the same files
    read and matched by that version's importers and matcher too (in a process of its own)."""
    from gdpt_corpus import build, evaluate

    corpus = build(tmp / "gdpt", plan=False)
    saved = tmp / "gdpt.pickle"
    saved.write_bytes(pickle.dumps(corpus))
    from gdpt_corpus import load

    t0 = time.perf_counter()
    load(corpus)
    planned = time.perf_counter() - t0
    result = evaluate(corpus)
    print(f"\nGDPT 2018 register set: {len(corpus.editions)} editions, {len(corpus.records)} records of "
          f"{', '.join(f'{lib} ({fmt})' for lib, fmt in corpus.formats.items())}, {corpus.true_pairs()} true pairs "
          f"(import planned in {planned:.1f} s)")
    print(f"  this tree: {gdpt_figures(result, corpus)}")
    inferred = Counter()
    for plan in corpus.plans.values():
        inferred.update(plan.inferred["types"])
    print(f"  types inferred from titles on import: {dict(inferred)}")
    if baseline is not None:
        code = ("import pickle, sys, json; from gdpt_corpus import load, evaluate; "
                f"c = pickle.loads(open({str(saved)!r}, 'rb').read()); load(c); r = evaluate(c); "
                "print(json.dumps(r, default=list))")
        out = _run(baseline, code, tmp)
        print(f"  baseline:  {gdpt_figures(json.loads(out), corpus)}")


def _run(root: Path, code: str, cwd: Path) -> str:
    """Run ``code`` with the libsync of ``root`` (and this tree's tests/ for gdpt_corpus)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(PROJECT / "tests")])}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{root}: {done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


MERGE_TIMER = ("import json, time, gc; from libsync.catalog import union_from_records; "
               "records = json.load(open({path!r}, encoding='utf-8')); "
               "c0 = time.process_time(); t0 = time.perf_counter(); u = union_from_records(records, 'network'); "
               "print(json.dumps([time.perf_counter() - t0, time.process_time() - c0, len(u['clusters'])]))")


def compare_merge(n: int, tmp: Path, baseline: Path) -> None:
    """Merge time of this tree and of ``baseline`` on the same generated records, in turns."""
    from libsync.repository import Repository
    from libsync.store.read import load_records

    root = tmp / f"cmp{n}"
    root.mkdir()
    os.environ["LIBSYNC_CACHE_DIR"] = str(tmp / f"cmpcache{n}")
    generate(root, n)
    records = load_records(Repository(root)).records
    path = tmp / f"records{n}.json"
    path.write_text(json.dumps(records, ensure_ascii=False, default=str), encoding="utf-8")
    times: dict[str, list[tuple[float, float, int]]] = {"baseline": [], "this tree": []}
    for _ in range(ROUNDS):
        for name, code_root in (("baseline", baseline), ("this tree", PROJECT)):
            times[name].append(tuple(json.loads(_run(code_root, MERGE_TIMER.format(path=str(path)), tmp))))
    base = statistics.median(t[0] for t in times["baseline"])
    mine = statistics.median(t[0] for t in times["this tree"])
    base_cpu = statistics.median(t[1] for t in times["baseline"])
    mine_cpu = statistics.median(t[1] for t in times["this tree"])
    print(f"  {n:,} records, merge (median of {ROUNDS}, taking turns): baseline {base:.2f} s (CPU {base_cpu:.2f}), "
          f"this tree {mine:.2f} s (CPU {mine_cpu:.2f}) → {100 * (mine / base - 1):+.1f} % wall, "
          f"{100 * (mine_cpu / base_cpu - 1):+.1f} % CPU; clusters {times['baseline'][0][2]:,} / {times['this tree'][0][2]:,}")


def bench_size(n: int, tmp: Path) -> dict:
    from libsync.catalog import build_union, union_from_records
    from libsync.catalog.index import ensure_index
    from libsync.store.read import load_records
    from libsync.catalog.search import search_index
    from libsync.repository import Repository

    root = tmp / f"net{n}"
    root.mkdir()
    os.environ["LIBSYNC_CACHE_DIR"] = str(tmp / f"cache{n}")
    generate(root, n)
    repo = Repository(root)
    cold, loaded = timed(load_records, repo)
    c0 = time.process_time()
    warm, loaded = timed(load_records, repo)
    warm_cpu = time.process_time() - c0
    assert len(loaded.records) == n, (len(loaded.records), loaded.problems[:3])
    cpu0 = time.process_time()
    merge_t, union = timed(union_from_records, loaded.records, "network")
    merge_cpu = time.process_time() - cpu0
    full_t, _ = timed(build_union, repo, "network")
    index_t, (path, _) = timed(ensure_index, repo, "network")
    fresh_t, (path, rebuilt) = timed(ensure_index, repo, "network")
    assert not rebuilt
    lat, cpu = [], []
    for _ in range(3):
        for q in QUERIES:
            c0 = time.process_time()
            t, res = timed(search_index, path, q, limit=20)
            cpu.append(time.process_time() - c0)
            lat.append(t)
    t_filtered, _ = timed(search_index, path, "toan", grade=6, available=True, library="HD")
    clusters = len(union["clusters"])
    # pairwise accuracy against the generator's truth (record id r<work>-<lib>)
    from collections import Counter
    works = Counter()
    tp = found = 0
    for c in union["clusters"]:
        ws = Counter(m["record"].split("-")[0] for m in c["members"])
        k = len(c["members"])
        found += k * (k - 1) // 2
        tp += sum(v * (v - 1) // 2 for v in ws.values())
        works.update(ws)
    truth = sum(v * (v - 1) // 2 for v in works.values())
    return {"n": n, "cold": cold, "warm": warm, "warm_cpu": warm_cpu, "merge": merge_t, "merge_cpu": merge_cpu, "full": full_t, "index": index_t,
            "fresh": fresh_t, "q_mean": statistics.mean(lat), "q_max": max(lat), "q_cpu": statistics.mean(cpu), "q_cpu_max": max(cpu), "q_filtered": t_filtered,
            "clusters": clusters, "precision": tp / found if found else 1.0, "recall": tp / truth if truth else 1.0, "multi": sum(1 for c in union["clusters"] if len(c["members"]) > 1),
            "uncertain": len(union["uncertain"]), "conflicts": len(union["conflicts"])}


def main(argv: list[str]) -> None:
    ref = None
    if "--baseline" in argv:
        at = argv.index("--baseline")
        ref = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    sizes = [int(a) for a in argv] or [10_000, 30_000, 100_000]
    print(f"libsync union catalogue benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    accuracy()
    rows = []
    with tempfile.TemporaryDirectory(prefix="libsync-bench-") as tmp, contextlib.ExitStack() as stack:
        baseline = stack.enter_context(baseline_tree(ref, Path(tmp))) if ref else None
        gdpt_accuracy(Path(tmp), baseline)
        if baseline is not None:
            print(f"\nMerge time, baseline against this tree (same records, {ROUNDS} runs each in fresh processes):")
            for n in sizes:
                compare_merge(n, Path(tmp), baseline)
        for n in sizes if baseline is None else ():   # with --baseline: the comparison only
            rows.append(bench_size(n, Path(tmp)))
            r = rows[-1]
            print(f"\n{n:,} records → {r['clusters']:,} clusters ({r['multi']:,} held by several libraries, "
                  f"{r['uncertain']} uncertain pairs, {r['conflicts']} conflicts)")
            print(f"  generated truth: pairwise precision {r['precision']:.4f}, recall {r['recall']:.4f}")
            print(f"  load, cold (parse + schema, 2 processes): {r['cold']:7.2f} s")
            print(f"  load, warm (parsed-record cache):         {r['warm']:7.2f} s   (CPU {r['warm_cpu']:.2f} s)")
            print(f"  merge (match + cluster + describe):       {r['merge']:7.2f} s   ({r['merge'] / n * 1e6:.0f} µs/record; CPU {r['merge_cpu']:.2f} s)")
            print(f"  build_union incl. warm load:              {r['full']:7.2f} s")
            print(f"  search index build:                       {r['index']:7.2f} s;  freshness check {r['fresh'] * 1000:.0f} ms")
            print(f"  search query: mean {r['q_mean'] * 1000:.1f} ms, max {r['q_max'] * 1000:.1f} ms "
                  f"({3 * len(QUERIES)} queries; CPU mean {r['q_cpu'] * 1000:.1f} ms, max {r['q_cpu_max'] * 1000:.1f} ms); "
                  f"with filters {r['q_filtered'] * 1000:.1f} ms")
    if len(rows) > 1:
        base = rows[0]
        print("\nGrowth against the smallest size (1.0 = linear):")
        for r in rows[1:]:
            k = r["n"] / base["n"]
            print(f"  {r['n']:,}: merge ×{r['merge'] / base['merge']:.2f} for ×{k:.0f} records "
                  f"→ {r['merge'] / base['merge'] / k:.2f} of linear (CPU {r['merge_cpu'] / base['merge_cpu'] / k:.2f}); "
                  f"warm load {r['warm'] / base['warm'] / k:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
