"""What the digest says, read from the serving copy: the month, its alerts, the indicators
at risk with their history and forecast, and what is missing."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from digest.chart import Point, svg
from ingest.common.settings import REPO_ROOT

# the alerts' settings: the digest lists the alerts of their window (alert_window_months)
ALERT_THRESHOLDS = REPO_ROOT / "dbt_project" / "seeds" / "alert_thresholds.csv"
MAX_ALERTS = 40
MAX_CHARTS = 12


@dataclass
class Digest:
    period: str  # YYYY-MM, the newest month with figures
    alerts: list[dict] = field(default_factory=list)
    good_news: list[dict] = field(default_factory=list)
    at_risk: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    not_forecast: list[dict] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _newest_month(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute(
        "select max(period_start) from marts.fct_indicator_value "
        "where period_type = 'month' and actual_value is not null"
    ).fetchone()
    return row[0] if row else None


ALERTS = """
    select a.alert_type, a.severity, a.message, i.name_vi as indicator, i.indicator_group,
        a.admin_unit_name, a.period_label
    from marts.fct_indicator_alert as a
    join marts.dim_indicator as i using (indicator_code)
    where a.alert_type in ('off_plan', 'off_trend', 'plan_at_risk', 'blocked')
        and a.period_end > ?::date - interval (?) month and a.period_start <= ?::date
        and a.severity {severity}
    -- the newest of each indicator × unit × rule (year to date: the latest month only)
    qualify row_number() over (
        partition by a.indicator_code, a.admin_unit_code, a.alert_type order by a.period_end desc
    ) = 1
    order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end,
        a.alert_type, i.indicator_group, a.indicator_code, a.admin_unit_code, a.period_label
    limit ?
"""

AT_RISK = """
    select a.indicator_code, a.admin_unit_code, a.message, a.severity, i.name_vi as indicator,
        i.unit, a.admin_unit_name
    from marts.fct_indicator_alert as a
    join marts.dim_indicator as i using (indicator_code)
    where a.alert_type = 'plan_at_risk'
    order by a.deviation, a.indicator_code, a.admin_unit_code
    limit ?
"""

MISSING = """
    -- the missing reports as the alerts have them: one per report, due in the last
    -- missing_window_months (the seed alert_thresholds, read by the alerts' model only)
    select a.period_label, coalesce(g.name_vi, a.reporting_unit_code) as agency,
        a.indicator_set_name as indicator_set, a.indicator_count, s.due_date,
        a.deviation::integer as days_overdue
    from marts.fct_indicator_alert as a
    join marts.fct_report_submission as s
        using (reporting_unit_code, indicator_set_code, period_type, period_label)
    left join marts.dim_agency as g on g.agency_code = a.reporting_unit_code
    where a.alert_type = 'missing'
    order by s.due_date, agency, indicator_set
"""


def _chart(con: duckdb.DuckDBPyConnection, indicator: str, unit: str, title: str) -> str:
    """The last two years of figures at the forecast's own period type, then the forecast."""
    ahead = con.execute(
        "select period_label, forecast, lo_80, hi_80, lo_95, hi_95, period_type "
        "from marts.fct_indicator_forecast where indicator_code = ? and admin_unit_code = ? "
        "order by period_start",
        [indicator, unit],
    ).fetchall()
    period_type = ahead[0][-1] if ahead else "month"
    per_year = {"month": 12, "quarter": 4}.get(period_type, 1)
    history = con.execute(
        "select period_label, actual_value from marts.fct_indicator_value_current_unit "
        "where indicator_code = ? and admin_unit_code = ? and period_type = ? "
        "and actual_value is not null order by period_start desc limit ?",
        [indicator, unit, period_type, max(2 * per_year, 5)],
    ).fetchall()
    ahead = [r[:-1] for r in ahead]
    points = [Point(label, value=v) for label, v in reversed(history)]
    points += [Point(r[0], None, *r[1:]) for r in ahead]
    return svg(points, title)


def alert_window_months(thresholds: Path) -> int:
    """The alerts' window in months, as the alerts' model reads it from its seed."""
    with thresholds.open(encoding="utf-8", newline="") as f:
        values = {row["parameter"]: row["value"] for row in csv.DictReader(f)}
    return int(float(values["alert_window_months"]))


def collect(serving_db: Path, thresholds: Path = ALERT_THRESHOLDS) -> Digest | None:
    """The digest of the newest month in the serving copy (None when it has no figures):
    the alerts of the alerts' own window of months (``thresholds``, their seed)."""
    with duckdb.connect(str(serving_db), read_only=True) as con:
        month = _newest_month(con)
        if month is None:
            return None
        digest = Digest(period=f"{month:%Y-%m}")
        window = [month, alert_window_months(thresholds), month]
        bad = ALERTS.format(severity="in ('critical', 'warning')")
        digest.alerts = _rows(con, bad, [*window, MAX_ALERTS])
        digest.good_news = _rows(con, ALERTS.format(severity="= 'info'"), [*window, 10])
        for row in _rows(con, AT_RISK, [MAX_CHARTS]):
            title = f"{row['indicator']} — {row['admin_unit_name']}"
            row["chart"] = _chart(con, row["indicator_code"], row["admin_unit_code"], title)
            digest.at_risk.append(row)
        digest.missing = _rows(con, MISSING, [])
        digest.not_forecast = _rows(
            con,
            "select reason, count(*) as series from marts.fct_indicator_forecast_skipped "
            "group by reason order by series desc, reason limit 10",
            [],
        )
    return digest
