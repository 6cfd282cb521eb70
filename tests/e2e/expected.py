"""Figures computed straight from the simulator's records with pandas, independently of
the dbt models they check (same rules as the serving contract, different code)."""

from __future__ import annotations

import csv
from datetime import datetime

import pandas as pd

from ingest.common.settings import REPO_ROOT
from simulator import dichvucong

AS_OF = datetime(2026, 11, 1)
REFORM = pd.Timestamp("2025-07-01")
UNITS = REPO_ROOT / "dbt_project" / "seeds" / "admin_units"
COUNTS = [
    "received",
    "received_online",
    "received_digitised",
    "received_with_fee",
    "paid_online",
    "resolved",
    "resolved_on_time",
    "rated",
    "rated_satisfied",
    "overdue_open",
]


def change_stream(seed: int, scale: float) -> pd.DataFrame:
    table = dichvucong.records(datetime(2022, 1, 1), AS_OF, seed=seed, scale=scale)
    return table.to_pandas()


def current_state(stream: pd.DataFrame) -> pd.DataFrame:
    """Each dossier's latest record, with ``unit_before_reform``: the MaDVHC of its last record
    before 2025-07-01 (a dossier's months before the reform count against that unit)."""
    ordered = stream.sort_values(["MaHoSo", "NgayCapNhat"])
    latest = ordered.groupby("MaHoSo").tail(1).copy()
    before = ordered[ordered["NgayCapNhat"] < REFORM].groupby("MaHoSo")["MaDVHC"].last()
    latest["unit_before_reform"] = latest["MaHoSo"].map(before)
    withdrawn = latest["TrangThai"].eq("RUT_HO_SO")
    latest["closed_at"] = latest["NgayKetThucXuLy"].where(
        latest["NgayKetThucXuLy"].notna(), latest["NgayCapNhat"].where(withdrawn)
    )
    return latest.reset_index(drop=True)


def _month(ts: pd.Series) -> pd.Series:
    return ts.dt.to_period("M").dt.to_timestamp()


def public_service_month(current: pd.DataFrame) -> pd.DataFrame:
    """agency × unit × month counts, as `agg_public_service_month` defines them."""
    keys = ["month_start", "agency_code", "admin_unit_code"]
    c = current.rename(columns={"MaCoQuan": "agency_code"})

    def unit_at(frame: pd.DataFrame, when: pd.Series | pd.Timestamp) -> pd.Series:
        before = pd.Series(when < REFORM, index=frame.index)
        old = frame["unit_before_reform"].where(frame["NgayTiepNhan"] < REFORM)
        return frame["MaDVHC"].where(~before, old.fillna(frame["MaDVHC"]))

    received = (
        c.assign(
            month_start=_month(c["NgayTiepNhan"]),
            admin_unit_code=unit_at(c, c["NgayTiepNhan"]),
            received=1,
            received_online=c["KenhNop"].eq("TRUC_TUYEN").astype(int),
            received_digitised=c["DaSoHoa"].fillna(False).astype(int),
            received_with_fee=c["PhiLePhi"].fillna(0).gt(0).astype(int),
            paid_online=(
                c["PhiLePhi"].fillna(0).gt(0) & c["ThanhToanTrucTuyen"].fillna(False)
            ).astype(int),
        )
        .groupby(keys)[COUNTS[:5]]
        .sum()
    )
    r = c[c["NgayKetThucXuLy"].notna()]
    resolved = (
        r.assign(
            month_start=_month(r["NgayKetThucXuLy"]),
            admin_unit_code=unit_at(r, r["NgayKetThucXuLy"]),
            resolved=1,
            resolved_on_time=(r["NgayKetThucXuLy"] <= r["NgayHenTra"]).astype(int),
            rated=r["DanhGiaHaiLong"].notna().astype(int),
            rated_satisfied=r["DanhGiaHaiLong"].fillna(0).ge(4).astype(int),
        )
        .groupby(keys)[COUNTS[5:9]]
        .sum()
    )
    overdue = []
    for start in pd.date_range("2022-01-01", AS_OF, freq="MS", inclusive="left"):
        end = start + pd.offsets.MonthBegin(1)
        open_ = c[
            (c["NgayTiepNhan"] < end)
            & (c["NgayHenTra"] < end)
            & (c["closed_at"].isna() | (c["closed_at"] >= end))
        ]
        open_ = open_.assign(month_start=start, admin_unit_code=unit_at(open_, start))
        overdue.append(open_.groupby(keys).size().rename("overdue_open"))
    frame = pd.concat([received, resolved, pd.concat(overdue)], axis=1).fillna(0)
    return frame.astype("int64").sort_index()


def province_of_unit() -> dict[str, dict[str, str]]:
    """GSO code → its province, per generation ("before" / "after" 2025-07-01).

    A code can live in both generations (a commune that kept its code) and belong to
    different provinces in each, so the month decides which list applies."""
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    with (UNITS / "units_before_2025_07_01.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for code in (row["province_code"], row["district_code"], row["commune_code"]):
                before[code] = row["province_code"]
    with (UNITS / "units_after_2025_07_01.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            after[row["commune_code"]] = after[row["province_code"]] = row["province_code"]
    return {"before": before, "after": after}


RATIOS = {  # indicator → (numerator, denominator) of the province-month counts
    "DVC_TY_LE_DUNG_HAN": ("resolved_on_time", "resolved"),
    "DVC_TY_LE_TRUC_TUYEN": ("received_online", "received"),
    "DVC_TY_LE_TT_TRUC_TUYEN": ("paid_online", "received_with_fee"),
    "DVC_TY_LE_SO_HOA": ("received_digitised", "received"),
    "DVC_TY_LE_HAI_LONG": ("rated_satisfied", "rated"),
}
SUMS = {"DVC_HS_TIEP_NHAN": "received", "DVC_HS_GIAI_QUYET": "resolved"}
END_OF_PERIOD = {"DVC_HS_QUA_HAN": "overdue_open"}


def province_month(agg: pd.DataFrame) -> pd.DataFrame:
    """Counts per province (of the unit's generation) and month."""
    province = province_of_unit()
    frame = agg.reset_index()
    old = frame["month_start"] < REFORM
    frame["admin_unit_code"] = (
        frame["admin_unit_code"]
        .map(province["after"])
        .where(~old, frame["admin_unit_code"].map(province["before"]))
    )
    assert frame["admin_unit_code"].notna().all(), "every unit belongs to a province"
    return frame.groupby(["admin_unit_code", "month_start"])[COUNTS].sum()


def periods_of(month: pd.Timestamp) -> list[tuple[str, str, pd.Timestamp]]:
    """Every (period_type, period_label, first day after the period) a month belongs to."""
    y, m = month.year, month.month
    q = (m - 1) // 3 + 1
    out = [
        ("month", f"{y}-{m:02d}", month + pd.offsets.MonthBegin(1)),
        ("quarter", f"{y}-Q{q}", pd.Timestamp(y, 1, 1) + pd.DateOffset(months=3 * q)),
        (
            "half_year",
            f"{y}-H{1 if m <= 6 else 2}",
            pd.Timestamp(y + (m > 6), 7 if m <= 6 else 1, 1),
        ),
        ("year", f"{y}", pd.Timestamp(y + 1, 1, 1)),
    ]
    if m <= 9:
        out.append(("nine_months", f"{y}-9M", pd.Timestamp(y, 10, 1)))
    out += [
        ("ytd", f"{y}-{last:02d}-YTD", pd.Timestamp(y, last, 1) + pd.offsets.MonthBegin(1))
        for last in range(m, 13)
    ]
    return out


def province_successor() -> dict[str, str]:
    """Old province code → today's province (province_crosswalk_2025.csv)."""
    with (UNITS / "province_crosswalk_2025.csv").open(encoding="utf-8") as f:
        return {row["old_province_code"]: row["new_province_code"] for row in csv.DictReader(f)}


def indicator_values(pm: pd.DataFrame, todays_units: bool = False) -> pd.Series:
    """actual_value by (indicator_code, admin_unit_code, period_type, period_label).

    A period belongs to the unit in force at its end: an old province keeps the periods that
    ended before the reform; a period ending after it is today's province's, its months
    before the reform summed over the old provinces merged into it. ``todays_units``: every
    period read against today's province (fct_indicator_value_current_unit)."""
    successor = province_successor()
    rows = []
    for (unit, month), counts in pm.iterrows():
        for ptype, label, end in periods_of(month):
            moved = month < REFORM and (todays_units or end > REFORM)
            rows.append(
                {
                    "unit": successor[unit] if moved else unit,
                    "ptype": ptype,
                    "label": label,
                    "month": month,
                    **counts.to_dict(),
                }
            )
    keys = ["unit", "ptype", "label"]
    long = pd.DataFrame(rows).groupby([*keys, "month"])[COUNTS].sum().reset_index()
    # a YTD ends on a month that has data
    ytd_end = pd.to_datetime(long["label"].str[:7], format="%Y-%m", errors="coerce")
    has_end = long.assign(end=ytd_end)[lambda d: d["ptype"].eq("ytd") & d["month"].eq(d["end"])]
    ended = set(zip(has_end["unit"], has_end["label"], strict=True))
    long = long[
        long["ptype"].ne("ytd")
        | pd.Series(
            [(u, lab) in ended for u, lab in zip(long["unit"], long["label"], strict=True)],
            index=long.index,
        )
    ]
    sums = long.groupby(keys)[COUNTS].sum()
    last = long.sort_values("month").groupby(keys).tail(1).set_index(keys)
    out = {}
    for code, column in SUMS.items():
        out[code] = sums[column]
    for code, (num, den) in RATIOS.items():
        out[code] = (100 * sums[num] / sums[den]).where(sums[den] > 0)
    for code, column in END_OF_PERIOD.items():
        out[code] = last[column]
    series = pd.concat(out, names=["indicator_code", *keys]).dropna()
    series.index = series.index.set_names(
        ["indicator_code", "admin_unit_code", "period_type", "period_label"]
    )
    return series.astype(float)
