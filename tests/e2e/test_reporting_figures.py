"""The reporting system as published by the session's real refresh, against what the simulator
serves at the refresh's moment (``simulator.reporting``'s Python API, with the session's
revision faults): per version the newest copy, the copy listed last among equals; the newest
approved version of each report counts, Excel files count as they are; figures rolled up by
each indicator's rule; submission statuses by the lead's rule (first sending vs han_gui;
sent back; missing = due before the as-of and never sent)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from simulator.clock import from_local_seconds
from simulator.reporting import excel_files, report, reports
from tests.conftest import REVISION_FAULTS, Pipeline

AS_OF = date(2026, 11, 1)  # the refresh of 2026-10 pulls the API up to here
SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "indicators.csv"


def number(value: object) -> float | None:
    """The served numbers: JSON numbers or Vietnamese-format strings ("1.234,5")."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return float(value.replace(".", "").replace(",", "."))
    return float(value)


def label(kind: str, year: int, n: int) -> str:
    return {"THANG": f"{year}-{n:02d}", "QUY": f"{year}-Q{n}", "NAM": str(year)}[kind]


@pytest.fixture(scope="module")
def served(pipeline: Pipeline) -> list[dict]:
    """What the API lists, with the session's revision faults (revised and late-corrected
    versions, older, identical and conflicting copies)."""
    return reports(seed=pipeline.seed, faults=REVISION_FAULTS["reporting"])


def standing(served: list[dict]) -> list[dict]:
    """Per (report, version) the copy that stands: the newest ngay_cap_nhat, then the copy
    listed last."""
    copies: dict[tuple, dict] = {}
    for r in served:
        k = (r["ma_bao_cao"], r["phien_ban"])
        if k not in copies or r["ngay_cap_nhat"] >= copies[k]["ngay_cap_nhat"]:
            copies[k] = r
    return list(copies.values())


@pytest.fixture(scope="module")
def counted(served: list[dict]) -> pd.DataFrame:
    """(indicator, area, period label) → the figure of the report's newest approved version."""
    newest: dict[str, dict] = {}
    for r in standing(served):
        best = newest.get(r["ma_bao_cao"])
        if r["trang_thai"] == "DA_DUYET" and (best is None or r["phien_ban"] > best["phien_ban"]):
            newest[r["ma_bao_cao"]] = r
    rows = [
        {
            "indicator_code": f["ma_chi_tieu"],
            "unit": f["ma_dvhc"],
            "label": label(r["ky"]["loai"], r["ky"]["nam"], r["ky"]["so_ky"]),
            "value": number(f["thuc_hien"]),
            "plan": number(f["ke_hoach"]),
            "num": number(f["tu_so"]),
            "den": number(f["mau_so"]),
        }
        for r in newest.values()
        for f in r["so_lieu"]
    ]
    return pd.DataFrame(rows).set_index(["indicator_code", "unit", "label"]).sort_index()


@pytest.fixture(scope="module")
def published(pipeline: Pipeline) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(pipeline.warehouse / "serving" / "ioc.duckdb"), read_only=True)
    yield con
    con.close()


def value(con, code: str, unit: str, period_label: str) -> float:
    rows = con.execute(
        "select actual_value from marts.fct_indicator_value where indicator_code = ? "
        "and admin_unit_code = ? and period_label = ?",
        [code, unit, period_label],
    ).fetchall()
    assert len(rows) == 1, (code, unit, period_label, rows)
    return rows[0][0]


def months(q: str) -> list[str]:
    year, quarter = q.split("-Q")
    return [f"{year}-{3 * (int(quarter) - 1) + m:02d}" for m in (1, 2, 3)]


@pytest.mark.parametrize(
    ("unit", "quarter"), [("56", "2025-Q2"), ("58", "2025-Q2"), ("56", "2025-Q3")]
)
def test_each_aggregation_rule_on_each_side_of_the_reform(counted, published, unit, quarter):
    ms = months(quarter)
    flows = [counted.loc[("THUE_THU_HOI_NO", unit, m), "value"] for m in ms]
    assert value(published, "THUE_THU_HOI_NO", unit, quarter) == pytest.approx(sum(flows))
    debt = counted.loc[("THUE_NO_THUE", unit, ms[-1]), "value"]
    assert value(published, "THUE_NO_THUE", unit, quarter) == pytest.approx(debt)
    rate = [counted.loc[("THUE_TY_LE_NOP_DIEN_TU", unit, m)] for m in ms]
    want = 100 * sum(r["num"] for r in rate) / sum(r["den"] for r in rate)
    assert value(published, "THUE_TY_LE_NOP_DIEN_TU", unit, quarter) == pytest.approx(want)


@pytest.mark.parametrize(("unit", "month"), [("56", "2025-06"), ("56", "2025-07")])
def test_a_month_and_its_plan(counted, published, unit, month):
    want = counted.loc[("THUE_THU_HOI_NO", unit, month)]
    got = published.execute(
        "select actual_value, plan_value, pct_of_plan from marts.fct_indicator_value "
        "where indicator_code = 'THUE_THU_HOI_NO' and admin_unit_code = ? and period_label = ?",
        [unit, month],
    ).fetchone()
    assert got == pytest.approx((want["value"], want["plan"], 100 * want["value"] / want["plan"]))


def test_quarterly_and_yearly_indicators(counted, published):
    q = [counted.loc[("GRDP_GIA_HIEN_HANH", "56", f"2025-Q{n}"), "value"] for n in (1, 2)]
    nt = [counted.loc[("GRDP_GIA_HIEN_HANH", "58", f"2025-Q{n}"), "value"] for n in (1, 2)]
    assert value(published, "GRDP_GIA_HIEN_HANH", "56", "2025-H1") == pytest.approx(sum(q))
    assert value(published, "GRDP_GIA_HIEN_HANH", "58", "2025-H1") == pytest.approx(sum(nt))
    q3 = counted.loc[("GRDP_GIA_HIEN_HANH", "56", "2025-Q3"), "value"]
    assert value(published, "GRDP_GIA_HIEN_HANH", "56", "2025-Q3") == pytest.approx(q3)
    # never rolled up from months the source does not have: no month rows, and a ytd only at
    # a quarter's end (lũy kế 6 tháng = Q1 + Q2)
    labels = published.execute(
        "select period_type, list(period_label order by period_label) "
        "from marts.fct_indicator_value "
        "where indicator_code = 'GRDP_GIA_HIEN_HANH' and admin_unit_code = '56' "
        "and period_type in ('month', 'ytd') and period_label like '2024-%' group by all"
    ).fetchall()
    assert labels == [("ytd", [f"2024-{m:02d}-YTD" for m in (3, 6, 9, 12)])]
    assert value(published, "GRDP_GIA_HIEN_HANH", "56", "2025-06-YTD") == pytest.approx(sum(q))
    # a period ending after the reform is today's 56: old 56 and 58 until June, then new 56
    nine_months = sum(q) + sum(nt) + q3
    assert value(published, "GRDP_GIA_HIEN_HANH", "56", "2025-09-YTD") == pytest.approx(nine_months)
    assert value(published, "GRDP_GIA_HIEN_HANH", "56", "2025-9M") == pytest.approx(nine_months)
    for year in ("2024", "2025"):
        for unit in ("56", "58") if year == "2024" else ("56",):
            want = counted.loc[("GRDP_BINH_QUAN_DAU_NGUOI", unit, year), "value"]
            assert value(published, "GRDP_BINH_QUAN_DAU_NGUOI", unit, year) == pytest.approx(want)


def test_a_quarterly_average_rolls_up_to_the_year(counted, published):
    seed = pd.read_csv(SEED)
    code = seed.query(
        "source == 'reporting' and frequency == 'quarter' and aggregation == 'average'"
    )
    code = code["indicator_code"].iloc[0]
    quarters = [counted.loc[(code, "56", f"2024-Q{n}"), "value"] for n in (1, 2, 3, 4)]
    assert value(published, code, "56", "2024") == pytest.approx(sum(quarters) / 4)


def test_excel_reports_count(pipeline: Pipeline, published):
    files = [f for f in excel_files(seed=pipeline.seed) if "BCT_DTTS_THANG__2025-THANG-8" in f.name]
    assert len(files) == 1
    line = next(x for x in files[0].lines if x.ma_chi_tieu.strip() == "DTTS_GIAI_NGAN")
    got = value(published, "DTTS_GIAI_NGAN", files[0].report.area.code, "2025-08")
    assert got == pytest.approx(number(line.thuc_hien))


def test_excel_reports_are_dated_by_their_arrival(pipeline: Pipeline, published):
    # A file counts from when it arrived in the drop folder: the simulator's sending time of
    # the version that is there (an earlier version overwritten before any pull is unseen).
    want = {}
    for f in excel_files(seed=pipeline.seed):
        unit, indicator_set, period = f.name.removesuffix(".xlsx").split("__")
        year, kind, n = period.split("-")
        sent = from_local_seconds(f.report.sent_at(f.version)).replace(tzinfo=None)
        want[unit, indicator_set, label(kind, int(year), int(n))] = sent
    rows = published.execute(
        "select reporting_unit_code, indicator_set_code, period_label, submitted_at, status, "
        "due_date from marts.fct_report_submission where channel = 'excel'"
    ).fetchall()
    assert {(u, s, p): at for u, s, p, at, *_ in rows} == want
    for *_, at, status, due in rows:
        assert status == ("on_time" if at.date() <= due else "late")
    assert {status for *_, status, _ in rows} == {"on_time", "late"}


def test_submission_statuses(pipeline: Pipeline, served, published):
    by_report: dict[tuple, list[dict]] = defaultdict(list)
    for r in served:
        k = r["ky"]
        by_report[
            (r["ma_don_vi"], r["ma_bo_chi_tieu"], label(k["loai"], k["nam"], k["so_ky"]))
        ].append(r)
    want = {}
    for key, versions in by_report.items():
        versions.sort(key=lambda v: v["phien_ban"])
        first_sent = datetime.fromisoformat(versions[0]["ngay_gui"]).date()
        due = date.fromisoformat(versions[-1]["han_gui"])
        want[key] = (
            "sent_back"
            if versions[-1]["trang_thai"] == "TRA_LAI"
            else "on_time"
            if first_sent <= due
            else "late",
            versions[-1]["phien_ban"],
        )
    got = {
        (u, s, p): (status, version)
        for u, s, p, status, version in published.execute(
            "select reporting_unit_code, indicator_set_code, period_label, status, version "
            "from marts.fct_report_submission where channel = 'api' and status <> 'missing'"
        ).fetchall()
    }
    assert got == want
    statuses = {s for s, _ in want.values()}
    assert {"on_time", "late"} <= statuses


def test_missing_reports(pipeline: Pipeline, served, published):
    never_sent = {
        (
            m["ma_don_vi"],
            m["ma_bo_chi_tieu"],
            label(m["ky"]["loai"], m["ky"]["nam"], m["ky"]["so_ky"]),
        )
        for m in report("2022-01-01", AS_OF.isoformat(), seed=pipeline.seed)["missing"]
    }
    got = {
        (u, s, p)
        for u, s, p in published.execute(
            "select reporting_unit_code, indicator_set_code, period_label "
            "from marts.fct_report_submission where status = 'missing'"
        ).fetchall()
    }
    sent = {(r["ma_don_vi"], r["ma_bo_chi_tieu"]) for r in served}
    first = defaultdict(lambda: "9999")
    for r in served:
        k = r["ky"]
        key = (r["ma_don_vi"], r["ma_bo_chi_tieu"])
        first[key] = min(first[key], label(k["loai"], k["nam"], k["so_ky"]))
    # every report never sent is missing, unless its pair had not reported yet (the first
    # period a pair ever reported opens its expectations)
    expected = {m for m in never_sent if m[:2] in sent and m[2] > first[m[:2]]}
    assert expected, "the simulator leaves some reports unsent"
    assert expected <= got
    # what else is missing is a report due before the as-of that has not come yet
    assert all(m[:2] in sent for m in got - expected)
    # and a missing report raises one alert, naming the report (its unit, set and period)
    alerts = published.execute(
        "select count(*), count(distinct (reporting_unit_code, indicator_set_code, "
        "period_label)) from marts.fct_indicator_alert where alert_type = 'missing'"
    ).fetchone()
    assert alerts[0] > 0 and alerts[0] == alerts[1]
