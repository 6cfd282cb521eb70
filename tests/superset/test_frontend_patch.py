"""The drill-by table's patch of Superset's compiled front end: applied once, by replacing
the file (the serving env's files are hard links into uv's cache), refused on another build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboards import frontend_patch


def _serving_env(root: Path, text: str) -> Path:
    assets = root / "lib" / "python3.11" / "site-packages" / "superset" / "static" / "assets"
    assets.mkdir(parents=True)
    (assets / "1234.chunk.js").write_text(text, encoding="utf-8")
    (assets / "5678.chunk.js").write_text("console.log('other');", encoding="utf-8")
    return root


def test_patches_once_by_replacing_the_file(tmp_path: Path) -> None:
    compiled = ";".join(old for old, _new in frontend_patch.PATCHES)
    env = _serving_env(tmp_path / "env", compiled)
    chunk = frontend_patch.assets_dir(env) / "1234.chunk.js"
    cache = tmp_path / "uv-cache-copy.js"
    os.link(chunk, cache)  # as uv installs it

    assert frontend_patch.install(env) == [chunk]
    patched = chunk.read_text(encoding="utf-8")
    assert patched == ";".join(new for _old, new in frontend_patch.PATCHES)
    assert "columnDisplayNames:" in patched and 'toLocaleString("vi-VN"' in patched
    assert cache.read_text(encoding="utf-8") == compiled  # the cache's file is untouched
    assert frontend_patch.install(env) == []  # applied once
    assert chunk.read_text(encoding="utf-8") == patched


def test_another_front_end_is_refused(tmp_path: Path) -> None:
    env = _serving_env(tmp_path / "env", "a build without the drill-by modal")
    with pytest.raises(RuntimeError, match=r"not the 6\.1 build"):
        frontend_patch.install(env)


def test_a_reworded_patch_applies_to_an_env_patched_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later version of the patch (one change reworded, one dropped) starts from the
    original kept beside the patched file, not from what an earlier version made of it."""
    compiled = ";".join(old for old, _new in frontend_patch.PATCHES)
    env = _serving_env(tmp_path / "env", compiled)
    chunk = frontend_patch.assets_dir(env) / "1234.chunk.js"
    frontend_patch.install(env)

    (first_old, _), *rest = frontend_patch.PATCHES
    later = ((first_old, first_old + "/*reworded*/"), *rest[:-1])
    monkeypatch.setattr(frontend_patch, "PATCHES", later)
    assert frontend_patch.install(env) == [chunk]
    expected = compiled
    for old, new in later:
        expected = expected.replace(old, new)
    assert chunk.read_text(encoding="utf-8") == expected
    assert "/*reworded*/" in expected and rest[-1][1] not in expected
    assert frontend_patch.install(env) == []
