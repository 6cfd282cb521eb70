"""One paged listing of a small HTTP source → one lake load (shared by dulich and giaoduc).

Records are small and few (hundreds to a few thousand a load), so each is checked field by
field: Vietnamese-format numbers are read as the numbers they are, anything unreadable sends
the record to quarantine with the field named. A record that comes again identical (a page
sent twice) is a repeat: skipped and counted. A record that comes again *different* (another
publication or update of the same key, or a conflicting copy) is a version: every version is
kept in the lake, and dbt chooses the newest (models/intermediate/*_latest). Every page is
archived as received (ingest/common/raw.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa

from ingest.common import parse
from ingest.common.http import SourceClient
from ingest.common.lake import LoadWriter
from ingest.common.landing import landing
from ingest.common.ledger import Ledger
from ingest.common.parse import now_local
from ingest.common.raw import RawArchive, raw_path
from ingest.common.results import LoadResult
from ingest.common.settings import WarehousePaths
from ingest.common.windows import Window


@dataclass(frozen=True)
class Listing:
    """A dataset served as a paged listing: where, its schema and how to read a record."""

    source: str
    dataset: str
    path: str
    schema: pa.Schema
    key_fields: tuple[str, ...]  # a record's identity (dedupe, quarantine reasons)
    required: tuple[str, ...]

    def parse_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """One record in the dataset's types; ``ValueError`` names the field and value."""
        out: dict[str, Any] = {}
        for f in self.schema:
            value = record.get(f.name)
            try:
                if f.name in self.required and value in (None, ""):
                    raise ValueError("required value is missing")
                if pa.types.is_integer(f.type):
                    out[f.name] = parse.parse_int(value)
                elif pa.types.is_floating(f.type):
                    out[f.name] = parse.parse_number(value)
                elif pa.types.is_timestamp(f.type):
                    out[f.name] = parse.parse_local_time(value)
                elif value is None:
                    out[f.name] = None
                elif isinstance(value, str):
                    out[f.name] = unicodedata.normalize("NFC", value.strip())
                else:
                    raise ValueError(f"{value!r} is not text")
            except ValueError as exc:
                raise ValueError(f"field {f.name}: {exc}") from None
        return out

    def describe(self, record: dict[str, Any]) -> str:
        return ", ".join(f"{k} {record.get(k)!r}" for k in self.key_fields)


@dataclass(frozen=True)
class LoadSpec:
    """One load of a listing: its id, the request and the window it stands for."""

    load_id: str
    params: dict[str, Any]
    window: Window  # what the ledger records (and the watermark reads)
    as_of: datetime  # when the source is asked: an open period's figures are as of then
    check_window: bool = True  # hand the window to the expectations


def load_listing(
    client: SourceClient,
    paths: WarehousePaths,
    listing: Listing,
    spec: LoadSpec,
    page_size: int,
) -> LoadResult:
    """Every page of the listing → one load folder (replaced whole on re-run) + ledger entry."""
    dataset, load_id = listing.dataset, spec.load_id
    writer = LoadWriter(paths.lake, listing.source, dataset, load_id, listing.schema, now_local())
    raw = RawArchive(raw_path(paths.lake, listing.source, dataset, load_id))
    seen: set[bytes] = set()  # every distinct record (its content)
    keys: set[tuple] = set()
    versions = 0
    landed = 0
    try:
        with landing(paths.meta, writer, spec.window) as load:
            for page in client.pages(listing.path, spec.params, page_size):
                raw.add(page)
                load.rows_in += len(page.records)
                good, refs = [], []
                for index, record in enumerate(page.records):
                    content = orjson.dumps(record, option=orjson.OPT_SORT_KEYS, default=str)
                    if content in seen:
                        load.duplicates += 1
                        continue
                    seen.add(content)
                    key = tuple(str(record.get(k)) for k in listing.key_fields)
                    versions += key in keys
                    keys.add(key)
                    where = f"{page.ref}#record={index}"
                    try:
                        good.append(listing.parse_record(record))
                        refs.append(where)
                    except ValueError as exc:
                        reason = f"{listing.describe(record)}: {exc}"
                        load.rejected.append(_quarantined(record, where, reason, load_id, dataset))
                writer.write(
                    pa.Table.from_pylist(good, listing.schema), pa.array(refs, pa.string())
                )
                landed += len(good)
            # its figures reach the period's end (or the moment asked, in an open period);
            # a period with no figures yet reaches nothing
            load.data_until = min(spec.window.end, spec.as_of) if landed else None
            load.raw_location = str(raw.commit())
            load.message = "; ".join(
                text
                for n, text in [
                    (load.duplicates, f"{load.duplicates} identical repeats skipped"),
                    (
                        versions,
                        f"{versions} further versions of a record kept (dbt takes the newest)",
                    ),
                ]
                if n
            )
    except BaseException:
        raw.abort()  # nothing landed: no archive either
        raise
    return load.result() if spec.check_window else replace(load.result(), window=None)


def _quarantined(
    record: dict[str, Any], where: str, reason: str, load_id: str, dataset: str
) -> dict[str, Any]:
    return {
        "load_id": load_id,
        "dataset": dataset,
        "reason": reason,
        "raw_location": where,
        "record": orjson.dumps(record, default=str).decode(),
        "quarantined_at": now_local(),
    }


def latest_loads(paths: WarehousePaths, source: str, dataset: str) -> dict[str, dict]:
    """Each load id's latest successful or rejected ledger entry (failed attempts changed
    nothing), keyed by load id."""
    latest: dict[str, dict] = {}
    for e in Ledger(paths.meta).entries(source, dataset).to_pylist():
        if e["status"] not in ("success", "rejected"):
            continue
        held = latest.get(e["load_id"])
        if held is None or e["started_at"] > held["started_at"]:
            latest[e["load_id"]] = e
    return latest


def asof_stamp(until: datetime) -> str:
    """The pull's part of a load id: re-running the same refresh gives the same loads."""
    return f"asof_{until:%Y%m%d}"
