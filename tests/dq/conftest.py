"""Fixtures of the dq tests: the defect scenario's private pipeline (see
``tests/dq/defects/scenario.py``); it never touches the session ``pipeline``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dq.defects.scenario import Scenario, run_scenario


@pytest.fixture(scope="module")
def defects(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    yield from run_scenario(tmp_path_factory.mktemp("defects_warehouse"))
