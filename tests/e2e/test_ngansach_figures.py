"""Budget revenue (ngansach) as published by the session's real refresh, against figures
recomputed with pandas from the simulator's own files (``simulator.ngansach``), not from the
lake or the dbt models: the newest ``ngay_lap`` of a key wins, flows are differences of
cumulatives, YTD is the cumulative, % of plan is against the annual estimate in force.
A sample on each side of the 2025-07-01 reform."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from simulator.clock import AS_OF_SEC
from simulator.faults import FaultConfig
from simulator.ngansach import BudgetWorld, drop_files
from tests.conftest import REVISION_FAULTS, Pipeline

KEY = ["ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu"]
TOP_LEVEL = ["NOI_DIA", "XNK", "DAU_THO", "VIEN_TRO"]
CENT = 0.006  # amounts carry two decimals (million VND)


@pytest.fixture(scope="module")
def figures(pipeline: Pipeline) -> pd.DataFrame:
    """The budget figures as they stand: every version of every file, newest ngay_lap wins;
    TONG added as the sum of the top-level groups. Indexed by (ky, unit, group)."""
    world = BudgetWorld(pipeline.seed)
    faults = FaultConfig.from_dict(REVISION_FAULTS["ngansach"])
    files = drop_files(world, AS_OF_SEC, faults, every_version=True)
    # lines whose unit or group code was spoiled (no list places them) are left out
    spoiled = {(f.name, f.version.version, s.line) for f in files for s in f.rendered.unknown_codes}
    rows = pd.DataFrame(
        [
            row
            for f in files
            for line, row in enumerate(f.rows, start=2)
            if (f.name, f.version.version, line) not in spoiled
        ]
    )
    rows["ngay_lap"] = pd.to_datetime(rows["ngay_lap"])
    rows["ma_dvhc"] = rows["ma_dvhc"].str.strip()
    # the newest ngay_lap, then (a conflict) the later file and line: a stable sort
    newest = rows.sort_values("ngay_lap", kind="stable").groupby(KEY).tail(1)
    total = (
        newest[newest["ma_nhom_thu"].isin(TOP_LEVEL)]
        .groupby(["ky", "ma_dvhc", "cap_ngan_sach"], as_index=False)[
            ["luy_ke_thuc_hien", "du_toan_nam"]
        ]
        .sum()
        .assign(ma_nhom_thu="TONG")
    )
    frame = pd.concat([newest, total])
    return frame.set_index(["ky", "ma_dvhc", "ma_nhom_thu"])[["luy_ke_thuc_hien", "du_toan_nam"]]


@pytest.fixture(scope="module")
def published(pipeline: Pipeline) -> pd.DataFrame:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        frame = con.execute(
            "SELECT indicator_code, admin_unit_code, period_label, actual_value, plan_value, "
            "pct_of_plan, is_estimate FROM marts.fct_indicator_value WHERE source = 'ngansach'"
        ).df()
    return frame.set_index(["indicator_code", "admin_unit_code", "period_label"])


def cumulative(figures: pd.DataFrame, ky: str, unit: str, group: str) -> float:
    return float(figures.loc[(ky, unit, group), "luy_ke_thuc_hien"])


def check(published: pd.DataFrame, code: str, unit: str, label: str, actual, plan) -> None:
    row = published.loc[(code, unit, label)]
    assert row["actual_value"] == pytest.approx(actual, abs=CENT), (code, unit, label)
    assert row["plan_value"] == pytest.approx(plan, abs=CENT), (code, unit, label)
    assert row["pct_of_plan"] == pytest.approx(100 * row["actual_value"] / plan, rel=1e-9)
    assert not row["is_estimate"]


@pytest.mark.parametrize("group", ["TONG", "NOI_DIA", "XNK", "NOI_DIA_DAT"])
def test_june_2025_old_province(figures, published, group) -> None:
    june = cumulative(figures, "2025-06", "56", group)
    may = cumulative(figures, "2025-05", "56", group)
    plan = float(figures.loc[("2025-06", "56", group), "du_toan_nam"])
    code = f"TNS_{group}"
    check(published, code, "56", "2025-06", june - may, plan)
    check(published, code, "56", "2025-06-YTD", june, plan)
    # Ninh Thuận still reports on its own
    ninh_thuan = cumulative(figures, "2025-06", "58", group)
    check(
        published,
        code,
        "58",
        "2025-06-YTD",
        ninh_thuan,
        float(figures.loc[("2025-06", "58", group), "du_toan_nam"]),
    )


@pytest.mark.parametrize("group", ["TONG", "NOI_DIA", "XNK", "NOI_DIA_DAT"])
def test_july_2025_new_province(figures, published, group) -> None:
    # the merged province's books carry on both old provinces' first half
    july = cumulative(figures, "2025-07", "56", group)
    before = cumulative(figures, "2025-06", "56", group) + cumulative(
        figures, "2025-06", "58", group
    )
    plan = float(figures.loc[("2025-07", "56", group), "du_toan_nam"])
    code = f"TNS_{group}"
    check(published, code, "56", "2025-07", july - before, plan)
    check(published, code, "56", "2025-07-YTD", july, plan)
    assert ("TNS_NOI_DIA", "58", "2025-07") not in published.index


def test_a_new_commune_starts_its_books_at_the_reform(figures, published) -> None:
    communes = sorted(
        unit
        for ky, unit, group in figures.index
        if ky == "2025-07" and group == "NOI_DIA" and len(unit) == 5
    )
    unit = communes[0]
    july = cumulative(figures, "2025-07", unit, "NOI_DIA")
    august = cumulative(figures, "2025-08", unit, "NOI_DIA")
    plan = float(figures.loc[("2025-08", unit, "NOI_DIA"), "du_toan_nam"])
    check(
        published,
        "TNS_NOI_DIA",
        unit,
        "2025-07",
        july,
        float(figures.loc[("2025-07", unit, "NOI_DIA"), "du_toan_nam"]),
    )
    check(published, "TNS_NOI_DIA", unit, "2025-08", august - july, plan)


def test_periods_of_a_whole_year_and_a_quarter(figures, published) -> None:
    december = cumulative(figures, "2024-12", "56", "TONG")
    plan = float(figures.loc[("2024-12", "56", "TONG"), "du_toan_nam"])
    check(published, "TNS_TONG", "56", "2024", december, plan)
    check(published, "TNS_TONG", "56", "2024-12-YTD", december, plan)
    q3 = cumulative(figures, "2024-09", "56", "TONG") - cumulative(figures, "2024-06", "56", "TONG")
    september_plan = float(figures.loc[("2024-09", "56", "TONG"), "du_toan_nam"])
    check(published, "TNS_TONG", "56", "2024-Q3", q3, september_plan)
    # every month of the year is a flow: they add up to the year
    months = [
        published.loc[("TNS_TONG", "56", f"2024-{m:02d}"), "actual_value"] for m in range(1, 13)
    ]
    assert sum(months) == pytest.approx(december, abs=0.1)
