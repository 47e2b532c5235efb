"""``libsync oai serve``: the OAI-PMH provider as a WSGI application, served by waitress.

``Provider(root, audience, …)`` is the WSGI application: ``GET`` or ``POST`` (form-encoded)
requests to ``/oai`` are answered by ``libsync.oai.protocol.respond`` over the current catalogue
(``libsync.oai.index``). The catalogue is rebuilt only when the repository changes: HEAD is
asked of Git on every request (a commit is seen at once), the rest of the repository state
(files edited but not committed) at most every ``recheck`` seconds. A page is always answered
from one catalogue, whole. ``serve(provider, host, port)`` runs it with waitress until Ctrl-C or
SIGTERM.

Must never: answer outside ``/oai`` with anything but a short 404, serve a record the catalogue does
not hold, or show a traceback to a harvester (a failure to read the repository is a 503 with the
reason, the catalogue of the last good state is not kept past it).
"""

from __future__ import annotations

import errno
import re
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError, os_reason
from libsync.i18n import t
from libsync.oai import history
from libsync.oai.index import Built, build, repository_state
from libsync.oai.protocol import Catalogue, respond

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

PATH = "/oai"
MAX_BODY = 64 * 1024                 # a POSTed request is a few arguments
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


class Provider:
    """The WSGI application of one repository for one audience."""

    def __init__(self, root: str | Path, audience: str, *, page_size: int = 100, emails: Iterable[str] = (),
                 use_cache: bool = True, recheck: float = 1.0,
                 on_build: Callable[[Built], None] | None = None) -> None:
        self.root = Path(root).resolve()
        self.audience = audience
        self.page_size = page_size
        self.emails = list(emails)
        self.use_cache = use_cache
        self.recheck = recheck
        self.on_build = on_build
        self._lock = threading.Lock()
        self._built: Built | None = None
        self._head: str | None = None
        self._checked = 0.0

    def catalogue(self) -> Catalogue:
        """The catalogue of the repository as it is now (rebuilt if it changed)."""
        with self._lock:
            head = history.head(self.root)
            moment = time.monotonic()
            if self._built is None or head != self._head or moment - self._checked >= self.recheck:
                state = repository_state(self.root, head)
                self._head, self._checked = head, moment
                if self._built is None or state != self._built.catalogue.state:
                    self._built = None
                    self._built = build(self.root, self.audience, page_size=self.page_size, emails=self.emails,
                                        use_cache=self.use_cache, state=state)
                    if self.on_build is not None:
                        self.on_build(self._built)
            return self._built.catalogue

    def answer(self, query: str, base_url: str) -> bytes:
        """The response to one request given as a query string (``verb=Identify``)."""
        args = urllib.parse.parse_qs(query, keep_blank_values=True)
        return respond(self.catalogue(), args, base_url)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path.rstrip("/") != PATH:
            return _plain(start_response, "404 Not Found", t("oai.http.not_found", path=PATH))
        method = environ.get("REQUEST_METHOD", "GET")
        query = environ.get("QUERY_STRING", "")
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_BODY:
                return _plain(start_response, "413 Payload Too Large", t("oai.http.too_large"))
            query = environ["wsgi.input"].read(length).decode("utf-8", "replace") if length > 0 else ""
        elif method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", t("oai.http.method"), [("Allow", "GET, POST")])
        try:
            body = self.answer(query, base_url(environ))
        except LibsyncError as exc:
            print(f"libsync oai: {exc}", file=sys.stderr, flush=True)
            return _plain(start_response, "503 Service Unavailable", str(exc), [("Retry-After", "60")])
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [b"" if method == "HEAD" else body]


def _plain(start_response: StartResponse, status: str, text: str,
           extra: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = (text + "\n").encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                            *(extra or [])])
    return [body]


def base_url(environ: WSGIEnvironment) -> str:
    """The URL harvesters reach this provider at, as the request names it (``Host``), else the
    address the server listens on."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST", "")
    if not _HOST.fullmatch(host):
        host = f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '80')}"
    script = urllib.parse.quote(environ.get("SCRIPT_NAME", "").rstrip("/"))
    return f"{scheme}://{host}{script}{PATH}"


def make_server(app: Any, host: str, port: int, threads: int = 4) -> Any:
    """A waitress server for ``app`` bound to ``host``:``port`` (not yet running); a port in use or
    an address that cannot be had is a ``LibsyncError`` (exit 2)."""
    from waitress.server import create_server

    try:
        return create_server(app, host=host, port=port, threads=threads, ident="libsync",
                             clear_untrusted_proxy_headers=True, expose_tracebacks=False)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            from libsync.site.serve import free_port

            raise LibsyncError("oai.serve.port_busy", host=host, port=port, free=free_port(host, port)) from None
        raise LibsyncError("oai.serve.cannot_listen", host=host, port=port, reason=os_reason(exc)) from None


def url_of(server: Any, host: str, port: int) -> str:
    """The provider's URL (the port the system gave when ``port`` was 0)."""
    listening = getattr(server, "effective_listen", None)     # several sockets ("localhost": IPv4 and IPv6)
    if listening:
        host, port = listening[0][0], listening[0][1]
    host, port = getattr(server, "effective_host", host), getattr(server, "effective_port", port)
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}{PATH}"
