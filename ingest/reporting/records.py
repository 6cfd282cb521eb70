"""Report JSON → a header row (``bao_cao``) and figure rows (``so_lieu``), or quarantine
entries naming the report, the figure's index and the field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingest.common import parse
from ingest.reporting.contracts import KINDS

Rejected = tuple[dict[str, Any], str, str]  # (record, where, reason)


@dataclass
class Converted:
    header: dict[str, Any] | None
    figures: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (row, ref)
    rejected_header: list[Rejected] = field(default_factory=list)
    rejected_figures: list[Rejected] = field(default_factory=list)


def text(value: object) -> str | None:
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


def _required(value: object, name: str) -> str:
    out = text(value)
    if not out:
        raise ValueError(f"field {name}: required value is missing")
    return out


def _int(value: object, name: str) -> int:
    try:
        number = parse.parse_int(value)
    except ValueError as exc:
        raise ValueError(f"field {name}: {exc}") from None
    if number is None:
        raise ValueError(f"field {name}: required value is missing")
    return number


def _field(name: str, parser, value: object):
    try:
        return parser(value)
    except ValueError as exc:
        raise ValueError(f"field {name}: {exc}") from None


def updated_at(record: dict[str, Any]) -> datetime | None:
    """ngay_cap_nhat as naive local time, or None if the record has none readable."""
    try:
        return parse.parse_local_time(record.get("ngay_cap_nhat"))
    except ValueError:
        return None


def header(record: dict[str, Any]) -> dict[str, Any]:
    ky = record.get("ky") if isinstance(record.get("ky"), dict) else {}
    kind = _required(ky.get("loai"), "ky.loai")
    if kind not in KINDS:
        raise ValueError(f"field ky.loai: {kind!r} is not one of {', '.join(KINDS)}")
    return {
        "ma_bao_cao": _required(record.get("ma_bao_cao"), "ma_bao_cao"),
        "ma_bo_chi_tieu": _required(record.get("ma_bo_chi_tieu"), "ma_bo_chi_tieu"),
        "ma_don_vi": _required(record.get("ma_don_vi"), "ma_don_vi"),
        "ky_loai": kind,
        "ky_nam": _int(ky.get("nam"), "ky.nam"),
        "ky_so": _int(ky.get("so_ky"), "ky.so_ky"),
        "phien_ban": _int(record.get("phien_ban"), "phien_ban"),
        "trang_thai": _required(record.get("trang_thai"), "trang_thai"),
        "han_gui": _field("han_gui", parse.parse_date, record.get("han_gui")),
        "ngay_gui": _field("ngay_gui", parse.parse_local_time, record.get("ngay_gui")),
        "ngay_cap_nhat": _field(
            "ngay_cap_nhat", parse.parse_local_time, record.get("ngay_cap_nhat")
        ),
    }


def figure(code: str, version: int, item: dict[str, Any]) -> dict[str, Any]:
    out = {
        "ma_bao_cao": code,
        "phien_ban": version,
        "ma_chi_tieu": _required(item.get("ma_chi_tieu"), "ma_chi_tieu"),
        "ma_dvhc": _required(item.get("ma_dvhc"), "ma_dvhc"),
    }
    for name in ("thuc_hien", "ke_hoach", "tu_so", "mau_so"):
        out[name] = _field(name, parse.parse_number, item.get(name))
    out["ghi_chu"] = text(item.get("ghi_chu"))
    return out


def copy_ref(page_ref: str, position: int, code: object, version: object) -> str:
    """Where a report copy was: its page, its place in the page, its report and version (two
    copies of one version in a page are told apart by their place)."""
    return f"{page_ref}#record={position}&ma_bao_cao={code}&phien_ban={version}"


def convert(record: dict[str, Any], page_ref: str, position: int = 0) -> Converted:
    """One report (the ``position``-th of its page); a bad header and a bad figure are
    quarantined apart (the figures of a report with an unreadable date still land: they are
    keyed by ma_bao_cao/phien_ban)."""
    code = text(record.get("ma_bao_cao")) or ""
    version = record.get("phien_ban")
    where = copy_ref(page_ref, position, code, version)
    out = Converted(None)
    try:
        out.header = header(record)
    except ValueError as exc:
        out.rejected_header.append(
            (record, where, f"ma_bao_cao {code!r} phien_ban {version!r}: {exc}")
        )
    try:
        v = _int(version, "phien_ban")
        _required(code, "ma_bao_cao")
    except ValueError as exc:  # figures with no report to belong to
        for i, item in enumerate(record.get("so_lieu") or []):
            out.rejected_figures.append((item, f"{where}&so_lieu={i}", f"so_lieu[{i}]: {exc}"))
        return out
    for i, item in enumerate(record.get("so_lieu") or []):
        here = f"{where}&so_lieu={i}"
        try:
            if not isinstance(item, dict):
                raise ValueError("not an object")
            out.figures.append((figure(code, v, item), here))
        except ValueError as exc:
            reason = f"ma_bao_cao {code!r} phien_ban {v} so_lieu[{i}]: {exc}"
            out.rejected_figures.append((item, here, reason))
    return out
