"""The web app through FastAPI's TestClient: every endpoint, bad input, the security layers.

The app runs with no task components (`components=()`): these tests are about the web layer, and
an analysis with no results still has a document, is stored, listed and rendered. Small size
limits make "too large" cheap to test.
"""

from __future__ import annotations

import io
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from fixtures.web.forms import csrf
from narrascope.cli import main as cli_main
from narrascope.components.genre import create as create_genre
from narrascope.model import Analysis
from narrascope.settings import Settings
from narrascope.store import open_store
from narrascope.web import WebConfig, create_app
from narrascope.web.security import CONTENT_SECURITY_POLICY, CSRF_COOKIE

FIXTURES = Path(__file__).parent / "fixtures" / "web"
OPINION = Analysis.from_json((FIXTURES / "opinion-analysis.json").read_text(encoding="utf-8"))
HOSTILE = Analysis.from_json((FIXTURES / "hostile-analysis.json").read_text(encoding="utf-8"))
LIMITS = Settings(  # document_timeout=0: analysed in the server's process (the budget's child is tested apart)
    max_input_bytes=8_000, max_text_chars=2_000, fetch_connect_timeout=2, fetch_read_timeout=2, fetch_total_timeout=5,
    document_timeout=0,
)
ARTICLE = (
    "The city council approved the new budget on Tuesday after a long debate.\n"
    "Critics called the plan reckless, while supporters said it protects essential services."
)
TOKEN = "correct-horse-battery-staple"


def make_client(tmp_path: Path, **config: object) -> TestClient:
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(store_url) as store:
        store.save(OPINION)
        store.save(HOSTILE)
    options = {"settings": LIMITS, "components": (), "job_timeout": 20.0, **config}
    app = create_app(WebConfig(store_url=store_url, **options))  # type: ignore[arg-type]
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as running:
        yield running


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    """An app with an access token, as when serving beyond loopback."""
    with make_client(tmp_path, token=TOKEN, allowed_hosts=None) as running:
        yield running


# --- pages and headers ----------------------------------------------------------------------

PAGES = [
    "/",
    "/library",
    "/library?site=example-news.test&since=2024-01-01&label=Loaded_Language&min_score=0.5&text=levy",
    "/trends",
    "/trends?by=technique&interval=week&group=site",
    "/docs",
    f"/documents/{OPINION.document.id}",
    "/login",
    "/healthz",
    "/highlight.css",
    "/static/app.css",
    "/static/app.js",
    "/openapi.json",
    "/api/documents",
    "/api/trends",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_the_strict_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/documents/0000000000000000", "/jobs/nope", "/api/documents/nope", "/api/jobs/nope"])
def test_unknown_ids_are_404_with_the_headers_too(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    if path.startswith("/api/"):
        assert "nope" in response.json()["detail"]
    else:
        assert "Not found" in response.text


def test_pages_load_no_inline_script_and_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/library", "/trends", f"/documents/{OPINION.document.id}"):
        html = client.get(path).text
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
        assert scripts and all(body == "" for body in scripts)  # files only: the CSP forbids inline script
        assert '<script src="/static/app.js" defer></script>' in html
        assert " style=" not in html and "<style" not in html  # the CSP forbids inline styles
        assets = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"', html)
        assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)


def test_article_view_marks_techniques_entities_and_links_evidence(client: TestClient) -> None:
    html = client.get(f"/documents/{OPINION.document.id}").text
    assert 'class="hl fam-attack-on-reputation conf-4" tabindex="0" title="Name Calling/Labeling (91%)' in html
    assert 'data-role="Antagonist"' in html  # entity roles named on the text
    assert 'href="#narrative-0-0"' in html and 'id="narrative-0-0"' in html
    assert 'href="#claim-1-0"' in html and 'id="claim-1-0"' in html
    assert "Economic" in html and "86%" in html  # frames, genre probability
    assert "The column argues that climate policy hurts ordinary households" in html


def test_hostile_article_content_is_escaped_everywhere(client: TestClient) -> None:
    html = client.get(f"/documents/{HOSTILE.document.id}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(&#39;img&#39;)&gt;" in html
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert 'href="javascript:' not in html  # an unsafe URL is shown, never linked
    library = client.get("/library").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in library and "<script>alert" not in library


def test_a_foreign_host_header_is_refused_on_a_loopback_server(client: TestClient) -> None:
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400  # DNS rebinding


# --- POST /api/analyze ------------------------------------------------------------------------


def test_analyze_returns_the_analysis_json_and_stores_it(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": ARTICLE})
    assert response.status_code == 200
    analysis = Analysis.from_json(response.content)
    assert analysis.document.text.startswith("The city council approved")
    assert len(analysis.document.paragraphs) == 2
    stored = client.get(f"/api/documents/{analysis.document.id}")
    assert stored.status_code == 200 and stored.json() == response.json()
    listed = client.get("/api/documents", params={"text": "city council"}).json()
    assert listed["total"] == 1 and listed["documents"][0]["id"] == analysis.document.id


@pytest.mark.slow  # loads the genre model when it is installed
def test_analyze_reads_html_and_runs_only_the_components_asked_for(client: TestClient) -> None:
    html = f"<html><head><title>Budget vote</title></head><body><article><p>{ARTICLE}</p></article></body></html>"
    response = client.post("/api/analyze", json={"html": html, "components": ["genre"]})
    assert response.status_code == 200
    body = response.json()
    assert "city council" in body["document"]["text"]
    genre_ran = body["results"]["genre"] is not None
    assert genre_ran or any("'genre' unavailable" in w for w in body["warnings"])  # no trained artifact here
    assert all(body["results"][name] is None for name in ("frames", "techniques", "narratives", "claims"))


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"text": ""}}, 422, "text: empty"),
        ({"json": {"text": "   \n "}}, 422, "text: empty"),
        ({"json": {"text": "word " * 500}}, 413, "2,000 character limit"),
        ({"json": {"html": "<p>" + "x" * 9_000 + "</p>"}}, 413, "over the 7.8 KB input limit"),
        ({"content": b"x" * 90_000, "headers": {"content-type": "application/json"}}, 413, "request body larger than"),
        ({"content": "just text", "headers": {"content-type": "text/plain"}}, 415, "application/json"),
        ({"content": b'{"text": "unterminated', "headers": {"content-type": "application/json"}}, 400, "malformed JSON"),
        ({"content": b"", "headers": {"content-type": "application/json"}}, 400, "empty request body"),
        ({"json": ["text"]}, 422, "JSON object"),
        ({"json": {}}, 422, "exactly one of text, html or url"),
        ({"json": {"text": "a", "url": "https://example.com/"}}, 422, "exactly one of"),
        ({"json": {"text": ARTICLE, "colour": "red"}}, 422, "colour"),
        ({"json": {"text": ARTICLE, "components": ["horoscope"]}}, 422, "components"),
        ({"json": {"text": 42}}, 422, "text"),
        ({"json": {"url": "ftp://example.com/file"}}, 422, "only http and https"),
        ({"json": {"url": "not a url"}}, 422, "url"),
    ],
)
def test_analyze_rejects_bad_input_with_a_clear_4xx(
    client: TestClient, kwargs: dict, status: int, message: str
) -> None:
    response = client.post("/api/analyze", **kwargs)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]


def test_a_busy_server_answers_503_instead_of_queueing_without_bound(tmp_path: Path) -> None:
    with make_client(tmp_path, max_pending_jobs=0) as busy:
        api = busy.post("/api/analyze", json={"text": ARTICLE})
        form = busy.post("/analyze", data={"csrf_token": csrf(busy), "text": ARTICLE})
    assert api.status_code == 503 and "busy" in api.json()["detail"] and api.headers["retry-after"] == "60"
    assert form.status_code == 503 and "busy" in form.text


def test_a_body_without_content_length_is_cut_off_at_the_cap(client: TestClient) -> None:
    chunks = (b"x" * 1000 for _ in range(100))  # streamed, no Content-Length, past the 72 KB cap
    response = client.post("/api/analyze", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413


# --- URL analysis and the address guard ----------------------------------------------------


class _ArticleSite(BaseHTTPRequestHandler):
    """A news site on loopback: /article is a page, /to-metadata redirects to cloud metadata."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = f"<html><head><title>Local news</title></head><body><p>{ARTICLE}</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def article_site() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ArticleSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Resolver and transport patched: names resolve as `answers` say, and the only address ever
    connected to is loopback (public test addresses are routed to `routes`' loopback ports)."""
    answers: dict[str, list[str]] = {}
    routes: dict[str, int] = {}
    connected: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = httpcore.SyncBackend.connect_tcp

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def connect_tcp(self, host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        connected.append(host)
        if host in routes:
            return real_connect(self, "127.0.0.1", routes[host], *args, **kwargs)
        assert host in ("127.0.0.1", "::1"), f"a test tried to connect to {host}"
        return real_connect(self, host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return {"answers": answers, "routes": routes, "connected": connected}  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("url", "dns", "reason"),
    [
        ("http://127.0.0.1:9/", {}, "127.0.0.1 is a loopback address"),
        ("http://10.1.2.3/admin", {}, "10.1.2.3 is a private address"),
        ("http://192.168.0.1/", {}, "192.168.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", {}, "the cloud metadata address"),
        ("http://169.254.10.20/", {}, "link-local"),
        ("http://intranet.example/", {"intranet.example": ["10.0.0.7"]}, "10.0.0.7 (intranet.example) is a private address"),
        ("http://router.example/", {"router.example": ["192.168.1.1"]}, "private address"),
        ("http://mixed.example/", {"mixed.example": ["93.184.216.34", "169.254.1.1"]}, "link-local"),
        ("http://[::ffff:10.0.0.1]/", {}, "private address"),
    ],
)
def test_url_analysis_refuses_loopback_private_and_link_local_targets(
    client: TestClient, network: dict, url: str, dns: dict, reason: str
) -> None:
    network["answers"].update(dns)
    response = client.post("/api/analyze", json={"url": url})
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert network["connected"] == []  # refused before any connection


def test_a_redirect_to_a_private_address_is_refused_too(client: TestClient, network: dict) -> None:
    with article_site() as port:
        network["answers"]["news.example"] = ["93.184.216.34"]
        network["routes"]["93.184.216.34"] = port
        ok = client.post("/api/analyze", json={"url": "http://news.example/article"})
        assert ok.status_code == 200 and "city council" in ok.json()["document"]["text"]
        refused = client.post("/api/analyze", json={"url": "http://news.example/to-metadata"})
    assert refused.status_code == 422
    assert "169.254.169.254 is the cloud metadata address" in refused.json()["detail"]
    assert "169.254.169.254" not in network["connected"]


def test_private_urls_are_fetched_when_the_server_allows_them(tmp_path: Path) -> None:
    settings = Settings(**{**vars(LIMITS), "allow_private_addresses": True})
    with make_client(tmp_path, settings=settings) as allowing, article_site() as port:
        response = allowing.post("/api/analyze", json={"url": f"http://127.0.0.1:{port}/article"})
    assert response.status_code == 200
    assert response.json()["document"]["url"] == f"http://127.0.0.1:{port}/article"


# --- listings, trends, jobs, exports ----------------------------------------------------------


def test_documents_listing_filters_and_paginates(client: TestClient) -> None:
    everything = client.get("/api/documents").json()
    assert everything["total"] == 2
    site = client.get("/api/documents", params={"site": "evil.test"}).json()
    assert [d["id"] for d in site["documents"]] == [HOSTILE.document.id]
    scored = client.get("/api/documents", params={"label": "Name_Calling-Labeling", "min_score": "0.9"}).json()
    assert [d["id"] for d in scored["documents"]] == [OPINION.document.id]
    dated = client.get("/api/documents", params={"since": "2024-04-01", "until": "2024-04-30"}).json()
    assert [d["id"] for d in dated["documents"]] == [HOSTILE.document.id]
    page = client.get("/api/documents", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and len(page["documents"]) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since: 'yesterday' is not a date"),
        ({"min_score": "high"}, "min_score: 'high' is not a number"),
        ({"min_score": "1.5"}, "outside 0-1"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_documents_listing_rejects_bad_filters(client: TestClient, params: dict, message: str) -> None:
    response = client.get("/api/documents", params=params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_trends_api_gives_shares_per_period_and_rejects_unknown_kinds(client: TestClient) -> None:
    rows = client.get("/api/trends", params={"by": "narrative", "interval": "month", "group": "site"}).json()["rows"]
    march = [r for r in rows if r["period"] == "2024-03-01" and r["label"] == "CC: Criticism of climate policies"]
    assert march == [
        {"period": "2024-03-01", "group": "example-news.test", "label": "CC: Criticism of climate policies",
         "name": "CC: Criticism of climate policies", "count": 1, "share": 1.0, "documents": 1}
    ]
    assert client.get("/api/trends", params={"by": "horoscope"}).status_code == 422
    assert client.get("/api/trends", params={"interval": "decade"}).status_code == 422


def test_trends_api_decides_genres_at_a_known_mix_and_refuses_a_bad_one(client: TestClient) -> None:
    mix = "reporting=0.9,opinion=0.08,satire=0.02"
    answer = client.get("/api/trends", params={"by": "genre", "genre_mix": mix}).json()
    assert answer["genre_mix"] == {"opinion": 0.08, "reporting": 0.9, "satire": 0.02}
    head = create_genre()
    expected = sorted(
        head.at_mix(a.results.genre, answer["genre_mix"]).label for a in (OPINION, HOSTILE) if a.results.genre and a.document.published
    )
    assert expected and sorted(label for row in answer["rows"] for label in [row["label"]] * row["count"]) == expected
    assert client.get("/api/trends", params={"by": "genre"}).json()["genre_mix"] is None
    wrong_kind = client.get("/api/trends", params={"by": "narrative", "genre_mix": mix})
    assert wrong_kind.status_code == 422 and "use it with by=genre" in wrong_kind.json()["detail"]
    malformed = client.get("/api/trends", params={"by": "genre", "genre_mix": "reporting=most"})
    assert malformed.status_code == 422 and "'most' is not a number" in malformed.json()["detail"]


def test_trends_page_counts_genres_at_a_mix_typed_in_its_form_and_escapes_a_bad_one(client: TestClient) -> None:
    mix = "reporting=0.9,opinion=0.08,satire=0.02"
    page = client.get("/trends", params={"by": "genre", "genre_mix": mix})
    assert page.status_code == 200
    api = client.get("/api/trends", params={"by": "genre", "genre_mix": mix}).json()
    assert api["rows"]
    for row in api["rows"]:  # the page's table holds the API's numbers at the mix
        assert f"<td>{row['name']}</td><td class=\"num\">{row['count']}</td>" in page.text
    assert f'value="{mix}"' in page.text and "genre_mix=reporting%3D0.9" in page.text  # kept in the form and JSON link
    assert "by genres, decided at the mix opinion 8%, reporting 90%, satire 2%" in page.text  # the chart says so

    hostile = '"><script>alert(1)</script>'
    refused = client.get("/trends", params={"by": "genre", "genre_mix": hostile})
    assert refused.status_code == 422
    assert "<script>alert" not in refused.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.text
    assert 'id="genre-mix-error"' in refused.text and 'aria-invalid="true"' in refused.text
    wrong_kind = client.get("/trends", params={"by": "frame", "genre_mix": mix})
    assert wrong_kind.status_code == 422 and "use it with by=genre" in wrong_kind.text


def test_trends_page_draws_an_svg_chart_with_axes_and_legend(client: TestClient) -> None:
    html = client.get("/trends", params={"by": "technique", "interval": "month"}).text
    assert html.count("<svg") == 1 and html.count("<polyline") >= 1
    assert html.count("<circle") >= 2 and ">2024-03<" in html and ">2024-04<" in html and ">100%<" in html
    assert 'class="chart-legend"' in html and "Loaded Language" in html  # the most frequent label is drawn
    assert "3 less frequent labels not drawn" in html  # 11 techniques in all, 8 lines at most
    assert "Share of documents per month by techniques" in html


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_library_exports_the_filtered_documents(client: TestClient, fmt: str) -> None:
    response = client.get(f"/library/export.{fmt}", params={"site": "example-news.test"})
    assert response.status_code == 200
    assert f'.{fmt}"' in response.headers["content-disposition"]
    if fmt == "jsonl":
        lines = response.text.strip().splitlines()
        assert [Analysis.from_json(line).document.id for line in lines] == [OPINION.document.id]
    elif fmt == "csv":
        assert response.text.splitlines()[0].startswith("document_id,")
        assert HOSTILE.document.id not in response.text and OPINION.document.id in response.text
    else:
        table = pq.read_table(io.BytesIO(response.content))
        assert set(table.column("document_id").to_pylist()) == {OPINION.document.id}


def test_library_page_filters_and_paginates(client: TestClient) -> None:
    html = client.get("/library", params={"label": "Flag_Waving"}).text
    assert "The Green Tax Trap" in html and "Breaking" not in html
    assert "export.csv?label=Flag_Waving" in html
    assert client.get("/library", params={"page": "0"}).status_code == 422
    assert "No stored analysis matches" in client.get("/library", params={"text": "zebra crossing"}).text


# --- forms: analyse, jobs, CSRF ------------------------------------------------------------


def test_the_analyse_form_runs_a_job_and_lands_on_the_article(client: TestClient) -> None:
    token = csrf(client)
    posted = client.post("/analyze", data={"csrf_token": token, "text": ARTICLE})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/jobs/")
    job_id = posted.headers["location"].rsplit("/", 1)[1]
    status = _wait(client, job_id)
    assert status["status"] == "done" and status["total"] == 1 and len(status["document_ids"]) == 1
    landing = client.get(f"/jobs/{job_id}")
    assert landing.status_code == 303 and landing.headers["location"] == f"/documents/{status['document_ids'][0]}"
    assert "The city council approved" in client.get(landing.headers["location"]).text


def test_a_waiting_job_page_reloads_itself_without_javascript(tmp_path: Path) -> None:
    with make_client(tmp_path, workers=0) as idle:  # accepts, never starts: the job stays queued
        posted = idle.post("/analyze", data={"csrf_token": csrf(idle), "text": ARTICLE})
        html = idle.get(posted.headers["location"]).text
    assert '<meta http-equiv="refresh" content="2">' in html and 'data-job="' in html
    assert "Waiting for a free worker" in html


def test_a_jsonl_upload_is_a_batch_job_with_its_failures_listed(client: TestClient) -> None:
    lines = [
        json.dumps({"text": ARTICLE, "title": "Budget", "site": "council.test"}),
        "{not json",
        json.dumps({"html": f"<html><body><article><p>{ARTICLE} Second.</p></article></body></html>"}),
    ]
    files = {"file": ("batch.jsonl", "\n".join(lines).encode(), "application/x-ndjson")}
    posted = client.post("/analyze", data={"csrf_token": csrf(client)}, files=files)
    status = _wait(client, posted.headers["location"].rsplit("/", 1)[1])
    assert status["status"] == "done" and status["total"] == 3 and status["done"] == 3
    assert len(status["document_ids"]) == 2 and len(status["failures"]) == 1 and "line 2" in status["failures"][0]
    page = client.get(posted.headers["location"]).text
    assert "1 document(s) could not be analysed" in page


@pytest.mark.parametrize(
    ("data", "files", "status", "message"),
    [
        ({}, None, 422, "give one of: text, a URL or a file (got nothing)"),
        ({"text": ARTICLE, "url": "https://example.com/"}, None, 422, "got text, url"),
        ({}, {"file": ("scan.pdf", b"%PDF-1.7 ...", "application/pdf")}, 415, "unsupported file type .pdf"),
        ({}, {"file": ("big.txt", b"x" * 8_001, "text/plain")}, 413, "over the"),
        ({}, {"file": ("blank.txt", b"", "text/plain")}, 422, "blank.txt: empty file"),
        ({}, {"file": ("image.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "text/html")}, 422, "PNG"),
        ({"url": "file:///etc/passwd"}, None, 422, "only http and https"),
    ],
)
def test_the_analyse_form_explains_bad_input_and_keeps_what_was_typed(
    client: TestClient, data: dict, files: dict | None, status: int, message: str
) -> None:
    response = client.post("/analyze", data={"csrf_token": csrf(client), **data}, files=files)
    assert response.status_code == status
    assert message in response.text.replace("&#39;", "'")
    assert 'role="alert"' in response.text
    if "text" in data:
        assert "The city council approved" in response.text


@pytest.mark.parametrize("submitted", [None, "", "forged-token"])
def test_form_posts_without_the_matching_csrf_token_are_refused(client: TestClient, submitted: str | None) -> None:
    csrf(client)
    data = {"text": ARTICLE} | ({"csrf_token": submitted} if submitted is not None else {})
    response = client.post("/analyze", data=data)
    assert response.status_code == 403
    assert "security token" in response.text
    assert client.get("/api/documents", params={"text": "city council"}).json()["total"] == 0


def test_a_csrf_token_from_another_browser_is_refused(client: TestClient, tmp_path: Path) -> None:
    with make_client(tmp_path / "other") as other:
        foreign = csrf(other)
    csrf(client)
    assert client.post("/analyze", data={"csrf_token": foreign, "text": ARTICLE}).status_code == 403


# --- the access token ------------------------------------------------------------------------


def test_the_api_needs_the_token_when_one_is_set(guarded: TestClient) -> None:
    refused = guarded.get("/api/documents")
    assert refused.status_code == 401 and "token" in refused.json()["detail"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert guarded.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert guarded.get("/api/documents", headers={"X-API-Token": TOKEN}).status_code == 200
    assert guarded.post("/api/analyze", json={"text": ARTICLE}).status_code == 401
    assert guarded.get("/static/app.css").status_code == 200  # assets stay public


def test_pages_send_you_to_sign_in_and_the_cookie_lets_you_back(guarded: TestClient) -> None:
    redirect = guarded.get("/library")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/login?next=/library"
    token = csrf(guarded, "/login")
    wrong = guarded.post("/login", data={"csrf_token": token, "token": "guess", "next": "/library"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    assert guarded.post("/login", data={"token": TOKEN, "next": "/library"}).status_code == 403  # no CSRF token
    signed_in = guarded.post("/login", data={"csrf_token": token, "token": TOKEN, "next": "/library"})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/library"
    assert TOKEN not in signed_in.headers["set-cookie"]  # the cookie holds a derived value
    assert guarded.get("/library").status_code == 200
    out = guarded.post("/logout", data={"csrf_token": token})
    assert out.status_code == 303 and guarded.get("/library").status_code == 303


def test_sign_in_never_redirects_off_site(guarded: TestClient) -> None:
    token = csrf(guarded, "/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = guarded.post("/login", data={"csrf_token": token, "token": TOKEN, "next": target})
        assert response.headers["location"] == "/"


def test_serve_refuses_a_public_address_without_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NARRASCOPE_TOKEN", raising=False)
    assert cli_main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2
    assert "needs an access token" in capsys.readouterr().err
    assert cli_main(["serve", "--components", "horoscope"]) == 2
    assert "unknown horoscope" in capsys.readouterr().err


def _wait(client: TestClient, job_id: str, timeout: float = 60) -> dict:
    """The job's status once it has ended (as the job page's script polls it)."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/api/jobs/{job_id}")
        assert status.status_code == 200
        if status.json()["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return status.json()
        time.sleep(0.05)
