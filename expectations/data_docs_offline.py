"""Great Expectations Data Docs that work offline: no CDN, every file from the warehouse.

GE's page templates load Bootstrap, jQuery, bootstrap-table, Font Awesome, Vega and their
like from CDNs, and its logo from a web bucket: offline, a page is unstyled and its tables
(drawn by bootstrap-table) are empty. The same files, from the npm packages those URLs name,
are vendored in ``data_docs_static/`` (``python -m expectations.data_docs_offline --update``
fetches them with ``npm pack`` and records each file's package, version and sha256 in
``data_docs_static/VENDORED.json``). After each build, ``localise`` copies them into the
site's ``static/vendor/`` and points every page at them, and the logo at GE's own copy in the
site's ``static/images/`` (and mends GE's links to ``static/`` from nested pages).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "data_docs_static"
MANIFEST = VENDOR_DIR / "VENDORED.json"
GE_IMAGES = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"

# (URL in GE's templates, npm package@version, the file in the package's tarball)
ASSETS: tuple[tuple[str, str, str], ...] = (
    (
        "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css",
        "bootstrap@4.3.1",
        "dist/css/bootstrap.min.css",
    ),
    (
        "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js",
        "bootstrap@4.3.1",
        "dist/js/bootstrap.min.js",
    ),
    ("https://code.jquery.com/jquery-3.7.1.min.js", "jquery@3.7.1", "dist/jquery.min.js"),
    (
        "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js",
        "popper.js@1.12.9",
        "dist/umd/popper.min.js",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css",
        "bootstrap-table@1.19.1",
        "dist/bootstrap-table.min.css",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js",
        "bootstrap-table@1.19.1",
        "dist/bootstrap-table.min.js",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
        "bootstrap-table-filter-control.min.js",
        "bootstrap-table@1.19.1",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
        "bootstrap-table-filter-control.min.css",
        "bootstrap-table@1.19.1",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
        "bootstrap-table-filter-control.min.css",
        "bootstrap-table@1.19.1",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    (
        "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
        "bootstrap-table-filter-control.css",
        "bootstrap-table@1.19.1",
        "dist/extensions/filter-control/bootstrap-table-filter-control.css",
    ),
    (
        "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css",
        "@fortawesome/fontawesome-free@6.6.0",
        "css/all.min.css",
    ),
    (
        "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
        "bootstrap-datepicker.min.css",
        "bootstrap-datepicker@1.9.0",
        "dist/css/bootstrap-datepicker.min.css",
    ),
    (
        "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
        "bootstrap-datepicker.min.js",
        "bootstrap-datepicker@1.9.0",
        "dist/js/bootstrap-datepicker.min.js",
    ),
    (
        "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
        "bootstrap-prefers-dark.css",
        "@forevolve/bootstrap-dark@1.1.0",
        "dist/css/bootstrap-prefers-dark.css",
    ),
    ("https://cdn.jsdelivr.net/npm/vega@5", "vega@5.33.1", "build/vega.min.js"),
    ("https://cdn.jsdelivr.net/npm/vega-lite@5", "vega-lite@5.23.0", "build/vega-lite.min.js"),
    ("https://cdn.jsdelivr.net/npm/vega-embed@6", "vega-embed@6.29.0", "build/vega-embed.min.js"),
)
# Files a vendored stylesheet loads by a relative URL (Font Awesome's ../webfonts/).
FONT_PACKAGE = "@fortawesome/fontawesome-free@6.6.0"
FONT_FOLDER = "webfonts/"


def vendored_path(package: str, member: str) -> str:
    """Where a package's file lives under ``data_docs_static/``: ``<name>/<its path>``."""
    name = package.rsplit("@", 1)[0].lstrip("@").replace("/", "-")
    return f"{name}/{member}"


def localise(site_dir: Path) -> None:
    """Copy the vendored files into the site and point every page at them."""
    vendor = site_dir / "static" / "vendor"
    shutil.copytree(VENDOR_DIR, vendor, dirs_exist_ok=True)
    urls = sorted(ASSETS, key=lambda asset: -len(asset[0]))  # longest first: vega-lite ≠ vega
    for page in site_dir.rglob("*.html"):
        static = Path(os.path.relpath(site_dir / "static", page.parent)).as_posix()
        text = original = page.read_text(encoding="utf-8")
        for url, package, member in urls:
            text = text.replace(f'"{url}"', f'"{static}/vendor/{vendored_path(package, member)}"')
        text = text.replace(f'"{GE_IMAGES}', f'"{static}/images/')
        # GE points nested pages one level short of static/ (their favicon): point them right
        text = re.sub(r'"(?:\./|(?:\.\./)+)static/', f'"{static}/', text)
        if text != original:
            page.write_text(text, encoding="utf-8")


def update() -> None:
    """Fetch the packages with ``npm pack`` and vendor the files GE's pages load."""
    packages = sorted({package for _, package, _ in ASSETS})
    records = []
    shutil.rmtree(VENDOR_DIR, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        packed = subprocess.run(
            ["npm", "pack", "--json", *packages], cwd=tmp, check=True, capture_output=True
        )
        for info, package in zip(json.loads(packed.stdout), packages, strict=True):
            wanted = {member for _, p, member in ASSETS if p == package}
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                for entry in tar.getmembers():
                    member = entry.name.removeprefix("package/")
                    is_font = (
                        package == FONT_PACKAGE
                        and member.startswith(FONT_FOLDER)
                        and member.endswith(".woff2")
                    )
                    if entry.isfile() and (member in wanted or is_font):
                        data = tar.extractfile(entry).read()  # type: ignore[union-attr]
                        target = VENDOR_DIR / vendored_path(package, member)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data)
                        records.append(
                            {
                                "package": package,
                                "integrity": info["integrity"],
                                "file": member,
                                "path": vendored_path(package, member),
                                "sha256": hashlib.sha256(data).hexdigest(),
                            }
                        )
    MANIFEST.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="vendor the files again (npm)")
    args = parser.parse_args(argv)
    if args.update:
        update()
        print(f"vendored {len(json.loads(MANIFEST.read_text()))} files into {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
