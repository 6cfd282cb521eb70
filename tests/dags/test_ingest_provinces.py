"""Ingestion fanned out over provinces × sources (dags/ingest_provinces.py): Airflow's own
run (``dag.test()`` in a fresh AIRFLOW_HOME) maps `extract` and `validate` over every source
a province of the Variable `ioc_provinces` configured, one task instance each, at most
PROVINCE_CONCURRENCY at once.

Cao Bằng (04) has all five sources configured (its own connections and drop folders, to the
simulator's multi-province mode), Huế (46) its portal and tourism statistics only, a third
province nothing: every mapped instance succeeds, the configured provinces' dossiers are in
the shared Hive table under province=<code> (read by DuckDB's hive partitioning, counted
against what each province's portal served), every dataset of Cao Bằng's five sources is
under province=04 carrying Cao Bằng's codes only, the third province has none, and each
province keeps its own ledger, one successful load per configured source at least. The run
pulls from September (the budget's September file is the last one out by November 1st)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import duckdb
import httpx
import pytest

from expectations.reference import province_unit_codes
from ingest.common.settings import REPO_ROOT
from simulator import Settings, run_in_thread

pytestmark = pytest.mark.e2e

CONFIGURED, UNCONFIGURED = ("04", "46"), "11"
SOURCES = {  # what each configured province set up
    "04": ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc"),
    "46": ("dichvucong", "dulich"),
}
DROPS = {"reporting", "ngansach"}  # sources with a drop folder (the others: a connection)
SINCE, UNTIL = "2026-09-01T00:00:00+07:00", "2026-11-01T00:00:00+07:00"
SCRIPT = textwrap.dedent(
    """
    import json, pendulum
    from airflow.dag_processing.dagbag import DagBag
    from demo.airflow_run import migrate_metadata_db
    migrate_metadata_db()
    dag = DagBag(dag_folder={dags!r}).dags["ingest_provinces"]
    concurrency = {{t.task_id: t.max_active_tis_per_dag for t in dag.tasks}}
    run = dag.test(
        logical_date=pendulum.datetime(2026, 11, 1, 2, tz="Asia/Ho_Chi_Minh"),
        run_conf={{"since": "2026-09-01T00:00"}},
    )
    print(json.dumps({{"state": str(run.state), "concurrency": concurrency, "tasks": [
        [ti.task_id, ti.map_index, str(ti.state)] for ti in run.get_task_instances()
    ]}}))
    """
)


def served_total(base: str, province: str) -> int:
    """What ``province``'s portal serves for the window (its first page's ``total``)."""
    url = f"{base}/{province}/dichvucong"
    with httpx.Client(timeout=300) as client:
        form = {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}
        token = client.post(f"{url}/oauth/token", data=form).json()["access_token"]
        page = client.get(
            f"{url}/api/v1/ho-so",
            params={"cap_nhat_tu": SINCE, "cap_nhat_den": UNTIL, "page_size": 1},
            headers={"Authorization": f"Bearer {token}"},
        )
        return page.json()["total"]


def test_extract_and_validate_map_once_per_province(tmp_path) -> None:
    from demo.environment import airflow_env

    warehouse = tmp_path / "warehouse"
    drops = tmp_path / "drops"
    settings = Settings(
        client_id="x", client_secret="y", scale=0.003, provinces=CONFIGURED, drop_dir=drops
    )
    with run_in_thread(settings) as sim:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "IOC_"))}
        env = keep | airflow_env(warehouse)
        env["AIRFLOW_VAR_IOC_PROVINCES"] = ",".join([*CONFIGURED, UNCONFIGURED])
        env["AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY"] = "a test key of 32 bytes, not real"
        for code, sources in SOURCES.items():
            for source in sources:
                conn = {"conn_type": "http", "host": f"{sim.base_url}/{code}/{source}"}
                key = f"IOC_{source.upper()}_{code}"
                if source in DROPS:
                    env[f"AIRFLOW_VAR_IOC_{source.upper()}_DROP_DIR_{code}"] = str(
                        drops / code / source
                    )
                if source != "ngansach":  # the budget is its drop folder alone
                    env[f"AIRFLOW_CONN_{key}"] = json.dumps(conn | {"login": "x", "password": "y"})
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(dags=str(REPO_ROOT / "dags"))],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
        served = {code: served_total(sim.base_url, code) for code in CONFIGURED}

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["state"] == "success", result
    assert result["concurrency"]["extract"] == result["concurrency"]["validate"] == 2
    mapped = sorted((t, i) for t, i, state in result["tasks"] if t in {"extract", "validate"})
    pairs = sum(len(sources) for sources in SOURCES.values())
    assert mapped == [(t, i) for t in ("extract", "validate") for i in range(pairs)]
    assert all(state == "success" for _, _, state in result["tasks"]), result["tasks"]

    lake = warehouse / "lake"
    table = lake / "dichvucong" / "ho_so"
    assert sorted(p.name for p in table.iterdir()) == [f"province={c}" for c in CONFIGURED]
    counts = dict(
        duckdb.sql(
            f"select province, count(*) from read_parquet('{table}/*/*/*.parquet', "
            "hive_partitioning = true, hive_types_autocast = false) "
            "where NgayCapNhat >= timestamp '2026-09-01' group by all"
        ).fetchall()
    )
    assert counts == served and all(n > 0 for n in served.values())
    for code in CONFIGURED:  # each province's own ledger, staging emptied by promotion
        ledger = duckdb.sql(
            "select source, list(distinct status) from "
            f"'{lake}/province={code}/_meta/load_ledger/*.parquet' group by source"
        ).fetchall()
        assert {source: statuses for source, statuses in ledger} == {
            source: ["success"] for source in SOURCES[code]
        }
    assert not (lake / f"province={UNCONFIGURED}").exists()
    # Cao Bằng's five sources, every dataset in the shared tables under its own partition
    # only, and only Cao Bằng's real codes in it.
    allowed = set(province_unit_codes("04"))
    for source in SOURCES["04"]:
        tables = sorted(p for p in (lake / source).iterdir() if not p.name.startswith("_"))
        assert tables, source
        for table in tables:
            partitions = {p.name for p in table.iterdir()}
            assert "province=04" in partitions and partitions <= {
                f"province={c}" for c in CONFIGURED
            }, table
            columns = duckdb.sql(f"select * from '{table}/province=04/*/*.parquet' limit 0").columns
            for column in {"ma_dvhc", "MaDVHC"} & set(columns):
                found = {
                    code
                    for (code,) in duckdb.sql(
                        f"select distinct trim({column}) from '{table}/province=04/*/*.parquet' "
                        f"where {column} is not null"
                    ).fetchall()
                }
                assert found and found <= allowed, (table, sorted(found - allowed)[:5])
