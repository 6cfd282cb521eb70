"""Budget revenue as the platform runs it: its DAG's schedule and settings."""

from ingest.common.source import Source

SOURCE = Source(
    "ngansach",
    "Thu ngân sách nhà nước",
    "ingest.ngansach",
    "0 0 * * *",
    drop_variable="ioc_ngansach_drop_dir",
)
