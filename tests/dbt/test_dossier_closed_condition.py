"""When a dossier record closes it (resolved or withdrawn) is written once, in the macro
``dossier_is_closed`` (macros/dossier_versions.sql), and the models that tell a dossier's
first close use it rather than a copy of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DBT = Path(__file__).resolve().parents[2] / "dbt_project"


def test_the_macro_defines_the_condition() -> None:
    text = (DBT / "macros" / "dossier_versions.sql").read_text(encoding="utf-8")
    body = re.search(r"macro dossier_is_closed\(\).*?endmacro", text, re.S)
    assert body and "resolved_at is not null or status = 'RUT_HO_SO'" in body.group(0)


def body(path: str, macro: str | None = None) -> str:
    """The file's text, or only the named macro's."""
    text = (DBT / path).read_text(encoding="utf-8")
    if macro is None:
        return text
    found = re.search(rf"macro {macro}\(.*?endmacro", text, re.S)
    assert found, (path, macro)
    return found.group(0)


@pytest.mark.parametrize(
    ("path", "macro"),
    [
        ("models/intermediate/public_services/int_dossier_versions.sql", None),
        ("macros/dossier_current_state.sql", "dossier_first_close"),  # fct_dossier's
    ],
)
def test_the_models_use_the_macro(path: str, macro: str | None) -> None:
    sql = body(path, macro)
    assert "dossier_is_closed()" in sql
    assert "RUT_HO_SO" not in sql and "resolved_at is not null" not in sql
