"""The raw archive's page body: every owner block replaced by its row's token, byte for byte
elsewhere, whatever the block holds (pages written here by hand)."""

from __future__ import annotations

import orjson
import pytest

from ingest.common.http import Page
from ingest.common.pseudonymise import Pseudonymiser
from ingest.dichvucong.archive import archived
from ingest.dichvucong.helpers import convert_page, decode_page

PSEUDONYMISER = Pseudonymiser.from_secret("a key for the archive test only")


def record(number: int, owner: str) -> str:
    return (
        f'{{"MaHoSo":"H56.24-240301-{number:06d}","MaTTHC":"1.001978","TenTTHC":"Giải quyết",'
        '"MaLinhVuc":"LV","TenLinhVuc":"Việc làm","MaCoQuan":"SO","CapThucHien":"TINH",'
        '"MaDVHC":"56","KenhNop":"TRUC_TUYEN","MucDo":"MOT_PHAN",'
        '"NgayTiepNhan":"2024-03-01T00:02:55+07:00","NgayHenTra":"2024-03-29T07:30:00+07:00",'
        '"NgayKetThucXuLy":null,"NgayTraKetQua":null,"TrangThai":"DANG_XU_LY",'
        '"ThanhToanTrucTuyen":false,"PhiLePhi":0,"DaSoHoa":true,"DanhGiaHaiLong":null,'
        f'"ChuHoSo":{owner},"NgayCapNhat":"2024-03-01T00:02:55+07:00"}}'
    )


PLAIN = '{"HoTen":"Lê Thị Phương","SoGiayTo":"056173692510","SoDienThoai":"0582984838","DiaChi":"Số 294 Lý Thường Kiệt"}'  # noqa: E501
ODD_OWNERS = {
    "a brace in a text": '{"HoTen":"Trần Văn {B}","SoGiayTo":"058165294589","DiaChi":"Thôn }, Mỹ Thanh"}',  # noqa: E501
    "an escaped quote": '{"HoTen":"Nguyễn \\"Bé\\" An","SoGiayTo":"056000000001","DiaChi":"Hẻm 5"}',
    "a unicode escape": '{"HoTen":"Ph\\u1ea1m Anh","SoGiayTo":"056000000002","DiaChi":"Ninh Hòa"}',
    "a nested object": '{"HoTen":"Võ Minh","SoGiayTo":"056000000003","DiaChi":{"So":"12","Duong":"Lê Lợi"}}',  # noqa: E501
    "an array": '{"HoTen":"Đỗ Hà","SoGiayTo":"056000000004","SoDienThoai":["0581","0582"]}',
    "nulls and spaces": '{ "HoTen" : "Hồ Lan" , "SoGiayTo":"056000000005","DiaChi":null }',
}
SECRETS = ["Phương", "056173692510", "0582984838", "Lý Thường", "Mỹ Thanh", "{B}", "Bé",
           "u1ea1m", "Lê Lợi", "0581", "Hồ Lan", "056000000005"]  # fmt: skip


def page(owners: list[str]) -> Page:
    records = ",".join(record(i, owner) for i, owner in enumerate(owners, start=1))
    raw = f'{{"data":[{records}],"page":1,"page_size":1000,"total":{len(owners)},"total_pages":1}}'
    body = decode_page(raw.encode())
    return Page(
        1, body["data"], 1000, len(owners), 1, "GET /api/v1/ho-so?page=1", body, raw.encode()
    )


@pytest.mark.parametrize("odd", [None, *ODD_OWNERS])
def test_owner_blocks_become_tokens_and_nothing_else_changes(odd: str | None) -> None:
    owners = [PLAIN, PLAIN.replace("056173692510", "056173692511")]
    if odd is not None:
        owners.insert(1, ODD_OWNERS[odd])
    sent = page(owners)
    result = convert_page(sent.records, sent.ref, PSEUDONYMISER)
    kept = archived(sent, result, PSEUDONYMISER)
    assert b'ChuHoSo"' not in kept and not [s for s in SECRETS if s.encode() in kept]
    expected = orjson.loads(sent.raw)
    for row in expected["data"]:
        owner = row.pop("ChuHoSo")
        row["ChuHoSoHash"] = PSEUDONYMISER.token(owner["SoGiayTo"])
    assert orjson.loads(kept) == expected
    if odd is None:  # a plain page: byte for byte but the blocks
        text = sent.raw.decode()
        for owner in owners:
            token = PSEUDONYMISER.token(orjson.loads(owner)["SoGiayTo"])
            text = text.replace(f'"ChuHoSo":{owner}', f'"ChuHoSoHash":"{token}"', 1)
        assert kept == text.encode()


def test_tokens_in_bulk_are_the_tokens_one_by_one() -> None:
    """The same keyed BLAKE2b token, computed independently (Pseudonymiser.token is what
    owners were tokenised with before: tokens never change)."""
    import hashlib

    import pyarrow as pa

    def by_hand(identity: str) -> str:
        h = hashlib.blake2b(key=b"a key for the archive test only", digest_size=16)
        h.update(identity.encode())
        return h.hexdigest()

    canonical = ["056173692510", "058165294589", "C0123456"]
    assert PSEUDONYMISER.tokens(pa.array(canonical)).to_pylist() == list(map(by_hand, canonical))
    mixed = ["056173692510", " 0581 652 ", "c01", None]
    assert PSEUDONYMISER.tokens(pa.array(mixed)).to_pylist() == [
        by_hand("056173692510"), by_hand("0581652"), by_hand("C01"), None
    ]  # fmt: skip
