"""Validate one lake load with Great Expectations and record the outcome.

GE's pandas datasource reads the load's Parquet in bounded batches (row groups), so a big
load never sits whole in memory. One GE context serves the whole run: importing GE and
building a context is paid once. Results become ``dq_check_result`` rows (written to the
lake's ``_meta/dq_results``) and GE Data Docs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.execution_engine import pandas_execution_engine

from expectations import data_docs
from ingest.common.parse import now_local

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000_000
ROWS_KEPT = 10_000  # failing rows kept per blocking check (the count stays exact)

# GE fingerprints every pandas batch under 1 GB (an MD5 of pandas' hash of each row) only to
# show it among the result's batch markers, which nothing here reads: 2.6 of 12.6 s for a
# month of dossiers at SF10 (benchmarks/README.md). Zero: never.
pandas_execution_engine.HASH_THRESHOLD = 0
RESULT_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("checked_at", pa.timestamp("us")),
        ("dataset", pa.string()),
        ("load_id", pa.string()),
        ("check_name", pa.string()),
        ("dimension", pa.string()),
        ("severity", pa.string()),
        ("status", pa.string()),
        ("rows_checked", pa.int64()),
        ("rows_failed", pa.int64()),
        ("details", pa.string()),
    ]
)


class ValidationFailed(RuntimeError):
    """A blocking (critical) expectation failed: the load must not be published."""


@dataclass
class CheckResult:
    check_name: str
    dimension: str
    severity: str
    rows_checked: int = 0
    rows_failed: int = 0
    failed: bool = False
    details: list[str] = field(default_factory=list)
    failed_rows: list[dict[str, Any]] = field(default_factory=list)  # blocking checks only

    @property
    def status(self) -> str:
        if not self.failed:
            return "pass"
        return "fail" if self.severity == "critical" else "warn"


def _batches(paths: list[Path]) -> Iterator[Any]:
    """The rows of one or more loads as pandas DataFrames of about BATCH_ROWS rows (small
    loads are gathered into one frame; a big one is cut)."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    for file in (f for path in paths for f in sorted(path.glob("*.parquet"))):
        with pq.ParquetFile(file) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                if pending and rows + batch.num_rows > BATCH_ROWS:
                    yield _frame(pending)
                    pending, rows = [], 0
                pending.append(batch)
                rows += batch.num_rows
    if pending:
        yield _frame(pending)


def _frame(batches: list[pa.RecordBatch]) -> Any:
    # Loads of one dataset share a schema; if one does not, its missing columns are nulls
    # (and its columns are still checked against the suite's list, group or not).
    table = pa.concat_tables(
        [pa.Table.from_batches([b]) for b in batches], promote_options="permissive"
    )
    # Dates and times in nanoseconds (dates then compare with datetimes): GE checks a range
    # on a datetime64[ns] column in one vectorised step, but on any other unit value by value
    # in Python (21 of 39 s for a month of dossiers at SF10, benchmarks/README.md). A value
    # outside the nanosecond range (a hand-made year 9999) keeps the lake's units: the same
    # results, value by value.
    try:
        return table.to_pandas(date_as_object=False, coerce_temporal_nanoseconds=True)
    except pa.ArrowInvalid:
        return table.to_pandas(date_as_object=False)


@dataclass
class Validator:
    """A GE context for one pipeline run."""

    data_docs_dir: Path
    run_id: str
    context: Any = field(init=False)
    _definitions: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.context = gx.get_context(mode="ephemeral")
        self.context.enable_analytics(False)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.data_docs_dir.mkdir(parents=True, exist_ok=True)
        self.context.add_data_docs_site(
            site_name=data_docs.SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(self.data_docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )

    def validate(
        self,
        dataset: str,
        load_id: str,
        path: Path | list[Path] | pd.DataFrame,
        suite: Callable[[], Any],
        parameters: dict[str, Any],
        row_id: tuple[str, ...] = ("_source_ref",),
    ) -> list[CheckResult]:
        """Run the dataset's suite on every batch of the load(s) at ``path`` (or on a frame
        made for the purpose); sum the outcomes.

        GE objects are made once per dataset; what differs between loads (their window)
        comes in as expectation parameters. When a blocking row-level check fails, the batch
        is checked again asking GE for the failing rows (named by the ``row_id`` columns), so
        they can be quarantined with their reason.
        """
        definition = self._definitions.get(dataset)
        if definition is None:
            asset = self.context.data_sources.add_pandas(dataset).add_dataframe_asset("loads")
            definition = self.context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=dataset,
                    data=asset.add_batch_definition_whole_dataframe("load"),
                    suite=self.context.suites.add(suite()),
                )
            )
            self._definitions[dataset] = definition
        totals: dict[str, CheckResult] = {}
        if isinstance(path, pd.DataFrame):
            frames: Iterator[pd.DataFrame] = iter([path])
        else:
            frames = _batches(path if isinstance(path, list) else [path])
        for frame in frames:
            run = definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format="SUMMARY",
            )
            for outcome in run.results:
                self._add(totals, outcome, len(frame))
            if any(_blocks_rows(o) for o in run.results):
                columns = [c for c in row_id if c in frame.columns]
                again = definition.run(
                    batch_parameters={"dataframe": frame},
                    expectation_parameters=parameters,
                    result_format={
                        "result_format": "COMPLETE",
                        "unexpected_index_column_names": columns,
                    },
                )
                for outcome in filter(_blocks_rows, again.results):
                    kept = totals[_key(outcome.expectation_config)].failed_rows
                    rows = (outcome.result.get("unexpected_index_list") or [])[
                        : max(ROWS_KEPT - len(kept), 0)
                    ]
                    if (outcome.expectation_config.meta or {}).get("rule") == "pii":
                        # The failing value may be personal data in clear text: never kept.
                        rows = [{c: r.get(c) for c in columns} for r in rows]
                    kept += rows
        return list(totals.values())

    @staticmethod
    def _add(totals: dict[str, CheckResult], outcome: Any, rows: int) -> None:
        config = outcome.expectation_config
        key = _key(config)
        result = totals.setdefault(
            key,
            CheckResult(key, (config.meta or {}).get("dimension", "dung"), _severity(config)),
        )
        result.rows_checked += int(outcome.result.get("element_count") or rows)
        result.rows_failed += int(outcome.result.get("unexpected_count") or 0)
        if not outcome.success:
            result.failed = True
            sample = (
                outcome.result.get("partial_unexpected_list")
                or outcome.result.get("details")
                or outcome.exception_info.get("exception_message")
            )
            result.details.append(str(sample)[:500])

    def build_docs(self) -> Path:
        """Render Data Docs for every validation of this run (once, at the end)."""
        return data_docs.build(self.context, self.data_docs_dir)

    def write(self, results: list[CheckResult], dataset: str, load_id: str, meta: Path) -> Path:
        """Record the results as ``dq_check_result`` rows, replacing the load's earlier ones."""
        now = now_local()
        rows = [
            {
                "run_id": self.run_id,
                "checked_at": now,
                "dataset": dataset,
                "load_id": load_id,
                "check_name": r.check_name,
                "dimension": r.dimension,
                "severity": r.severity,
                "status": r.status,
                "rows_checked": r.rows_checked,
                "rows_failed": r.rows_failed,
                "details": "; ".join(r.details),
            }
            for r in results
        ]
        path = meta / "dq_results" / dataset / f"{load_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, RESULT_SCHEMA), path)
        return path


def _key(config: Any) -> str:
    """A check's name: the expectation and the columns it looks at."""
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    shown = ("column", "column_list", "column_A", "column_B")
    args = ", ".join(f"{k}={v}" for k, v in sorted(kwargs.items()) if k in shown)
    return f"{config.type}({args})"


def _severity(config: Any) -> str:
    return str(getattr(config.severity, "value", config.severity)).lower()


def _blocks_rows(outcome: Any) -> bool:
    """A blocking check that failed on particular rows (not on the table as a whole)."""
    return (
        not outcome.success
        and _severity(outcome.expectation_config) == "critical"
        and bool(outcome.result.get("unexpected_count"))
    )


def quarantine_rows(
    results: list[CheckResult], dataset: str, load_id: str, where: Path
) -> list[dict[str, Any]]:
    """The rows that failed blocking checks, as quarantine entries (``where``: the folder
    the load's files now live in). A row failing two checks is listed under each."""
    now = now_local()
    out = []
    for r in results:
        for row in r.failed_rows:
            values = {k: v for k, v in row.items() if k != "_source_ref"}
            ref = row.get("_source_ref") or ""
            out.append(
                {
                    "load_id": load_id,
                    "dataset": dataset.split(".", 1)[-1],
                    "reason": f"{r.check_name} [{r.dimension}, chặn công bố]: lần nạp bị loại",
                    "raw_location": f"{where} {ref}".strip(),
                    "record": orjson.dumps(values, default=str).decode(),
                    "quarantined_at": now,
                }
            )
    return out


def gate(results: list[CheckResult], dataset: str, load_id: str) -> None:
    """Stop the run on a failed critical expectation, naming every failure."""
    blocking = [r for r in results if r.status == "fail"]
    if blocking:
        lines = "\n".join(
            f"  - {r.check_name}: {r.rows_failed} of {r.rows_checked} rows; "
            f"{'; '.join(r.details)[:300]}"
            for r in blocking
        )
        raise ValidationFailed(
            f"{dataset} load {load_id} failed {len(blocking)} blocking check(s):\n{lines}"
        )
