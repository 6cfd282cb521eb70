"""Expectations for one load of monthly tourism figures (dulich / thong_ke_thang).

Dimensions in ``meta``: đúng (dung), đủ (du), sạch (sach), sống (song). The load's window is
its month: figures are published once the month is under way (``ngay_cong_bo`` on or after
``window_start``). ``tong_luot_khach = khach_quoc_te + khach_noi_dia`` is a custom row rule
(GE has no "column equals the sum of others" for pandas); it only warns, since a source may
round its parts.
"""

from __future__ import annotations

from typing import ClassVar

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    MulticolumnMapMetricProvider,
    multicolumn_condition_partial,
)

from expectations.reference import province_unit_codes
from ingest.dulich.contracts import THONG_KE_THANG as CONTRACT

DATASET = CONTRACT.name
ROW_ID = (*CONTRACT.key, "_source_ref")  # names a row in quarantine entries
VOLUME = (0.5, 2.0)  # rows of a month against the recent months (one per area)
COLUMNS = CONTRACT.columns
REQUIRED = list(CONTRACT.required)
COUNTS = [
    "tong_luot_khach",
    "khach_quoc_te",
    "khach_noi_dia",
    "khach_luu_tru",
    "ngay_khach_luu_tru",
    "doanh_thu_ty_dong",
    "so_co_so_luu_tru",
]
KINDS = list(CONTRACT.codes["loai_so_lieu"])


class MulticolumnFirstIsSumOfRest(MulticolumnMapMetricProvider):
    """Row rule: the first column of ``column_list`` equals the sum of the others."""

    condition_metric_name = "multicolumn_values.first_is_sum_of_rest"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_list",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, **kwargs):
        first, rest = column_list.columns[0], list(column_list.columns[1:])
        return column_list[first] == column_list[rest].sum(axis=1, skipna=False)


class ExpectFirstColumnToBeSumOfRest(MulticolumnMapExpectation):
    """Expect the first column of ``column_list`` to equal the sum of the other columns."""

    map_metric = "multicolumn_values.first_is_sum_of_rest"
    success_keys = ("mostly",)
    args_keys = ("column_list",)
    library_metadata: ClassVar[dict] = {"tags": ["ioc"], "contributors": ["ioc"]}


def _m(dimension: str, **meta: str) -> dict:
    return {"dimension": dimension, **meta}


def build(province: str) -> gx.ExpectationSuite:
    """The suite; a load's month comes in as the parameters ``window_start``/``window_end``."""
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(column_set=COLUMNS, exact_match=True, meta=_m("sach")),
        *[gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_m("du")) for c in REQUIRED],
        # Another version of a figure (a newer ngay_cong_bo) is kept, dbt takes the newest;
        # two different copies with one publication time are a conflict: warned (đúng).
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["ky", "ma_dvhc", "loai_so_lieu", "ngay_cong_bo", "_load_id"],
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeInSet(column="loai_so_lieu", value_set=KINDS, meta=_m("dung")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="ky", regex=r"^20\d\d-(?:0[1-9]|1[0-2])$", meta=_m("dung")
        ),
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
        gxe.ExpectColumnValuesToBeBetween(
            column="cong_suat_phong_pct", min_value=0, max_value=100, meta=_m("dung")
        ),
        ExpectFirstColumnToBeSumOfRest(
            column_list=["tong_luot_khach", "khach_quoc_te", "khach_noi_dia"],
            severity="warning",
            meta=_m("dung", rule="tong = quoc_te + noi_dia"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="tong_luot_khach",
            column_B="khach_luu_tru",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="ngay_khach_luu_tru",
            column_B="khach_luu_tru",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            meta=_m("dung"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="ngay_cong_bo", min_value={"$PARAMETER": "window_start"}, meta=_m("song")
        ),
    ]
    suite = gx.ExpectationSuite(name=DATASET)
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite
