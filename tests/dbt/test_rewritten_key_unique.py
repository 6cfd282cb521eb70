"""A key's uniqueness test on an incremental dossier model checks the keys a run rewrote
against every row (macros/get_where_subquery.sql): with a semi-join, its probe side cut to
the range of the rewritten keys, when some rows predate the run; as a plain scan when the
run wrote every row. A duplicate fails it either way: a rewritten key held by an older row
too, or two rows of one key both written by the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dbt.cli.main import dbtRunner

from tests.dbt.dbt_harness import PROJECT, Warehouse, warehouse
from tests.dbt.dbt_lake import write_initial_lake

MODEL = "marts.fct_dossier"
FUTURE = "timestamp '2999-01-01'"  # after any run's start: as if this run wrote the row
PAST = "timestamp '2000-01-01'"
MARK = "timestamp '1999-01-01'"  # the duplicate's extracted_at


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("warehouse")) as built:
        write_initial_lake(built.lake)
        built.dbt("seed")  # fct_dossier places dossiers by the unit lists
        built.dbt("run", "--select", "+fct_dossier")
        yield built


def run_unique_test() -> tuple[str, int, str]:
    """fct_dossier's unique test on dossier_id: its status, failures, compiled SQL."""
    select = "fct_dossier,test_name:unique"
    argv = ["test", "--select", select, "--project-dir", str(PROJECT)]
    result = dbtRunner().invoke([*argv, "--profiles-dir", str(PROJECT), "--quiet"])
    (only,) = result.result.results
    return str(only.status), only.failures, only.node.compiled_code


def unique_test(wh: Warehouse) -> tuple[str, int, str]:
    """The test's status, failures, and how its compiled SQL read the table: once
    ("scan"), or with the semi-join of the where, its probe side cut to the range of the
    run's keys ("range") or not ("semi-join")."""
    status, failures, sql = run_unique_test()
    if "dbt_subquery" not in sql:
        return status, failures, "scan"
    return status, failures, "range" if "dossier_id between" in sql else "semi-join"


def stamp(wh: Warehouse, sql: str) -> None:
    with wh.connect(read_only=False) as con:
        con.execute(sql)


@pytest.mark.parametrize(("others", "form"), [(FUTURE, "scan"), (PAST, "semi-join")])
def test_a_duplicate_key_fails_it(wh: Warehouse, others: str, form: str) -> None:
    stamp(wh, f"update {MODEL} set processed_at = {others}")
    assert unique_test(wh) == ("pass", 0, form)  # no row written by "this run": no range
    # a second row for one dossier, written by "this run" (marked by its extracted_at)
    stamp(wh, f"insert into {MODEL} select * replace ({MARK} as extracted_at, "
              f"{FUTURE} as processed_at) from {MODEL} order by dossier_id limit 1")  # fmt: skip
    try:
        # with older rows, the range of the run's one key (the least held one) finds the old row
        assert unique_test(wh) == ("fail", 1, "range" if form == "semi-join" else form)
    finally:
        stamp(wh, f"delete from {MODEL} where extracted_at = {MARK}")


def test_two_rows_of_a_new_key_fail_it(wh: Warehouse) -> None:
    """Every held row predates the run; the run wrote two rows of one key no older row has
    (past every held key, so the range of the run's keys is that key alone)."""
    stamp(wh, f"update {MODEL} set processed_at = {PAST}")
    new_key = wh.query(f"select max(dossier_id) || '~' as k from {MODEL}")[0]["k"]
    stamp(wh, f"insert into {MODEL} select * replace ('{new_key}' as dossier_id, "
              f"{MARK} as extracted_at, {FUTURE} as processed_at) "
              f"from {MODEL} order by dossier_id limit 2")  # fmt: skip
    try:
        status, failures, sql = run_unique_test()
        assert (status, failures) == ("fail", 1)
        assert f"dossier_id between '{new_key}' and '{new_key}'" in sql
    finally:
        stamp(wh, f"delete from {MODEL} where extracted_at = {MARK}")
