"""A simulator in a thread for connector tests (the simulator stands for the outside)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from ingest.common import lifecycle
from ingest.common.http import SourceClient
from ingest.common.ledger import Ledger
from ingest.common.pseudonymise import Pseudonymiser
from ingest.common.results import LoadResult
from ingest.common.settings import SourceEndpoint, WarehousePaths
from simulator.app import Settings
from simulator.runner import RunningSimulator, run_in_thread

CLIENT_ID, CLIENT_SECRET = "test-client", "test-secret-0123456789"
SCALE, SEED = 0.01, 56


@pytest.fixture(scope="session")
def sim(tmp_path_factory) -> Iterator[RunningSimulator]:
    settings = Settings(
        CLIENT_ID, CLIENT_SECRET, seed=SEED, scale=SCALE, drop_dir=tmp_path_factory.mktemp("drops")
    )
    with run_in_thread(settings) as running:
        yield running


@pytest.fixture
def client(sim: RunningSimulator) -> Iterator[SourceClient]:
    endpoint = SourceEndpoint(sim.url("dichvucong"), CLIENT_ID, CLIENT_SECRET)
    with SourceClient(endpoint, timeout=2.0) as c:
        yield c


@pytest.fixture
def paths(tmp_path) -> WarehousePaths:
    return WarehousePaths(tmp_path / "warehouse")


@pytest.fixture
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser.from_secret("a-test-key-that-is-long-enough")


def data_until(paths: WarehousePaths, source: str, dataset: str) -> dict[str, datetime | None]:
    """What the ledger says of each live load of a dataset: how far its data reach."""
    entries = Ledger(paths.meta).entries(source, dataset).to_pylist()
    return {e["load_id"]: e["data_until"] for e in entries if e["status"] == "success"}


def promoted(paths: WarehousePaths, landed: LoadResult | list[LoadResult]) -> Any:
    """The loads as the validation leaves them when every check passes: moved from staging
    into the live lake (these tests check the connectors; ``tests/expectations`` the checks).
    A load that did not land (a file that could not be read) stays as it is."""
    if isinstance(landed, list):
        return [promoted(paths, r) for r in landed]
    if lifecycle.status(paths.meta, landed.to_dict()) != "landed":
        return landed
    return replace(landed, location=lifecycle.promote(paths, landed.to_dict()))
