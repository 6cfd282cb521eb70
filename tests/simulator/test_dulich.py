"""The dulich simulator: plausible, consistent, deterministic, serves as of the clock."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime

import httpx
import numpy as np
import pytest
from simkit import SEED, UNITS_DIR

from simulator import Settings, run_in_thread
from simulator.clock import AS_OF_SEC, local_seconds
from simulator.dulich import ESTIMATE, OFFICIAL, TourismWorld
from simulator.dulich.listing import vn_format
from simulator.dulich.world import months

CLIENT = ("ioc-test", "dulich-secret-0123456789")


def codes() -> tuple[set[str], set[str]]:
    """Old province/district codes of 56 and 58; new province 56 and its communes."""
    old, new = set(), {"56"}
    with (UNITS_DIR / "units_before_2025_07_01.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["province_code"] in ("56", "58"):
                old |= {r["province_code"], r["district_code"]}
    with (UNITS_DIR / "units_after_2025_07_01.csv").open(encoding="utf-8") as fh:
        new |= {r["commune_code"] for r in csv.DictReader(fh) if r["province_code"] == "56"}
    return old, new


@pytest.fixture(scope="module")
def world() -> TourismWorld:
    return TourismWorld(SEED)


def province_year(world: TourismWorld, year: int, code: str) -> dict[str, int]:
    out = {"tong": 0, "qt": 0}
    for y, m in months():
        if y != year:
            continue
        row = next(r for r in world.rows(y, m, OFFICIAL) if r["ma_dvhc"] == code)
        out["tong"] += row["tong_luot_khach"]
        out["qt"] += row["khach_quoc_te"]
    return out


def test_every_row_is_consistent_and_coded_for_its_date(world) -> None:
    old, new = codes()
    for y, m in months():
        for kind in (ESTIMATE, OFFICIAL):
            rows = world.rows(y, m, kind)
            allowed = new if date(y, m, 1) >= date(2025, 7, 1) else old
            assert {r["ma_dvhc"] for r in rows} <= allowed
            assert len({r["ma_dvhc"] for r in rows}) == len(rows)
            for r in rows:
                assert r["tong_luot_khach"] == r["khach_quoc_te"] + r["khach_noi_dia"]
                assert 0 <= r["khach_luu_tru"] <= r["tong_luot_khach"]
                assert r["ngay_khach_luu_tru"] >= r["khach_luu_tru"]
                assert 40 <= r["cong_suat_phong_pct"] <= 80
                assert r["doanh_thu_ty_dong"] > 0 and r["so_co_so_luu_tru"] > 0
                assert r["loai_so_lieu"] == kind and r["ky"] == f"{y}-{m:02d}"


def test_volumes_recovery_and_seasons_are_plausible(world) -> None:
    kh24, nt24 = province_year(world, 2024, "56"), province_year(world, 2024, "58")
    assert 9.5e6 < kh24["tong"] < 11.5e6 and 0.30 < kh24["qt"] / kh24["tong"] < 0.40
    assert 2.5e6 < nt24["tong"] < 4.5e6
    kh = {
        (y, m): next(r for r in world.rows(y, m, OFFICIAL) if r["ma_dvhc"] == "56")
        for y, m in months()
        if (y, m) < (2025, 7)
    }
    # International arrivals near zero until March 2022, then ramping up.
    assert kh[(2022, 1)]["khach_quoc_te"] < 0.03 * kh[(2022, 1)]["tong_luot_khach"]
    assert kh[(2022, 12)]["khach_quoc_te"] > 10 * kh[(2022, 2)]["khach_quoc_te"]
    for year in (2023, 2024):
        dom = np.array([kh[(year, m)]["khach_noi_dia"] for m in range(1, 13)])
        intl = np.array([kh[(year, m)]["khach_quoc_te"] for m in range(1, 13)])
        assert dom[5:8].mean() > 1.2 * np.delete(dom, [5, 6, 7]).mean()  # summer peak
        assert intl[[0, 1, 11]].mean() > 1.15 * intl[4:9].mean()  # winter flows
    # The merged province: about 14–16 M visitors a year.
    new26 = sum(
        next(r for r in world.rows(2026, m, OFFICIAL) if r["ma_dvhc"] == "56")["tong_luot_khach"]
        for m in range(1, 11)
    )
    assert 11e6 < new26 < 14e6


def test_estimates_come_first_and_differ_by_a_few_percent(world) -> None:
    for y, m in months():
        estimate, official = world.published(y, m)
        first = local_seconds(datetime(y, m, 1))
        assert first + 20 * 86400 < estimate < official
        assert official - estimate < 80 * 86400
        assert world.served(y, m, estimate - 1) == []
        assert {r["loai_so_lieu"] for r in world.served(y, m, estimate)} == {ESTIMATE}
        assert {r["loai_so_lieu"] for r in world.served(y, m, official)} == {OFFICIAL}
        e, o = world.rows(y, m, ESTIMATE)[0], world.rows(y, m, OFFICIAL)[0]
        assert e["tong_luot_khach"] != o["tong_luot_khach"]
        assert abs(e["tong_luot_khach"] / o["tong_luot_khach"] - 1) < 0.06


def test_same_seed_same_figures() -> None:
    a, b, c = TourismWorld(56), TourismWorld(56), TourismWorld(57)
    assert a.rows(2024, 3, OFFICIAL) == b.rows(2024, 3, OFFICIAL)
    assert a.published(2025, 8) == b.published(2025, 8)
    assert a.rows(2024, 3, OFFICIAL) != c.rows(2024, 3, OFFICIAL)


def test_vietnamese_number_format() -> None:
    assert vn_format(1234567) == "1.234.567"
    assert vn_format(1234.5) == "1.234,5"
    assert vn_format(65.0) == "65"


@pytest.fixture(scope="module")
def server() -> Iterator:
    with run_in_thread(Settings(*CLIENT, seed=SEED, sources=("dulich",))) as running:
        yield running


def token(base: str) -> dict[str, str]:
    form = {"grant_type": "client_credentials", "client_id": CLIENT[0], "client_secret": CLIENT[1]}
    access = httpx.post(f"{base}/oauth/token", data=form).json()["access_token"]
    return {"Authorization": f"Bearer {access}"}


def test_http_serves_the_month_as_of_the_clock(server, world) -> None:
    base = server.url("dulich")
    headers, url = token(base), f"{base}/api/v1/thong-ke-thang"
    clock = server.app.state.services["dulich"].ctx.clock
    estimate, official = world.published(2024, 3)
    try:
        for moment, kind in ((estimate - 60, None), (estimate, ESTIMATE), (official, OFFICIAL)):
            clock.set(moment)
            body = httpx.get(url, params={"nam": 2024, "thang": 3}, headers=headers).json()
            assert set(body) == {"data", "page", "page_size", "total", "total_pages"}
            assert body["data"] == (list(world.rows(2024, 3, kind)) if kind else [])
            assert body["total"] == len(body["data"])
    finally:
        clock.set(AS_OF_SEC)
    assert httpx.get(url, params={"nam": 2024}, headers=headers).status_code == 400
    assert httpx.get(url, params={"nam": 2024, "thang": 13}, headers=headers).status_code == 400
    assert httpx.get(url, params={"nam": 2024, "thang": 3}).status_code == 401


def test_value_faults_match_the_report(server, world) -> None:
    base, admin = server.url("dulich"), server.base_url
    faults = {"seed": 3, "malformed_rate": 0.3, "unknown_code_rate": 0.2}
    httpx.post(f"{admin}/_sim/faults", json={"dulich": faults}).raise_for_status()
    try:
        headers = token(base)
        pages = [
            httpx.get(
                f"{base}/api/v1/thong-ke-thang",
                params={"nam": 2024, "thang": 5, "page": p, "page_size": 10},
                headers=headers,
            ).json()["data"]
            for p in (1, 2)
        ]
        window = {"cap_nhat_tu": "2024-05-01T00:00:00", "cap_nhat_den": "2024-06-01T00:00:00"}
        report = httpx.get(f"{admin}/_sim/dulich/report", params=window).json()
    finally:
        httpx.delete(f"{admin}/_sim/faults").raise_for_status()
    sent = [r for page in pages for r in page]
    true = world.rows(2024, 5, OFFICIAL)
    assert len(sent) == len(true) == report["records"] == 17
    spoiled = report["malformed"] + report["unknown_codes"]
    assert spoiled and report["months"][0]["served"]["distinct"] == 17
    for s in spoiled:
        row = next(i for i, r in enumerate(true) if r["ma_dvhc"] == s["ma_dvhc"])
        assert sent[row][s["field"]] == s["sent"] and true[row][s["field"]] == s["expected"]
    untouched = len(true) - len({s["ma_dvhc"] for s in spoiled})
    assert sum(a == b for a, b in zip(sent, true, strict=True)) == untouched
