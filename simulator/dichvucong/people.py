"""Synthetic dossier owners (ChuHoSo): plausible Vietnamese names, ID numbers, phones, addresses.

Every attribute is a pure function of (seed, owner id), so the same owner looks the same on
every dossier. An owner id encodes the owner's home place: ``place * PLACE_STRIDE + local``.
All of it is synthetic; any resemblance to a real person is chance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.admin_units import DemoUnits
from simulator.hashing import hash64

PLACE_STRIDE = 1 << 20
PROVINCE_POPULATION = 1_900_000  # people who may file, old Khánh Hòa + Ninh Thuận


def _names(text: str) -> np.ndarray:
    return np.array([s.strip() for s in text.split("|")], dtype=object)


def _weighted(text: str) -> tuple[np.ndarray, np.ndarray]:
    pairs = [item.split(":") for item in text.split("|")]
    cum = np.cumsum([float(w) for _, w in pairs])
    return np.array([n.strip() for n, _ in pairs], dtype=object), cum / cum[-1]


FAMILY = _weighted(
    "Nguyễn:31.5|Trần:11|Lê:9.5|Phạm:6.5|Huỳnh:5.5|Phan:4.5|Võ:4.5|Đặng:2.1|Bùi:2|Đỗ:1.4|"
    "Hồ:1.6|Ngô:1.3|Dương:1|Lý:0.5|Hoàng:1.2|Vũ:1|Đinh:1|Đoàn:1|Trương:1.2|Lâm:0.6|Mai:0.6|"
    "Cao:0.6|Lương:0.5|Châu:0.4|Tạ:0.2|Thái:0.4|Tôn:0.2|La:0.2"
)
FAMILY_RAGLAI = _weighted("Pi Năng:3|Mấu:3|Cao:3|Bo Bo:2|Katơr:2|Chamaléa:2|Tro:1")
FAMILY_CHAM = _weighted("Đàng:4|Thông:2|Quảng:2|Bá:2|Thiên:1|Lưu:1|Thuận:1|Trượng:1")
RAGLAI_SHARE = {"573": 0.45, "575": 0.6, "584": 0.65}  # by old district code
CHAM_SHARE = {"587": 0.25, "589": 0.2, "586": 0.08, "582": 0.05}
MIDDLE_M = _names(
    "Văn|Văn|Văn|Hữu|Đức|Minh|Quốc|Thành|Công|Anh|Hoàng|Xuân|Tấn|Ngọc|Trọng|Duy|"
    "Quang|Thanh|Gia|Đình"
)
MIDDLE_F = _names(
    "Thị|Thị|Thị|Thị|Ngọc|Thanh|Kim|Thu|Mỹ|Phương|Bảo|Minh|Hoài|Diệu|Thùy|Khánh|Thảo|Hồng"
)
GIVEN_M = _names(
    "Hùng|Dũng|Tuấn|Nam|Hải|Phong|Long|Minh|Khoa|Quân|Huy|Bình|Cường|Đạt|Thắng|Tài|Lộc|Phúc|Sơn|"
    "Trung|Vinh|Hiếu|Nghĩa|Tâm|Toàn|Khánh|Bảo|Thịnh|Hưng|Tú|An|Kiên|Lâm|Nhân|Quý|Thái|Thành|"
    "Thiện|Trí|Việt|Hòa|Tín|Phát|Vũ"
)
GIVEN_F = _names(
    "Lan|Hương|Hoa|Mai|Linh|Trang|Thảo|Hà|Hạnh|Nga|Ngọc|Phương|Thủy|Tuyết|Vân|Yến|Hằng|Dung|"
    "Nhung|Hiền|Loan|Oanh|Quyên|Trinh|Uyên|Vy|Anh|Chi|Giang|My|Nhi|Thư|Trâm|Tâm|Diễm|Hồng|Liên|"
    "Nguyệt|Phượng|Xuân|Hậu|Ly"
)
STREETS = _names(
    "Trần Phú|Lê Thánh Tôn|Nguyễn Thị Minh Khai|Hùng Vương|Thống Nhất|23 Tháng 10|2 Tháng 4|"
    "Lê Hồng Phong|Yersin|Pasteur|Nguyễn Trãi|Quang Trung|Lê Lợi|Hoàng Văn Thụ|Ngô Gia Tự|"
    "Bạch Đằng|Trần Hưng Đạo|Phạm Văn Đồng|Võ Nguyên Giáp|Nguyễn Văn Cừ|Lạc Long Quân|"
    "Điện Biên Phủ|Hai Bà Trưng|Lý Thường Kiệt|Nguyễn Huệ|Phan Chu Trinh|Trường Chinh|Lê Duẩn|"
    "Ngô Quyền|Hà Huy Tập|Tô Hiến Thành|16 Tháng 4|Nguyễn Văn Trỗi|Hải Thượng Lãn Ông|"
    "Tráng Liệt|Lương Định Của"
)
HAMLETS = _names(
    "Phú Thọ|Tân Hiệp|Hòa Sơn|Đông Hải|Tây Bắc|Phước Lương|Xuân Sơn|Vĩnh Thái|Mỹ Thanh|Tân Định|"
    "Ninh Ích|Hội Thành|Suối Cát|Lương Hòa|Phước Thiện|Văn Lâm|Thành Tín|Hữu Đức|Gò Sạn|"
    "Mỹ Nghiệp|Như Bình|Ba Ngòi|Bình Tây|Cầu Đôi|Đồng Cau|Tà Lương|Ma Ty|Sơn Thái|Phú Hòa|"
    "An Thạnh|Tân Phong|Hòa Thịnh"
)
PHONE_PREFIX = _names(
    "032|033|034|035|036|037|038|039|086|096|097|098|090|093|070|076|077|078|079|089|091|094|"
    "081|082|083|084|085|088|056|058|059|087"
)


FAMILIES = np.concatenate([FAMILY[0], FAMILY_RAGLAI[0], FAMILY_CHAM[0]])
MIDDLES = np.concatenate([MIDDLE_M, MIDDLE_F])
GIVENS = np.concatenate([GIVEN_M, GIVEN_F])
NUMBERS = np.array([str(i) for i in range(1000)], dtype=object)


@dataclass(frozen=True)
class OwnerTables:
    """Per-place data an owner's fields need (index = place), and the string tables."""

    tails: np.ndarray  # index place * 2 + after_reform: ", <commune>, [<district>, ]<province>"
    province: np.ndarray  # old province code, the ID number's birth-province part
    urban: np.ndarray
    raglai: np.ndarray  # share of Raglai family names
    cham: np.ndarray
    population: np.ndarray
    first_person: np.ndarray  # per place: index of its first person in the province
    people: int  # everyone in the province
    shuffle: int  # multiplier coprime with ``people`` (a fixed permutation of persons)


def owner_tables(units: DemoUnits) -> OwnerTables:
    tails = []
    for c, d, p, n in zip(
        units.commune_name,
        units.district_name,
        units.province_name,
        units.new_commune_name,
        strict=True,
    ):
        tails += [f", {c}, {d}, {p}", f", {n}, {units.new_province_name}"]
    population = np.maximum(300, np.round(units.weight * PROVINCE_POPULATION)).astype(np.int64)
    people = int(population.sum())
    shuffle = next(m for m in range(1_000_003, 2_000_000, 2) if math.gcd(m, people) == 1)
    return OwnerTables(
        tails=np.array(tails, dtype=object),
        province=np.array(units.province_code, dtype=object),
        urban=units.is_urban,
        raglai=np.array([RAGLAI_SHARE.get(d, 0.0) for d in units.district_code]),
        cham=np.array([CHAM_SHARE.get(d, 0.0) for d in units.district_code]),
        population=population,
        first_person=np.concatenate([[0], np.cumsum(population)[:-1]]),
        people=people,
        shuffle=shuffle,
    )


def _bits(h: np.ndarray, shift: int, width: int) -> np.ndarray:
    return ((h >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)


def _scaled(r: np.ndarray, n: int, width: int) -> np.ndarray:
    return (r * n) >> width


def _weighted_index(table: tuple[np.ndarray, np.ndarray], u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(table[1], u, side="right"), len(table[0]) - 1)


@dataclass(frozen=True)
class OwnerParts:
    """Owners' fields as indices and numbers; ``render`` turns them into strings."""

    family: np.ndarray  # index into FAMILIES
    middle: np.ndarray  # index into MIDDLES
    given: np.ndarray  # index into GIVENS
    province: np.ndarray  # "56" / "58": ID number = "0" + province + century + yy + serial
    century: np.ndarray  # 0/1 born 1900s male/female, 2/3 born 2000s
    yy: np.ndarray
    serial: np.ndarray  # 6 digits
    phone_prefix: np.ndarray  # index into PHONE_PREFIX; phone = prefix + 7 digits
    phone: np.ndarray
    urban: np.ndarray  # address "Số <house>[/<alley>] <street>" if urban else "Thôn <hamlet>"
    house: np.ndarray
    alley: np.ndarray  # 0 = none
    street: np.ndarray  # index into STREETS
    hamlet: np.ndarray  # index into HAMLETS
    tail: np.ndarray  # index into OwnerTables.tails


def owner_parts(
    seed: int, owner_id: np.ndarray, after_reform: np.ndarray, t: OwnerTables
) -> OwnerParts:
    oid = owner_id.astype(np.int64)
    place = oid // PLACE_STRIDE
    h1, h2, h3 = (hash64(seed, s, oid) for s in ("owner-name", "owner-numbers", "owner-home"))
    # (birth year, sex, serial) is a bijection of the person's index: ID numbers are unique.
    person = (t.first_person[place] + oid % PLACE_STRIDE) * t.shuffle % t.people
    year, female = 1948 + person % 58, (person // 58) % 2 == 1
    serial = (
        person // 116 * 7919
        + (hash64(seed, "owner-serial", person % 116) % np.uint64(1_000_000)).astype(np.int64)
    ) % 1_000_000
    u_fam, u_eth = _bits(h1, 20, 16) / 65536, _bits(h1, 36, 10) / 1024
    n_kinh, n_raglai = len(FAMILY[0]), len(FAMILY_RAGLAI[0])
    family = _weighted_index(FAMILY, u_fam)
    raglai = u_eth < t.raglai[place]
    cham = ~raglai & (u_eth < t.raglai[place] + t.cham[place])
    family = np.where(raglai, n_kinh + _weighted_index(FAMILY_RAGLAI, u_fam), family)
    family = np.where(cham, n_kinh + n_raglai + _weighted_index(FAMILY_CHAM, u_fam), family)
    middle = np.where(
        female,
        len(MIDDLE_M) + _scaled(_bits(h1, 46, 9), len(MIDDLE_F), 9),
        _scaled(_bits(h1, 46, 9), len(MIDDLE_M), 9),
    )
    given = np.where(
        female,
        len(GIVEN_M) + _scaled(_bits(h1, 55, 9), len(GIVEN_F), 9),
        _scaled(_bits(h1, 55, 9), len(GIVEN_M), 9),
    )
    alley = _bits(h3, 16, 8) % 40
    return OwnerParts(
        family=family,
        middle=middle,
        given=given,
        province=t.province[place],
        century=(year >= 2000) * 2 + female,
        yy=year % 100,
        serial=serial,
        phone_prefix=_scaled(_bits(h2, 44, 10), len(PHONE_PREFIX), 10),
        phone=_bits(h2, 20, 24) % 10_000_000,
        urban=t.urban[place],
        house=1 + _bits(h3, 0, 16) % 320,
        alley=np.where(alley > 30, alley, 0),
        street=_scaled(_bits(h3, 24, 10), len(STREETS), 10),
        hamlet=_scaled(_bits(h3, 34, 10), len(HAMLETS), 10),
        tail=place * 2 + after_reform.astype(np.int64),
    )


@dataclass(frozen=True)
class Lexicon:
    """String tables in one encoding (str for Python values, UTF-8 bytes for JSON)."""

    families: np.ndarray
    middles: np.ndarray
    givens: np.ndarray
    phone_prefix: np.ndarray
    streets: np.ndarray
    hamlets: np.ndarray
    numbers: np.ndarray
    tails: np.ndarray
    so: str | bytes  # "Số "
    thon: str | bytes  # "Thôn "
    space: str | bytes
    slash: str | bytes
    empty: str | bytes


def lexicon(t: OwnerTables, as_bytes: bool) -> Lexicon:
    def enc(a: np.ndarray) -> np.ndarray:
        return np.array([x.encode() for x in a], dtype=object) if as_bytes else a

    def lit(x: str) -> str | bytes:
        return x.encode() if as_bytes else x

    return Lexicon(
        enc(FAMILIES),
        enc(MIDDLES),
        enc(GIVENS),
        enc(PHONE_PREFIX),
        enc(STREETS),
        enc(HAMLETS),
        enc(NUMBERS),
        enc(t.tails),
        lit("Số "),
        lit("Thôn "),
        lit(" "),
        lit("/"),
        lit(""),
    )


def street_part(p: OwnerParts, lx: Lexicon) -> np.ndarray:
    """ "Số 12/5 Trần Phú" (urban) or "Thôn Phú Thọ" (rural), as an object array."""
    alley = np.where(p.alley > 0, lx.slash + lx.numbers[p.alley], lx.empty)
    urban = lx.so + lx.numbers[p.house] + alley + lx.space + lx.streets[p.street]
    return np.where(p.urban, urban, lx.thon + lx.hamlets[p.hamlet])


def owners(
    seed: int, owner_id: np.ndarray, after_reform: np.ndarray, t: OwnerTables
) -> dict[str, list[str]]:
    """HoTen, SoGiayTo, SoDienThoai, DiaChi for each owner id (address by the record's date)."""
    p = owner_parts(seed, owner_id, after_reform, t)
    lx = lexicon(t, as_bytes=False)
    return {
        "HoTen": (
            lx.families[p.family] + " " + lx.middles[p.middle] + " " + lx.givens[p.given]
        ).tolist(),
        "SoGiayTo": [
            f"0{a}{b}{c:02d}{d:06d}"
            for a, b, c, d in zip(
                p.province.tolist(),
                p.century.tolist(),
                p.yy.tolist(),
                p.serial.tolist(),
                strict=True,
            )
        ],
        "SoDienThoai": [
            f"{a}{b:07d}"
            for a, b in zip(lx.phone_prefix[p.phone_prefix].tolist(), p.phone.tolist(), strict=True)
        ],
        "DiaChi": (street_part(p, lx) + lx.tails[p.tail]).tolist(),
    }
