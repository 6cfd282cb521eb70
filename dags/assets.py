"""Assets the DAGs produce and consume: one per source's raw lake, one for the marts."""

from airflow.sdk import Asset

LAKE_DICHVUCONG = Asset("ioc://lake/dichvucong", group="lake")
SERVING_MARTS = Asset("ioc://serving/marts", group="serving")

LAKE_ASSETS = [LAKE_DICHVUCONG]
