"""A source is one package: the registry lists every package that declares a source, and each
suite in a package validates a contract that package declares (columns, key), found by the
runner through the registry."""

from __future__ import annotations

import importlib
from pathlib import Path

import great_expectations as gx

from expectations import suites
from ingest.common.contract import Contract
from ioc.sources import SOURCES, EnvSettings, dbt_vars

INGEST = Path(__file__).resolve().parents[2] / "ingest"


def _contracts(package: str) -> dict[str, Contract]:
    module = importlib.import_module(f"{package}.contracts")
    return {c.dataset: c for c in vars(module).values() if isinstance(c, Contract)}


def test_the_registry_lists_every_source_package():
    declared = {p.parent.name for p in INGEST.glob("*/source.toml")}
    assert declared == set(SOURCES)
    for source in SOURCES.values():
        assert callable(importlib.import_module(source.package).run)


def test_each_suite_checks_a_contract_of_its_package():
    gx.get_context(mode="ephemeral")  # GE builds a suite only within a context
    checked = 0
    for name, source in SOURCES.items():
        contracts = _contracts(source.package)
        assert contracts, f"{source.package}.contracts declares no dataset"
        assert {c.source for c in contracts.values()} == {name}
        for path in (INGEST / name).glob("suite_*.py"):
            dataset = path.stem.removeprefix("suite_")
            assert dataset in contracts, f"{path} validates no dataset of {name}'s contracts"
            contract = contracts[dataset]
            suite = suites.suite_for(name, dataset, "56")()
            assert suite.name == contract.name
            configs = [e.configuration.kwargs for e in suite.expectations]
            column_sets = [set(c["column_set"]) for c in configs if "column_set" in c]
            assert column_sets == [set(contract.columns)]
            assert suites.row_id(name, dataset)[: len(contract.key)] == contract.key
            checked += 1
    assert checked >= len(SOURCES)  # every source has a suite


def test_a_sources_connection_and_drop_variable_are_named_in_its_source_toml_only():
    """The rest reads them from the registry: no Python module of the platform spells them."""
    names = {n for s in SOURCES.values() for n in (s.conn_id, s.drop_variable) if n}
    assert len(names) == 6  # four APIs, two drop folders
    root = INGEST.parent
    for folder in ("ingest", "dags", "ioc", "demo", "expectations", "refresh", "simulator"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            spelled = {n for n in names if f'"{n}"' in text or f"'{n}'" in text}
            assert not spelled, f"{path.relative_to(root)} names {sorted(spelled)}"


def test_the_dbt_registry_is_per_province_as_each_province_configured_it():
    """dq.dq_source_status's registry (dbt var ``ioc_sources``): one province, each source
    as configured; many provinces, each province × source by its own suffixed inputs (the
    unsuffixed ones configure no province's)."""
    one = dbt_vars(EnvSettings({"AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": "/srv/drops/ngansach"}))
    assert [(s["source"], s["province"], s["configured"]) for s in one["ioc_sources"]] == [
        (name, None, name == "ngansach") for name in SOURCES
    ]
    assert {s["source"]: s["inputs"] for s in one["ioc_sources"]} == {
        name: ["drop_folder"] if name == "ngansach" else [] for name in SOURCES
    }
    both = dbt_vars(
        EnvSettings(
            {
                "AIRFLOW_CONN_IOC_REPORTING": '{"conn_type": "http", "host": "https://bc.x"}',
                "AIRFLOW_VAR_IOC_REPORTING_DROP_DIR": "/srv/drops/reporting",
            }
        )
    )
    reporting = next(s for s in both["ioc_sources"] if s["source"] == "reporting")
    assert reporting["inputs"] == ["connection", "drop_folder"]
    many = EnvSettings(
        {
            "AIRFLOW_VAR_IOC_PROVINCES": "56,1",
            "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR": "/srv/drops/ngansach",
            "AIRFLOW_VAR_IOC_NGANSACH_DROP_DIR_01": "/srv/drops/01/ngansach",
            "AIRFLOW_CONN_IOC_DULICH_56": '{"conn_type": "http", "host": "https://dl.example"}',
        }
    )
    configured = {
        (s["province"], s["source"]): s["configured"] for s in dbt_vars(many)["ioc_sources"]
    }
    assert configured == {
        (p, name): (p, name) in {("01", "ngansach"), ("56", "dulich")}
        for p in ("01", "56")
        for name in SOURCES
    }
