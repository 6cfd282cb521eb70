"""The raw archive (ingest/common/raw.py) read back page by page: the same requests and
bodies as written, byte for byte, without the whole archive in memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.common.http import Page
from ingest.common.raw import RawArchive, read_pages

MIB = 1 << 20


def page(ref: str, raw: bytes) -> Page:
    return Page(1, [], 1000, 0, 1, ref, {}, raw)


def test_an_archive_reads_back_as_written(tmp_path: Path) -> None:
    sent = [
        ("GET /api/v1/ho-so?page=1", b'{"data":[],"total":0}'),
        ("GET /a\tb\nc", b"a body\twith\nnewlines\n\n and tabs\t"),  # header cleaned, body kept
        ("GET /empty", b""),
        ("GET /big", bytes(range(256)) * 3000),  # longer than any read buffer
        ("GET /last", "Khánh Hòa".encode()),
    ]
    archive = RawArchive(tmp_path / "x.pages.zst")
    for ref, raw in sent:
        archive.add(page(ref, raw))
    got = list(read_pages(archive.commit()))
    assert got == [(ref.replace("\t", " ").replace("\n", " "), raw) for ref, raw in sent]


def test_an_empty_archive_has_no_page(tmp_path: Path) -> None:
    assert list(read_pages(RawArchive(tmp_path / "none.pages.zst").commit())) == []


def test_pages_are_read_one_at_a_time(tmp_path: Path) -> None:
    """An archive of 48 pages of 1 MiB each (~48 MiB as received) is read with a few MiB at
    most in memory: each page is let go before the next one is read."""
    archive = RawArchive(tmp_path / "big.pages.zst")
    for number in range(48):
        archive.add(page(f"GET /p{number}", bytes([65 + number % 26]) * MIB))
    path = archive.commit()
    assert path.stat().st_size < MIB  # compresses well: what is measured is reading it
    tracemalloc.start()
    try:
        count = 0
        for number, (ref, raw) in enumerate(read_pages(path)):
            assert ref == f"GET /p{number}" and raw == bytes([65 + number % 26]) * MIB
            count += 1
            del raw
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 48
    assert peak < 6 * MIB, f"peak {peak / MIB:.1f} MiB while reading"


def test_a_page_cut_short_names_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "cut.pages.zst"
    path.write_bytes(pa.Codec("zstd").compress(b"GET /p1\t10\nabc", asbytes=True))
    with pytest.raises(ValueError, match=r"cut\.pages\.zst: page 'GET /p1' is cut short"):
        list(read_pages(path))
