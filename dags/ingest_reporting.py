"""Provincial reporting system (Hệ thống thông tin báo cáo tỉnh): reports by API and Excel files.

Airflow DAG `ingest_reporting`: every day, the reports changed since the last pull (API) and the
Excel reports dropped since (folder `ioc_reporting_drop_dir`)."""

from dags.ingestion import ingest_dag
from ioc.sources import SOURCES

ingest_dag(SOURCES["reporting"], __doc__, __file__)
