"""Which allocator Arrow takes while a load runs.

The pyarrow wheels allocate with mimalloc by default, which gives freed memory back to the
system within milliseconds: a connector that allocates and frees a page's worth of buffers
per page then takes fresh memory for every page, each first touch a page fault (with
transparent huge pages, 2 MB zeroed at a time). jemalloc keeps freed memory for reuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa


@contextmanager
def reusing_memory() -> Iterator[None]:
    """Arrow allocates from jemalloc (when pyarrow has it) inside the block: the default pool
    is set for the block and put back after it (each buffer is freed to its own pool). Also
    usable as a decorator."""
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without it
        yield
        return
    before = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(before)
