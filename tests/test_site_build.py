"""libsync site build: files, audiences (nothing leaks), escaping, calendar, CLI, atomic output."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from libsync.cli import create_app
from libsync.repository import Repository
from libsync.site import build, choose_term
from libsync.text import fold

PROJECT = Path(__file__).resolve().parents[1]

INTERNAL_TITLE = "Sổ tay nghiệp vụ nội bộ Xuân Sơn"
INTERNAL_BARCODE = "XSNB-SECRET-0001"
NETWORK_TITLE = "Tài liệu tập huấn giáo viên cụm Hưng Đạo"
NETWORK_BARCODE = "HDNET-0042"
XSS_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> Sách <b>đậm</b>'
READ_ONLY_URL = "https://thuvien.example.edu.vn/doc-tai-cho-khong-tai.pdf"
DOWNLOAD_URL = "https://thuvien.example.edu.vn/truyen-co-tich.pdf"


def _record(lib, rid, title, type_="reference", share="public", items=(), **more):
    data = {"id": rid, "library": lib, "type": type_, "title": title, **more, "share": share}
    data["items"] = [dict(i) for i in items]
    return data


def example_records() -> list[dict]:
    nfd_title = unicodedata.normalize("NFD", "Đất rừng phương Nam")
    return [
        _record("XS", "toan-6-t1", "Toán 6", "textbook", isbn="978-604-0-25363-4", volume="1", year=2021,
                authors=["Hà Huy Khoái"], publisher="Nhà xuất bản Giáo dục Việt Nam", call_number="510 T406",
                curriculum={"program": "GDPT2018", "grade": 6, "subject": "Toán", "series": "Kết nối tri thức với cuộc sống"},
                items=[{"barcode": "XS-T6-0001", "status": "available"}, {"barcode": "XS-T6-0002", "status": "available"},
                       {"barcode": "XS-T6-0003", "status": "at-partner", "holder": "HD"}]),
        _record("HD", "sgk-toan6-tap1", "Toán 6", "textbook", isbn="9786040253634", volume="1", year=2021,
                authors=["Hà Huy Khoái"], publisher="Nhà xuất bản Giáo dục Việt Nam", call_number="510 T406-HD",
                curriculum={"program": "GDPT2018", "grade": 6, "subject": "Toán", "series": "Kết nối tri thức với cuộc sống"},
                items=[{"barcode": "HD-T6-0001", "status": "on-loan"}]),
        _record("ND", "dat-rung", nfd_title, "story", authors=["Đoàn Giỏi"], year=2019, publisher="Kim Đồng",
                summary="Cuộc phiêu lưu của bé An ở miền Tây Nam Bộ.",
                items=[{"barcode": "ND-DR-0001", "status": "available"}]),
        _record("HD", "vat-ly-8", "Khoa học tự nhiên 8", "textbook", year=2023, authors=["Vũ Văn Hùng"],
                curriculum={"program": "GDPT2018", "grade": 8, "subject": "Khoa học tự nhiên"},
                items=[{"barcode": "HD-KH8-0001", "status": "on-loan"}]),
        _record("ND", "bt-toan-6", "Bài tập Toán 6", "reference", year=2022, authors=["Cung Thế Anh"],
                items=[{"barcode": "ND-BT6-0001", "status": "available"}]),
        _record("XS", "noi-bo", INTERNAL_TITLE, "other", share="internal",
                items=[{"barcode": INTERNAL_BARCODE, "status": "available"}]),
        _record("HD", "tap-huan", NETWORK_TITLE, "teacher-book", share="network",
                items=[{"barcode": NETWORK_BARCODE, "status": "available"}]),
        _record("ND", "xss", XSS_TITLE, "reference", items=[{"barcode": "ND-X-0001", "status": "available"}]),
        _record("XS", "co-tich", "Truyện cổ tích Việt Nam chọn lọc", "digital", access="download", language="vie",
                digital={"url": DOWNLOAD_URL, "format": "pdf", "licence": "CC BY 4.0"}),
        _record("XS", "doc-tai-cho", "Tư liệu địa phương Đông Triều", "digital", access="read",
                digital={"url": READ_ONLY_URL, "format": "pdf"}),
    ]


def example_exchanges() -> list[dict]:
    return [{
        "id": "xs-hd-2024-hk1", "term": "2024-2025/HK1", "from": "XS", "to": "HD", "status": "dispatched",
        "title": "Luân chuyển sách Toán 6 sang Hưng Đạo",
        "planned": {"handover": "2024-10-07", "return_due": "2025-01-10"},
        "copies": [{"barcode": "XS-T6-0003", "record": "toan-6-t1"}, {"barcode": INTERNAL_BARCODE, "record": "noi-bo"}],
    }, {
        "id": "nd-xs-2024-hk1", "term": "2024-2025/HK1", "from": "ND", "to": "XS", "status": "approved",
        "planned": {"handover": "2024-11-04", "return_due": "2025-01-15"},
        "copies": [{"barcode": "ND-DR-0001", "record": "dat-rung"}],
    }, {
        "id": "hd-nd-cancelled", "term": "2024-2025/HK1", "from": "HD", "to": "ND", "status": "cancelled",
        "planned": {"handover": "2024-12-02", "return_due": "2025-01-15"},
        "copies": [{"barcode": NETWORK_BARCODE, "record": "tap-huan"}],
    }]


def make_network_repo(base: Path) -> Path:
    """A network repository: the project's network.yaml with records and exchanges of our own."""
    root = base / "net"
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "network.yaml", root / "network.yaml")
    for rec in example_records():
        path = root / "records" / rec["library"] / f"{rec['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for ex in example_exchanges():
        path = root / "exchanges" / ex["term"] / f"{ex['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(ex, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def title_entries(site: Path) -> dict:
    """Every title page's data: {page id: entry} from data/t/<bucket>.js (``LSD.t(n, {...});``)."""
    entries = {}
    for path in (site / "data" / "t").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("LSD.t(") and text.endswith(");\n")
        n, found = json.loads("[" + text[len("LSD.t("):-3] + "]")
        assert n == int(path.stem)
        entries.update(found)
    return entries


def all_text(site: Path) -> str:
    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.fixture()
def repo(tmp_path) -> Repository:
    return Repository(make_network_repo(tmp_path))


def test_public_site_layout_and_no_leaks(repo, tmp_path):
    out = tmp_path / "site"
    summary = build(repo, out, audience="public", term="2024-2025/HK1")
    assert summary["audience"] == "public"
    assert summary["titles"] == 7  # Toán 6 (XS + HD merged), Bài tập Toán 6, Đất rừng, KHTN 8, xss, two digital
    for rel in ("index.html", "calendar.html", "title.html", "assets/title.js", "assets/site.css", "assets/site.js", "assets/search.js",
                "assets/i18n.js", "data/meta.js", "data/f.js", "lib/XS.html", "lib/HD.html", "lib/ND.html", ".libsync-site"):
        assert (out / rel).is_file(), rel
    assert len(title_entries(out)) == 7
    text = all_text(out)
    for secret in (INTERNAL_TITLE, fold(INTERNAL_TITLE), INTERNAL_BARCODE, NETWORK_TITLE, fold(NETWORK_TITLE),
                   NETWORK_BARCODE, READ_ONLY_URL, "noi-bo", "tap-huan", "XS-T6-0003"):
        assert secret not in text, secret
    # no page pulls anything from the network (links to a download are fine; scripts, styles are not)
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', html), page
        assert "@import" not in html and "url(" not in (out / "assets" / "site.css").read_text(encoding="utf-8")


def test_network_site_has_network_titles_but_no_internal(repo, tmp_path):
    out = tmp_path / "site-net"
    build(repo, out, audience="network", term="2024-2025/HK1")
    text = all_text(out)
    assert NETWORK_TITLE in text
    for secret in (INTERNAL_TITLE, fold(INTERNAL_TITLE), INTERNAL_BARCODE, NETWORK_BARCODE):
        assert secret not in text, secret


def test_library_site_sees_its_own_internal_title(repo, tmp_path):
    out = tmp_path / "site-xs"
    summary = build(repo, out, audience="xs", term="2024-2025/HK1")
    assert summary["audience"] == "XS"
    text = all_text(out)
    assert INTERNAL_TITLE in text
    assert INTERNAL_BARCODE not in text  # barcodes are never published


def test_record_text_stays_data(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out, audience="public")
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html and "<b>đậm</b>" not in html, page
    # in the JavaScript data the title is a JSON string with no closing-tag sequence
    data = "\n".join(p.read_text(encoding="utf-8") for p in (out / "data").rglob("*.js"))
    assert "</script>" not in data and "<\\/script>" in data
    assert any(e["title"] == XSS_TITLE for e in title_entries(out).values())
    cal = (out / "calendar.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" not in cal or "<script>window" not in cal


def test_title_data_holdings_access_and_download(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out, audience="public")
    entries = title_entries(out)
    toan = next(e for e in entries.values() if e["title"] == "Toán 6")
    assert toan["holdings"] == [
        {"library": "HD", "call_number": "510 T406-HD", "copies": 1, "available": 0, "away": 0},
        {"library": "XS", "call_number": "510 T406", "copies": 3, "available": 2, "away": 1},
    ]
    assert toan["curriculum"]["grade"] == 6 and toan["access"] == "catalog"
    assert "members" not in toan and "id" not in toan
    cotich = next(e for e in entries.values() if e["title"].startswith("Truyện cổ tích"))
    assert cotich["digital"] == {"format": "pdf", "licence": "CC BY 4.0", "url": DOWNLOAD_URL}
    read = next(e for e in entries.values() if e["title"].startswith("Tư liệu địa phương"))
    assert read["access"] == "read" and "url" not in read.get("digital", {})


def test_nfd_title_is_found_by_folded_index(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out, audience="public")
    meta = (out / "data" / "meta.js").read_text(encoding="utf-8")
    shards = json.loads(meta[len("LSD.meta("):-3])["shards"]
    assert "da" in shards or any(s.startswith("da") for s in shards)
    words = {}
    for path in (out / "data" / "w").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        key, entries = json.loads("[" + text[len("LSD.w("):-3] + "]")
        assert bytes.fromhex(path.stem).decode("utf-8") == key
        for word in entries:
            assert word.startswith(key) or len(word) < len(key)
        words.update(entries)
    assert {"dat", "rung", "phuong", "nam", "toan", "6"} <= set(words)
    assert not any(unicodedata.combining(ch) for w in words for ch in w)


def test_calendar_names_visible_titles_only(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out, audience="public", term="2024-2025/HK1")
    cal = (out / "calendar.html").read_text(encoding="utf-8")
    assert "07/10/2024" in cal and "10/01/2025" in cal and "04/11/2024" in cal
    assert "Toán 6" in cal and "Đất rừng phương Nam" in unicodedata.normalize("NFC", cal)
    assert "1 bản khác (không hiển thị công khai)" in cal
    assert "02/12/2024" not in cal  # the cancelled exchange
    assert "Luân chuyển sách Toán 6 sang Hưng Đạo" not in cal  # manifest titles only for the network
    hd = (out / "lib" / "HD.html").read_text(encoding="utf-8")
    assert "Sách đến" in hd and "07/10/2024" in hd and "04/11/2024" not in hd
    xs = (out / "lib" / "XS.html").read_text(encoding="utf-8")
    assert "Sách đi" in xs and "Sách đến" in xs and "Thư viện đầu mối" in xs


def test_choose_term_defaults(repo):
    import datetime as dt

    net, exchanges = repo.network, repo.exchanges()
    assert choose_term(net, exchanges, today=dt.date(2025, 3, 1)).id == "2024-2025/HK2"
    assert choose_term(net, exchanges, today=dt.date(2025, 7, 1)).id == "2024-2025/HK1"  # holiday: latest with exchanges
    assert choose_term(net, exchanges, "2025-2026/HK1").id == "2025-2026/HK1"


def test_search_index_size_is_reported(repo, tmp_path):
    summary = build(repo, tmp_path / "site", audience="public")
    files = [p for p in (tmp_path / "site" / "data").rglob("*.js") if p.parent.name != "t"]  # t/: title pages
    raw = sum(p.stat().st_size for p in files)
    assert summary["index_bytes"] == raw
    assert summary["index_gzip_bytes"] > 0
    assert summary["index_gzip_bytes"] == sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)


def test_cli_build_json_and_text(repo, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli-site"
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "site", "build", "-o", str(out), "--format", "json",
                                       "--term", "2024-2025/HK1"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["titles"] == 7 and data["term"] == "2024-2025/HK1" and data["exchanges"] == 2
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "--lang", "en", "site", "build", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Built the web catalogue (public)" in res.stdout


def test_cli_errors_are_messages_with_exit_2(repo, tmp_path):
    runner = CliRunner()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "bai-tap.docx").write_text("không phải trang web", encoding="utf-8")
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "site", "build", "-o", str(busy)])
    assert res.exit_code == 2
    assert "không phải trang web do libsync dựng" in res.output and "Traceback" not in res.output
    assert (busy / "bai-tap.docx").read_text(encoding="utf-8") == "không phải trang web"
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "site", "build", "-o", str(tmp_path / "x"), "--audience", "QQ"])
    assert res.exit_code == 2 and "QQ" in res.output
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "site", "build", "-o", str(tmp_path / "x"), "--term", "2030/HK9"])
    assert res.exit_code == 2 and "2030/HK9" in res.output
    res = runner.invoke(create_app(), ["--repo", str(repo.root), "site", "build", "-o", str(repo.root)])
    assert res.exit_code == 2 and "dữ liệu của kho" in res.output
    res = runner.invoke(create_app(), ["site", "serve", str(busy)])
    assert res.exit_code == 2 and "index.html" in res.output


def test_rebuild_replaces_the_whole_folder(repo, tmp_path):
    out = tmp_path / "site"
    build(repo, out, audience="network")
    assert NETWORK_TITLE in all_text(out)
    (out / "stale-page.html").write_text("cũ", encoding="utf-8")
    build(repo, out, audience="public")
    assert not (out / "stale-page.html").exists()
    assert NETWORK_TITLE not in all_text(out)
    assert json.loads((out / ".libsync-site").read_text(encoding="utf-8"))["audience"] == "public"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_example_network_builds_for_public_and_network(tmp_path):
    """The project's own example network (whatever records it holds now) builds without leaks."""
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(PROJECT / "network.yaml", root / "network.yaml")
    for name in ("records", "exchanges", "inventories", "catalog", "files"):
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, root / name)
    repo = Repository(root)
    internal = [r for r in repo.records() if r.get("share", "internal") == "internal"]
    for audience in ("public", "network"):
        out = tmp_path / f"site-{audience}"
        summary = build(repo, out, audience=audience)
        assert (out / "index.html").is_file() and (out / "calendar.html").is_file()
        assert summary["libraries"] == 3
        text = all_text(out)
        for rec in internal:
            assert f">{rec['title']}<" not in text
            for item in rec.get("items") or []:
                assert item["barcode"] not in text


def test_serve_is_loopback_only_and_serves_javascript(repo, tmp_path):
    import threading
    import urllib.request

    from libsync.site.serve import make_server, url_of

    out = tmp_path / "site"
    build(repo, out, audience="public")
    server = make_server(out, 0)
    assert server.server_address[0] == "127.0.0.1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(url_of(server) + "data/meta.js") as resp:
            assert resp.headers["Content-Type"].startswith("text/javascript")
            assert resp.read().startswith(b"LSD.meta(")
        with urllib.request.urlopen(url_of(server) + "index.html") as resp:
            assert "Tìm sách" in resp.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
