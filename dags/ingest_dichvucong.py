"""Public-services portal (Hệ thống thông tin giải quyết TTHC): dossier change stream.

Airflow DAG `ingest_dichvucong`: every month, the dossier records changed since the last pull,
and the procedure catalog."""

from dags.ingestion import ingest_dag
from ioc.sources import SOURCES

ingest_dag(SOURCES["dichvucong"], __doc__, __file__)
