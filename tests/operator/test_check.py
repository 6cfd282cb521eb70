"""``ioc check`` names each misconfiguration an operator can make, in one line, and exits 1;
a good configuration passes. Sources here are a tiny fake API (tests/operator/fake_api.py)
and temporary drop folders; nothing of the simulator runs."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

from ingest.common.settings import REPO_ROOT
from ioc.check import check
from tests.operator import fake_api

KEY = "AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY"


def connection(host: str, login: str = fake_api.CLIENT_ID, secret=fake_api.CLIENT_SECRET) -> str:
    return json.dumps({"conn_type": "http", "host": host, "login": login, "password": secret})


@pytest.fixture(scope="module")
def api():
    with fake_api.serve({}) as served:
        yield served


@pytest.fixture
def env(monkeypatch):
    """No source settings at all, to start from."""
    for name in list(os.environ):
        if name.startswith(("AIRFLOW_CONN_", "AIRFLOW_VAR_")):
            monkeypatch.delenv(name)
    return monkeypatch


def lines(findings) -> list[str]:
    return [f.line for f in findings]


def problems(findings) -> list[str]:
    return [f.line for f in findings if f.ok is False]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_source_at_all_is_a_problem_naming_what_to_set(env) -> None:
    found = check()
    assert len(problems(found)) == 1
    assert "no source is configured: set AIRFLOW_CONN_IOC_REPORTING" in problems(found)[0]
    not_configured = [f.line for f in found if f.ok is None]
    assert len(not_configured) == 5
    assert any(
        "dulich: not configured" in x and "AIRFLOW_CONN_IOC_DULICH" in x for x in lines(found)
    )


def test_a_good_connection_and_drop_folder_pass(env, api, tmp_path) -> None:
    env.setenv("AIRFLOW_CONN_IOC_DULICH", connection(api.url))
    env.setenv("AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR", str(tmp_path))
    (tmp_path / "thu_ngan_sach_202610.csv").write_text("ky\n")
    found = check()
    assert problems(found) == []
    assert f"ok      dulich: {api.url} reachable, credentials accepted" in lines(found)
    assert f"ok      ngansach: drop folder {tmp_path} readable, 1 file(s)" in lines(found)
    assert "POST /oauth/token" in api.requests


def test_credentials_refused(env, api) -> None:
    env.setenv("AIRFLOW_CONN_IOC_DULICH", connection(api.url, secret="wrong"))
    (line,) = problems(check())
    assert f"dulich: {api.url} refused the credentials of AIRFLOW_CONN_IOC_DULICH" in line
    assert "(HTTP 401)" in line


def test_unreachable_host(env) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    env.setenv("AIRFLOW_CONN_IOC_GIAODUC", connection(url))
    (line,) = problems(check())
    assert f"giaoduc: {url} is unreachable (AIRFLOW_CONN_IOC_GIAODUC)" in line


def test_host_without_protocol(env) -> None:
    env.setenv("AIRFLOW_CONN_IOC_DULICH", connection(f"127.0.0.1:{closed_port()}"))
    (line,) = problems(check())
    assert "dulich: AIRFLOW_CONN_IOC_DULICH cannot be read" in line
    assert "protocol" in line


def test_drop_folder_missing_or_not_a_folder(env, tmp_path) -> None:
    env.setenv("AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR", str(tmp_path / "nowhere"))
    (line,) = problems(check())
    assert (
        f"ngansach: drop folder {tmp_path / 'nowhere'} (AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR)" in line
    )
    assert line.endswith("does not exist")
    file = tmp_path / "a-file"
    file.write_text("")
    env.setenv("AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR", str(file))
    (line,) = problems(check())
    assert line.endswith("is not a folder")


def test_two_sources_on_one_drop_folder_is_a_problem_naming_both(env, tmp_path) -> None:
    from ioc.sources import SOURCES, EnvSettings, SharedDropFolder, drop_folder

    (tmp_path / "drops").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "drops")  # one folder under two names
    env.setenv("AIRFLOW_VAR_IOC_REPORTING_DROP_DIR", str(tmp_path / "drops"))
    env.setenv("AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR", f"{tmp_path / 'alias'}/")
    (line,) = [x for x in problems(check()) if "drop folders" in x]
    for var in ("AIRFLOW_VAR_IOC_REPORTING_DROP_DIR", "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR"):
        assert var in line
    assert str(tmp_path / "drops") in line and "a folder of its own" in line
    for name in ("reporting", "ngansach"):  # what the DAGs' pulls and the connectors' CLIs ask
        with pytest.raises(SharedDropFolder, match="each would quarantine the other's files"):
            drop_folder(SOURCES[name], EnvSettings.current())
    env.setenv("AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR", str(tmp_path))  # a folder of its own
    assert [x for x in problems(check()) if "drop folders" in x] == []
    assert drop_folder(SOURCES["ngansach"], EnvSettings.current()) == tmp_path


def test_pseudonymisation_key_missing_or_short(env, api) -> None:
    env.setenv("AIRFLOW_CONN_IOC_DICHVUCONG", connection(api.url))
    (line,) = problems(check())
    assert line.startswith("PROBLEM pseudonymisation: no key: set " + KEY)
    env.setenv(KEY, "short-key")
    (line,) = problems(check())
    assert line == f"PROBLEM pseudonymisation: {KEY} is 9 bytes; it needs at least 16"
    env.setenv(KEY, "a-key-of-enough-length")
    assert problems(check()) == []


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs util-linux setpriv")
def test_the_command_exits_1_on_an_unreadable_drop_folder(tmp_path) -> None:
    """The real command, as a process that cannot override file permissions (root without
    CAP_DAC_OVERRIDE, so the folder's mode 000 is enforced as for any operator account)."""
    folder = tmp_path / "drops"
    folder.mkdir()
    folder.chmod(0)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_CONN_", "AIRFLOW_VAR_"))
    }
    env |= {"AIRFLOW_VAR_IOC_REPORTING_DROP_DIR": str(folder), "IOC_WAREHOUSE": str(tmp_path)}
    caps = "-dac_override,-dac_read_search"
    cmd = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]
    if os.geteuid() != 0:
        cmd = []
    done = subprocess.run(
        [*cmd, sys.executable, "-m", "ioc", "check"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    folder.chmod(0o700)
    assert done.returncode == 1, done.stdout + done.stderr
    text = " ".join(done.stdout.split())  # rich may wrap long lines
    assert f"PROBLEM reporting: drop folder {folder} (AIRFLOW_VAR_IOC_REPORTING_DROP_DIR)" in text
    assert "cannot be read by this user" in text
    assert "1 of 5 sources configured, 1 problem(s)" in text
