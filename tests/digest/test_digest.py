# ruff: noqa: E501  (the hand-made serving copy quotes whole alert messages)
"""The leaders' digest from a hand-made serving copy: every section, in headless Chromium,
and its PDF."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from digest.render import CHROMIUM, CHROMIUM_FLAGS, HTML_NAME, PDF_NAME, write

SERVING = """
create schema marts;
create table marts.dim_indicator as select * from (values
    ('TNS_NOI_DIA', 'Thu nội địa', 'thu_ngan_sach', 'triệu đồng'),
    ('YT_CA', 'Số ca mắc sốt xuất huyết', 'y_te', 'ca'),
    ('GRDP', 'Tổng sản phẩm trên địa bàn (GRDP)', 'grdp', 'tỷ đồng'))
    t(indicator_code, name_vi, indicator_group, unit);
create table marts.fct_indicator_value as
    select 'TNS_NOI_DIA' as indicator_code, 'month' as period_type,
        date '2026-10-01' as period_start, 5.0 as actual_value;
create table marts.fct_indicator_value_current_unit as
    select 'TNS_NOI_DIA' as indicator_code, '56' as admin_unit_code, 'month' as period_type,
        strftime(d, '%Y-%m') as period_label, d::date as period_start,
        100.0 + month(d) as actual_value
    from range(date '2025-01-01', date '2026-11-01', interval 1 month) t(d)
    union all
    select 'GRDP', '56', 'quarter', strftime(d, '%Y') || '-Q' || quarter(d), d::date,
        20000.0 + 500 * quarter(d)
    from range(date '2023-01-01', date '2026-07-01', interval 3 month) t(d);
create table marts.fct_indicator_forecast as
    select 'TNS_NOI_DIA' as indicator_code, '56' as admin_unit_code, 'month' as period_type,
        strftime(d, '%Y-%m') as period_label, d::date as period_start, 110.0 as forecast,
        100.0 as lo_80, 120.0 as hi_80, 90.0 as lo_95, 130.0 as hi_95
    from range(date '2026-11-01', date '2027-11-01', interval 1 month) t(d)
    union all
    select 'GRDP', '56', 'quarter', strftime(d, '%Y') || '-Q' || quarter(d), d::date, 21500.0,
        21000.0, 22000.0, 20500.0, 22500.0
    from range(date '2026-07-01', date '2027-10-01', interval 3 month) t(d);
create table marts.fct_indicator_alert as select * from (values
    ('TNS_NOI_DIA', '56', '2026-10-YTD', date '2026-01-01', date '2026-10-31', 'off_plan',
     'critical', 'Thu nội địa 10 tháng của tỉnh Khánh Hòa đạt 61% dự toán năm, thấp hơn tiến độ 22,3 điểm.', -22.3),
    ('TNS_NOI_DIA', '56', '2026-09-YTD', date '2026-01-01', date '2026-09-30', 'off_plan',
     'warning', 'Thu nội địa 9 tháng của tỉnh Khánh Hòa đạt 64% dự toán năm, thấp hơn tiến độ 11 điểm.', -11.0),
    ('YT_CA', '56', '2026-10', date '2026-10-01', date '2026-10-31', 'off_trend', 'info',
     'Số ca mắc sốt xuất huyết tháng 10/2026 của tỉnh Khánh Hòa giảm còn 12 ca, thấp hơn dự báo 40 ca và ngoài khoảng dự báo 95% (25–55).', -70.0),
    ('TNS_NOI_DIA', '56', '2026', date '2026-01-01', date '2026-12-31', 'plan_at_risk',
     'critical', 'Thu nội địa của tỉnh Khánh Hòa: theo dự báo, khả năng hoàn thành dự toán năm 2026 (2.000 triệu đồng) chỉ khoảng 3%.', 3.0),
    ('GRDP', '56', '2026', date '2026-01-01', date '2026-12-31', 'plan_at_risk',
     'warning', 'Tổng sản phẩm trên địa bàn (GRDP) của tỉnh Khánh Hòa: theo dự báo, khả năng hoàn thành kế hoạch năm 2026 (90.000 tỷ đồng) chỉ khoảng 30%; dự báo cả năm khoảng 86.000 tỷ đồng, bằng 96% kế hoạch.', 30.0))
    t(indicator_code, admin_unit_code, period_label, period_start, period_end, alert_type,
      severity, message, deviation);
alter table marts.fct_indicator_alert add column admin_unit_name varchar default 'tỉnh Khánh Hòa';
alter table marts.fct_indicator_alert add column period_type varchar;
alter table marts.fct_indicator_alert add column reporting_unit_code varchar;
alter table marts.fct_indicator_alert add column indicator_set_code varchar;
alter table marts.fct_indicator_alert add column indicator_set_name varchar;
alter table marts.fct_indicator_alert add column indicator_count bigint;
-- one alert for the missing report of September (its window is the alerts' own)
insert into marts.fct_indicator_alert by name select
    '56' as admin_unit_code, 'month' as period_type, '2026-09' as period_label,
    date '2026-09-01' as period_start, date '2026-09-30' as period_end, 'missing' as alert_type,
    'warning' as severity, 15.0 as deviation, 'SO_YT' as reporting_unit_code,
    'BCT_YT' as indicator_set_code, 'Bộ chỉ tiêu y tế hằng tháng' as indicator_set_name,
    6 as indicator_count,
    'Sở Y tế chưa gửi báo cáo tháng 9/2026 (Bộ chỉ tiêu y tế hằng tháng, 6 chỉ tiêu), đã quá hạn 15 ngày (hạn gửi 18/10/2026).' as message;
create table marts.dim_agency as select 'SO_YT' as agency_code, 'Sở Y tế' as name_vi;
-- the reports of September and of a year before, both never received: the older one is
-- outside the alerts' window (no alert), so not in the digest either
create table marts.fct_report_submission as
    select 'SO_YT' as reporting_unit_code, 'BCT_YT' as indicator_set_code,
        'Bộ chỉ tiêu y tế hằng tháng' as indicator_set_name, 'month' as period_type,
        p as period_label, last_day((p || '-01')::date) as period_end,
        (p || '-18')::date + interval 1 month as due_date, 'missing' as status,
        timestamp '2026-11-02 00:00:00' as expected_as_of
    from (values ('2026-09'), ('2025-08')) t(p);
create table marts.fct_indicator_forecast_skipped as
    select 'chỉ có 15 kỳ số liệu, cần ít nhất 24 (2 năm)' as reason from range(3);
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("digest_warehouse")
    db = root / "serving" / "ioc.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as con:
        con.execute(SERVING)
    folder = write(root, db)
    assert folder == root / "digest" / "2026-10"
    return folder


def test_digest_renders_every_section_in_chromium(written: Path) -> None:
    assert Path(CHROMIUM).exists(), "install Debian's browser: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS[1:], headless=True
        )
        page = browser.new_page()
        page.goto((written / HTML_NAME).as_uri())
        assert page.title() == "Bản tin chỉ đạo, điều hành tháng 10/2026"
        alerts = page.locator("#canh-bao li").all_inner_texts()
        # the newest year-to-date alert only, the bad news first, then the good
        assert alerts == [
            "Nghiêm trọng: Thu nội địa 10 tháng của tỉnh Khánh Hòa đạt 61% dự toán năm, "
            "thấp hơn tiến độ 22,3 điểm.",
            "Nghiêm trọng: Thu nội địa của tỉnh Khánh Hòa: theo dự báo, khả năng hoàn thành "
            "dự toán năm 2026 (2.000 triệu đồng) chỉ khoảng 3%.",
            "Cần chú ý: Tổng sản phẩm trên địa bàn (GRDP) của tỉnh Khánh Hòa: theo dự báo, khả "
            "năng hoàn thành kế hoạch năm 2026 (90.000 tỷ đồng) chỉ khoảng 30%; dự báo cả năm "
            "khoảng 86.000 tỷ đồng, bằng 96% kế hoạch.",
            "Tích cực: Số ca mắc sốt xuất huyết tháng 10/2026 của tỉnh Khánh Hòa giảm còn 12 "
            "ca, thấp hơn dự báo 40 ca và ngoài khoảng dự báo 95% (25–55).",
        ]
        # the lowest chance first; each chart at its indicator's own period type: the
        # figures of at most the last two years (22 months here, 8 of 14 quarters), then the
        # forecast
        risk = page.locator("#nguy-co .risk")
        assert risk.count() == 2
        assert "chỉ khoảng 3%" in risk.nth(0).inner_text()
        for i, (history, ahead) in enumerate([(22, 12), (8, 5)]):
            chart = risk.nth(i).locator("svg.chart")
            assert chart.locator("polygon").count() == 2  # the 80 % and 95 % bands
            for line, points in zip(chart.locator("polyline").all(), (history, ahead), strict=True):
                assert len(line.get_attribute("points").split()) == points
            assert chart.bounding_box()["width"] > 500  # drawn, not empty
        missing = page.locator("#con-thieu tr").all_inner_texts()
        assert len(missing) == 2  # the header and the one report the alerts hold
        assert missing[1].split("\t") == [
            "2026-09", "Sở Y tế", "Bộ chỉ tiêu y tế hằng tháng", "6", "18/10/2026", "15"
        ]  # fmt: skip
        assert "3 chuỗi: chỉ có 15 kỳ số liệu" in page.locator("#con-thieu").inner_text()
        browser.close()


def test_digest_pdf_is_printed(written: Path) -> None:
    pdf = (written / PDF_NAME).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


def test_the_digest_s_alerts_are_those_of_the_alerts_window(tmp_path: Path) -> None:
    """The months of alerts the digest lists are the alerts' own window (the seed's
    alert_window_months, defined there alone): an August alert is in the October digest
    with a window of three months, not with one."""
    from digest.build import ALERT_THRESHOLDS, collect

    db = tmp_path / "ioc.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(SERVING)
        con.execute(
            "insert into marts.fct_indicator_alert by name select 'YT_CA' as indicator_code, "
            "'56' as admin_unit_code, '2026-08' as period_label, date '2026-08-01' as "
            "period_start, date '2026-08-31' as period_end, 'off_trend' as alert_type, "
            "'warning' as severity, 'Tháng 8' as message, 80.0 as deviation"
        )
    seed = ALERT_THRESHOLDS.read_text(encoding="utf-8")
    assert "\nalert_window_months,3," in seed
    for months, august in ((3, True), (1, False)):
        thresholds = tmp_path / f"alert_thresholds_{months}.csv"
        thresholds.write_text(
            seed.replace("\nalert_window_months,3,", f"\nalert_window_months,{months},"),
            encoding="utf-8",
        )
        digest = collect(db, thresholds)
        assert digest is not None
        listed = [a["period_label"] for a in digest.alerts if a["indicator"].startswith("Số ca")]
        assert listed == (["2026-08"] if august else []), months
