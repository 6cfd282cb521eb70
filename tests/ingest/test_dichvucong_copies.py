"""``versions.Copies`` tells repeats and conflicts apart across many batches (its records met
held as sorted runs that merge as they grow), as a plain dictionary of first copies does."""

from __future__ import annotations

import numpy as np

from ingest.dichvucong.versions import Copies


def test_batches_sorted_as_one_dictionary_sorts_them() -> None:
    rng = np.random.default_rng(7)
    copies = Copies()
    first: dict[int, int] = {}
    more: set[tuple[int, int]] = set()
    repeats = conflicts = 0
    for size in [*rng.integers(0, 400, 60), 3000, 1, 0, 2500]:
        # few distinct keys, mostly one content each: repeats and conflicts across and
        # within batches; keys spread over the whole 64-bit range like real prints
        with np.errstate(over="ignore"):
            keys = rng.integers(0, 4000, size).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        contents = (keys % np.uint64(1000)) + (rng.random(size) < 0.1).astype(np.uint64)
        expected_keep, expected_conflicts = [], []
        for i, (k, c) in enumerate(zip(keys.tolist(), contents.tolist(), strict=True)):
            if k not in first:
                first[k] = c
                expected_keep.append(True)
            elif first[k] == c or (k, c) in more:
                repeats += 1
                expected_keep.append(False)
            else:
                more.add((k, c))
                conflicts += 1
                expected_conflicts.append(i)
                expected_keep.append(True)
        keep, found_conflicts = copies.sort(keys, contents)
        assert (keep is None and all(expected_keep)) or keep.tolist() == expected_keep
        assert found_conflicts == expected_conflicts
        assert (copies.repeats, copies.conflicts) == (repeats, conflicts)
    assert repeats > 1000 and conflicts > 100  # the batches did hold copies
    keys = np.concatenate([keys for keys, _ in copies.held.runs]).tolist()
    contents = np.concatenate([contents for _, contents in copies.held.runs]).tolist()
    assert sorted(zip(keys, contents, strict=True)) == sorted(first.items())
    sizes = [len(keys) for keys, _ in copies.held.runs]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes)
