"""Education (giaoduc) as published by the session's real refresh, recomputed from what the
simulator lists (``EducationWorld.served`` / ``exam_served``) with the GSO unit files: a
school counts under the province of its commune as coded on its newest update (old codes
before 2025-07-01, new after); counts are summed, rates are ratios of sums."""

from __future__ import annotations

import csv
from collections import defaultdict

import duckdb
import pandas as pd
import pytest

from ingest.common.settings import REPO_ROOT
from simulator.clock import AS_OF_SEC
from simulator.giaoduc import EducationWorld
from tests.conftest import Pipeline

UNITS = REPO_ROOT / "dbt_project" / "seeds" / "admin_units"


def _provinces(name: str) -> dict[str, str]:
    with (UNITS / name).open(encoding="utf-8") as f:
        return {r["commune_code"]: r["province_code"] for r in csv.DictReader(f)}


OLD, NEW = _provinces("units_before_2025_07_01.csv"), _provinces("units_after_2025_07_01.csv")
with (UNITS / "province_crosswalk_2025.csv").open(encoding="utf-8") as f:
    SUCCESSOR = {r["old_province_code"]: r["new_province_code"] for r in csv.DictReader(f)}


def _province(row: dict) -> str:
    return (OLD if row["ngay_cap_nhat"] < "2025-07-01" else NEW)[row["ma_dvhc"]]


@pytest.fixture(scope="module")
def published(pipeline: Pipeline) -> pd.Series:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        frame = con.execute(
            "SELECT indicator_code, admin_unit_code, period_label, actual_value "
            "FROM marts.fct_indicator_value WHERE source = 'giaoduc'"
        ).df()
    return frame.set_index(["indicator_code", "admin_unit_code", "period_label"])["actual_value"]


@pytest.fixture(scope="module")
def world(pipeline: Pipeline) -> EducationWorld:
    return EducationWorld(pipeline.seed)


@pytest.mark.parametrize("start", [2024, 2025])  # 2024-2025 before the reform, 2025-2026 after
def test_a_school_year_on_each_side_of_the_reform(world, published, start) -> None:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in world.served(start, AS_OF_SEC):
        totals = sums[_province(row)]
        totals["schools"] += 1
        for field in ("so_hoc_sinh", "so_giao_vien", "so_giao_vien_dat_chuan"):
            totals[field] += row[field] or 0
    label = f"{start}-{start + 1}"
    assert set(sums) == ({"56", "58"} if start == 2024 else {"56"})
    for province, t in sums.items():
        assert published[("GD_SO_TRUONG", province, label)] == t["schools"]
        assert published[("GD_SO_HOC_SINH", province, label)] == t["so_hoc_sinh"]
        rate = 100 * t["so_giao_vien_dat_chuan"] / t["so_giao_vien"]
        assert published[("GD_TY_LE_GV_DAT_CHUAN", province, label)] == pytest.approx(rate)


@pytest.mark.parametrize("year", [2024, 2025])
def test_exam_pass_rate_is_the_ratio_of_sums(world, published, year) -> None:
    # An exam school counts under its province in the school year that ends with the exam;
    # an exam year ending after the reform is today's province's (old 56 and 58 as new 56).
    where = {r["ma_truong"]: _province(r) for r in world.served(year - 1, AS_OF_SEC)}
    if year >= 2025:
        where = {school: SUCCESSOR[province] for school, province in where.items()}
    sat: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    for row in world.exam_served(year, AS_OF_SEC):
        sat[where[row["ma_truong"]]] += row["thi_sinh_du_thi"]
        passed[where[row["ma_truong"]]] += row["thi_sinh_tot_nghiep"]
    assert set(sat) == ({"56"} if year >= 2025 else {"56", "58"})
    for province in sat:
        assert published[("GD_THI_SINH_DU_THI", province, str(year))] == sat[province]
        rate = 100 * passed[province] / sat[province]
        assert published[("GD_TY_LE_TOT_NGHIEP_THPT", province, str(year))] == pytest.approx(rate)
