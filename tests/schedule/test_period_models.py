"""The closing runs' records reach the serving schemas: a period's close (dq.dq_period_close,
marts.fct_period_state) and a failed task (dq.dq_failed_run), built by the real dbt from the
files the DAGs' code writes; the state logic's own cases are the model's unit test."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ingest.common.settings import WarehousePaths
from ioc.calendar import period_ending
from ioc.run_records import record_close, record_failure
from tests.dbt.dbt_harness import warehouse


def test_closes_and_failures_are_served(tmp_path) -> None:
    with warehouse(tmp_path) as wh:
        paths = WarehousePaths(wh.root)
        october = period_ending("month", 2026, 10)
        run_at, on_time = datetime(2026, 11, 19, 1), datetime(2026, 11, 19, 1, 3)
        record_close(paths, october, run_at, "close_month", "first", on_time, "scheduled")
        # closing the same period again replaces its record, keeping its first close
        again = datetime(2026, 11, 30, 9)
        record_close(paths, october, run_at, "close_month", "again", again, "manual")
        q3 = period_ending("quarter", 2026, 9)
        late = datetime(2026, 10, 25, 8)
        record_close(paths, q3, datetime(2026, 10, 21, 1), "close_quarter", "q", late, "manual")
        # August closed, September never: its close day (19 October) has passed
        august = period_ending("month", 2026, 8)
        record_close(paths, august, datetime(2026, 9, 19, 1), "close_month", "b", again, "backfill")
        for try_number in (1, 3):  # the final failure replaces the earlier record
            record_failure(
                paths, "close_month", "again", "pull", 2, try_number,
                datetime(2026, 11, 19, 1), datetime(2026, 11, 19, 1, 30), "RuntimeError: boom",
            )  # fmt: skip
        wh.dbt("build", "--select", "+fct_period_state", "dq_failed_run")

        closes = wh.query("select * from dq.dq_period_close order by period_type, period_label")
        assert [(c["period_type"], c["period_label"], c["run_id"]) for c in closes] == [
            ("month", "2026-08", "b"),
            ("month", "2026-10", "again"),
            ("quarter", "2026-Q3", "q"),
        ]
        assert (closes[1]["first_closed_at"], closes[1]["first_run_type"]) == (on_time, "scheduled")
        assert closes[1]["due_date"] == date(2026, 11, 18)
        assert closes[2]["period_start"] == date(2026, 7, 1)
        # no report lake here: nothing expected, every period complete; the deadlines:
        # October first closed on its close day, Q3 four days after its (21 October),
        # August by a backfill, September not at all (periods up to October: the build's
        # today decides whether later ones are due yet)
        states = wh.query(
            "select period_label, state, reports_expected, close_by, close_state, days_late "
            "from marts.fct_period_state where period_end <= date '2026-10-31' "
            "order by period_type, period_label"
        )
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the build's, local
        overdue = (today - date(2026, 10, 19)).days
        assert states == [
            {"period_label": "2026-08", "state": "complete", "reports_expected": 0,
             "close_by": date(2026, 9, 19), "close_state": "backfill", "days_late": None},
            {"period_label": "2026-09", "state": "complete", "reports_expected": 0,
             "close_by": date(2026, 10, 19), "close_state": "not_closed", "days_late": overdue},
            {"period_label": "2026-10", "state": "complete", "reports_expected": 0,
             "close_by": date(2026, 11, 19), "close_state": "on_time", "days_late": None},
            {"period_label": "2026-Q3", "state": "complete", "reports_expected": 0,
             "close_by": date(2026, 10, 21), "close_state": "late", "days_late": 4},
        ]  # fmt: skip
        failed = wh.query("select * from dq.dq_failed_run")
        assert len(failed) == 1
        assert failed[0]["try_number"] == 3 and failed[0]["map_index"] == 2
        assert failed[0]["message"] == (
            "Lần chạy close_month thất bại ở bước pull (kỳ 19/11/2026) sau 3 lần thử."
        )
