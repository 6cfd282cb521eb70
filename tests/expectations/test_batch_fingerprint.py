"""GE is never asked to fingerprint a batch: it hashes every pandas batch under 1 GB only to
show the hash among the result's batch markers (2.6 of 12.6 s for a month of dossiers at
SF10), and nothing here reads it. The checks' outcomes are those of GE with the hash."""

from __future__ import annotations

from pathlib import Path

import great_expectations.expectations as gxe
import pandas as pd
import pytest
from great_expectations.execution_engine import pandas_execution_engine as engine

from expectations.validate import Validator


def _suite():
    import great_expectations as gx

    suite = gx.ExpectationSuite(name="t")
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="v", min_value=0))
    return suite


def _outcome(tmp_path: Path) -> list[tuple[str, int, int, str]]:
    frame = pd.DataFrame({"v": [1, 2, -3, 4], "_source_ref": ["a", "b", "c", "d"]})
    results = Validator(tmp_path / "docs", "run").validate("t", "load", frame, _suite, {})
    return [(r.check_name, r.rows_checked, r.rows_failed, r.status) for r in results]


@pytest.fixture
def hashed(monkeypatch) -> list[int]:
    """How many frames GE fingerprints (its function, wrapped)."""
    calls: list[int] = []
    real = engine.hash_pandas_dataframe
    monkeypatch.setattr(
        engine, "hash_pandas_dataframe", lambda df: calls.append(len(df)) or real(df)
    )
    return calls


def test_no_batch_is_fingerprinted_and_the_outcome_is_the_same(tmp_path, hashed, monkeypatch):
    ours = _outcome(tmp_path / "ours")
    assert hashed == []
    assert ours == [("expect_column_values_to_be_between(column=v)", 4, 1, "fail")]
    monkeypatch.setattr(engine, "HASH_THRESHOLD", 1e9)  # GE's own setting
    assert _outcome(tmp_path / "ge") == ours
    assert hashed  # GE alone does hash: the test can fail
