"""Fix Superset 6.1's drill-by table ("Bảng") in its compiled front end, before Superset starts.

The drill by modal draws its "Bảng" view with the results pane's grid, but passes it no column
names: every header showed its id (``admin_unit_name``, ``tong_gia_tri``) where the chart
beside it says "Đơn vị hành chính", "Giá trị". The grid printed figures raw (``5417926``) and
its search matched only those raw values, so a figure typed as the dashboard shows it
("5.417.926") found "No Matching Rows". Patched here:

- the modal hands the grid the dataset's column and metric names (its drill info, which
  ``superset_config.py`` gives the metrics' names);
- the grid shows numbers with Vietnamese separators (as ``D3_FORMAT``), and its search finds a
  figure written either way;
- the grid's own English (AG Grid's "No Matching Rows", "No Rows To Show", its defaults: its
  locale module is not loaded) goes through Superset's ``t()``, so the language pack
  (``translations/vi.yaml``) words it.

The compiled files are found by their text and patched from their original, kept beside a
patched file as ``.<name>.orig``; the file is replaced, never written in place (the serving
env's files are hard links into uv's cache). If Superset's front
end no longer holds the text (another release), the start fails and says so.

    python -m dashboards.frontend_patch
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dashboards.language_pack import SERVING_ENV

VI_NUMBER = 'toLocaleString("vi-VN",{maximumFractionDigits:2})'
DRILL_NAMES = (
    "columnDisplayNames:Object.fromEntries(["
    "...(t.columns||[]).map(c=>[c.column_name,c.verbose_name||c.column_name]),"
    "...(t.metrics||[]).map(c=>[c.metric_name,c.verbose_name||c.metric_name])]),"
)
AG_GRID_TEXTS = {"noMatchingRows": "No Matching Rows", "noRowsToShow": "No Rows To Show"}
# (what the compiled code says, what it says once fixed); each must occur exactly once.
PATCHES = (
    (  # DrillByModal: the single result's table gets the dataset's names (t is the dataset)
        "(0,u.Y)(eo.U,{colnames:$[0].colnames,",
        f"(0,u.Y)(eo.U,{{{DRILL_NAMES}colnames:$[0].colnames,",
    ),
    (  # useGridColumns: a number as a Vietnamese reader writes it
        '"string"==typeof e?(0,o.nn)(e):String(e)}}):[],[e,l,t,n])}',
        f'"string"==typeof e?(0,o.nn)(e):"number"==typeof e?e.{VI_NUMBER}:String(e)}}}}):[],'
        "[e,l,t,n])}",
    ),
    (  # useKeywordFilter: the search finds a figure as shown, too
        "Object.values(t.data).some(e=>null!=e&&String(e).toLowerCase().includes(l))",
        "Object.values(t.data).some(e=>null!=e&&(String(e).toLowerCase().includes(l)"
        f'||"number"==typeof e&&e.{VI_NUMBER}.includes(l)))',
    ),
    (  # GridTable's module: Superset's translation function where AG Grid can reach it
        "r.d(t,{d:()=>C});var n=r(2445),a=r(24002),o=r(85614),i=r(17437),l=r(74284),"
        "s=r(26168),c=r(56902),u=r(27124),",
        "r.d(t,{d:()=>C});var n=r(2445),a=r(24002),o=r(85614),i=r(17437),l=r(74284),"
        "s=r(26168),c=r(56902),u=r(27124),__iocT=globalThis.__iocT=u.t,",
    ),
    *(  # AG Grid's overlay texts (its locale module is not loaded: its defaults show)
        (f'("{key}","{text}")', f'("{key}",globalThis.__iocT?.("{text}")??"{text}")')
        for key, text in AG_GRID_TEXTS.items()
    ),
)


def assets_dir(serving_env: Path = SERVING_ENV) -> Path:
    (assets,) = serving_env.glob("lib/python3*/site-packages/superset/static/assets")
    return assets


def original(path: Path) -> Path:
    """Where a compiled file's original is: beside it (``.<name>.orig``) once patched."""
    kept = path.with_name(f".{path.name}.orig")
    return kept if kept.exists() else path


def install(serving_env: Path = SERVING_ENV) -> list[Path]:
    """Make every compiled file what PATCHES make of its original; return the files changed.

    Always from the original, kept beside a patched file: a patch reworded or dropped in a
    later version of this module applies to an env an earlier version patched."""
    scripts = sorted(assets_dir(serving_env).glob("*.js"))
    texts = {path: original(path).read_text(encoding="utf-8") for path in scripts}
    wanted = {path: text for path, text in texts.items() if original(path) != path}
    for old, new in PATCHES:
        holders = [path for path, text in texts.items() if old in text]
        if len(holders) != 1:
            raise RuntimeError(
                f"Superset's front end has {len(holders)} files with {old[:60]!r}: not the"
                " 6.1 build dashboards/frontend_patch.py fixes; review the patch"
            )
        (path,) = holders
        text = wanted.get(path, texts[path])
        if text.count(old) != 1:
            raise RuntimeError(f"{path.name} holds {old[:60]!r} {text.count(old)} times")
        wanted[path] = text.replace(old, new)
    changed = []
    for path, text in wanted.items():
        if path.read_text(encoding="utf-8") == text:
            continue
        kept = path.with_name(f".{path.name}.orig")
        if not kept.exists():
            os.link(path, kept)  # the original, as uv installed it (a hard link into its cache)
        staged = path.with_name(f".{path.name}.patched")
        staged.write_text(text, encoding="utf-8")
        os.replace(staged, path)  # a new file: the hard-linked original stays as it was
        changed.append(path)
    return changed


if __name__ == "__main__":
    print(f"Đã sửa giao diện Superset: {[p.name for p in install()] or 'đã sửa từ trước'}")
    sys.exit(0)
