"""A steward reaches the Data Docs from the data-quality dashboard, with no network at all.

Headless Chromium may reach 127.0.0.1 only (every other request is aborted): the Data Docs
page opened from the dashboard's link must be styled (Bootstrap's rules apply), its table of
suites drawn (bootstrap-table fills it by script), every suite of the run there, and no
request may fail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from browser_login import log_in
from playwright.sync_api import Route, sync_playwright

from expectations import suites
from ioc.sources import SOURCES

if TYPE_CHECKING:
    from conftest import LiveSuperset

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
STEWARD = "quanly_dulieu"  # dashboards/roles.yaml
DASHBOARD = "chat-luong-du-lieu"
LINK = 'a[href="/kiem-tra-du-lieu/index.html"]'


def _suites_of_the_lake(warehouse: Path) -> set[str]:
    """Datasets the run landed whose source package has a suite (``<source>.<dataset>``)."""
    return {
        f"{folder.parent.name}.{folder.name}"
        for folder in (warehouse / "lake").glob("*/*")
        if folder.parent.name in SOURCES
        and any(folder.glob("load_id=*"))
        and suites.suite_for(folder.parent.name, folder.name, "56") is not None
    }


def _loopback_only(route: Route, aborted: list[str]) -> None:
    if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        aborted.append(route.request.url)
        route.abort("internetdisconnected")


def test_data_docs_offline_from_the_stewards_dashboard(
    live_superset: LiveSuperset, artifacts_dir: Path, tmp_path: Path
) -> None:
    assert CHROMIUM.exists(), "install Debian's browser: apt-get install -y chromium"
    base_url = live_superset.settings.base_url
    expected = _suites_of_the_lake(live_superset.settings.warehouse)
    assert len(expected) >= 10, expected
    aborted: list[str] = []
    failed: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile", executable_path=str(CHROMIUM), args=FLAGS, headless=True
        )
        context.route("**/*", lambda route: _loopback_only(route, aborted))
        page = context.new_page()
        log_in(page, base_url, STEWARD, live_superset.demo_password)
        page.goto(f"{base_url}/superset/dashboard/{DASHBOARD}/")
        page.wait_for_selector(LINK, timeout=180_000)  # the dashboard under load
        page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
        before = len(aborted)
        page.click(LINK)
        page.wait_for_url("**/kiem-tra-du-lieu/index.html")
        page.wait_for_selector("table tbody tr td a", timeout=120_000)
        # every file of the page loaded (not "networkidle": a server still busy with the
        # dashboard's queries may hold a connection open past any fixed quiet time)
        page.wait_for_load_state("load", timeout=120_000)
        styled = page.evaluate(
            "() => [...document.styleSheets].some(s => (s.href || '').includes('bootstrap.min.css')"
            " && s.cssRules.length > 100)"
        )
        page.screenshot(path=str(artifacts_dir / "data-docs-offline.png"), full_page=True)
        font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        rows = page.locator("table tbody tr").count()
        # every table's rows as bootstrap-table holds them (it shows ten a page)
        data = page.evaluate(
            "() => JSON.stringify($('table[data-toggle=table]').map("
            "(i, t) => [$(t).bootstrapTable('getData')]).get())"
        )
        outside = aborted[before:]
        context.close()
    assert styled, "Bootstrap's stylesheet is loaded and applies"
    assert "system-ui" in font or "apple-system" in font, font  # Bootstrap's font stack
    assert rows >= len(expected), rows
    listed = set(re.findall(r'"expectation_suite_name":\s*"([\w.]+)"', data))
    assert expected <= listed, f"suites missing from the Data Docs: {expected - listed}"
    # the Data Docs' own files all load (the dashboard's pending calls abort as it is left)
    assert [f for f in failed if "/kiem-tra-du-lieu/" in f] == [], failed
    assert outside == [], outside  # nothing asked of the internet
