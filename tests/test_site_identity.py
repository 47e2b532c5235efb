"""The web catalogue's search and issue #14: diacritics typed rank first, recall unchanged, and
a query of thousands of words is capped — in a real browser (Debian's Chromium, Playwright)."""

from __future__ import annotations

import threading
import unicodedata

import pytest
import yaml

from libsync.repository import Repository
from libsync.site import build
from libsync.site.serve import make_server, url_of
from libsync.text import identity_words
from test_site_browser import browser, page, search, titles  # noqa: F401  (fixtures)
from test_site_build import make_network_repo

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("tones")
    root = make_network_repo(base)
    for lib, rid, title in (("XS", "xs-me", "Mẹ"), ("HD", "hd-me", "Mè"), ("ND", "nd-me-den", "Mè đen làm bánh")):
        path = root / "records" / lib / f"{rid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"id": rid, "library": lib, "type": "story", "title": title,
                                        "authors": ["Nguyễn Văn A"], "year": 2020, "share": "public",
                                        "access": "catalog"}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = base / "site"
    build(Repository(root), site, audience="public", term="2024-2025/HK1")
    srv = make_server(site, 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield url_of(srv)
    srv.shutdown()
    srv.server_close()


def test_diacritics_typed_rank_first_and_recall_is_unchanged(page, server):
    page.goto(server + "index.html")
    assert search(page, "mè")[:2] in (["Mè", "Mè đen làm bánh"], ["Mè đen làm bánh", "Mè"])
    assert search(page, "mè")[2] == "Mẹ"
    assert search(page, "Mẹ")[0] == "Mẹ"
    assert search(page, NFD("MẸ"))[0] == "Mẹ"
    assert set(search(page, "me")) >= {"Mẹ", "Mè", "Mè đen làm bánh"}
    assert page.errors == []


def test_javascript_identity_words_match_python(page, server):
    samples = ["Mẹ và Mè", NFD("Hoà bình"), "Hòa bình", "Thuỷ Hử", "Kỹ thuật", "Quý", "Ðịa lý", "Đá, Da & Cá!",
               "Toán 6 — Tập 1", "Straße", "Vật lý 8"]
    page.goto(server + "index.html")
    got = page.evaluate("s => s.map(x => window.LS_SEARCH.ident(x))", samples)
    assert got == [list(identity_words(s)) for s in samples]


def test_a_query_of_thousands_of_words_is_capped_and_says_so(page, server):
    page.goto(server + "index.html")
    query = " ".join(f"tu{n}" for n in range(3000))
    assert search(page, query) == []
    status = page.inner_text("#status")
    assert "32" in status and "2968" in status
    assert page.errors == []
