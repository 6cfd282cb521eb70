"""Expectations for one load of schools (giaoduc / truong): one school year as listed.

Dimensions in ``meta``: đúng (dung), đủ (du), sạch (sach), sống (song). The load's window is
its school year (1 September to 1 September): no ``ngay_cap_nhat`` lies before it (a row
updated after it is a correction of a closed year, even after the 2025 reform: kept, and dbt
takes the newest).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.reference import province_unit_codes
from ingest.giaoduc.contracts import TRUONG as CONTRACT

DATASET = CONTRACT.name
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
VOLUME = (0.5, 2.0)  # schools of a school year against the years before
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
COUNTS = ["so_lop", "so_hoc_sinh", "so_hoc_sinh_nu", "so_giao_vien", "so_giao_vien_dat_chuan"]
CODE_SETS = {column: list(codes) for column, codes in CONTRACT.codes.items()}


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def _not_more(a: str, b: str) -> gxe.Expectation:
    """``b`` never exceeds ``a`` (girls <= pupils, qualified <= teachers)."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=a,
        column_B=b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        meta=_m("dung"),
    )


def build(province: str) -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        # Another version of a school's row (a newer ngay_cap_nhat) is kept, dbt takes the
        # newest; two different rows with one update time are a conflict: warned (đúng).
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ma_truong", "ngay_cap_nhat", "_load_id"],
            severity="warning",
            meta=_m("dung"),
        ),
        *[
            gxe.ExpectColumnValuesToBeInSet(column=c, value_set=v, meta=_m("dung"))
            for c, v in CODE_SETS.items()
        ],
        gxe.ExpectColumnValuesToBeInSet(
            column="ma_dvhc",
            value_set=province_unit_codes(province),
            severity="warning",
            meta=_m("dung"),
        ),
        *[
            gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, meta=_m("dung"))
            for c in COUNTS
        ],
        _not_more("so_hoc_sinh", "so_hoc_sinh_nu"),
        _not_more("so_giao_vien", "so_giao_vien_dat_chuan"),
        # Pupils per class: 25–40 is the norm; outside it is worth a look, not a block.
        _not_more("so_hoc_sinh", "so_lop"),
        gxe.ExpectColumnValuesToBeBetween(
            column="ngay_cap_nhat",
            min_value={"$PARAMETER": "window_start"},
            meta=_m("song"),
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
