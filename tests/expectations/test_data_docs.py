"""Data Docs keep every suite across runs and load nothing from the internet."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd

from expectations import data_docs_offline
from expectations.validate import Validator


def _suite(name: str) -> Callable[[], Any]:
    def build() -> Any:
        suite = gx.ExpectationSuite(name=name)
        suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="a"))
        return suite

    return build


def test_every_suite_of_every_run_is_in_the_docs(tmp_path: Path) -> None:
    site = tmp_path / "dq" / "data_docs"
    for run, name in enumerate(("nguon_a.bang_x", "nguon_b.bang_y")):
        validator = Validator(site, f"run{run}")
        validator.validate(name, f"L{run}", pd.DataFrame({"a": [1, None]}), _suite(name), {})
        index = validator.build_docs()
    text = index.read_text(encoding="utf-8")
    for source, table in (("nguon_a", "bang_x"), ("nguon_b", "bang_y")):
        assert f"expectations/{source}/{table}.html" in text  # its suite
        pages = sorted((site / "validations" / source / table).rglob("*.html"))  # its results
        assert f"validations/{source}/{table}/" in text and "Failed" in pages[-1].read_text()
    for page in site.rglob("*.html"):
        loaded = re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', page.read_text())
        assert loaded and not [u for u in loaded if re.match(r"(https?:)?//", u)], page
        for url in loaded:  # every file a page loads is in the site
            assert (page.parent / url.split("?")[0]).resolve().is_file(), (page, url)


def test_vendored_files_are_the_npm_packages_files() -> None:
    records = json.loads(data_docs_offline.MANIFEST.read_text(encoding="utf-8"))
    vendored = {
        p.relative_to(data_docs_offline.VENDOR_DIR).as_posix()
        for p in data_docs_offline.VENDOR_DIR.rglob("*")
        if p.is_file() and p != data_docs_offline.MANIFEST
    }
    assert vendored == {r["path"] for r in records}
    for record in records:
        data = (data_docs_offline.VENDOR_DIR / record["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"], record["path"]
        assert record["integrity"].startswith("sha512-")
    packages = {package for _, package, _ in data_docs_offline.ASSETS}
    assert packages == {r["package"] for r in records}
