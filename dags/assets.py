"""Assets the DAGs produce and consume: one per source's raw lake (from the registry of
sources, ioc/sources.py), one for the marts."""

from functools import reduce
from operator import or_

from airflow.sdk import Asset

from ioc.sources import SOURCES

LAKES = {name: Asset(s.asset_uri, group="lake") for name, s in SOURCES.items()}
SERVING_MARTS = Asset("ioc://serving/marts", group="serving")

# The marts are rebuilt when any source's lake changes.
ANY_LAKE = reduce(or_, LAKES.values())
