"""A warehouse built once for the new-source modules: the hand-made dichvucong lake plus the
budget revenue (ngansach), tourism (dulich), education (giaoduc) and reporting lakes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake
from tests.dbt.dbt_lake_dulich import write_tourism_lake
from tests.dbt.dbt_lake_giaoduc import write_education_lake
from tests.dbt.dbt_lake_ngansach import write_budget_lake
from tests.dbt.dbt_lake_reporting import write_reporting_lake


@pytest.fixture(scope="session")
def sources_built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("sources_warehouse")) as wh:
        write_initial_lake(wh.lake)
        write_budget_lake(wh.lake)
        write_tourism_lake(wh.lake)
        write_education_lake(wh.lake)
        write_reporting_lake(wh.lake)
        wh.dbt("build")
        yield wh
