"""A leader's view: headless Chromium logs in as the provincial leader (dashboards/roles.yaml)
and each dashboard renders every chart; the overview fits one 1920×1080 screen."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import duckdb
import pytest
import yaml
from browser_login import log_in
from playwright.sync_api import (
    BrowserContext,
    Locator,
    Page,
    Request,
    Response,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboards import deploy, language_pack

if TYPE_CHECKING:
    from conftest import LiveSuperset

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
LEADER = "lanhdao"  # the demo user of "Lãnh đạo tỉnh": every dashboard, view only
OVERVIEW = "tong-quan-kt-xh"
SCREEN = {"width": 1920, "height": 1080}
DASHBOARDS = {
    dashboard["slug"]: dashboard
    for dashboard in (
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((deploy.BUNDLE_DIR / "dashboards").glob("*.yaml"))
    )
}


def _chart_count(dashboard: dict[str, Any]) -> int:
    return sum(
        isinstance(node, dict) and node["type"] == "CHART"
        for node in dashboard["position"].values()
    )


# True once every chart holder shows a drawn visualisation and nothing is loading or failed.
ALL_CHARTS_RENDERED = """(count) => {
    const charts = [...document.querySelectorAll('[data-test="chart-container"]')];
    const drawn = (c) => c.querySelector('canvas, svg, table, .superset-legacy-chart-big-number');
    return charts.length === count && charts.every(drawn)
        && !document.querySelector('[data-test="loading-indicator"], .loading')
        && !document.querySelector('[data-test="chart-grid-component"] [role="alert"]');
}"""
# What does not fit the window: a chart or text box (or anything in one) reaching past the
# window's edge, or holding more than its box shows (content to scroll or clipped).
# Screen-reader-only labels (1×1 px, clipped on purpose) are not boxes.
CUT_OFF = """() => {
    const cut = [];
    const boxes = document.querySelectorAll(
        '[data-test="dashboard-component-chart-holder"], .dashboard-markdown,'
        + ' [data-test="chart-container"], [data-test="chart-container"] *');
    for (const el of boxes) {
        const r = el.getBoundingClientRect();
        const name = el.className.toString().slice(0, 60);
        if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5)
            cut.push(['past the window', name, r.bottom, r.right]);
        const style = getComputedStyle(el);
        const clips = (o) => ['auto', 'scroll', 'hidden'].includes(o);
        if (clips(style.overflowY) && el.clientHeight > 1 && el.scrollHeight > el.clientHeight + 2)
            cut.push(['taller than its box', name, el.scrollHeight, el.clientHeight]);
        if (clips(style.overflowX) && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 2)
            cut.push(['wider than its box', name, el.scrollWidth, el.clientWidth]);
    }
    return cut;
}"""


@pytest.fixture(scope="module")
def browser(
    live_superset: LiveSuperset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """Headless Chromium, logged in once as the provincial leader."""
    assert CHROMIUM.exists(), "install Debian's browser: apt-get install -y chromium"
    base_url = live_superset.settings.base_url
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("profile"),  # fresh user-data dir
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport=VIEWPORT,
            locale="vi-VN",
        )
        page = context.new_page()
        outside: list[Request] = []
        blocked: list[Request] = []
        page.on("request", lambda r: _is_outside(r, base_url) and outside.append(r))
        page.on("requestfailed", lambda r: r.failure == "csp" and blocked.append(r))
        log_in(page, base_url, LEADER, live_superset.demo_password)
        page.close()
        assert {r.url for r in outside} == {r.url for r in blocked}, [r.url for r in outside]
        yield context
        context.close()


@pytest.mark.parametrize("slug", sorted(DASHBOARDS))
def test_dashboard_renders_in_a_browser(
    slug: str, browser: BrowserContext, live_superset: LiveSuperset, artifacts_dir: Path
) -> None:
    dashboard = DASHBOARDS[slug]
    base_url = live_superset.settings.base_url
    outside: list[Request] = []
    blocked: list[Request] = []
    chart_responses = []
    page = browser.new_page()
    page.on("request", lambda r: _is_outside(r, base_url) and outside.append(r))
    page.on("requestfailed", lambda r: r.failure == "csp" and blocked.append(r))
    page.on(
        "response",
        lambda r: "/api/v1/chart/data" in r.url and chart_responses.append(r.status),
    )

    page.goto(deploy.dashboard_url(base_url, slug))
    charts = _chart_count(dashboard)
    page.wait_for_function(ALL_CHARTS_RENDERED, arg=charts, timeout=60_000)
    # Show the whole dashboard at once: a full-page screenshot would resize the viewport at
    # the last moment, and the grid lays itself out (and redraws its charts) again.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_function(ALL_CHARTS_RENDERED, arg=charts, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2_000)  # let ECharts finish its 1 s drawing animation
    page.screenshot(path=str(artifacts_dir / f"dashboard-{slug}.png"))
    assert page.evaluate(ALL_CHARTS_RENDERED, charts), "still drawn when photographed"
    text = page.inner_text("body")
    page.close()

    assert dashboard["dashboard_title"] in text
    english = _english_strings(text)
    (artifacts_dir / f"english-strings-{slug}.txt").write_text("\n".join(english) + "\n")
    print(f"{slug}: still in English ({len(english)}): {english}")
    assert "Bộ lọc" in text, "the filter bar speaks Vietnamese"
    assert not set(english) & set(language_pack.translations()), english
    assert "Nguồn dữ liệu" in text
    for failure in ("No results", "Error", "Unexpected"):
        assert failure not in text
    assert chart_responses and set(chart_responses) == {200}
    # Nothing leaves the machine: the Scarf pixel and any other outside request is refused
    # by the Content-Security-Policy before it reaches the network.
    assert {r.url for r in outside} == {r.url for r in blocked}, [r.url for r in outside]


def test_overview_fits_one_screen(
    browser: BrowserContext, live_superset: LiveSuperset, artifacts_dir: Path
) -> None:
    """Tổng quan at 1920×1080: every chart drawn, nothing past the window or cut off."""
    page = browser.new_page()
    page.set_viewport_size(SCREEN)
    page.goto(deploy.dashboard_url(live_superset.settings.base_url, OVERVIEW))
    charts = _chart_count(DASHBOARDS[OVERVIEW])
    page.wait_for_function(ALL_CHARTS_RENDERED, arg=charts, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2_000)  # ECharts' drawing animation
    page.screenshot(path=str(artifacts_dir / f"dashboard-{OVERVIEW}-1920x1080.png"))
    cut = page.evaluate(CUT_OFF)
    text = page.inner_text("body")
    page.close()
    assert cut == [], cut
    assert "Số liệu đến tháng" in text and "(ước tính)" in text  # each source; estimates marked
    assert "Tiến độ so với thời gian (%)" in text and "Cảnh báo đang mở" in text


# Chế độ báo cáo's long tables page at 1920 px wide instead of scrolling inside their boxes.
PAGED_TABLES = "che-do-bao-cao"


def test_long_tables_fit_their_boxes(
    browser: BrowserContext, live_superset: LiveSuperset, artifacts_dir: Path
) -> None:
    """At 1920×1080 no chart of Chế độ báo cáo scrolls or clips inside its box, nor reaches
    past the window's right edge (the page itself scrolls down)."""
    page = browser.new_page()
    page.set_viewport_size(SCREEN)
    page.goto(deploy.dashboard_url(live_superset.settings.base_url, PAGED_TABLES))
    charts = _chart_count(DASHBOARDS[PAGED_TABLES])
    page.wait_for_function(ALL_CHARTS_RENDERED, arg=charts, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / f"dashboard-{PAGED_TABLES}-1920x1080.png"))
    cut = page.evaluate(CUT_OFF)
    page.close()
    below = [c for c in cut if c[0] == "past the window" and c[3] <= SCREEN["width"] + 0.5]
    assert [c for c in cut if c not in below] == []


# Right-click a chart, "Xem theo" (drill by) a column: the chart drawn again by that column.
# Dịch vụ công: an agency's row → its administrative units; Thu ngân sách: a revenue item's
# row (the latest year to date, as the dashboard opens) → the province and every commune the
# budget files report it for. What the drilled table must hold, each unit and its first
# figure, comes straight from DuckDB (the clicked row's name is the parameter); at least so
# many units.
# Each unit's own figure of an indicator (named by the clicked row) in its latest period.
_OWN_FIGURES = """SELECT u.name_vi, v.actual_value FROM marts.fct_indicator_value AS v
    JOIN marts.dim_indicator AS i USING (indicator_code)
    JOIN marts.dim_admin_unit AS u ON u.admin_unit_key = v.admin_unit_key
    WHERE i.name_vi = ? AND v.period_type = '{period_type}' AND v.period_end = (
        SELECT max(period_end) FROM marts.fct_indicator_value AS w
        WHERE w.indicator_code = v.indicator_code AND w.period_type = v.period_type)"""
DRILLS = {
    "giai-quyet-tthc": (
        "Kết quả giải quyết theo cơ quan",
        "Đơn vị hành chính",
        "SELECT admin_unit_name, sum(received) FROM marts.rpt_public_service_month"
        " WHERE agency_name = ? GROUP BY 1",
        1,  # the busiest agency is a provincial department: the province's unit
    ),
    "thu-ngan-sach": (
        "Thu ngân sách theo khoản thu",
        "Đơn vị hành chính",
        """SELECT u.name_vi, sum(v.actual_value) / 1000 FROM marts.fct_indicator_value AS v
            JOIN marts.dim_indicator AS i USING (indicator_code)
            JOIN marts.dim_admin_unit AS u ON u.admin_unit_key = v.admin_unit_key
            WHERE i.name_vi = ? AND v.period_type = 'ytd' AND v.period_end = (
                SELECT max(period_end) FROM marts.fct_indicator_value AS w
                WHERE w.indicator_code = v.indicator_code AND w.period_type = 'ytd')
            GROUP BY 1""",
        2,  # the province and its communes
    ),
    # an indicator's row (the latest year to date) → the province and every commune the
    # tourism figures come from, each its own figure
    "du-lich": (
        "Chỉ tiêu du lịch cấp tỉnh",
        "Đơn vị hành chính",
        _OWN_FIGURES.format(period_type="ytd"),
        2,
    ),
    # an indicator's row (the latest school year) → the province and every commune with
    # schools, each its own figure (a rate from the unit's own sums)
    "giao-duc": (
        "Chỉ tiêu giáo dục cấp tỉnh",
        "Đơn vị hành chính",
        _OWN_FIGURES.format(period_type="school_year"),
        2,
    ),
}


def _number(shown: str) -> float:
    """A figure as the dashboards print it: "19.451,9" (dot thousands, decimal comma)."""
    return float(shown.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("slug", sorted(DRILLS))
def test_drill_by(
    slug: str, browser: BrowserContext, live_superset: LiveSuperset, artifacts_dir: Path
) -> None:
    title, column, sql, units = DRILLS[slug]
    page = browser.new_page()
    page.goto(deploy.dashboard_url(live_superset.settings.base_url, slug))
    page.wait_for_function(ALL_CHARTS_RENDERED, arg=_chart_count(DASHBOARDS[slug]), timeout=60_000)
    holder = page.locator('[data-test="dashboard-component-chart-holder"]', has_text=title).first
    target = holder.locator("table tbody td").first
    clicked = target.inner_text()  # the table's first cell: the row drilled into
    response = _drill_by(page, target, column, artifacts_dir / f"drill-by-{slug}")
    assert response.status == 200, response.text()[:2000]
    modal = page.locator(".ant-modal-content").last
    modal.locator("canvas, table").first.wait_for()
    page.wait_for_timeout(1_000)  # ECharts' drawing animation
    page.screenshot(path=str(artifacts_dir / f"drill-by-{slug}.png"))
    drawn = modal.inner_text()
    headers = modal.locator("table thead th").all_inner_texts()
    cells = [row.locator("td").all_inner_texts() for row in modal.locator("table tbody tr").all()]
    table = _drill_table(page, modal)
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        expected = dict(con.execute(sql, [clicked]).fetchall())
    page.close()
    assert len(expected) >= units, "the fixture warehouse has the units under the row clicked"
    # the "Bảng" view: the chart's names, figures as the dashboard writes them, and its search
    # finds a unit by its figure so written
    assert table["headers"] == headers, table
    assert table["found"] == [table["first"]], table
    assert table["nothing"] == language_pack.translations()["No Matching Rows"] != "", table
    assert table["first"][0] == cells[0][0]
    assert _number(table["first"][1]) == pytest.approx(_number(cells[0][1]), abs=0.051)
    shown = {row[0]: _number(row[1]) for row in cells}
    assert shown.keys() == expected.keys()
    for unit, value in expected.items():
        assert shown[unit] == pytest.approx(float(value), abs=0.051), unit
    assert f"Xem theo: {title}" in drawn and column in drawn
    assert all(header.strip() in _verbose_names() for header in headers), headers
    for failure in ("No results", "Error", "Lỗi", "Unexpected"):
        assert failure not in drawn


# True once the drill by's table ("Bảng") shows exactly one row.
ONE_ROW = """() => document.querySelectorAll(
    '[data-test="drill-by-results-table"] .ag-center-cols-container [role=row]').length === 1"""


def _drill_table(page: Page, modal: Locator) -> dict[str, Any]:
    """Switch the drill by to "Bảng": its headers, first row, what searching that row's
    figure as shown (e.g. "5.417.926") leaves, and what a search finding nothing says."""
    modal.locator('[data-test="drill-by-display-toggle"]').get_by_text("Bảng", exact=True).click()
    grid = modal.locator('[data-test="drill-by-results-table"]')
    rows = grid.locator(".ag-center-cols-container [role=row]")
    rows.first.wait_for()
    headers = grid.locator(".ag-header-cell-text").all_inner_texts()
    first = rows.first.locator("[role=gridcell]").all_inner_texts()
    grid.locator("input").first.fill(first[1])
    with contextlib.suppress(PlaywrightTimeout):  # the grid redraws its rows after the search
        page.wait_for_function(ONE_ROW, timeout=5_000)
    found = [row.locator("[role=gridcell]").all_inner_texts() for row in rows.all()]
    grid.locator("input").first.fill("không có dòng này")
    nothing = grid.locator(".ag-overlay-no-matching-rows-center")
    nothing.wait_for()
    return {"headers": headers, "first": first, "found": found, "nothing": nothing.inner_text()}


def _verbose_names() -> set[str]:
    """What a table's header may say: the datasets' Vietnamese column and metric names."""
    return {
        item["verbose_name"]
        for path in (deploy.BUNDLE_DIR / "datasets").rglob("*.yaml")
        for kind in ("columns", "metrics")
        for item in yaml.safe_load(path.read_text("utf-8"))[kind]
    }


# True once the drill-by submenu's search has filtered its (debounced) list to `column`.
FILTERED = """(column) => {
    const items = [...document.querySelectorAll('[data-test="drill-by-submenu"] [role=menuitem]')];
    return items.length > 0
        && items.every((i) => i.textContent.toLowerCase().includes(column.toLowerCase()));
}"""
# True once every open menu and submenu (antd popups) has finished its opening animation,
# which is also when it has been placed (it waits off screen before).
MENUS_SETTLED = """() => {
    const open = [...document.querySelectorAll('.ant-dropdown, .ant-popover')].filter(
        (p) => !/-hidden\\b/.test(p.className));
    return open.length > 0 && open.every((p) => !/-(appear|enter)\\b/.test(p.className));
}"""


def _drill_by(page: Page, target: Locator, column: str, shots: Path) -> Response:
    """Right-click `target`, open "Xem theo" and click `column`; the chart data it asks for.

    The context menu is an antd popup anchored to a fixed point where the click was; while it
    animates open, Playwright's hover retries ("not stable") and scrolls the page on a retry,
    and the menu, placed again after the scroll, jumps from under the pointer: the submenu
    (hover) never opens, or closes as the search is typed. So each step waits for the menus
    to settle first. The submenu lists the dataset's groupable columns (its drill_info,
    loaded with the charts). The whole gesture is tried again (after Escape) until one click
    lands; a failure names what the menu and submenu showed (screenshots: `shots`).
    """
    item = page.get_by_role("menuitem", name=column, exact=True)
    search = page.locator('input[placeholder="Tìm cột"]:visible')  # a long list of columns
    shown: list[str] = []
    for attempt in range(5):
        with contextlib.suppress(PlaywrightTimeout):  # no chart redrawing beneath the menu
            page.wait_for_load_state("networkidle", timeout=10_000)
        target.click(button="right")
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(MENUS_SETTLED, timeout=5_000)
            page.get_by_text("Xem theo", exact=True).hover()
            item.or_(search).first.wait_for(state="visible", timeout=5_000)
            page.wait_for_function(MENUS_SETTLED, timeout=5_000)
            if search.count():
                search.fill(column)
                page.wait_for_function(FILTERED, arg=column, timeout=5_000)
            # a DOM click, not the pointer's: the list (virtualised) redraws while it filters,
            # and a pointer aimed at one item could land on the one drawn there next
            with page.expect_response(lambda r: "/api/v1/chart/data" in r.url) as drilled:
                item.dispatch_event("click", timeout=5_000)
            print(f"drill-by {column!r}: clicked on attempt {attempt + 1}")
            return drilled.value
        shown = page.locator(".ant-dropdown:visible, .ant-popover:visible").all_inner_texts()
        page.screenshot(path=f"{shots}-attempt-{attempt}.png")
        page.keyboard.press("Escape")
    raise AssertionError(f"the drill-by menu never let {column!r} be clicked; menus shown: {shown}")


def _is_outside(request: Request, base_url: str) -> bool:
    scheme, netloc, *_ = urlsplit(request.url)
    return scheme in ("http", "https", "ws", "wss") and f"{scheme}://{netloc}" != base_url


def _english_strings(text: str) -> list[str]:
    """Lines of the page that are Superset's own English strings (msgids of its catalog)."""
    (pot,) = language_pack.SERVING_ENV.glob(
        "lib/python3*/site-packages/superset/translations/messages.pot"
    )
    msgids = set(re.findall(r'^msgid "(.+)"$', pot.read_text(encoding="utf-8"), re.M))
    lines = {line.strip() for line in text.splitlines()}
    return sorted(line for line in lines & msgids if any(c.isalpha() for c in line))
