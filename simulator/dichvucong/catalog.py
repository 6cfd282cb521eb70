"""Procedure catalog (thủ tục hành chính), fields (lĩnh vực) and provincial departments.

The procedures live in ``procedures.csv`` beside this module: real-sounding Vietnamese titles;
MaTTHC codes follow the national database's format but are synthetic. Columns: level is the
level before the 2025 reform (HUYEN procedures move to XA after it), dept the provincial
department before the 2025-03 merger (TINH only), sla working days (0 = same day), fee VND,
share relative yearly volume, risk a preset of RISK, season a key of SEASONS, online an extra
factor on the mode's online affinity.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FIELDS: dict[str, str] = {
    "TP-HT": "Hộ tịch",
    "TP-CT": "Chứng thực",
    "TP-LLTP": "Lý lịch tư pháp",
    "TNMT-DD": "Đất đai",
    "TNMT-MT": "Môi trường",
    "XD-HDXD": "Hoạt động xây dựng",
    "XD-QH": "Quy hoạch xây dựng, kiến trúc",
    "KHDT-DN": "Thành lập và hoạt động của doanh nghiệp",
    "KHDT-HKD": "Thành lập và hoạt động của hộ kinh doanh",
    "KHDT-DT": "Đầu tư tại Việt Nam",
    "LDTBXH-VL": "Việc làm",
    "LDTBXH-LD": "Lao động",
    "LDTBXH-BTXH": "Bảo trợ xã hội",
    "LDTBXH-NCC": "Người có công",
    "GDDT-VB": "Văn bằng, chứng chỉ",
    "GDDT-GD": "Giáo dục trung học",
    "YT-KCB": "Khám bệnh, chữa bệnh",
    "YT-ATTP": "An toàn thực phẩm và dinh dưỡng",
    "YT-DUOC": "Dược phẩm",
    "GTVT-DB": "Đường bộ",
    "CT-LTHH": "Lưu thông hàng hóa trong nước",
    "DL-LH": "Lữ hành",
    "DL-LT": "Cơ sở lưu trú du lịch",
    "NN-TS": "Thủy sản",
    "VH-VH": "Văn hóa",
}

# Provincial departments before the 2025-03-01 merger, and their successors.
DEPARTMENTS: dict[str, str] = {
    "SO_TP": "Sở Tư pháp",
    "SO_TNMT": "Sở Tài nguyên và Môi trường",
    "SO_NNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "SO_XD": "Sở Xây dựng",
    "SO_GTVT": "Sở Giao thông vận tải",
    "SO_KHDT": "Sở Kế hoạch và Đầu tư",
    "SO_LDTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SO_GDDT": "Sở Giáo dục và Đào tạo",
    "SO_YT": "Sở Y tế",
    "SO_CT": "Sở Công Thương",
    "SO_DL": "Sở Du lịch",
    "SO_TTTT": "Sở Thông tin và Truyền thông",
    "SO_VHTT": "Sở Văn hóa và Thể thao",
    "SO_NNMT": "Sở Nông nghiệp và Môi trường",
    "SO_TC": "Sở Tài chính",
    "SO_NV": "Sở Nội vụ",
    "SO_KHCN": "Sở Khoa học và Công nghệ",
    "SO_VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
}
DEPT_SUCCESSOR: dict[str, str] = {
    "SO_TNMT": "SO_NNMT",
    "SO_NNPTNT": "SO_NNMT",
    "SO_GTVT": "SO_XD",
    "SO_KHDT": "SO_TC",
    "SO_LDTBXH": "SO_NV",
    "SO_TTTT": "SO_KHCN",
    "SO_DL": "SO_VHTTDL",
    "SO_VHTT": "SO_VHTTDL",
}
# Share of dossiers resolved on time, 2022 level, per department (district/commune: hashed).
DEPT_ON_TIME: dict[str, float] = {
    "SO_TP": 0.985,
    "SO_TNMT": 0.915,
    "SO_NNPTNT": 0.97,
    "SO_XD": 0.95,
    "SO_GTVT": 0.985,
    "SO_KHDT": 0.99,
    "SO_LDTBXH": 0.96,
    "SO_GDDT": 0.99,
    "SO_YT": 0.94,
    "SO_CT": 0.975,
    "SO_DL": 0.98,
    "SO_TTTT": 0.985,
    "SO_VHTT": 0.98,
}

# Month multipliers (Jan..Dec) for procedures with a season.
SEASONS: dict[str, tuple[float, ...]] = {
    "wedding": (1.35, 1.0, 0.9, 0.9, 0.85, 0.85, 0.9, 0.6, 0.9, 1.3, 1.4, 1.45),
    "school": (0.5, 0.4, 0.5, 0.5, 0.8, 2.5, 3.2, 3.0, 1.2, 0.5, 0.4, 0.4),
    "jobless": (1.4, 1.5, 1.2, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0),
    "land": (1.0, 0.85, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.2),
}

# risk preset -> (p_supplement, p_reject, p_withdraw, mean working days late when late)
RISK = {
    "low": (0.02, 0.005, 0.004, 2.0),
    "mid": (0.07, 0.015, 0.01, 4.0),
    "high": (0.16, 0.035, 0.02, 9.0),
}
ONLINE_AFFINITY = {"TOAN_TRINH": 1.3, "MOT_PHAN": 0.95, "KHAC": 0.0}


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    level: str  # TINH / HUYEN / XA (before the reform)
    mode: str  # MucDo: TOAN_TRINH / MOT_PHAN / KHAC
    dept: str | None  # provincial department before 2025-03-01 (TINH only)
    sla: int  # working days to resolve, 0 = same day
    fee: tuple[int, int]  # VND, min and max (0, 0 = free)
    share: float
    risk: str
    season: str | None = None
    online: float = 1.0  # extra online affinity factor

    @property
    def dept_2025(self) -> str | None:
        return DEPT_SUCCESSOR.get(self.dept, self.dept) if self.dept else None

    @property
    def level_now(self) -> str:
        return "XA" if self.level == "HUYEN" else self.level


def _load(path: Path) -> tuple[Procedure, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Procedure(
                code=r["code"],
                name=unicodedata.normalize("NFC", r["name"]),
                field=r["field"],
                level=r["level"],
                mode=r["mode"],
                dept=r["dept"] or None,
                sla=int(r["sla"]),
                fee=(int(r["fee_min"]), int(r["fee_max"])),
                share=float(r["share"]),
                risk=r["risk"],
                season=r["season"] or None,
                online=float(r["online"]),
            )
            for r in csv.DictReader(fh)
        )


PROCEDURES: tuple[Procedure, ...] = _load(Path(__file__).with_name("procedures.csv"))
