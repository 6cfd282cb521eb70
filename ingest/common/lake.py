"""Writing one load into the raw lake: a folder per load, published by rename.

``<lake>/<source>/<dataset>/load_id=<id>/part-NNNNN.parquet``. Parts are written into a
hidden staging folder and renamed into place when the load is complete, so a reader never
sees half a load and re-running a load replaces it whole (never duplicates).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

LOAD_COLUMNS = [
    pa.field("_load_id", pa.string()),
    pa.field("_extracted_at", pa.timestamp("us")),
    pa.field("_source_ref", pa.string()),
]


def with_load_columns(schema: pa.Schema) -> pa.Schema:
    return pa.schema([*schema, *LOAD_COLUMNS])


@dataclass
class LoadWriter:
    """Streams record batches of one load to Parquet; ``commit`` publishes the folder."""

    lake: Path
    source: str
    dataset: str
    load_id: str
    schema: pa.Schema
    extracted_at: datetime
    rows_per_file: int = 2_000_000
    rows: int = 0
    _writer: pq.ParquetWriter | None = field(default=None, init=False)
    _part: int = field(default=0, init=False)
    _rows_in_part: int = field(default=0, init=False)

    @property
    def final_dir(self) -> Path:
        return self.lake / self.source / self.dataset / f"load_id={self.load_id}"

    @property
    def staging_dir(self) -> Path:
        return self.lake / self.source / self.dataset / f".staging-{self.load_id}"

    def __post_init__(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)

    def write(self, table: pa.Table, source_ref: pa.Array) -> None:
        """Append rows (already in the dataset's schema) with their load columns."""
        n = table.num_rows
        if n == 0:
            return
        table = table.append_column(LOAD_COLUMNS[0], pa.array([self.load_id] * n, pa.string()))
        table = table.append_column(
            LOAD_COLUMNS[1], pa.array([self.extracted_at] * n, pa.timestamp("us"))
        )
        table = table.append_column(LOAD_COLUMNS[2], source_ref)
        table = table.select(with_load_columns(self.schema).names).cast(
            with_load_columns(self.schema)
        )
        if self._writer is None or self._rows_in_part >= self.rows_per_file:
            self._open_part()
        assert self._writer is not None
        self._writer.write_table(table, row_group_size=256_000)
        self._rows_in_part += n
        self.rows += n

    def _open_part(self) -> None:
        if self._writer is not None:
            self._writer.close()
        path = self.staging_dir / f"part-{self._part:05d}.parquet"
        self._writer = pq.ParquetWriter(path, with_load_columns(self.schema), compression="zstd")
        self._part += 1
        self._rows_in_part = 0

    def commit(self) -> Path:
        """Publish the load: replace any earlier copy of the same load whole."""
        if self._writer is None:
            self._open_part()  # an empty load still leaves an (empty) file: it happened
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        old = self.final_dir.with_name(f".replaced-{self.load_id}")
        shutil.rmtree(old, ignore_errors=True)
        if self.final_dir.exists():
            self.final_dir.rename(old)
        self.staging_dir.rename(self.final_dir)
        shutil.rmtree(old, ignore_errors=True)
        return self.final_dir

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        shutil.rmtree(self.staging_dir, ignore_errors=True)
