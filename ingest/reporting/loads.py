"""Quarantine rows shared by the loads: the record as JSON, where it was and why."""

from __future__ import annotations

from typing import Any

import orjson

from ingest.common.parse import now_local


def quarantine_rows(
    rejected: list[tuple[Any, str, str]], load_id: str, dataset: str
) -> list[dict[str, Any]]:
    now = now_local()
    return [
        {
            "load_id": load_id,
            "dataset": dataset,
            "reason": reason,
            "raw_location": where,
            "record": orjson.dumps(record, default=str).decode(),
            "quarantined_at": now,
        }
        for record, where, reason in rejected
    ]
