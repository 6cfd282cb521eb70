"""Snapshots of the catalog: indicator sets and indicators, one load each per run."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pyarrow as pa

from ingest.common.http import SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.reporting.contracts import INDICATOR_SCHEMA, SET_SCHEMA
from ingest.reporting.settings import INDICATORS_PATH, SETS_PATH, SOURCE


def _nfc(value: object) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", str(value)).strip()


def load_catalog(client: SourceClient, paths: WarehousePaths, as_of: datetime) -> list[LoadResult]:
    out = []
    for dataset, path, schema in (
        ("bo_chi_tieu", SETS_PATH, SET_SCHEMA),
        ("chi_tieu", INDICATORS_PATH, INDICATOR_SCHEMA),
    ):
        load_id = f"{dataset}_{as_of:%Y%m%dT%H%M}"
        writer = LoadWriter(paths.lake, SOURCE, dataset, load_id, schema, now_local())
        with landing(paths.meta, writer) as load:
            load.data_until = as_of  # a snapshot: its data reach the time it stands for
            for page in client.pages(path, {}, 1000):
                rows = [{k: _nfc(r.get(k)) for k in schema.names} for r in page.records]
                load.rows_in += len(rows)
                writer.write(pa.Table.from_pylist(rows, schema), pa.repeat(page.ref, len(rows)))
        out.append(load.result())
    return out
