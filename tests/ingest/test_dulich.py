"""The dulich connector against the simulator: complete, exact, idempotent, keeps estimates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import httpx
import orjson
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest import dulich
from ingest.common.http import SourceClient
from ingest.common.ledger import Ledger
from ingest.common.parse import parse_local_time
from ingest.common.settings import SourceEndpoint
from simulator.app import Settings
from simulator.clock import AS_OF_SEC, local_seconds
from simulator.dulich import ESTIMATE, OFFICIAL, TourismWorld
from simulator.runner import RunningSimulator, run_in_thread
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, SCALE, SEED, data_until, promoted

COMPARED = dulich.contracts.MONTHLY_SCHEMA.names


def lake_table(paths) -> pa.Table:
    folder = paths.lake / "dulich" / "thong_ke_thang"
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table()


def rows_of(table: pa.Table) -> list[dict]:
    return sorted(
        table.drop_columns(["_extracted_at"]).to_pylist(),
        key=lambda r: (r["_load_id"], r["ky"], r["ma_dvhc"]),
    )


def expected(year: int, month: int, kind: str) -> list[dict]:
    """The world's figures typed as the lake keeps them (computed without the connector)."""
    out = []
    for r in TourismWorld(SEED).rows(year, month, kind):
        out.append(r | {"ngay_cong_bo": parse_local_time(r["ngay_cong_bo"])})
    return sorted(out, key=lambda r: r["ma_dvhc"])


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    """A simulator of this source alone: its clock moves without disturbing other tests."""
    settings = Settings(CLIENT_ID, CLIENT_SECRET, seed=SEED, scale=SCALE, sources=("dulich",))
    with run_in_thread(settings) as running:
        yield running


@pytest.fixture
def client(sim) -> Iterator[SourceClient]:
    with SourceClient(SourceEndpoint(sim.url("dulich"), CLIENT_ID, CLIENT_SECRET), 5.0) as c:
        yield c


@pytest.fixture
def clock(sim) -> Iterator[Callable[[datetime], None]]:
    """Move the simulated "now" (in-process: no file drops); put back afterwards."""
    world_clock = sim.app.state.services["dulich"].ctx.clock
    yield lambda moment: world_clock.set(local_seconds(moment))
    world_clock.set(AS_OF_SEC)


def test_months_land_exactly_as_published(client, paths, clock) -> None:
    clock(datetime(2024, 6, 1))
    results = promoted(
        paths, dulich.run(client, paths, until=datetime(2024, 6, 1), since=datetime(2024, 2, 1))
    )
    assert [r.load_id for r in results] == [
        f"thong_ke_2024{m:02d}__asof_20240601" for m in (2, 3, 4, 5)
    ]
    lake = lake_table(paths)
    world = TourismWorld(SEED)
    reach = data_until(paths, "dulich", "thong_ke_thang")
    for r in results:
        month = r.window.start
        kind = world.version(month.year, month.month, local_seconds(datetime(2024, 6, 1)))
        got = lake.filter(pa.compute.equal(lake["_load_id"], r.load_id))
        assert r.rows_loaded == got.num_rows == (17 if kind else 0)
        # a month's figures reach its end; a month not published yet, nothing
        assert reach[r.load_id] == (
            datetime(month.year + month.month // 12, month.month % 12 + 1, 1) if kind else None
        )
        if kind:
            assert sorted(got.select(COMPARED).to_pylist(), key=lambda x: x["ma_dvhc"]) == (
                expected(month.year, month.month, kind)
            )
    assert all("#record=" in ref for ref in lake["_source_ref"].to_pylist())
    assert Ledger(paths.meta).watermark("dulich", "thong_ke_thang") == datetime(2024, 6, 1)


def test_an_estimate_turns_official_and_stays_as_history(client, paths, clock) -> None:
    clock(datetime(2024, 4, 1))
    promoted(
        paths, dulich.run(client, paths, until=datetime(2024, 4, 1), since=datetime(2024, 3, 1))
    )
    clock(datetime(2024, 6, 1))
    later = promoted(paths, dulich.run(client, paths, until=datetime(2024, 6, 1)))
    # The last six months are asked again (republished figures): the March estimate turns
    # official in a new load, April and May come for the first time.
    assert [r.load_id for r in later] == [
        f"thong_ke_{m}__asof_20240601" for m in ("202312", "202401", "202402", "202403")
    ] + ["thong_ke_202404__asof_20240601", "thong_ke_202405__asof_20240601"]
    lake = lake_table(paths)
    march = {
        load: sorted(
            lake.filter(pa.compute.equal(lake["_load_id"], load)).select(COMPARED).to_pylist(),
            key=lambda x: x["ma_dvhc"],
        )
        for load in ("thong_ke_202403__asof_20240401", "thong_ke_202403__asof_20240601")
    }
    assert march["thong_ke_202403__asof_20240401"] == expected(2024, 3, ESTIMATE)
    assert march["thong_ke_202403__asof_20240601"] == expected(2024, 3, OFFICIAL)
    # A month whose official figures landed is not asked again once it is more than six
    # months old.
    clock(datetime(2024, 10, 1))
    again = promoted(paths, dulich.run(client, paths, until=datetime(2024, 10, 1)))
    assert [r.load_id[:15] for r in again][:1] == ["thong_ke_202404"]


def test_rerunning_the_same_refresh_changes_nothing(client, paths, clock) -> None:
    clock(datetime(2024, 6, 1))
    first = promoted(
        paths, dulich.run(client, paths, until=datetime(2024, 6, 1), since=datetime(2023, 12, 1))
    )
    before = rows_of(lake_table(paths))
    folders = sorted(p.name for p in (paths.lake / "dulich" / "thong_ke_thang").iterdir())
    second = promoted(paths, dulich.run(client, paths, until=datetime(2024, 6, 1)))
    # The same months (the last six: republished figures) are asked again, into the same loads.
    assert [r.load_id for r in second] == [r.load_id for r in first]
    assert rows_of(lake_table(paths)) == before
    assert sorted(p.name for p in (paths.lake / "dulich" / "thong_ke_thang").iterdir()) == folders


FAULTS = {
    "seed": 11,
    "error_rate": 0.15,
    "rate_limit_rate": 0.1,
    "retry_after": 0,
    "token_max_requests": 5,
    "duplicate_page_rate": 0.3,
    "short_page_rate": 0.3,
    "malformed_rate": 0.08,
    "unknown_code_rate": 0.05,
    "slow_rate": 0.05,
    "slow_seconds": 0.8,
}
WINDOW = {"cap_nhat_tu": "2024-01-01T00:00:00+07:00", "cap_nhat_den": "2024-07-01T00:00:00+07:00"}


def test_every_fault_at_once_loses_and_duplicates_nothing(sim, paths) -> None:
    httpx.post(f"{sim.base_url}/_sim/faults", json={"dulich": FAULTS}).raise_for_status()
    try:
        endpoint = SourceEndpoint(sim.url("dulich"), CLIENT_ID, CLIENT_SECRET)
        with SourceClient(endpoint, timeout=0.5) as faulty:
            results = promoted(
                paths,
                dulich.run(
                    faulty,
                    paths,
                    until=datetime(2024, 7, 1),
                    since=datetime(2024, 1, 1),
                    page_size=4,
                ),
            )
        report = httpx.get(f"{sim.base_url}/_sim/dulich/report", params=WINDOW).json()
    finally:
        httpx.delete(f"{sim.base_url}/_sim/faults").raise_for_status()
    lake = lake_table(paths)
    quarantine = pa.concat_tables(
        pq.read_table(p) for p in (paths.meta / "quarantine" / "dulich__thong_ke_thang").iterdir()
    )
    # Nothing lost, nothing twice: lake + quarantine = what the source holds for the months.
    assert report["records"] == 6 * 17
    assert lake.num_rows + quarantine.num_rows == report["records"]
    keys = list(zip(lake["ky"].to_pylist(), lake["ma_dvhc"].to_pylist(), strict=True))
    assert len(set(keys)) == len(keys)
    assert sum(r.rows_loaded for r in results) == lake.num_rows
    assert sum(r.duplicates for r in results) > 0  # repeated pages were seen and skipped
    # Text where a number belongs goes to quarantine, named by row and field.
    texts = {(m["ky"], m["ma_dvhc"]) for m in report["malformed"] if m["kind"] == "text_number"}
    assert quarantine.num_rows == len(texts) > 0
    for row in quarantine.to_pylist():
        record = orjson.loads(row["record"])
        assert row["reason"].startswith(f"ky {record['ky']!r}, ma_dvhc {record['ma_dvhc']!r}")
        assert "field " in row["reason"] and "#record=" in row["raw_location"]
    # A Vietnamese-format number is read as the number it is; unknown codes land as sent.
    landed = {(r["ky"], r["ma_dvhc"]): r for r in lake.to_pylist()}
    unknown = {(u["ky"], u["ma_dvhc"]): u["sent"] for u in report["unknown_codes"]}
    for m in report["malformed"]:
        if m["kind"] == "vn_number":
            code = unknown.get((m["ky"], m["ma_dvhc"]), m["ma_dvhc"])
            if (m["ky"], m["ma_dvhc"]) not in texts:
                assert landed[(m["ky"], code)][m["field"]] == m["expected"]
    for (ky, code), sent in unknown.items():
        assert (ky, sent) in landed or (ky, code) in texts
    # Every page was really served, and the transient faults really happened on the way.
    assert all(m["served"]["distinct"] == m["records"] for m in report["months"])
    injected = report["injected"]
    for kind in ("error_5", "rate_limit", "short_page", "slow"):
        assert sum(n for k, n in injected.items() if k.startswith(kind)) > 0, (kind, injected)
