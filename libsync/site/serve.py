"""Preview a built site on this computer: a static file server bound to 127.0.0.1 only."""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path
from typing import Any

from libsync.errors import LibsyncError

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


def make_server(directory: str | os.PathLike[str], port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1:``port`` (0 = any free port); not started yet."""
    root = Path(directory).expanduser().resolve()
    if not (root / "index.html").is_file():
        raise LibsyncError("site.serve.not_site", path=str(directory))
    handler = functools.partial(_Handler, directory=str(root))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise LibsyncError("site.serve.port_busy", port=port, reason=exc.strerror or str(exc)) from None
    server.daemon_threads = True
    return server


def url_of(server: http.server.HTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"
