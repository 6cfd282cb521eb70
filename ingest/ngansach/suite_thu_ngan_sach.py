"""Expectations for one load of budget revenue (ngansach / thu_ngan_sach): one CSV export.

A load's window runs from 1 January of the file's year to the end of its month: a file
carries its own month and, restated, earlier months of the same year. Dimensions as in
``dichvucong_ho_so``: đúng (dung), đủ (du), sạch (sach), sống (song).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.reference import province_unit_codes
from ingest.ngansach.contracts import THU_NGAN_SACH as CONTRACT

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
KEY = list(CONTRACT.key)
ROW_ID = (*KEY, "_source_ref")  # names a row in quarantine entries
LEVELS = list(CONTRACT.codes["cap_ngan_sach"])
GROUPS = list(CONTRACT.codes["ma_nhom_thu"])
BEFORE_REFORM = r"^(?:202[0-4]-\d\d|2025-0[1-6])$"  # districts exist until 2025-06-30
MAX_AMOUNT = 1_000_000_000  # million VND: a thousand trillion, far above any province


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    """The suite; a load's window comes in as ``window_start``/``window_end``."""
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        # Another version of a figure (a newer ngay_lap) is kept, dbt takes the newest; two
        # different lines with one ngay_lap (or one line twice) in a file: warned (đúng).
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*KEY, "ngay_lap", "_load_id"], severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeInSet(column="cap_ngan_sach", value_set=LEVELS, meta=_m("dung")),
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_nhom_thu", value_set=GROUPS, severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_dvhc",
            value_set=province_unit_codes(province),
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="ky",
            regex=BEFORE_REFORM,
            row_condition=Column("cap_ngan_sach") == "HUYEN",
            severity="warning",
            meta=_m("dung", rule="no district budgets after the 2025-07-01 reform"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="luy_ke_thuc_hien", min_value=0, max_value=MAX_AMOUNT, meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="du_toan_nam",
            min_value=0,
            max_value=MAX_AMOUNT,
            severity="warning",
            meta=_m("dung"),
        ),
        # ky is the file's month or an earlier month of the same year.
        gxe.ExpectColumnValuesToBeBetween(
            column="ky_thang",
            min_value={"$PARAMETER": "window_start"},
            max_value={"$PARAMETER": "window_end"},
            strict_max=True,
            meta=_m("song"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
