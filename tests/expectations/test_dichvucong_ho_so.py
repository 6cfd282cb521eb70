"""The dossier suite, run by the real Great Expectations on a hand-made load."""

from __future__ import annotations

from datetime import datetime

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations import suites
from expectations.validate import ValidationFailed, Validator, _batches, gate, quarantine_rows
from ingest.common.lake import with_load_columns
from ingest.dichvucong.contracts import DOSSIER_SCHEMA

WINDOW = ["2024-03-01T00:00:00", "2024-04-01T00:00:00"]
TOKEN = "0123456789abcdef0123456789abcdef"


def dossier(n: int, **changes) -> dict:
    row = {
        "MaHoSo": f"H56-{n:05d}",
        "MaTTHC": "1.001",
        "TenTTHC": "Đăng ký khai sinh",
        "MaLinhVuc": "HT",
        "TenLinhVuc": "Hộ tịch",
        "MaCoQuan": "SO_TP",
        "CapThucHien": "TINH",
        "MaDVHC": "56",
        "KenhNop": "TRUC_TUYEN",
        "MucDo": "TOAN_TRINH",
        "NgayTiepNhan": datetime(2024, 3, 2, 8),
        "NgayHenTra": datetime(2024, 3, 9, 17),
        "NgayKetThucXuLy": datetime(2024, 3, 5, 10),
        "NgayTraKetQua": datetime(2024, 3, 5, 11),
        "TrangThai": "DA_TRA_KET_QUA",
        "ThanhToanTrucTuyen": True,
        "PhiLePhi": 8000,
        "DaSoHoa": True,
        "DanhGiaHaiLong": 5,
        "ChuHoSoHash": TOKEN,
        "NgayCapNhat": datetime(2024, 3, 5, 11),
        "_load_id": "L1",
        "_extracted_at": datetime(2024, 4, 1),
        "_source_ref": "GET /api/v1/ho-so?page=1",
    }
    return row | changes


def write_load(folder, rows) -> None:
    folder.mkdir(parents=True)
    pq.write_table(
        pa.Table.from_pylist(rows, with_load_columns(DOSSIER_SCHEMA)), folder / "part-00000.parquet"
    )


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("docs"), run_id="test")


def run(validator: Validator, tmp_path, rows):
    write_load(tmp_path / "load", rows)
    suite = suites.suite_for("dichvucong", "ho_so", "56")
    results = validator.validate(
        "dichvucong.ho_so",
        "L1",
        tmp_path / "load",
        suite,
        suites.parameters(WINDOW),
        suites.row_id("dichvucong", "ho_so"),
    )
    return {r.check_name: r for r in results}


def test_a_clean_load_passes_every_check(validator, tmp_path) -> None:
    results = run(validator, tmp_path, [dossier(i) for i in range(20)])
    assert results and all(r.status == "pass" for r in results.values()), [
        (k, r.details) for k, r in results.items() if r.status != "pass"
    ]
    gate(list(results.values()), "dichvucong.ho_so", "L1")  # does not raise


def test_defects_are_reported_under_their_dimension_and_severity(validator, tmp_path) -> None:
    rows = [dossier(i) for i in range(10)]
    rows[1] |= {"MaDVHC": "99999"}  # unknown unit: warning, đúng
    rows[2] |= {"TrangThai": "XONG"}  # not a state: critical, đúng
    rows[3] |= {"NgayKetThucXuLy": datetime(2024, 3, 1)}  # resolved before received: warning
    rows[4] |= {"NgayCapNhat": datetime(2024, 5, 1)}  # outside the load's window: sống
    rows[5] |= {"ChuHoSoHash": "Nguyễn Văn A"}  # personal data in clear text: critical
    rows[6] |= {"MaHoSo": rows[7]["MaHoSo"]}  # repeated (MaHoSo, NgayCapNhat): sạch
    results = run(validator, tmp_path, rows)
    by_rule = {
        (name.split("(")[0], name.split("(")[1].split(")")[0]): r for name, r in results.items()
    }

    def check(rule: str, column: str, dimension: str, status: str, failed: int = 1) -> None:
        r = by_rule[(rule, column)]
        assert (r.dimension, r.status, r.rows_failed) == (dimension, status, failed), r

    check("expect_column_values_to_be_in_set", "column=MaDVHC", "dung", "warn")
    check("expect_column_values_to_be_in_set", "column=TrangThai", "dung", "fail")
    check(
        "expect_column_pair_values_a_to_be_greater_than_b",
        "column_A=NgayKetThucXuLy, column_B=NgayTiepNhan",
        "dung",
        "warn",
    )
    check("expect_column_values_to_be_between", "column=NgayCapNhat", "song", "fail")
    check("expect_column_values_to_match_regex", "column=ChuHoSoHash", "dung", "fail")
    check(
        "expect_compound_columns_to_be_unique",
        "column_list=['MaHoSo', 'NgayCapNhat', '_load_id']",
        "sach",
        "fail",
        failed=2,
    )
    with pytest.raises(ValidationFailed, match="TrangThai"):
        gate(list(results.values()), "dichvucong.ho_so", "L1")

    # The rows that failed blocking checks are named for the quarantine; warnings publish.
    entries = quarantine_rows(list(results.values()), "dichvucong.ho_so", "L1", tmp_path / "load")
    named = {
        (e["reason"].split("(")[1].split(")")[0], orjson.loads(e["record"])["MaHoSo"])
        for e in entries
    }
    assert named == {
        ("column=TrangThai", rows[2]["MaHoSo"]),
        ("column=NgayCapNhat", rows[4]["MaHoSo"]),
        ("column=ChuHoSoHash", rows[5]["MaHoSo"]),
        ("column_list=['MaHoSo', 'NgayCapNhat', '_load_id']", rows[7]["MaHoSo"]),
    }
    assert all(e["load_id"] == "L1" and e["dataset"] == "ho_so" for e in entries)
    assert all(str(tmp_path / "load") in e["raw_location"] for e in entries)
    assert "XONG" in " ".join(e["record"] for e in entries)  # the bad value is shown...
    assert "Nguyễn" not in " ".join(e["record"] for e in entries)  # ...unless it is personal


def test_results_are_written_for_the_dq_schema(validator, tmp_path) -> None:
    results = run(validator, tmp_path, [dossier(i) for i in range(3)])
    path = validator.write(list(results.values()), "dichvucong.ho_so", "L1", tmp_path / "meta")
    table = pq.read_table(path)
    assert table.num_rows == len(results)
    assert set(table["dimension"].to_pylist()) <= {"dung", "du", "sach", "song"}
    assert set(table["status"].to_pylist()) == {"pass"}


def test_dates_reach_great_expectations_in_nanoseconds(tmp_path) -> None:
    # GE checks a range on a datetime64[ns] column in one vectorised step, on any other unit
    # value by value in Python (half the validation of a month at SF10: benchmarks/README.md)
    write_load(tmp_path / "load", [dossier(i) for i in range(3)])
    frame = next(_batches([tmp_path / "load"]))
    assert str(frame["NgayCapNhat"].dtype) == "datetime64[ns]"
    assert frame["NgayCapNhat"].iloc[0] == datetime(2024, 3, 5, 11)


def test_a_date_beyond_the_nanosecond_range_is_checked_not_fatal(validator, tmp_path) -> None:
    # a hand-made export's year 9999 does not fit pandas' nanoseconds: the frame keeps the
    # lake's units, and the checks give the same verdicts, the row named for the quarantine
    rows = [dossier(i) for i in range(5)]
    rows[3] |= {"NgayCapNhat": datetime(9999, 12, 31, 23, 59)}
    results = run(validator, tmp_path, rows)
    window = results["expect_column_values_to_be_between(column=NgayCapNhat)"]
    assert (window.status, window.rows_checked, window.rows_failed) == ("fail", 5, 1)
    others = [r for name, r in results.items() if "NgayCapNhat)" not in name]
    assert all(r.status == "pass" for r in others), [(r.check_name, r.details) for r in others]
    entries = quarantine_rows([window], "dichvucong.ho_so", "L1", tmp_path / "load")
    assert [orjson.loads(e["record"])["MaHoSo"] for e in entries] == [rows[3]["MaHoSo"]]
    assert "9999-12-31" in entries[0]["record"]
