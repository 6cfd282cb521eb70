"""The public-services portal as the platform runs it: its DAG's schedule and settings."""

from ingest.common.source import Source

SOURCE = Source(
    "dichvucong",
    "Hệ thống thông tin giải quyết thủ tục hành chính",
    "ingest.dichvucong",
    "0 0 1 * *",
    conn_id="ioc_dichvucong",
    needs_pseudonymisation_key=True,
)
