"""Education (giaoduc) in fct_indicator_value: school years and exam years, over the hand-made
lake of tests/dbt/dbt_lake_giaoduc.py (built with the other new sources, tests/dbt/conftest.py)."""

from __future__ import annotations

import csv

import pytest

from ingest.common.settings import REPO_ROOT
from tests.dbt.dbt_harness import Warehouse, rounded

UNITS = REPO_ROOT / "dbt_project" / "seeds" / "admin_units"


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
        # 2025-2026: both schools in new Khánh Hòa, the year not over yet; compared with
        # 2024-2025 over the same territory (old 56 + Ninh Thuận: 2 schools, 910 + 600 pupils)
        ("56", "2025-2026", "GD_SO_TRUONG", ("school_year", 2.0, 2.0, True)),
        ("56", "2025-2026", "GD_SO_HOC_SINH", ("school_year", 1570.0, 1510.0, True)),
        # the 2025 exam year ends after the reform: today's 56, both schools (297 + 190 of 500)
        ("56", "2025", "GD_TY_LE_TOT_NGHIEP_THPT", ("year", 97.4, None, False)),
        ("56", "2025", "GD_THI_SINH_TOT_NGHIEP", ("year", 487.0, None, False)),
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


def test_old_units_keep_only_the_periods_that_ended_before_the_reform(
    sources_built: Warehouse,
) -> None:
    assert figures(sources_built, "58", "2025") == {}
    today = sources_built.query(
        "select admin_unit_code, actual_value, units_combined from "
        "marts.fct_indicator_value_current_unit where indicator_code = 'GD_SO_TRUONG' "
        "and period_label = '2024-2025'"
    )
    by_code = {r.pop("admin_unit_code"): r for r in today}
    assert by_code["56"] == {"actual_value": 2.0, "units_combined": 2}


def successors(old_commune: str) -> list[tuple[str, bool]]:
    """Today's communes of an old commune in the GSO crosswalk, and whether it moved whole."""
    with (UNITS / "commune_crosswalk_2025.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["old_commune_code"] == old_commune]
    return [(r["new_commune_code"], r["merge_type"] != "partial") for r in rows]


@pytest.mark.parametrize(
    ("unit", "label", "code", "expected"),
    [
        # each school in its own commune; S1's January update stands (910 pupils, 48/52)
        ("22465", "2024-2025", "GD_SO_HOC_SINH", ("school_year", 910.0, None, False)),
        ("22465", "2024-2025", "GD_TY_LE_GV_DAT_CHUAN", ("school_year", 92.31, None, False)),
        ("22783", "2024-2025", "GD_TY_LE_GV_DAT_CHUAN", ("school_year", 90.0, None, False)),
        # 2025-2026: both schools report today's commune 22333: 950 + 620 pupils, 93/95
        ("22333", "2025-2026", "GD_SO_TRUONG", ("school_year", 2.0, None, True)),
        ("22333", "2025-2026", "GD_SO_HOC_SINH", ("school_year", 1570.0, None, True)),
        ("22333", "2025-2026", "GD_TY_LE_GV_DAT_CHUAN", ("school_year", 97.89, None, True)),
    ],
)
def test_education_figures_by_commune(sources_built: Warehouse, unit, label, code, expected):
    assert figures(sources_built, unit, label)[code] == expected


def test_communes_read_against_todays_units(sources_built: Warehouse) -> None:
    """The 2025 exam year ends after the reform: each school's commune of 2024-2025 read
    against today's through the crosswalk; a commune split between several of today's is
    not moved (its successors' rows are flagged and empty), a whole one is, its pass rate
    from its own candidates (58300001: 190 of 200)."""
    rows = sources_built.query(
        "select admin_unit_code, actual_value, is_partial_split from "
        "marts.fct_indicator_value_current_unit where indicator_code = "
        "'GD_TY_LE_TOT_NGHIEP_THPT' and period_label = '2025'"
    )
    got = {r.pop("admin_unit_code"): tuple(r.values()) for r in rows}
    want = {"56": (97.4, False)}
    for old, rate in (("22465", 99.0), ("22783", 95.0)):
        for new, whole in successors(old):
            want[new] = (rate, False) if whole else (None, True)
    assert {k: (None if v is None else round(v, 2), p) for k, (v, p) in got.items()} == want
