"""Education (giáo dục): schools by school year and graduation results.

Airflow DAG `ingest_giaoduc`: every month, the school years still open and the exam years not
landed."""

from dags.assets import LAKE_GIAODUC
from dags.ingestion import ingest_dag

ingest_dag("giaoduc", "0 0 1 * *", LAKE_GIAODUC, __doc__, __file__)
