"""After the real refresh: every long enough series has a forecast and a backtest, the others
are listed with their reason, and the leaders' digest was written."""

from __future__ import annotations

import duckdb
import pandas as pd

from tests.conftest import PERIOD, Pipeline

# Every series at its indicator's own frequency (complete periods), with the months its
# figures span and whether that is long enough to forecast: two years of months or quarters,
# five years or school years (forecast/series.py; fewer are listed as too short).
SERIES = """
    select v.indicator_code, v.admin_unit_code, i.frequency,
        count(distinct v.period_start) filter (v.actual_value is not null) as periods,
        date_diff('month', min(v.period_start) filter (v.actual_value is not null),
            max(v.period_start) filter (v.actual_value is not null))
            + max(case i.frequency when 'month' then 1 when 'quarter' then 3 else 12 end)
            as span_months
    from marts.fct_indicator_value_current_unit as v
    join marts.dim_indicator as i using (indicator_code)
    where v.period_type = i.frequency and not coalesce(v.is_partial_period, false)
    group by all
"""


def _read(pipeline: Pipeline, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True) as con:
        return con.execute(sql).df()


def test_every_series_of_two_years_has_a_forecast_and_a_backtest(pipeline: Pipeline) -> None:
    series = _read(pipeline, SERIES)
    keys = ["indicator_code", "admin_unit_code"]
    forecast = _read(pipeline, "select distinct indicator_code, admin_unit_code "
                               "from marts.fct_indicator_forecast")  # fmt: skip
    assert series.set_index(keys).index.is_unique  # one frequency per indicator
    backtest = _read(pipeline, "select indicator_code, admin_unit_code, model, is_chosen "
                               "from marts.fct_indicator_backtest")  # fmt: skip
    skipped = _read(pipeline, "select * from marts.fct_indicator_forecast_skipped")
    long = series.query(
        "span_months >= 24 and frequency in ('month', 'quarter') or span_months >= 60"
    )
    assert set(long["frequency"]) >= {"month", "quarter", "school_year"}
    per = long.set_index(keys).index
    done = forecast.set_index(keys).index
    listed = skipped.set_index(keys)["reason"]
    # each long series is forecast, or listed as too sparse or stale, never as too short
    for key in per:
        if key in done:
            continue
        assert key in listed.index, key
        assert not listed[key].startswith("chỉ có"), (key, listed[key])
    # every series is accounted for exactly once
    assert len(done.intersection(listed.index)) == 0
    assert set(done) | set(listed.index) == set(series.set_index(keys).index)
    # a backtest for each forecast series: the baseline and one chosen model
    chosen = backtest[backtest["is_chosen"]].groupby(keys).size()
    assert (chosen == 1).all() and set(chosen.index) == set(done)
    assert set(backtest[backtest["model"] == "SeasonalNaive"].set_index(keys).index) == set(done)


def test_the_digest_of_the_month_is_written(pipeline: Pipeline) -> None:
    folder = pipeline.warehouse / "digest" / PERIOD
    html = (folder / "ban_tin.html").read_text(encoding="utf-8")
    assert f"tháng {PERIOD[5:]}/{PERIOD[:4]}" in html
    for section in ('id="canh-bao"', 'id="nguy-co"', 'id="con-thieu"'):
        assert section in html
    assert (folder / "ban_tin.pdf").read_bytes().startswith(b"%PDF-")
