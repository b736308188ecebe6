"""Shared test setup. Every test runs with outbound connections limited to loopback, so no test
can reach any other address (private ranges included) even by mistake."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple):  # unix socket path
        return True
    host = address[0]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _guarded(real):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {address!r}")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    socket.socket.connect = _guarded(_real_connect)
    socket.socket.connect_ex = _guarded(_real_connect_ex)
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex


@pytest.fixture(autouse=True)
def private_default_store(tmp_path_factory, monkeypatch):
    """`narrascope analyze` keeps every analysis in the default store: in tests, a fresh one per
    test, never the user's own."""
    url = f"sqlite:///{tmp_path_factory.mktemp('default-store') / 'narrascope.sqlite'}"
    monkeypatch.setenv("NARRASCOPE_STORE_URL", url)
    return url


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("NARRASCOPE_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("NARRASCOPE_TEST_POSTGRES_URL is not set: scripts/test.sh starts PostgreSQL")
        pytest.skip("PostgreSQL not started (run the suite with scripts/test.sh)")
    return url


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every test that needs it (starting one takes seconds)."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    from narrascope.scale import create_session

    session = create_session("local[2]", app_name="narrascope-tests", shuffle_partitions=2)
    yield session
    session.stop()
