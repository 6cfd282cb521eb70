"""Records that come again, through the tourism and education connectors (issue 15): every
version lands in the lake (dbt chooses), an identical copy is a repeat (skipped, counted), a
late correction of a pre-reform school year lands as sent, and every page is kept as received
so a load can be parsed again. What the source sent is recomputed with the simulator's own
functions (simulator/dulich/versions.py, simulator/giaoduc/corrections.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import httpx
import orjson
import pyarrow.dataset as ds
import pytest

from ingest import dulich, giaoduc
from ingest.common.http import SourceClient
from ingest.common.parse import parse_local_time
from ingest.common.raw import ReplayClient, raw_path, read_pages
from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.dulich.listing import LoadSpec, load_listing
from simulator.app import Settings
from simulator.clock import AS_OF_SEC, local_seconds
from simulator.dulich import TourismWorld
from simulator.dulich.service import RULES
from simulator.dulich.versions import with_versions
from simulator.faults import FaultConfig
from simulator.giaoduc import EducationWorld
from simulator.giaoduc.corrections import LATE_AT, late_corrections
from simulator.giaoduc.service import SCHOOL_RULES
from simulator.runner import RunningSimulator, run_in_thread
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, SCALE, SEED, promoted

VERSIONS = {
    "seed": 7,
    "revision_rate": 0.3,
    "stale_copy_rate": 0.2,
    "repeat_rate": 0.2,
    "conflict_rate": 0.1,
    "late_correction_rate": 0.05,
}


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    settings = Settings(
        CLIENT_ID, CLIENT_SECRET, seed=SEED, scale=SCALE, sources=("dulich", "giaoduc")
    )
    with run_in_thread(settings) as running:
        faults = {"dulich": VERSIONS, "giaoduc": VERSIONS}
        httpx.post(f"{running.base_url}/_sim/faults", json=faults).raise_for_status()
        yield running


def client_of(sim: RunningSimulator, source: str) -> SourceClient:
    return SourceClient(SourceEndpoint(sim.url(source), CLIENT_ID, CLIENT_SECRET), 5.0)


def typed(row: dict, time_field: str) -> dict:
    return row | {time_field: parse_local_time(row[time_field])}


def load_rows(paths: WarehousePaths, source: str, dataset: str, load_id: str) -> list[dict]:
    folder = paths.lake / source / dataset / f"load_id={load_id}"
    return ds.dataset(folder).to_table().drop_columns(["_extracted_at"]).to_pylist()


def test_every_version_lands_and_a_repeat_is_skipped(sim, paths) -> None:
    moment = datetime(2024, 10, 1)
    sim.app.state.services["dulich"].ctx.clock.set(local_seconds(moment))
    try:
        with client_of(sim, "dulich") as c:
            results = promoted(
                paths, dulich.run(c, paths, moment, datetime(2024, 1, 1), page_size=4)
            )
    finally:
        sim.app.state.services["dulich"].ctx.clock.set(AS_OF_SEC)
    cfg = FaultConfig.from_dict(VERSIONS)
    world, as_of = TourismWorld(SEED), local_seconds(moment)
    repeats = 0
    for r in results:
        month = r.window.start
        listed = world.served(month.year, month.month, as_of)
        sent = with_versions(listed, RULES.versions, cfg, as_of)
        distinct = {orjson.dumps(x, option=orjson.OPT_SORT_KEYS): x for x in sent}
        repeats += len(sent) - len(distinct)
        got = load_rows(paths, "dulich", "thong_ke_thang", r.load_id)
        columns = dulich.contracts.MONTHLY_SCHEMA.names
        assert sorted(orjson.dumps({k: g[k] for k in columns}, option=orjson.OPT_SORT_KEYS,
                                    default=str) for g in got) == sorted(
            orjson.dumps(typed(x, "ngay_cong_bo"), option=orjson.OPT_SORT_KEYS, default=str)
            for x in distinct.values()
        )  # fmt: skip
        assert r.rows_in == len(sent)
    assert sum(r.duplicates for r in results) == repeats > 0
    # Several versions of one figure within a load: more rows than figures.
    keys = {(g["ky"], g["ma_dvhc"]) for r in results for g in load_rows(
        paths, "dulich", "thong_ke_thang", r.load_id)}  # fmt: skip
    assert sum(r.rows_loaded for r in results) > len(keys)


def test_every_page_is_kept_as_received_and_parses_again(sim, paths, tmp_path) -> None:
    with client_of(sim, "dulich") as c:
        result = promoted(
            paths, dulich.load_month(c, paths, datetime(2025, 3, 1), datetime(2025, 6, 1), 4)
        )
    archive = raw_path(paths.lake, "dulich", "thong_ke_thang", result.load_id)
    pages = list(read_pages(archive))
    assert len(pages) >= 17 // 4 and all(
        ref.startswith("GET /api/v1/thong-ke-thang?") for ref, _ in pages
    )
    assert sum(len(orjson.loads(body)["data"]) for _, body in pages) >= result.rows_in
    # The same connector code on the archive lands the same rows.
    again = WarehousePaths(tmp_path / "replayed")
    spec = LoadSpec(
        result.load_id, {}, dulich.month_window(datetime(2025, 3, 1)), datetime(2025, 6, 1)
    )
    promoted(again, load_listing(ReplayClient(archive), again, dulich.LISTING, spec, 4))

    def rows(p: WarehousePaths) -> list[dict]:
        return sorted(load_rows(p, "dulich", "thong_ke_thang", result.load_id), key=str)

    assert rows(again) == rows(paths) and rows(paths)


def test_a_late_correction_lands_with_todays_code_and_time(sim, paths) -> None:
    moment = datetime(2025, 8, 1)
    sim.app.state.services["giaoduc"].ctx.clock.set(local_seconds(moment))
    try:
        with client_of(sim, "giaoduc") as c:
            result = promoted(paths, giaoduc.load_school_year(c, paths, 2024, moment))
    finally:
        sim.app.state.services["giaoduc"].ctx.clock.set(AS_OF_SEC)
    cfg = FaultConfig.from_dict(VERSIONS)
    world, as_of = EducationWorld(SEED), local_seconds(moment)
    listed = world.served(2024, as_of)
    corrected = with_versions(
        late_corrections(world, 2024, listed, cfg, as_of), SCHOOL_RULES.versions, cfg, as_of
    )  # late corrections, then the copies the other faults add
    late = [r for r in corrected if r["ngay_cap_nhat"].startswith(LATE_AT.date().isoformat())]
    assert late and len({r["ma_truong"] for r in late}) < 0.2 * len(listed)
    got = load_rows(paths, "giaoduc", "truong", result.load_id)
    landed = {
        (g["ma_truong"], g["ma_dvhc"], g["so_hoc_sinh"]) for g in got
        if g["ngay_cap_nhat"] == LATE_AT
    }  # fmt: skip
    assert landed == {(r["ma_truong"], r["ma_dvhc"], r["so_hoc_sinh"]) for r in late}
