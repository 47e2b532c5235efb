"""`site serve` on IPv6 addresses and an empty --host (review of #15 item 11): the server opens
on the address asked for, its address is a URL a browser and a phone's camera can open, and an
empty host is refused rather than served on every address as http://:8000/."""

from __future__ import annotations

import threading
import urllib.request

import pytest

from libsync.errors import LibsyncError
from libsync.site.serve import free_port, lan_urls, make_server, url_of


def _site(tmp_path):
    site = tmp_path / "_site"
    site.mkdir()
    (site / "index.html").write_text("<p>Mục lục</p>", encoding="utf-8")
    return site


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _serving(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def test_serve_on_ipv6_loopback_gives_a_bracketed_address_that_opens(tmp_path):
    server = make_server(_site(tmp_path), 0, host="::1")
    try:
        _serving(server)
        url = url_of(server)
        assert url.startswith("http://[::1]:") and url.endswith("/")
        assert "Mục lục" in _fetch(url)
        assert lan_urls(server) == [url]           # the address others would open, bracketed too
    finally:
        server.shutdown()
        server.server_close()


def test_serve_on_every_ipv6_address_takes_ipv4_clients_too(tmp_path):
    server = make_server(_site(tmp_path), 0, host="::")
    try:
        _serving(server)
        port = server.server_address[1]
        assert "Mục lục" in _fetch(f"http://127.0.0.1:{port}/")    # dual stack: the school's IPv4 Wi-Fi
        assert "Mục lục" in _fetch(f"http://[::1]:{port}/")
        assert all("[" not in url or url.startswith("http://[") for url in lan_urls(server))
    finally:
        server.shutdown()
        server.server_close()


def test_an_ipv6_port_in_use_is_explained_with_a_free_ipv6_port(tmp_path):
    site = _site(tmp_path)
    holder = make_server(site, 0, host="::1")
    try:
        port = holder.server_address[1]
        with pytest.raises(LibsyncError) as caught:
            make_server(site, port, host="::1")
        assert caught.value.key == "site.serve.port_in_use"
        free = caught.value.params["free"]
        assert isinstance(free, int) and free > port       # an IPv6 port was found, not "0"
        assert free == free_port("::1", port)
    finally:
        holder.server_close()


def test_an_empty_host_is_refused(tmp_path, cli):
    site = _site(tmp_path)
    for host in ("", "  "):
        r = cli("site", "serve", site, "--host", host, "--port", "0")
        assert r.exit_code == 2 and 'địa chỉ ""' in r.output and "http://:" not in r.output


def test_a_port_out_of_range_and_the_help_speak_vietnamese(tmp_path, cli):
    site = _site(tmp_path)
    for port in ("70000", "-5"):
        r = cli("site", "serve", site, "--port", port)
        assert r.exit_code == 2 and f"{port} nằm ngoài khoảng cho phép (0–65535)" in r.output, r.output
        assert "Input should" not in r.output
    shown = " ".join(cli("site", "serve", "--help").output.split())
    assert "CỔNG" in shown and "int range" not in shown and "0<=x" not in shown
    shown = " ".join(cli("init", "--help").output.split())
    assert "NGUỒN" in shown and "URL|PATH" not in shown
