"""Each fault behaves as specified, deterministically, and a correct client loses nothing."""

from __future__ import annotations

from datetime import datetime

import httpx
import orjson
import pytest
from simkit import MARCH, SourceClient, read_units

from simulator.dichvucong import procedures, records, report

WEEK = ("2024-03-04T00:00:00+07:00", "2024-03-11T00:00:00+07:00")


def _keys(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["MaHoSo"], r["NgayCapNhat"]) for r in rows]


def _truth(world, tu: str, den: str) -> list[tuple[str, str]]:
    t = records(tu, den, world=world, owner=False)
    stamps = [f"{ts.isoformat()}+07:00" for ts in t.column("NgayCapNhat").to_pylist()]
    return list(zip(t.column("MaHoSo").to_pylist(), stamps, strict=True))


def _report(sim, tu: str, den: str) -> dict:
    r = httpx.get(
        f"{sim.base_url}/_sim/dichvucong/report", params={"cap_nhat_tu": tu, "cap_nhat_den": den}
    )
    assert r.status_code == 200
    return r.json()


def test_5xx_are_transient_and_reproducible(client: SourceClient, faults, world) -> None:
    faults({"error_rate": 0.3, "seed": 11})
    pull = client.pull(*MARCH, page_size=100)
    assert _keys(pull.records) == _truth(world, *MARCH)
    errors = [s for s in pull.statuses if s >= 500]
    assert set(errors) <= {500, 502, 503} and len(set(errors)) >= 2
    assert 0.15 < len(errors) / len(pull.statuses) < 0.45
    faults({"error_rate": 0.3, "seed": 11})  # same config again: the same story
    assert client.pull(*MARCH, page_size=100).statuses == pull.statuses
    r = client.get("/api/v1/thu-tuc", {}, retry=False)
    while r.status_code == 200:
        r = client.get("/api/v1/thu-tuc", {}, retry=False)
    assert r.json()["error"]["code"] == "server_error"


def test_429_carries_retry_after(client: SourceClient, faults, world) -> None:
    faults({"rate_limit_rate": 0.4, "retry_after": 0})
    pull = client.pull(*WEEK, page_size=50)
    assert _keys(pull.records) == _truth(world, *WEEK)
    assert pull.statuses.count(429) >= 3 and set(pull.retry_after) == {"0"}
    faults({"rate_limit_rate": 1.0, "retry_after": 7})
    r = client.get("/api/v1/thu-tuc", {}, retry=False)
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    assert r.json()["error"]["code"] == "rate_limited"


def test_slow_responses_time_out_and_retries_get_through(sim, credentials, faults, world) -> None:
    slow = SourceClient(sim.url("dichvucong"), *credentials, timeout=0.2)
    slow.token = slow.fetch_token().json()["access_token"]
    faults({"slow_rate": 1.0, "slow_seconds": 0.5})
    with pytest.raises(httpx.ReadTimeout):
        slow.http.get(
            f"{slow.base}/api/v1/thu-tuc", headers={"Authorization": f"Bearer {slow.token}"}
        )
    faults({"slow_rate": 0.3, "slow_seconds": 0.5})
    tu, den = "2024-03-04T00:00:00+07:00", "2024-03-06T00:00:00+07:00"
    pull = slow.pull(tu, den, page_size=20)
    slow.close()
    assert pull.timeouts >= 1
    assert _keys(pull.records) == _truth(world, tu, den)


def test_token_dies_mid_run_and_a_new_one_carries_on(client: SourceClient, faults, world) -> None:
    faults({"token_max_requests": 4})
    pull = client.pull(*MARCH, page_size=100)
    assert pull.statuses.count(401) >= 3
    assert _keys(pull.records) == _truth(world, *MARCH)


def test_duplicated_pages_keep_the_window_complete(
    sim, client: SourceClient, faults, world
) -> None:
    faults({"duplicate_page_rate": 0.3, "seed": 5})
    pull = client.pull(*MARCH, page_size=100)
    truth = _truth(world, *MARCH)
    got = _keys(pull.records)
    assert len(got) == pull.total > len(truth)  # duplicates are counted in total
    assert sorted(set(got)) == sorted(truth)
    repeats = [i for i in range(1, len(pull.pages)) if pull.pages[i] == pull.pages[i - 1]]
    assert repeats and pull.total_pages == len(pull.pages)
    dedup = [k for i, p in enumerate(pull.pages) if i not in repeats for k in _keys(p)]
    assert dedup == truth
    served = _report(sim, *MARCH)["served"]
    assert served["distinct"] == len(truth) and served["rows"] == len(got)


def test_short_pages_lose_rows_unless_asked_again(
    sim, credentials, client: SourceClient, faults, world
) -> None:
    faults({"short_page_rate": 0.4, "seed": 3})
    truth = _truth(world, *MARCH)
    naive = client.pull(*MARCH, page_size=100, retry=False)
    assert naive.short_pages >= 2
    assert set(_keys(naive.records)) < set(truth)  # a naive client lost rows
    faults({"short_page_rate": 0.4, "seed": 3})
    careful = SourceClient(sim.url("dichvucong"), *credentials)
    pull = careful.pull(*MARCH, page_size=100)
    careful.close()
    assert pull.short_pages == naive.short_pages  # same pages come short, deterministically
    assert _keys(pull.records) == truth
    assert _report(sim, *MARCH)["served"]["distinct"] == len(truth)


def _parses_as_instant(value: object) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).utcoffset() is not None
    except ValueError:
        return False


def test_malformed_values_are_reported_exactly(sim, client: SourceClient, faults, world) -> None:
    cfg = {"malformed_rate": 0.05, "seed": 9}
    faults(cfg)
    pull = client.pull(*MARCH, page_size=200)
    assert set(_keys(pull.records)) == set(_truth(world, *MARCH))
    found = set()
    for r in pull.records:
        key = (r["MaHoSo"], r["NgayCapNhat"])
        if not isinstance(r["PhiLePhi"], int):
            found.add((*key, "PhiLePhi", r["PhiLePhi"]))
        for f in ("NgayTiepNhan", "NgayHenTra"):
            if not _parses_as_instant(r[f]):
                found.add((*key, f, r[f]))
    reported = _report(sim, *MARCH)["malformed"]
    assert {(m["MaHoSo"], m["NgayCapNhat"], m["field"], m["sent"]) for m in reported} == found
    assert 0.02 < len(found) / len(pull.records) < 0.09
    kinds = {m["kind"] for m in reported}
    assert kinds == {"vn_number", "text_number", "bad_date"}
    assert any(
        isinstance(m["sent"], str) and "." in m["sent"]
        for m in reported
        if m["kind"] == "vn_number" and m["expected"] >= 1000
    )
    for m in reported:
        if m["kind"] == "vn_number":
            assert int(m["sent"].replace(".", "")) == m["expected"]
    assert report(*MARCH, seed=56, scale=0.01, faults=cfg, world=world)["malformed"] == reported
    again = client.pull(*MARCH, page_size=50)  # other pages, same spoiled values
    assert sorted(orjson.dumps(r) for r in again.records) == sorted(
        orjson.dumps(r) for r in pull.records
    )


def test_unknown_codes_are_reported_exactly(sim, client: SourceClient, faults) -> None:
    faults({"unknown_code_rate": 0.03, "seed": 4})
    pull = client.pull(*MARCH, page_size=500)
    units, catalog = read_units()["every"], {p["MaTTHC"] for p in procedures()}
    found = {
        (r["MaHoSo"], r["NgayCapNhat"], "MaDVHC", r["MaDVHC"])
        for r in pull.records
        if r["MaDVHC"] not in units
    }
    found |= {
        (r["MaHoSo"], r["NgayCapNhat"], "MaTTHC", r["MaTTHC"])
        for r in pull.records
        if r["MaTTHC"] not in catalog
    }
    reported = _report(sim, *MARCH)["unknown_codes"]
    assert {(u["MaHoSo"], u["NgayCapNhat"], u["field"], u["sent"]) for u in reported} == found
    assert {u["field"] for u in reported} == {"MaDVHC", "MaTTHC"} and len(found) > 20


def test_fault_settings_are_validated(sim, faults) -> None:
    with httpx.Client(base_url=sim.base_url) as http:
        for body in (
            {"dichvucong": {"no_such_fault": 1}},
            {"dichvucong": {"error_rate": 2}},
            {"nosource": {}},
            [1, 2],
        ):
            r = http.post("/_sim/faults", content=orjson.dumps(body))
            assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parameter"
        faults({"error_rate": 0.5, "seed": 2})
        state = http.get("/_sim/faults").json()["dichvucong"]
        assert state["config"]["error_rate"] == 0.5 and state["config"]["seed"] == 2
