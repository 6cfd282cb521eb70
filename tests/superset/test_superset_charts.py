"""Every chart of the deployed bundle shows the figures the published DuckDB file holds."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
import yaml

from dashboards import deploy
from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset

AGG = "marts.agg_public_service_month"
FCT = "marts.fct_indicator_value"
REPORTS = "marts.fct_report_submission"
ALERTS = "marts.fct_indicator_alert"
INDEX_766 = "marts.agg_public_service_index_month"
RECEIVED = "indicator_code = 'DVC_HS_TIEP_NHAN'"
# Province level: the units whose level is 'province' (56, and 58 before 2025-07-01).
PROVINCE = (
    "admin_unit_code IN (SELECT admin_unit_code FROM marts.dim_admin_unit WHERE level = 'province')"
)
ON_TIME = "count(*) FILTER (WHERE status = 'on_time')"
ARRIVALS = "'DL_TONG_LUOT_KHACH'"
BUDGET = "'TNS_TONG'"
# The overview's key indicators (rpt_overview_kpi); money in triệu đồng is shown in tỷ đồng.
KEY_INDICATORS = (
    "'TNS_TONG', 'DTC_GIAI_NGAN', 'LDXH_VIEC_LAM_MOI', 'TS_SAN_LUONG', 'DL_TONG_LUOT_KHACH',"
    " 'DL_DOANH_THU'"
)
TO_DISPLAY = "CASE i.unit WHEN 'triệu đồng' THEN 1000.0 ELSE 1 END"


def _pct(numerator: str, denominator: str) -> str:
    return f"100.0 * {numerator} / nullif({denominator}, 0)"


def _monthly(indicators: str) -> str:
    """Province-level monthly figures of some indicators (a CTE body)."""
    return (
        "SELECT indicator_code, period_start, actual_value, plan_value, is_estimate"
        f" FROM {FCT} WHERE period_type = 'month' AND {PROVINCE} AND indicator_code IN"
        f" ({indicators})"
    )


# What each chart must show, computed straight from the published file and written apart
# from the bundle's SQL: the rows in the chart's column order (ratios are ratios of sums).
# Year to date of each key indicator up to its latest month, last year's same months, the
# plan in force and whether the latest month is an estimate (a CTE list ending in `kpi`).
_KPI = f"""
    m AS ({_monthly(KEY_INDICATORS)}),
    latest AS (SELECT indicator_code, max(period_start) AS t FROM m GROUP BY 1),
    kpi AS (
        SELECT indicator_code, l.t,
            sum(actual_value) FILTER (
                WHERE year(period_start) = year(l.t) AND period_start <= l.t) AS ytd,
            sum(actual_value) FILTER (
                WHERE year(period_start) = year(l.t) - 1 AND month(period_start) <= month(l.t))
                AS last_year,
            sum(plan_value) FILTER (WHERE period_start = l.t) AS plan,
            bool_or(is_estimate) FILTER (WHERE period_start = l.t) AS estimate
        FROM m JOIN latest AS l USING (indicator_code) GROUP BY 1, 2
    )
"""
_PACE = "100.0 * (ytd / nullif(plan, 0)) / (month(t) / 12.0)"


def _pace(code: str) -> str:
    return f"WITH {_KPI} SELECT {_PACE} FROM kpi WHERE indicator_code = '{code}'"


def _latest_of_type(period_type: str, where: str, columns: str, value: str) -> str:
    """Figures of the latest period of a type per indicator (the sector dashboards' default
    period, "<type> — kỳ mới nhất"), with the indicator, unit and agency names."""
    return f"""
        WITH latest AS (
            SELECT indicator_code, period_type, max(period_end) AS e FROM {FCT} GROUP BY 1, 2
        )
        SELECT {columns}, {value}
        FROM {FCT} AS v
        JOIN latest AS l ON l.indicator_code = v.indicator_code
            AND l.period_type = v.period_type AND l.e = v.period_end
        JOIN marts.dim_indicator AS i ON i.indicator_code = v.indicator_code
        JOIN marts.dim_admin_unit AS u ON u.admin_unit_key = v.admin_unit_key
        LEFT JOIN marts.dim_agency AS a ON a.agency_code = i.owner_agency
        WHERE v.period_type = '{period_type}' AND {where}
        GROUP BY ALL
    """


_VALUE = f"""CASE WHEN any_value(i.aggregation) = 'ratio'
    THEN {_pct("sum(v.numerator)", "sum(v.denominator)")}
    WHEN any_value(i.aggregation) = 'average' THEN avg(v.actual_value)
    ELSE sum(v.actual_value) END"""
_YTD_NAME = "format('Lũy kế {} tháng {}', month(v.period_end), year(v.period_end))"


def _ranking(code: str, value: str, order: str) -> str:
    ranked = _latest_of_type(
        "ytd", f"v.indicator_code = '{code}' AND u.level = 'commune'", "u.name_vi", value
    )
    return f"SELECT * FROM ({ranked}) ORDER BY 2 {order} LIMIT 10"


EXPECTED: dict[str, str] = {
    # giai-quyet-tthc
    "ho_so_tiep_nhan_giai_quyet_theo_thang": (
        f"SELECT month_start, sum(received), sum(resolved) FROM {AGG} GROUP BY 1"
    ),
    "ty_le_dung_han_theo_thang": (
        f"SELECT month_start, {_pct('sum(resolved_on_time)', 'sum(resolved)')}"
        f" FROM {AGG} GROUP BY 1"
    ),
    "ty_le_dung_han_thang_gan_nhat": (
        f"SELECT month_start, {_pct('sum(resolved_on_time)', 'sum(resolved)')}"
        f" FROM {AGG} GROUP BY 1"
    ),
    "ty_le_truc_tuyen_theo_thang": (
        f"SELECT month_start, {_pct('sum(received_online)', 'sum(received)')} FROM {AGG} GROUP BY 1"
    ),
    "ket_qua_theo_co_quan": (
        "SELECT coalesce(g.name_vi, a.agency_code), sum(received), sum(resolved),"
        f" {_pct('sum(resolved_on_time)', 'sum(resolved)')},"
        f" {_pct('sum(received_online)', 'sum(received)')}"
        f" FROM {AGG} AS a LEFT JOIN marts.dim_agency AS g USING (agency_code) GROUP BY 1"
    ),
    "ho_so_tiep_nhan_thang_gan_nhat": (
        f"SELECT period_start, sum(actual_value) FROM {FCT}"
        f" WHERE {RECEIVED} AND period_type = 'month' GROUP BY 1"
    ),
    "cap_nhat_lan_cuoi": f"SELECT max(refreshed_at) FROM {FCT} WHERE {RECEIVED}",
    # tong-quan-kt-xh
    "thu_ngan_sach_so_du_toan": f"""
        WITH m AS ({_monthly("'TNS_TONG'")}), latest AS (SELECT max(period_start) AS t FROM m)
        SELECT {
        _pct(
            "sum(actual_value) FILTER (WHERE year(period_start) = year(t) AND period_start <= t)",
            "sum(plan_value) FILTER (WHERE period_start = t)",
        )
    } FROM m, latest
    """,
    "khach_du_lich_thang_gan_nhat": (
        f"SELECT period_start, sum(actual_value) FROM ({_monthly(ARRIVALS)}) GROUP BY 1"
    ),
    "thu_ngan_sach_theo_thang_ba_nam": f"""
        WITH m AS ({_monthly("'TNS_TONG'")})
        SELECT strftime(period_start, '%m'), CAST(year(period_start) AS VARCHAR),
            sum(actual_value) / 1000
        FROM m WHERE year(period_start) >= (SELECT year(max(period_start)) FROM m) - 2
        GROUP BY 1, 2
    """,
    "giao_duc_theo_nam_hoc": f"""
        SELECT i.name_vi, i.unit, v.period_label, CASE WHEN i.aggregation = 'ratio'
            THEN {_pct("sum(v.numerator)", "sum(v.denominator)")} ELSE sum(v.actual_value) END
        FROM {FCT} AS v JOIN marts.dim_indicator AS i USING (indicator_code)
        WHERE i.indicator_group = 'giao_duc' AND v.period_type = 'school_year' AND v.{PROVINCE}
        GROUP BY i.name_vi, i.unit, v.period_label, i.aggregation
    """,
    # the month the reporting system's figures reach (its latest province-level month; with
    # many provinces the oldest province's, an old province's figures counting as its successor's)
    "cap_nhat_lan_cuoi_chi_tieu": f"""
        SELECT min(t) FROM (
            SELECT u.successor_province_code, max(f.period_start) AS t
            FROM {FCT} AS f JOIN marts.dim_admin_unit AS u USING (admin_unit_key)
            WHERE f.source = 'reporting' AND f.period_type = 'month' AND u.level = 'province'
            GROUP BY 1
        )
    """,
    # per province × source in a many-province warehouse (province null: the one province)
    "tinh_trang_nguon_du_lieu": """
        SELECT source_title, province, CASE status WHEN 'not_configured' THEN 'Chưa cấu hình'
                WHEN 'no_data' THEN 'Chưa có số liệu' ELSE 'Đang cập nhật' END, details
        FROM dq.dq_source_status
    """,
    # tong-quan-kt-xh: pace tiles, the key indicators, open alerts, each source's last month
    **{
        f"tien_do_{code.lower()}": _pace(code)
        for code in ("TNS_TONG", "DTC_GIAI_NGAN", "LDXH_VIEC_LAM_MOI", "TS_SAN_LUONG")
    },
    "chi_tieu_chu_yeu_tien_do": f"""
        WITH {_KPI}
        SELECT i.name_vi, CASE i.unit WHEN 'triệu đồng' THEN 'tỷ đồng' ELSE i.unit END,
            'Số liệu đến tháng ' || strftime(t, '%m/%Y')
                || CASE WHEN estimate THEN ' (ước tính)' ELSE '' END,
            ytd / {TO_DISPLAY}, plan / {TO_DISPLAY}, 100.0 * ytd / nullif(plan, 0),
            100.0 * month(t) / 12, {_PACE}, 100.0 * ytd / nullif(last_year, 0) - 100
        FROM kpi JOIN marts.dim_indicator AS i USING (indicator_code) WHERE plan IS NOT NULL
    """,
    "canh_bao_dang_mo_so_luong": f"""
        SELECT count(*) FROM {ALERTS} AS a WHERE NOT EXISTS (
            SELECT 1 FROM {FCT} AS v WHERE v.indicator_code = a.indicator_code
            AND v.period_type = a.period_type AND v.period_end > a.period_end
        )
    """,
    # one row per source: the month every province's figures reach (the oldest province's
    # latest month, an old province's figures counting as its successor's)
    "so_lieu_den_thang_theo_nguon": f"""
        WITH p AS (
            SELECT f.source, u.successor_province_code AS province, f.period_type,
                f.period_start, f.is_estimate
            FROM {FCT} AS f JOIN marts.dim_admin_unit AS u USING (admin_unit_key)
            WHERE u.level = 'province'
        ), reach AS (
            SELECT source, min(t) AS t, min(y) AS y FROM (
                SELECT source, province,
                    max(period_start) FILTER (WHERE period_type = 'month') AS t,
                    max(period_start) FILTER (WHERE period_type = 'school_year') AS y
                FROM p GROUP BY 1, 2
            ) GROUP BY 1
        ), r AS (
            SELECT reach.*, (SELECT bool_or(p.is_estimate) FROM p WHERE p.source = reach.source
                AND p.period_type = 'month' AND p.period_start = reach.t) AS estimate
            FROM reach
        ), s AS (
            SELECT source, any_value(source_title) AS source_title, count(*) AS n,
                count(*) FILTER (WHERE status = 'delivering') AS k, bool_or(is_configured) AS c
            FROM dq.dq_source_status GROUP BY 1
        )
        SELECT s.source_title,
            CASE WHEN r.t IS NOT NULL THEN 'Số liệu đến tháng ' || strftime(r.t, '%m/%Y')
                    || CASE WHEN r.estimate THEN ' (ước tính)' ELSE '' END
                WHEN r.y IS NOT NULL
                THEN format('Số liệu đến năm học {{}}–{{}}', year(r.y), year(r.y) + 1)
                ELSE 'Chưa có số liệu' END,
            CASE WHEN s.k = s.n THEN 'Đang cập nhật'
                WHEN s.k > 0 THEN format('Đang cập nhật ({{}}/{{}} tỉnh)', s.k, s.n)
                WHEN s.c THEN 'Chưa có số liệu' ELSE 'Chưa cấu hình' END
        FROM s LEFT JOIN r USING (source)
    """,
    "dl_khach_theo_thang": (
        f"SELECT period_start, sum(actual_value) FROM ({_monthly(ARRIVALS)}) GROUP BY 1"
    ),
    # thu-ngan-sach, du-lich, giao-duc: as the dashboard opens (the latest period of its type)
    "tns_tong_theo_thang": (
        f"SELECT period_start, sum(actual_value) / 1000 FROM ({_monthly(BUDGET)}) GROUP BY 1"
    ),
    "tns_theo_khoan_thu": _latest_of_type(
        "ytd",
        "i.indicator_group = 'thu_ngan_sach' AND u.level = 'province'",
        f"i.name_vi, coalesce(a.name_vi, i.owner_agency), {_YTD_NAME}",
        f"sum(v.actual_value) / any_value({TO_DISPLAY})",
    ),
    "tns_10_xa_cao_nhat": _ranking("TNS_TONG", "sum(v.actual_value) / 1000", "DESC"),
    "tns_10_xa_thap_nhat": _ranking("TNS_TONG", "sum(v.actual_value) / 1000", "ASC"),
    "dl_theo_chi_tieu": _latest_of_type(
        "ytd",
        "i.indicator_group = 'du_lich' AND u.level = 'province'",
        f"i.name_vi, i.unit, {_YTD_NAME},"
        # an estimate in any unit's figure of the period (the province's or a commune's)
        f" CASE WHEN EXISTS (SELECT 1 FROM {FCT} AS w WHERE w.indicator_code = v.indicator_code"
        " AND w.period_type = v.period_type AND w.period_label = v.period_label"
        " AND w.is_estimate) THEN 'Có số ước tính' ELSE 'Chính thức' END",
        _VALUE,
    ),
    "dl_10_xa_cao_nhat": _ranking("DL_TONG_LUOT_KHACH", "sum(v.actual_value)", "DESC"),
    "dl_10_xa_thap_nhat": _ranking("DL_TONG_LUOT_KHACH", "sum(v.actual_value)", "ASC"),
    "gd_theo_chi_tieu": _latest_of_type(
        "school_year",
        "i.indicator_group = 'giao_duc' AND u.level = 'province'",
        "i.name_vi, i.unit, format('Năm học {}–{}', year(v.period_start), year(v.period_end))",
        _VALUE,
    ),
    # che-do-bao-cao (the agencies' top and bottom ten may tie: every agency, checked below)
    **{
        f"bc_10_co_quan_dung_han_{end}": f"""
            SELECT coalesce(a.name_vi, s.reporting_unit_code), {_pct(ON_TIME, "count(*)")},
                count(*)
            FROM {REPORTS} AS s LEFT JOIN marts.dim_agency AS a
                ON a.agency_code = s.reporting_unit_code
            GROUP BY 1
        """
        for end in ("cao_nhat", "thap_nhat")
    },
    # chat-luong-du-lieu: each period's state
    "tinh_trang_ky_bao_cao": """
        SELECT period_label, state_vi, close_state_vi, days_late, details
        FROM marts.fct_period_state
    """,
    # che-do-bao-cao
    "ty_le_bao_cao_dung_han_thang_gan_nhat": (
        f"SELECT date_trunc('month', due_date), {_pct(ON_TIME, 'count(*)')}"
        f" FROM {REPORTS} GROUP BY 1"
    ),
    "bao_cao_theo_don_vi": f"""
        SELECT coalesce(a.name_vi, s.reporting_unit_code), indicator_set_name,
            s.reporting_unit_code, count(*), {ON_TIME},
            count(*) FILTER (WHERE status = 'late'), count(*) FILTER (WHERE status = 'missing'),
            count(*) FILTER (WHERE status = 'sent_back'), {_pct(ON_TIME, "count(*)")}
        FROM {REPORTS} AS s LEFT JOIN marts.dim_agency AS a
            ON a.agency_code = s.reporting_unit_code
        GROUP BY 1, 2, 3
    """,
    # Open: the alert is about its indicator's latest period (or one with no figure yet).
    "canh_bao_dang_mo": f"""
        SELECT CASE a.severity WHEN 'critical' THEN 'Nghiêm trọng' WHEN 'info' THEN 'Tích cực'
                ELSE 'Cần chú ý' END,
            CASE a.alert_type WHEN 'off_plan' THEN 'Chậm so với kế hoạch'
                WHEN 'off_trend' THEN 'Biến động bất thường'
                WHEN 'plan_at_risk' THEN 'Nguy cơ không đạt kế hoạch năm'
                WHEN 'late' THEN 'Báo cáo muộn' WHEN 'blocked' THEN 'Số liệu bị giữ lại'
                ELSE 'Thiếu số liệu' END,
            u.name_vi, CASE a.period_type
                WHEN 'month'
                    THEN format('Tháng {{}}/{{}}', month(a.period_start), year(a.period_start))
                WHEN 'quarter' THEN format('Quý {{}}/{{}}',
                    ['I', 'II', 'III', 'IV'][quarter(a.period_start)], year(a.period_start))
                WHEN 'year' THEN format('Năm {{}}', year(a.period_start))
                WHEN 'ytd'
                    THEN format('Lũy kế {{}} tháng {{}}', month(a.period_end), year(a.period_end))
                END, a.message
        FROM {ALERTS} AS a JOIN marts.dim_admin_unit AS u
            ON u.admin_unit_code = a.admin_unit_code
            AND (u.valid_from IS NULL OR u.valid_from <= a.period_end)
            AND (u.valid_to IS NULL OR a.period_end < u.valid_to)
        WHERE NOT EXISTS (
            SELECT 1 FROM {FCT} AS v WHERE v.indicator_code = a.indicator_code
            AND v.period_type = a.period_type AND v.period_end > a.period_end
        )
    """,
    # chat-luong-du-lieu: every row of each check's latest run, by dataset and dimension
    "dq_dung_du_sach_song": """
        WITH latest AS (
            SELECT r.* FROM dq.dq_check_result AS r
            JOIN (SELECT dataset, check_name, max(checked_at) AS at FROM dq.dq_check_result
                GROUP BY 1, 2) AS m
                ON m.dataset = r.dataset AND m.check_name = r.check_name AND m.at = r.checked_at
        )
        SELECT dataset, CASE dimension WHEN 'dung' THEN 'Đúng' WHEN 'du' THEN 'Đủ'
                WHEN 'sach' THEN 'Sạch' WHEN 'song' THEN 'Sống' END,
            CASE WHEN bool_or(status = 'fail') THEN 'Lỗi' WHEN bool_or(status = 'warn')
                THEN 'Cảnh báo' ELSE 'Đạt' END,
            count(*), count(*) FILTER (WHERE status = 'pass'),
            count(*) FILTER (WHERE status = 'warn'), count(*) FILTER (WHERE status = 'fail'),
            coalesce(sum(rows_failed), 0), max(checked_at)
        FROM latest GROUP BY dataset, dimension
    """,
    # the ledger by source, province (null: the one province) and dataset: the last load, the
    # source's own freshness, quarantine
    "dq_so_nap_va_cach_ly": """
        SELECT source, province, dataset,
            CASE arg_max(status, started_at) WHEN 'success' THEN 'Thành công'
                WHEN 'partial' THEN 'Một phần' WHEN 'failed' THEN 'Lỗi'
                WHEN 'rejected' THEN 'Bị từ chối' ELSE arg_max(status, started_at) END,
            arg_max(finished_at, started_at),
            max(data_until) FILTER (WHERE status = 'success'), count(*),
            coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0),
            (SELECT coalesce(string_agg(format('{} ({})', left(reason, 120), n), '; '
                    ORDER BY n DESC, reason), 'Không có')
                FROM (SELECT coalesce(nullif(regexp_extract(q.reason, ': *(.*)$', 1), ''),
                        q.reason) AS reason, count(*) AS n
                    FROM dq.dq_quarantine AS q
                    WHERE q.source = l.source AND split_part(q.dataset, '.', 2) = l.dataset
                        AND q.province IS NOT DISTINCT FROM l.province
                    GROUP BY 1 ORDER BY n DESC, reason LIMIT 3))
        FROM dq.load_ledger AS l GROUP BY 1, 2, 3
    """,
    "chi_so_766_theo_co_quan": f"""
        SELECT coalesce(a.name_vi, s.agency_code), CASE a.level WHEN 'province' THEN 'Cấp tỉnh'
                WHEN 'district' THEN 'Cấp huyện' WHEN 'commune' THEN 'Cấp xã' END,
            format('Tháng {{}}/{{}}', month(s.month_start), year(s.month_start)), s.agency_code,
            sum(s.progress_points), sum(s.digitisation_points),
            sum(s.online_points), sum(s.satisfaction_points), sum(s.total_points),
            sum(s.measured_max_points), {_pct("sum(s.total_points)", "sum(s.measured_max_points)")}
        FROM {INDEX_766} AS s LEFT JOIN marts.dim_agency AS a USING (agency_code)
        WHERE s.month_start = (SELECT max(month_start) FROM {INDEX_766})
        GROUP BY 1, 2, 3, 4
    """,
}


def _plain(value: Any) -> Any:
    """Superset's JSON form of a value: temporal → epoch milliseconds (naive = UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp() * 1000
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp() * 1000
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return value


def _approx(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [
        tuple(v if v is None or isinstance(v, str) else pytest.approx(v, rel=1e-9) for v in row)
        for row in rows
    ]


def _by_key(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    """Sort rows by all their values; numbers to 9 digits (sums may differ in the last ones)."""
    return tuple(
        (v is None, v if isinstance(v, str) else "" if v is None else f"{float(v):.9g}")
        for v in row
    )


CHARTS = {
    path.stem: yaml.safe_load(path.read_text("utf-8"))
    for path in sorted((deploy.BUNDLE_DIR / "charts").glob("*.yaml"))
}


def _query(chart: str) -> dict[str, Any]:
    (query,) = json.loads(CHARTS[chart]["query_context"])["queries"]
    return query


def _in_filter(chart: str, column: str) -> str:
    (values,) = [f["val"] for f in _query(chart)["filters"] if f["col"] == column]
    return ", ".join(f"'{value}'" for value in values)


DASHBOARDS = [
    yaml.safe_load(path.read_text("utf-8"))
    for path in sorted((deploy.BUNDLE_DIR / "dashboards").glob("*.yaml"))
]
TABLE_OF_DATASET = {
    dataset["uuid"]: dataset["table_name"]
    for dataset in (
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((deploy.BUNDLE_DIR / "datasets").rglob("*.yaml"))
    )
}


def _native_filters(chart: str) -> dict[str, list[str] | None]:
    """The native filters that apply to a chart where it is placed: column → default value."""
    uuid, dataset = CHARTS[chart]["uuid"], CHARTS[chart]["dataset_uuid"]
    filters = {}
    for dashboard in DASHBOARDS:
        placed = [
            node["meta"]["chartId"]
            for node in dashboard["position"].values()
            if isinstance(node, dict)
            and node.get("type") == "CHART"
            and node["meta"]["uuid"] == uuid
        ]
        for native in dashboard["metadata"]["native_filter_configuration"]:
            value = native["defaultDataMask"]["filterState"].get("value")
            (target,) = native["targets"]
            in_scope = placed and placed[0] not in native["scope"]["excluded"]
            if target.get("datasetUuid") == dataset and in_scope:
                filters[target["column"]["name"]] = value
    return filters


def _chart_data(
    chart: str,
    chart_ids: dict[str, int],
    dataset_ids: dict[str, int],
    client: SupersetClient,
    choose: dict[str, list[str]] | None = None,
) -> Any:
    """A chart's data as its dashboard first shows it (the filters' defaults applied), with
    some native filters' values chosen as a person would choose them."""
    native = _native_filters(chart)
    assert set(choose or {}) <= set(native), f"no such filter on {chart}'s dashboard"
    chosen = {column: value for column, value in native.items() if value} | (choose or {})
    if not chosen:
        return client.chart_data(chart_ids[chart])
    body = json.loads(CHARTS[chart]["query_context"])
    body["datasource"]["id"] = dataset_ids[TABLE_OF_DATASET[CHARTS[chart]["dataset_uuid"]]]
    body["force"] = True
    body["queries"][0]["filters"] += [
        {"col": column, "op": "IN", "val": value} for column, value in chosen.items()
    ]
    return client.post("/api/v1/chart/data", body)


@pytest.fixture(scope="session")
def dataset_ids(superset_client: SupersetClient) -> dict[str, int]:
    return deploy.bundle_dataset_ids(superset_client)


@pytest.fixture(scope="session")
def chart_ids(superset_client: SupersetClient) -> dict[str, int]:
    listing = superset_client.get("/api/v1/chart/", q="(columns:!(id,uuid),page_size:100)")
    by_uuid = {row["uuid"]: row["id"] for row in listing["result"]}
    return {name: by_uuid[chart["uuid"]] for name, chart in CHARTS.items()}


def test_every_chart_has_its_expected_figures() -> None:
    assert set(EXPECTED) == set(CHARTS)


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_chart_shows_the_published_figures(
    chart: str,
    chart_ids: dict[str, int],
    dataset_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
) -> None:
    sql = EXPECTED[chart]
    if "{codes}" in sql:
        sql = sql.replace("{codes}", _in_filter(chart, "indicator_code"))
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        expected = [tuple(_plain(v) for v in row) for row in con.execute(sql).fetchall()]
    assert expected and expected[0][0] is not None, "the fixture warehouse has data"

    response = _chart_data(chart, chart_ids, dataset_ids, superset_client)
    assert response.status_code == 200, response.text[:2000]
    (result,) = response.json()["result"]
    shown = [tuple(row[c] for c in result["colnames"]) for row in result["data"]]

    limit = _query(chart)["row_limit"]
    if len(expected) > limit:  # a top or bottom ten: the ten of the ranking, ties either way
        ((column, ascending),) = _query(chart)["orderby"]
        index = result["colnames"].index(column)
        ranked = sorted(expected, key=lambda row: row[index], reverse=not ascending)
        assert sorted(row[index] for row in shown) == pytest.approx(
            sorted(row[index] for row in ranked[:limit])
        )
        assert all(row in _approx(expected) for row in shown), shown
    else:
        assert sorted(shown, key=_by_key) == _approx(sorted(expected, key=_by_key))
    for column, ascending in _query(chart).get("orderby", [])[:1]:
        if column in result["colnames"]:  # e.g. biggest agencies first
            index = result["colnames"].index(column)
            values = [row[index] for row in shown if row[index] is not None]
            assert values == sorted(values, reverse=not ascending)
    if lag := CHARTS[chart]["params"].get("compare_lag"):  # "N points back" is N months back
        months = [datetime.fromtimestamp(row[0] / 1000, UTC) for row in sorted(shown)[-lag - 1 :]]
        assert [12 * m.year + m.month for m in months] == list(
            range(
                12 * months[0].year + months[0].month,
                12 * months[0].year + months[0].month + lag + 1,
            )
        )


def test_native_filters_change_the_figures(
    chart_ids: dict[str, int],
    dataset_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
) -> None:
    """Choosing another period on Thu ngân sách shows that period's figures."""
    shown = {}
    for choice in ("Lũy kế từ đầu năm — kỳ mới nhất", "Tháng — kỳ mới nhất"):
        response = _chart_data(
            "tns_theo_khoan_thu",
            chart_ids,
            dataset_ids,
            superset_client,
            choose={"period_choice": [choice]},
        )
        assert response.status_code == 200, response.text[:2000]
        (result,) = response.json()["result"]
        shown[choice] = sorted(
            (tuple(row[c] for c in result["colnames"]) for row in result["data"]), key=_by_key
        )
    month_name = "format('Tháng {}/{}', month(v.period_start), year(v.period_start))"
    sql = _latest_of_type(
        "month",
        "i.indicator_group = 'thu_ngan_sach' AND u.level = 'province'",
        f"i.name_vi, coalesce(a.name_vi, i.owner_agency), {month_name}",
        f"sum(v.actual_value) / any_value({TO_DISPLAY})",
    )
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        expected = sorted(con.execute(sql).fetchall(), key=_by_key)
    assert expected and shown["Tháng — kỳ mới nhất"] == _approx(expected)
    assert shown["Tháng — kỳ mới nhất"] != shown["Lũy kế từ đầu năm — kỳ mới nhất"]


def _shown(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.text[:2000]
    (result,) = response.json()["result"]
    rows = (tuple(row[c] for c in result["colnames"]) for row in result["data"])
    return sorted(rows, key=_by_key)


# The unit and the agency filters, each on a chart it applies to: (chart, filter column,
# how to pick the values from DuckDB, the chart's figures for them from DuckDB).
_BUDGET_AGENCY = "coalesce(a.name_vi, i.owner_agency)"
UNIT_AND_AGENCY_CHOICES = {
    "thu-ngan-sach, Cơ quan, ngành": (
        "tns_theo_khoan_thu",
        "agency_name",
        f"""SELECT DISTINCT {_BUDGET_AGENCY} FROM {FCT} AS v
            JOIN marts.dim_indicator AS i USING (indicator_code)
            LEFT JOIN marts.dim_agency AS a ON a.agency_code = i.owner_agency
            WHERE i.indicator_group = 'thu_ngan_sach' ORDER BY 1 LIMIT 1""",
        _latest_of_type(
            "ytd",
            "i.indicator_group = 'thu_ngan_sach' AND u.level = 'province'"
            f" AND {_BUDGET_AGENCY} IN $chosen",
            f"i.name_vi, {_BUDGET_AGENCY}, {_YTD_NAME}",
            f"sum(v.actual_value) / any_value({TO_DISPLAY})",
        ),
    ),
    "thu-ngan-sach, Đơn vị hành chính": (
        "tns_10_xa_cao_nhat",
        "admin_unit_name",
        f"""SELECT u.name_vi FROM {FCT} AS v JOIN marts.dim_admin_unit AS u
                USING (admin_unit_key)
            WHERE v.indicator_code = 'TNS_TONG' AND u.level = 'commune' AND u.valid_to IS NULL
            GROUP BY 1 ORDER BY 1 LIMIT 3""",
        _latest_of_type(
            "ytd",
            "v.indicator_code = 'TNS_TONG' AND u.level = 'commune' AND u.name_vi IN $chosen",
            "u.name_vi",
            "sum(v.actual_value) / 1000",
        ),
    ),
    "giai-quyet-tthc, Cơ quan": (
        "ket_qua_theo_co_quan",
        "agency_name",
        f"""SELECT coalesce(g.name_vi, a.agency_code) FROM {AGG} AS a
            LEFT JOIN marts.dim_agency AS g USING (agency_code)
            GROUP BY 1 ORDER BY sum(received) DESC LIMIT 2""",
        f"SELECT * FROM ({EXPECTED['ket_qua_theo_co_quan']}) AS t(agency, r, s, o, n)"
        " WHERE agency IN $chosen",
    ),
}


@pytest.mark.parametrize("choice", sorted(UNIT_AND_AGENCY_CHOICES))
def test_unit_and_agency_filters_change_the_figures(
    choice: str,
    chart_ids: dict[str, int],
    dataset_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
) -> None:
    """Choosing units or agencies in a dashboard's filter shows only their figures."""
    chart, column, pick, sql = UNIT_AND_AGENCY_CHOICES[choice]
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        chosen = [value for (value,) in con.execute(pick).fetchall()]
        listed = ", ".join("'{}'".format(value.replace("'", "''")) for value in chosen)
        rows = con.execute(sql.replace("$chosen", f"({listed})")).fetchall()
    expected = sorted((tuple(_plain(v) for v in row) for row in rows), key=_by_key)
    assert chosen and expected, "the fixture warehouse has data"

    everything = _shown(_chart_data(chart, chart_ids, dataset_ids, superset_client))
    shown = _shown(
        _chart_data(chart, chart_ids, dataset_ids, superset_client, choose={column: chosen})
    )
    assert shown == _approx(expected)
    assert shown != everything


def test_dataset_columns_are_the_warehouses(live_superset: LiveSuperset) -> None:
    """Each dataset's declared columns exist in the published file, with the same types."""
    datasets = [
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((deploy.BUNDLE_DIR / "datasets").rglob("*.yaml"))
    ]
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        for dataset in datasets:
            source = dataset["sql"] or f"SELECT * FROM {dataset['schema']}.{dataset['table_name']}"
            served = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE {source}").fetchall()}
            declared = {c["column_name"]: c["type"] for c in dataset["columns"]}
            assert declared.items() <= served.items(), dataset["table_name"]


def test_drill_info_names_and_formats_the_metrics(
    dataset_ids: dict[str, int], superset_client: SupersetClient
) -> None:
    """What drill by draws a chart with: each metric's Vietnamese name and number format, as
    the bundle gives them (Superset 6.1's own drill info lists only the columns)."""
    for path in sorted((deploy.BUNDLE_DIR / "datasets").rglob("*.yaml")):
        dataset = yaml.safe_load(path.read_text("utf-8"))
        info = superset_client.get(
            f"/api/v1/dataset/{dataset_ids[dataset['table_name']]}/drill_info/"
        )
        names = {m["metric_name"]: m["verbose_name"] for m in info["result"]["metrics"]}
        assert names == {m["metric_name"]: m["verbose_name"] for m in dataset["metrics"]}
        formats = {m["metric_name"]: m["d3format"] for m in dataset["metrics"] if m["d3format"]}
        assert info["result"]["column_formats"] == formats, dataset["table_name"]


def test_chart_data_latency_and_concurrency(
    chart_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
    artifacts_dir: Path,
) -> None:
    """Uncached chart queries: latency one at a time, then a burst of parallel ones."""
    latencies = []
    for _round in range(max(2, 42 // len(chart_ids))):  # ≈ 42 requests however many charts
        for chart_id in chart_ids.values():
            began = time.perf_counter()
            assert superset_client.chart_data(chart_id).status_code == 200
            latencies.append(time.perf_counter() - began)
    burst = list(chart_ids.values()) * max(3, 56 // len(chart_ids))
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:  # both workers' threads busy
        statuses = list(pool.map(lambda i: superset_client.chart_data(i).status_code, burst))
    burst_seconds = time.perf_counter() - began
    assert statuses == [200] * len(burst)

    quantiles = statistics.quantiles(latencies, n=20)
    timings = {
        "boot_seconds": round(live_superset.boot_seconds, 1),
        "deploy_seconds": round(live_superset.deploy_seconds, 2),
        "chart_data_requests": len(latencies),
        "chart_data_p50_ms": round(statistics.median(latencies) * 1000),
        "chart_data_p95_ms": round(quantiles[18] * 1000),
        "parallel_burst": {
            "requests": len(burst),
            "threads": 16,
            "seconds": round(burst_seconds, 2),
        },
    }
    (artifacts_dir / "superset_timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    assert timings["chart_data_p95_ms"] < 3000, timings


def _is_cached(superset_client: SupersetClient, chart_id: int) -> bool:
    response = superset_client.chart_data(chart_id, force=False)
    assert response.status_code == 200, response.text[:2000]
    return response.json()["result"][0]["is_cached"]


def test_redeploy_overwrites_in_place_and_drops_cached_results(
    chart_ids: dict[str, int], superset_client: SupersetClient, live_superset: LiveSuperset
) -> None:
    chart_id = chart_ids["ket_qua_theo_co_quan"]
    _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)

    settings = live_superset.settings
    deploy.deploy(settings.base_url, settings.admin_password, settings.warehouse)

    assert not _is_cached(superset_client, chart_id)
    listing = superset_client.get("/api/v1/chart/", q="(columns:!(id,uuid),page_size:100)")
    uuid_to_id = {row["uuid"]: row["id"] for row in listing["result"]}
    assert uuid_to_id == {CHARTS[name]["uuid"]: i for name, i in chart_ids.items()}
    assert superset_client.get("/api/v1/dashboard/")["count"] == len(deploy.dashboard_slugs())


def test_a_publish_alone_retires_cached_results(
    chart_ids: dict[str, int], superset_client: SupersetClient, live_superset: LiveSuperset
) -> None:
    """The scheduled refresh publishes without calling Superset: results cached from the
    previous copy must not be served for the new one."""
    chart_id = chart_ids["ty_le_dung_han_theo_thang"]
    _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)

    serving = deploy.serving_database(live_superset.settings.warehouse)
    copy = serving.with_name(".republish.tmp")
    shutil.copyfile(serving, copy)
    os.replace(copy, serving)  # what refresh.publish does: same figures, a new copy

    assert not _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)
