"""An operator's refresh, end to end through Airflow, with no simulator: budget revenue from a
temporary drop folder, tourism from a tiny fake API served by this test; the three other
sources are not configured. ``python -m ioc refresh`` runs each DAG with ``dag.test()``; the
unconfigured ones stop at their first task (nothing pulled, no lake, no ledger entry), the
marts are built and published, and ``ioc status`` reads it all back.

Expected figures are the ones written into the file and served by the API, recomputed here:
October's budget revenue flow is October's cumulative minus September's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.common.settings import REPO_ROOT
from tests.operator import fake_api

pytestmark = pytest.mark.e2e

HEADER = "ky;ma_dvhc;cap_ngan_sach;ma_nhom_thu;ten_nhom_thu;luy_ke_thuc_hien;du_toan_nam;ngay_lap"
# (ky, cumulative domestic revenue as the export writes it, its value)
BUDGET = [("2026-09", "9000,5", 9000.5), ("2026-10", "10200,75", 10200.75)]
VISITORS = {(2026, 9): 48_000, (2026, 10): 52_000}
UNCONFIGURED = ("reporting", "dichvucong", "giaoduc")


def write_budget_files(folder: Path) -> None:
    folder.mkdir(parents=True)
    for ky, cumulative, _ in BUDGET:
        line = f"{ky};56;TINH;NOI_DIA;Thu nội địa;{cumulative};14000;{ky}-28T08:00:00+07:00"
        text = f"{HEADER}\r\n{line}\r\n"
        (folder / f"thu_ngan_sach_{ky.replace('-', '')}.csv").write_bytes(
            b"\xef\xbb\xbf" + text.encode("utf-8")
        )


def operator_env(warehouse: Path, api_url: str, drops: Path) -> dict[str, str]:
    """A clean environment: only what an operator of this province would set."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIRFLOW", "IOC_")) and k != "PYTHONPATH"
    }
    conn = json.dumps(
        {
            "conn_type": "http",
            "host": api_url,
            "login": fake_api.CLIENT_ID,
            "password": fake_api.CLIENT_SECRET,
        }
    )
    return keep | {
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW_CONN_IOC_DULICH": conn,
        "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": str(drops),
    }


def ioc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ioc", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-6000:]
    return " ".join(done.stdout.split())  # rich wraps long lines


def test_operator_refresh_from_a_drop_folder_and_an_api(tmp_path) -> None:
    warehouse, drops = tmp_path / "warehouse", tmp_path / "drops" / "ngansach"
    write_budget_files(drops)
    months = {m: [fake_api.figure(f"{m[0]}-{m[1]:02d}", n)] for m, n in VISITORS.items()}
    with fake_api.serve(months) as api:
        env = operator_env(warehouse, api.url, drops)
        out = ioc(env, "refresh", "--period", "2026-10", "--since", "2026-09-01")
        assert any(
            r.startswith("GET /api/v1/thong-ke-thang?nam=2026&thang=10") for r in api.requests
        )

    for source in UNCONFIGURED:
        assert f"ingest_{source}: not configured" in out
    assert "ingest_dulich: success" in out and "ingest_ngansach: success" in out
    assert "refresh_marts: success" in out
    assert not any((warehouse / "lake" / s).exists() for s in UNCONFIGURED)

    with duckdb.connect(str(warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        status = dict(con.execute("select source, status from dq.dq_source_status").fetchall())
        value = dict(
            con.execute(
                "select indicator_code, actual_value from marts.fct_indicator_value "
                "where admin_unit_code = '56' and period_label = '2026-10' "
                "and indicator_code in ('DL_TONG_LUOT_KHACH', 'TNS_NOI_DIA')"
            ).fetchall()
        )
        ledger = con.execute("select distinct source from dq.load_ledger").fetchall()
        late = con.execute(
            "select count(*) from dq.dq_check_result "
            "where check_kind = 'freshness' and split_part(dataset, '.', 1) in ?",
            [list(UNCONFIGURED)],
        ).fetchone()[0]
    assert status == {
        "reporting": "not_configured",
        "dichvucong": "not_configured",
        "ngansach": "delivering",
        "dulich": "delivering",
        "giaoduc": "not_configured",
    }
    assert value["DL_TONG_LUOT_KHACH"] == VISITORS[(2026, 10)]
    assert value["TNS_NOI_DIA"] == pytest.approx(BUDGET[1][2] - BUDGET[0][2])
    assert sorted(r[0] for r in ledger) == ["dulich", "ngansach"]
    assert late == 0  # an unconfigured source is not failed for freshness

    report = ioc(env, "status")
    for source in UNCONFIGURED:
        assert f"ingest_{source} not configured (skipped)" in report
        assert f"{source} not configured" in report
    assert "refresh_marts success" in report
    assert "dulich.thong_ke_thang success" in report
    assert "ngansach.thu_ngan_sach success" in report
