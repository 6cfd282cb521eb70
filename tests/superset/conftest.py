"""Fixtures for the Superset tests: one real Superset, booted once per session."""

from __future__ import annotations

import hashlib
import secrets
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboards import deploy, server
from dashboards.api import SupersetClient

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "artifacts"


@dataclass(frozen=True)
class LiveSuperset:
    settings: server.Settings
    serving_db: Path
    serving_db_sha256: str  # of the published file before Superset opened it
    boot_seconds: float
    deploy_seconds: float
    demo_password: str  # of the demo users of dashboards/roles.yaml

    def client(self) -> SupersetClient:
        return SupersetClient(self.settings.base_url, "admin", self.settings.admin_password)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def live_superset(
    published_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveSuperset]:
    """The real Superset (serving env, gunicorn) on a free loopback port, bundle deployed."""
    settings = server.Settings(
        warehouse=published_warehouse,
        state_dir=tmp_path_factory.mktemp("superset"),  # fresh metadata DB
        secret_key=secrets.token_urlsafe(48),
        admin_password=secrets.token_urlsafe(16),
        port=_free_port(),
    )
    demo_password = secrets.token_urlsafe(16)
    serving_db = deploy.serving_database(published_warehouse)
    digest = _sha256(serving_db)
    began = time.monotonic()
    server.start(settings)
    booted = time.monotonic()
    try:
        deploy.deploy(
            settings.base_url,
            settings.admin_password,
            published_warehouse,
            demo_password=demo_password,
        )
        deployed = time.monotonic()
        yield LiveSuperset(
            settings, serving_db, digest, booted - began, deployed - booted, demo_password
        )
    finally:
        server.stop(settings)


@pytest.fixture(scope="session")
def superset_client(live_superset: LiveSuperset) -> Iterator[SupersetClient]:
    with live_superset.client() as client:
        yield client


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
