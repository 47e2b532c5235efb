"""Publishing the web catalogue (#15 item 11): an empty public site is not built silently, `site
serve --host 0.0.0.0` opens it to the school Wi-Fi with a warning, the address and a QR code, and a
port in use is explained in Vietnamese. Real repositories, real sockets, a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import segno

from libsync.site.serve import free_port, is_local_only, lan_address, qr_text


def _fresh_site(tmp_path: Path, cli) -> Path:
    """A new network (no records) and its public site."""
    root = tmp_path / "net"
    assert cli("init", root, "--library", "XS=Trường THCS Xuân Sơn", "--no-ask").exit_code == 0
    r = cli("--repo", root, "site", "build", "-o", root / "_site")
    assert r.exit_code == 0
    return root


def test_an_empty_public_catalogue_warns_and_says_how_to_share(tmp_path, cli):
    root = tmp_path / "net"
    assert cli("init", root, "--library", "HD=Trường THCS Hưng Đạo", "--no-ask").exit_code == 0
    r = cli("--repo", root, "site", "build", "-o", root / "_site")
    assert r.exit_code == 0
    assert "Cảnh báo: mục lục công khai không có nhan đề nào" in r.stderr
    assert "libsync share --library HD --type textbook --share public" in r.stderr
    r = cli("--repo", root, "site", "build", "-o", root / "_site", "--format", "json")
    assert '"titles": 0' in r.stdout and "libsync share" in r.stderr and "libsync share" not in r.stdout
    r = cli("--repo", root, "--lang", "en", "site", "build", "-o", root / "_site")
    assert "Warning: the public catalogue has no titles" in r.stderr


def test_a_catalogue_with_titles_builds_without_the_warning(example_repo, tmp_path, cli):
    r = cli("--repo", example_repo, "site", "build", "-o", tmp_path / "_site")
    assert r.exit_code == 0 and "nhan đề" in r.stdout
    assert "Cảnh báo" not in r.stderr


def test_a_port_in_use_is_explained_with_a_free_one(tmp_path, cli):
    root = _fresh_site(tmp_path, cli)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        r = cli("site", "serve", root / "_site", "--port", port)
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert f"Cổng {port} đang được một chương trình khác dùng" in said and "--port" in said
    assert "Address already in use" not in said and "Traceback" not in said
    suggested = int(said.split("--port ")[1].split(",")[0])
    assert suggested > port and free_port("127.0.0.1", port) >= suggested - 1
    r = cli("site", "serve", root / "_site", "--host", "203.0.113.77", "--port", 0)
    assert r.exit_code == 2 and "Máy này không có địa chỉ 203.0.113.77" in r.output


def test_serve_to_the_school_network_warns_and_prints_address_and_qr(tmp_path, cli):
    root = _fresh_site(tmp_path, cli)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LIBSYNC_LANG": "vi"}
    proc = subprocess.Popen([sys.executable, "-m", "libsync", "site", "serve", str(root / "_site"), "--host", "0.0.0.0",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    read: dict[str, list[str]] = {"out": [], "err": []}

    def drain(stream, lines: list[str]) -> None:
        for line in iter(stream.readline, ""):
            lines.append(line)

    readers = [threading.Thread(target=drain, args=(proc.stdout, read["out"]), daemon=True),
               threading.Thread(target=drain, args=(proc.stderr, read["err"]), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + 60
        # stderr is read by its own thread: wait for its last line too, not only for stdout's
        last_err = "Không tìm thấy địa chỉ mạng" if lan_address() is None else "Cảnh báo"
        while not ("Ctrl+C" in "".join(read["out"]) and last_err in "".join(read["err"])) \
                and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        out = "".join(read["out"])
        assert "Ctrl+C" in out, out + "".join(read["err"])
        assert "Cảnh báo: trang web mở cho mọi máy dùng chung mạng (Wi-Fi)" in "".join(read["err"])
        if lan_address() is None:      # a computer on no network at all: it says so, and still serves
            assert "http://" not in out and "Không tìm thấy địa chỉ mạng của máy này" in "".join(read["err"])
            return
        lines = out.splitlines()
        url_line = next(line for line in lines if "http://" in line)
        url = "http://" + url_line.split("http://")[1].split()[0]
        address, port = url[len("http://"):].rstrip("/").rsplit(":", 1)
        assert address == lan_address() and not is_local_only(address)
        assert "cùng Wi-Fi" in url_line and "quét mã QR" in url_line
        assert qr_text(url) in out                           # the QR code of that very address
        # anyone on the network reaches it: here, through this computer's LAN address and port
        with urllib.request.urlopen(f"http://{address}:{port}/index.html", timeout=20) as resp:
            assert "Tìm sách" in resp.read().decode("utf-8")
        assert "Cảnh báo: trang web mở cho mọi máy dùng chung mạng (Wi-Fi)" in "".join(read["err"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
            raise AssertionError("site serve did not stop on SIGTERM: " + "".join(read["err"])) from None
        for reader in readers:
            reader.join(timeout=10)


def test_the_qr_code_encodes_the_address():
    url = "http://192.168.1.20:8000/"
    drawn = qr_text(url).splitlines()
    code = segno.make(url, error="l")
    width = code.symbol_size(border=2)[0]
    assert {len(line) for line in drawn} == {width}            # one character per module across
    assert len(drawn) == (width + 1) // 2                       # two rows of modules per line
    # the block characters give back exactly the code's modules (light = full block, dark = space)
    rows = []
    for line in drawn:
        top = [ch in "█▀" for ch in line]
        bottom = [ch in "█▄" for ch in line]
        rows += [top, bottom]
    matrix = [[not light for light in row] for row in rows[:width]]
    expected = [[bool(v) for v in row] for row in code.matrix_iter(border=2)]
    assert matrix == expected
    assert is_local_only("127.0.0.1") and is_local_only("localhost") and is_local_only("::1")
    assert not is_local_only("0.0.0.0") and not is_local_only("192.168.1.20")
