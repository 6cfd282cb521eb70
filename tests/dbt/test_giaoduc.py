"""Education (giaoduc) in fct_indicator_value: school years and exam years, over the hand-made
lake of tests/dbt/dbt_lake_giaoduc.py (built with the other new sources, tests/dbt/conftest.py)."""

from __future__ import annotations

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded


def figures(wh: Warehouse, unit: str, label: str) -> dict[str, tuple]:
    rows = rounded(
        wh.query(
            "select indicator_code, period_type, actual_value, same_period_last_year, "
            "is_partial_period from marts.fct_indicator_value where source = 'giaoduc' "
            f"and admin_unit_code = '{unit}' and period_label = '{label}'"
        )
    )
    return {r.pop("indicator_code"): tuple(r.values()) for r in rows}


@pytest.mark.parametrize(
    ("unit", "label", "code", "expected"),
    [
        # the January update of 2024-2025 stands; old 56 and Ninh Thuận apart before the reform
        ("56", "2024-2025", "GD_SO_HOC_SINH", ("school_year", 910.0, None, False)),
        ("56", "2024-2025", "GD_TY_LE_GV_DAT_CHUAN", ("school_year", 92.31, None, False)),
        ("58", "2024-2025", "GD_SO_TRUONG", ("school_year", 1.0, None, False)),
        # 2025-2026: both schools in new Khánh Hòa, the year not over yet
        ("56", "2025-2026", "GD_SO_TRUONG", ("school_year", 2.0, 1.0, True)),
        ("56", "2025-2026", "GD_SO_HOC_SINH", ("school_year", 1570.0, 910.0, True)),
        # the 2025 exam, by the schools' provinces in 2024-2025
        ("56", "2025", "GD_TY_LE_TOT_NGHIEP_THPT", ("year", 99.0, None, False)),
        ("58", "2025", "GD_THI_SINH_TOT_NGHIEP", ("year", 190.0, None, False)),
    ],
)
def test_education_figures(sources_built: Warehouse, unit, label, code, expected) -> None:
    assert figures(sources_built, unit, label)[code] == expected


def test_school_years_are_periods_of_dim_period(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select distinct f.period_label, p.year from marts.fct_indicator_value f "
        "join marts.dim_period p using (period_type, period_label) "
        "where f.period_type = 'school_year' order by 1"
    )
    assert [tuple(r.values()) for r in rows] == [("2024-2025", 2025), ("2025-2026", 2026)]
