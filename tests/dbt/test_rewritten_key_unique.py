"""A key's uniqueness test on an incremental dossier model checks the keys a run rewrote
against every row (macros/get_where_subquery.sql): with a semi-join when some rows predate
the run, as a plain scan when the run wrote every row. A duplicate fails it either way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dbt.cli.main import dbtRunner

from tests.dbt.dbt_harness import PROJECT, Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake

MODEL = "intermediate.int_dossier_closed"
FUTURE = "timestamp '2999-01-01'"  # after any run's start: as if this run wrote the row
PAST = "timestamp '2000-01-01'"
MARK = "timestamp '1999-01-01'"  # the duplicate's extracted_at


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("warehouse")) as built:
        write_initial_lake(built.lake)
        built.dbt("run", "--select", "+int_dossier_closed")
        yield built


def unique_test(wh: Warehouse) -> tuple[str, int, bool]:
    """int_dossier_closed's unique test on dossier_id: its status, failures, and whether its
    compiled SQL held the semi-join (the where) or read the table once."""
    select = "int_dossier_closed,test_name:unique"
    argv = ["test", "--select", select, "--project-dir", str(PROJECT)]
    result = dbtRunner().invoke([*argv, "--profiles-dir", str(PROJECT), "--quiet"])
    (only,) = result.result.results
    return str(only.status), only.failures, "dbt_subquery" in only.node.compiled_code


def stamp(wh: Warehouse, sql: str) -> None:
    with wh.connect(read_only=False) as con:
        con.execute(sql)


@pytest.mark.parametrize(("others", "semi_join"), [(FUTURE, False), (PAST, True)])
def test_a_duplicate_key_fails_it(wh: Warehouse, others: str, semi_join: bool) -> None:
    stamp(wh, f"update {MODEL} set processed_at = {others}")
    assert unique_test(wh) == ("pass", 0, semi_join)
    # a second row for one dossier, written by "this run" (marked by its extracted_at)
    stamp(wh, f"insert into {MODEL} select dossier_id, closed_at, {MARK}, {FUTURE} "
              f"from {MODEL} order by dossier_id limit 1")  # fmt: skip
    try:
        assert unique_test(wh) == ("fail", 1, semi_join)
    finally:
        stamp(wh, f"delete from {MODEL} where extracted_at = {MARK}")
