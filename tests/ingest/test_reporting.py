"""The reporting connector against the simulator: exact, complete under faults, idempotent,
versions kept, the Excel drop landed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import httpx
import orjson
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest import reporting
from ingest.common.http import SourceClient
from ingest.common.ledger import Ledger
from ingest.common.parse import parse_local_time, parse_number
from ingest.common.raw import raw_path, read_pages
from ingest.common.settings import SourceEndpoint
from ingest.common.windows import Window
from simulator import reporting as sim_reporting
from simulator.clock import from_local_seconds
from tests.ingest.conftest import CLIENT_ID, CLIENT_SECRET, SEED, data_until, promoted

MARCH = Window(datetime(2024, 3, 1), datetime(2024, 4, 1))
HALF_YEAR = Window(datetime(2024, 1, 1), datetime(2024, 4, 1))
WINDOW_PARAMS = {
    "cap_nhat_tu": "2024-01-01T00:00:00+07:00",
    "cap_nhat_den": "2024-04-01T00:00:00+07:00",
}


@pytest.fixture
def rclient(sim) -> Iterator[SourceClient]:
    with SourceClient(SourceEndpoint(sim.url("reporting"), CLIENT_ID, CLIENT_SECRET), 2.0) as c:
        yield c


@pytest.fixture(scope="module")
def world():
    return sim_reporting.ReportingWorld(SEED)


def lake(paths, dataset: str) -> pa.Table:
    folder = paths.lake / "reporting" / dataset
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table()


def quarantined(paths, dataset: str) -> pa.Table:
    folder = paths.meta / "quarantine" / f"reporting__{dataset}"
    if not folder.exists():
        return pa.table({"reason": pa.array([], pa.string())})
    return ds.dataset(folder, format="parquet").to_table()


def expected(world, window: Window) -> list[dict]:
    """What the API serves for the window, from the simulator's Python API."""
    return [
        r
        for r in sim_reporting.reports(since=window.start, world=world)
        if parse_local_time(r["ngay_cap_nhat"]) < window.end
    ]


def test_a_window_lands_whole_and_exactly(rclient, paths, world) -> None:
    results = promoted(paths, reporting.load_reports(rclient, paths, MARCH))
    source = expected(world, MARCH)
    headers, figures = lake(paths, "bao_cao"), lake(paths, "so_lieu")
    assert [r.rows_loaded for r in results] == [headers.num_rows, figures.num_rows]
    assert headers.num_rows == len(source) > 20
    key = lambda r: (r["ma_bao_cao"], r["phien_ban"])  # noqa: E731
    got = sorted(headers.select(["ma_bao_cao", "phien_ban", "trang_thai"]).to_pylist(), key=key)
    assert got == sorted(
        (
            {
                "ma_bao_cao": r["ma_bao_cao"],
                "phien_ban": r["phien_ban"],
                "trang_thai": r["trang_thai"],
            }
            for r in source
        ),
        key=key,
    )
    want = sorted(
        (
            r["ma_bao_cao"],
            r["phien_ban"],
            f["ma_chi_tieu"],
            f["ma_dvhc"],
            parse_number(f["thuc_hien"]),
        )
        for r in source
        for f in r["so_lieu"]
    )
    have = sorted(
        (f["ma_bao_cao"], f["phien_ban"], f["ma_chi_tieu"], f["ma_dvhc"], f["thuc_hien"])
        for f in figures.to_pylist()
    )
    assert have == want
    assert all(
        re.search(r"#record=\d+&ma_bao_cao=.+&so_lieu=\d+$", ref)
        for ref in figures["_source_ref"].to_pylist()
    )


def test_rerunning_a_window_changes_nothing(rclient, paths) -> None:
    first = promoted(paths, reporting.load_reports(rclient, paths, MARCH))
    before = [pq.read_table(r.location).drop_columns(["_extracted_at"]) for r in first]
    second = promoted(paths, reporting.load_reports(rclient, paths, MARCH))
    after = [pq.read_table(r.location).drop_columns(["_extracted_at"]) for r in second]
    assert [r.location for r in first] == [r.location for r in second]
    assert all(a.equals(b) for a, b in zip(after, before, strict=True))
    assert len(list((paths.lake / "reporting" / "bao_cao").iterdir())) == 1


FAULTS = {
    "seed": 3,
    "error_rate": 0.1,
    "rate_limit_rate": 0.08,
    "retry_after": 0,
    "token_max_requests": 7,
    "duplicate_page_rate": 0.25,
    "short_page_rate": 0.25,
    "malformed_rate": 0.15,
    "unknown_code_rate": 0.15,
    "slow_rate": 0.04,
    "slow_seconds": 0.6,
}


def test_every_fault_at_once_loses_and_invents_nothing(sim, paths) -> None:
    http = httpx.Client(base_url=sim.base_url)
    http.post("/_sim/faults", json={"reporting": FAULTS}).raise_for_status()
    try:
        endpoint = SourceEndpoint(sim.url("reporting"), CLIENT_ID, CLIENT_SECRET)
        with SourceClient(endpoint, timeout=0.5, max_attempts=12) as c:
            results = promoted(paths, reporting.load_reports(c, paths, HALF_YEAR, page_size=40))
        window = {
            "cap_nhat_tu": "2024-01-01T00:00:00+07:00",
            "cap_nhat_den": "2024-04-01T00:00:00+07:00",
        }
        told = http.get("/_sim/reporting/report", params=window).json()
    finally:
        http.delete("/_sim/faults")
        http.close()
    headers, figures = lake(paths, "bao_cao"), lake(paths, "so_lieu")
    q_headers, q_figures = quarantined(paths, "bao_cao"), quarantined(paths, "so_lieu")
    injected = told["injected"]
    assert injected.get("short_page") and injected.get("rate_limit") and told["malformed"]
    assert told["served"]["distinct"] == told["reports"]
    assert results[0].duplicates > 0
    # Every report version and every figure: landed or quarantined, exactly once.
    assert headers.num_rows + q_headers.num_rows == told["reports"]
    assert figures.num_rows + q_figures.num_rows == told["figures"]
    bad_dates = [m for m in told["malformed"] if m["kind"] == "bad_date"]
    bad_numbers = [m for m in told["malformed"] if m["kind"] == "text_number"]
    assert q_headers.num_rows == len(bad_dates) and q_figures.num_rows == len(bad_numbers)
    keys = list(
        zip(headers["ma_bao_cao"].to_pylist(), headers["phien_ban"].to_pylist(), strict=True)
    )
    assert len(keys) == len(set(keys))
    fkeys = figures.select(["ma_bao_cao", "phien_ban", "ma_chi_tieu", "ma_dvhc"]).to_pylist()
    assert len({tuple(k.values()) for k in fkeys}) == len(fkeys)
    # Each quarantined figure is named by report, version, index and field.
    for m in bad_numbers:
        assert any(
            f"ma_bao_cao '{m['ma_bao_cao']}' phien_ban {m['phien_ban']} so_lieu[{m['index']}]"
            f": field thuc_hien" in reason
            for reason in q_figures["reason"].to_pylist()
        )
    # Unknown codes are kept (the suite flags them), unless their figure was quarantined.
    spoiled = {(m["ma_bao_cao"], m["phien_ban"], m["index"]) for m in bad_numbers}
    codes = set(figures["ma_chi_tieu"].to_pylist()) | set(figures["ma_dvhc"].to_pylist())
    kept = [
        u
        for u in told["unknown_codes"]
        if (u["ma_bao_cao"], u["phien_ban"], u["index"]) not in spoiled
    ]
    assert kept and all(u["sent"] in codes for u in kept)


def _set_clock(sim, moment: datetime) -> None:
    r = httpx.post(f"{sim.base_url}/_sim/clock", json={"as_of": moment.isoformat()}, timeout=60)
    r.raise_for_status()


def test_a_resent_report_lands_as_a_new_version(sim, rclient, paths, world) -> None:
    report = next(r for r in world.api_reports if r.life.corrected and r.period.year == 2024)
    steps = {
        (s.version, s.state): from_local_seconds(s.at).replace(tzinfo=None)
        for s in report.life.steps
    }
    returned, approved = steps[(1, "TRA_LAI")], steps[(2, "DA_DUYET")]
    first = Window(returned - timedelta(days=30), returned + timedelta(seconds=1))
    second = Window(first.end, approved + timedelta(seconds=1))
    try:
        _set_clock(sim, first.end)
        promoted(paths, reporting.load_reports(rclient, paths, first))
        _set_clock(sim, second.end)
        promoted(paths, reporting.load_reports(rclient, paths, second))
    finally:
        _set_clock(sim, datetime(2026, 11, 1))
    headers = lake(paths, "bao_cao").to_pylist()
    mine = sorted(
        (h["phien_ban"], h["trang_thai"]) for h in headers if h["ma_bao_cao"] == report.code
    )
    assert mine == [(1, "TRA_LAI"), (2, "DA_DUYET")]
    figures = [f for f in lake(paths, "so_lieu").to_pylist() if f["ma_bao_cao"] == report.code]
    v1 = {
        f["ma_chi_tieu"]: f["thuc_hien"]
        for f in figures
        if f["phien_ban"] == 1 and f["ma_dvhc"] == report.area.code
    }
    v2 = {
        f["ma_chi_tieu"]: f["thuc_hien"]
        for f in figures
        if f["phien_ban"] == 2 and f["ma_dvhc"] == report.area.code
    }
    assert v1.keys() == v2.keys() and v1 != v2  # corrected figures


def test_run_lands_the_excel_drop_and_resumes(sim, rclient, paths, world) -> None:
    drop = sim.app.state.services["reporting"].ctx.drop_dir
    httpx.post(f"{sim.base_url}/_sim/drops", timeout=60).raise_for_status()
    results = promoted(
        paths,
        reporting.run(rclient, drop, paths, until=datetime(2024, 3, 1), since=datetime(2024, 1, 1)),
    )
    assert Ledger(paths.meta).watermark("reporting", "bao_cao") == datetime(2024, 3, 1)
    files = sim_reporting.excel_files(world=world)
    excel = [r for r in results if r.dataset == "so_lieu_excel"]
    assert len(excel) == len(files) > 100
    table = lake(paths, "so_lieu_excel")
    assert table.num_rows == sum(len(f.lines) for f in files)
    want = sorted(
        (f.name, ln.ma_chi_tieu.strip(), ln.thuc_hien, ln.luy_ke) for f in files for ln in f.lines
    )
    have = sorted(
        (r["ten_tep"], r["ma_chi_tieu"], r["thuc_hien"], r["luy_ke"]) for r in table.to_pylist()
    )
    assert have == want
    # Each file's rows carry its arrival: when the simulator sent that version of the report.
    sent = {
        f.name: from_local_seconds(f.report.sent_at(f.version)).replace(tzinfo=None) for f in files
    }
    arrived = {r["ten_tep"]: r["ngay_nhan_tep"] for r in table.to_pylist()}
    assert arrived == sent
    # How far each load's data reach: a file's, to the end of its report's period (the
    # simulator's last day of it); the catalog snapshot's, the time it stands for; a window
    # of changes', its end.
    load_of = {r["ten_tep"]: r["_load_id"] for r in table.to_pylist()}
    period_end = {
        load_of[f.name]: datetime.combine(f.report.period.end + timedelta(days=1), time())
        for f in files
    }
    assert data_until(paths, "reporting", "so_lieu_excel") == period_end
    for dataset in ("bo_chi_tieu", "chi_tieu"):
        assert set(data_until(paths, "reporting", dataset).values()) == {datetime(2024, 3, 1)}
    assert sorted(data_until(paths, "reporting", "bao_cao").values()) == [
        datetime(2024, 2, 1),
        datetime(2024, 3, 1),
    ]
    # The same files again: nothing pending, nothing loaded twice.
    again = promoted(paths, reporting.run(rclient, drop, paths, until=datetime(2024, 3, 1)))
    assert [r.dataset for r in again] == ["bo_chi_tieu", "chi_tieu"]


def test_excel_faults_quarantine_the_named_cells(sim, rclient, paths, world) -> None:
    drop = sim.app.state.services["reporting"].ctx.drop_dir
    faults = {"seed": 5, "malformed_rate": 0.05, "unknown_code_rate": 0.05}
    http = httpx.Client(base_url=sim.base_url, timeout=60)
    try:
        http.post("/_sim/faults", json={"reporting": faults}).raise_for_status()
        http.post("/_sim/drops").raise_for_status()
        files = sim_reporting.excel_files(world=world, faults=faults)
        results = [
            promoted(paths, reporting.load_excel(f, paths)) for f in reporting.list_drops(drop)
        ]
    finally:
        http.delete("/_sim/faults")
        http.post("/_sim/drops")
        http.close()
    defects = [(f.name, d) for f in files for d in f.defects]
    bad = [(n, d) for n, d in defects if d["kind"] == "text_number"]
    assert bad and any(d["kind"] == "unknown_indicator" for _, d in defects)
    reasons = quarantined(paths, "so_lieu_excel")["reason"].to_pylist()
    for name, d in bad:
        assert any(f"{name}!BaoCao!{d['cell']}" in r for r in reasons), (name, d)
    bad_rows = {(n, d["row"]) for n, d in bad}
    assert sum(r.rows_quarantined for r in results) == len(bad_rows)
    assert sum(r.rows_loaded for r in results) == sum(len(f.lines) for f in files) - len(bad_rows)


def test_every_page_is_kept_as_received(rclient, paths, world) -> None:
    """The API pages of a window, byte for byte: what the source said can be read again."""
    results = reporting.load_reports(rclient, paths, MARCH, page_size=40)
    archive = raw_path(paths.lake, "reporting", "bao_cao", results[0].load_id)
    pages = list(read_pages(archive))
    assert len(pages) > 1 and all(ref.startswith("GET /api/v1/bao-cao?") for ref, _ in pages)
    received = [r for _, body in pages for r in orjson.loads(body)["data"]]
    # the API lists everything since the window's start; the window's versions are among it
    assert {(r["ma_bao_cao"], r["phien_ban"]) for r in expected(world, MARCH)} <= {
        (r["ma_bao_cao"], r["phien_ban"]) for r in received
    }
    assert len(received) == orjson.loads(pages[0][1])["total"]
    ledger = Ledger(paths.meta).entries("reporting", "bao_cao").to_pylist()
    assert {e["raw_location"] for e in ledger} == {str(archive)}
