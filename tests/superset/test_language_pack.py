"""The Vietnamese pack is written where Superset 6.1 reads it, in both of its forms."""

from __future__ import annotations

import gettext
import json
import unicodedata
from pathlib import Path

from dashboards import language_pack


def test_pack_installs_json_and_mo(tmp_path: Path) -> None:
    translations = tmp_path / "lib" / "python3.11" / "site-packages" / "superset" / "translations"
    translations.mkdir(parents=True)
    folder = language_pack.install(tmp_path)

    assert folder == translations / "vi" / "LC_MESSAGES"
    pack = json.loads((folder / "messages.json").read_text(encoding="utf-8"))
    strings = pack["locale_data"]["superset"]
    assert strings[""]["lang"] == "vi"
    assert strings["Dashboards"] == ["Bảng điều khiển"]
    assert strings["Search %s records"] == ["Tìm trong %s bản ghi"]
    with (folder / "messages.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.gettext("Logout") == "Đăng xuất"


def test_every_translation_is_nfc_and_keeps_its_placeholders() -> None:
    for msgid, text in language_pack.translations().items():
        assert unicodedata.is_normalized("NFC", text), msgid
        for placeholder in ("%s", "%d", "%(aggfunc)s"):
            assert msgid.count(placeholder) == text.count(placeholder), msgid
