"""Fetching a web page on someone else's behalf without becoming a door into our own network.

A URL typed by a user (CLI, web app, a link in a feed) is untrusted. `fetch` therefore
- accepts only http and https;
- resolves every host itself and refuses it when ANY address is loopback, private, link-local
  (cloud metadata at 169.254.169.254 included), unspecified, multicast or reserved, IPv4-mapped
  IPv6 included, unless `Settings.allow_private_addresses`;
- connects to exactly the address it checked (pinned: a DNS answer that changes between check and
  connect, "DNS rebinding", cannot redirect it), with TLS SNI and `Host` still the URL's host;
- follows redirects itself, checking every hop, at most `fetch_max_redirects` of them;
- bounds time (connect and read timeouts plus an overall deadline) and size (streams the body and
  stops past `max_input_bytes`), and accepts only HTML, XHTML, plain text and feeds.

Use `fetch(url, settings)` for one page, or a `Fetcher` to reuse connections across many.
`check_address(host, settings)` is the address guard on its own. Every failure is a `FetchError`
whose one-line message starts with the URL and says why.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..errors import FetchError, InputError
from ..settings import Settings
from .decode import decode, format_size, parse_content_type

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = ("http", "https")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
TEXT_TYPES = frozenset({"text/plain"})
ACCEPTED_TYPES = HTML_TYPES | FEED_TYPES | TEXT_TYPES
_ACCEPT_HEADER = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "text/plain;q=0.8,*/*;q=0.1"
)
_METADATA_ADDRESS = ipaddress.ip_address("169.254.169.254")


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page: where it ended up, what the server said it is, its bytes and its text."""

    url: str  # the final URL, after redirects
    status: int
    content_type: str | None  # media type without parameters, e.g. "text/html"; None when not sent
    body: bytes
    content: str  # `body` decoded (BOM, HTTP charset, <meta charset>, UTF-8, detection)


# --- the address guard ----------------------------------------------------------------------


class AddressRefused(FetchError):
    """The host resolves to an address we do not fetch from (private, loopback, metadata...)."""


def refusal_reason(address: IPAddress) -> str | None:
    """Why `address` must not be fetched from ("a private address"...), None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return refusal_reason(embedded)
    if address == _METADATA_ADDRESS:
        return "the cloud metadata address"
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for failed, reason in checks if failed), None)


def check_address(host: str, settings: Settings, port: int = 443) -> list[IPAddress]:
    """Resolve `host` (a name or an IP literal) and return its addresses, all of them allowed.

    Raises `AddressRefused` ("refused: 10.0.0.5 is a private address") when any is refused,
    so a name with one public and one private address is refused too.
    """
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve the host name {host} ({exc})") from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not settings.allow_private_addresses:
        for address in addresses:
            reason = refusal_reason(address)
            if reason:
                named = "" if _same_host(host, address) else f" ({host})"
                raise AddressRefused(f"refused: {address}{named} is {reason}")
    return addresses


def _same_host(host: str, address: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")) == address
    except ValueError:
        return False


class _GuardedNetworkBackend(httpcore.SyncBackend):
    """Opens every TCP connection through the guard, to the very address the guard approved."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[tuple[int, int, int | bytes | None]] | None = None,
    ) -> httpcore.NetworkStream:
        last_error: Exception | None = None
        for address in check_address(host, self._settings, port):
            try:
                pinned = str(address)  # connect to what was checked, never re-resolve the name
                return super().connect_tcp(pinned, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        assert last_error is not None  # getaddrinfo never answers with an empty list
        raise last_error


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose connections all pass the address guard and are pinned to it.

    httpx has no public parameter for httpcore's network backend, so the connection pool it built
    is replaced by one that has ours. TLS still verifies the certificate for the URL's host name
    (httpcore sends the origin host as SNI, not the pinned address). No proxy is used: a proxy
    would connect on our behalf and bypass the guard.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=_GuardedNetworkBackend(settings),
            max_connections=10,
            max_keepalive_connections=5,
        )


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Certificate verification with certifi's CA bundle; built once (loading it takes a while)."""
    return httpx.create_ssl_context(trust_env=False)


# --- fetching -------------------------------------------------------------------------------


def check_url(url: str) -> None:
    """`FetchError` unless `url` is an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise FetchError(
            f"{url}: unsupported URL scheme ({scheme}); only http and https can be fetched"
        )
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")


class Fetcher:
    """Fetches pages with one pooled, guarded HTTP client; use as a context manager or `close()`.

    The client is created on the first fetch, so a `Fetcher` that never fetches costs nothing.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: httpx.Client | None = None

    def fetch(self, url: str) -> FetchedPage:
        """Fetch `url` under every rule in this module's docstring; `FetchError` says why not."""
        deadline = time.monotonic() + self.settings.fetch_total_timeout
        visited = [url]
        current = url
        while True:
            try:
                outcome = self._fetch_once(current, deadline)
            except FetchError as exc:
                raise exc if current == url else type(exc)(f"{url}: redirected to {exc}") from None
            if isinstance(outcome, FetchedPage):
                return outcome
            if outcome in visited:
                raise FetchError(f"{url}: redirect loop (back to {outcome})")
            if len(visited) > self.settings.fetch_max_redirects:
                raise FetchError(f"{url}: more than {self.settings.fetch_max_redirects} redirects")
            visited.append(outcome)
            current = outcome

    def _fetch_once(self, url: str, deadline: float) -> FetchedPage | str:
        """One request: the page, or the URL a redirect points to."""
        check_url(url)
        try:
            with self._http().stream("GET", url, timeout=self._timeout(deadline)) as response:
                if response.is_redirect:
                    return urljoin(url, response.headers["location"])
                if not response.is_success:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
                media_type, charset = parse_content_type(response.headers.get("content-type"))
                if media_type is not None and media_type not in ACCEPTED_TYPES:
                    what = f"unsupported content type {media_type}"
                    raise FetchError(f"{what} (not HTML, text or a feed)")
                body = self._read_body(response, deadline)
                final_url = str(response.url)
                status = response.status_code
        except FetchError as exc:  # raised here or by the address guard; now it names the URL
            raise type(exc)(f"{url}: {exc}") from None
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out {_timeout_phase(exc)}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {_describe(exc)}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"{url}: not a valid URL ({exc})") from None
        try:
            content = decode(body, final_url, declared=charset, html=media_type not in TEXT_TYPES)
        except InputError as exc:
            raise FetchError(str(exc)) from None
        return FetchedPage(
            url=final_url, status=status, content_type=media_type, body=body, content=content
        )

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self.settings.max_input_bytes
        too_large = FetchError(f"larger than the {format_size(limit)} input limit")
        declared_length = response.headers.get("content-length", "")
        if declared_length.isdigit() and int(declared_length) > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large
            if time.monotonic() > deadline:
                raise self._too_slow()
            chunks.append(chunk)
        return b"".join(chunks)

    def _timeout(self, deadline: float) -> httpx.Timeout:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._too_slow()
        connect = min(self.settings.fetch_connect_timeout, remaining)
        read = min(self.settings.fetch_read_timeout, remaining)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)

    def _too_slow(self) -> FetchError:
        return FetchError(f"took longer than {self.settings.fetch_total_timeout:g} s")

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=GuardedTransport(self.settings),
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": self.settings.user_agent, "Accept": _ACCEPT_HEADER},
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def fetch(url: str, settings: Settings) -> FetchedPage:
    """Fetch one page safely (see the module docstring); raises `FetchError` naming the URL."""
    with Fetcher(settings) as fetcher:
        return fetcher.fetch(url)


def _timeout_phase(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(exc, httpx.PoolTimeout):
        return "waiting for a connection"
    return "waiting for the server to respond"


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
