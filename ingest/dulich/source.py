"""Tourism statistics as the platform runs them: the DAG's schedule and settings."""

from ingest.common.source import Source

SOURCE = Source("dulich", "Thống kê du lịch", "ingest.dulich", "0 0 1 * *", conn_id="ioc_dulich")
