"""Loads landed together are validated together, a failure is pinned on its own loads, and
only what passed enters the live lake: a load that quarantined too much fails loudly, a
validation that breaks off leaves nothing unchecked live."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from expectations import steward
from expectations.checkpoint import Failure, check_loads, groups, headline
from ingest.common import lifecycle
from ingest.common.lake import staged_dir
from ingest.common.ledger import Ledger, LedgerEntry
from ingest.common.settings import WarehousePaths
from tests.expectations.test_dichvucong_ho_so import dossier, write_load

MONTHS = [(2024, m) for m in (1, 2, 3)]


def _load(
    paths: WarehousePaths,
    year: int,
    month: int,
    rows: list[dict],
    unread: list[dict] | None = None,
    started: datetime | None = None,
) -> dict:
    """A load as a connector leaves it: staged, its unreadable rows quarantined, landed."""
    load_id = f"ho_so_{year}{month:02d}"
    folder = staged_dir(paths.lake, "dichvucong", "ho_so", load_id)
    write_load(folder, [r | {"_load_id": load_id} for r in rows])
    start, end = datetime(year, month, 1), datetime(year, month + 1, 1)
    started = started or end
    unread = unread or []
    entry = LedgerEntry(load_id, "dichvucong", "ho_so", start, end, started, started)
    entry.rows_in, entry.rows_loaded, entry.rows_quarantined = (
        len(rows) + len(unread),
        len(rows),
        len(unread),
    )
    entry.raw_location = str(folder)
    lifecycle.settle(paths.meta, entry, unread)
    return {
        "source": "dichvucong",
        "dataset": "ho_so",
        "load_id": load_id,
        "path": str(folder),
        "rows": len(rows),
        "quarantined": len(unread),
        "window": [start.isoformat(), end.isoformat()],
        "started_at": started.isoformat(),
    }


def _month_rows(year: int, month: int, n: int = 5) -> list[dict]:
    at = datetime(year, month, 3, 9)
    return [
        dossier(
            month * 100 + i,
            NgayTiepNhan=at,
            NgayHenTra=datetime(year, month, 20),
            NgayKetThucXuLy=at,
            NgayTraKetQua=at,
            NgayCapNhat=at,
        )
        for i in range(n)
    ]


def test_small_loads_are_packed_per_dataset_up_to_the_batch_size() -> None:
    loads = [
        {"source": "s", "dataset": d, "load_id": f"{d}{i}", "rows": 40, "window": None}
        for i in range(5)
        for d in ("a", "b")
    ]
    packed = list(groups(loads, max_rows=100))
    sizes = [(g.dataset, len(g.loads)) for g in packed]
    assert sizes == [("a", 2), ("a", 2), ("a", 1), ("b", 2), ("b", 2), ("b", 1)]
    assert packed[0].label == "a0..a1" and packed[2].label == "a4"


def test_a_blocking_failure_rejects_only_the_load_its_rows_came_from(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    rows = {m: _month_rows(*m) for m in MONTHS}
    rows[(2024, 2)][3] |= {"TrangThai": "XONG"}  # not a state: blocking, in February only
    loads = [_load(paths, y, m, rows[(y, m)]) for y, m in MONTHS]

    failures = check_loads(loads, paths, "test-run", "56")

    assert len(failures) == 1 and "TrangThai" in failures[0]
    # what the operator reads first: the source, the dataset and the one load rejected
    assert headline(failures) == "validation failed: dichvucong (ho_so: ho_so_202402)"
    live = sorted(p.name for p in (paths.lake / "dichvucong" / "ho_so").iterdir())
    assert live == ["load_id=ho_so_202401", "load_id=ho_so_202403"]
    assert (paths.meta / "rejected" / "dichvucong__ho_so" / "load_id=ho_so_202402").is_dir()
    statuses = {
        e["load_id"]: e["status"]
        for e in Ledger(paths.meta).entries("dichvucong", "ho_so").to_pylist()
    }
    assert statuses == {
        "ho_so_202401": "success",
        "ho_so_202402": "rejected",
        "ho_so_202403": "success",
    }
    assert not list((paths.lake / "_staging").rglob("*.parquet"))
    quarantined = pq.read_table(
        paths.meta / "quarantine" / "dichvucong__ho_so" / "ho_so_202402__checks.parquet"
    ).to_pylist()
    # The whole load (none of its rows was loaded), then the row that failed, by its check.
    assert [q["load_id"] for q in quarantined] == ["ho_so_202402"] * 2
    assert "cả 5 dòng" in quarantined[0]["reason"]
    assert rows[(2024, 2)][3]["MaHoSo"] in quarantined[1]["record"]
    # One validation for the three loads, over the span of their windows.
    results = list((paths.meta / "dq_results" / "dichvucong.ho_so").glob("ho_so_*.parquet"))
    assert [p.stem for p in results] == ["ho_so_202401..ho_so_202403"]


def test_the_headline_names_every_failing_source_and_load() -> None:
    failures = [
        Failure("…", "reporting", "bao_cao", ["r2", "r1"]),
        Failure("…", "ngansach", "thu_ngan_sach", ["n1"]),
        Failure("…", "reporting", "chi_tieu", ["c1"]),
    ]
    assert headline(failures) == (
        "validation failed: ngansach (thu_ngan_sach: n1); reporting (bao_cao: r1, r2; chi_tieu: c1)"
    )


def test_a_table_level_failure_rejects_every_load_of_the_group(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    loads = [_load(paths, y, m, _month_rows(y, m)) for y, m in MONTHS]
    # A source that changed its schema: a load with an extra column.
    part = Path(loads[2]["path"]) / "part-00000.parquet"
    extra = pq.read_table(part)
    pq.write_table(extra.append_column("CotMoi", extra["MaHoSo"]), part)
    failures = check_loads(loads, paths, "test-run", "56")
    assert headline(failures) == (
        "validation failed: dichvucong (ho_so: ho_so_202401, ho_so_202402, ho_so_202403)"
    )
    assert not list((paths.lake / "dichvucong" / "ho_so").glob("load_id=*"))
    rejected = paths.meta / "rejected" / "dichvucong__ho_so"
    assert len(list(rejected.glob("load_id=*"))) == 3


def test_clean_loads_pass_and_clear_earlier_check_quarantine(tmp_path, caplog) -> None:
    caplog.set_level("INFO", logger="expectations.checkpoint")
    paths = WarehousePaths(tmp_path)
    stale = paths.meta / "quarantine" / "dichvucong__ho_so" / "ho_so_202401__checks.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from a run that rejected it")
    loads = [_load(paths, y, m, _month_rows(y, m)) for y, m in MONTHS]
    assert check_loads(loads, paths, "test-run", "56") == []
    assert not stale.exists()
    assert len(list((paths.lake / "dichvucong" / "ho_so").glob("load_id=*"))) == 3
    # the task's log says what was checked, how much, how long and how it went
    checked = [r.getMessage() for r in caplog.records if r.getMessage().startswith("checked")]
    assert len(checked) == 1, checked
    assert checked[0].startswith("checked dichvucong.ho_so (3 load(s), 15 rows) in ")
    assert checked[0].endswith(" s: pass")


def _unread(n: int) -> list[dict]:
    """Quarantine entries as the dossier connector writes them (the record named)."""
    return [
        {
            "load_id": "ho_so_202402",
            "dataset": "ho_so",
            "reason": f"MaHoSo 'H{i}': field PhiLePhi: {'not a number' if i % 3 else 'no date'}",
            "raw_location": f"GET /api/v1/ho-so?page=1#record={i}",
            "record": "{}",
            "quarantined_at": datetime(2024, 3, 1),
        }
        for i in range(n)
    ]


def _live_bytes(paths: WarehousePaths) -> dict[str, bytes]:
    folder = paths.lake / "dichvucong" / "ho_so"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def test_a_load_over_the_quarantine_limit_fails_loudly_and_leaves_the_live_lake(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    first = _load(paths, 2024, 2, _month_rows(2024, 2, 50))
    assert check_loads([first], paths, "run-1", "56") == []  # live, as served
    before = _live_bytes(paths)
    # February pulled again: 2 of 52 records unreadable (3.8 %), over the default 1 %.
    again = _load(paths, 2024, 2, _month_rows(2024, 2, 50), _unread(2), datetime(2024, 4, 1))
    failures = check_loads([again], paths, "run-2", "56")
    assert len(failures) == 1
    assert "2 of 52 records quarantined (3.8 %), over the limit of 1 %" in failures[0]
    assert "1 × MaHoSo …: field PhiLePhi: not a number" in failures[0]
    assert _live_bytes(paths) == before  # the served copy untouched, byte for byte
    attempts = Ledger(paths.meta).entries("dichvucong", "ho_so").sort_by("started_at")
    assert attempts["status"].to_pylist() == ["success", "failed"]
    failed = attempts.to_pylist()[1]
    assert failed["message"] == failures[0] and failed["rows_loaded"] == 0
    kept = paths.meta / "rejected" / "dichvucong__ho_so" / "load_id=ho_so_202402"
    assert pq.read_table(kept).num_rows == 50
    assert not list((paths.lake / "_staging").rglob("*.parquet"))
    shown = io.StringIO()  # what the steward reads before any refresh publishes it
    steward.blocked(paths, shown)
    assert "ho_so_202402  Lỗi" in shown.getvalue()
    assert "1 × MaHoSo …: field PhiLePhi: not a number" in shown.getvalue()
    # A steward who accepts 5 % for the source: the same records go live when pulled again.
    from expectations.quarantine_share import Limits

    limits = Limits.parse('{"dichvucong.ho_so": 5}')
    third = _load(paths, 2024, 2, _month_rows(2024, 2, 50), _unread(2), datetime(2024, 5, 1))
    assert check_loads([third], paths, "run-3", "56", limits) == []
    assert lifecycle.status(paths.meta, third) == "success"


def test_a_validation_that_breaks_off_leaves_nothing_unchecked_live(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    loads = [_load(paths, y, m, _month_rows(y, m)) for y, m in MONTHS]
    # A part that is not Parquet at all (a disk that filled up, say): reading it raises.
    (Path(loads[1]["path"]) / "part-00001.parquet").write_bytes(b"not parquet")
    with pytest.raises(Exception) as crash:
        check_loads(loads, paths, "test-run", "56")
    assert not isinstance(crash.value, AssertionError)
    assert not (paths.lake / "dichvucong").exists()  # nothing went live, not even January
    entries = Ledger(paths.meta).entries("dichvucong", "ho_so").to_pylist()
    assert {e["status"] for e in entries} == {"failed"} and len(entries) == 3
    assert all(e["message"].startswith("validation broke off: ") for e in entries)


def test_a_pass_promotes_and_a_rerun_replaces_the_load_whole(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    first = _load(paths, 2024, 1, _month_rows(2024, 1, 5))
    assert check_loads([first], paths, "run-1", "56") == []
    live = paths.lake / "dichvucong" / "ho_so" / "load_id=ho_so_202401"
    assert pq.read_table(live).num_rows == 5
    again = _load(paths, 2024, 1, _month_rows(2024, 1, 7), started=datetime(2024, 3, 1))
    assert Path(again["path"]).is_dir()
    assert pq.read_table(live).num_rows == 5  # landed, not live yet
    assert check_loads([again], paths, "run-2", "56") == []
    assert [p.name for p in (paths.lake / "dichvucong" / "ho_so").iterdir()] == [live.name]
    assert pq.read_table(live).num_rows == 7  # replaced whole, nothing twice
    statuses = Ledger(paths.meta).entries("dichvucong", "ho_so")["status"].to_pylist()
    assert statuses == ["success", "success"]
