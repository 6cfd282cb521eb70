"""The indicator catalog seed (dbt_project/seeds/indicators.csv), checked as a file: no dbt run."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "indicators.csv"
COLUMNS = ["indicator_code", "indicator_group", "name_vi", "name_en", "unit", "frequency",
           "aggregation", "owner_agency", "higher_is_better", "source",
           "unit_aggregation"]  # fmt: skip
# information group -> code prefix
GROUPS = {
    "thu_ngan_sach": "TNS_", "thue": "THUE_", "giai_ngan_dau_tu_cong": "DTC_", "grdp": "GRDP_",
    "dich_vu_cong": "DVC_", "du_lich": "DL_", "giao_duc": "GD_", "y_te": "YT_",
    "van_hoa": "VH_", "moi_truong": "MT_", "thuy_san": "TS_", "lao_dong_xa_hoi": "LDXH_",
    "bao_hiem": "BH_", "ctmtqg_dtts": "DTTS_", "ctmtqg_giam_ngheo": "GN_", "dti": "DTI_",
    "cai_cach_hanh_chinh": "CCHC_", "bao_chi": "BCHI_", "phan_anh_kien_nghi": "PAKN_",
}  # fmt: skip
SOURCES = {"reporting", "dichvucong", "ngansach", "dulich", "giaoduc"}
FREQUENCIES = {"month", "quarter", "half_year", "year", "school_year"}
AGGREGATIONS = {"sum", "end_of_period", "average", "ratio"}
AGENCIES = {"SO_TC", "CUC_THUE", "HAI_QUAN", "KBNN", "CUC_THONG_KE", "VP_UBND", "SO_NV", "SO_YT",
            "SO_GDDT", "SO_VHTTDL", "SO_NNMT", "SO_KHCN", "SO_DTTG", "BHXH", "SO_XD"}  # fmt: skip
# ratio roll-up is sum(numerators) / sum(denominators) x 100: only a percentage fits
RATIO_UNITS = {"%"}
# the dossier indicators the public-services marts compute: must not change
DOSSIER_ROWS = [
    (
        "DVC_HS_TIEP_NHAN",
        "dich_vu_cong",
        "Số hồ sơ tiếp nhận",
        "Dossiers received",
        "hồ sơ",
        "month",
        "sum",
        "VP_UBND",
        "",
        "dichvucong",
    ),
    (
        "DVC_HS_GIAI_QUYET",
        "dich_vu_cong",
        "Số hồ sơ đã giải quyết",
        "Dossiers resolved",
        "hồ sơ",
        "month",
        "sum",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_TY_LE_DUNG_HAN",
        "dich_vu_cong",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Dossiers resolved on time",
        "%",
        "month",
        "ratio",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_TY_LE_TRUC_TUYEN",
        "dich_vu_cong",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Dossiers submitted online",
        "%",
        "month",
        "ratio",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_TY_LE_TT_TRUC_TUYEN",
        "dich_vu_cong",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "Fee-bearing dossiers paid online",
        "%",
        "month",
        "ratio",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_TY_LE_SO_HOA",
        "dich_vu_cong",
        "Tỷ lệ hồ sơ được số hóa",
        "Dossiers digitised",
        "%",
        "month",
        "ratio",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_TY_LE_HAI_LONG",
        "dich_vu_cong",
        "Tỷ lệ hài lòng của người dân và doanh nghiệp",
        "Satisfied ratings (4–5 of 5)",
        "%",
        "month",
        "ratio",
        "VP_UBND",
        "true",
        "dichvucong",
    ),
    (
        "DVC_HS_QUA_HAN",
        "dich_vu_cong",
        "Số hồ sơ quá hạn chưa giải quyết cuối kỳ",
        "Open dossiers past due at period end",
        "hồ sơ",
        "month",
        "end_of_period",
        "VP_UBND",
        "false",
        "dichvucong",
    ),
]
NGANSACH_GROUPS = ["NOI_DIA", "XNK", "DAU_THO", "VIEN_TRO", "NOI_DIA_DNNN", "NOI_DIA_FDI",
                   "NOI_DIA_NQD", "NOI_DIA_TNCN", "NOI_DIA_DAT"]  # fmt: skip


@pytest.fixture(scope="module")
def text() -> str:
    return SEED.read_bytes().decode("utf-8")  # strict: fails on invalid UTF-8


@pytest.fixture(scope="module")
def rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(text.splitlines())
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_utf8_nfc_no_bom(text: str) -> None:
    assert not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)


def test_size_and_unique_codes(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 100
    codes = Counter(r["indicator_code"] for r in rows)
    assert [c for c, n in codes.items() if n > 1] == []
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", c) for c in codes)


def test_every_group_has_indicators_and_its_prefix(rows: list[dict[str, str]]) -> None:
    per_group = Counter(r["indicator_group"] for r in rows)
    assert set(per_group) == set(GROUPS)
    assert {g: n for g, n in per_group.items() if n < 2} == {}
    wrong = [r["indicator_code"] for r in rows
             if not r["indicator_code"].startswith(GROUPS[r["indicator_group"]])]  # fmt: skip
    assert wrong == []


def test_values_are_known(rows: list[dict[str, str]]) -> None:
    for r in rows:
        code = r["indicator_code"]
        assert r["source"] in SOURCES, code
        assert r["frequency"] in FREQUENCIES, code
        assert r["aggregation"] in AGGREGATIONS, code
        assert r["unit_aggregation"] in {"sum", "ratio", "none"}, code
        assert r["owner_agency"] in AGENCIES, code
        assert r["higher_is_better"] in {"true", "false", ""}, code
        assert all(r[c].strip() == r[c] and r[c] for c in COLUMNS if c != "higher_is_better"), code


def test_ratio_indicators_are_percentages(rows: list[dict[str, str]]) -> None:
    assert [r["indicator_code"] for r in rows
            if r["aggregation"] == "ratio" and r["unit"] not in RATIO_UNITS] == []  # fmt: skip


def test_only_counts_and_amounts_add_up_across_units(rows: list[dict[str, str]]) -> None:
    # a share, index, rank or mean of several units is not their sum
    for r in rows:
        if r["unit_aggregation"] == "sum":
            assert r["unit"] not in {*RATIO_UNITS, "hạng", "điểm"}, r["indicator_code"]
            assert r["aggregation"] in {"sum", "end_of_period"}, r["indicator_code"]
        assert (r["unit_aggregation"] == "ratio") == (r["aggregation"] == "ratio"), r


def test_vietnamese_names_carry_diacritics(rows: list[dict[str, str]]) -> None:
    # a name typed without diacritics (e.g. "So ho so") is pure ASCII apart from digits/symbols
    assert [r["indicator_code"] for r in rows if r["name_vi"].isascii()] == []


def test_dossier_indicators_unchanged(rows: list[dict[str, str]]) -> None:
    dossier = [
        tuple(r[c] for c in COLUMNS[:10]) for r in rows if r["indicator_group"] == "dich_vu_cong"
    ]
    assert dossier == DOSSIER_ROWS


def test_budget_revenue_covers_every_group_of_the_source(rows: list[dict[str, str]]) -> None:
    budget = {r["indicator_code"]: r for r in rows if r["indicator_group"] == "thu_ngan_sach"}
    assert {f"TNS_{g}" for g in NGANSACH_GROUPS} | {"TNS_TONG"} <= set(budget)
    # the source sends million VND, cumulative from 1 January; the catalog holds monthly flows
    assert {(r["unit"], r["aggregation"], r["source"]) for r in budget.values()} == {
        ("triệu đồng", "sum", "ngansach")
    }


# words that make a figure bad news whatever its unit (a count of them, a share of them)
BAD_WORDS = ("quá hạn", "nợ", "chậm", "tai nạn", "ngộ độc", "cháy rừng", "tiêu cực",
             "hộ nghèo", "cận nghèo", "thất nghiệp", "suy dinh dưỡng", "sốt xuất huyết",
             "thấp hơn")  # fmt: skip
# …unless the word is part of something good: debt recovered, unemployment insurance
OTHER_SENSE = ("thu hồi", "bảo hiểm")


def test_shares_indices_and_ranks_say_which_way_is_good(rows: list[dict[str, str]]) -> None:
    """Alerts and plan chances read the direction: every share ("Tỷ lệ …"), score, index and
    rank has one (a structure share, "Tỷ trọng", may be neutral); a rank is better low."""
    for r in rows:
        code, name, unit = r["indicator_code"], r["name_vi"], r["unit"]
        if unit == "hạng":
            assert r["higher_is_better"] == "false", code
        elif name.startswith(("Tỷ lệ", "Chỉ số", "Điểm")) or unit == "điểm":
            assert r["higher_is_better"] in {"true", "false"}, code


def test_bad_news_is_better_lower(rows: list[dict[str, str]]) -> None:
    for r in rows:
        name = r["name_vi"].lower()
        if any(w in name for w in BAD_WORDS) and not any(w in name for w in OTHER_SENSE):
            assert r["higher_is_better"] == "false", r["indicator_code"]
