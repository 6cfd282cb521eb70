"""Public-services portal (Hệ thống thông tin giải quyết TTHC): dossier change stream.

Airflow DAG `ingest_dichvucong`: every month, the dossier records changed since the last pull,
and the procedure catalog."""

from dags.assets import LAKE_DICHVUCONG
from dags.ingestion import ingest_dag

ingest_dag("dichvucong", "0 0 1 * *", LAKE_DICHVUCONG, __doc__, __file__)
