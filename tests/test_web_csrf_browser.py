"""Cross-site request forgery from another port of this host, in a real browser: browsers share
cookies across all ports of 127.0.0.1, so a page served on another port can set our CSRF cookie
and post a form whose token matches it. The post must be refused and nothing analysed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from test_web_browser import browser, server, store_url  # noqa: F401  (the shared app and Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FORGED = "A" * 43  # a value the attacker chooses for the cookie, and submits as the token


@contextmanager
def attacker_site(target: str) -> Iterator[str]:
    page = f"""<!doctype html><html><body>
<form id="f" method="post" action="{target}/analyze">
<input type="hidden" name="csrf_token" value="{FORGED}">
<input type="hidden" name="text" value="Forged submission from another port of this host.">
</form>
<script>document.cookie = "narrascope_csrf={FORGED}; path=/"; document.getElementById("f").submit();</script>
</body></html>""".encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


def test_a_page_on_another_loopback_port_cannot_post_our_forms(browser, server: str) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    answers: list[int] = []
    page.on("response", lambda response: answers.append(response.status) if "/analyze" in response.url else None)
    try:
        with attacker_site(server) as attacker, page.expect_navigation(url=f"{server}/analyze"):
            page.goto(attacker)
        assert answers == [403]
        assert "another site or port" in page.content()
    finally:
        context.close()
    listed = httpx.get(f"{server}/api/documents", params={"text": "Forged submission"}).json()
    assert listed["total"] == 0
