"""Builders for the rotation tests (no tests here): the example network plus rotation data.

``make_network(dest)`` copies the embedded example network, then adds records and batches
of its own (ids starting ``rt-``, barcodes ``RT…``) so the rotation tests know exactly
which copies exist, whatever the example data holds. ``git_network(dest)`` also makes it a
Git repository on branch main with a bare repository as ``origin``.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import git
import yaml

from conftest import copy_example
from libsync import schemas, yamlio

SUBJECTS_6 = [("Toán", "Toán 6", ["Hà Huy Khoái", "Nguyễn Huy Đoan"]),
              ("Ngữ văn", "Ngữ văn 6", ["Bùi Mạnh Hùng"]),
              ("Khoa học tự nhiên", "Khoa học tự nhiên 6", ["Vũ Văn Hùng"]),
              ("Lịch sử và Địa lí", "Lịch sử và Địa lí 6", ["Vũ Minh Giang"])]


def _record(lib, rid, rtype, title, authors, items, **extra):
    data = {"id": rid, "library": lib, "type": rtype, "title": title, "authors": authors, **extra, "items": items}
    return data


def rotation_records() -> list[dict]:
    records = []
    for n, (subject, title, authors) in enumerate(SUBJECTS_6, start=1):
        items = [{"barcode": f"RTXS{n}{k}", "status": "available"} for k in (1, 2)]
        records.append(_record("XS", f"rt-xs-sgk6-{n}", "textbook", title, authors, items,
                               curriculum={"program": "GDPT2018", "grade": 6, "subject": subject,
                                           "series": "Kết nối tri thức với cuộc sống"},
                               call_number=f"37.0{n} T{n}"))
    # one lent and one lost copy in the textbook batch
    records[1]["items"].append({"barcode": "RTXS23", "status": "on-loan", "status_ref": "muon-6A1"})
    records[2]["items"].append({"barcode": "RTXS33", "status": "lost", "status_date": "2024-05-20"})
    for n, title in enumerate(["Sổ tay kiến thức Toán THCS", "Em học giỏi Tiếng Anh 7", "Từ điển Tiếng Việt"], start=1):
        records.append(_record("HD", f"rt-hd-tk-{n}", "reference", title, ["Nhiều tác giả"],
                               [{"barcode": f"RTHD{n}{k}", "status": "available"} for k in (1, 2)]))
    for n, (title, author) in enumerate([("Dế Mèn phiêu lưu ký", "Tô Hoài"), ("Đất rừng phương Nam", "Đoàn Giỏi"),
                                         ("Tuổi thơ dữ dội", "Phùng Quán")], start=1):
        records.append(_record("ND", f"rt-nd-truyen-{n}", "story", title, [author],
                               [{"barcode": f"RTND{n}{k}", "status": "available"} for k in (1, 2)]))
    return records


BATCHES = [
    {"id": "rt-xs-sgk6", "library": "XS", "name": "Sách giáo khoa lớp 6 — Kết nối tri thức",
     "group": "dong-trieu-thcs",
     # the subject written in NFD (decomposed), as some keyboards produce it
     "filter": {"type": ["textbook"], "grade": [6], "series": [unicodedata.normalize("NFD", "Kết nối tri thức với cuộc sống")],
                "records": [f"rt-xs-sgk6-{n}" for n in range(1, 5)]}},
    {"id": "rt-hd-tk", "library": "HD", "name": "Sách tham khảo dùng chung", "group": "dong-trieu-thcs",
     "filter": {"type": ["reference"], "records": ["rt-hd-tk-1", "rt-hd-tk-2", "rt-hd-tk-3"]}},
    {"id": "rt-nd-truyen", "library": "ND", "name": "Truyện thiếu nhi", "group": "dong-trieu-thcs",
     "filter": {"type": ["story"], "barcodes": ["RTND11", "RTND12", "RTND21", "RTND22", "RTND31", "RTND32"]}},
]


def make_network(dest: Path, only_rt: bool = False) -> Path:
    """``only_rt``: keep only this module's batches (so a schedule test knows every batch)."""
    root = copy_example(dest)
    for record in rotation_records():
        path = root / "records" / record["library"] / f"{record['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yamlio.dump(record, schemas.load_schema("record")), encoding="utf-8")
    network = yaml.safe_load((root / "network.yaml").read_text(encoding="utf-8"))
    rotation = network.setdefault("rotation", {})
    kept = [] if only_rt else [b for b in rotation.get("batches") or [] if not b["id"].startswith("rt-")]
    rotation["batches"] = kept + BATCHES
    (root / "network.yaml").write_text(yamlio.dump(network, schemas.load_schema("network")), encoding="utf-8")
    return root


def committed(root: Path, name: str = "Phạm Thị Thu Hà", email: str = "thuvien-xuanson@example.invalid") -> git.Repo:
    """``root`` made a Git repository on ``main`` with everything in it committed by a librarian."""
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", name)
        cw.set_value("user", "email", email)
    repo.git.add("--all")
    repo.git.commit("-m", "mạng mẫu")
    return repo


def git_network(dest: Path, remote: bool = True, only_rt: bool = False) -> tuple[Path, git.Repo]:
    root = make_network(dest / "network", only_rt)
    repo = committed(root)
    if remote:
        bare = dest / "remote.git"
        git.Repo.init(bare, bare=True, initial_branch="main")
        repo.create_remote("origin", str(bare))
        repo.git.push("origin", "main")
    return root, repo


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside .git) with its bytes: to prove nothing changed."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".libsync"} & set(p.relative_to(root).parts)}


def write_scan(path: Path, barcodes: list[str]) -> Path:
    path.write_text("\n".join(barcodes) + "\n", encoding="utf-8")
    return path


__all__ = ["make_network", "committed", "git_network", "snapshot", "write_scan", "rotation_records", "BATCHES", "shutil"]
