"""The built web catalogue in a real browser: Debian's Chromium, headless, driven by Playwright.

The site is served on 127.0.0.1 by ``libsync.site.serve`` (and opened from file:// once):
search with and without diacritics, filters, opening a title with the keyboard, the language
switch, a 360-px phone screen, and record text that tries to be HTML or a script.
"""

from __future__ import annotations

import threading
import unicodedata

import pytest
from playwright.sync_api import sync_playwright

from libsync.repository import Repository
from libsync.site import build
from libsync.site.serve import make_server, url_of
from libsync.text import fold
from test_site_build import INTERNAL_TITLE, NETWORK_TITLE, make_network_repo

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    repo = Repository(make_network_repo(base))
    public, network = base / "public", base / "network"
    build(repo, public, audience="public", term="2024-2025/HK1")
    build(repo, network, audience="network", term="2024-2025/HK1")
    return {"public": public, "network": network}


@pytest.fixture(scope="module")
def server(sites):
    srv = make_server(sites["public"], 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield url_of(srv)
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    pg.requests = []
    pg.on("request", lambda req: pg.requests.append(req.url))
    yield pg
    context.close()


def titles(pg) -> list[str]:
    return pg.locator("#results li h3").all_inner_texts()


def search(pg, text: str) -> list[str]:
    pg.fill("#q", text)
    pg.wait_for_function("q => window.LS_LAST && window.LS_LAST.q === q", arg=text)
    return titles(pg)


def test_search_folds_case_and_diacritics(page, server):
    page.goto(server + "index.html")
    assert page.locator("html").get_attribute("lang") == "vi"
    # the title that starts with the query first, although "Bài tập…" comes first in title order
    assert search(page, "toan 6") == ["Toán 6", "Bài tập Toán 6"]
    assert search(page, "TOÁN 6") == ["Toán 6", "Bài tập Toán 6"]
    assert search(page, "bai tap toan") == ["Bài tập Toán 6"]
    assert search(page, "dat rung") == ["Đất rừng phương Nam"]
    assert search(page, unicodedata.normalize("NFD", "Đất Rừng")) == ["Đất rừng phương Nam"]
    assert search(page, "doan gioi") == ["Đất rừng phương Nam"]  # by author
    assert search(page, "phuo nam") == ["Đất rừng phương Nam"]  # a word being typed matches as a beginning
    assert set(search(page, "phuong")) == {"Đất rừng phương Nam", "Tư liệu địa phương Đông Triều"}
    assert search(page, "khong co cuon nao nhu the") == []
    assert "Không tìm thấy" in page.inner_text("#status")
    assert page.errors == []
    # only files of the site itself were requested
    assert all(u.startswith(server) for u in page.requests), page.requests


def test_ranking_title_before_other_fields(page, server):
    page.goto(server + "index.html")
    found = search(page, "truyen")
    # "Truyện cổ tích…" has the word in its title; nothing else outranks it
    assert found[0] == "Truyện cổ tích Việt Nam chọn lọc"


def test_filters(page, server):
    page.goto(server + "index.html")
    page.select_option("#f-type", "story")
    page.wait_for_function("() => window.LS_LAST && window.LS_LAST.n === 1")
    assert titles(page) == ["Đất rừng phương Nam"]
    page.select_option("#f-type", "")
    page.select_option("#f-grade", "8")
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 1")
    assert titles(page) == ["Khoa học tự nhiên 8"]
    page.check("#f-avail")  # its only copy is on loan
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 0")
    page.uncheck("#f-avail")
    page.select_option("#f-grade", "")
    page.select_option("#f-lib", "HD")
    assert set(search(page, "")) == {"Toán 6", "Khoa học tự nhiên 8"}
    page.check("#f-avail")  # HD's Toán 6 copy is on loan too
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 0")
    page.select_option("#f-lib", "XS")
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 1")
    assert titles(page) == ["Toán 6"]
    page.uncheck("#f-avail")
    page.select_option("#f-lib", "")
    page.select_option("#f-subject", "Toán")
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 1")
    assert titles(page) == ["Toán 6"]
    assert "subject=To%C3%A1n" in page.url  # the state lives in the address, so Back restores it
    assert page.errors == []


def test_open_a_title_with_the_keyboard(page, server):
    page.goto(server + "index.html")
    page.focus("#q")
    page.keyboard.type("toan 6")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 2")
    page.keyboard.press("Tab")  # from the search box: the button
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#results') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Toán 6"
    page.keyboard.press("Enter")
    page.wait_for_url("**/title.html#*")
    page.wait_for_function("() => window.LS_TITLE")
    assert page.inner_text("h1") == "Toán 6"
    table = page.inner_text("table.hold")
    assert "Trường THCS Xuân Sơn" in table and "510 T406" in table
    assert "Sẵn có" in table and "Đang luân chuyển" in table
    assert page.inner_text(".access") == "Chỉ xem thông tin thư mục: đến thư viện để mượn hoặc đọc bản in."
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('#results li').length === 2")
    assert page.input_value("#q") == "toan 6"


def test_language_switch_is_remembered(page, server):
    page.goto(server + "index.html")
    assert page.inner_text("#lang-switch") == "English"
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("label[for=f-lib]") == "Library"
    assert page.get_attribute("#q", "placeholder").startswith("Title, author")
    assert search(page, "toan 6") == ["Toán 6", "Bài tập Toán 6"]
    assert page.inner_text("#status") == "2 results found."
    assert "Grade 6" in page.locator("#results li .meta").first.inner_text()
    page.goto(server + "calendar.html")
    assert page.inner_text("h1") == "Rotation calendar"
    assert page.inner_text("#lang-switch") == "Tiếng Việt"
    page.click("#lang-switch")
    assert page.inner_text("h1") == "Lịch luân chuyển tài liệu"
    page.goto(server + "index.html")
    assert page.inner_text("label[for=f-lib]") == "Thư viện"


def test_phone_screen_has_no_sideways_scrolling(browser, server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(server + "index.html")
    search(pg, "toan")
    pages = ["index.html", "calendar.html", "lib/XS.html"]
    href = pg.get_attribute("#results li a", "href")
    pages.append(href)
    for rel in pages:
        pg.goto(server + rel)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (rel, width)
    # the search box and button are big enough to tap
    pg.goto(server + "index.html")
    box = pg.locator("#q").bounding_box()
    assert box["height"] >= 40 and box["width"] >= 200
    context.close()


def test_record_html_shows_as_text(page, server):
    page.goto(server + "index.html")
    found = search(page, "sach dam")
    assert len(found) == 1 and found[0].startswith("<script>window.__pwned = 1</script><img src=x")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#results img").count() == 0
    page.click("#results li a")
    page.wait_for_url("**/title.html#*")
    page.wait_for_function("() => window.LS_TITLE")
    assert page.inner_text("h1").endswith("Sách <b>đậm</b>")
    assert page.title().startswith("<script>")
    assert page.locator("main img").count() == 0 and page.locator("main b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.errors == []


def test_labels_for_screen_readers(page, server):
    page.goto(server + "index.html")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, button')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.id)""")
    assert unlabelled == []
    assert page.get_attribute("#status", "role") == "status"
    assert page.locator("nav[aria-label]").count() == 1
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"


def test_library_page_links_to_filtered_search(page, server):
    page.goto(server + "lib/ND.html")
    assert page.inner_text("h1") == "Trường THCS Nguyễn Du"
    page.click("a.button")
    page.wait_for_url("**/index.html#lib=ND")
    page.wait_for_function("() => window.LS_SEARCH && window.LS_LAST && window.LS_LAST.n > 0")
    assert page.input_value("#f-lib") == "ND"
    assert "Đất rừng phương Nam" in titles(page)


def test_works_from_a_folder_over_file_url(page, sites):
    page.goto((sites["network"] / "index.html").as_uri())
    assert search(page, "tap huan") == [NETWORK_TITLE]
    assert search(page, "so tay nghiep vu") == []  # internal: not in the network catalogue
    page.goto((sites["network"] / "calendar.html").as_uri())
    assert "Toán 6" in page.inner_text("main")
    assert INTERNAL_TITLE not in page.content()
    assert page.errors == []


def test_title_page_download_link_and_language(page, server):
    page.goto(server + "index.html")
    search(page, "co tich")
    page.click("#results li a")
    page.wait_for_function("() => window.LS_TITLE")
    link = page.locator("main a.button")
    assert link.inner_text() == "Tải về" and link.get_attribute("href").endswith("truyen-co-tich.pdf")
    assert "Tiếng Việt" in page.inner_text("dl.facts")
    page.click("#lang-switch")
    assert link.inner_text() == "Download" and page.inner_text(".access") == "Downloadable."
    assert "Vietnamese" in page.inner_text("dl.facts")
    page.goto(server + "title.html#c-khong-co")
    page.wait_for_function("() => document.querySelector('#title .status') && !document.querySelector('#title .status').dataset.i18n")
    assert "not in the catalogue" in page.inner_text("#title")


def test_javascript_fold_matches_python_fold(page, server):
    samples = ["Toán 6", "ĐẤT RỪNG PHƯƠNG NAM", unicodedata.normalize("NFD", "Tiếng Việt 7, tập 2"),
               "Lịch sử & Địa lí: lớp 8!", "  Dế  Mèn phiêu lưu ký  ", "Ngữ văn 9 — Cánh Diều", "Straße",
               "Mĩ thuật/Mỹ thuật", "ISBN 978-604-0-25363-4", "Ðoàn (Ð hoa kiểu Iceland)", "snake_case_word"]
    page.goto(server + "index.html")
    folded = page.evaluate("s => s.map(x => window.LS.fold(x))", samples)
    assert folded == [fold(s) for s in samples]
