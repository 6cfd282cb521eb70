"""The digest as HTML (Jinja2) and PDF (headless Chromium's print), written into
``<warehouse>/digest/<YYYY-MM>/`` by the refresh after the publish."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from digest.build import Digest, collect

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-pdf-header-footer",
]
HTML_NAME, PDF_NAME = "ban_tin.html", "ban_tin.pdf"


def html(digest: Digest) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    return env.get_template("digest.html.j2").render(d=digest)


def pdf(html_file: Path, pdf_file: Path, chromium: str = CHROMIUM) -> None:
    """Print ``html_file`` to ``pdf_file`` with headless Chromium (fresh profile)."""
    with tempfile.TemporaryDirectory(prefix="ioc-chromium-") as profile:
        tmp = pdf_file.with_suffix(".tmp.pdf")
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={tmp}",
                html_file.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        tmp.replace(pdf_file)


def write(warehouse: Path, serving_db: Path) -> Path | None:
    """Write the digest of the serving copy's newest month; return its folder.

    The PDF needs Chromium: without it the HTML is written and a warning says so."""
    digest = collect(serving_db)
    if digest is None:
        log.warning("no monthly figures in %s: no digest written", serving_db)
        return None
    folder = warehouse / "digest" / digest.period
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / HTML_NAME
    tmp = target.with_suffix(".tmp")
    tmp.write_text(html(digest), encoding="utf-8")
    tmp.replace(target)
    if shutil.which(CHROMIUM) is None:
        log.warning("%s not found: the digest %s has no PDF", CHROMIUM, target)
    else:
        pdf(target, folder / PDF_NAME)
    return folder
