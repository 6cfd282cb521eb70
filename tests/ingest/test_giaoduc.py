"""The giaoduc connector against the simulator: exact, idempotent, follows school-year updates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import httpx
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest import giaoduc
from ingest.common.http import SourceClient
from ingest.common.parse import parse_local_time
from ingest.common.settings import SourceEndpoint
from simulator.app import Settings
from simulator.clock import AS_OF_SEC, local_seconds
from simulator.giaoduc import EducationWorld
from simulator.runner import RunningSimulator, run_in_thread
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, SCALE, SEED, data_until, promoted

SUMMER_2024 = datetime(2024, 8, 1)


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    """A simulator of this source alone: its clock moves without disturbing other tests."""
    settings = Settings(CLIENT_ID, CLIENT_SECRET, seed=SEED, scale=SCALE, sources=("giaoduc",))
    with run_in_thread(settings) as running:
        yield running


@pytest.fixture(scope="module")
def world(sim) -> EducationWorld:
    return EducationWorld(SEED)


@pytest.fixture
def client(sim) -> Iterator[SourceClient]:
    with SourceClient(SourceEndpoint(sim.url("giaoduc"), CLIENT_ID, CLIENT_SECRET), 5.0) as c:
        yield c


@pytest.fixture
def clock(sim) -> Iterator[Callable[[datetime], None]]:
    world_clock = sim.app.state.services["giaoduc"].ctx.clock
    yield lambda moment: world_clock.set(local_seconds(moment))
    world_clock.set(AS_OF_SEC)


def lake(paths, dataset: str) -> pa.Table:
    folder = paths.lake / "giaoduc" / dataset
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table()


def load_rows(table: pa.Table, load_id: str, columns: list[str]) -> list[dict]:
    one = table.filter(pc.equal(table["_load_id"], load_id)).select(columns)
    return sorted(one.to_pylist(), key=lambda r: r["ma_truong"])


def typed(rows: list[dict]) -> list[dict]:
    """The simulator's rows as the lake types them (computed without the connector)."""
    out = []
    for r in rows:
        when = r.get("ngay_cap_nhat")
        out.append(r | ({"ngay_cap_nhat": parse_local_time(when)} if when else {}))
    return sorted(out, key=lambda r: r["ma_truong"])


SCHOOL_COLUMNS = giaoduc.contracts.SCHOOL_SCHEMA.names
EXAM_COLUMNS = giaoduc.contracts.EXAM_SCHEMA.names


def test_a_first_pull_lands_every_year_exactly(client, paths, clock, world) -> None:
    clock(SUMMER_2024)
    results = promoted(paths, giaoduc.run(client, paths, until=SUMMER_2024))
    assert [r.load_id for r in results] == [
        "truong_2021_2022__asof_20240801",
        "truong_2022_2023__asof_20240801",
        "truong_2023_2024__asof_20240801",
        "ket_qua_2022__asof_20240801",
        "ket_qua_2023__asof_20240801",
        "ket_qua_2024__asof_20240801",
    ]
    as_of = local_seconds(SUMMER_2024)
    schools, exams = lake(paths, "truong"), lake(paths, "ket_qua_tot_nghiep")
    for start in (2021, 2022, 2023):
        got = load_rows(schools, f"truong_{start}_{start + 1}__asof_20240801", SCHOOL_COLUMNS)
        assert got == typed(world.served(start, as_of)) and len(got) > 1000
    for year in (2022, 2023, 2024):
        got = load_rows(exams, f"ket_qua_{year}__asof_20240801", EXAM_COLUMNS)
        assert got == typed(world.exam_served(year, as_of)) and len(got) > 50
    assert results[0].window.start == datetime(2021, 9, 1) and results[-1].window is None
    # How far each load's data reach: a school or exam year's end, an open one's as of
    # the pull (1 August 2024: the school year 2023-2024 ends on 1 September).
    assert data_until(paths, "giaoduc", "truong") == {
        "truong_2021_2022__asof_20240801": datetime(2022, 9, 1),
        "truong_2022_2023__asof_20240801": datetime(2023, 9, 1),
        "truong_2023_2024__asof_20240801": SUMMER_2024,
    }
    assert data_until(paths, "giaoduc", "ket_qua_tot_nghiep") == {
        "ket_qua_2022__asof_20240801": datetime(2023, 1, 1),
        "ket_qua_2023__asof_20240801": datetime(2024, 1, 1),
        "ket_qua_2024__asof_20240801": SUMMER_2024,
    }
    # School years closed and exams published more than a year ago are not asked again; the
    # last closed year and exam are (corrections come after the summer).
    clock(datetime(2024, 10, 1))
    later = promoted(paths, giaoduc.run(client, paths, until=datetime(2024, 10, 1)))
    assert [r.load_id for r in later] == [
        "truong_2023_2024__asof_20241001",
        "truong_2024_2025__asof_20241001",
        "ket_qua_2024__asof_20241001",
    ]


def test_an_update_during_the_year_lands_as_a_new_load(client, paths, clock, world) -> None:
    clock(datetime(2023, 10, 1))
    promoted(
        paths, giaoduc.run(client, paths, until=datetime(2023, 10, 1), since=datetime(2023, 9, 1))
    )
    clock(datetime(2024, 2, 1))
    later = promoted(paths, giaoduc.run(client, paths, until=datetime(2024, 2, 1)))
    assert "truong_2023_2024__asof_20240201" in {r.load_id for r in later}
    schools = lake(paths, "truong")
    opening = load_rows(schools, "truong_2023_2024__asof_20231001", SCHOOL_COLUMNS)
    january = load_rows(schools, "truong_2023_2024__asof_20240201", SCHOOL_COLUMNS)
    assert opening == typed(world.served(2023, local_seconds(datetime(2023, 10, 1))))
    assert january == typed(world.served(2023, local_seconds(datetime(2024, 2, 1))))
    moved = sum(
        a["ngay_cap_nhat"] != b["ngay_cap_nhat"] for a, b in zip(opening, january, strict=True)
    )
    assert 0.5 * len(opening) < moved < 0.9 * len(opening)  # about 70 % updated in January


def test_rerunning_the_same_refresh_changes_nothing(client, paths, clock) -> None:
    clock(datetime(2024, 2, 1))
    promoted(
        paths, giaoduc.run(client, paths, until=datetime(2024, 2, 1), since=datetime(2023, 9, 1))
    )

    def snapshot() -> list:
        return [
            sorted(lake(paths, d).drop_columns(["_extracted_at"]).to_pylist(), key=str)
            for d in ("truong", "ket_qua_tot_nghiep")
        ]

    before = snapshot()
    again = promoted(paths, giaoduc.run(client, paths, until=datetime(2024, 2, 1)))
    assert [r.load_id for r in again] == [
        "truong_2022_2023__asof_20240201",  # closed in July 2023: corrections for a year
        "truong_2023_2024__asof_20240201",
        "ket_qua_2023__asof_20240201",
    ]
    assert snapshot() == before


FAULTS = {
    "seed": 5,
    "error_rate": 0.15,
    "rate_limit_rate": 0.1,
    "retry_after": 0,
    "token_max_requests": 4,
    "duplicate_page_rate": 0.3,
    "short_page_rate": 0.3,
    "malformed_rate": 0.02,
    "unknown_code_rate": 0.02,
    "slow_rate": 0.05,
    "slow_seconds": 0.6,
}
WINDOW = {"cap_nhat_tu": "2023-08-01T00:00:00+07:00", "cap_nhat_den": "2024-08-01T00:00:00+07:00"}


def test_every_fault_at_once_loses_and_duplicates_nothing(sim, paths, clock) -> None:
    clock(SUMMER_2024)
    httpx.post(f"{sim.base_url}/_sim/faults", json={"giaoduc": FAULTS}).raise_for_status()
    try:
        endpoint = SourceEndpoint(sim.url("giaoduc"), CLIENT_ID, CLIENT_SECRET)
        with SourceClient(endpoint, timeout=0.4) as faulty:
            results = [
                promoted(
                    paths, giaoduc.load_school_year(faulty, paths, 2023, SUMMER_2024, page_size=250)
                ),
                promoted(
                    paths, giaoduc.load_exam_year(faulty, paths, 2024, SUMMER_2024, page_size=20)
                ),
            ]
        report = httpx.get(f"{sim.base_url}/_sim/giaoduc/report", params=WINDOW).json()
    finally:
        httpx.delete(f"{sim.base_url}/_sim/faults").raise_for_status()
    assert [y["nam_hoc"] for y in report["truong"]] == ["2023-2024"]
    assert [e["nam"] for e in report["ket_qua_tot_nghiep"]] == [2024]
    for result, held, dataset in zip(
        results,
        (report["truong"][0], report["ket_qua_tot_nghiep"][0]),
        ("truong", "ket_qua_tot_nghiep"),
        strict=True,
    ):
        landed = lake(paths, dataset)
        qfile = paths.meta / "quarantine" / f"giaoduc__{dataset}" / f"{result.load_id}.parquet"
        quarantined = pq.read_table(qfile) if qfile.exists() else pa.table({"record": []})
        # Nothing lost, nothing twice.
        assert landed.num_rows + quarantined.num_rows == held["records"] > 0
        assert held["served"]["distinct"] == held["records"]
        assert landed.num_rows == pc.count_distinct(landed["ma_truong"]).as_py()
        assert result.rows_quarantined == quarantined.num_rows
        for row in quarantined.to_pylist():
            assert f"ma_truong {orjson.loads(row['record'])['ma_truong']!r}" in row["reason"]
    texts = [m for m in report["malformed"] if m["kind"] == "text_number"]
    assert sum(r.rows_quarantined for r in results) == len(texts) > 0
    assert sum(r.duplicates for r in results) > 0
    schools = {r["ma_truong"]: r for r in lake(paths, "truong").to_pylist()}
    for m in report["malformed"]:
        if m["kind"] == "vn_number" and "nam_hoc" in m and m["ma_truong"] in schools:
            assert schools[m["ma_truong"]][m["field"]] == m["expected"]
    injected = report["injected"]
    for kind in ("error_5", "rate_limit", "short_page", "slow"):
        assert sum(n for k, n in injected.items() if k.startswith(kind)) > 0, (kind, injected)
