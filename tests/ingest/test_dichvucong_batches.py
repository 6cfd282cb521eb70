"""Pages converted together (``convert_pages``) give what each page gives on its own: the
same rows, tokens and quarantine, whether the batch is clean, holds a page of the raw
archive (tokens in place of owners) or a record that only the per-record path can read."""

from __future__ import annotations

import pytest

from ingest.common.http import Page
from ingest.dichvucong.archive import archived
from ingest.dichvucong.helpers import PageResult, convert_page, convert_pages, decode_page
from tests.ingest.test_dichvucong_archive import PLAIN, PSEUDONYMISER, page


def owners(first: int, n: int) -> list[str]:
    return [PLAIN.replace("056173692510", f"0561736{i:05d}") for i in range(first, first + n)]


def from_archive(sent: Page) -> Page:
    kept = archived(sent, convert_page(sent.records, sent.ref, PSEUDONYMISER), PSEUDONYMISER)
    body = decode_page(kept)
    return Page(1, body["data"], 1000, sent.total, 1, sent.ref, body, kept)


def one_by_one(pages: list[Page]) -> list[PageResult]:
    return [convert_page(p.records, p.ref, PSEUDONYMISER) for p in pages]


def same(batch: list[PageResult], alone: list[PageResult]) -> None:
    assert len(batch) == len(alone)
    for got, expected in zip(batch, alone, strict=True):
        assert got.table.equals(expected.table)
        assert got.positions.tolist() == expected.positions.tolist()
        assert [(r, where) for r, where, _ in got.rejected] == [
            (r, where) for r, where, _ in expected.rejected
        ]


def test_a_clean_batch_is_converted_as_its_pages_are() -> None:
    pages = [page(owners(0, 3)), page(owners(3, 2)), from_archive(page(owners(5, 4)))]
    results = convert_pages(pages, PSEUDONYMISER)
    same(results, one_by_one(pages))
    tokens = [t for r in results for t in r.table["ChuHoSoHash"].to_pylist()]
    assert tokens == [PSEUDONYMISER.token(f"0561736{i:05d}") for i in range(9)]


def spoiled(sent: Page, value: bytes, instead: bytes) -> Page:
    """The page with its first ``value`` sent as ``instead``."""
    raw = sent.raw.replace(value, instead, 1)
    body = decode_page(raw)
    return Page(1, body["data"], 1000, sent.total, 1, "GET spoiled", body, raw)


@pytest.mark.parametrize(
    ("value", "instead"),
    [
        (b'"PhiLePhi":0', b'"PhiLePhi":"x"'),  # the Arrow reader refuses the page
        (b'"DanhGiaHaiLong":null', b'"DanhGiaHaiLong":9'),  # read, but not convertible
    ],
)
def test_a_page_for_the_record_by_record_path_leaves_the_others_as_they_were(
    value: bytes, instead: bytes
) -> None:
    pages = [page(owners(0, 3)), spoiled(page(owners(3, 3)), value, instead), page(owners(6, 2))]
    results = convert_pages(pages, PSEUDONYMISER)
    same(results, one_by_one(pages))
    assert [len(r.rejected) for r in results] == [0, 1, 0]
    assert [r.table.num_rows for r in results] == [3, 2, 2]
