"""`libsync search`: folded queries, ranking, filters, holdings, and an index rebuilt only on change."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest

from libsync.catalog.search import fts_query, search
from libsync.repository import Repository
from libsync.text import fold


def _save(root, data):
    Repository(root).save(Repository.record_relpath(data["library"], data["id"]), data)


@pytest.fixture
def repo(example_repo):
    root = example_repo
    _save(root, {"id": "zz-vat-li-8", "library": "XS", "type": "reference", "title": "Bài tập Vật lí 8 nâng cao",
                 "authors": ["Nguyễn Đức Thâm"], "curriculum": {"grade": 8, "subject": "Vật lí"}, "share": "network",
                 "items": [{"barcode": "XS-VL-1", "status": "on-loan"}]})
    _save(root, {"id": "zz-vat-ly-8", "library": "ND", "type": "reference", "title": "Bài tập Vật lý 8 nâng cao",
                 "authors": ["Nguyễn Đức Thâm"], "curriculum": {"grade": 8, "subject": "Vật lí"}, "share": "network",
                 "items": [{"barcode": "ND-VL-1", "status": "available"}, {"barcode": "ND-VL-2", "status": "available"}]})
    _save(root, {"id": "zz-tom-tat", "library": "HD", "type": "story", "title": "Chuyện ở làng ven sông",
                 "summary": "Cậu bé mê môn vật lí và những thí nghiệm nhỏ.", "share": "network"})
    return Repository(root)


def test_query_is_folded_like_the_records():
    assert fts_query("Toán 6") == fts_query("toan 6") == fts_query(unicodedata.normalize("NFD", "TOÁN 6"))
    assert fts_query("vật lý") == '"vat" "li"'
    assert fts_query("phieu luu") == '"phieu" "luu"*'
    assert fts_query('"; DROP TABLE') == '"drop" "table"*'


def test_toan_6_finds_toan_6_and_holdings(repo):
    result = search(repo, "toan 6")
    assert result["count"] > 0
    assert all(fold(h["title"]) == "toan 6" for h in result["results"][:3])  # exact titles before "Bài tập Toán 6"
    nfd = search(repo, unicodedata.normalize("NFD", "Toán 6"))
    assert [h["id"] for h in nfd["results"]] == [h["id"] for h in result["results"]]
    for hit in result["results"]:
        assert hit["holdings"] and all({"library", "copies", "available"} <= set(h) for h in hit["holdings"])


def test_i_y_variants_meet_and_title_outranks_summary(repo):
    result = search(repo, "vat ly")
    titles = [h["title"] for h in result["results"]]
    merged = next(h for h in result["results"] if "nâng cao" in h["title"])
    assert {h["library"] for h in merged["holdings"]} == {"XS", "ND"}
    assert titles.index(merged["title"]) < titles.index("Chuyện ở làng ven sông")


def test_filters(repo):
    assert search(repo, "vat li", library="HD")["results"][0]["title"] == "Chuyện ở làng ven sông"
    graded = search(repo, "vat li", grade=8)["results"]
    assert graded and all(h.get("curriculum", {}).get("grade") == 8 for h in graded)
    assert "Bài tập Vật lí 8 nâng cao" in [h["title"] for h in graded]
    def titles(**kw):
        return [h["title"] for h in search(repo, "bai tap vat li", grade=8, limit=100, **kw)["results"]]

    assert "Bài tập Vật lí 8 nâng cao" in titles(library="XS")
    assert "Bài tập Vật lí 8 nâng cao" not in titles(library="XS", available=True)  # XS copy is on loan
    assert "Bài tập Vật lí 8 nâng cao" in titles(library="ND", available=True)
    for hit in search(repo, "toan", type_="textbook", limit=50)["results"]:
        assert hit["type"] == "textbook"
    for hit in search(repo, "", available=True, limit=50)["results"]:
        assert sum(h["available"] for h in hit["holdings"]) > 0
    by_subject = search(repo, "bai tap", subject="vat ly")["results"]
    assert [h["title"] for h in by_subject] == ["Bài tập Vật lí 8 nâng cao"]
    limited = search(repo, "toan", limit=2)
    assert len(limited["results"]) == 2 and limited["count"] > 2


def test_index_is_rebuilt_only_when_records_change(repo):
    assert search(repo, "vat li")["rebuilt"] is True
    assert search(repo, "vat li")["rebuilt"] is False
    _save(repo.root, {"id": "zz-moi", "library": "HD", "type": "story", "title": "Vật lí vui cho thiếu nhi",
                      "share": "network"})
    path = repo.root / "records" / "HD" / "zz-moi.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    again = search(repo, "vat li vui")
    assert again["rebuilt"] is True and again["results"][0]["title"] == "Vật lí vui cho thiếu nhi"
    assert search(repo, "vat li vui")["rebuilt"] is False


def test_search_cli_text_and_json(repo, cli):
    text = cli("--repo", repo.root, "search", "vat ly 8")
    assert text.exit_code == 0
    assert "Bài tập Vật lí 8 nâng cao" in text.stdout and "ND: còn 2/2" in text.stdout
    en = cli("--repo", repo.root, "--lang", "en", "search", "vat ly 8")
    assert "ND: 2/2 free" in en.stdout
    data = json.loads(cli("--repo", repo.root, "search", "vat ly 8", "--format", "json").stdout)
    assert data["audience"] == "network" and data["results"][0]["id"].startswith("c-")
    none = cli("--repo", repo.root, "--lang", "vi", "search", "khong co sach nay xyz")
    assert none.exit_code == 0 and "Không tìm thấy" in none.stdout
    bad = cli("--repo", repo.root, "search", "x", "--library", "QQ")
    assert bad.exit_code == 2 and "QQ" in bad.output
    bad = cli("--repo", repo.root, "search", "x", "--limit", "0")
    assert bad.exit_code == 2
