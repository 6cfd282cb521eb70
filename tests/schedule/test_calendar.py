"""Each closing DAG's timetable, as Airflow's scheduler reads it from the DAG folder, across
month, quarter and year ends; Tết (2027-02-06, 2028-01-26) moves none of them. Expected
dates are written out by hand from Decree 09/2019/NĐ-CP's regime as the seed states it:
monthly reports due the 18th of the next month, quarterly, 6- and 9-monthly the 20th of the
next month, annual 31 January; a close runs at 01:00 the day after."""

from __future__ import annotations

from datetime import date, datetime

import pendulum
import pytest

from ingest.common.settings import REPO_ROOT
from ioc.calendar import closed_by, period_ending
from ioc.schedule import describe, next_runs

TZ = "Asia/Ho_Chi_Minh"


@pytest.fixture(scope="module")
def dags() -> dict:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    assert bag.import_errors == {}
    return bag.dags


def _runs(dag, start: str, end: str) -> list[str]:
    runs = next_runs(dag.timetable, pendulum.parse(start, tz=TZ), pendulum.parse(end, tz=TZ))
    return [f"{pendulum.instance(r).in_timezone(TZ):%Y-%m-%d %H:%M}" for r in runs]


CASES = {
    # month, across the year end and Tết 2027 (6 February) and 2028 (26 January)
    ("close_month", "2026-11-20", "2027-03-01"): [
        "2026-12-19 01:00", "2027-01-19 01:00", "2027-02-19 01:00",
    ],
    ("close_month", "2028-01-01", "2028-03-01"): ["2028-01-19 01:00", "2028-02-19 01:00"],
    ("close_quarter", "2026-09-01", "2027-11-01"): [
        "2026-10-21 01:00", "2027-01-21 01:00", "2027-04-21 01:00", "2027-07-21 01:00",
        "2027-10-21 01:00",
    ],
    ("close_half_year", "2026-06-01", "2028-01-01"): [
        "2026-07-21 01:00", "2027-01-21 01:00", "2027-07-21 01:00",
    ],
    ("close_nine_months", "2026-01-01", "2028-01-01"): ["2026-10-21 01:00", "2027-10-21 01:00"],
    ("close_year", "2026-01-01", "2029-01-01"): [
        "2026-02-01 01:00", "2027-02-01 01:00", "2028-02-01 01:00",
    ],
    # the daily refresh: 16:00 every day, over the month and year end
    ("refresh_daily", "2026-12-30 17:00", "2027-01-02 17:00"): [
        "2026-12-31 16:00", "2027-01-01 16:00", "2027-01-02 16:00",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("key", "expected"), list(CASES.items()), ids=lambda k: str(k))
def test_timetables_follow_the_reporting_calendar(dags, key, expected) -> None:
    dag_id, start, end = key
    assert _runs(dags[dag_id], start, end) == expected


PERIODS = [
    # type, run time → label, start, end, due
    ("month", "2027-01-19T01:00", "2026-12 2026-12-01 2026-12-31 2027-01-18"),
    ("month", "2027-03-19T01:00", "2027-02 2027-02-01 2027-02-28 2027-03-18"),
    ("quarter", "2027-01-21T01:00", "2026-Q4 2026-10-01 2026-12-31 2027-01-20"),
    ("half_year", "2026-07-21T01:00", "2026-H1 2026-01-01 2026-06-30 2026-07-20"),
    ("nine_months", "2026-10-21T01:00", "2026-9M 2026-01-01 2026-09-30 2026-10-20"),
    ("year", "2027-02-01T01:00", "2026 2026-01-01 2026-12-31 2027-01-31"),
    # a run before the close time (e.g. triggered by hand at 00:30) closes the period before
    ("month", "2027-01-19T00:30", "2026-11 2026-11-01 2026-11-30 2026-12-18"),
]


@pytest.mark.parametrize(("period_type", "moment", "expected"), PERIODS)
def test_each_run_closes_its_period(period_type, moment, expected) -> None:
    period = closed_by(period_type, datetime.fromisoformat(moment))
    label, *days = expected.split()
    assert (period.label, period.start, period.end, period.due) == (
        label,
        *(date.fromisoformat(d) for d in days),
    )


def test_period_ending_refuses_a_month_no_period_ends_in() -> None:
    with pytest.raises(ValueError, match="no quarter period ends in month 2"):
        period_ending("quarter", 2026, 2)


def test_schedule_lists_twelve_months_of_every_dag(dags) -> None:
    start = pendulum.datetime(2026, 12, 5, 12, tz=TZ)
    lines = {d: describe(dags[d], start, start.add(months=12)) for d in dags}
    assert lines["close_month"][0] == "close_month: 0 1 19 * *: 12 run(s)"
    assert lines["close_month"][1] == "  2026-12-19 01:00  closes 2026-11 (due 2026-12-18)"
    assert lines["close_year"][1:] == ["  2027-02-01 01:00  closes 2026 (due 2027-01-31)"]
    assert len(lines["close_quarter"]) == 1 + 4 and len(lines["close_half_year"]) == 1 + 2
    assert lines["refresh_daily"] == [
        "refresh_daily: 0 16 * * *: 365 runs, first 2026-12-05 16:00, last 2027-12-04 16:00"
    ]
    # monthly ingestion runs at each month's end (its data interval's end)
    assert lines["ingest_dichvucong"][1] == "  2027-01-01 00:00"
    assert len(lines["ingest_dichvucong"]) == 1 + 12
    assert "not on a calendar" in lines["refresh_marts"][0]
