"""Fixtures for the simulator tests: one in-process server, a reference client, the data."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import orjson
import pandas as pd
import pyarrow as pa
import pytest
from simkit import SCALE, SEED, SourceClient

from simulator import Settings, run_in_thread
from simulator.dichvucong import DossierWorld, records


@pytest.fixture(scope="session")
def credentials() -> tuple[str, str]:
    return "ioc-test", secrets.token_urlsafe(24)


@pytest.fixture(scope="session")
def sim(credentials: tuple[str, str]) -> Iterator:
    settings = Settings(
        client_id=credentials[0], client_secret=credentials[1], seed=SEED, scale=SCALE
    )
    with run_in_thread(settings) as running:
        yield running


@pytest.fixture
def client(sim, credentials: tuple[str, str]) -> Iterator[SourceClient]:
    c = SourceClient(sim.url("dichvucong"), *credentials)
    yield c
    c.close()


@pytest.fixture
def faults(sim) -> Iterator:
    """Set faults with ``faults({...})`` (dichvucong); they are reset after the test."""
    http = httpx.Client(base_url=sim.base_url)

    def set_faults(cfg: dict) -> None:
        r = http.post("/_sim/faults", content=orjson.dumps({"dichvucong": cfg}))
        assert r.status_code == 200, r.text

    yield set_faults
    http.delete("/_sim/faults")
    http.close()


@pytest.fixture(scope="session")
def world() -> DossierWorld:
    return DossierWorld(SEED, SCALE)


@pytest.fixture(scope="session")
def history(world: DossierWorld) -> pa.Table:
    """Every record of the simulated world at the test scale."""
    return records("2022-01-01T00:00:00+07:00", "2026-11-01T00:00:00+07:00", world=world)


@pytest.fixture(scope="session")
def history_df(history: pa.Table) -> pd.DataFrame:
    df = history.to_pandas()
    df["SoGiayTo"] = [o["SoGiayTo"] for o in df["ChuHoSo"]]
    return df
