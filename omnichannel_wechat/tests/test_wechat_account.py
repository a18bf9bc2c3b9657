# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@tagged("post_install", "-at_install")
class TestWechatAccount(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("web.base.url", "https://crm.example.com")
        cls.manager = new_test_user(
            cls.env,
            login="wechat_manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )
        cls.account = cls.env["omnichannel.wechat.account"].create(
            {
                "name": "Island Tours",
                "app_id": "wx1234567890abcdef",
                "app_secret": "app-secret",
                "token": "callback-token",
                "encoding_aes_key": AES_KEY,
                "message_mode": "safe",
            }
        )

    def test_callback_url_names_the_account(self):
        self.assertEqual(
            self.account.callback_url,
            f"https://crm.example.com/omnichannel/wechat/{self.account.id}",
        )

    def test_secrets_are_for_settings_admins_only(self):
        as_manager = self.account.with_user(self.manager)
        self.assertEqual(as_manager.app_id, "wx1234567890abcdef")
        for secret in ("app_secret", "token", "encoding_aes_key"):
            with self.assertRaises(AccessError):
                as_manager.read([secret])
        self.assertEqual(self.account.token, "callback-token")

    def test_encoding_aes_key_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "43"):
            self.account.encoding_aes_key = "too-short"
        with self.assertRaisesRegex(ValidationError, "EncodingAESKey"):
            self.env["omnichannel.wechat.account"].create(
                {"name": "No key", "app_id": "wx00000000000000aa", "message_mode": "safe"}
            )

    def test_manager_creates_a_plain_account_without_secrets(self):
        account = (
            self.env["omnichannel.wechat.account"]
            .with_user(self.manager)
            .create({"name": "Hainan", "app_id": "wx00000000000000bb"})
        )
        self.assertEqual(account.message_mode, "plain")
