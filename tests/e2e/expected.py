"""Figures computed straight from the simulator's records with pandas, independently of
the dbt models they check (same rules as the serving contract, different code)."""

from __future__ import annotations

import csv
from datetime import datetime

import pandas as pd

from ingest.common.settings import REPO_ROOT
from simulator import dichvucong

AS_OF = datetime(2026, 11, 1)
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
    latest = stream.sort_values(["MaHoSo", "NgayCapNhat"]).groupby("MaHoSo").tail(1).copy()
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
    c = current.rename(columns={"MaCoQuan": "agency_code", "MaDVHC": "admin_unit_code"})
    received = (
        c.assign(
            month_start=_month(c["NgayTiepNhan"]),
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
        overdue.append(open_.assign(month_start=start).groupby(keys).size().rename("overdue_open"))
    frame = pd.concat([received, resolved, pd.concat(overdue)], axis=1).fillna(0)
    return frame.astype("int64").sort_index()


def province_of_unit() -> dict[str, str]:
    """Any old or new GSO code of the demo province → the province code it belongs to."""
    mapping: dict[str, str] = {}
    with (UNITS / "units_before_2025_07_01.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for code in (row["province_code"], row["district_code"], row["commune_code"]):
                mapping[code] = row["province_code"]
    with (UNITS / "units_after_2025_07_01.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            mapping[row["commune_code"]] = row["province_code"]
            mapping[row["province_code"]] = row["province_code"]
    return mapping
