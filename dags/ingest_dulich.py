"""Tourism statistics (thống kê du lịch): monthly figures, estimates then official.

Airflow DAG `ingest_dulich`: every month, the months not landed yet and those still estimates."""

from dags.ingestion import ingest_dag
from ioc.sources import SOURCES

ingest_dag(SOURCES["dulich"], __doc__, __file__)
