"""Expectations for a snapshot of the indicator sets (reporting / bo_chi_tieu)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

DATASET = "reporting.bo_chi_tieu"
COLUMNS = ["ma_bo_chi_tieu", "ten_bo_chi_tieu", "ma_co_quan_chu_tri", "ky_bao_cao"]
COLUMNS += ["_load_id", "_extracted_at", "_source_ref"]
ROW_ID = ("ma_bo_chi_tieu", "_source_ref")  # names a row in quarantine entries
KINDS = ["THANG", "QUY", "6THANG", "9THANG", "NAM"]


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=COLUMNS, exact_match=True, meta={"dimension": "sach"}
        ),
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta={"dimension": "du"})
            for c in ("ma_bo_chi_tieu", "ten_bo_chi_tieu", "ky_bao_cao")
        ],
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ma_bo_chi_tieu", "_load_id"], meta={"dimension": "sach"}
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="ky_bao_cao", value_set=KINDS, meta={"dimension": "dung"}
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
