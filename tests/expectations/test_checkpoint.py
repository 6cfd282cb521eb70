"""Loads landed together are validated together, and a failure is pinned on its own loads."""

from __future__ import annotations

from datetime import datetime

import pyarrow.parquet as pq

from expectations.checkpoint import check_loads, groups
from ingest.common.ledger import Ledger
from ingest.common.settings import WarehousePaths
from tests.expectations.test_dichvucong_ho_so import dossier, write_load

MONTHS = [(2024, m) for m in (1, 2, 3)]


def _load(paths: WarehousePaths, year: int, month: int, rows: list[dict]) -> dict:
    load_id = f"ho_so_{year}{month:02d}"
    folder = paths.lake / "dichvucong" / "ho_so" / f"load_id={load_id}"
    write_load(folder, [r | {"_load_id": load_id} for r in rows])
    return {
        "source": "dichvucong",
        "dataset": "ho_so",
        "load_id": load_id,
        "path": str(folder),
        "rows": len(rows),
        "quarantined": 0,
        "window": [datetime(year, month, 1).isoformat(), datetime(year, month + 1, 1).isoformat()],
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
    live = sorted(p.name for p in (paths.lake / "dichvucong" / "ho_so").iterdir())
    assert live == ["load_id=ho_so_202401", "load_id=ho_so_202403"]
    assert (paths.meta / "rejected" / "dichvucong__ho_so" / "load_id=ho_so_202402").is_dir()
    statuses = {
        e["load_id"]: e["status"]
        for e in Ledger(paths.meta).entries("dichvucong", "ho_so").to_pylist()
    }
    assert statuses == {"ho_so_202402": "rejected"}
    quarantined = pq.read_table(
        paths.meta / "quarantine" / "dichvucong__ho_so" / "ho_so_202402__checks.parquet"
    ).to_pylist()
    # The whole load (none of its rows was loaded), then the row that failed, by its check.
    assert [q["load_id"] for q in quarantined] == ["ho_so_202402"] * 2
    assert "cả 5 dòng" in quarantined[0]["reason"]
    assert rows[(2024, 2)][3]["MaHoSo"] in quarantined[1]["record"]
    # One validation for the three loads, over the span of their windows.
    results = list((paths.meta / "dq_results" / "dichvucong.ho_so").glob("*.parquet"))
    assert [p.stem for p in results] == ["ho_so_202401..ho_so_202403"]


def test_a_table_level_failure_rejects_every_load_of_the_group(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    loads = [_load(paths, y, m, _month_rows(y, m)) for y, m in MONTHS]
    # A source that changed its schema: a load with an extra column.
    extra = pq.read_table(
        next((paths.lake / "dichvucong" / "ho_so").glob("load_id=ho_so_202403/*.parquet"))
    )
    pq.write_table(
        extra.append_column("CotMoi", extra["MaHoSo"]),
        next((paths.lake / "dichvucong" / "ho_so").glob("load_id=ho_so_202403/*.parquet")),
    )
    failures = check_loads(loads, paths, "test-run", "56")
    assert failures
    assert not list((paths.lake / "dichvucong" / "ho_so").glob("load_id=*"))


def test_clean_loads_pass_and_clear_earlier_check_quarantine(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    stale = paths.meta / "quarantine" / "dichvucong__ho_so" / "ho_so_202401__checks.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from a run that rejected it")
    loads = [_load(paths, y, m, _month_rows(y, m)) for y, m in MONTHS]
    assert check_loads(loads, paths, "test-run", "56") == []
    assert not stale.exists()
    assert len(list((paths.lake / "dichvucong" / "ho_so").glob("load_id=*"))) == 3
