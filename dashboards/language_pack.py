"""Install the Vietnamese language pack (``translations/vi.yaml``) into the serving env.

Superset 6.1 ships no ``vi``; its front end reads a pack only from its own package folder
(``superset/translations/vi/LC_MESSAGES/messages.json``) and the back end (menus, login page)
a compiled ``messages.mo`` beside it. Run before Superset starts (the server's start does):

    python -m dashboards.language_pack
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

LANGUAGE = "vi"
PLURAL_FORMS = "nplurals=1; plural=0;"
SOURCE = Path(__file__).resolve().parent / "translations" / f"{LANGUAGE}.yaml"
SERVING_ENV = Path(__file__).resolve().parents[1] / "envs" / "serving" / ".venv"


def translations() -> dict[str, str]:
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def target_dir(serving_env: Path = SERVING_ENV) -> Path:
    """``…/site-packages/superset/translations/vi/LC_MESSAGES`` of the serving env."""
    (translations_dir,) = serving_env.glob("lib/python3*/site-packages/superset/translations")
    return translations_dir / LANGUAGE / "LC_MESSAGES"


def install(serving_env: Path = SERVING_ENV) -> Path:
    """Write messages.json (front end) and messages.mo (back end); return their folder."""
    strings = translations()
    folder = target_dir(serving_env)
    folder.mkdir(parents=True, exist_ok=True)
    header = {"domain": "superset", "lang": LANGUAGE, "plural_forms": PLURAL_FORMS}
    pack = {
        "domain": "superset",
        "locale_data": {
            "superset": {"": header, **{msgid: [text] for msgid, text in strings.items()}}
        },
    }
    (folder / "messages.json").write_text(
        json.dumps(pack, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    catalog = Catalog(locale=LANGUAGE, domain="messages", charset="utf-8")
    for msgid, text in strings.items():
        catalog.add(msgid, text)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    return folder


if __name__ == "__main__":
    print(f"Đã cài gói tiếng Việt: {install()}")
    sys.exit(0)
