"""A leader's view: headless Chromium logs in and each dashboard renders every chart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import BrowserContext, Page, Request, sync_playwright

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


@pytest.fixture(scope="module")
def browser(
    live_superset: LiveSuperset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """Headless Chromium, logged in once as the admin."""
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
        for _attempt in range(3):
            _log_in(page, base_url, live_superset.settings.admin_password)
            if context.request.get(f"{base_url}/api/v1/me/").ok:
                break
        else:
            pytest.fail("the admin cannot log in")
        page.close()
        assert {r.url for r in outside} == {r.url for r in blocked}, [r.url for r in outside]
        yield context
        context.close()


def _log_in(page: Page, base_url: str, password: str) -> None:
    """Submit the login form once the page is quiet: the login page's own event log, sent
    as it is left, answers with an anonymous session cookie that can overwrite the new one."""
    page.goto(f"{base_url}/login/")
    page.wait_for_load_state("networkidle")
    page.fill("#username", "admin")
    page.fill("#password", password)
    with page.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url):
        page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


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
