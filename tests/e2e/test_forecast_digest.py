"""After the real refresh: every long enough series has a forecast and a backtest, the others
are listed with their reason, and the leaders' digest was written."""

from __future__ import annotations

import duckdb
import pandas as pd

from tests.conftest import PERIOD, Pipeline

# Every series at its indicator's own frequency (complete periods), straight from the marts'
# figures: its months of history (figures × months a period), when its last figure is and
# the newest of its frequency (a series whose last figure is more than a year older is
# stale).
SERIES = """
    with series as (
        select v.indicator_code, v.admin_unit_code, i.frequency,
            count(distinct v.period_start) filter (v.actual_value is not null)
                * max(case i.frequency when 'month' then 1 when 'quarter' then 3 else 12 end)
                as history_months,
            max(v.period_start) filter (v.actual_value is not null) as last_figure
        from marts.fct_indicator_value_current_unit as v
        join marts.dim_indicator as i using (indicator_code)
        where v.period_type = i.frequency and not coalesce(v.is_partial_period, false)
        group by all
    )
    select *, date_diff('month', last_figure, max(last_figure) over (partition by frequency))
        > 12 as stale
    from series
"""


def _read(pipeline: Pipeline, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        return con.execute(sql).df()


def test_every_series_of_two_years_has_a_forecast_and_a_backtest(pipeline: Pipeline) -> None:
    series = _read(pipeline, SERIES)
    keys = ["indicator_code", "admin_unit_code"]
    assert series.set_index(keys).index.is_unique  # one frequency per indicator
    forecast = _read(pipeline, "select distinct indicator_code, admin_unit_code "
                               "from marts.fct_indicator_forecast")  # fmt: skip
    backtest = _read(pipeline, "select indicator_code, admin_unit_code, model, is_chosen "
                               "from marts.fct_indicator_backtest")  # fmt: skip
    skipped = _read(pipeline, "select * from marts.fct_indicator_forecast_skipped")
    long = series[(series["history_months"] >= 24) & ~series["stale"]]
    assert set(long["frequency"]) >= {"month", "quarter", "year", "school_year"}
    # yearly series of two to four figures are among them
    assert (long.query("frequency == 'year'")["history_months"] < 60).any()
    per = set(long.set_index(keys).index)
    done = set(forecast.set_index(keys).index)
    listed = skipped.set_index(keys)["reason"]
    assert per <= done, sorted(per - done)
    # every series is accounted for exactly once; those listed have less than two years
    # (or are stale), with the reason
    assert not done & set(listed.index)
    assert done | set(listed.index) == set(series.set_index(keys).index)
    assert set(listed.index).isdisjoint(per)
    # a backtest for each forecast series: the baseline and one chosen model
    chosen = backtest[backtest["is_chosen"]].groupby(keys).size()
    assert (chosen == 1).all() and set(chosen.index) == done
    assert set(backtest[backtest["model"] == "SeasonalNaive"].set_index(keys).index) == done


def test_the_digest_of_the_month_is_written(pipeline: Pipeline) -> None:
    folder = pipeline.warehouse / "digest" / PERIOD
    html = (folder / "ban_tin.html").read_text(encoding="utf-8")
    assert f"tháng {PERIOD[5:]}/{PERIOD[:4]}" in html
    for section in ('id="canh-bao"', 'id="nguy-co"', 'id="con-thieu"'):
        assert section in html
    assert (folder / "ban_tin.pdf").read_bytes().startswith(b"%PDF-")
