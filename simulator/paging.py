"""Pages over a window's canonical record order, and a log of what was served."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PageSlice:
    rows: np.ndarray  # canonical row indices served on this page
    page: int
    page_size: int
    total: int  # rows over all pages of the layout (duplicated pages count twice)
    total_pages: int
    is_last: bool


def page_slice(n_rows: int, layout: np.ndarray, page: int, page_size: int) -> PageSlice:
    """Rows of ``page`` (1-based) when pages are served in ``layout`` order of canonical pages."""
    lengths = np.minimum(page_size, n_rows - layout * page_size)
    total_pages = len(layout)
    if page > total_pages:
        rows = np.zeros(0, dtype=np.int64)
    else:
        start = int(layout[page - 1]) * page_size
        rows = np.arange(start, start + int(lengths[page - 1]))
    return PageSlice(
        rows=rows,
        page=page,
        page_size=page_size,
        total=int(lengths.sum()),
        total_pages=total_pages,
        is_last=page >= total_pages,
    )


class ServedLog:
    """Which canonical rows of recent windows were sent at least once, and how many rows."""

    def __init__(self, max_windows: int = 32) -> None:
        self._windows: OrderedDict[tuple, tuple[np.ndarray, list[int]]] = OrderedDict()
        self._max = max_windows
        self._lock = threading.Lock()

    def mark(self, window_key: tuple, n_rows: int, rows: np.ndarray) -> None:
        with self._lock:
            entry = self._windows.get(window_key)
            if entry is None or len(entry[0]) != n_rows:
                entry = (np.zeros(n_rows, dtype=bool), [0, 0])
                self._windows[window_key] = entry
            self._windows.move_to_end(window_key)
            entry[0][rows] = True
            entry[1][0] += len(rows)
            entry[1][1] += 1
            while len(self._windows) > self._max:
                self._windows.popitem(last=False)

    def summary(self, window_key: tuple) -> dict | None:
        with self._lock:
            entry = self._windows.get(window_key)
            if entry is None:
                return None
            return {"rows": entry[1][0], "distinct": int(entry[0].sum()), "pages": entry[1][1]}

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()
