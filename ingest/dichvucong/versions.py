"""Copies of one dossier record met again within a load: repeats and conflicts.

A record is one (MaHoSo, NgayCapNhat). A copy that comes again with the same content is a
*repeat* (a page sent twice, a record shifted across pages): skipped and counted. A copy with
the same update time and *other* content is a *conflict*: kept in the lake beside the first
(append-only), counted, and settled in dbt by the documented rule (the copy received last:
``macros/versions.sql``). A copy with another update time is another record (a revision, or
an older copy that must not win): always kept, dbt takes the newest.

Keys and contents are 64-bit fingerprints computed column-wise with numpy (no Python object
per value but a hash per distinct text), over batches of pages (``BATCH_ROWS``); the records
met are held in ``Held``, runs of numpy arrays sorted by key (8 bytes a print, no Python
object per record). The usual batch, all new, costs a few array operations per column, a
sorted lookup per run and a merge now and then; only a batch with a copy in it is gone
through row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

BATCH_ROWS = 16_384  # rows gathered before they are told apart (bounded memory)
KEY = ("MaHoSo", "NgayCapNhat")
_MIX = np.uint64(0x9E3779B97F4A7C15)
_NULL = np.uint64(0xD6E8FEB86659FD93)


def _column_prints(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A uint64 per value (equal values, equal prints; null its own print)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_string(column.type):
        prints = _fixed_width_prints(column)
        if prints is None:
            encoded = pc.dictionary_encode(column)
            words = [hash(v) for v in encoded.dictionary.to_pylist()] + [0]
            indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy()
            prints = np.array(words, np.int64).view(np.uint64)[indices]
    else:
        prints = pc.fill_null(column.cast(pa.int64()), 0).to_numpy().view(np.uint64)
    if column.null_count:
        prints = np.where(column.is_null().to_numpy(zero_copy_only=False), _NULL, prints)
    return prints


def _fixed_width_prints(column: pa.StringArray) -> np.ndarray | None:
    """Prints of texts that all have one length (dossier ids, owners' tokens), straight from
    the bytes; ``None`` for any other column."""
    n = len(column)
    if n == 0 or column.null_count:
        return None
    offsets = np.frombuffer(column.buffers()[1], np.int32)[column.offset : column.offset + n + 1]
    width = int(offsets[1] - offsets[0])
    if width == 0 or not np.all(np.diff(offsets) == width):
        return None
    data = np.frombuffer(column.buffers()[2], np.uint8, width * n, int(offsets[0]))
    words = np.zeros((n, -(-width // 8) * 8), np.uint8)
    words[:, :width] = data.reshape(n, width)
    out = np.zeros(n, np.uint64)
    for word in words.view(np.uint64).T:
        out = (out ^ word) * _MIX
    return out


def fingerprints(table: pa.Table, key: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(key print, content print) of every row: content = every other column of the table
    (rows with one key are compared on the rest)."""

    def combine(names: list[str]) -> np.ndarray:
        out = np.zeros(table.num_rows, np.uint64)
        for name in names:
            out = (out ^ _column_prints(table[name])) * _MIX
            out ^= out >> np.uint64(29)
        return out

    with np.errstate(over="ignore"):
        return combine(list(key)), combine([n for n in table.column_names if n not in key])


@dataclass
class Held:
    """Records met (distinct key prints) and the first content of each, as runs sorted by key,
    each run larger than the newer one after it: a batch is added as a run and merged with the
    run before it while it is at least as large, so a record is moved O(log n) times, not once
    per batch as in one sorted array (at SF10, 100 batches into
    1.7 M records: 1.6 s of inserts and lookups, ~1 µs/row, became ~0.2 s)."""

    runs: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
        """Which ``keys`` are held, the first content of each (0 where not held), and whether
        the keys are distinct."""
        order = np.argsort(keys)
        wanted = keys[order]  # sorted lookups: each run is read from front to back
        distinct = not np.any(wanted[1:] == wanted[:-1])
        held = np.zeros(len(keys), bool)
        contents = np.zeros(len(keys), np.uint64)
        for run_keys, run_contents in self.runs:
            at = np.minimum(np.searchsorted(run_keys, wanted), len(run_keys) - 1)
            hit = run_keys[at] == wanted
            held |= hit
            contents[hit] = run_contents[at[hit]]
        found, firsts = np.empty_like(held), np.empty_like(contents)
        found[order], firsts[order] = held, contents
        return found, firsts, distinct

    def add(self, keys: np.ndarray, contents: np.ndarray) -> None:
        """Hold records not met before (distinct keys)."""
        if not len(keys):
            return
        order = np.argsort(keys)
        self.runs.append((keys[order], contents[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= len(self.runs[-1][0]):
            (older_keys, older), (newer_keys, newer) = self.runs.pop(-2), self.runs.pop()
            keys = np.concatenate([older_keys, newer_keys])
            order = np.argsort(keys, kind="stable")  # two sorted runs: one merge pass
            self.runs.append((keys[order], np.concatenate([older, newer])[order]))


@dataclass
class Copies:
    """What a load has met so far: each record's first content, and further versions."""

    held: Held = field(default_factory=Held)  # every record met, with its first content
    more: set[tuple[int, int]] = field(default_factory=set)  # (key, content) of conflicts
    rejected: set[bytes] = field(default_factory=set)  # records quarantined (as sent)
    repeats: int = 0
    conflicts: int = 0
    _pending: list[tuple[pa.Table, str, np.ndarray]] = field(default_factory=list)
    _pending_rows: int = 0

    def add(self, table: pa.Table, ref: str, positions: np.ndarray) -> pa.Table | None:
        """Gather a page's rows (``positions``: each row's place in the page); every
        ``BATCH_ROWS`` rows, the new ones with their ``_source_ref`` (see ``flush``)."""
        self._pending.append((table, ref, positions))
        self._pending_rows += table.num_rows
        return self.flush() if self._pending_rows >= BATCH_ROWS else None

    def flush(self) -> pa.Table | None:
        """The gathered rows without repeats, with a ``_source_ref`` column: the page's
        request, and for a conflict ``#record=<its place in the page>`` too (dbt settles a
        conflict by the copy received last, macros/versions.sql)."""
        if not self._pending:
            return None
        # one chunk: printed column by column, then written, without a copy per column
        table = pa.concat_tables([t for t, _, _ in self._pending]).combine_chunks()
        refs = [r for _, r, _ in self._pending]  # the pages' requests, then conflicts' refs
        index = np.repeat(np.arange(len(refs)), [t.num_rows for t, _, _ in self._pending])
        positions = np.concatenate([p for _, _, p in self._pending])
        self._pending, self._pending_rows = [], 0
        keep, conflicts = self.sort(*fingerprints(table, KEY))
        for i in conflicts:
            refs.append(f"{refs[index[i]]}#record={positions[i]}")
            index[i] = len(refs) - 1
        column = pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(refs))
        table = table.append_column("_source_ref", column.cast(pa.string()))
        return table if keep is None else table.filter(pa.array(keep, pa.bool_()))

    def sort(self, keys: np.ndarray, contents: np.ndarray) -> tuple[np.ndarray | None, list[int]]:
        """Which rows to keep (``None``: all, the usual case) and which of them are
        conflicts (positions), counting repeats and conflicts."""
        held, firsts, distinct = self.held.find(keys)
        if not held.any() and distinct:
            self.held.add(keys, contents)
            return None, []
        first = dict(zip(keys[held].tolist(), firsts[held].tolist(), strict=True))
        new: dict[int, int] = {}
        keep = np.ones(len(keys), bool)
        conflicts = []
        for i, (k, c) in enumerate(zip(keys.tolist(), contents.tolist(), strict=True)):
            seen = first.get(k)
            if seen is None:  # the first copy of this record
                first[k] = new[k] = c
            elif seen == c or (k, c) in self.more:
                keep[i] = False
                self.repeats += 1
            else:
                self.more.add((k, c))
                conflicts.append(i)
                self.conflicts += 1
        if new:
            self.held.add(np.fromiter(new, np.uint64), np.fromiter(new.values(), np.uint64))
        return keep, conflicts

    def new_rejects(self, rejected: list[tuple[Any, str, str]]) -> list[tuple[Any, str, str]]:
        """The quarantined records not met before in the load (a repeat is quarantined once)."""
        fresh = []
        for entry in rejected:
            content = orjson.dumps(entry[0], option=orjson.OPT_SORT_KEYS, default=str)
            if content in self.rejected:
                self.repeats += 1
            else:
                self.rejected.add(content)
                fresh.append(entry)
        return fresh
