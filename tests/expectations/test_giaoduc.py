"""The education suites, run by the real Great Expectations on clean and spoiled loads."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import suites
from expectations.validate import ValidationFailed, Validator, gate
from ingest.common.lake import with_load_columns
from ingest.common.parse import parse_local_time
from ingest.giaoduc.contracts import EXAM_SCHEMA, SCHOOL_SCHEMA
from simulator.clock import local_seconds
from simulator.giaoduc import EducationWorld

WINDOW = ["2023-09-01T00:00:00", "2024-09-01T00:00:00"]
LOAD = {"_load_id": "L1", "_extracted_at": datetime(2024, 8, 1), "_source_ref": "GET #record=0"}


@pytest.fixture(scope="module")
def world() -> EducationWorld:
    return EducationWorld(56)


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("docs"), run_id="test")


def schools(world: EducationWorld, start: int = 2023) -> list[dict]:
    rows = world.served(start, local_seconds(datetime(start + 1, 8, 1)))
    return [r | {"ngay_cap_nhat": parse_local_time(r["ngay_cap_nhat"])} | LOAD for r in rows]


def exams(world: EducationWorld, year: int = 2024) -> list[dict]:
    return [r | LOAD for r in world.exam_results(year)]


def run(validator, tmp_path, dataset: str, schema: pa.Schema, rows, window=None) -> dict:
    folder = tmp_path / dataset
    folder.mkdir(parents=True)
    pq.write_table(
        pa.Table.from_pylist(rows, with_load_columns(schema)), folder / "part-00000.parquet"
    )
    source, name = dataset.split(".")
    suite = suites.suite_for(source, name, "56")
    results = validator.validate(dataset, "L1", folder, suite, suites.parameters(window))
    return {r.check_name: r for r in results}


def failing(results: dict) -> dict[str, tuple[str, str, int]]:
    return {
        name.split("(")[1].rstrip(")"): (r.dimension, r.status, r.rows_failed)
        for name, r in results.items()
        if r.status != "pass"
    }


def test_clean_school_years_pass_before_and_after_the_reform(validator, tmp_path, world) -> None:
    for start in (2023, 2025):
        window = [f"{start}-09-01T00:00:00", f"{start + 1}-09-01T00:00:00"]
        results = run(
            validator,
            tmp_path / str(start),
            "giaoduc.truong",
            SCHOOL_SCHEMA,
            schools(world, start),
            window,
        )
        assert len(results) > 15 and not failing(results)


def test_clean_exam_results_pass(validator, tmp_path, world) -> None:
    results = run(validator, tmp_path, "giaoduc.ket_qua_tot_nghiep", EXAM_SCHEMA, exams(world))
    assert len(results) > 5 and not failing(results)


def test_school_defects_are_caught_under_their_dimension(validator, tmp_path, world) -> None:
    rows = schools(world)[:50]
    rows[1] |= {"ma_dvhc": "99001"}  # unknown commune: warning
    rows[2] |= {"so_hoc_sinh_nu": rows[2]["so_hoc_sinh"] + 1}  # more girls than pupils
    rows[3] |= {"cap_hoc": "DH"}  # not a school level
    rows[4] |= {"ngay_cap_nhat": datetime(2023, 8, 1)}  # before the school year began
    # a school twice with one update time: a conflict (warning, đúng)
    rows[5] |= {k: rows[6][k] for k in ("ma_truong", "ngay_cap_nhat")}
    rows[7] |= {"so_giao_vien": None}  # missing count is allowed, flagged nowhere
    results = run(validator, tmp_path, "giaoduc.truong", SCHOOL_SCHEMA, rows, WINDOW)
    assert failing(results) == {
        "column=ma_dvhc": ("dung", "warn", 1),
        "column_A=so_hoc_sinh, column_B=so_hoc_sinh_nu": ("dung", "fail", 1),
        "column=cap_hoc": ("dung", "fail", 1),
        "column=ngay_cap_nhat": ("song", "fail", 1),
        "column_list=['ma_truong', 'ngay_cap_nhat', '_load_id']": ("dung", "warn", 2),
    }
    with pytest.raises(ValidationFailed, match="so_hoc_sinh_nu"):
        gate(list(results.values()), "giaoduc.truong", "L1")


def test_exam_defects_are_caught_under_their_dimension(validator, tmp_path, world) -> None:
    rows = exams(world)
    rows[0] |= {"thi_sinh_tot_nghiep": rows[0]["thi_sinh_du_thi"] + 3}  # more passed than sat
    rows[1] |= {"ma_truong": "99123456"}  # not a school of the province: warning
    rows[2] |= {"thi_sinh_du_thi": None}  # missing: đủ
    results = run(validator, tmp_path, "giaoduc.ket_qua_tot_nghiep", EXAM_SCHEMA, rows)
    assert failing(results) == {
        "column_A=thi_sinh_du_thi, column_B=thi_sinh_tot_nghiep": ("dung", "fail", 1),
        "column=ma_truong": ("dung", "warn", 1),
        "column=thi_sinh_du_thi": ("du", "fail", 1),
    }
