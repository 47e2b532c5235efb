"""Serve a built site: on this computer only (127.0.0.1, the default), or to the school's
network (``host="0.0.0.0"``) so phones on the same Wi-Fi open it at this computer's LAN address
(``lan_urls``; ``qr_text`` draws the address as a QR code for a terminal)."""

from __future__ import annotations

import errno
import functools
import http.server
import io
import ipaddress
import os
import socket
from pathlib import Path
from typing import Any

from libsync.errors import LibsyncError, os_reason

HOST = "127.0.0.1"


class _Handler(http.server.SimpleHTTPRequestHandler):
    # an instance attribute of the base class (so not a ClassVar), read, never changed, per request
    extensions_map: dict[str, str] = {  # noqa: RUF012
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
    }

    def log_message(self, format: str, *args: Any) -> None:   # quiet; the CLI says where to look
        pass


def make_server(directory: str | os.PathLike[str], port: int = 8000, host: str = HOST) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` on ``host``:``port`` (0 = any free port); not started yet.

    A port another program holds, one this user may not open, or an address this computer does
    not have is refused with a message in the user's language that says what to do."""
    root = Path(directory).expanduser().resolve()
    if not (root / "index.html").is_file():
        raise LibsyncError("site.serve.not_site", path=str(directory))
    host = host.strip()
    if not host:   # Python would take "" for every address, and print http://:8000/
        raise LibsyncError("site.serve.bad_host", host='""')
    handler = functools.partial(_Handler, directory=str(root))
    try:
        server = (_Server6 if _is_ipv6(host) else http.server.ThreadingHTTPServer)((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise LibsyncError("site.serve.port_in_use", port=port, host=host, free=free_port(host, port)) from None
        if exc.errno == errno.EACCES:
            raise LibsyncError("site.serve.port_denied", port=port, free=free_port(host, 8000)) from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
            raise LibsyncError("site.serve.bad_host", host=host) from None
        raise LibsyncError("site.serve.port_busy", port=port, host=host, reason=os_reason(exc)) from None
    server.daemon_threads = True
    return server


def _is_ipv6(host: str) -> bool:
    """An IPv6 address (``::1``, ``::``, ``fe80::1%eth0``): the server needs an IPv6 socket."""
    return ":" in host


class _Server6(http.server.ThreadingHTTPServer):
    """The server on an IPv6 address; on ``::`` (every address) IPv4 clients too, where the
    system allows one socket for both."""

    address_family = socket.AF_INET6

    def server_bind(self) -> None:
        if str(self.server_address[0]) == "::":
            try:
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            except (OSError, AttributeError):
                pass
        super().server_bind()


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if _is_ipv6(host) else f"http://{host}:{port}/"


def free_port(host: str, start: int) -> int:
    """The first port from ``start + 1`` that ``host`` can open now (a suggestion, not a promise)."""
    for port in range(start + 1, min(start + 100, 65535)):
        with socket.socket(socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    return 0


def is_local_only(host: str) -> bool:
    """Whether only this computer can reach ``host`` (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This computer's address on its local network (the one its default route uses), or None.
    No packet is sent: connecting a UDP socket only chooses the route."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))   # TEST-NET-1: never routed anywhere real
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback or address == "0.0.0.0" else address


def lan_urls(server: http.server.HTTPServer) -> list[str]:
    """The addresses others on the network open: the LAN address for a server on all
    interfaces (0.0.0.0), else the address it is bound to."""
    host, port = server.server_address[:2]
    if str(host) in ("0.0.0.0", "::"):
        found = lan_address()
        return [_url(found, port)] if found else []
    return [_url(str(host), port)]


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters (two rows of modules per line), dark
    on light as a phone's camera expects, for a terminal."""
    import segno

    buffer = io.StringIO()
    segno.make(url, error="l").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


def url_of(server: http.server.HTTPServer) -> str:
    host, port = server.server_address[:2]
    return _url(str(host), port)
