"""The tourism suite, run by the real Great Expectations on clean and spoiled loads."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import suites
from expectations.validate import ValidationFailed, Validator, gate
from ingest.common.lake import with_load_columns
from ingest.common.parse import parse_local_time
from ingest.dulich.contracts import MONTHLY_SCHEMA
from simulator.dulich import OFFICIAL, TourismWorld

WINDOW = ["2024-03-01T00:00:00", "2024-04-01T00:00:00"]
DATASET = "dulich.thong_ke_thang"


def clean_rows(year: int = 2024, month: int = 3) -> list[dict]:
    """A month as the simulator publishes it, typed as the connector lands it."""
    return [
        r
        | {
            "ngay_cong_bo": parse_local_time(r["ngay_cong_bo"]),
            "_load_id": "L1",
            "_extracted_at": datetime(2024, 6, 1),
            "_source_ref": f"GET /api/v1/thong-ke-thang?nam=2024&thang=3#record={i}",
        }
        for i, r in enumerate(TourismWorld(56).rows(year, month, OFFICIAL))
    ]


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("docs"), run_id="test")


def run(validator: Validator, tmp_path, rows, window=WINDOW):
    folder = tmp_path / "load"
    folder.mkdir()
    table = pa.Table.from_pylist(rows, with_load_columns(MONTHLY_SCHEMA))
    pq.write_table(table, folder / "part-00000.parquet")
    suite = suites.suite_for("dulich", "thong_ke_thang", "56")
    results = validator.validate(DATASET, "L1", folder, suite, suites.parameters(window))
    return {r.check_name: r for r in results}


def test_a_clean_month_passes_every_check(validator, tmp_path) -> None:
    results = run(validator, tmp_path, clean_rows())
    assert len(results) > 15
    assert all(r.status == "pass" for r in results.values()), [
        (k, r.details) for k, r in results.items() if r.status != "pass"
    ]


def test_a_clean_month_after_the_reform_passes(validator, tmp_path) -> None:
    window = ["2025-08-01T00:00:00", "2025-09-01T00:00:00"]
    results = run(validator, tmp_path, clean_rows(2025, 8), window)
    assert all(r.status == "pass" for r in results.values())


def test_defects_are_reported_under_their_dimension_and_severity(validator, tmp_path) -> None:
    rows = clean_rows()
    rows[1] |= {"ma_dvhc": "99123"}  # unknown unit: warning, đúng
    rows[2] |= {"tong_luot_khach": rows[2]["tong_luot_khach"] + 7}  # parts do not add up
    rows[3] |= {"cong_suat_phong_pct": 130.0}  # occupancy over 100 %: critical
    rows[4] |= {"loai_so_lieu": "DU_BAO"}  # not a kind of figure: critical
    rows[5] |= {"ngay_cong_bo": datetime(2024, 2, 20)}  # published before its month: sống
    # another figure with the same publication time: a conflict (warning, đúng)
    rows[6] |= {k: rows[7][k] for k in ("ky", "ma_dvhc", "ngay_cong_bo")}
    rows[8] |= {"khach_luu_tru": rows[8]["tong_luot_khach"] + 1}  # more stayed than came
    results = run(validator, tmp_path, rows)
    by_rule = {
        (name.split("(")[0], name.split("(")[1].split(")")[0]): r for name, r in results.items()
    }

    def check(rule: str, args: str, dimension: str, status: str, failed: int = 1) -> None:
        r = by_rule[(rule, args)]
        assert (r.dimension, r.status, r.rows_failed) == (dimension, status, failed), r

    check("expect_column_values_to_be_in_set", "column=ma_dvhc", "dung", "warn")
    check(
        "expect_first_column_to_be_sum_of_rest",
        "column_list=['tong_luot_khach', 'khach_quoc_te', 'khach_noi_dia']",
        "dung",
        "warn",
    )
    check("expect_column_values_to_be_between", "column=cong_suat_phong_pct", "dung", "fail")
    check("expect_column_values_to_be_in_set", "column=loai_so_lieu", "dung", "fail")
    check("expect_column_values_to_be_between", "column=ngay_cong_bo", "song", "fail")
    check(
        "expect_compound_columns_to_be_unique",
        "column_list=['ky', 'ma_dvhc', 'loai_so_lieu', 'ngay_cong_bo', '_load_id']",
        "dung",
        "warn",
        failed=2,
    )
    check(
        "expect_column_pair_values_a_to_be_greater_than_b",
        "column_A=tong_luot_khach, column_B=khach_luu_tru",
        "dung",
        "warn",
    )
    with pytest.raises(ValidationFailed, match="cong_suat_phong_pct"):
        gate(list(results.values()), DATASET, "L1")
