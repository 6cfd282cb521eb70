"""The reporting system as the platform runs it: its DAG's schedule and settings."""

from ingest.common.source import Source

SOURCE = Source(
    "reporting",
    "Hệ thống thông tin báo cáo tỉnh",
    "ingest.reporting",
    "0 0 * * *",
    conn_id="ioc_reporting",
    drop_variable="ioc_reporting_drop_dir",
)
