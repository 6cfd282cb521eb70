"""The areas the tourism statistics are reported for, and how a region's visitors spread.

Two regions carry the figures: old Khánh Hòa (56) and old Ninh Thuận (58), which became
one province on 2025-07-01. Before the reform each region reports itself and its districts;
from then on the new province (56) reports itself and its tourist communes (new codes). A
region's figures are spread over its areas by shares (``dom`` domestic visitors, ``intl``
international visitors, ``stay`` share of visitors staying overnight, ``beds`` share of the
accommodation establishments). ``REST`` stands for the region's areas that are not listed
after the reform (they count in the province row only).

Any other province (multi-province mode, ``regions_of``): its old provinces are its regions,
built from its real units: every district listed before the reform, its busiest new
communes after it, shares by the population proxy of ``simulator.admin_units``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from simulator.admin_units import DemoUnits

REST = ""  # areas not listed separately (after the reform)


@dataclass(frozen=True)
class Area:
    code: str
    dom: float  # share of the region's domestic visitors
    intl: float  # share of its international visitors
    stay: float  # share of an area's visitors who stay overnight
    beds: float  # share of the region's accommodation establishments
    occupancy: float  # offset from the region's room occupancy, percentage points


def _norm(areas: list[Area]) -> tuple[Area, ...]:
    dom, intl, beds = (sum(getattr(a, f) for a in areas) for f in ("dom", "intl", "beds"))
    return tuple(
        Area(a.code, a.dom / dom, a.intl / intl, a.stay, a.beds / beds, a.occupancy) for a in areas
    )


# Before 2025-07-01: districts (Trường Sa, 576, has no tourism statistics).
KHANH_HOA_DISTRICTS = _norm(
    [
        Area("568", 0.56, 0.74, 0.78, 0.60, 6.0),  # Nha Trang
        Area("569", 0.11, 0.12, 0.70, 0.10, 3.0),  # Cam Ranh
        Area("570", 0.08, 0.06, 0.66, 0.08, 2.0),  # Cam Lâm (Bãi Dài)
        Area("571", 0.07, 0.03, 0.55, 0.06, -3.0),  # Vạn Ninh (Đầm Môn, Điệp Sơn)
        Area("572", 0.07, 0.02, 0.48, 0.06, -5.0),  # Ninh Hòa
        Area("573", 0.02, 0.003, 0.30, 0.02, -12.0),  # Khánh Vĩnh
        Area("574", 0.07, 0.025, 0.40, 0.06, -8.0),  # Diên Khánh
        Area("575", 0.02, 0.002, 0.30, 0.02, -12.0),  # Khánh Sơn
    ]
)
NINH_THUAN_DISTRICTS = _norm(
    [
        Area("582", 0.42, 0.40, 0.65, 0.45, 3.0),  # Phan Rang-Tháp Chàm
        Area("584", 0.03, 0.01, 0.25, 0.02, -12.0),  # Bác Ái
        Area("585", 0.06, 0.02, 0.35, 0.05, -8.0),  # Ninh Sơn
        Area("586", 0.25, 0.35, 0.62, 0.25, 4.0),  # Ninh Hải (Vĩnh Hy, Bình Tiên)
        Area("587", 0.10, 0.05, 0.40, 0.08, -5.0),  # Ninh Phước
        Area("588", 0.03, 0.02, 0.35, 0.03, -8.0),  # Thuận Bắc
        Area("589", 0.11, 0.15, 0.55, 0.12, 1.0),  # Thuận Nam (Cà Ná, Mũi Dinh)
    ]
)

# From 2025-07-01: the tourist communes of the new province, by the old region they lie in.
KHANH_HOA_COMMUNES = _norm(
    [
        Area("22366", 0.27, 0.36, 0.80, 0.30, 7.0),  # Phường Nha Trang
        Area("22333", 0.12, 0.16, 0.78, 0.13, 5.0),  # Phường Bắc Nha Trang
        Area("22402", 0.10, 0.14, 0.76, 0.11, 5.0),  # Phường Nam Nha Trang
        Area("22390", 0.04, 0.02, 0.55, 0.03, -2.0),  # Phường Tây Nha Trang
        Area("22411", 0.06, 0.07, 0.72, 0.06, 4.0),  # Phường Bắc Cam Ranh
        Area("22420", 0.04, 0.03, 0.62, 0.03, 0.0),  # Phường Cam Ranh
        Area("22480", 0.03, 0.04, 0.70, 0.03, 3.0),  # Xã Nam Cam Ranh
        Area("22453", 0.03, 0.02, 0.60, 0.03, 0.0),  # Xã Cam Lâm
        Area("22504", 0.03, 0.015, 0.50, 0.02, -3.0),  # Xã Đại Lãnh
        Area("22498", 0.02, 0.01, 0.45, 0.015, -4.0),  # Xã Tu Bông
        Area("22528", 0.03, 0.01, 0.45, 0.03, -5.0),  # Phường Ninh Hòa
        Area("22591", 0.02, 0.005, 0.40, 0.015, -6.0),  # Phường Hòa Thắng
        Area("22651", 0.04, 0.01, 0.40, 0.03, -8.0),  # Xã Diên Khánh
        Area("22609", 0.01, 0.002, 0.30, 0.01, -12.0),  # Xã Khánh Vĩnh
        Area("22714", 0.01, 0.002, 0.30, 0.01, -12.0),  # Xã Khánh Sơn
        Area(REST, 0.15, 0.056, 0.40, 0.14, -6.0),
    ]
)
NINH_THUAN_COMMUNES = _norm(
    [
        Area("22759", 0.24, 0.22, 0.66, 0.26, 3.0),  # Phường Phan Rang
        Area("22780", 0.11, 0.10, 0.62, 0.10, 2.0),  # Phường Đông Hải
        Area("22738", 0.05, 0.03, 0.50, 0.05, -3.0),  # Phường Đô Vinh
        Area("22834", 0.14, 0.20, 0.65, 0.14, 4.0),  # Phường Ninh Chử
        Area("22846", 0.08, 0.12, 0.60, 0.07, 4.0),  # Xã Vĩnh Hải
        Area("22888", 0.05, 0.08, 0.55, 0.05, 1.0),  # Xã Phước Dinh
        Area("22909", 0.05, 0.06, 0.50, 0.05, 0.0),  # Xã Cà Ná
        Area("22810", 0.04, 0.01, 0.35, 0.03, -8.0),  # Xã Ninh Sơn
        Area("22870", 0.05, 0.02, 0.40, 0.04, -5.0),  # Xã Ninh Phước
        Area(REST, 0.19, 0.16, 0.40, 0.21, -6.0),
    ]
)


@dataclass(frozen=True)
class Region:
    code: str  # old province code
    name: str
    districts: tuple[Area, ...]
    communes: tuple[Area, ...]
    share: float = 1.0  # of the new province's people (its magnitudes scale by it)


KHANH_HOA = Region("56", "Khánh Hòa", KHANH_HOA_DISTRICTS, KHANH_HOA_COMMUNES)
NINH_THUAN = Region("58", "Ninh Thuận", NINH_THUAN_DISTRICTS, NINH_THUAN_COMMUNES)
REGIONS = (KHANH_HOA, NINH_THUAN)
NEW_PROVINCE = "56"


LISTED_COMMUNES = 8  # a built region's communes listed after the reform (the rest: REST)


def regions_of(units: DemoUnits) -> tuple[Region, ...]:
    """The regions of ``units``' province: the demo's hand-made ones, else one per old
    province from its real units (towns' visitors stay longer and fill more rooms)."""
    if units.new_province_code == NEW_PROVINCE:
        return REGIONS
    out = []
    for old in units.old_provinces:
        here = [i for i in range(units.n) if units.province_code[i] == old]
        districts: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        communes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for i in here:
            w, town = float(units.weight[i]), float(units.is_urban[i])
            for acc, code in (
                (districts, units.district_code[i]),
                (communes, units.new_commune_code[i]),
            ):
                acc[code][0] += w
                acc[code][1] += w * town
        busiest = sorted(communes, key=lambda c: (-communes[c][0], c))[:LISTED_COMMUNES]
        rest = [sum(communes[c][k] for c in communes if c not in busiest) for k in (0, 1)]
        listed = {c: communes[c] for c in busiest} | ({REST: rest} if rest[0] > 0 else {})
        name = units.province_name[here[0]].split(" ", 1)[1]
        share = sum(w for w, _ in districts.values())
        out.append(Region(old, name, _built(districts), _built(listed), share))
    return tuple(out)


def _built(weights: dict[str, list[float]]) -> tuple[Area, ...]:
    """Areas from (weight, town weight): towns draw the international visitors and stays."""
    areas = []
    for code in sorted(weights):
        w, town = weights[code]
        urban = town / w if w else 0.0
        areas.append(Area(code, w, w * (0.2 + urban), 0.3 + 0.4 * urban, w, -10.0 + 14.0 * urban))
    return _norm(areas)


def listed_codes(after_reform: bool) -> list[str]:
    """Every code a month's listing carries, in the order it is served."""
    if after_reform:
        communes = [a.code for r in REGIONS for a in r.communes if a.code != REST]
        return [NEW_PROVINCE, *sorted(communes)]
    out: list[str] = []
    for r in REGIONS:
        out += [r.code, *sorted(a.code for a in r.districts)]
    return out
