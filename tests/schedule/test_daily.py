"""The daily refresh's choice of sources (Variable ``ioc_daily_sources``), read liberally."""

from __future__ import annotations

import pytest

from dags.closing_tasks import daily_sources


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, []),
        ("", []),
        ("ngansach", ["ngansach"]),
        (" NganSach , reporting ", ["reporting", "ngansach"]),  # registry order, any case
        ("ngansach ngansach", ["ngansach"]),
    ],
)
def test_daily_sources(raw, expected) -> None:
    assert daily_sources(raw) == expected


def test_an_unknown_daily_source_is_named() -> None:
    with pytest.raises(ValueError, match=r"unknown source\(s\) \['ngan_sach'\]"):
        daily_sources("ngan_sach, dulich")
