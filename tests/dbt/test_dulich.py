"""Tourism (dulich) in fct_indicator_value, over the hand-made lake of
tests/dbt/dbt_lake_dulich.py (built with the other new sources, tests/dbt/conftest.py)."""

from __future__ import annotations

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded

JUNE, JULY = "thong_ke_202506__asof_20250801", "thong_ke_202507__asof_20250801"  # load ids


def figure(wh: Warehouse, code: str, label: str) -> tuple | None:
    rows = rounded(
        wh.query(
            "select actual_value, is_estimate, is_partial_period, source_load_id "
            f"from marts.fct_indicator_value where indicator_code = '{code}' "
            f"and admin_unit_code = '56' and period_label = '{label}'"
        )
    )
    return tuple(rows[0].values()) if rows else None


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        # the official June figures replaced the estimate
        ("DL_TONG_LUOT_KHACH", "2025-06", (1_040_000.0, False, False, JUNE)),
        # July is still an estimate, and so is every period holding it; the lake starts in
        # May, so Q2 (no April) and the year to July are partial
        ("DL_TONG_LUOT_KHACH", "2025-07", (1_500_000.0, True, False, JULY)),
        ("DL_TONG_LUOT_KHACH", "2025-Q2", (1_840_000.0, False, True, JUNE)),
        ("DL_TONG_LUOT_KHACH", "2025-07-YTD", (3_340_000.0, True, True, JULY)),
        ("DL_KHACH_QUOC_TE", "2025-Q2", (460_000.0, False, True, JUNE)),
        # occupancy is averaged, establishments taken at the period's end
        ("DL_CONG_SUAT_PHONG", "2025-Q2", (66.0, False, True, JUNE)),
        ("DL_CO_SO_LUU_TRU", "2025-Q2", (1215.0, False, True, JUNE)),
        ("DL_CO_SO_LUU_TRU", "2025", (1600.0, True, True, JULY)),
    ],
)
def test_tourism_figures(sources_built: Warehouse, code: str, label: str, expected) -> None:
    assert figure(sources_built, code, label) == expected


def test_unknown_area_codes_stay_out(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select count(*) as n from marts.fct_indicator_value where admin_unit_code = '99001'"
    )
    assert rows == [{"n": 0}]
