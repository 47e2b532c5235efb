"""The fast MARC path (own splitting, no pymarc objects) gives exactly what the pymarc path gives:
for good records, for every kind of damage, and for thousands of randomly damaged records."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from libsync.interchange import importer, marc
from libsync.text import fold
from test_interchange_fixtures import SAMPLES, vn_marc_bytes
from test_interchange_marc import build_iso2709


def read_both(data: bytes, encoding: str | None = None):
    """``read_marc`` with the fast path on and off (serial both times), as comparable lists."""
    out = []
    saved = marc.FAST, marc.PARALLEL_MIN
    try:
        marc.PARALLEL_MIN = 10**9
        for fast in (True, False):
            marc.FAST = fast
            result = marc.read_marc(data, "x.mrc", encoding)
            out.append(([(i.position, i.where, i.record, i.error, i.warnings) for i in result.items],
                        result.encodings))
    finally:
        marc.FAST, marc.PARALLEL_MIN = saved
    return out


def reorder_directory(record: bytes) -> bytes:
    """The same record with its directory entries in reverse order (fields not stored in directory order)."""
    base = int(record[12:17])
    directory = record[24:base - 1]
    entries = [directory[i:i + 12] for i in range(0, len(directory), 12)]
    return record[:24] + b"".join(reversed(entries)) + record[base - 1:]


def records_bytes(n: int) -> bytes:
    """Records shaped like the benchmark's (two copies each, most mapped fields), written by us."""
    out = b""
    for i in range(n):
        record = {"id": f"r{i}", "library": "ND", "type": "reference", "title": f"Tiếng Việt {i} — tập {i % 3}",
                  "subtitle": "sách tham khảo", "authors": ["Nguyễn Văn Thành", "Đỗ Quang Huy"],
                  "publisher": "Giáo dục Việt Nam", "place": "Hà Nội", "year": 2000 + i, "language": "vie",
                  "pages": 100 + i, "classification": {"ddc": "495.922"}, "call_number": f"495 T{i}",
                  "subjects": ["Tiếng Việt -- Ngữ pháp"], "keywords": ["THCS"], "share": "network",
                  "items": [{"barcode": f"ND-{i}-{c}", "status": "available", "location": "Kho mở",
                             "price": 45000, "acquired": "2024-09-05"} for c in range(2)]}
        out += b"".join(marc.as_iso2709(part) for part in marc.record_to_marc(record))
    return out


def sources() -> list[bytes]:
    files = [p.read_bytes() for p in sorted(SAMPLES.iterdir()) if p.suffix in (".mrc", ".dat")]
    return files + [vn_marc_bytes(True), vn_marc_bytes(False), records_bytes(40)]


def test_fast_path_is_taken_for_good_utf8_records():
    chunks = [chunk for _, _, chunk, _ in marc.frames(vn_marc_bytes(True))]
    decoded = [marc.fast_decode(chunk) for chunk in chunks]
    assert all(d is not None for d in decoded)
    assert [used for _, used in decoded] == ["utf-8"] * 3
    unflagged = [marc.fast_decode(chunk) for _, _, chunk, _ in marc.frames(vn_marc_bytes(False))]
    assert [used for _, used in unflagged] == ["utf-8-unflagged"] * 3
    record = decoded[1][0]
    assert record.get("245").get("a").startswith("Đất rừng phương Nam")
    assert record.get("245").indicator1 == "1" and record.get("001").data == "VN0002"


def test_marc8_and_damaged_records_leave_the_fast_path():
    marc8 = build_iso2709([("001", b"M8"), ("245", b"10\x1faTi\xe3\xe2eng Vi\xf2\xe3et")])
    assert marc.fast_decode(marc8[:-1]) is None
    good = build_iso2709([("001", b"A"), ("245", "10\x1faSách hay".encode())], b"a")
    assert marc.fast_decode(good[:-1]) is not None
    assert marc.fast_decode(good[:-1], "marc-8") is None
    one_indicator = build_iso2709([("001", b"A"), ("245", "1\x1faSách".encode())], b"a")
    assert marc.fast_decode(one_indicator[:-1]) is None


def test_same_result_on_every_sample_and_encoding_choice():
    for data in sources():
        for encoding in (None, "utf-8", "marc-8"):
            fast, slow = read_both(data, encoding)
            assert fast == slow


def test_directory_out_of_storage_order_takes_the_field_by_field_path():
    data = vn_marc_bytes(True)
    chunks = [chunk + b"\x1d" for _, _, chunk, _ in marc.frames(data)]
    shuffled = b"".join(reorder_directory(c) for c in chunks)
    assert marc.fast_decode(reorder_directory(chunks[0])[:-1]) is not None
    fast, slow = read_both(shuffled)
    assert fast == slow
    assert fast[0][1][2]["title"] == "Đất rừng phương Nam"


def test_randomly_damaged_records_get_the_same_records_and_reasons():
    rng = random.Random(20240905)
    damage = [0x1F, 0x1E, 0x1D, 0x1B, 0x20, 0x30, 0x39, 0xC3, 0xA1, 0xE1, 0xFF, 0x00]
    compared = 0
    reasons = set()
    for data in sources():
        for _ in range(150):
            broken = bytearray(data[:3000])
            for _ in range(rng.choice((1, 1, 2, 3))):
                at = rng.randrange(len(broken))
                broken[at] = rng.choice(damage + [rng.randrange(256)])
            fast, slow = read_both(bytes(broken))
            assert fast == slow, bytes(broken)[:200]
            reasons.update(item[3][0] for item in fast[0] if item[3])
            compared += 1
    assert compared == 150 * len(sources())
    # the damage really reached the broken-record reasons, not only harmless bytes
    assert {"interchange.marc.bad_directory", "interchange.marc.bad_utf8"} <= reasons


OLD_TRAILING = re.compile(r"[\s/:;,=]+$")
OLD_SPACES = re.compile(r"\s+")


def old_clean(value):
    if value is None:
        return None
    text = OLD_SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    text = OLD_TRAILING.sub("", text)
    if text.endswith(".") and not text.endswith("..") and not re.search(r"(?:^|\s)\w\.$", text):
        text = text[:-1].rstrip()
    return text or None


@pytest.mark.parametrize("value", [
    "Toán 6 :", "Hà Nội :", "Giáo dục Việt Nam,", "2021.", "Nguyễn Văn A.", "Tập 1 /", "  Kho\u00a0mở  ",
    unicodedata.normalize("NFD", "Đất rừng phương Nam ."), "Ban biên tập ;  =", "...", "A. B.", " . ", "",
    "Truyện\u2003cổ tích\u3000Việt Nam / ", "x =\t", "Văn học thiếu nhi -- ", None,
])
def test_clean_keeps_its_meaning(value):
    assert marc.clean(value) == old_clean(value)
    assert marc.clean(value) == old_clean(value)  # the remembered answer too


def test_remembered_fold_is_libsync_fold():
    for text in ("Toán 6", unicodedata.normalize("NFD", "Đất rừng phương Nam"), "TIẾNG VIỆT", "", None):
        assert importer._fold(text) == fold(text)


def test_iso2709_writer_gives_pymarcs_bytes(example_repo):
    from libsync.repository import Repository

    records = Repository(example_repo).records()
    big = {"id": "nhieu-ban", "library": "ND", "title": "Tuyển tập truyện ngắn", "type": "story",
           "items": [{"barcode": f"ND-{i:05d}", "status": "available", "location": "Kho đóng",
                      "note": "đã dán nhãn mới " * 4} for i in range(1500)]}
    assert len(records) > 10
    for record in records + [big]:
        ours = marc.record_to_iso2709(record)
        assert ours == [marc.as_iso2709(part) for part in marc.record_to_marc(record)]
    assert len(marc.record_to_iso2709(big)) > 1 and all(len(p) <= 99_999 for p in marc.record_to_iso2709(big))
    # and what we write reads back to the same record fields
    back = marc.read_marc(b"".join(marc.record_to_iso2709(records[0])), "x.mrc").items[0].record
    assert back["title"] == records[0]["title"]


def test_planning_leaves_the_read_records_as_they_were(example_repo):
    import copy

    from libsync.repository import Repository

    repo = Repository(example_repo)
    read = marc.read_marc(vn_marc_bytes(False) + records_bytes(5), "vn.mrc")
    before = copy.deepcopy([item.record for item in read.items])
    options = importer.Options(library="ND", today="2024-09-05")
    first = importer.plan_import(repo, read, options)
    assert [item.record for item in read.items] == before
    second = importer.plan_import(repo, read, options)
    assert first.writes == second.writes and first.counts == second.counts
    assert first.counts["updated"] == 1 and first.counts["created"] == 7
    assert "biểu ghi số 1" in first.outcomes[0].location


def test_lazy_parallel_read_plans_exactly_like_the_eager_serial_one(example_repo, tmp_path, monkeypatch):
    from libsync.repository import Repository

    good = records_bytes(60)
    broken = bytearray(vn_marc_bytes(True))
    broken[30:33] = b"x!y"                       # one damaged directory among them
    source = tmp_path / "mixed.mrc"
    source.write_bytes(good + bytes(broken) + vn_marc_bytes(False))
    repo = Repository(example_repo)
    options = importer.Options(library="ND", today="2024-09-05")
    monkeypatch.setattr(marc, "PARALLEL_MIN", 10**9)
    eager = importer.plan_import(repo, marc.read_marc(source.read_bytes(), str(source)), options)
    monkeypatch.setattr(marc, "PARALLEL_MIN", 20)   # two worker processes, records handed over as mapped
    lazy_read = marc.read_marc(source.read_bytes(), str(source), lazy=True)
    assert not isinstance(lazy_read.items, list)
    lazy = importer.import_file(repo, str(source), "marc", options)
    assert lazy.writes == eager.writes
    assert [o.to_dict() for o in lazy.outcomes] == [o.to_dict() for o in eager.outcomes]
    assert lazy.encodings == eager.encodings == {"utf-8": 62, "utf-8-unflagged": 3}  # the broken one has none
    assert lazy.counts["rejected"] == 1 and lazy.total == 66
