"""What a leader's pages around the dashboards still show in English (printed, kept)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from browser_login import log_in
from playwright.sync_api import sync_playwright
from test_superset_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    DASHBOARDS,
    OVERVIEW,
    VIEWPORT,
    _english_strings,
)

from dashboards import language_pack

if TYPE_CHECKING:
    from conftest import LiveSuperset


LEADER = "lanhdao"  # dashboards/roles.yaml
LEADER_PAGES = ("/superset/welcome/", "/dashboard/list/")


def test_leaders_pages_list_what_is_still_english(
    live_superset: LiveSuperset, artifacts_dir: Path, tmp_path: Path
) -> None:
    """The login page (before anyone logs in), the landing page and the dashboard list, as
    the leader sees them: what is still English is printed and kept; nothing translated."""
    base_url = live_superset.settings.base_url
    shown: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=str(CHROMIUM),
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport=VIEWPORT,
            locale="vi-VN",
        )
        page = context.new_page()
        page.goto(f"{base_url}/login/")
        page.wait_for_selector("#username")
        page.wait_for_load_state("networkidle")
        shown["/login/"] = _english_strings(page.inner_text("body"))
        assert "Đăng nhập" in page.inner_text("body"), "the login page speaks Vietnamese"
        log_in(page, base_url, LEADER, live_superset.demo_password)
        for path in LEADER_PAGES:
            page.goto(f"{base_url}{path}")
            page.wait_for_load_state("networkidle")
            # each page lists the leader's dashboards once its API calls have answered
            page.get_by_text(DASHBOARDS[OVERVIEW]["dashboard_title"]).first.wait_for()
            shown[path] = _english_strings(page.inner_text("body"))
        context.close()
    lines = [f"{path}: {', '.join(english)}" for path, english in shown.items()]
    (artifacts_dir / "english-strings-leader-pages.txt").write_text("\n".join(lines) + "\n")
    print("still in English on a leader's pages:\n" + "\n".join(lines))
    translated = set(language_pack.translations())
    assert all(not set(english) & translated for english in shown.values()), shown
