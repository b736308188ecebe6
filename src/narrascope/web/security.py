"""What a public-facing tool needs before it shows other people's HTML: strict headers, bounded
request bodies, an API token, and CSRF protection on form posts.

- `SecurityHeaders` puts a strict Content-Security-Policy (scripts, styles and images from this
  server only, no plugins, no framing) and friends on every response, so even markup that slipped
  through escaping could not run or load anything.
- `BodyLimit` refuses request bodies over the cap with 413, whether or not they declare a length.
- `Access` checks the API token (`Authorization: Bearer`, `X-API-Token`, or the session cookie set
  by the login form) when one is configured, and the double-submit CSRF token on form posts.
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


class SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + list(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware answering 413 when a request body passes `max_bytes`.

    A declared `Content-Length` over the cap is refused before reading; a body without one (or
    lying about it) is counted as it streams in and refused the moment it passes the cap.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
        body = json.dumps({"detail": f"request body larger than the {format_size(self.max_bytes)} limit"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _only_body_too_large(exc: BaseException) -> bool:
    """True for `_BodyTooLarge`, also when a task group (Starlette's middleware) wrapped it."""
    if isinstance(exc, BaseExceptionGroup):
        return exc.split(_BodyTooLarge)[1] is None
    return isinstance(exc, _BodyTooLarge)


class Access:
    """The token and CSRF checks. With no token configured (a server on loopback) every request
    is let in; form posts are CSRF-checked either way."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self._session = hmac.new(token.encode(), b"narrascope-session", hashlib.sha256).hexdigest() if token else None

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


def csrf_value(request: Request) -> str:
    """The CSRF token of this browser (from its cookie), or a fresh one the response must set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and len(existing) == 43:
        return existing
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = secrets.token_urlsafe(32)
    return request.state.new_csrf


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Double-submit check: the form field must equal the cookie this site set."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted) and hmac.compare_digest(cookie.encode(), submitted.encode())
