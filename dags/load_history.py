"""The whole history in one run, under the scheduler: the documented equivalent of a
backfill of every closing DAG from 2022-01.

Airflow DAG `load_history` (never scheduled; `bin/ioc history` triggers it through the REST
API, params `since` and `until`, months `YYYY-MM`): pull every configured source up to the
close of the month `until` (default: the last month closed), validate, record the close of
every period of every type from `since` that has closed by then (as the backfill of its
closing DAG would, `backfill`), then build and publish the marts once."""

from dags.closing import history_dag

history_dag(__doc__, __file__)
