"""Budget revenue (thu ngân sách): monthly CSV exports from treasury and tax.

Airflow DAG `ingest_ngansach`: every day, the files dropped (new or re-exported) in the folder
`ioc_ngansach_drop_dir`."""

from dags.assets import LAKE_NGANSACH
from dags.ingestion import ingest_dag

ingest_dag("ngansach", "0 0 * * *", LAKE_NGANSACH, __doc__, __file__)
