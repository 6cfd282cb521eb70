"""The closing runs' records reach the serving schemas: a period's close (dq.dq_period_close,
marts.fct_period_state) and a failed task (dq.dq_failed_run), built by the real dbt from the
files the DAGs' code writes; the state logic's own cases are the model's unit test."""

from __future__ import annotations

from datetime import date, datetime

from ingest.common.settings import WarehousePaths
from ioc.calendar import period_ending
from ioc.run_records import record_close, record_failure
from tests.dbt.dbt_harness import warehouse


def test_closes_and_failures_are_served(tmp_path) -> None:
    with warehouse(tmp_path) as wh:
        paths = WarehousePaths(wh.root)
        october = period_ending("month", 2026, 10)
        record_close(paths, october, datetime(2026, 11, 19, 1), "close_month", "first")
        # closing the same period again replaces its record
        record_close(paths, october, datetime(2026, 11, 19, 1), "close_month", "again")
        q3 = period_ending("quarter", 2026, 9)
        record_close(paths, q3, datetime(2026, 10, 21, 1), "close_quarter", "q")
        for try_number in (1, 3):  # the final failure replaces the earlier record
            record_failure(
                paths, "close_month", "again", "pull", 2, try_number,
                datetime(2026, 11, 19, 1), datetime(2026, 11, 19, 1, 30), "RuntimeError: boom",
            )  # fmt: skip
        wh.dbt("build", "--select", "+fct_period_state", "dq_failed_run")

        closes = wh.query("select * from dq.dq_period_close order by period_type")
        assert [(c["period_type"], c["period_label"], c["run_id"]) for c in closes] == [
            ("month", "2026-10", "again"),
            ("quarter", "2026-Q3", "q"),
        ]
        assert closes[0]["due_date"] == date(2026, 11, 18)
        assert closes[1]["period_start"] == date(2026, 7, 1)
        # no report lake here: nothing expected, both periods complete
        states = wh.query(
            "select period_label, state, reports_expected from marts.fct_period_state"
        )
        assert sorted(states, key=lambda s: s["period_label"]) == [
            {"period_label": "2026-10", "state": "complete", "reports_expected": 0},
            {"period_label": "2026-Q3", "state": "complete", "reports_expected": 0},
        ]
        failed = wh.query("select * from dq.dq_failed_run")
        assert len(failed) == 1
        assert failed[0]["try_number"] == 3 and failed[0]["map_index"] == 2
        assert failed[0]["message"] == (
            "Lần chạy close_month thất bại ở bước pull (kỳ 19/11/2026) sau 3 lần thử."
        )
