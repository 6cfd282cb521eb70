"""When a dossier record closes it (resolved or withdrawn) is written once, in the macro
``dossier_is_closed`` (macros/dossier_versions.sql), and the models that tell a dossier's
first close use it rather than a copy of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DBT = Path(__file__).resolve().parents[2] / "dbt_project"
MODELS = DBT / "models" / "intermediate" / "public_services"


def test_the_macro_defines_the_condition() -> None:
    text = (DBT / "macros" / "dossier_versions.sql").read_text(encoding="utf-8")
    body = re.search(r"macro dossier_is_closed\(\).*?endmacro", text, re.S)
    assert body and "resolved_at is not null or status = 'RUT_HO_SO'" in body.group(0)


@pytest.mark.parametrize("model", ["int_dossier_closed", "int_dossier_versions"])
def test_the_models_use_the_macro(model: str) -> None:
    sql = (MODELS / f"{model}.sql").read_text(encoding="utf-8")
    assert "dossier_is_closed()" in sql
    assert "RUT_HO_SO" not in sql and "resolved_at is not null" not in sql
