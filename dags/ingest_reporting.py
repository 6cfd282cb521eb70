"""Provincial reporting system (Hệ thống thông tin báo cáo tỉnh): reports by API and Excel files.

Airflow DAG `ingest_reporting`: every day, the reports changed since the last pull (API) and the
Excel reports dropped since (folder `ioc_reporting_drop_dir`)."""

from dags.assets import LAKE_REPORTING
from dags.ingestion import ingest_dag

ingest_dag("reporting", "0 0 * * *", LAKE_REPORTING, __doc__, __file__)
