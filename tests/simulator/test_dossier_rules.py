"""The dossier rules of the brief hold, and the data looks like a province's."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from simulator.clock import AS_OF
from simulator.dichvucong import procedures
from simulator.dichvucong.catalog import FIELDS

FINAL = {"DA_TRA_KET_QUA", "TU_CHOI", "RUT_HO_SO"}
AS_OF_NAIVE = pd.Timestamp(AS_OF.replace(tzinfo=None))


def test_resolution_fields_follow_the_state(history_df) -> None:
    df = history_df
    resolved = df["TrangThai"].isin(["DA_TRA_KET_QUA", "TU_CHOI"])
    assert (df["NgayKetThucXuLy"].notna() == resolved).all()
    assert (df["NgayTraKetQua"].notna() == resolved).all()
    r = df[resolved]
    assert (r["NgayTiepNhan"] <= r["NgayKetThucXuLy"]).all()
    assert (r["NgayKetThucXuLy"] < r["NgayTraKetQua"]).all()
    assert (r["NgayTraKetQua"] == r["NgayCapNhat"]).all()
    assert (df["NgayHenTra"] > df["NgayTiepNhan"]).all()
    rated = df["DanhGiaHaiLong"].notna()
    assert (df.loc[rated, "TrangThai"] == "DA_TRA_KET_QUA").all()
    assert df.loc[rated, "DanhGiaHaiLong"].between(1, 5).all()
    assert (df.loc[df["ThanhToanTrucTuyen"], "PhiLePhi"] > 0).all()
    assert (df["PhiLePhi"] >= 0).all()


def test_each_dossier_is_a_sequence_of_state_changes(history_df) -> None:
    df = history_df.sort_values(["MaHoSo", "NgayCapNhat"])
    assert not df.duplicated(["MaHoSo", "NgayCapNhat"]).any()
    g = df.groupby("MaHoSo", sort=False)
    for col in (
        "NgayTiepNhan",
        "NgayHenTra",
        "MaTTHC",
        "KenhNop",
        "PhiLePhi",
        "SoGiayTo",
        "DaSoHoa",
        "ThanhToanTrucTuyen",
    ):
        assert (g[col].nunique(dropna=False) == 1).all(), col
    first = g.head(1)
    assert (first["TrangThai"] == "DANG_XU_LY").all()
    assert (first["NgayCapNhat"] == first["NgayTiepNhan"]).all()
    states = g["TrangThai"].agg(tuple)
    allowed = {("DANG_XU_LY",), ("DANG_XU_LY", "BO_SUNG")}
    allowed |= {(*a, f) for a in list(allowed) for f in FINAL}
    assert set(states) <= allowed
    assert set(states) == allowed  # every path occurs
    span = g["NgayCapNhat"].max() - g["NgayTiepNhan"].min()
    assert (span < pd.Timedelta(days=150)).all()
    assert (df["NgayCapNhat"] < AS_OF_NAIVE).all()


def test_dossier_ids(history_df) -> None:
    ids = history_df["MaHoSo"]
    parts = ids.str.extract(r"^H(56|58)\.(\d\d)-(\d{6})-(\d{6})$")
    assert parts.notna().all().all()
    received = history_df["NgayTiepNhan"]
    assert (parts[1] == received.dt.strftime("%y")).all()
    assert (parts[2] == received.dt.strftime("%y%m%d")).all()
    assert (received[parts[0] == "58"] < pd.Timestamp("2025-07-01")).all()


def test_owners_look_like_vietnamese_people(history_df) -> None:
    owners = pd.DataFrame(list(history_df["ChuHoSo"]))
    assert owners["SoGiayTo"].str.fullmatch(r"05[68][0-3]\d{8}").all()
    assert owners["SoDienThoai"].str.fullmatch(r"0[35789]\d{8}").all()
    assert (owners["HoTen"].str.split().str.len() >= 3).all()
    assert owners["DiaChi"].str.contains(r"^(?:Số \d|Thôn )").all()
    assert owners["DiaChi"].str.endswith(("Tỉnh Khánh Hòa", "Tỉnh Ninh Thuận")).all()
    per_id = owners.groupby("SoGiayTo")["HoTen"].nunique()
    assert (per_id == 1).all()  # one person per ID number
    dossiers = history_df.groupby("SoGiayTo")["MaHoSo"].nunique()
    assert (dossiers >= 2).sum() > 100  # people come back
    assert owners["HoTen"].str.startswith("Nguyễn ").mean() > 0.2


def test_text_is_nfc_vietnamese(history_df) -> None:
    for col in ("TenTTHC", "TenLinhVuc"):
        values = set(history_df[col])
        assert all(unicodedata.is_normalized("NFC", v) for v in values)
    names = {o["HoTen"] for o in history_df["ChuHoSo"].head(5000)}
    assert all(unicodedata.is_normalized("NFC", v) for v in names)
    assert any(re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", v) for v in names)


def test_catalog() -> None:
    cat = procedures()
    assert 40 <= len(cat) <= 60
    assert len({p["MaTTHC"] for p in cat}) == len(cat)
    assert len({p["MaLinhVuc"] for p in cat}) >= 15
    assert {p["CapThucHien"] for p in cat} == {"TINH", "XA"}
    assert {p["MucDo"] for p in cat} == {"TOAN_TRINH", "MOT_PHAN", "KHAC"}
    assert all(p["MaLinhVuc"] in FIELDS for p in cat)
    assert any("khai sinh" in p["TenTTHC"] for p in cat)


def _current(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("NgayCapNhat").groupby("MaHoSo").tail(1)


def test_trends_a_leader_would_believe(history_df) -> None:
    cur = _current(history_df)
    year = cur["NgayTiepNhan"].dt.year
    per_year = cur.groupby(year)
    received = per_year.size()
    assert 9_000 < received[2024] < 11_000  # scale 0.01 of ~1,000,000 a year
    assert received[2025] > received[2022] * 1.1
    online = per_year["KenhNop"].apply(lambda s: (s == "TRUC_TUYEN").mean())
    assert 0.25 < online[2022] < 0.38 and 0.68 < online[2026] < 0.82
    assert online.is_monotonic_increasing
    resolved = cur[cur["NgayKetThucXuLy"].notna()]
    on_time = resolved["NgayKetThucXuLy"] <= resolved["NgayHenTra"]
    assert 0.93 < on_time.mean() < 0.985
    by_agency = on_time.groupby(resolved["MaCoQuan"]).agg(["mean", "size"])
    big = by_agency[by_agency["size"] > 300]["mean"]
    assert big.min() < 0.94 and big.max() > 0.98
    months = cur[year == 2024].groupby(cur["NgayTiepNhan"].dt.month).size()
    assert months[12] == months.max() and months[2] == months.min()  # Tết 2024 was in February
    assert cur["TrangThai"].value_counts(normalize=True)["TU_CHOI"] > 0.005
    assert cur["TrangThai"].value_counts(normalize=True)["RUT_HO_SO"] > 0.005
    assert history_df["TrangThai"].eq("BO_SUNG").mean() > 0.02
    rated = resolved["DanhGiaHaiLong"].notna().mean()
    assert 0.15 < rated < 0.6
    assert 0.85 < (resolved["DanhGiaHaiLong"].dropna() >= 4).mean() < 0.97
    assert 0.3 < (cur["PhiLePhi"] > 0).mean() < 0.8


def test_open_and_overdue_at_as_of(history_df) -> None:
    cur = _current(history_df)
    still_open = cur[cur["TrangThai"].isin(["DANG_XU_LY", "BO_SUNG"])]
    assert len(still_open) > 50
    overdue = still_open[still_open["NgayHenTra"] < AS_OF_NAIVE]
    assert 0 < len(overdue) < len(still_open) / 2
    assert (still_open["NgayTiepNhan"] > AS_OF_NAIVE - pd.Timedelta(days=150)).all()
