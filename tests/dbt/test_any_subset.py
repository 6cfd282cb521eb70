"""A province may not have every source: a warehouse with only the budget lake, only Excel
reports, or no lake at all, builds with no node in error or skipped, and every mart exists
(empty where no source delivered). Excel-only reports get their due date from the reporting
regime (seeds/report_due_rules.csv)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.dbt.dbt_lake_ngansach import write_budget_lake
from tests.dbt.dbt_lake_reporting import write_excel_reports

BUDGET_INDICATORS = "select count(*) as n from marts.fct_indicator_value where source = 'ngansach'"


def build_statuses(wh: Warehouse) -> dict[str, str]:
    """Every node's status in the build that just ran (run_results.json)."""
    results = json.loads((wh.root / "dbt_target" / "run_results.json").read_text())
    return {
        r["unique_id"]: r["status"]
        for r in results["results"]
        if not r["unique_id"].startswith("exposure.")  # exposures are never run: "no-op"
    }


def mart_models(wh: Warehouse) -> set[str]:
    """The models of the marts schema, from dbt's own manifest."""
    manifest = json.loads((wh.root / "dbt_target" / "manifest.json").read_text())
    return {
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    }


def excel_only_expected() -> list[dict]:
    """SO_DTTG sent August 2025 (first file 10 September, due the 18th: on time); with no API
    window the as-of is the build's clock, so every later month due before today is missing."""
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    rows, year, month = [], 2025, 8
    while (due := date(year + month // 12, month % 12 + 1, 18)) < today:
        rows.append(
            {
                "reporting_unit_code": "SO_DTTG",
                "period_label": f"{year}-{month:02d}",
                "channel": "excel",
                "due": due.isoformat(),
                "is_due_date_estimated": True,
                "status": "on_time" if (year, month) == (2025, 8) else "missing",
            }
        )
        year, month = year + month // 12, month % 12 + 1
    return rows


@pytest.mark.parametrize("lakes", ["none", "ngansach", "reporting_excel"])
def test_a_warehouse_with_any_single_source_or_none_builds(tmp_path, lakes) -> None:
    with warehouse(tmp_path) as wh:
        if lakes == "ngansach":
            write_budget_lake(wh.lake)
        if lakes == "reporting_excel":
            write_excel_reports(wh.lake)
        wh.dbt("build")
        statuses = build_statuses(wh)
        bad = {k: v for k, v in statuses.items() if v not in ("success", "pass", "warn")}
        assert not bad
        assert any(k.startswith("model.ioc.stg_dichvucong__") for k in statuses)
        tables = {
            r["table_name"]
            for r in wh.query(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            )
        }
        marts = mart_models(wh)
        assert {"fct_dossier", "fct_report_submission", "fct_indicator_value"} <= marts
        assert marts <= tables
        assert wh.query("select count(*) as n from marts.fct_dossier") == [{"n": 0}]
        submissions = wh.query(
            "select reporting_unit_code, period_label, channel, due_date::varchar as due, "
            "is_due_date_estimated, status from marts.fct_report_submission"
        )
        if lakes == "reporting_excel":
            assert sorted(submissions, key=lambda r: r["period_label"]) == excel_only_expected()
        else:
            assert submissions == []
        budget = wh.query(BUDGET_INDICATORS)[0]["n"]
        assert (budget > 0) == (lakes == "ngansach")
