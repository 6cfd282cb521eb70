"""The defect scenario: one simulator subprocess and one warehouse of its own, three runs.

1. A clean refresh of 2022-03 (the world clock at 2022-04-01: history 2022-01..2022-03)
   publishes; its serving copy's sha256 is kept.
2. A budget export arrives carrying a well-formed row of a month outside its file's window
   (what no simulator fault produces: the connectors quarantine what they cannot parse),
   and January's export is sent again with half its amounts unreadable (over the default
   limit of 1 % quarantined). The refresh of the same month must stop at
   ``ingest_ngansach``, name both loads, and leave the serving copy byte for byte as it was.
3. Every fault each source offers is switched on, the clock moves to 2022-05-01, the file
   drops are rewritten with faults, and 2022-04 is refreshed re-pulling from 2022-01-01.
   The faults make loads of every source quarantine more than 1 % of their records
   (measured: each month of dossiers 1.9 %, tourism up to 12 %, schools 3 %, report
   headers 3.6 % and figures 2 %, Excel reports 20 %, a budget file 100 %), so under the
   default limit every source's loads fail (loudly, as step 2 shows). This run sets the
   stewards' limit to 100 % (``ACCEPT_ALL``) so that it publishes, and the tests read its
   ``dq`` schema, the lake and the simulator.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx

from demo import environment, services
from ingest.common.settings import REPO_ROOT

SCALE = 0.02  # ≈ 2,000 dossier records a month: several pages of 1,000, so page faults bite
SEED = services.SIM_SEED
START = "2022-04-01T00:00:00+07:00"  # the world clock for the clean run
LATER = "2022-05-01T00:00:00+07:00"  # ... moved on for the faulty run
SINCE = "2022-01-01T00:00:00"  # the faulty run re-pulls the whole (short) history
MONTHS = ["2022-01", "2022-02", "2022-03", "2022-04"]
# The stewards' quarantine limit for the faulty run (expectations/quarantine_share.py).
ACCEPT_ALL = {"AIRFLOW_VAR_IOC_MAX_QUARANTINED_PCT": '{"default": 100}'}

# Transient and page faults on every API source (and 429 with Retry-After 0 or 1, tokens
# dying after a few requests or seconds); value faults at rates that give each kind.
_HTTP = {
    "error_rate": 0.15,
    "rate_limit_rate": 0.15,
    "slow_rate": 0.1,
    "slow_seconds": 0.2,  # the connectors wait 30 s: a slow answer is only late, no time-out
    "duplicate_page_rate": 0.5,
    "short_page_rate": 0.5,
}
FAULTS: dict[str, dict[str, Any]] = {
    "dichvucong": {
        **_HTTP,
        "seed": 11,
        "retry_after": 0,
        "token_max_requests": 4,
        "malformed_rate": 0.02,
        "unknown_code_rate": 0.02,
    },
    "reporting": {
        **_HTTP,
        "seed": 11,
        "retry_after": 1,
        "token_max_requests": 3,
        "malformed_rate": 0.2,
        "unknown_code_rate": 0.1,
    },
    "dulich": {
        **_HTTP,
        "seed": 11,
        "retry_after": 0,
        "token_ttl_seconds": 1,
        "malformed_rate": 0.25,
        "unknown_code_rate": 0.05,
    },
    "giaoduc": {
        **_HTTP,
        "seed": 11,
        "retry_after": 1,
        "token_max_requests": 2,
        "malformed_rate": 0.05,
        "unknown_code_rate": 0.05,
    },
    # Files: row defects, one unreadable file (seed 3: 2022-03's header), unknown codes.
    "ngansach": {"seed": 3, "malformed_rate": 0.3, "unknown_code_rate": 0.1},
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Run:
    returncode: int
    output: str


@dataclass
class Scenario:
    warehouse: Path
    url: str
    env: dict[str, str]
    drops: Path
    clean_sha: str = ""
    clean_dq: dict[str, Any] = field(default_factory=dict)
    blocked: Run | None = None
    blocked_sha: str = ""
    blocked_load_id: str = ""
    blocked_row: list[str] = field(default_factory=list)
    overflow_load_id: str = ""
    overflow: tuple[int, int] = (0, 0)  # (lines made unreadable, data lines) of the resend
    dbt_before_block: dict[str, float] = field(default_factory=dict)
    dbt_after_block: dict[str, float] = field(default_factory=dict)
    tmp_after_block: list[str] = field(default_factory=list)
    faulty_sha: str = ""
    injected: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def serving_db(self) -> Path:
        return self.warehouse / "serving" / "ioc.duckdb"

    @property
    def lake(self) -> Path:
        return self.warehouse / "lake"

    @property
    def meta(self) -> Path:
        return self.lake / "_meta"

    def sim(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = httpx.request(method, f"{self.url}{path}", timeout=120, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def report(self, source: str, start: str, end: str) -> dict:
        params = {"cap_nhat_tu": start, "cap_nhat_den": end}
        return self.sim("GET", f"/_sim/{source}/report", params=params)

    def serving(self, sql: str, *args: Any) -> list[tuple]:
        with duckdb.connect(str(self.serving_db), read_only=True) as con:
            return con.execute(sql, list(args)).fetchall()

    def refresh(self, period: str, since: str | None = None, **env: str) -> Run:
        """``python -m demo.airflow_run`` (every ingestion DAG, then refresh_marts)."""
        cmd = [sys.executable, "-m", "demo.airflow_run", period]
        if since:
            cmd += ["--since", since]
        done = subprocess.run(
            cmd,
            env={**self.env, **env},
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=900,
        )
        output = done.stdout.decode(errors="replace")
        with (self.warehouse / "logs" / "refresh.log").open("a") as log:
            log.write(f"\n===== refresh {period} since={since} → {done.returncode}\n{output}")
        return Run(done.returncode, output)

    def must_refresh(self, period: str, since: str | None = None, **env: str) -> None:
        run = self.refresh(period, since, **env)
        if run.returncode:
            raise AssertionError(f"refresh {period} failed:\n{run.output[-6000:]}")


def _dbt_files(meta: Path) -> dict[str, float]:
    folder = meta / "dbt_results"
    return {p.name: p.stat().st_mtime for p in folder.glob("*")} if folder.exists() else {}


def _spoil_budget_export(drops: Path) -> tuple[Path, list[str]]:
    """March's export as the treasury might get it wrong: February's rows under March's
    name, the first one dated December of the year before (outside the file's window,
    January–March). Every cell is well formed; only the month is impossible."""
    folder = drops / "ngansach"
    lines = (folder / "thu_ngan_sach_202202.csv").read_bytes().split(b"\r\n")
    cells = lines[1].decode("utf-8").split(";")
    assert cells[0] == "2022-02", cells
    cells[0] = "2021-12"
    lines[1] = ";".join(cells).encode("utf-8")
    target = folder / "thu_ngan_sach_202203.csv"
    assert not target.exists(), "March is not exported by 2022-04-01"
    tmp = folder / f".{target.name}.tmp"
    tmp.write_bytes(b"\r\n".join(lines))
    tmp.replace(target)
    return target, cells


def _overflow_budget_export(drops: Path) -> tuple[Path, int, int]:
    """January's export sent again with the first half of its rows' ``luy_ke_thuc_hien``
    written as words: those rows cannot be read, far over 1 % of the file."""
    target = drops / "ngansach" / "thu_ngan_sach_202201.csv"
    lines = target.read_bytes().split(b"\r\n")
    column = lines[0].decode("utf-8").split(";").index("luy_ke_thuc_hien")
    data = [i for i, line in enumerate(lines) if i and line.strip()]
    spoiled = data[: len(data) // 2]
    for i in spoiled:
        cells = lines[i].decode("utf-8").split(";")
        cells[column] = "chưa có số liệu"
        lines[i] = ";".join(cells).encode("utf-8")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(b"\r\n".join(lines))
    tmp.replace(target)
    return target, len(spoiled), len(data)


def _clean_dq(s: Scenario) -> dict[str, Any]:
    return {
        "quarantine": s.serving("SELECT count(*) FROM dq.dq_quarantine")[0][0],
        "ge_not_pass": s.serving(
            "SELECT dataset, check_name, status FROM dq.dq_check_result "
            "WHERE check_kind = 'ge' AND status <> 'pass' AND dataset NOT LIKE '%#volume'"
        ),
    }


def run_scenario(warehouse: Path) -> Any:
    """A generator: yields the finished Scenario, stops the simulator afterwards."""
    secrets = environment.load_secrets(warehouse)
    drops = environment.drop_root(warehouse)
    log = warehouse / "logs" / "simulator.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    from tests.conftest import free_port

    port = free_port()
    sim_env = {
        **os.environ,
        "IOC_SIM_CLIENT_ID": secrets["sim_client_id"],
        "IOC_SIM_CLIENT_SECRET": secrets["sim_client_secret"],
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "simulator", "--host", "127.0.0.1"),
                *("--port", str(port), "--seed", str(SEED), "--scale", str(SCALE)),
                *("--drop-dir", str(drops), "--as-of", START),
            ],
            env=sim_env,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        services.wait_http(f"{url}/healthz", 120, process)
        env = {**os.environ, **environment.pipeline_env(warehouse, url)}
        s = Scenario(warehouse, url, env, drops)
        clock = time.monotonic()

        # 1. Clean.
        s.must_refresh("2022-03")
        s.clean_sha = sha256(s.serving_db)
        s.clean_dq = _clean_dq(s)
        s.timings["clean"] = time.monotonic() - clock

        # 2. Blocked: a budget export with a month outside its window.
        bad, s.blocked_row = _spoil_budget_export(drops)
        s.blocked_load_id = f"{bad.stem}__{sha256(bad)[:12]}"
        resent, *overflow = _overflow_budget_export(drops)
        s.overflow_load_id, s.overflow = f"{resent.stem}__{sha256(resent)[:12]}", tuple(overflow)
        s.dbt_before_block = _dbt_files(s.meta)
        s.blocked = s.refresh("2022-03")
        s.blocked_sha = sha256(s.serving_db)
        s.dbt_after_block = _dbt_files(s.meta)
        s.tmp_after_block = [
            p.name for p in s.serving_db.parent.iterdir() if p.name != "ioc.duckdb"
        ]
        s.timings["blocked"] = time.monotonic() - clock - s.timings["clean"]

        # 3. Every fault on; a month later (the real March export replaces the bad one);
        #    the drops rewritten with faults; the whole history pulled again through them.
        s.sim("POST", "/_sim/faults", json=FAULTS)
        s.sim("POST", "/_sim/clock", json={"as_of": LATER})
        s.sim("POST", "/_sim/drops")
        s.must_refresh("2022-04", since=SINCE, **ACCEPT_ALL)
        s.faulty_sha = sha256(s.serving_db)
        s.injected = {n: v["injected"] for n, v in s.sim("GET", "/_sim/faults").items()}
        s.timings["faulty"] = time.monotonic() - clock - s.timings["clean"] - s.timings["blocked"]
        yield s
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
