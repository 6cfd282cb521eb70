"""Budget revenue (thu ngân sách): monthly CSV exports from treasury and tax.

Airflow DAG `ingest_ngansach`: every day, the files dropped (new or re-exported) in the folder
`ioc_ngansach_drop_dir`."""

from dags.ingestion import ingest_dag
from ioc.sources import SOURCES

ingest_dag(SOURCES["ngansach"], __doc__, __file__)
