"""A load re-run for the same period replaces the earlier one whole in the lake
(ingest/common/lake.py): when its answer lacks records the first run had, the incremental
dossier models must end where a full refresh over the same lake ends, row for row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dbt.dbt_harness import Warehouse, warehouse
from tests.dbt.dbt_lake import (
    AUGUST,
    LOAD_AUGUST,
    LOAD_SEPTEMBER,
    SEPTEMBER,
    t,
    write_initial_lake,
    write_load,
)

# the models that keep what earlier runs wrote, what names their rows, and the columns that
# say when a row was written (not what it says)
KEPT = {
    "marts.fct_dossier": (
        "dossier_id",
        "processed_at, replaced_received_at, replaced_closed_at, replaced_processed_at",
    ),
    "intermediate.int_dossier_versions": (
        "dossier_id, updated_at, load_id, source_ref",
        "processed_at",
    ),
    "intermediate.int_dossiers_counted_by_month": ("all", "processed_at"),
}
SELECT = ["--select", "+int_dossiers_counted_by_month", "+int_dossier_record_keys"]


def kept(wh: Warehouse) -> dict[str, list[dict]]:
    return {
        name: wh.query(f"select * exclude ({run}) from {name} order by {key}")
        for name, (key, run) in KEPT.items()
    }


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with warehouse(tmp_path_factory.mktemp("warehouse")) as built:
        write_initial_lake(built.lake)
        built.dbt("seed")  # fct_dossier places dossiers by the unit lists
        built.dbt("run", *SELECT)
        write_load(built.lake, "ho_so", LOAD_AUGUST, AUGUST, t("2025-09-01T01:00"))
        write_load(built.lake, "ho_so", LOAD_SEPTEMBER, SEPTEMBER, t("2025-10-01T01:00"))
        built.dbt("run", *SELECT)
        yield built


def test_a_re_run_load_without_some_records_agrees_with_a_full_refresh(wh: Warehouse) -> None:
    before = kept(wh)
    d4_closed = "select first_closed_at as closed_at from marts.fct_dossier where dossier_id = "
    assert wh.query(d4_closed + "'H56.25-000004'") == [{"closed_at": t("2025-08-01T09:00")}]
    # September's window is re-run and its answer lacks D10 and D4's record of its close on
    # 1 August: the lake holds only D2's correction of September any more
    write_load(wh.lake, "ho_so", LOAD_SEPTEMBER, SEPTEMBER[:1], t("2025-10-02T01:00"))
    wh.dbt("run", *SELECT)
    incremental = kept(wh)
    wh.dbt("run", *SELECT, "--full-refresh")
    full = kept(wh)
    assert full != before  # the re-run changed what the lake says
    for name in KEPT:
        assert incremental[name] == full[name], name
    # worked out by hand: D10 was never received; D4 was first closed on 5 August, so that
    # record is no revision; D2's correction after its close stands
    dossiers = {r["dossier_id"] for r in full["marts.fct_dossier"]}
    assert len(dossiers) == 8 and "H56.25-000010" not in dossiers
    assert wh.query(d4_closed + "'H56.25-000004'") == [{"closed_at": t("2025-08-05T09:00")}]
    revised = {(r["dossier_id"], r["kind"]) for r in full["intermediate.int_dossier_versions"]}
    assert revised == {("H56.25-000002", "revision")}
