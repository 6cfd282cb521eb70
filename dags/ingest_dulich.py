"""Tourism statistics (thống kê du lịch): monthly figures, estimates then official.

Airflow DAG `ingest_dulich`: every month, the months not landed yet and those still estimates."""

from dags.assets import LAKE_DULICH
from dags.ingestion import ingest_dag

ingest_dag("dulich", "0 0 1 * *", LAKE_DULICH, __doc__, __file__)
