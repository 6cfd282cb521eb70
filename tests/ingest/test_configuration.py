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


def test_connection_in_uri_and_json_form(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_IOC_X", "http://my%20id:s%3Acret@10.0.0.5:8443/dvc")
    assert SourceEndpoint.from_env("ioc_x") == SourceEndpoint(
        "http://10.0.0.5:8443/dvc", "my id", "s:cret"
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_IOC_X",
        json.dumps(
            {
                "conn_type": "http",
                "host": "dvc.example.gov.vn",
                "schema": "https",
                "login": "a",
                "password": "b",
            }
        ),
    )
    assert SourceEndpoint.from_env("ioc_x").base_url == "https://dvc.example.gov.vn"
    monkeypatch.delenv("AIRFLOW_CONN_IOC_X")
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
    assert "ho_so_20240301T0000_20240401T0000: success," in out
    rows = ds.dataset(tmp_path / "lake" / "dichvucong" / "ho_so", format="parquet").count_rows()
    assert (
        rows
        == sim_dichvucong.records(
            "2024-03-01", "2024-04-01", seed=SEED, scale=SCALE, owner=False
        ).num_rows
    )
