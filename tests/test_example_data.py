"""The embedded example network (records/, exchanges/, rotation batches) stays whole and honest.

These tests read the project's own data (never write it); the one CLI run works on a copy.
They pin the properties other modules and the documentation rely on: every file canonical
and schema-valid, barcodes unique, identifiers with correct check digits, Decree 93/2020
Art. 28 fields on everything shared, the October 2024 round robin consistent with the copies'
states, and the deliberate cataloguing variants the union catalogue must absorb.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import unicodedata
from pathlib import Path

import jsonschema
import pytest

from libsync import schemas, yamlio
from libsync.network import parse_date
from libsync.repository import Repository
from libsync.rotation.batches import record_matches
from libsync.text import fold
from libsync.text.identifiers import compact_isbn, isbn13, isbn_valid, issn_valid

PROJECT = Path(__file__).resolve().parent.parent
LIBS = ("XS", "HD", "ND")
CATEGORY = {"textbook": "GK", "teacher-book": "GV", "reference": "TK", "story": "TN", "periodical": "BC",
            "picture": "TR", "digital": "SO", "other": "KH"}
TERMINAL = ("closed", "cancelled")
AWAY = ("dispatched", "received")


@pytest.fixture(scope="module")
def repo() -> Repository:
    return Repository(PROJECT)


@pytest.fixture(scope="module")
def records(repo) -> dict[str, dict]:
    return {rel: repo.load(rel) for rel in repo.record_files()}


@pytest.fixture(scope="module")
def exchanges(repo) -> dict[str, dict]:
    return {rel: repo.load(rel) for rel in repo.data_files(("exchange",))}


@pytest.fixture(scope="module")
def copies(records) -> dict[str, tuple[dict, dict]]:
    found = {}
    for rec in records.values():
        for item in rec.get("items", []):
            found[item["barcode"]] = (rec, item)
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# --- files -----------------------------------------------------------------------------------

def test_every_data_file_loads_cleanly_is_schema_valid_and_canonical(repo):
    files = [f for f in repo.data_files() if f.startswith(("records/", "exchanges/"))] + ["network.yaml"]
    assert len(files) > 200
    for rel in files:
        loaded = yamlio.load_file(PROJECT / rel, rel)
        assert loaded.problems == [], (rel, loaded.problems)
        kind = schemas.kind_of(rel)
        errors = list(jsonschema.Draft202012Validator(schemas.load_schema(kind)).iter_errors(loaded.data))
        assert errors == [], (rel, [e.message for e in errors])
        assert yamlio.dump(loaded.data, schemas.load_schema(kind)) == loaded.text, f"{rel} is not canonical"
        assert all(unicodedata.is_normalized("NFC", s) for s in _strings(loaded.data)), rel


def test_record_files_are_where_their_content_says(records):
    for rel, rec in records.items():
        _, lib, name = rel.split("/")
        assert rec["library"] == lib and lib in LIBS, rel
        assert name == f"{rec['id']}.yaml", rel
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", rec["id"]), rec["id"]
        assert rec["id"].startswith(lib.lower() + "-"), rec["id"]


def test_counts_per_library_and_type(records):
    counts = collections.Counter((r["library"], r["type"]) for r in records.values())
    assert len(records) >= 170
    for lib in LIBS:
        per_lib = sum(n for (l, _), n in counts.items() if l == lib)
        assert per_lib >= 50, (lib, per_lib)
        for rtype in ("textbook", "teacher-book", "reference", "story", "periodical", "picture", "digital"):
            assert counts[(lib, rtype)] >= 1, (lib, rtype)
    assert sum(n for (_, t), n in counts.items() if t == "textbook") >= 80


# --- copies ----------------------------------------------------------------------------------

def test_barcodes_unique_prefixed_by_library_and_category(records):
    seen = {}
    for rel, rec in records.items():
        items = rec.get("items", [])
        assert 1 <= len(items) <= 6, rel
        for item in items:
            code = item["barcode"]
            assert code not in seen, f"{code} in {rel} and {seen[code]}"
            seen[code] = rel
            assert re.fullmatch(rf"{rec['library']}-{CATEGORY[rec['type']]}-\d{{5}}", code), (rel, code)
    assert len(seen) > 450


def test_copy_statuses_are_mostly_available_and_explained(records):
    statuses = collections.Counter()
    for rel, rec in records.items():
        for item in rec["items"]:
            statuses[item["status"]] += 1
            if item["status"] != "available":
                assert item.get("status_date") and item.get("status_ref"), (rel, item["barcode"])
            if item.get("acquired"):
                assert parse_date(item["acquired"]) <= dt.date(2024, 10, 10), (rel, item["barcode"])
    total = sum(statuses.values())
    assert statuses["available"] / total > 0.7
    for status in ("on-loan", "damaged", "lost", "withdrawn", "at-partner", "in-transit"):
        assert statuses[status] >= 1, status


# --- bibliographic content ---------------------------------------------------------------------

def test_isbn_and_issn_check_digits(records):
    with_isbn = 0
    for rel, rec in records.items():
        if "isbn" in rec:
            with_isbn += 1
            assert isbn_valid(rec["isbn"]), (rel, rec["isbn"])
        if "issn" in rec:
            assert issn_valid(rec["issn"]), (rel, rec["issn"])
        if rec["type"] == "periodical":
            assert "issn" in rec and "isbn" not in rec, rel
    assert with_isbn > 150


def test_shared_records_carry_decree_93_article_28_fields(records):
    shared = [r for r in records.values() if r.get("share") in ("network", "public")]
    assert len(shared) > 180
    for rec in shared:
        where = f"{rec['library']}/{rec['id']}"
        assert rec.get("title"), where
        if rec["type"] not in ("periodical", "picture"):
            assert rec.get("authors"), where
        assert rec.get("publisher") and rec.get("year"), where
        assert rec.get("subjects") or rec.get("keywords"), where
        assert rec.get("call_number"), where
        assert all(item.get("barcode") for item in rec["items"]), where


def test_textbooks_follow_gdpt_2018(records):
    series_seen = collections.Counter()
    for rec in records.values():
        if rec["type"] not in ("textbook", "teacher-book"):
            continue
        cur = rec["curriculum"]
        assert cur["program"] == "GDPT2018" and 6 <= cur["grade"] <= 9, rec["id"]
        assert str(cur["grade"]) in rec["title"], rec["id"]
        series_seen[cur["series"]] += 1
        if cur["series"] == "Cánh Diều":
            assert rec["publisher"].startswith("Nhà xuất bản Đại học Sư phạm"), rec["id"]
        elif cur["series"] in ("Kết nối tri thức với cuộc sống", "Chân trời sáng tạo"):
            assert "Giáo dục Việt Nam" in rec["publisher"], rec["id"]
        if cur["subject"] in ("Toán", "Ngữ văn") and rec["type"] == "textbook":
            assert rec.get("volume") in ("Tập 1", "Tập 2"), rec["id"]
        assert all(isinstance(i.get("price"), int) and i["price"] > 0 for i in rec["items"]), rec["id"]
    for series in ("Kết nối tri thức với cuộc sống", "Chân trời sáng tạo", "Cánh Diều", "Global Success"):
        assert series_seen[series] >= 3, series


def test_same_edition_appears_in_several_libraries(records):
    by_isbn = collections.defaultdict(set)
    for rec in records.values():
        if rec.get("isbn"):
            by_isbn[isbn13(rec["isbn"])].add(rec["library"])
    shared = [k for k, libs in by_isbn.items() if len(libs) >= 2]
    assert len(shared) >= 15
    assert any(len(libs) == 3 for libs in by_isbn.values())


def test_the_messy_variants_a_merger_must_handle_are_present(records):
    """Pinned on purpose: the union catalogue's tests and demos rely on these variants."""
    by_id = {(r["library"], r["id"]): r for r in records.values()}
    # ISBN-10 in one library, the ISBN-13 of the same book in another
    hd = by_id[("HD", "hd-truyen-tuoi-tho-1")]["isbn"]
    assert len(compact_isbn(hd)) == 10 and isbn13(hd) == isbn13(by_id[("XS", "xs-truyen-tuoi-tho-1")]["isbn"])
    # ISBN typed with spaces
    nd = by_id[("ND", "nd-truyen-de-men")]["isbn"]
    assert " " in nd and isbn13(nd) == isbn13(by_id[("XS", "xs-truyen-de-men")]["isbn"])
    # spelling variants that folding does not remove (lí/lý, Mĩ/Mỹ, kí/ký) and a Telex typo that folding keeps
    assert by_id[("HD", "hd-ls-dl-7-kntt")]["title"] == "Lịch sử và Địa lý 7"
    assert by_id[("XS", "xs-ls-dl-7-kntt")]["title"] == "Lịch sử và Địa lí 7"
    assert by_id[("HD", "hd-tk-atlat")]["title"] == "Atlat Địa lý Việt Nam"
    assert by_id[("ND", "nd-tk-so-tay-vat-li")]["title"].endswith("Vật lý THCS")
    assert by_id[("XS", "xs-tk-so-tay-vat-li")]["title"].endswith("Vật lí THCS")
    assert by_id[("HD", "hd-truyen-de-men")]["title"] == "Dế Mèn phiêu lưu kí"
    assert fold(by_id[("HD", "hd-truyen-ve-tuoi-tho")]["title"]) != fold(by_id[("XS", "xs-truyen-ve-tuoi-tho")]["title"])
    # the same title with and without ISBN
    assert "isbn" not in by_id[("ND", "nd-toan-6-kntt-t2")] and "isbn" in by_id[("XS", "xs-toan-6-kntt-t2")]
    assert "isbn" not in by_id[("ND", "nd-tk-tu-dien-tv")] and "isbn" in by_id[("XS", "xs-tk-tu-dien-tv")]
    # volumes, grades and series that must stay apart
    t1, t2 = by_id[("XS", "xs-toan-6-kntt-t1")], by_id[("XS", "xs-toan-6-kntt-t2")]
    assert t1["title"] == t2["title"] and t1["volume"] != t2["volume"] and t1["isbn"] != t2["isbn"]
    ctst = by_id[("ND", "nd-toan-6-ctst-t1")]
    assert ctst["title"] == t1["title"] and ctst["curriculum"]["series"] != t1["curriculum"]["series"]


def test_sharing_levels_are_mixed(records):
    share = collections.Counter(r.get("share") for r in records.values())
    access = collections.Counter(r.get("access") for r in records.values())
    assert share["internal"] >= 3 and share["network"] >= 50 and share["public"] >= 20
    assert access["read"] >= 2 and access["download"] >= 2
    for rec in records.values():
        if rec["type"] == "digital":
            url = rec["digital"]["url"]
            assert rec["digital"].get("licence") and rec["digital"].get("format"), rec["id"]
            if url.startswith("files/"):
                path = PROJECT / url
                assert path.is_file(), url
                assert rec["digital"]["size"] == path.stat().st_size, url


# --- rotation ----------------------------------------------------------------------------------

def test_batches_two_to_four_per_library_and_non_empty(repo, records):
    batches = repo.network.batches
    per_lib = collections.Counter(b["library"] for b in batches)
    assert all(2 <= per_lib[lib] <= 4 for lib in LIBS), per_lib
    assert len({b["id"] for b in batches}) == len(batches)
    for batch in batches:
        assert repo.network.group(batch["group"]) is not None, batch["id"]
        own = [r for r in records.values() if r["library"] == batch["library"]]
        flt = batch["filter"]
        if flt.get("barcodes"):
            matched = [i for r in own for i in r["items"] if i["barcode"] in flt["barcodes"]]
            assert len(matched) == len(flt["barcodes"]), batch["id"]
        else:
            matched = [r for r in own if record_matches(r, flt)]
        assert matched, batch["id"]


def test_october_2024_round_robin(repo, exchanges):
    pairs = {(e["from"], e["to"]): e for e in exchanges.values()}
    assert {("XS", "HD"), ("XS", "ND"), ("HD", "XS"), ("ND", "XS")} <= set(pairs)
    assert {e["status"] for e in exchanges.values()} >= {"received", "dispatched", "approved", "proposed"}
    network = repo.network
    blackout = min(b.start for b in network.term("2024-2025/HK1").blackouts)
    for rel, ex in exchanges.items():
        term = network.term(ex["term"])
        assert rel == f"exchanges/{ex['term']}/{ex['id']}.yaml"
        handover, due = parse_date(ex["planned"]["handover"]), parse_date(ex["planned"]["return_due"])
        assert handover.month == 10 and handover.year == 2024, rel
        assert network.is_school_day(handover, term) and network.is_school_day(due, term), rel
        assert handover <= due < blackout, rel
        assert (due - handover).days <= network.max_stay_days
        dates = [parse_date(h["date"]) for h in ex["history"]]
        assert dates == sorted(dates) and dates[-1] <= handover + dt.timedelta(days=3), rel
        assert ex["history"][-1]["status"] == ex["status"], rel
        assert ex["people"]["sender"]["name"] and ex["people"]["receiver"]["position"], rel
        assert ex["batch"] in {b["id"] for b in network.batches}, rel


def test_manifest_copies_match_the_copies_states(repo, exchanges, copies):
    batches = {b["id"]: b for b in repo.network.batches}
    away = {}
    active = collections.defaultdict(list)
    for rel, ex in exchanges.items():
        assert ex["copies"], rel
        batch = batches[ex["batch"]]
        for c in ex["copies"]:
            rec, item = copies[c["barcode"]]
            assert rec["library"] == ex["from"] and rec["id"] == c["record"], (rel, c)
            assert record_matches(rec, batch["filter"]) or c["barcode"] in batch["filter"].get("barcodes", []), (rel, c)
            if ex["status"] not in TERMINAL:
                active[c["barcode"]].append(ex["id"])
            if ex["status"] in AWAY:
                assert item["status"] in ("at-partner", "in-transit"), (rel, c)
                assert item.get("holder") == ex["to"] and item.get("status_ref") == ex["id"], (rel, c)
                away[c["barcode"]] = ex["id"]
            else:
                assert item["status"] == "available" and item.get("holder") in (None, rec["library"]), (rel, c)
    assert all(len(ids) == 1 for ids in active.values()), {k: v for k, v in active.items() if len(v) > 1}
    # no copy is away from home without a manifest saying so
    for code, (rec, item) in copies.items():
        if item.get("holder") not in (None, rec["library"]) or item["status"] in ("at-partner", "in-transit"):
            assert code in away, code


def test_validate_command_passes_clean_on_a_copy(example_repo, cli):
    result = cli("--repo", example_repo, "validate")
    assert result.exit_code == 0, result.output
    assert "không có lỗi" in result.output
