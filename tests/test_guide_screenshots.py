"""The librarian's guide (docs/huong-dan-thu-vien.md) and its screenshots of the web catalogue.

The screenshots are taken by a real browser (Debian's Chromium through Playwright) from the
public site of the project's example network. Every run takes them again into a temporary
folder and checks that each page shows what the guide says about it and that the committed
PNG in docs/img/ has the same size and still looks the same (at most 1 % of its pixels differ:
a stale picture fails); with ``LIBSYNC_SCREENSHOTS=1`` the run writes them into
docs/img/ (to refresh them after the site changes):

    LIBSYNC_SCREENSHOTS=1 python3 -m pytest -q tests/test_guide_screenshots.py
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import struct
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from libsync.repository import Repository
from libsync.site import build
from libsync.site.serve import make_server, url_of

PROJECT = Path(__file__).resolve().parent.parent
GUIDE = PROJECT / "docs" / "huong-dan-thu-vien.md"
IMG = PROJECT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--font-render-hinting=none", "--hide-scrollbars"]
TERM = "2024-2025/HK1"
QUERY = "de men"          # typed without diacritics, as the guide says she may
MAX_BYTES = 150_000       # each screenshot stays small in the repository

# name -> (viewport, what the picture must show)
SHOTS = {
    "mucluc-tim-kiem.png": ({"width": 1000, "height": 680}, "Dế Mèn phiêu lưu ký"),
    "mucluc-nhan-de.png": ({"width": 1000, "height": 680}, "Trường THCS"),
    "mucluc-lich-luan-chuyen.png": ({"width": 1000, "height": 680}, "Lịch luân chuyển tài liệu"),
    "mucluc-dien-thoai.png": ({"width": 360, "height": 640}, "Dế Mèn phiêu lưu ký"),
}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("guide") / "network"
    root.mkdir()
    for part in ("network.yaml", "records", "exchanges", "inventories", "catalog", "files"):
        src = PROJECT / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.is_file():
            shutil.copy2(src, root / part)
    out = root / "_site"
    summary = build(Repository(root), out, audience="public", term=TERM)
    assert summary["titles"] > 0
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url_of(server)
    server.shutdown()
    server.server_close()


def take_screenshots(base: str, dest: Path) -> dict[str, str]:
    """Every screenshot of the guide into ``dest``; returns the visible text of each page."""
    texts = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for name, (viewport, _) in SHOTS.items():
                phone = viewport["width"] < 500
                context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=phone,
                                              has_touch=phone, locale="vi-VN", reduced_motion="reduce")
                page = context.new_page()
                if name == "mucluc-lich-luan-chuyen.png":
                    page.goto(base + "calendar.html")
                else:
                    page.goto(base + "index.html")
                    page.fill("#q", QUERY)
                    page.wait_for_function("q => window.LS_LAST && window.LS_LAST.q === q", arg=QUERY)
                    if name == "mucluc-nhan-de.png":
                        page.click("#results li a")
                        page.wait_for_url("**/title.html#*")
                        page.wait_for_function("() => window.LS_TITLE")
                    if phone:      # the results, under the search box and filters
                        page.evaluate("document.getElementById('status').scrollIntoView()")
                page.evaluate("document.activeElement && document.activeElement.blur()")   # no caret
                page.screenshot(path=str(dest / name), animations="disabled", caret="hide")
                texts[name] = page.inner_text("body")
                context.close()
        finally:
            browser.close()
    return texts


# the share of pixels whose colour differs noticeably between two PNGs (1 when their sizes differ),
# computed by the browser itself: no image library needed
_DIFFER_JS = """async ([a, b]) => {
  const load = src => new Promise((ok, bad) => { const i = new Image(); i.onload = () => ok(i); i.onerror = bad; i.src = src; });
  const [x, y] = [await load(a), await load(b)];
  if (x.width !== y.width || x.height !== y.height) return 1;
  const pixels = img => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; };
  const [p, q] = [pixels(x), pixels(y)];
  let differ = 0;
  for (let i = 0; i < p.length; i += 4)
    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 48) differ++;
  return differ / (p.length / 4);
}"""
MAX_DIFFERENT = 0.01      # of the pixels: font hinting may move a few, a changed page moves many (another page: 9 %)


def differing(pairs: dict[str, tuple[Path, Path]]) -> dict[str, float]:
    """For each name, the share of pixels that differ between its two PNG files."""
    def data_url(path: Path) -> str:
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            return {name: float(page.evaluate(_DIFFER_JS, [data_url(a), data_url(b)])) for name, (a, b) in pairs.items()}
        finally:
            browser.close()


def test_screenshots_of_the_web_catalogue(site, tmp_path):
    refresh = os.environ.get("LIBSYNC_SCREENSHOTS") == "1"
    dest = IMG if refresh else tmp_path
    dest.mkdir(parents=True, exist_ok=True)
    texts = take_screenshots(site, dest)
    for name, (viewport, shows) in SHOTS.items():
        assert shows in texts[name], (name, texts[name][:300])
        taken = (dest / name).read_bytes()
        assert png_size(taken) == (viewport["width"], viewport["height"])
        committed = (IMG / name).read_bytes()
        assert png_size(committed) == png_size(taken), name
        assert len(committed) <= MAX_BYTES, (name, len(committed))
    # the committed pictures still show what the site shows today (a stale one fails here; refresh
    # them with LIBSYNC_SCREENSHOTS=1)
    changed = {name: share for name, share in differing({n: (dest / n, IMG / n) for n in SHOTS}).items()
               if share > MAX_DIFFERENT}
    assert not changed, changed


def test_the_guide_shows_every_screenshot_and_covers_the_year():
    text = GUIDE.read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(img/([^)]+)\)", text)
    assert sorted(shown) == sorted(SHOTS)              # each picture once, none missing
    for name in shown:
        assert (IMG / name).is_file()
    # the whole school year, in the order she meets it
    steps = ["libsync import", "libsync share", "libsync schedule", "libsync exchange dispatch",
             "libsync exchange receive", "libsync inventory", "libsync register", "libsync site build",
             "libsync site serve"]
    positions = [text.find(step) for step in steps]
    assert all(p >= 0 for p in positions), [s for s, p in zip(steps, positions) if p < 0]
    assert positions == sorted(positions), steps
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "docs/huong-dan-thu-vien.md" in readme
