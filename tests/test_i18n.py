"""Every user-facing string of the addons is translated in i18n/zh_CN.po; the .pot is current."""

import io
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

REPO = Path(__file__).resolve().parents[1]
ADDONS = ("omnichannel_crm", "omnichannel_livechat", "omnichannel_sms", "omnichannel_wechat")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _terms_in_code(self, addon):
        buffer = io.BytesIO()
        trans_export(False, [addon], buffer, "po", self.env.cr)
        return {entry.msgid for entry in polib.pofile(buffer.getvalue().decode())}

    def test_chinese_catalogues_are_current_and_complete(self):
        for addon in ADDONS:
            with self.subTest(addon=addon):
                catalogue = polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
                template = polib.pofile(str(REPO / addon / "i18n" / f"{addon}.pot"))
                in_code = self._terms_in_code(addon)
                translated = {e.msgid for e in catalogue if e.msgstr and "fuzzy" not in e.flags}
                self.assertFalse(
                    in_code - {e.msgid for e in template},
                    f"{addon}: strings missing from {addon}.pot, run ./setup/i18n",
                )
                self.assertFalse(
                    in_code - translated,
                    f"{addon}: strings without a Chinese translation in zh_CN.po",
                )

    def test_translations_keep_their_placeholders(self):
        for addon in ADDONS:
            catalogue = polib.pofile(str(REPO / addon / "i18n" / "zh_CN.po"))
            for entry in catalogue:
                for placeholder in ("%(account)s", "%s"):
                    with self.subTest(addon=addon, msgid=entry.msgid, placeholder=placeholder):
                        self.assertEqual(
                            entry.msgid.count(placeholder), entry.msgstr.count(placeholder)
                        )
