"""The monthly refresh, end to end through Airflow: what it publishes matches the source.

Expected figures are computed from the simulator's own records with pandas
(tests/e2e/expected.py), independently of the dbt models.
"""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from tests.conftest import Pipeline
from tests.e2e import expected


@pytest.fixture(scope="module")
def current(pipeline: Pipeline) -> pd.DataFrame:
    return expected.current_state(expected.change_stream(pipeline.seed, pipeline.scale))


@pytest.fixture(scope="module")
def agg_expected(current: pd.DataFrame) -> pd.DataFrame:
    return expected.public_service_month(current)


def serving(pipeline: Pipeline, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        return con.execute(sql).df()


def test_public_service_month_matches_the_source_row_for_row(pipeline, agg_expected) -> None:
    got = serving(pipeline, "SELECT * FROM marts.agg_public_service_month")
    got["month_start"] = pd.to_datetime(got["month_start"])
    got = got.set_index(["month_start", "agency_code", "admin_unit_code"]).sort_index()
    assert len(got) == len(agg_expected) > 1000
    pd.testing.assert_frame_equal(
        got[expected.COUNTS].astype("int64"), agg_expected, check_names=False
    )
    # Percentages are ratios of the row's own counts.
    with_resolved = got[got["resolved"] > 0]
    assert (
        with_resolved["on_time_pct"]
        - 100 * with_resolved["resolved_on_time"] / with_resolved["resolved"]
    ).abs().max() < 1e-9
    assert got.loc[got["resolved"] == 0, "on_time_pct"].isna().all()
    # Both generations of units are there: old codes before the reform, new ones after.
    months = got.reset_index()
    reform = pd.Timestamp("2025-07-01")
    assert {"58"} & set(months.loc[months["month_start"] < reform, "admin_unit_code"])
    assert not {"58"} & set(months.loc[months["month_start"] >= reform, "admin_unit_code"])


@pytest.mark.parametrize(
    ("mart", "todays_units"),
    [("fct_indicator_value", False), ("fct_indicator_value_current_unit", True)],
)
def test_indicator_values_match_the_source_for_every_rule_and_period(
    pipeline, agg_expected, mart, todays_units
) -> None:
    want = expected.indicator_values(expected.province_month(agg_expected), todays_units)
    got = serving(
        pipeline,
        "SELECT indicator_code, admin_unit_code, period_type, "
        f"period_label, actual_value FROM marts.{mart} "
        "WHERE actual_value IS NOT NULL AND source = 'dichvucong'",
    )
    got = got.set_index(["indicator_code", "admin_unit_code", "period_type", "period_label"])
    got = got["actual_value"].sort_index()
    want = want.sort_index()
    assert set(got.index) == set(want.index)
    pd.testing.assert_series_equal(got, want.reindex(got.index), check_names=False, rtol=1e-9)
    # Spot checks a reader would make, on each side of the 2025-07-01 reform: old 58 has no
    # period ending after it, and 2025 of today's 56 covers old 56 and 58 from January.
    assert (("DVC_TY_LE_DUNG_HAN", "58", "quarter", "2025-Q2") in got.index) != todays_units
    assert ("DVC_HS_TIEP_NHAN", "58", "year", "2025") not in got.index
    for key in [
        ("DVC_TY_LE_DUNG_HAN", "56", "quarter", "2025-Q3"),
        ("DVC_HS_TIEP_NHAN", "56", "year", "2024"),
        ("DVC_HS_TIEP_NHAN", "56", "year", "2025"),
        ("DVC_HS_QUA_HAN", "56", "half_year", "2026-H1"),
        ("DVC_TY_LE_TRUC_TUYEN", "56", "ytd", "2026-10-YTD"),
    ]:
        assert key in got.index, key


def test_year_on_year_compares_the_same_territory(pipeline) -> None:
    """2026-Q2 of today's 56 against 2025-Q2 of the same territory (old 56 + 58)."""
    query = (
        "SELECT admin_unit_code, period_label, actual_value, same_period_last_year, "
        "yoy_change_pct FROM marts.{} WHERE indicator_code = 'DVC_HS_TIEP_NHAN' "
        "AND period_type = 'quarter'"
    )
    reported = serving(pipeline, query.format("fct_indicator_value"))
    reported = reported.set_index(["admin_unit_code", "period_label"])
    today = serving(pipeline, query.format("fct_indicator_value_current_unit"))
    today = today.set_index(["admin_unit_code", "period_label"])
    old_56, old_58 = (reported.loc[(u, "2025-Q2"), "actual_value"] for u in ("56", "58"))
    assert today.loc[("56", "2025-Q2"), "actual_value"] == old_56 + old_58
    now = reported.loc[("56", "2026-Q2")]
    assert now["same_period_last_year"] == old_56 + old_58
    assert now["yoy_change_pct"] == pytest.approx(
        100 * (now["actual_value"] / (old_56 + old_58) - 1)
    )
    # an old unit's figures compare with its own a year before
    old = reported.loc[("58", "2025-Q2"), "same_period_last_year"]
    assert old == reported.loc[("58", "2024-Q2"), "actual_value"]


def test_fct_dossier_is_the_current_state_without_personal_data(pipeline, current) -> None:
    got = serving(pipeline, "SELECT * FROM marts.fct_dossier")
    assert len(got) == len(current)
    assert set(got.columns).isdisjoint(
        {"ChuHoSo", "HoTen", "SoGiayTo", "SoDienThoai", "DiaChi", "owner_name"}
    )
    resolved = int(current["NgayKetThucXuLy"].notna().sum())
    assert int(got["is_resolved"].sum()) == resolved


def test_every_load_is_in_the_ledger_and_the_lake(pipeline) -> None:
    lake = pipeline.warehouse / "lake"
    ledger = ds.dataset(lake / "_meta" / "load_ledger", format="parquet").to_table().to_pandas()
    ho_so = ledger[ledger["dataset"] == "ho_so"]
    assert (ho_so["status"] == "success").all()
    assert len(ho_so) == 58  # 2022-01 … 2026-10, one load a month
    rows = ds.dataset(
        lake / "dichvucong" / "ho_so", format="parquet", partitioning="hive"
    ).count_rows()
    assert ho_so["rows_loaded"].sum() == rows
    assert (pipeline.warehouse / "dq" / "data_docs" / "index.html").exists()


# when, not what (fct_dossier's replaced_*: the state a run's rewrite of the row replaced)
BOOKKEEPING = ["refreshed_at", "extracted_at", "processed_at", "fitted_at",
               "replaced_received_at", "replaced_closed_at", "replaced_processed_at"]  # fmt: skip
COMPARED = ["agg_public_service_month", "fct_indicator_value", "fct_dossier",
            "fct_indicator_forecast", "fct_indicator_backtest", "fct_indicator_alert"]  # fmt: skip


def _digest(pipeline: Pipeline) -> dict[str, str]:
    out = {}
    for table in COMPARED:
        df = serving(pipeline, f"SELECT * FROM marts.{table}")
        df = df.drop(columns=[c for c in BOOKKEEPING if c in df.columns])
        df = df.sort_values(list(df.columns)).reset_index(drop=True)
        out[table] = hashlib.sha256(pd.util.hash_pandas_object(df).values.tobytes()).hexdigest()
    return out


def test_rerunning_the_refresh_for_the_same_month_changes_nothing(pipeline) -> None:
    before = _digest(pipeline)
    loads = sorted(p.name for p in (pipeline.warehouse / "lake/dichvucong/ho_so").iterdir())
    pipeline.refresh(since="2026-10-01T00:00:00")
    assert sorted(p.name for p in (pipeline.warehouse / "lake/dichvucong/ho_so").iterdir()) == loads
    assert _digest(pipeline) == before
