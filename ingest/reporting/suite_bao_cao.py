"""Expectations for one load of report headers (reporting / bao_cao): one row per report
version whose ``ngay_cap_nhat`` falls in the load's window.

Dimensions in ``meta``: đúng (dung), đủ (du), sạch (sach), sống (song); ``critical`` blocks
the publish, ``warning`` publishes flagged.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from ingest.reporting.contracts import BAO_CAO as CONTRACT

DATASET = CONTRACT.name
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
KINDS = list(CONTRACT.codes["ky_loai"])
STATES = ["NHAP", "DA_GUI", "DA_DUYET", "TRA_LAI"]
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    """The suite; the load's window comes in as ``window_start``/``window_end``."""
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        gxe.ExpectColumnValuesToNotBeNull(column="han_gui", severity="warning", meta=_m("du")),
        # two copies of a version in a load (an older one, a conflicting one) are kept, dbt
        # takes the newest (then the copy received last): warned (đúng)
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*CONTRACT.key, "ngay_cap_nhat", "_load_id"],
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeInSet(column="ky_loai", value_set=KINDS, meta=_m("dung")),
        gxe.ExpectColumnValuesToBeInSet(column="trang_thai", value_set=STATES, meta=_m("dung")),
        gxe.ExpectColumnValuesToBeBetween(
            column="ky_so", min_value=1, max_value=12, meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="phien_ban", min_value=1, max_value=99, meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="ky_nam", min_value=2015, max_value=2035, severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="ma_bao_cao", regex=r"^BC-\d{4}-\d+$", severity="warning", meta=_m("dung")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="ngay_cap_nhat",
            column_B="ngay_gui",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="ngay_cap_nhat",
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
