"""Expectations for one dropped Excel report (reporting / so_lieu_excel): one row per data
row of the file's ``BaoCao`` sheet. A file has no window: no freshness check here (dbt keeps
the newest file per unit, set and period)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.suite_bao_cao import KINDS
from ingest.reporting.suite_so_lieu import codes_and_values

DATASET = "reporting.so_lieu_excel"
COLUMNS = [
    "ten_tep",
    "ngay_nhan_tep",
    "ma_don_vi",
    "ma_bo_chi_tieu",
    "ky_loai",
    "ky_nam",
    "ky_so",
    "ma_dvhc",
]
COLUMNS += ["stt", "ma_chi_tieu", "ten_chi_tieu", "don_vi_tinh", "ke_hoach_nam", "thuc_hien"]
COLUMNS += ["luy_ke", "so_cung_ky_pct", "ghi_chu", "_load_id", "_extracted_at", "_source_ref"]
REQUIRED = ["ten_tep", "ngay_nhan_tep", "ma_don_vi", "ma_bo_chi_tieu", "ky_loai", "ky_nam", "ky_so"]
REQUIRED += ["ma_dvhc", "ma_chi_tieu"]
ROW_ID = ("ten_tep", "ma_chi_tieu", "_source_ref")  # names a row in quarantine entries


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ten_tep", "ma_chi_tieu", "_load_id"], meta=_m("sach")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="ma_chi_tieu", regex=r"^\S+$", meta=_m("sach")),
        gxe.ExpectColumnValuesToBeInSet(column="ky_loai", value_set=KINDS, meta=_m("dung")),
        gxe.ExpectColumnValuesToBeBetween(
            column="ky_so", min_value=1, max_value=12, meta=_m("dung")
        ),
        *codes_and_values(province),
        gxe.ExpectColumnValuesToBeBetween(
            column="so_cung_ky_pct",
            min_value=0,
            max_value=10_000,
            severity="warning",
            meta=_m("dung"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
