"""What a public-facing tool needs before it shows other people's HTML: strict headers, bounded
request bodies, an API token, and CSRF protection on form posts.

- `SecurityHeaders` puts a strict Content-Security-Policy (scripts, styles and images from this
  server only, no plugins, no framing) and friends on every response, so even markup that slipped
  through escaping could not run or load anything.
- `BodyLimit` refuses request bodies over the cap with 413, whether or not they declare a length.
- `Access` checks the API token (`Authorization: Bearer`, `X-API-Token`, or the session cookie set
  by the login form) when one is configured, and the CSRF token on form posts.
- `CrossSiteRefusal` refuses any POST a browser says comes from another origin (`Sec-Fetch-Site`,
  `Origin`), and any request whose URL carries a NUL byte, before it reaches a route.

CSRF: browsers share cookies between all ports of a host, so a page served on another loopback
port can set our cookie and post a matching form field; a plain double-submit check (field equals
cookie) cannot tell. So the cookie holds a random nonce and the form field its HMAC under a key only
this server knows (`csrf_value`): a forger can pick the nonce, never the field. The key is random per
server process, or derived from the access token when there is one (stable across restarts).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..ingest.decode import format_size

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
SESSION_COOKIE = "narrascope_session"
CSRF_COOKIE = "narrascope_csrf"
CSRF_FIELD = "csrf_token"


class _HttpMiddleware:
    """An ASGI middleware that only acts on HTTP requests (`handle`); other scopes pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class SecurityHeaders(_HttpMiddleware):
    """ASGI middleware adding `SECURITY_HEADERS` to every HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + list(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimit(_HttpMiddleware):
    """ASGI middleware answering 413 when a request body passes `max_bytes`.

    A declared `Content-Length` over the cap is refused before reading; a body without one (or
    lying about it) is counted as it streams in and refused the moment it passes the cap.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception as exc:
            if started or not _only_body_too_large(exc):
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await _answer(send, 413, f"request body larger than the {format_size(self.max_bytes)} limit")


def _only_body_too_large(exc: BaseException) -> bool:
    """True for `_BodyTooLarge`, also when a task group (Starlette's middleware) wrapped it."""
    if isinstance(exc, BaseExceptionGroup):
        return exc.split(_BodyTooLarge)[1] is None
    return isinstance(exc, _BodyTooLarge)


class CrossSiteRefusal(_HttpMiddleware):
    """ASGI middleware: 403 for a POST that a browser marks as coming from another origin (another
    site, or another port of this host), 400 for a URL with a NUL byte. Clients that are not
    browsers send neither header and pass; they cannot be tricked into posting anyway."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await _answer(send, 400, "the request's URL contains a NUL character")
            return
        if scope["method"] == "POST" and _cross_origin(dict(scope.get("headers", []))):
            await _answer(send, 403, "refused: the form was posted from another site or port")
            return
        await self.app(scope, receive, send)


def _cross_origin(headers: dict[bytes, bytes]) -> bool:
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:  # the browser's own verdict; its Origin is "null" under our no-referrer policy
        return fetch_site not in (b"same-origin", b"none")
    origin = headers.get(b"origin")
    if origin is None or origin == b"null":
        return origin == b"null"  # an opaque origin (sandboxed frame, file:) is never ours
    netloc = origin.split(b"://", 1)[-1].lower()
    return netloc != headers.get(b"host", b"").lower()


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Access:
    """The token and CSRF checks. With no token configured (a server on loopback) every request
    is let in; form posts are CSRF-checked either way."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self._session = hmac.new(token.encode(), b"narrascope-session", hashlib.sha256).hexdigest() if token else None
        key = hmac.new(token.encode(), b"narrascope-csrf", hashlib.sha256).digest() if token else None
        self.csrf_key = key or secrets.token_bytes(32)

    @property
    def required(self) -> bool:
        return self.token is not None

    def token_matches(self, candidate: str | None) -> bool:
        if self.token is None or candidate is None:
            return False
        return hmac.compare_digest(candidate.encode(), self.token.encode())

    def allows(self, request: Request) -> bool:
        """True when no token is configured or the request carries it (header or session cookie)."""
        if self.token is None:
            return True
        authorization = request.headers.get("authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() == "bearer" and self.token_matches(credentials.strip()):
            return True
        if self.token_matches(request.headers.get("x-api-token")):
            return True
        cookie = request.cookies.get(SESSION_COOKIE)
        return cookie is not None and hmac.compare_digest(cookie.encode(), self.session_value.encode())

    @property
    def session_value(self) -> str:
        """What the login form stores in the session cookie: derived from, never equal to, the token."""
        assert self._session is not None, "no token configured"
        return self._session


def csrf_value(request: Request, key: bytes) -> str:
    """The CSRF form value for this browser: the HMAC of its cookie's nonce (a fresh nonce, which
    the response must set, when it has none)."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or len(nonce) != 43:
        if not hasattr(request.state, "new_csrf"):
            request.state.new_csrf = secrets.token_urlsafe(32)
        nonce = request.state.new_csrf
    return _sign(nonce, key)


def csrf_valid(request: Request, submitted: str | None, key: bytes) -> bool:
    """The form field must be the HMAC of the nonce in this browser's cookie."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not submitted:
        return False
    return hmac.compare_digest(_sign(nonce, key).encode(), submitted.encode("utf-8", "replace"))


def _sign(nonce: str, key: bytes) -> str:
    return hmac.new(key, nonce.encode("utf-8", "replace"), hashlib.sha256).hexdigest()
