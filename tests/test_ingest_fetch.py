"""Safe fetching: the happy paths against a server on 127.0.0.1, and the address guard.

Refusals of other addresses are tested with the resolver patched: the guard must refuse them
before any connection is tried (and conftest would stop one that is not loopback anyway).
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
from dataclasses import replace

import pytest
from ingest_server import LOCAL, PAGE, RUSSIAN, local_server

from narrascope.errors import FetchError
from narrascope.ingest import fetch as fetch_module
from narrascope.ingest.fetch import AddressRefused, Fetcher, check_address, fetch, refusal_reason
from narrascope.settings import Settings



@pytest.fixture(scope="module")
def server():
    with local_server() as running:
        yield running


@pytest.fixture
def fake_dns(monkeypatch):
    """Answer chosen host names with chosen addresses; everything else resolves as usual."""
    real_getaddrinfo = socket.getaddrinfo
    answers: dict[str, list[list[str]]] = {}  # host -> successive answers (the last one repeats)
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        queue = answers[host]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, asked


# --- happy paths (loopback allowed) ---------------------------------------------------------


def test_fetches_a_page_with_its_type_and_text(server):
    page = fetch(f"{server.base_url}/page", LOCAL)
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.content == PAGE.decode()
    assert page.url == f"{server.base_url}/page"


def test_follows_redirects_and_reports_the_final_url(server):
    page = fetch(f"{server.base_url}/absolute-redirect", LOCAL)
    assert page.url == f"{server.base_url}/page"
    assert page.content == PAGE.decode()


def test_allows_exactly_the_configured_number_of_redirects(server):
    settings = replace(LOCAL, fetch_max_redirects=3)
    assert fetch(f"{server.base_url}/chain/3", settings).url == f"{server.base_url}/chain/0"
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(f"{server.base_url}/chain/4", settings)


def test_a_redirect_loop_is_named(server):
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(f"{server.base_url}/loop-a", LOCAL)


@pytest.mark.parametrize(("path", "status"), [("/missing", "404"), ("/broken", "500")])
def test_http_errors_carry_the_status_code(server, path, status):
    with pytest.raises(FetchError, match=rf"^{server.base_url}{path}: HTTP {status}"):
        fetch(f"{server.base_url}{path}", LOCAL)


def test_a_slow_server_hits_the_read_timeout(server):
    settings = replace(LOCAL, fetch_read_timeout=0.2)
    with pytest.raises(FetchError, match="timed out waiting for the server"):
        fetch(f"{server.base_url}/slow", settings)


def test_a_trickling_body_hits_the_overall_deadline(server):
    # every chunk arrives well within the read timeout, but the whole takes too long
    settings = replace(LOCAL, fetch_total_timeout=0.3)
    with pytest.raises(FetchError, match=r"took longer than 0\.3 s"):
        fetch(f"{server.base_url}/drip", settings)


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_an_oversized_body_is_refused(server, path):
    settings = replace(LOCAL, max_input_bytes=1000)
    with pytest.raises(FetchError, match="larger than the 1000 bytes input limit"):
        fetch(f"{server.base_url}{path}", settings)


@pytest.mark.parametrize(("path", "media_type"), [("/image", "image/png"), ("/pdf", "application/pdf")])
def test_non_text_content_types_are_refused(server, path, media_type):
    with pytest.raises(FetchError, match=f"unsupported content type {media_type}"):
        fetch(f"{server.base_url}{path}", LOCAL)


def test_binary_bytes_labelled_html_are_refused(server):
    with pytest.raises(FetchError, match="binary"):
        fetch(f"{server.base_url}/binary-as-html", LOCAL)


def test_the_http_charset_wins_over_a_wrong_meta_charset(server):
    assert RUSSIAN in fetch(f"{server.base_url}/header-charset", LOCAL).content


def test_the_meta_charset_is_used_when_http_names_none(server):
    assert RUSSIAN in fetch(f"{server.base_url}/meta-charset", LOCAL).content


def test_a_fetcher_reuses_one_client_for_many_pages(server):
    with Fetcher(LOCAL) as fetcher:
        first, second = fetcher.fetch(f"{server.base_url}/page"), fetcher.fetch(f"{server.base_url}/text")
    assert first.content_type == "text/html"
    assert (second.content_type, second.content) == ("text/plain", "Plain text article.\n")


@pytest.mark.parametrize(
    "url", ["ftp://example.org/file.txt", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/", "//no-scheme/"]
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="unsupported URL scheme"):
        fetch(url, Settings())


def test_a_redirect_to_another_scheme_is_refused(server):
    with pytest.raises(FetchError, match=r"/to-file: redirected to file:///etc/passwd: unsupported URL scheme"):
        fetch(f"{server.base_url}/to-file", LOCAL)


# --- the address guard ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("169.254.10.10", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not a public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:a00:1::", "private"),  # 6to4 wrapping 10.0.0.1
    ],
)
def test_non_public_addresses_are_refused_with_the_reason(address, reason):
    assert reason in refusal_reason(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert refusal_reason(ipaddress.ip_address(address)) is None


def test_loopback_is_refused_by_default_and_nothing_is_sent(server):
    before = len(server.requests)
    with pytest.raises(AddressRefused, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetch(f"{server.base_url}/page", Settings())
    assert len(server.requests) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.5/", r"10\.0\.0\.5 is a private address"),
        ("http://192.168.0.1:8080/admin", r"192\.168\.0\.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ],
)
def test_private_targets_are_refused_before_connecting(url, message):
    with pytest.raises(AddressRefused, match=message):
        fetch(url, Settings())


def test_a_name_resolving_to_a_private_address_is_refused(fake_dns):
    answers, _ = fake_dns
    answers["intranet.example"] = [["10.0.0.1"]]
    with pytest.raises(AddressRefused, match=r"refused: 10\.0\.0\.1 \(intranet\.example\) is a private address"):
        fetch("http://intranet.example/", Settings())


def test_a_name_with_one_private_address_among_public_ones_is_refused(fake_dns):
    answers, _ = fake_dns
    answers["mixed.example"] = [["93.184.216.34", "192.168.1.20"]]
    with pytest.raises(AddressRefused, match="192.168.1.20"):
        check_address("mixed.example", Settings())


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    # let this loopback server through, as if it were a public site, and nothing else
    real_reason = fetch_module.refusal_reason
    monkeypatch.setattr(fetch_module, "refusal_reason", lambda a: None if a.is_loopback else real_reason(a))
    message = r"/to-private: redirected to http://10\.0\.0\.5/admin: refused: 10\.0\.0\.5 is a private"
    with pytest.raises(AddressRefused, match=message):
        fetch(f"{server.base_url}/to-private", Settings())
    with pytest.raises(AddressRefused, match="cloud metadata"):
        fetch(f"{server.base_url}/to-metadata", Settings())


def test_the_connection_goes_to_the_address_that_was_checked(server, fake_dns):
    """DNS rebinding: a name that answers public first and loopback afterwards must not reach
    loopback. The guard pins the checked (public) address; conftest refuses that connection."""
    answers, asked = fake_dns
    answers["rebind.example"] = [["93.184.216.34"], ["127.0.0.1"]]
    requests_before = len(server.requests)
    with pytest.raises(FetchError, match=r"cannot connect"):
        fetch(f"http://rebind.example:{server.port}/page", Settings())
    assert asked == ["rebind.example"]  # resolved once, by the guard
    assert len(server.requests) == requests_before


def test_an_unresolvable_host_is_a_fetch_error(monkeypatch):
    def fail(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match=r"^http://nowhere.example/: cannot resolve the host name nowhere.example "):
        fetch("http://nowhere.example/", Settings())


# --- TLS with a pinned address ----------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for news.test (made with the openssl command line)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=news.test", "-addext", "subjectAltName=DNS:news.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def test_https_checks_the_certificate_of_the_url_host_not_the_pinned_address(
    certificate, fake_dns, monkeypatch
):
    cert, key = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    monkeypatch.setattr(fetch_module, "_ssl_context", lambda: ssl.create_default_context(cafile=str(cert)))
    answers, _ = fake_dns
    answers["news.test"] = answers["impostor.test"] = [["127.0.0.1"]]
    with local_server(tls=server_context) as server:
        page = fetch(f"https://news.test:{server.port}/page", LOCAL)
        assert (page.url, page.content) == (f"https://news.test:{server.port}/page", PAGE.decode())
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch(f"https://impostor.test:{server.port}/page", LOCAL)
