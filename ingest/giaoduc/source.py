"""The education database as the platform runs it: its DAG's schedule and settings."""

from ingest.common.source import Source

SOURCE = Source(
    "giaoduc", "Cơ sở dữ liệu giáo dục", "ingest.giaoduc", "0 0 1 * *", conn_id="ioc_giaoduc"
)
