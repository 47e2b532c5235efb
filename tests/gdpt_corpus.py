"""A register-like labelled set for the union-catalogue matcher: GDPT 2018 school books and a
few stories, typed by three libraries the way real registers are typed (issue #16).

``build(root)`` draws the editions and each library's spelling of them with a fixed seed, writes
three real register files in three formats and encodings —

* XS: a CSV register in TCVN3 (a .VnTime-era file), no type column, the series in "Bộ sách";
* HD: an XLSX register in Unicode with NFD cells here and there, a "Loại sách" column filled
  only sometimes (SGK, SGV, STK — the workbooks typed as reference books), series in "Tùng thư";
* ND: a MARC 21 file (ISO 2709, UTF-8, some fields NFD) with no 942 type, the series in 490
  or 911 $d —

and reads them back through the real importers (``libsync.interchange.importer.import_file``,
planning only, nothing written). ``Corpus`` holds the planned records and the truth: each copy's
barcode is ``LIB-E<edition>-<n>``, and the edition table says what every edition is (subject,
grade, series, kind, volume, or a story's title), so the pairs that must merge and those that
must not — other kind, volume, grade, series, or the same letters with other tone marks — are
known without looking at what the matcher sees.

Every variant family of the issue is drawn, and their combinations: series written as
librarians write them ("KNTT", "Kết nối tri thức", "CTST", "Chân Trời Sáng Tạo", "CD", "Cánh
diều", in the title or a column, or absent), publisher spellings ("NXBGDVN", "NXB ĐHSP" …),
volume spellings ("Tập 1", ", tập 1", "T.1", "T1", "(Quyển 1)", "tập một"), kind words at the
start or the end ("Bài tập", "Vở bài tập", "Sách bài tập", "SBT", "- Sách giáo viên", "SGV"),
doubled spaces, NFD, TCVN3, i/y spellings, a dropped letter in a long title, missing
authors/year/series, ISBN-10/13 — and stories whose titles differ only by a tone mark.
``Corpus.variants`` counts each family drawn.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
SEED = 2018
LIBRARIES = ("XS", "HD", "ND")
TODAY = "2025-01-15"

KNTT, CTST, CD = "Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều"
GDVN, DHSP = "Nhà xuất bản Giáo dục Việt Nam", "Nhà xuất bản Đại học Sư phạm"
SERIES_PUBLISHER = {KNTT: GDVN, CTST: GDVN, CD: DHSP}
SERIES_SPELLINGS = {
    KNTT: ("Kết nối tri thức với cuộc sống", "Kết nối tri thức", "KNTT", "kết nối tri thức với cuộc sống",
           "Kết nối tri thức với cuộc sông"),
    CTST: ("Chân trời sáng tạo", "Chân Trời Sáng Tạo", "CTST", "Chân trời sán tạo"),
    CD: ("Cánh Diều", "Cánh diều", "CD", "Bộ sách Cánh Diều"),
}
SERIES_IN_TITLE = {KNTT: (" (KNTT)", " - Kết nối tri thức"), CTST: (" (CTST)", " - Chân trời sáng tạo"),
                   CD: (" (Cánh Diều)", " - CD")}
PUBLISHER_SPELLINGS = {
    GDVN: ("Nhà xuất bản Giáo dục Việt Nam", "NXB Giáo dục Việt Nam", "NXBGDVN", "NXB GDVN", "Giáo dục Việt Nam"),
    DHSP: ("Nhà xuất bản Đại học Sư phạm", "NXB ĐHSP", "Đại học Sư phạm", "NXB Đại học Sư phạm"),
    "Nhà xuất bản Kim Đồng": ("Nhà xuất bản Kim Đồng", "NXB Kim Đồng", "Kim Đồng"),
    "Nhà xuất bản Trẻ": ("Nhà xuất bản Trẻ", "NXB Trẻ", "Trẻ"),
}
# subject → the spellings registers give it in a title
SUBJECTS = {
    "Toán": ("Toán",),
    "Ngữ văn": ("Ngữ văn", "Ngữ Văn"),
    "Khoa học tự nhiên": ("Khoa học tự nhiên", "KHTN", "Khoa học Tự nhiên"),
    "Lịch sử và Địa lí": ("Lịch sử và Địa lí", "Lịch sử và Địa lý", "Lịch sử & Địa lí"),
    "Hoạt động trải nghiệm, hướng nghiệp": ("Hoạt động trải nghiệm, hướng nghiệp",
                                            "Hoạt động trải nghiệm hướng nghiệp"),
    "Tin học": ("Tin học",),
    "Giáo dục công dân": ("Giáo dục công dân", "GDCD"),
    "Công nghệ": ("Công nghệ",),
    "Mĩ thuật": ("Mĩ thuật", "Mỹ thuật"),
    "Âm nhạc": ("Âm nhạc",),
}
TWO_VOLUMES = ("Toán", "Ngữ văn")
KIND_TITLES = {
    "pupil": ("{s} {g}", "{s} {g}", "{s} lớp {g}", "Sách giáo khoa {s} {g}"),
    "workbook": ("Bài tập {s} {g}", "Sách bài tập {s} {g}", "SBT {s} {g}", "{s} {g} - Sách bài tập",
                 "Vở bài tập {s} {g}", "{s} {g} - Bài tập"),
    "teacher": ("{s} {g} - Sách giáo viên", "Sách giáo viên {s} {g}", "SGV {s} {g}", "{s} {g} (Sách giáo viên)",
                "{s} {g} - SGV"),
}
VOLUME_FIELD = ("Tập {n}", "{n}", "T.{n}", "Quyển {n}", "tập {w}")
VOLUME_TITLE = (", tập {n}", " - Tập {n}", " T{n}", " (Quyển {n})", " - tập {w}", " T.{n}")
NUMBER_WORDS = {1: "một", 2: "hai"}
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Đoàn Đinh Phan Võ Trịnh Lưu Mai Hà".split()
MIDDLE = "Văn Thị Đức Minh Ngọc Thu Hữu Quang Thanh Xuân Huy Mạnh".split()
GIVEN = "An Bình Chi Dũng Giang Hải Hùng Khoa Lan Linh Minh Nam Phương Quân Sơn Tâm Thảo Trung Vân Yến Thủy Tuấn".split()

# stories: (title, author, publisher, year, volume); titles that differ only by tone marks sit side by side
STORIES = (
    ("Cá", "Nguyễn Văn Hòa", "Nhà xuất bản Kim Đồng", 2020, None),
    ("Cà", "Nguyễn Văn Hòa", "Nhà xuất bản Kim Đồng", 2020, None),
    ("Mẹ", "Trần Thị Lan", "Nhà xuất bản Kim Đồng", 2021, None),
    ("Mè", "Trần Thị Lan", "Nhà xuất bản Kim Đồng", 2021, None),
    ("Bà tôi", "Lê Minh Khuê", "Nhà xuất bản Trẻ", 2019, None),
    ("Ba tôi", "Lê Minh Khuê", "Nhà xuất bản Trẻ", 2019, None),
    ("Lá", "Phạm Hữu Nam", "Nhà xuất bản Kim Đồng", 2022, None),
    ("Lạ", "Phạm Hữu Nam", "Nhà xuất bản Kim Đồng", 2022, None),
    ("Đất rừng phương Nam", "Đoàn Giỏi", "Nhà xuất bản Kim Đồng", 2019, None),
    ("Dế Mèn phiêu lưu ký", "Tô Hoài", "Nhà xuất bản Kim Đồng", 2020, None),
    ("Tôi thấy hoa vàng trên cỏ xanh", "Nguyễn Nhật Ánh", "Nhà xuất bản Trẻ", 2018, None),
    ("Kính vạn hoa", "Nguyễn Nhật Ánh", "Nhà xuất bản Kim Đồng", 2017, 1),
    ("Kính vạn hoa", "Nguyễn Nhật Ánh", "Nhà xuất bản Kim Đồng", 2017, 2),
    ("Góc sân và khoảng trời", "Trần Đăng Khoa", "Nhà xuất bản Kim Đồng", 2018, None),
    ("Cánh diều tuổi thơ", "Tạ Duy Anh", "Nhà xuất bản Kim Đồng", 2016, None),
    ("Cho tôi xin một vé đi tuổi thơ", "Nguyễn Nhật Ánh", "Nhà xuất bản Trẻ", 2018, None),
)


@dataclass
class Edition:
    """One edition (the truth): a school book (subject, grade, series, kind, volume) or a story."""

    n: int
    title: str                      # canonical title, without kind, volume or series
    kind: str                       # pupil | workbook | teacher | story
    authors: list[str]
    publisher: str
    year: int
    isbn: str
    subject: str | None = None
    grade: int | None = None
    series: str | None = None
    volume: int | None = None
    holders: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"E{self.n:04d}"


@dataclass
class Corpus:
    root: Path
    editions: dict[str, Edition]                    # label → edition
    files: dict[str, Path]                          # library → register file
    formats: dict[str, str]                         # library → csv | xlsx | marc
    records: list[dict[str, Any]] = field(default_factory=list)   # as planned by the importers
    truth: dict[str, str] = field(default_factory=dict)           # "LIB/id" → edition label
    plans: dict[str, Any] = field(default_factory=dict)           # library → importer.Plan
    variants: Counter[str] = field(default_factory=Counter)
    typed: dict[str, dict[str, Any]] = field(default_factory=dict)   # "LIB/E…" → the row as typed

    def true_pairs(self) -> int:
        per: Counter[str] = Counter(self.truth.values())
        return sum(k * (k - 1) // 2 for k in per.values())


def _isbn13(rng: random.Random) -> str:
    body = "978604" + "".join(rng.choice("0123456789") for _ in range(6))
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _isbn10(isbn13: str) -> str:
    body = isbn13[3:12]
    check = (11 - sum((10 - i) * int(c) for i, c in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def editions(rng: random.Random) -> list[Edition]:
    """The editions: grades 6–9, eight subjects, two or three series each, the pupil's book
    always, a workbook and a teacher's book often, two volumes of Toán and Ngữ văn; the stories."""
    out: list[Edition] = []
    teams: dict[tuple[str, str], list[str]] = {}
    for series in (KNTT, CTST, CD):
        for subject in SUBJECTS:
            teams[(series, subject)] = [_person(rng) for _ in range(rng.randint(2, 4))]
    for grade in (6, 7, 8, 9):
        for subject in SUBJECTS:
            chosen = rng.sample((KNTT, CTST, CD), rng.choice((2, 2, 3)))
            for series in sorted(chosen):
                kinds = ["pupil"] + (["workbook"] if rng.random() < 0.6 else []) + \
                        (["teacher"] if rng.random() < 0.5 else [])
                for kind in kinds:
                    volumes: list[int | None] = [1, 2] if subject in TWO_VOLUMES and kind != "teacher" else [None]
                    for volume in volumes:
                        out.append(Edition(len(out) + 1, f"{subject} {grade}", kind, list(teams[(series, subject)]),
                                           SERIES_PUBLISHER[series], 2015 + grade + (kind == "workbook"),
                                           _isbn13(rng), subject, grade, series, volume))
    for title, author, publisher, year, volume in STORIES:
        out.append(Edition(len(out) + 1, title, "story", [author], publisher, year, _isbn13(rng), volume=volume))
    for e in out:
        e.holders = tuple(LIBRARIES) if rng.random() < 0.72 else tuple(sorted(rng.sample(LIBRARIES, 2)))
    return out


def _drop_letter(rng: random.Random, text: str) -> str:
    """``text`` with a letter inside a word left out."""
    spots = [i for i, ch in enumerate(text) if i >= 1 and ch.isalpha() and text[i - 1].isalpha()
             and i + 1 < len(text) and text[i + 1].isalpha()]
    i = rng.choice(spots)
    return text[:i] + text[i + 1:]


def spell(rng: random.Random, e: Edition, lib: str, seen: Counter[str]) -> dict[str, Any]:
    """How library ``lib`` types edition ``e``: a row of register fields (title, authors,
    publisher, year, volume, series and where it goes, type code, ISBN), the families drawn
    counted in ``seen``."""
    row: dict[str, Any] = {"authors": list(e.authors), "year": e.year}
    publisher_spellings = PUBLISHER_SPELLINGS.get(e.publisher, (e.publisher,))
    row["publisher"] = rng.choice(publisher_spellings)
    seen[f"publisher:{row['publisher']}"] += 1
    if e.kind == "story":
        title = e.title
        if e.title == "Dế Mèn phiêu lưu ký" and rng.random() < 0.5:
            title = "Dế mèn phiêu lưu kí"
            seen["i/y spelling"] += 1
        if len(title.split()) >= 4 and rng.random() < 0.2:
            title = _drop_letter(rng, title)
            seen["typo in a long title"] += 1
        if e.volume:
            if rng.random() < 0.5:
                row["volume"] = rng.choice(VOLUME_FIELD).format(n=e.volume, w=NUMBER_WORDS[e.volume])
            else:
                title += rng.choice(VOLUME_TITLE).format(n=e.volume, w=NUMBER_WORDS[e.volume])
    else:
        subject = rng.choice(SUBJECTS[e.subject or ""])
        if subject != e.subject:
            seen["subject spelling"] += 1
        pattern = rng.choice(KIND_TITLES[e.kind])
        if e.kind == "teacher" and lib == "HD" and rng.random() < 0.35:
            pattern = "{s} {g}"       # the type column says SGV, the title nothing
            row["type"] = "SGV"
            seen["teacher's book told by the type column only"] += 1
        seen[f"kind:{pattern.replace('{s} {g}', 'X').replace('{s} lớp {g}', 'X lớp')}"] += 1
        if len(subject.split()) >= 3 and rng.random() < 0.1:   # a letter missing in a long subject name
            first, rest = subject.split(" ", 1)
            subject = f"{first} {_drop_letter(rng, rest)}" if len(rest) > 4 else subject
            seen["typo in a long subject name"] += 1
        title = pattern.format(s=subject, g=e.grade)
        if e.volume:
            if rng.random() < 0.5:
                row["volume"] = rng.choice(VOLUME_FIELD).format(n=e.volume, w=NUMBER_WORDS[e.volume])
                seen[f"volume field:{row['volume'].replace(str(e.volume), 'N')}"] += 1
            else:
                suffix = rng.choice(VOLUME_TITLE).format(n=e.volume, w=NUMBER_WORDS[e.volume])
                seen[f"volume in title:{suffix.replace(str(e.volume), 'N')}"] += 1
                title += suffix
        where = rng.random()
        series = e.series or ""
        if where < 0.15:
            title += rng.choice(SERIES_IN_TITLE[series])
            seen["series in the title"] += 1
        elif where < 0.22 and row["authors"]:
            seen["series absent"] += 1
        else:
            row["series"] = rng.choice(SERIES_SPELLINGS[series])
            seen[f"series:{row['series']}"] += 1
        if lib == "HD" and "type" not in row and rng.random() < 0.5:
            row["type"] = {"pupil": "SGK", "workbook": "STK", "teacher": "SGV"}[e.kind]
            seen["type column"] += 1
        if lib == "ND" and rng.random() < 0.25:
            row["type"] = {"pupil": "sgk", "workbook": "stk", "teacher": "sgv"}[e.kind]
            seen["MARC 942 type"] += 1
    r = rng.random()
    if r < 0.12 and (e.kind == "story" or row.get("series")):
        row["authors"] = []
        seen["authors missing"] += 1
    elif r < 0.30:
        row["authors"] = row["authors"][:1]
        seen["first author only"] += 1
    elif r < 0.40 and row["authors"]:
        row["authors"][0] += " (Tổng chủ biên)"
        seen["author role"] += 1
    if rng.random() < 0.12:
        del row["year"]
        seen["year missing"] += 1
    if rng.random() < 0.35:
        row["isbn"] = rng.choice((e.isbn, f"{e.isbn[:3]}-{e.isbn[3:6]}-{e.isbn[6:8]}-{e.isbn[8:12]}-{e.isbn[12]}",
                                  _isbn10(e.isbn)))
        seen["isbn"] += 1
    if rng.random() < 0.15:
        words = title.split(" ")
        k = rng.randrange(len(words))
        words[k] += "  "
        title = " ".join(words).rstrip() + rng.choice(("", " "))
        seen["doubled spaces"] += 1
    row["title"] = title
    return row


def _nfd(rng: random.Random, text: str, seen: Counter[str], rate: float = 0.2) -> str:
    if rng.random() < rate and not text.isascii():
        seen["NFD"] += 1
        return unicodedata.normalize("NFD", text)
    return text


def _copies(rng: random.Random, lib: str, e: Edition) -> list[str]:
    return [f"{lib}-{e.label}-{k}" for k in range(1, rng.choice((2, 3, 3, 4, 6)))]


def write_xs_csv(rng: random.Random, rows: list[tuple[Edition, dict[str, Any]]], path: Path) -> None:
    """XS: a TCVN3 CSV register, one line per copy, no type column."""
    from libsync.text import legacy

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", "Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm XB", "Tập", "Bộ sách", "ISBN"])
    n = 0
    for e, row in rows:
        for barcode in _copies(rng, "XS", e):
            n += 1
            writer.writerow([n, barcode, row["title"], "; ".join(row["authors"]), row["publisher"],
                             row.get("year", ""), row.get("volume", ""), row.get("series", ""), row.get("isbn", "")])
    path.write_bytes(legacy.encode(out.getvalue(), "tcvn3"))


def write_hd_xlsx(rng: random.Random, rows: list[tuple[Edition, dict[str, Any]]], path: Path,
                  seen: Counter[str]) -> None:
    """HD: an XLSX register in Unicode (NFD cells here and there), type column filled sometimes."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số đăng ký cá biệt", "Nhan đề", "Tác giả chính", "NXB", "Năm xuất bản", "Số tập", "Loại sách",
                  "Tùng thư", "ISBN"])
    for e, row in rows:
        title = _nfd(rng, row["title"], seen)
        authors = _nfd(rng, "; ".join(row["authors"]), seen, 0.1)
        for barcode in _copies(rng, "HD", e):
            sheet.append([barcode, title, authors, row["publisher"], row.get("year"), row.get("volume"),
                          row.get("type"), row.get("series"), row.get("isbn")])
    book.save(path)


def write_nd_marc(rng: random.Random, rows: list[tuple[Edition, dict[str, Any]]], path: Path,
                  seen: Counter[str]) -> None:
    """ND: MARC 21 (ISO 2709, UTF-8) written by libsync's own MARC writer from the typed rows."""
    from libsync.interchange.marc import record_to_iso2709

    chunks = []
    for e, row in rows:
        rec: dict[str, Any] = {"id": f"nd{e.n:05d}", "library": "ND", "title": _nfd(rng, row["title"], seen),
                               "authors": row["authors"], "publisher": row["publisher"],
                               "items": [{"barcode": b} for b in _copies(rng, "ND", e)]}
        for name in ("year", "volume", "isbn"):
            if row.get(name):
                rec[name] = row[name]
        if row.get("type"):
            rec["type"] = row["type"]
        if row.get("series"):
            if rng.random() < 0.5:
                rec["series"] = row["series"]                     # 490 $a (the volume then in 490 $v)
                seen["MARC 490"] += 1
            else:
                rec["curriculum"] = {"series": row["series"]}     # 911 $d
                seen["MARC 911"] += 1
        if not rec["authors"]:
            del rec["authors"]
        chunks.extend(record_to_iso2709(rec))
    path.write_bytes(b"".join(chunks))


def write_network(root: Path) -> None:
    """The example's network.yaml without the workbook type in its groups' shares: the set uses
    no group, and a tree from before the workbook type (the benchmark's ``--baseline``) must be
    able to read it."""
    text = (PROJECT / "network.yaml").read_text(encoding="utf-8").replace("  - workbook\n", "")
    (root / "network.yaml").write_text(text, encoding="utf-8")


def build(root: Path, seed: int = SEED, plan: bool = True) -> Corpus:
    """Draw the set, write the network and the three registers under ``root``; with ``plan``,
    read them back through the importers (``Corpus.records``, ``truth``)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    write_network(root)
    for lib in LIBRARIES:
        (root / "records" / lib).mkdir(parents=True, exist_ok=True)
    drawn = editions(rng)
    seen: Counter[str] = Counter()
    typed: dict[str, list[tuple[Edition, dict[str, Any]]]] = {lib: [] for lib in LIBRARIES}
    corpus = Corpus(root, {e.label: e for e in drawn}, {}, {"XS": "csv", "HD": "xlsx", "ND": "marc"}, variants=seen)
    for e in drawn:
        for lib in e.holders:
            row = spell(rng, e, lib, seen)
            typed[lib].append((e, row))
            corpus.typed[f"{lib}/{e.label}"] = row
    for lib in LIBRARIES:
        rng.shuffle(typed[lib])   # a register is in accession order, not by subject
    corpus.files = {"XS": root / "xs-so-dkcb.csv", "HD": root / "hd-so-dkcb.xlsx", "ND": root / "nd-marc.mrc"}
    write_xs_csv(rng, typed["XS"], corpus.files["XS"])
    write_hd_xlsx(rng, typed["HD"], corpus.files["HD"], seen)
    write_nd_marc(rng, typed["ND"], corpus.files["ND"], seen)
    seen["TCVN3"] += len(typed["XS"])
    if plan:
        load(corpus)
    return corpus


def load(corpus: Corpus) -> None:
    """Plan the import of each register (nothing written): the records and their truth."""
    from libsync.interchange import importer
    from libsync.repository import Repository

    repo = Repository(corpus.root)
    for lib in LIBRARIES:
        kind = "marc" if corpus.formats[lib] == "marc" else "table"
        plan = importer.import_file(repo, str(corpus.files[lib]), kind, importer.Options(library=lib, today=TODAY))
        corpus.plans[lib] = plan
        for record in plan.writes.values():
            labels = {item["barcode"].split("-")[1] for item in record.get("items") or []}
            assert len(labels) == 1, (lib, record.get("title"), labels)   # one edition per planned record
            record = {**record, "share": "network"}
            corpus.records.append(record)
            corpus.truth[f"{lib}/{record['id']}"] = labels.pop()


def evaluate(corpus: Corpus, records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Pairwise precision and recall of the union catalogue on the corpus, and every wrongly
    joined pair with what tells its editions apart."""
    from libsync.catalog.merge import cluster_records

    clustering = cluster_records(records if records is not None else corpus.records)
    tp = found = 0
    wrong: list[dict[str, Any]] = []
    for members in clustering.clusters:
        keys = [clustering.feats[i].key for i in members]
        labels = [corpus.truth[k] for k in keys]
        k = len(members)
        found += k * (k - 1) // 2
        for x in range(k):
            for y in range(x + 1, k):
                if labels[x] == labels[y]:
                    tp += 1
                else:
                    wrong.append({"records": (keys[x], keys[y]), "differ": differences(
                        corpus.editions[labels[x]], corpus.editions[labels[y]])})
    truth = corpus.true_pairs()
    return {"precision": tp / found if found else 1.0, "recall": tp / truth if truth else 1.0, "tp": tp,
            "fp": found - tp, "fn": truth - tp, "wrong": wrong, "clusters": len(clustering.clusters),
            "records": len(clustering.feats), "uncertain": len(clustering.uncertain)}


def differences(a: Edition, b: Edition) -> list[str]:
    """What tells two editions apart, in a cataloguer's words."""
    out = [name for name in ("kind", "volume", "grade", "series", "subject") if getattr(a, name) != getattr(b, name)]
    if a.kind == b.kind == "story" and a.title != b.title:
        from libsync.text import fold

        out.append("tone" if fold(a.title) == fold(b.title) else "title")
    return out
