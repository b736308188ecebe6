"""`narrascope serve`: the web app (analyse, article view, library, trends, JSON API)."""

from __future__ import annotations

import argparse
import ipaddress
import os
from pathlib import Path

from ..errors import InputError
from ._help import add_command

TOKEN_ENV = "NARRASCOPE_TOKEN"


def register(commands: argparse._SubParsersAction) -> None:
    parser = add_command(
        commands,
        "serve",
        help="run the web app",
        description="Serve the web app (analyse, article view, library, trends) and its JSON API over the "
        "store `narrascope analyze` fills (--store, default NARRASCOPE_STORE_URL or the user data folder). "
        "On any address other than loopback an access token is required (--token, or the "
        f"{TOKEN_ENV} environment variable, which keeps it out of ps).",
        examples=[
            ("on this machine, at http://127.0.0.1:8000", "narrascope serve"),
            ("over a team's store", "narrascope serve --store postgresql://host/news --port 8080"),
            ("for a team network, with a token", f"{TOKEN_ENV}=s3cret narrascope serve --host 0.0.0.0"),
        ],
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--store",
        metavar="URL",
        help="sqlite:///path.db or postgresql://..., which must exist (default: NARRASCOPE_STORE_URL, else the "
        "SQLite file in the user data folder, made when missing)",
    )
    parser.add_argument("--token", help=f"access token for the API and pages (default: ${TOKEN_ENV})")
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="let URL analysis fetch loopback, private and link-local addresses "
        "(off by default, so the server cannot be used to probe its own network)",
    )
    parser.add_argument("--components", help="comma-separated components to run, or 'none' (default: all)")
    parser.add_argument(
        "--taxonomy", metavar="FILE", type=Path, action="append", default=[],
        help="also score your own labels from this taxonomy file (repeatable); the Storylines page saves "
        "storylines into the first one",
    )
    parser.add_argument(
        "--workers", type=int, help="analyses run at once, each in its own process (default: one per two cores, up to 4)"
    )
    parser.add_argument(
        "--job-timeout", type=float, default=300.0, metavar="SECONDS",
        help="time limit of one submission (default: 300)",
    )
    parser.add_argument(
        "--document-timeout", type=float, metavar="SECONDS",
        help="time limit of one document within a submission; 0 for none (default: 120, or NARRASCOPE_DOCUMENT_TIMEOUT)",
    )
    parser.add_argument(
        "--queue-timeout", type=float, default=900.0, metavar="SECONDS",
        help="a submission still waiting for a worker after this long expires (default: 900)",
    )
    parser.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..components import DEFAULT_COMPONENTS
    from ..settings import Settings
    from ..web import WebConfig, create_app
    from ..web.services import LOOPBACK_HOSTS

    token = args.token or os.environ.get(TOKEN_ENV) or None
    local = is_loopback(args.host)
    if not local and not token:
        raise InputError(
            f"--host {args.host}: serving beyond this machine needs an access token (--token or {TOKEN_ENV})"
        )
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers {args.workers}: must be at least 1")
    for flag, value in (("--job-timeout", args.job_timeout), ("--queue-timeout", args.queue_timeout)):
        if not 0 < value < float("inf"):
            raise InputError(f"{flag} {value:g}: must be a positive number of seconds")
    if args.document_timeout is not None and not 0 <= args.document_timeout < float("inf"):
        raise InputError(f"--document-timeout {args.document_timeout:g}: must be 0 or a positive number of seconds")
    components = DEFAULT_COMPONENTS
    if args.components is not None:
        components = tuple(c.strip() for c in args.components.split(",") if c.strip() and c.strip() != "none")
        unknown = sorted(set(components) - set(DEFAULT_COMPONENTS))
        if unknown:
            raise InputError(f"--components: unknown {', '.join(unknown)} (known: {', '.join(DEFAULT_COMPONENTS)})")
    if args.store is not None:  # a store named on purpose must exist: a typo must not serve an empty one
        from .store import open_existing

        open_existing(args.store).close()
    settings = Settings.from_env(
        allow_private_addresses=True if args.allow_private_urls else None, document_timeout=args.document_timeout
    )
    config = WebConfig(
        settings=settings,
        store_url=args.store,
        token=token,
        components=components,
        taxonomies=tuple(args.taxonomy),
        job_timeout=args.job_timeout,
        queue_timeout=args.queue_timeout,
        allowed_hosts=(*LOOPBACK_HOSTS, args.host) if local else None,
        **({"workers": args.workers} if args.workers else {}),
    )
    print(f"narrascope: serving on http://{args.host}:{args.port}/" + (" (token required)" if token else ""))
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        log_level="info",
        proxy_headers=False,
        timeout_graceful_shutdown=5,  # requests waiting on a job let go; the job itself stays queued
    )
    return 0
