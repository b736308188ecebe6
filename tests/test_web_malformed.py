"""Malformed requests get a 4xx with a reason, never a 500: absurd numbers, NUL bytes, lone
surrogates, JSON nested 100,000 deep, broken multipart bodies, names in no encoding. And a form
posted from another origin (another port of this host included) is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fixtures.web.forms import csrf
from narrascope.settings import Settings
from narrascope.web import WebConfig, create_app

HUGE = str(10**20)
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store_url = f"sqlite:///{tmp_path_factory.mktemp('malformed') / 'store.db'}"
    settings = Settings(max_input_bytes=8_000, document_timeout=0)
    app = create_app(WebConfig(settings=settings, store_url=store_url, components=(), job_timeout=20))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, raise_server_exceptions=False) as running:
        yield running


GETS = [
    "/api/documents?offset=1e20",
    f"/api/documents?offset={HUGE}",
    f"/api/documents?limit={HUGE}",
    "/api/documents?min_score=nan",
    "/api/documents?min_score=inf",
    "/api/documents?since=0000-00-00&until=99999-01-01",
    "/api/documents?text=%00",
    "/api/documents?label=" + "x" * 5000,  # no such label: 422 naming the nearest
    f"/library?page={HUGE}",
    "/library?page=-1",
    "/trends?by=%00&interval=century",
    "/api/trends?group=planet",
    "/api/documents/%00",
    "/documents/" + "a" * 5000,
    "/api/jobs/%ff%00",
    "/jobs/" + "j" * 5000,
    "/library/export.exe",
]


@pytest.mark.parametrize("path", GETS)
def test_malformed_queries_are_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


def test_an_odd_but_well_formed_query_simply_matches_nothing(client: TestClient) -> None:
    response = client.get("/api/documents?site=%ff%fe%ed%a0%80")
    assert response.status_code == 200 and response.json()["total"] == 0


JSON_BODIES = [
    DEEP,
    b'{"text": ' + DEEP + b"}",
    b'{"text": "a\\ud800b"}',
    b'{"html": "<p>\\udfff</p>"}',
    b'{"url": "http://exa\\ud800mple.org/"}',
    b'{"url": "http://example.org/\\u0000"}',
    b'{"url": "' + b"h" * 7_000 + b'"}',
    b'{"text": NaN}',
    b'{"text": 1e999}',
    b'{"text": "x", "text": null}',
    b'{"components": "genre", "text": "x"}',
    b'{"components": [null], "text": "x"}',
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{\"text\": \"\"}",
    b'"just a string"',
    b"{\"text\": \"x\"} trailing",
]


@pytest.mark.parametrize("body", JSON_BODIES, ids=range(len(JSON_BODIES)))
def test_malformed_json_bodies_are_4xx(client: TestClient, body: bytes) -> None:
    response = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.json()["detail"]


def test_malformed_forms_and_uploads_are_4xx(client: TestClient) -> None:
    token = csrf(client)
    attempts = [
        client.post("/analyze", content=b"--nope\r\n", headers={"content-type": "multipart/form-data; boundary=nope"}),
        client.post("/analyze", content=b"garbage", headers={"content-type": "multipart/form-data"}),
        client.post("/analyze", data={"csrf_token": token, "url": "http://\x00/"}),
        client.post("/analyze", content=f"csrf_token={token}&text=%ED%A0%80".encode(),
                    headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post("/analyze", data={"csrf_token": token}, files={"file": ("a.txt", b"\x00\x01\x02" * 100)}),
        client.post("/analyze", data={"csrf_token": token}, files={"file": ("", b"")}),
        client.post("/analyze", data={"csrf_token": token}, files={"file": ("page.html.gz", b"\x1f\x8b broken")}),
        client.post("/analyze", data={"csrf_token": token}, files={"file": ("../../etc/passwd", b"root:x:0:0")}),
        client.post("/login", data={"csrf_token": "\x00", "token": "\x00"}),
        client.put("/api/analyze", json={"text": "x"}),
        client.get("/", headers={"cookie": "narrascope_csrf=\x7f\x01; narrascope_session=%ff"}),
    ]
    for response in attempts:
        assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    assert attempts[7].status_code == 415 and "passwd: unsupported file type" in attempts[7].text  # a name, never a path


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://127.0.0.1:9999"},  # a page on another loopback port
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_a_form_posted_from_another_origin_is_refused_even_with_the_right_token(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post("/analyze", data={"csrf_token": csrf(client), "text": "An article."}, headers=headers)
    assert response.status_code == 403 and "another site or port" in response.json()["detail"]


def test_a_cookie_set_by_another_port_cannot_forge_the_form_token(client: TestClient) -> None:
    """Another port of this host can set our cookie to a value it knows; the form field it would
    need is a keyed hash of that value, which it cannot compute."""
    client.cookies.set("narrascope_csrf", "A" * 43)
    forged = client.post("/analyze", data={"csrf_token": "A" * 43, "text": "An article."})
    assert forged.status_code == 403
    same_origin = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    genuine = client.post("/analyze", data={"csrf_token": csrf(client), "text": "An article."}, headers=same_origin)
    assert genuine.status_code == 303
    # what Chromium sends for our own form: under our no-referrer policy every POST's Origin is "null"
    chromium = {"origin": "null", "sec-fetch-site": "same-origin"}
    genuine = client.post("/analyze", data={"csrf_token": csrf(client), "text": "An article."}, headers=chromium)
    assert genuine.status_code == 303
