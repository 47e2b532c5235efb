"""Audiences: no internal record, and no field of one, reaches another audience's output —
not the union catalogue, not its ids or holdings, not the search index on disk."""

from __future__ import annotations

import json

import pytest

from libsync.catalog import build_union
from libsync.catalog.index import ensure_index
from libsync.catalog.search import search
from libsync.repository import Repository
from libsync.text import fold

SECRET_WORDS = ("Quokka", "Zebrafish", "Mật-nội-bộ-7731")


def _save(root, data):
    Repository(root).save(Repository.record_relpath(data["library"], data["id"]), data)


@pytest.fixture
def repo(example_repo):
    root = example_repo
    # an internal record of HD sharing its ISBN with a network record of XS
    _save(root, {"id": "zz-shared", "library": "XS", "type": "reference", "title": "Atlat Địa lí Việt Nam",
                 "publisher": "NXB Giáo dục Việt Nam", "year": 2023, "isbn": "978-604-0-24710-0", "share": "network",
                 "notes": "Ghi chú riêng của XS 4455", "items": [{"barcode": "XS-AT-1", "status": "available",
                                                                  "price": 987654, "register_no": "SĐK-XS-31337"}]})
    _save(root, {"id": "zz-shared-hd", "library": "HD", "type": "reference", "title": "Atlat Địa lý Việt Nam",
                 "subtitle": "Bản Quokka nội bộ", "year": 2023, "isbn": "9786040247100", "share": "internal",
                 "summary": "Zebrafish — Mật-nội-bộ-7731", "call_number": "912 QUOKKA",
                 "items": [{"barcode": "HD-AT-1", "status": "available"}, {"barcode": "HD-AT-2", "status": "available"}]})
    # an internal record of HD that exists nowhere else
    _save(root, {"id": "zz-ky-yeu-quokka", "library": "HD", "type": "other", "title": "Kỷ yếu Quokka Zebrafish",
                 "authors": ["Mật-nội-bộ-7731"], "keywords": ["Quokka"], "share": "internal",
                 "items": [{"barcode": "HD-KY-1", "status": "available"}]})
    # public / network records with digital access levels
    _save(root, {"id": "zz-doc", "library": "ND", "type": "digital", "title": "Truyện Kiều (bản số đọc tại chỗ)",
                 "authors": ["Nguyễn Du"], "share": "public", "access": "read",
                 "digital": {"url": "https://thuvien.example/kieu-doc.pdf", "format": "pdf"}})
    _save(root, {"id": "zz-tai", "library": "ND", "type": "digital", "title": "Lục Vân Tiên (bản số tải về)",
                 "authors": ["Nguyễn Đình Chiểu"], "share": "public", "access": "download",
                 "digital": {"url": "https://thuvien.example/lvt.pdf", "format": "pdf"}})
    return Repository(root)


def _leaks(text: str) -> list[str]:
    folded = fold(text)
    return [w for w in SECRET_WORDS if w in text or fold(w) in folded] + \
        [w for w in ("zz-shared-hd", "zz-ky-yeu-quokka", "912 QUOKKA") if w in text]


@pytest.mark.parametrize("audience", ["public", "network", "XS", "ND"])
def test_internal_record_never_leaks_into_other_audiences(repo, audience):
    union = build_union(repo, audience)
    text = json.dumps(union, ensure_ascii=False)
    assert _leaks(text) == []
    cluster = next((c for c in union["clusters"] if any(m["record"] == "zz-shared" for m in c["members"])), None)
    if audience == "public":
        assert cluster is None  # zz-shared is network-only
    else:
        assert [h["library"] for h in cluster["holdings"]] == ["XS"]
        assert cluster["members"] == [{"library": "XS", "record": "zz-shared"}]


def test_cluster_id_does_not_depend_on_invisible_records(repo):
    network = build_union(repo, "network")
    (repo.root / "records" / "HD" / "zz-shared-hd.yaml").unlink()
    (repo.root / "records" / "HD" / "zz-ky-yeu-quokka.yaml").unlink()
    without = build_union(Repository(repo.root), "network")
    assert json.dumps(network, ensure_ascii=False) == json.dumps(without, ensure_ascii=False)


def test_owning_library_sees_its_internal_records(repo):
    union = build_union(repo, "HD")
    cluster = next(c for c in union["clusters"] if any(m["record"] == "zz-shared" for m in c["members"]))
    assert {m["library"] for m in cluster["members"]} == {"HD", "XS"}
    assert [h["copies"] for h in cluster["holdings"]] == [2, 1]
    assert any(c["title"] == "Kỷ yếu Quokka Zebrafish" for c in union["clusters"])


def test_private_fields_and_links_follow_access_levels(repo):
    union = build_union(repo, "network")
    text = json.dumps(union, ensure_ascii=False)
    for private in ("987654", "SĐK-XS-31337", "Ghi chú riêng của XS 4455"):
        assert private not in text
    by_title = {c["title"]: c for c in union["clusters"]}
    read = by_title["Truyện Kiều (bản số đọc tại chỗ)"]
    assert read["access"] == "read" and "url" not in read["digital"] and read["digital"]["format"] == "pdf"
    down = by_title["Lục Vân Tiên (bản số tải về)"]
    assert down["access"] == "download" and down["digital"]["url"] == "https://thuvien.example/lvt.pdf"


def test_public_output_holds_only_public_records(repo):
    shares = {(r["library"], r["id"]): r.get("share", "internal") for r in repo.records()}
    union = build_union(repo, "public")
    members = [(m["library"], m["record"]) for c in union["clusters"] for m in c["members"]]
    assert members and all(shares[m] == "public" for m in members)
    for pair in union["uncertain"] + union["conflicts"]:
        for ref in pair["records"]:
            lib, rid = ref.split("/", 1)
            assert shares[(lib, rid)] == "public"


@pytest.mark.parametrize("audience", ["public", "network", "XS"])
def test_search_index_on_disk_holds_nothing_internal(repo, audience):
    path, _ = ensure_index(repo, audience)
    raw = path.read_bytes().decode("utf-8", errors="replace")
    assert _leaks(raw) == []
    assert search(repo, "quokka", audience)["count"] == 0
    hits = search(repo, "atlat", audience, library="HD", limit=100)["results"]
    assert all(m["record"] != "zz-shared-hd" for h in hits for m in h["members"])


def test_search_finds_internal_record_for_its_own_library(repo, cli):
    own = search(repo, "quokka", "HD")
    assert sorted(h["title"] for h in own["results"]) == ["Atlat Địa lý Việt Nam", "Kỷ yếu Quokka Zebrafish"]
    result = cli("--repo", repo.root, "search", "quokka", "--audience", "network", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["count"] == 0
    result = cli("--repo", repo.root, "merge", "--audience", "public", "--format", "json")
    assert _leaks(result.stdout) == []


def test_intake_and_removal_papers_stay_in_their_library():
    """A copy's intake (document, supplier or donor, register line) and removal (decision, reason)
    are the library's paperwork: redacted for every other audience, as prices are."""
    from libsync.audience import redact

    record = {"id": "x", "library": "HD", "share": "public", "title": "Mắt biếc", "items": [
        {"barcode": "HD-1", "status": "withdrawn", "price": 45000, "status_reason": "donated",
         "intake": {"source": "tang", "document": "BB tặng 03/2024", "supplier": "Nguyễn Văn Phụ huynh", "line": 11},
         "removal": {"date": "2025-06-01", "reason": "damaged", "decision": "Số 12/QĐ-THCS"}}]}
    for audience in ("public", "network", "XS"):
        text = json.dumps(redact(record, audience), ensure_ascii=False)
        for private in ("Nguyễn Văn Phụ huynh", "BB tặng", "12/QĐ", "donated", "45000"):
            assert private not in text, (audience, private)
    assert redact(record, "HD") is record
