"""A period closed with reports missing is partial, and turns complete when the late reports
arrive, through the real dbt build on the hand-made reporting lake (tests/dbt): September
2025 is closed on its close time (19 October) with the tax department's API report and the
ethnic-minority committee's Excel report missing; both then arrive in November, late."""

from __future__ import annotations

from datetime import datetime

from ingest.common.settings import WarehousePaths
from ingest.reporting.contracts import EXCEL_SCHEMA, FIGURE_SCHEMA, REPORT_SCHEMA
from ioc.calendar import closed_by
from ioc.run_records import record_close
from tests.dbt.dbt_harness import warehouse
from tests.dbt.dbt_lake_reporting import _write, excel_row, header, tax, write_reporting_lake

STATE = (
    "select state, reports_expected, reports_received, reports_late, reports_missing, "
    "missing_reports, late_reports, details from marts.fct_period_state "
    "where period_type = 'month' and period_label = '2025-09'"
)


def _late_reports_arrive(lake) -> None:
    window = "20251101T0000_20251110T0000"
    extracted = datetime(2025, 11, 10)
    sent = header(
        "BC-2025-3", 1, "CUC_THUE", "BCT_THUE_THANG", "THANG", 2025, 9, "DA_DUYET",
        "2025-10-18", "2025-11-05T09:00", "2025-11-06T09:00",
    )  # fmt: skip
    _write(lake, "bao_cao", f"bao_cao_{window}", REPORT_SCHEMA, [sent], extracted)
    figures = tax("BC-2025-3", 1, 1700.0, 160.0)
    _write(lake, "so_lieu", f"so_lieu_{window}", FIGURE_SCHEMA, figures, extracted)
    name = "SO_DTTG__BCT_DTTS_THANG__2025-THANG-9"
    row = {**excel_row("DTTS_GIAI_NGAN", 40.0, 400.0), "ten_tep": f"{name}.xlsx", "ky_so": 9}
    excel_load = f"{name}__bbbbbbbbbbbb"
    _write(lake, "so_lieu_excel", excel_load, EXCEL_SCHEMA, [row], datetime(2025, 11, 6, 8))


def test_a_partial_period_turns_complete_when_its_late_reports_arrive(tmp_path) -> None:
    with warehouse(tmp_path) as wh:
        write_reporting_lake(wh.lake)
        closes_at = datetime(2025, 10, 19, 1)
        september = closed_by("month", closes_at)
        assert september.label == "2025-09"
        paths = WarehousePaths(wh.root)
        record_close(paths, september, closes_at, "close_month", "r1", closes_at, "scheduled")
        select = ["--select", "+fct_period_state"]

        wh.dbt("build", *select)
        (state,) = wh.query(STATE)
        assert state == {
            "state": "partial",
            "reports_expected": 2,
            "reports_received": 0,
            "reports_late": 0,
            "reports_missing": 2,
            "missing_reports": "CUC_THUE / BCT_THUE_THANG; SO_DTTG / BCT_DTTS_THANG",
            "late_reports": None,
            "details": "Thiếu 2/2 báo cáo: CUC_THUE / BCT_THUE_THANG; SO_DTTG / BCT_DTTS_THANG.",
        }

        _late_reports_arrive(wh.lake)
        wh.dbt("build", *select)
        (state,) = wh.query(STATE)
        assert state == {
            "state": "complete",
            "reports_expected": 2,
            "reports_received": 2,
            "reports_late": 2,
            "reports_missing": 0,
            "missing_reports": None,
            "late_reports": "CUC_THUE / BCT_THUE_THANG; SO_DTTG / BCT_DTTS_THANG",
            "details": "Đủ 2/2 báo cáo (2 báo cáo gửi trễ hạn).",
        }
