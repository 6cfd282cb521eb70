"""Education (giáo dục): schools by school year and graduation results.

Airflow DAG `ingest_giaoduc`: every month, the school years still open and the exam years not
landed."""

from dags.ingestion import ingest_dag
from ioc.sources import SOURCES

ingest_dag(SOURCES["giaoduc"], __doc__, __file__)
