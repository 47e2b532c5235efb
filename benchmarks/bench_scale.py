"""A district-sized network on one laptop: whole ``libsync`` processes on 100,000 records.

    python benchmarks/bench_scale.py                       # 100,000 records in 10 libraries
    python benchmarks/bench_scale.py --records 1000000 --libraries 100 --only merge
    python benchmarks/bench_scale.py --keep /tmp/net100k   # keep (or reuse) the generated network

The network is generated the way a district's union catalogue looks: a pool of editions (GDPT
2018 textbooks of three series, teacher's books, exercise books, stories, periodicals), each
held by several schools that copy-catalogued it with the edition's ISBN; some records have no
ISBN, some titles are typed without diacritics or in NFD, and 1% carry a mistyped ISBN. The
network is committed to a Git repository (the store reads Git's blob ids), and two
100,000-barcode stocktake snapshots of one library are recorded.

Every figure is a whole ``libsync`` process as a user runs it (start-up included): wall time and
peak resident memory of that process and its workers. The reference is the bare parse of the
same record files in the same run (``yaml.load`` with ``CSafeLoader``, one core), so the ratios
hold on a busy machine. "cold" means a new, empty cache folder; "warm" the same command again.
Nothing in the project changes; the data lives in a temporary folder unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import yaml  # noqa: E402
from stdnum import ean  # noqa: E402

from libsync import schemas, yamlio  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import network_document  # noqa: E402

SUBJECTS = ("Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Giáo dục công dân",
            "Công nghệ", "Tin học", "Âm nhạc", "Mĩ thuật", "Hoạt động trải nghiệm, hướng nghiệp")
SERIES = ("Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều")
WORDS = ("Dế Mèn phiêu lưu ký", "Đất rừng phương Nam", "Tuổi thơ dữ dội", "Quê nội", "Kính vạn hoa",
         "Cho tôi xin một vé đi tuổi thơ", "Những tấm lòng cao cả", "Hoàng tử bé", "Chiếc lược ngà",
         "Mắt biếc", "Góc sân và khoảng trời", "Tôi thấy hoa vàng trên cỏ xanh", "Búp sen xanh",
         "Truyện cổ tích Việt Nam", "Sống như anh", "Bí mật của biển", "Rừng mơ", "Mẹ và con", "Cá bống mú")
AUTHORS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hà", "Vũ Đức Khang",
           "Đỗ Thị Lan", "Bùi Văn Minh", "Tô Hoài", "Đoàn Giỏi", "Phùng Quán", "Nguyễn Nhật Ánh", "Võ Quảng",
           "Trần Đăng Khoa", "Sơn Tùng", "Nguyễn Huy Tưởng")
PUBLISHERS = ("Nhà xuất bản Giáo dục Việt Nam", "NXB Kim Đồng", "NXB Trẻ", "NXB Văn học", "NXB Đại học Sư phạm")


def make_isbn(n: int) -> str:
    body = f"978604{n % 1_000_000:06d}"
    return body + ean.calc_check_digit(body)


def editions(count: int, rng: random.Random) -> list[dict]:
    """The pool of editions the schools' records describe."""
    out = []
    for n in range(count):
        kind = rng.choice(("textbook", "textbook", "teacher-book", "reference", "story", "story", "periodical"))
        grade = rng.randint(6, 9)
        subject = rng.choice(SUBJECTS)
        series = rng.choice(SERIES)
        year = rng.randint(2019, 2025)
        base = {"type": kind, "year": year, "publisher": rng.choice(PUBLISHERS), "language": "vie",
                "authors": rng.sample(AUTHORS, rng.randint(1, 3)), "pages": rng.randint(60, 300)}
        if kind in ("textbook", "teacher-book", "reference"):
            title = {"textbook": f"{subject} {grade}", "teacher-book": f"{subject} {grade} — Sách giáo viên",
                     "reference": f"Bài tập {subject} {grade}"}[kind]
            if n % 4 == 0:
                title += f" — Tập {n % 2 + 1}"
            base.update(title=title, curriculum={"program": "GDPT2018", "grade": grade, "subject": subject,
                                                  "series": series},
                        subjects=[subject, f"Lớp {grade}"], keywords=["GDPT 2018", series])
        elif kind == "periodical":
            base.update(title=f"Tạp chí Văn học và Tuổi trẻ số {n % 24 + 1}/{year}", issn="1859-3461",
                        volume=str(n % 24 + 1), subjects=["Văn học", "Tạp chí"])
            del base["authors"]
        else:
            base.update(title=f"{rng.choice(WORDS)} (tái bản lần {n % 9 + 1})", subjects=["Văn học thiếu nhi"])
        if kind != "periodical" and rng.random() < 0.9:
            base["isbn"] = make_isbn(n)
        out.append(base)
    return out


def record_for(edition: dict, lib: str, n: int, rng: random.Random, copies: tuple[int, int] = (1, 3)) -> dict:
    rec = {"id": f"{lib.lower()}-{n:06d}", "library": lib, **{k: v for k, v in edition.items()}}
    roll = rng.random()
    if roll < 0.01 and rec.get("isbn"):
        rec["isbn"] = make_isbn(rng.randrange(1_000_000))           # mistyped ISBN: a conflict to review
    elif roll < 0.03:
        rec["title"] = "".join(c for c in unicodedata.normalize("NFD", rec["title"])
                               if not unicodedata.combining(c)).replace("Đ", "D").replace("đ", "d")
    elif roll < 0.04:
        rec.pop("isbn", None)
    rec["call_number"] = f"{rng.randint(300, 899)} / {rec['title'][:1].upper()}{rng.randint(100, 999)}"
    rec["share"] = rng.choice(("network", "network", "public", "internal"))
    rec["access"] = rng.choice(("catalog", "read"))
    rec["items"] = [{"barcode": f"{lib}-{n:06d}-{c}", "status": "available", "location": "Kho mở",
                     "acquired": f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"}
                    for c in range(1, rng.randint(copies[0], copies[1]) + 1)]
    return rec


def _write_library(args: tuple[str, str, int, int, int, tuple[int, int]]) -> int:
    dest, lib, per_lib, pool, seed, copies = args
    rng = random.Random(f"{seed}-{lib}")
    eds = editions(pool, random.Random(seed))
    schema = schemas.load_schema("record")
    folder = Path(dest) / "records" / lib
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(per_lib):
        rec = record_for(eds[rng.randrange(pool)], lib, n, rng, copies)
        (folder / f"{rec['id']}.yaml").write_text(yamlio.dump(rec, schema), encoding="utf-8")
    return per_lib


def make_network(dest: Path, libraries: int, records: int, seed: int = 1) -> list[str]:
    codes = [f"L{i:03d}" for i in range(1, libraries + 1)]
    network = network_document(codes, "huyen-mo-phong", "Mạng thư viện huyện (mô phỏng)")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "network.yaml").write_text(yamlio.dump(network, schemas.load_schema("network")), encoding="utf-8")
    per_lib = records // libraries
    pool = max(100, records // 4)     # each edition held by about four schools
    with ProcessPoolExecutor(min(2, os.cpu_count() or 1)) as ex:
        # the first library keeps class sets (8-12 copies a title): the 100,000-copy stocktake below
        list(ex.map(_write_library, [(str(dest), c, per_lib, pool, seed, (8, 12) if c == codes[0] else (1, 3))
                                     for c in codes]))
    return codes


def git(root: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@b", GIT_COMMITTER_NAME="bench",
               GIT_COMMITTER_EMAIL="b@b")
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, stdout=subprocess.DEVNULL)


def bare_parse(root: Path) -> float:
    """The reference: every record file parsed by PyYAML's CSafeLoader on one core."""
    start = time.perf_counter()
    for path in sorted((root / "records").rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def run(root: Path, cache: Path, *args: str, ok: tuple[int, ...] = (0, 1)) -> tuple[float, float]:
    """(wall seconds, peak MB) of one ``libsync`` process: the peak resident memory of the largest
    of the process and the workers it waited for. GNU time measures it when it is installed (a
    child forked from this big benchmark process would otherwise start with its size)."""
    env = dict(os.environ, LIBSYNC_CACHE_DIR=str(cache), LIBSYNC_LANG="vi")
    libsync = shutil.which("libsync") or sys.exit("libsync is not installed (pip install -e .)")
    command = [libsync, *args] if args == ("--version",) else [libsync, "--repo", str(root), *args]
    gnu_time = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    if gnu_time:
        command = [gnu_time, "-f", "LIBSYNC-PEAK-KB %M", *command]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        sys.exit(f"libsync {' '.join(args)} exited {code}:\n{err[-2000:]}")
    peak = usage.ru_maxrss / 1024
    for line in err.splitlines():
        if line.startswith("LIBSYNC-PEAK-KB "):
            peak = int(line.split()[1]) / 1024
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--libraries", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--only", choices=("merge", "all"), default="all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="libsync-scale-"))
    root = args.keep or tmp / "net"
    try:
        if not (root / "network.yaml").is_file():
            start = time.perf_counter()
            codes = make_network(root, args.libraries, args.records, args.seed)
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-qm", "mạng mô phỏng")
            print(f"generated {args.records:,} records in {args.libraries} libraries "
                  f"in {time.perf_counter() - start:.0f} s")
        codes = sorted(p.name for p in (root / "records").iterdir())
        bare = bare_parse(root)
        load = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
        print(f"bare CSafeLoader parse of every record file (one core, reference): {bare:.1f} s")
        rows: list[tuple[str, float, float]] = []

        def measure(name: str, cache: Path, *cmd: str, ok: tuple[int, ...] = (0, 1)) -> None:
            wall, peak = run(root, cache, *cmd, ok=ok)
            rows.append((name, wall, peak))
            print(f"  {name:44s} {wall:8.2f} s {wall / bare:6.2f}x bare {peak:8.0f} MB", flush=True)

        cold_merge = tmp / "cache-merge"
        measure("merge -o union.json, cold", cold_merge, "merge", "-o", str(tmp / "union.json"))
        measure("merge -o union.json, warm", cold_merge, "merge", "-o", str(tmp / "union.json"))
        if args.only == "merge":
            return
        cache = tmp / "cache"
        measure("libsync --version (start-up)", cache, "--version", ok=(0,))
        measure("validate, cold", cache, "validate")
        measure("validate, warm", cache, "validate")
        measure("search toan, first call (index build)", cache, "search", "toán")
        measure("search toan, warm", cache, "search", "toán")
        measure("site build, warm cache", cache, "site", "build", "--out", str(tmp / "site"), "--audience", "public")
        lib = codes[0]
        # a stocktake of the lead library before and after a term: 3% not found, 1,000 new
        # barcodes not yet catalogued, 500 scanned twice
        held = [item["barcode"] for path in sorted((root / "records" / lib).glob("*.yaml"))
                for item in yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader).get("items") or []]
        rng = random.Random(7)
        gone = set(rng.sample(held, len(held) * 3 // 100))
        after = [c for c in held if c not in gone] + [f"{lib}-MOI-{i:05d}" for i in range(1000)]
        after += rng.sample(after, 500)
        for label, codes_scanned, day in (("truoc", held, "2024-10-01"), ("sau", after, "2024-11-01")):
            path = tmp / f"{label}.txt"
            path.write_text("\n".join(codes_scanned) + "\n", encoding="utf-8")
            run(root, cache, "inventory", "record", lib, str(path), "--label", label, "--date", day, "--id", label)
        print(f"  (stocktake of {lib}: {len(held):,} barcodes before, {len(after):,} after)")
        measure("inventory diff (two ~100,000-barcode snapshots)", cache, "inventory", "diff", f"{lib}/truoc",
                f"{lib}/sau")
        measure("inventory diff, again", cache, "inventory", "diff", f"{lib}/truoc", f"{lib}/sau")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
