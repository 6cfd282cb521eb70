"""A leader's view: headless Chromium logs in and the dashboard renders every chart."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import Request, sync_playwright

from dashboards import deploy

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
(DASHBOARD,) = [
    yaml.safe_load(path.read_text("utf-8"))
    for path in (deploy.BUNDLE_DIR / "dashboards").glob("*.yaml")
]
CHART_COUNT = sum(
    isinstance(node, dict) and node["type"] == "CHART" for node in DASHBOARD["position"].values()
)

# True once every chart holder shows a drawn visualisation and nothing is loading or failed.
ALL_CHARTS_RENDERED = """(count) => {
    const charts = [...document.querySelectorAll('[data-test="chart-container"]')];
    const drawn = (c) => c.querySelector('canvas, svg, table, .superset-legacy-chart-big-number');
    return charts.length === count && charts.every(drawn)
        && !document.querySelector('[data-test="loading-indicator"], .loading')
        && !document.querySelector('[data-test="chart-grid-component"] [role="alert"]');
}"""


def test_dashboard_renders_in_a_browser(
    live_superset: LiveSuperset, artifacts_dir: Path, tmp_path: Path
) -> None:
    assert CHROMIUM.exists(), "install Debian's browser: apt-get install -y chromium"
    base_url = live_superset.settings.base_url
    outside: list[Request] = []
    blocked: list[Request] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",  # fresh user-data dir
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": 1440, "height": 900},
            locale="vi-VN",
        )
        page = browser.new_page()
        page.on("request", lambda r: _is_outside(r, base_url) and outside.append(r))
        page.on("requestfailed", lambda r: r.failure == "csp" and blocked.append(r))
        chart_responses = []
        page.on(
            "response",
            lambda r: "/api/v1/chart/data" in r.url and chart_responses.append(r.status),
        )

        page.goto(f"{base_url}/login/")
        page.fill("#username", "admin")
        page.fill("#password", live_superset.settings.admin_password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)

        page.goto(f"{base_url}/superset/dashboard/{DASHBOARD['slug']}/")
        page.wait_for_function(ALL_CHARTS_RENDERED, arg=CHART_COUNT, timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(2_000)  # let ECharts finish its 1 s drawing animation
        text = page.inner_text("body")
        page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)
        browser.close()

    assert DASHBOARD["dashboard_title"] in text
    assert "Nguồn dữ liệu" in text
    for failure in ("No results", "Error", "Unexpected"):
        assert failure not in text
    assert chart_responses and set(chart_responses) == {200}
    # Nothing leaves the machine: the Scarf pixel and any other outside request is refused
    # by the Content-Security-Policy before it reaches the network.
    assert {r.url for r in outside} == {r.url for r in blocked}, [r.url for r in outside]


def _is_outside(request: Request, base_url: str) -> bool:
    scheme, netloc, *_ = urlsplit(request.url)
    return scheme in ("http", "https", "ws", "wss") and f"{scheme}://{netloc}" != base_url
