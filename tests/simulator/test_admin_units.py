"""Admin-unit codes are the real GSO codes valid at each record's date (checked from the CSVs)."""

from __future__ import annotations

import pandas as pd
from simkit import read_units

from simulator.dichvucong import agencies

REFORM = pd.Timestamp("2025-07-01")


def test_codes_before_the_reform_are_old_codes(history_df) -> None:
    units = read_units()
    old = history_df[history_df["NgayCapNhat"] < REFORM]
    by_level = {lvl: set(g["MaDVHC"]) for lvl, g in old.groupby("CapThucHien")}
    assert by_level["TINH"] == {"56", "58"}
    assert by_level["HUYEN"] <= units["old_district"]
    assert by_level["XA"] <= units["old_commune"]
    assert len(by_level["HUYEN"]) >= 15  # nearly every district of both old provinces
    assert len(by_level["XA"]) >= 150


def test_codes_after_the_reform_are_new_codes_without_districts(history_df) -> None:
    units = read_units()
    new = history_df[history_df["NgayCapNhat"] >= REFORM]
    assert set(new["CapThucHien"]) == {"TINH", "XA"}
    assert set(new.loc[new["CapThucHien"] == "TINH", "MaDVHC"]) == {"56"}
    communes = set(new.loc[new["CapThucHien"] == "XA", "MaDVHC"])
    assert communes <= units["new_commune"] and len(communes) >= 55


def test_agency_matches_its_unit_and_is_valid_at_the_record_date(history_df) -> None:
    table = {(a["MaCoQuan"], a["hieu_luc_tu"]): a for a in agencies()}
    by_code: dict[str, list[dict]] = {}
    for a in table.values():
        by_code.setdefault(a["MaCoQuan"], []).append(a)
    sample = history_df.sample(20_000, random_state=1)
    for code, unit, level, ts in zip(
        sample["MaCoQuan"],
        sample["MaDVHC"],
        sample["CapThucHien"],
        sample["NgayCapNhat"],
        strict=True,
    ):
        day = ts.date().isoformat()
        valid = [
            a
            for a in by_code[code]
            if (a["hieu_luc_tu"] or "") <= day < (a["hieu_luc_den"] or "9999")
        ]
        assert len(valid) == 1, (code, day)
        assert valid[0]["MaDVHC"] == unit and valid[0]["CapThucHien"] == level
    assert any(c.startswith("NT_SO_") for c in by_code)  # Ninh Thuận's departments before


def test_ninh_thuan_only_before_the_reform(history_df) -> None:
    nt = history_df["MaDVHC"].eq("58") | history_df["MaCoQuan"].str.startswith("NT_")
    assert nt.any()
    assert (history_df.loc[nt, "NgayCapNhat"] < REFORM).all()
