"""``reusing_memory``: Arrow allocates from jemalloc inside the block, and the pool in force
before is back after it, also when the block fails."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ingest.common.arrow_pool import reusing_memory


def test_the_block_allocates_from_jemalloc_and_the_pool_comes_back() -> None:
    before = pa.default_memory_pool().backend_name
    jemalloc = pa.jemalloc_memory_pool()
    allocated = jemalloc.bytes_allocated()
    with reusing_memory():
        assert pa.default_memory_pool().backend_name == "jemalloc"
        values = pa.array(range(100_000), pa.int64())
        assert jemalloc.bytes_allocated() >= allocated + 800_000
    assert pa.default_memory_pool().backend_name == before
    with pytest.raises(ZeroDivisionError), reusing_memory():
        1 / 0  # noqa: B018
    assert pa.default_memory_pool().backend_name == before
    del values
