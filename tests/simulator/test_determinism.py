"""Same seed, same data, whatever windows were asked before and however a window is split."""

from __future__ import annotations

import itertools

import pyarrow as pa

from simulator.dichvucong import DossierWorld, iter_records, records

SCALE = 0.005


def test_same_seed_same_data_different_seed_different_data() -> None:
    a = records("2024-06-01", "2024-07-01", seed=7, scale=SCALE)
    b = records("2024-06-01", "2024-07-01", seed=7, scale=SCALE)
    c = records("2024-06-01", "2024-07-01", seed=8, scale=SCALE)
    assert a.num_rows > 500 and a.equals(b)
    assert not a.equals(c)


def test_window_does_not_depend_on_what_was_asked_before() -> None:
    fresh = records("2025-02-01", "2025-03-01", seed=56, scale=SCALE)
    busy = DossierWorld(56, SCALE, day_cache=40, window_cache=1)
    for start, end in (
        ("2025-05-01", "2025-06-01"),
        ("2023-01-01", "2023-01-15"),
        ("2025-01-20", "2025-02-10"),
    ):
        records(start, end, world=busy)
    assert records("2025-02-01", "2025-03-01", world=busy).equals(fresh)


def test_split_windows_concatenate_to_the_whole() -> None:
    world = DossierWorld(56, SCALE)
    whole = records("2025-06-01", "2025-08-01", world=world)
    cuts = [
        "2025-06-01",
        "2025-06-17T13:05:00+07:00",
        "2025-07-01",
        "2025-07-01T00:00:01+07:00",
        "2025-08-01",
    ]
    parts = [records(a, b, world=DossierWorld(56, SCALE)) for a, b in itertools.pairwise(cuts)]
    assert pa.concat_tables(parts).equals(whole)


def test_iter_records_streams_the_same_records() -> None:
    world = DossierWorld(56, SCALE)
    whole = records("2024-12-15", "2025-03-01", world=world, owner=False)
    chunks = list(iter_records("2024-12-15", "2025-03-01", scale=SCALE, owner=False, days=20))
    assert len(chunks) == 4 and pa.concat_tables(chunks).equals(whole)
