"""Expectations for one load of graduation exam results (giaoduc / ket_qua_tot_nghiep).

Dimensions in ``meta``: đúng (dung), đủ (du), sạch (sach). Results carry no date, so the
load has no window to check. School codes are the province's (new code 56 or, for schools
of old Ninh Thuận, 58) followed by six digits; anything else is flagged.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.reference import province_unit_codes
from ingest.giaoduc.contracts import KET_QUA_TOT_NGHIEP as CONTRACT

DATASET = CONTRACT.name
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
COLUMNS = CONTRACT.columns


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    provinces = sorted(c for c in province_unit_codes(province) if len(c) == 2)
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in CONTRACT.required],
        # Two different results of one school in one load are a conflict (identical repeats
        # are skipped at ingestion): warned (đúng); dbt keeps the copy received last.
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ma_truong", "_load_id"], severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="ma_truong",
            regex=rf"^(?:{'|'.join(provinces)})\d{{6}}$",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="thi_sinh_du_thi", min_value=0, max_value=5000, meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="thi_sinh_tot_nghiep", min_value=0, meta=_m("dung")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="thi_sinh_du_thi",
            column_B="thi_sinh_tot_nghiep",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_m("dung"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
