"""Logging a headless Chromium page into Superset, checked, for the browser tests."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ATTEMPTS = 3
QUIET_MS = 20_000


def _settle(page: Page) -> None:
    """Wait for the page's requests to end; a page still busy after ``QUIET_MS`` (a loaded
    machine) is taken as it is: the session check below decides, and the loop tries again."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=QUIET_MS)


def log_in(page: Page, base_url: str, user: str, password: str) -> None:
    """Submit the login form once the page is quiet, then ask Superset who is logged in.

    The login page's own event log, sent as it is left, can answer with an anonymous session
    cookie that overwrites the new one; the dashboard then redirects to the login page. So
    the session is checked through ``/api/v1/me/`` (same cookies) and the login repeated.
    """
    status = 0
    for _attempt in range(ATTEMPTS):
        page.goto(f"{base_url}/login/")
        _settle(page)
        page.fill("#username", user)
        page.fill("#password", password)
        with page.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url):
            page.click("button[type=submit]")
        _settle(page)
        me = page.context.request.get(f"{base_url}/api/v1/me/")
        status = me.status
        if me.ok and me.json()["result"]["username"] == user:
            return
    raise AssertionError(f"{user} not logged in after {ATTEMPTS} tries (/api/v1/me/: {status})")
