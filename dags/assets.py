"""Assets the DAGs produce and consume: one per source's raw lake, one for the marts."""

from airflow.sdk import Asset

LAKE_REPORTING = Asset("ioc://lake/reporting", group="lake")
LAKE_DICHVUCONG = Asset("ioc://lake/dichvucong", group="lake")
LAKE_NGANSACH = Asset("ioc://lake/ngansach", group="lake")
LAKE_DULICH = Asset("ioc://lake/dulich", group="lake")
LAKE_GIAODUC = Asset("ioc://lake/giaoduc", group="lake")
SERVING_MARTS = Asset("ioc://serving/marts", group="serving")

# The marts are rebuilt when any source's lake changes.
ANY_LAKE = LAKE_REPORTING | LAKE_DICHVUCONG | LAKE_NGANSACH | LAKE_DULICH | LAKE_GIAODUC
