"""dashboards.server: start-up costs are paid once, and the admin password follows the caller."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from dashboards import server
from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset


def test_a_second_start_reuses_the_running_server(live_superset: LiveSuperset) -> None:
    settings = live_superset.settings
    began = time.monotonic()
    assert server.prepare(settings) is False  # metadata DB already current
    assert server.start(settings) is False
    assert time.monotonic() - began < 10


def test_status_cli_reports_the_running_server(live_superset: LiveSuperset) -> None:
    settings = live_superset.settings
    env = {
        **os.environ,
        "IOC_WAREHOUSE": str(settings.warehouse),
        "IOC_SUPERSET_DIR": str(settings.state_dir),
        "SUPERSET_PORT": str(settings.port),
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboards.server", "status"],
        cwd=server.REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"running at {settings.base_url}" in done.stdout


def test_a_new_admin_password_is_applied(live_superset: LiveSuperset) -> None:
    settings = live_superset.settings
    renewed = dataclasses.replace(settings, admin_password="new-" + settings.admin_password)
    try:
        assert server.start(renewed) is False
        with SupersetClient(settings.base_url, "admin", renewed.admin_password) as client:
            assert client.get("/api/v1/me/")["result"]["username"] == "admin"
    finally:
        server.start(settings)  # back to the password the other tests use
    with SupersetClient(settings.base_url, "admin", settings.admin_password) as client:
        assert client.get("/api/v1/me/")["result"]["username"] == "admin"
