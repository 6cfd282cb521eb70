"""Connectors take their endpoint and secrets from Airflow's standard variables, so the
same command runs against the simulator or a real system by configuration alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.dataset as ds
import pytest

from ingest.common.settings import SourceEndpoint, get_variable
from simulator import dichvucong as sim_dichvucong
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, SCALE, SEED

FORMS = [
    # (what an operator writes, the base URL it means)
    ("http://my%20id:s%3Acret@https%3A%2F%2F10.0.0.5%3A8443%2Fdvc", "https://10.0.0.5:8443/dvc"),
    ("http://my%20id:s%3Acret@10.0.0.5:8443/https", "https://10.0.0.5:8443"),
    ("http://https://my%20id:s%3Acret@10.0.0.5:8443/dvc", "https://10.0.0.5:8443/dvc"),
    ("http://my%20id:s%3Acret@10.0.0.5:8080/http", "http://10.0.0.5:8080"),
    (
        json.dumps(
            {
                "conn_type": "http",
                "host": "https://dvc.gov.vn/api/",
                "login": "my id",
                "password": "s:cret",
            }
        ),
        "https://dvc.gov.vn/api",
    ),
    (
        json.dumps(
            {
                "conn_type": "http",
                "host": "dvc.gov.vn",
                "schema": "https",
                "port": "8443",
                "login": "my id",
                "password": "s:cret",
            }
        ),
        "https://dvc.gov.vn:8443",
    ),
    (
        json.dumps(
            {
                "conn_type": "http",
                "host": "http://127.0.0.1",
                "schema": "dvc",
                "port": 8765,
                "login": "my id",
                "password": "s:cret",
            }
        ),
        "http://127.0.0.1:8765/dvc",
    ),
]
NO_PROTOCOL = [
    "http://my%20id:s%3Acret@10.0.0.5:8443/dvc",  # the path is Airflow's schema, no protocol
    "http://my%20id:s%3Acret@dvc.gov.vn",
    json.dumps({"conn_type": "http", "host": "dvc.gov.vn", "login": "a", "password": "b"}),
]


def _in_airflow(raw: str) -> SourceEndpoint:
    """What the DAG task builds: Airflow's own Connection parsing, then our one function."""
    from airflow.sdk.definitions.connection import Connection

    c = (
        Connection.from_json(raw, "ioc_x")
        if raw.startswith("{")
        else Connection.from_uri(raw, "ioc_x")
    )
    return SourceEndpoint.from_connection(
        "ioc_x", c.host or "", c.login or "", c.password or "", c.schema or "", c.port
    )


@pytest.mark.parametrize(("raw", "base_url"), FORMS)
def test_a_connection_means_the_same_inside_and_outside_airflow(monkeypatch, raw, base_url):
    monkeypatch.setenv("AIRFLOW_CONN_IOC_X", raw)
    outside = SourceEndpoint.from_env("ioc_x")
    assert outside == SourceEndpoint(base_url, "my id", "s:cret")
    assert _in_airflow(raw) == outside


@pytest.mark.parametrize("raw", NO_PROTOCOL)
def test_a_host_without_protocol_is_an_error_that_says_what_to_write(monkeypatch, raw):
    monkeypatch.setenv("AIRFLOW_CONN_IOC_X", raw)
    for build in (lambda: SourceEndpoint.from_env("ioc_x"), lambda: _in_airflow(raw)):
        with pytest.raises(ValueError, match="ioc_x") as error:
            build()
        assert "has no protocol" in str(error.value)
        assert '"host": "https://' in str(error.value) and "https%3A%2F%2F" in str(error.value)


def test_missing_connection_and_variable_name_the_environment_variable(monkeypatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_IOC_X", raising=False)
    with pytest.raises(KeyError, match="AIRFLOW_CONN_IOC_X"):
        SourceEndpoint.from_env("ioc_x")
    with pytest.raises(KeyError, match="AIRFLOW_VAR_IOC_MISSING"):
        get_variable("ioc_missing")


def test_the_command_line_connector_loads_a_window(sim, tmp_path) -> None:
    env = {
        **os.environ,
        "IOC_WAREHOUSE": str(tmp_path),
        "AIRFLOW_CONN_IOC_DICHVUCONG": json.dumps(
            {
                "conn_type": "http",
                "host": sim.url("dichvucong"),
                "login": CLIENT_ID,
                "password": CLIENT_SECRET,
            }
        ),
        "AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY": "another-key-of-enough-length",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.dichvucong",
            "--since",
            "2024-03-01",
            "--until",
            "2024-04-01",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "ho_so_20240301T0000_20240401T0000:" in out
    rows = ds.dataset(tmp_path / "lake" / "dichvucong" / "ho_so", format="parquet").count_rows()
    assert (
        rows
        == sim_dichvucong.records(
            "2024-03-01", "2024-04-01", seed=SEED, scale=SCALE, owner=False
        ).num_rows
    )
