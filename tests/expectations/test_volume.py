"""Plausibility against history: a load far smaller than the ones before it is flagged."""

from __future__ import annotations

import pyarrow.parquet as pq

from expectations.checkpoint import check_loads
from ingest.common import lifecycle
from ingest.common.settings import WarehousePaths
from tests.expectations.test_checkpoint import _load, _month_rows


def _landed(paths: WarehousePaths, year: int, month: int, rows: int) -> dict:
    return _load(paths, year, month, _month_rows(year, month, rows))


def test_a_month_with_a_fraction_of_the_usual_volume_is_flagged(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    for month in range(1, 10):  # history: 20 dossier records a month, live
        lifecycle.promote(paths, _landed(paths, 2023, month, 20))
    usual = _landed(paths, 2023, 10, 18)
    thin = _landed(paths, 2023, 11, 6)  # a source that lost two thirds of the month

    assert check_loads([usual, thin], paths, "test-run", "56") == []  # a warning publishes

    results = pq.read_table(
        paths.meta
        / "dq_results"
        / "dichvucong.ho_so"
        / "volume__ho_so_202310..ho_so_202311.parquet"
    ).to_pylist()
    [check] = results
    assert check["check_name"] == "expect_column_values_to_be_between(column=ratio_to_history)"
    assert (check["dimension"], check["status"], check["severity"]) == ("du", "warn", "warning")
    assert (check["rows_checked"], check["rows_failed"]) == (2, 1)


def test_no_history_no_volume_check(tmp_path) -> None:
    paths = WarehousePaths(tmp_path)
    first = _landed(paths, 2023, 1, 20)
    assert check_loads([first], paths, "test-run", "56") == []
    assert not list((paths.meta / "dq_results" / "dichvucong.ho_so").glob("volume__*"))
