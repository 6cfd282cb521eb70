"""The reporting system in the marts, over the hand-made lake of tests/dbt/dbt_lake_reporting.py
(built with the other new sources, tests/dbt/conftest.py)."""

from __future__ import annotations

import pytest

from tests.dbt.dbt_harness import Warehouse, rounded
from tests.dbt.dbt_lake_reporting import W_JUL, W_OCT, W_SEP

NEW_FILE = "SO_DTTG__BCT_DTTS_THANG__2025-THANG-8__000000000000"


def figure(wh: Warehouse, code: str, label: str, unit: str = "56") -> tuple | None:
    rows = rounded(
        wh.query(
            "select actual_value, plan_value, pct_of_plan, is_partial_period, source_load_id "
            f"from marts.fct_indicator_value where indicator_code = '{code}' "
            f"and admin_unit_code = '{unit}' and period_label = '{label}'"
        )
    )
    return tuple(rows[0].values()) if rows else None


@pytest.mark.parametrize(
    ("code", "label", "expected"),
    [
        # July: approved in a later window, the figures of that version count
        ("THUE_THU_HOI_NO", "2025-07", (100.0, 1200.0, 8.33, False, f"so_lieu_{W_SEP}")),
        # August: version 1 (sent back, ×10) does not count, version 2 does
        ("THUE_THU_HOI_NO", "2025-08", (150.0, 1200.0, 12.5, False, f"so_lieu_{W_SEP}")),
        ("THUE_THU_HOI_NO", "2025-Q3", (250.0, 1200.0, 20.83, True, f"so_lieu_{W_SEP}")),
        ("THUE_NO_THUE", "2025-Q3", (1750.0, None, None, True, f"so_lieu_{W_SEP}")),
        # ratio from the numerators and denominators: (90 + 80) / (100 + 100)
        ("THUE_TY_LE_NOP_DIEN_TU", "2025-Q3", (85.0, None, None, True, f"so_lieu_{W_SEP}")),
        # Ninh Thuận's figures stay on 58
        (
            "THUE_THU_HOI_NO",
            "2025-06",
            (40.0, 1200.0, 3.33, False, f"so_lieu_{W_JUL}"),
        ),
        # quarterly: rolled up from quarters, never from months
        ("GRDP_GIA_HIEN_HANH", "2025-H1", (42_500.0, 100_000.0, 42.5, False, f"so_lieu_{W_JUL}")),
        ("GRDP_GIA_HIEN_HANH", "2025-9M", (67_500.0, 100_000.0, 67.5, False, f"so_lieu_{W_OCT}")),
        ("GRDP_GIA_HIEN_HANH", "2025", (67_500.0, 100_000.0, 67.5, True, f"so_lieu_{W_OCT}")),
        # Excel: the resent file wins
        ("DTTS_GIAI_NGAN", "2025-08", (35.0, 400.0, 8.75, False, NEW_FILE)),
    ],
)
def test_reporting_figures(sources_built: Warehouse, code: str, label: str, expected) -> None:
    unit = "58" if label == "2025-06" else "56"
    assert figure(sources_built, code, label, unit) == expected


def test_quarterly_indicators_have_no_month_rows(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select distinct period_type, period_label from marts.fct_indicator_value "
        "where indicator_code = 'GRDP_GIA_HIEN_HANH' order by 1, 2"
    )
    assert "month" not in {r["period_type"] for r in rows}
    # a year-to-date only where a quarter ends
    ytd = [r["period_label"] for r in rows if r["period_type"] == "ytd"]
    assert ytd and all(label[5:7] in {"03", "06", "09", "12"} for label in ytd)


def test_unknown_indicator_codes_stay_out(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select count(*) as n from marts.fct_indicator_value where indicator_code = 'XX_001'"
    )
    assert rows == [{"n": 0}]


def test_report_submissions(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select reporting_unit_code, indicator_set_code, period_label, channel, version, "
        "status, due_date::varchar as due, is_due_date_estimated "
        "from marts.fct_report_submission order by 1, 2, 3"
    )
    got = {(r["reporting_unit_code"], r["period_label"]): r for r in rows}
    assert {k: (r["status"], r["version"], r["due"]) for k, r in got.items()} == {
        ("CUC_THONG_KE", "2025-Q1"): ("on_time", 1, "2025-04-20"),
        ("CUC_THONG_KE", "2025-Q2"): ("on_time", 1, "2025-07-20"),
        ("CUC_THONG_KE", "2025-Q3"): ("on_time", 1, "2025-10-20"),
        ("CUC_THUE", "2025-07"): ("on_time", 1, "2025-08-18"),
        # version 1 (sent back) came on time: the first sending counts
        ("CUC_THUE", "2025-08"): ("on_time", 2, "2025-09-18"),
        # due 18 days after the month end (the set's usual offset), passed on 2025-11-01
        ("CUC_THUE", "2025-09"): ("missing", None, "2025-10-18"),
        # stopped reporting after the reform: nothing expected after its last report
        ("NT_CUC_THUE", "2025-06"): ("late", 1, "2025-07-18"),
        # Excel: two files; arrival on 10 September, before the usual due date
        ("SO_DTTG", "2025-08"): ("on_time", 2, "2025-09-18"),
        ("SO_DTTG", "2025-09"): ("missing", None, "2025-10-18"),
    }
    assert got[("SO_DTTG", "2025-08")]["channel"] == "excel"
    assert got[("CUC_THUE", "2025-09")]["is_due_date_estimated"]


def test_a_missing_report_raises_one_alert_naming_it(sources_built: Warehouse) -> None:
    rows = sources_built.query(
        "select indicator_code, reporting_unit_code, indicator_count, severity, message "
        "from marts.fct_indicator_alert where alert_type = 'missing' and period_label = "
        "'2025-09' and admin_unit_code = '56' and reporting_unit_code = 'CUC_THUE'"
    )
    named = sources_built.query(
        "select name_vi from marts.dim_agency where agency_code = 'CUC_THUE'"
    )
    agency = named[0]["name_vi"] if named else "CUC_THUE"
    # one alert for the report, not one per indicator: its set carries the three THUE_
    # indicators the September report would have given
    assert len(rows) == 1
    alert = rows[0]
    assert alert["indicator_code"] is None and alert["indicator_count"] == 3
    assert alert["message"].startswith(f"{agency} chưa gửi báo cáo tháng 9/2025 (")
    # due 18 October, 14 days overdue at the as-of (1 November): a warning
    assert alert["message"].endswith(", 3 chỉ tiêu), đã quá hạn 14 ngày (hạn gửi 18/10/2025).")
    assert alert["severity"] == "warning"
