"""A small HTTP server on 127.0.0.1 for the ingest tests: each path answers as a real site might
(a page, redirects, errors, slow or huge bodies, odd content types and charsets)."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from narrascope.settings import Settings

PAGE = b"<html><head><title>Local page</title></head><body><p>A page served on loopback.</p></body></html>"
RUSSIAN = "Привет, мир"
LOCAL = Settings(  # loopback allowed, short timeouts
    allow_private_addresses=True, fetch_connect_timeout=2, fetch_read_timeout=2, fetch_total_timeout=5
)
_SITEMAP = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    body: bytes = PAGE
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between body bytes chunks (chunks of 16 bytes)
    announce_length: bool = True


def _routes() -> dict[str, Callable[[str], Reply]]:
    def redirect(to: str, status: int = 302) -> Callable[[str], Reply]:
        return lambda base: Reply(status=status, headers={"Location": to.format(base=base)}, body=b"")

    cp1251_page = f"<html><head><meta charset='utf-8'></head><body><p>{RUSSIAN}</p></body></html>".encode("cp1251")
    meta_page = f"<html><head><meta charset='windows-1251'></head><body><p>{RUSSIAN}</p></body></html>".encode("cp1251")
    return {
        "/page": lambda base: Reply(),
        "/text": lambda base: Reply(headers={"Content-Type": "text/plain"}, body=b"Plain text article.\n"),
        "/redirect": redirect("/page", 301),
        "/absolute-redirect": redirect("{base}/redirect"),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        **{f"/chain/{n}": redirect(f"/chain/{n - 1}") for n in range(1, 10)},
        "/chain/0": lambda base: Reply(),
        "/to-private": redirect("http://10.0.0.5/admin"),
        "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
        "/to-file": redirect("file:///etc/passwd"),
        "/missing": lambda base: Reply(status=404, body=b"<p>not here</p>"),
        "/broken": lambda base: Reply(status=500, body=b"<p>oops</p>"),
        "/slow": lambda base: Reply(delay=1.0),
        "/drip": lambda base: Reply(body=PAGE * 4, drip=0.05),
        "/big": lambda base: Reply(body=b"<p>" + b"x" * 5000 + b"</p>"),
        "/big-unannounced": lambda base: Reply(body=b"<p>" + b"x" * 5000 + b"</p>", announce_length=False),
        "/image": lambda base: Reply(headers={"Content-Type": "image/png"}, body=b"\x89PNG\r\n\x1a\n" + b"\0" * 40),
        "/pdf": lambda base: Reply(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7\n"),
        "/binary-as-html": lambda base: Reply(body=b"\x00\x01\x02binary" * 10),
        "/header-charset": lambda base: Reply(
            headers={"Content-Type": "text/html; charset=windows-1251"}, body=cp1251_page
        ),
        "/meta-charset": lambda base: Reply(headers={"Content-Type": "text/html"}, body=meta_page),
        "/feed.xml": lambda base: Reply(headers={"Content-Type": "application/rss+xml"}, body=_feed(base)),
        "/sitemap.xml": lambda base: Reply(headers={"Content-Type": "application/xml"}, body=_SITEMAP),
    }


def _feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback News</title><link>{base}/</link><description>d</description>
<item><title>First</title><link>{base}/page</link><pubDate>Tue, 05 Mar 2024 08:30:00 GMT</pubDate>
<description>teaser one</description></item>
<item><title>Second</title><link>/redirect</link><description>teaser two</description></item>
<item><title>Gone</title><link>{base}/missing</link><description>teaser three</description></item>
</channel></rss>""".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server: LocalServer = self.server.owner  # type: ignore[attr-defined]
        server.requests.append(self.path)
        route = server.routes.get(self.path)
        reply = route(server.base_url) if route else Reply(status=404, body=b"no route")
        time.sleep(reply.delay)
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should have
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.announce_length:
            self.send_header("Content-Length", str(len(reply.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = 16 if reply.drip else max(len(reply.body), 1)
        for start in range(0, len(reply.body), chunk):
            self.wfile.write(reply.body[start : start + chunk])
            self.wfile.flush()
            time.sleep(reply.drip)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@dataclass
class LocalServer:
    base_url: str
    port: int
    routes: dict[str, Callable[[str], Reply]]
    requests: list[str]


@contextmanager
def local_server(tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    """Serve the routes on 127.0.0.1 (over TLS with the given server context)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    scheme = "https" if tls else "http"
    server = LocalServer(base_url=f"{scheme}://127.0.0.1:{port}", port=port, routes=_routes(), requests=[])
    httpd.owner = server  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
