"""A synthetic library network for benchmarks: N libraries, M records, K exchange manifests.

Realistic shapes (Vietnamese titles, NFC text, 1–5 copies a record, valid ISBNs, manifests
whose copies exist and are where the manifest says), written canonically like real data.
Usable as a module (``make_network``) or a script:

    python benchmarks/synth.py DEST --libraries 10 --records 30000 --manifests 1000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stdnum import ean  # noqa: E402

from libsync import schemas, yamlio  # noqa: E402

SUBJECTS = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Giáo dục công dân",
            "Công nghệ", "Tin học", "Âm nhạc", "Mĩ thuật"]
SERIES = ["Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều"]
STORIES = ["Dế Mèn phiêu lưu ký", "Đất rừng phương Nam", "Tuổi thơ dữ dội", "Quê nội", "Kính vạn hoa",
           "Cho tôi xin một vé đi tuổi thơ", "Những tấm lòng cao cả", "Hoàng tử bé", "Chiếc lược ngà"]
AUTHORS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Hà", "Vũ Đức Khang",
           "Đỗ Thị Lan", "Bùi Văn Minh", "Tô Hoài", "Đoàn Giỏi", "Phùng Quán", "Nguyễn Nhật Ánh"]


def make_isbn(n: int) -> str:
    body = f"978604{n % 10_000_000:07d}"[:12]
    return body + ean.calc_check_digit(body)


def make_record(lib: str, n: int, rng: random.Random, isbn_pool: int) -> dict:
    kind = rng.choice(["textbook", "textbook", "reference", "story", "teacher-book"])
    grade = rng.randint(6, 9)
    subject = rng.choice(SUBJECTS)
    series = rng.choice(SERIES)
    edition_no = rng.randrange(isbn_pool)
    if kind == "story":
        title = rng.choice(STORIES) + (f" (tái bản lần {edition_no % 7 + 1})" if edition_no % 3 else "")
    elif kind == "teacher-book":
        title = f"{subject} {grade} — Sách giáo viên"
    elif kind == "reference":
        title = f"Bài tập {subject} {grade}"
    else:
        title = f"{subject} {grade}"
    record = {
        "id": f"{lib.lower()}-{n:06d}",
        "library": lib,
        "type": kind,
        "title": title,
        "authors": rng.sample(AUTHORS, rng.randint(1, 3)),
        "publisher": "Nhà xuất bản Giáo dục Việt Nam",
        "place": "Hà Nội",
        "year": 2020 + edition_no % 5,
        "isbn": make_isbn(edition_no),
        "language": "vie",
        "pages": rng.randint(60, 240),
        "classification": {"ddc": f"{rng.randint(300, 899)}.{rng.randint(0, 99):02d}"},
        "call_number": f"{rng.randint(300, 899)} / {title[:1].upper()}{rng.randint(100, 999)}",
        "subjects": [subject, f"Lớp {grade}"],
        "keywords": ["GDPT 2018", series],
        "curriculum": {"program": "GDPT2018", "grade": grade, "subject": subject, "series": series},
        "share": rng.choice(["network", "network", "public", "internal"]),
        "access": rng.choice(["catalog", "read"]),
        "items": [
            {"barcode": f"{lib}-{n:06d}-{c}", "status": "available", "location": "Kho mở",
             "acquired": f"20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "price": rng.randint(10, 90) * 1000}
            for c in range(1, rng.randint(2, 6))
        ],
    }
    return record


def network_document(codes: list[str], network_id: str = "synthetic", name: str = "Mạng thư viện mô phỏng") -> dict:
    """network.yaml of libraries ``codes`` (the first one leads), one rotation group, one school year."""
    return {
        "network": {"id": network_id, "name": name, "lead": codes[0]},
        "libraries": [{"code": c, "name": f"Trường THCS số {i}", "level": "THCS"} for i, c in enumerate(codes, 1)],
        "groups": [{"id": "all", "name": "Toàn mạng", "mode": "geography", "members": codes, "rotation": True}],
        "calendar": {"school_years": [{"id": "2024-2025", "terms": [
            {"id": "2024-2025/HK1", "start": "2024-09-05", "end": "2025-01-18"},
            {"id": "2024-2025/HK2", "start": "2025-01-20", "end": "2025-05-31"}]}]},
    }


def make_network(dest: Path, libraries: int = 10, records: int = 30_000, manifests: int = 1_000, seed: int = 1) -> dict:
    """Write the network under ``dest``; returns counts."""
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    codes = [f"L{i:02d}" for i in range(1, libraries + 1)]
    network = network_document(codes)
    (dest / "network.yaml").write_text(yamlio.dump(network, schemas.load_schema("network")), encoding="utf-8")
    record_schema = schemas.load_schema("record")
    per_lib = records // libraries
    all_records: list[dict] = []
    for code in codes:
        folder = dest / "records" / code
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(per_lib):
            rec = make_record(code, n, rng, isbn_pool=max(100, records // 3))
            all_records.append(rec)
    # exchanges: each takes 5-30 copies of one library, lent to another; the copies move.
    exchange_schema = schemas.load_schema("exchange")
    by_lib: dict[str, list[dict]] = {c: [r for r in all_records if r["library"] == c] for c in codes}
    used: set[str] = set()
    written_manifests = 0
    for m in range(manifests):
        sender = codes[m % libraries]
        receiver = codes[(m + 1 + m // libraries) % libraries]
        if receiver == sender:
            receiver = codes[(m + 1) % libraries]
        status = ["proposed", "approved", "dispatched", "received", "closed"][m % 5]
        pool = by_lib[sender]
        copies = []
        for rec in rng.sample(pool, min(len(pool), rng.randint(5, 30))):
            item = rec["items"][0]
            if item["barcode"] in used:
                continue
            used.add(item["barcode"])
            copies.append({"barcode": item["barcode"], "record": rec["id"]})
            if status in ("dispatched", "received"):
                item["status"] = "at-partner"
                item["holder"] = receiver
        term = "HK1" if m % 2 == 0 else "HK2"
        manifest = {
            "id": f"2024-2025-{term}-{sender}-{receiver}-{m:04d}", "term": f"2024-2025/{term}", "group": "all",
            "from": sender, "to": receiver, "status": status,
            "planned": {"handover": "2024-10-07" if term == "HK1" else "2025-02-10",
                        "return_due": "2024-12-20" if term == "HK1" else "2025-04-25"},
            "copies": copies,
            "history": [{"status": s, "date": "2024-10-01" if term == "HK1" else "2025-02-03", "by": "Thủ thư"}
                        for s in ["proposed", "approved", "dispatched", "received", "returned", "closed"][:["proposed", "approved", "dispatched", "received", "returned", "closed"].index(status) + 1]],
        }
        folder = dest / "exchanges" / "2024-2025" / term
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{manifest['id']}.yaml").write_text(yamlio.dump(manifest, exchange_schema), encoding="utf-8")
        written_manifests += 1
    for rec in all_records:
        path = dest / "records" / rec["library"] / f"{rec['id']}.yaml"
        path.write_text(yamlio.dump(rec, record_schema), encoding="utf-8")
    return {"libraries": libraries, "records": len(all_records), "manifests": written_manifests}


# Runs the command and reports its own wall time, CPU time and peak memory: a child forked from
# a large benchmark process would otherwise count the parent's pages in its peak.
_SHIM = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL); w = time.perf_counter() - t; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print('LIBSYNC-BENCH', w, u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr); sys.exit(code)")


def process(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak MB, exit code, stderr) of one whole process, start-up included."""
    proc = subprocess.run([sys.executable, "-c", _SHIM, *command], cwd=cwd, env=env, capture_output=True, check=False)
    err = proc.stderr.decode("utf-8", "replace")
    last = err.rstrip().rsplit("\n", 1)[-1].split()
    if not last or last[0] != "LIBSYNC-BENCH":
        return 0.0, 0.0, 0.0, proc.returncode or 99, err
    return float(last[1]), float(last[2]), int(last[3]) / 1024, proc.returncode, err


EXAMPLE_PARTS = ("network.yaml", "records", "exchanges", "inventories", "catalog")


def copy_example(dest: Path, commit: bool = False) -> Path:
    """A private copy of the example network at ``dest`` (a new Git repository; committed on
    ``main`` by a benchmark author when ``commit``)."""
    import shutil

    project = Path(__file__).resolve().parent.parent
    dest.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        src = project / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.vn", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.vn"}
    steps = [["init", "-q", "-b", "main"]] + ([["add", "-A"], ["commit", "-q", "-m", "mạng mẫu"]] if commit else [])
    for args in steps:
        subprocess.run(["git", "-C", str(dest), *args], check=True, env=env, capture_output=True)
    return dest


@contextlib.contextmanager
def baseline_tree(ref: str, where: Path) -> Iterator[Path]:
    """A Git worktree of this project at ``ref`` (removed afterwards), to run its libsync beside this one's."""
    project = Path(__file__).resolve().parent.parent
    tree = where / "baseline"
    subprocess.run(["git", "-C", str(project), "worktree", "add", "--detach", "--quiet", str(tree), ref], check=True)
    try:
        rev = subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h %s"], capture_output=True,
                             text=True, check=True).stdout.strip()
        print(f"baseline: {rev[:100]}")
        yield tree
    finally:
        subprocess.run(["git", "-C", str(project), "worktree", "remove", "--force", str(tree)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--libraries", type=int, default=10)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--manifests", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(make_network(args.dest, args.libraries, args.records, args.manifests, args.seed))


if __name__ == "__main__":
    main()


# --- a register of reference books (import and harvest benchmarks) -----------------------------

REFERENCE_TITLES = ["Toán", "Ngữ văn", "Tiếng Anh", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Giáo dục công dân",
                    "Tin học", "Công nghệ", "Âm nhạc", "Mĩ thuật", "Truyện cổ tích Việt Nam", "Đất rừng phương Nam"]
REFERENCE_AUTHORS = ["Nguyễn Văn Thành", "Trần Thị Minh Hằng", "Lê Thị Hồng Nhung", "Phạm Thị Thu Hà", "Đỗ Quang Huy"]


def reference_record(i: int, items: list[dict]) -> dict:
    """Record ``i`` of a library ND register of reference books, with the copies ``items``."""
    title = REFERENCE_TITLES[i % len(REFERENCE_TITLES)]
    return {
        "id": f"bench-{i:05d}", "library": "ND", "type": "reference",
        "title": f"{title} — tuyển tập số {i}", "subtitle": "sách tham khảo cho học sinh THCS",
        "authors": [REFERENCE_AUTHORS[i % 5], REFERENCE_AUTHORS[(i + 2) % 5]], "publisher": "Giáo dục Việt Nam",
        "place": "Hà Nội", "year": 2000 + i % 25, "language": "vie", "pages": 100 + i % 300, "dimensions": "24 cm",
        "classification": {"ddc": f"{300 + i % 600}.{i % 100}"}, "call_number": f"{300 + i % 600} B{i:05d}",
        "subjects": ["Giáo dục -- Việt Nam"], "keywords": ["THCS", title],
        "share": "network", "access": "catalog", "items": items,
    }
