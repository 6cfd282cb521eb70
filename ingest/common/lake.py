"""Writing one load into the raw lake: a folder per load, staged, then promoted by rename.

A load is written beside the live lake and enters it only once validated:

- parts are written into a hidden folder ``<lake>/_staging/<source>/<dataset>/.writing-<id>``
  and renamed to ``<lake>/_staging/<source>/<dataset>/load_id=<id>`` when complete (``commit``:
  the load has *landed*; nothing reads ``_staging``, dbt included);
- ``promote`` renames a staged load into the live layout
  ``<lake>/<source>/<dataset>/load_id=<id>/part-NNNNN.parquet``, replacing any earlier copy of
  the same load whole, so re-running a load never duplicates it;
- ``set_aside`` moves a staged load that must not go live to ``_meta/rejected/`` for stewards.

Everything stays on one filesystem, so each step is a rename. Which step happens when is
decided in ``ingest.common.lifecycle``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

STAGING = "_staging"  # beside the sources' folders in the lake; never read by dbt
PROVINCE_PARTITION = "province="  # a province's part of a many-province lake
LOAD_COLUMNS = [
    pa.field("_load_id", pa.string()),
    pa.field("_extracted_at", pa.timestamp("us")),
    pa.field("_source_ref", pa.string()),
]


def with_load_columns(schema: pa.Schema) -> pa.Schema:
    return pa.schema([*schema, *LOAD_COLUMNS])


@dataclass
class LoadWriter:
    """Streams record batches of one load to Parquet; ``commit`` stages the folder."""

    lake: Path
    source: str
    dataset: str
    load_id: str
    schema: pa.Schema
    extracted_at: datetime
    rows_per_file: int = 2_000_000
    row_group_rows: int = 128_000
    # Columns worth dictionary-encoding (few distinct values); None = every column. Skipping
    # it for identifiers, hashes and times saves the writer the attempt and the fallback.
    dictionary_columns: list[str] | None = None
    rows: int = 0
    _writer: pq.ParquetWriter | None = field(default=None, init=False)
    _pending: list[pa.Table] = field(default_factory=list, init=False)
    _pending_rows: int = field(default=0, init=False)
    _part: int = field(default=0, init=False)
    _rows_in_part: int = field(default=0, init=False)

    @property
    def final_dir(self) -> Path:
        """Where the load lives once promoted."""
        return live_dir(self.lake, self.source, self.dataset, self.load_id)

    @property
    def staged_dir(self) -> Path:
        """Where the complete load waits for validation."""
        return staged_dir(self.lake, self.source, self.dataset, self.load_id)

    @property
    def staging_dir(self) -> Path:
        """Where the parts are written while the load is under way."""
        return self.staged_dir.with_name(f".writing-{self.load_id}")

    def __post_init__(self) -> None:
        shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.staging_dir.mkdir(parents=True)

    def write(self, table: pa.Table, source_ref: pa.Array) -> None:
        """Append rows (already in the dataset's schema) with their load columns.

        Small writes (a page each) are gathered into row groups of ``row_group_rows`` rows:
        one row group per page would make large, slow files.
        """
        n = table.num_rows
        if n == 0:
            return
        table = table.append_column(LOAD_COLUMNS[0], pa.repeat(self.load_id, n))
        table = table.append_column(
            LOAD_COLUMNS[1], pa.repeat(pa.scalar(self.extracted_at, pa.timestamp("us")), n)
        )
        table = table.append_column(LOAD_COLUMNS[2], source_ref)
        table = table.select(with_load_columns(self.schema).names).cast(
            with_load_columns(self.schema)
        )
        self._pending.append(table)
        self._pending_rows += n
        self.rows += n
        if self._pending_rows >= self.row_group_rows:
            self._flush(whole_groups=True)

    def _flush(self, whole_groups: bool = False) -> None:
        """Write the rows gathered; with ``whole_groups`` only those that fill whole row
        groups (the rest waits for the next write: no short row group in mid-load)."""
        if not self._pending:
            return
        table = pa.concat_tables(self._pending)
        rest = table.num_rows % self.row_group_rows if whole_groups else 0
        self._pending = [table.slice(table.num_rows - rest)] if rest else []
        self._pending_rows = rest
        table = table.slice(0, table.num_rows - rest)
        if self._writer is None or self._rows_in_part >= self.rows_per_file:
            self._open_part()
        assert self._writer is not None
        self._writer.write_table(table, row_group_size=self.row_group_rows)
        self._rows_in_part += table.num_rows

    def _open_part(self) -> None:
        if self._writer is not None:
            self._writer.close()
        path = self.staging_dir / f"part-{self._part:05d}.parquet"
        dictionary: bool | list[str] = True
        if self.dictionary_columns is not None:
            dictionary = [*self.dictionary_columns, "_load_id", "_source_ref"]
        self._writer = pq.ParquetWriter(
            path,
            with_load_columns(self.schema),
            compression="zstd",
            compression_level=1,
            use_dictionary=dictionary,
        )
        self._part += 1
        self._rows_in_part = 0

    def commit(self) -> Path:
        """Stage the complete load (replacing an earlier staged copy); returns its folder."""
        self._flush()
        if self._writer is None:
            self._open_part()  # an empty load still leaves an (empty) file: it happened
        assert self._writer is not None
        self._writer.close()
        self._writer = None
        _replace(self.staging_dir, self.staged_dir)
        return self.staged_dir

    def abort(self) -> None:
        self._pending, self._pending_rows = [], 0
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        shutil.rmtree(self.staging_dir, ignore_errors=True)


def live_dir(lake: Path, source: str, dataset: str, load_id: str) -> Path:
    """``<lake>/<source>/<dataset>/load_id=<id>``; for one province of a many-province lake
    (``lake`` = ``<shared lake>/province=<code>``, ``WarehousePaths.for_province``) the load
    goes into the shared Hive table, ``<shared lake>/<source>/<dataset>/province=<code>/
    load_id=<id>``, while its staging, ledger, quarantine and raw archive stay the province's."""
    if lake.name.startswith(PROVINCE_PARTITION):
        return lake.parent / source / dataset / lake.name / f"load_id={load_id}"
    return lake / source / dataset / f"load_id={load_id}"


def staged_dir(lake: Path, source: str, dataset: str, load_id: str) -> Path:
    return lake / STAGING / source / dataset / f"load_id={load_id}"


def rejected_dir(meta: Path, source: str, dataset: str, load_id: str) -> Path:
    return meta / "rejected" / f"{source}__{dataset}" / f"load_id={load_id}"


def promote(lake: Path, source: str, dataset: str, load_id: str) -> Path:
    """Move a staged load into the live lake, replacing an earlier copy of it whole."""
    live = live_dir(lake, source, dataset, load_id)
    _replace(staged_dir(lake, source, dataset, load_id), live)
    return live


def set_aside(lake: Path, meta: Path, source: str, dataset: str, load_id: str) -> Path | None:
    """Keep a staged load that must not go live under ``_meta/rejected/`` (for stewards);
    ``None`` when nothing is staged (the attempt wrote nothing)."""
    staged = staged_dir(lake, source, dataset, load_id)
    if not staged.exists():
        return None
    kept = rejected_dir(meta, source, dataset, load_id)
    _replace(staged, kept)
    return kept


def _replace(folder: Path, target: Path) -> None:
    """Rename ``folder`` to ``target``; an earlier ``target`` is moved away first and then
    deleted, so ``target`` is at every moment one whole copy or (between two renames) none."""
    old = target.with_name(f".replaced-{target.name}")
    shutil.rmtree(old, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    folder.rename(target)
    shutil.rmtree(old, ignore_errors=True)
