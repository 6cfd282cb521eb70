"""`dbt build` over the hand-made lakes of tests/dbt/conftest.py, here the budget revenue one
(2025 files with a gap, a restatement, a re-export and the 2025-07-01 reform):
fct_indicator_value is checked against figures worked out by hand from
tests/dbt/dbt_lake_ngansach.py."""

from __future__ import annotations

from datetime import date

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded
from tests.dbt.dbt_lake_ngansach import load_id

COLUMNS = "actual_value, plan_value, pct_of_plan, is_partial_period, source_load_id"


@pytest.fixture(scope="module")
def built(sources_built: Warehouse) -> Warehouse:
    return sources_built


def figure(wh: Warehouse, code: str, unit: str, label: str) -> tuple | None:
    rows = rounded(
        wh.query(
            f"select {COLUMNS} from marts.fct_indicator_value where indicator_code = '{code}' "
            f"and admin_unit_code = '{unit}' and period_label = '{label}'"
        )
    )
    assert len(rows) <= 1
    return tuple(rows[0].values()) if rows else None


def test_staging_keeps_every_version(built: Warehouse) -> None:
    rows = built.query(
        "select count(*) as n, count(distinct load_id) as loads "
        "from staging.stg_ngansach__thu_ngan_sach"
    )
    # 9 rows in Jan, May, June; July 5 + 1 restated June row; August 5, twice
    assert rows == [{"n": 9 * 3 + 6 + 5 * 2, "loads": 6}]


def test_flows_and_their_basis(built: Warehouse) -> None:
    rows = built.query(
        "select admin_unit_code as unit, month_label as ky, flow_basis, flow_revenue_mvnd as flow "
        "from intermediate.int_budget_revenue_decumulated where revenue_group_code = 'NOI_DIA' "
        "order by month_start, unit"
    )
    assert [tuple(r.values()) for r in rows] == [
        ("56", "2025-01", "january", 1000.0),
        ("570", "2025-01", "january", 50.0),
        ("58", "2025-01", "january", 300.0),
        ("56", "2025-05", "previous_month_missing", None),  # April never arrived
        ("570", "2025-05", "previous_month_missing", None),
        ("58", "2025-05", "previous_month_missing", None),
        ("56", "2025-06", "previous_month", 1000.0),  # restated 6 000 − 5 000
        ("570", "2025-06", "previous_month", 50.0),
        ("58", "2025-06", "previous_month", 300.0),
        ("22333", "2025-07", "new_unit_start", 40.0),
        ("56", "2025-07", "predecessor_provinces", 1000.0),  # 8 800 − (6 000 + 1 800)
        ("22333", "2025-08", "previous_month", 20.0),  # the re-export: 60 − 40
        ("56", "2025-08", "previous_month", 1200.0),  # the re-export: 10 000 − 8 800
    ]


@pytest.mark.parametrize(
    ("code", "unit", "label", "expected"),
    [
        # actual, plan (annual estimate in force), % of plan, partial, load
        ("TNS_NOI_DIA", "56", "2025-06", (1000.0, 12000.0, 8.33, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "56", "2025-06-YTD", (6000.0, 12000.0, 50.0, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "56", "2025-H1", (6000.0, 12000.0, 50.0, False, load_id("2025-07"))),
        # May's flow is unknown: the quarter's sum is unknown, not understated (and April
        # has no figure at all: partial)
        ("TNS_NOI_DIA", "56", "2025-Q2", (None, 12000.0, None, True, load_id("2025-07"))),
        # Q1 has January only: the cumulative of January, flagged partial
        ("TNS_NOI_DIA", "56", "2025-Q1", (1000.0, 12000.0, 8.33, True, load_id("2025-01"))),
        # the new province: revised estimate, cumulative carrying the merged provinces' books
        ("TNS_NOI_DIA", "56", "2025-07", (1000.0, 16500.0, 6.06, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "56", "2025-07-YTD", (8800.0, 16500.0, 53.33, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "56", "2025-08", (1200.0, 16500.0, 7.27, False, load_id("2025-08", 2))),
        ("TNS_NOI_DIA", "56", "2025-Q3", (2200.0, 16500.0, 13.33, True, load_id("2025-08", 2))),
        ("TNS_NOI_DIA", "56", "2025-9M", (10000.0, 16500.0, 60.61, True, load_id("2025-08", 2))),
        ("TNS_NOI_DIA", "56", "2025", (10000.0, 16500.0, 60.61, True, load_id("2025-08", 2))),
        # total = domestic + import-export + crude oil + grants
        ("TNS_TONG", "56", "2025-01", (1210.0, 14500.0, 8.34, False, load_id("2025-01"))),
        ("TNS_TONG", "56", "2025-07", (1270.0, 19660.0, 6.46, False, load_id("2025-07"))),
        ("TNS_TONG", "56", "2025-07-YTD", (10600.0, 19660.0, 53.92, False, load_id("2025-07"))),
        ("TNS_XNK", "56", "2025-07", (260.0, 3000.0, 8.67, False, load_id("2025-07"))),
        ("TNS_DAU_THO", "56", "2025-07", (0.0, 0.0, None, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "58", "2025-H1", (1800.0, 3600.0, 50.0, False, load_id("2025-06"))),
        ("TNS_TONG", "570", "2025-06", (50.0, 600.0, 8.33, False, load_id("2025-06"))),
        ("TNS_NOI_DIA", "22333", "2025-07", (40.0, 90.0, 44.44, False, load_id("2025-07"))),
        ("TNS_NOI_DIA", "22333", "2025-08-YTD", (60.0, 90.0, 66.67, False, load_id("2025-08", 2))),
    ],
)
def test_budget_figures(built: Warehouse, code: str, unit: str, label: str, expected) -> None:
    assert figure(built, code, unit, label) == expected


def test_ninh_thuan_and_districts_stop_at_the_reform(built: Warehouse) -> None:
    rows = built.query(
        "select distinct admin_unit_code from marts.fct_indicator_value "
        "where source = 'ngansach' and period_start >= date '2025-07-01'"
    )
    assert {r["admin_unit_code"] for r in rows} == {"56", "22333"}


def test_budget_rows_carry_their_provenance(built: Warehouse) -> None:
    rows = built.query(
        "select distinct source, is_estimate, last_data_month from marts.fct_indicator_value "
        "where indicator_code like 'TNS_%' and period_label = '2025-08'"
    )
    assert rows == [
        {"source": "ngansach", "is_estimate": False, "last_data_month": date(2025, 8, 1)}
    ]


def test_dossier_figures_are_unchanged_by_the_budget_source(built: Warehouse) -> None:
    rows = built.query(
        "select count(*) as n, count(plan_value) as plans from marts.fct_indicator_value "
        "where source = 'dichvucong'"
    )
    assert rows[0]["n"] > 0 and rows[0]["plans"] == 0
