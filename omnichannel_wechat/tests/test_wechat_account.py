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
                {
                    "name": "No key",
                    "app_id": "wx00000000000000aa",
                    "message_mode": "safe",
                    "encoding_aes_key": False,
                }
            )

    def test_an_account_without_its_token_is_never_active(self):
        Account = self.env["omnichannel.wechat.account"]
        with (
            self.assertRaisesRegex(
                ValidationError, "Hainan cannot receive messages without the Token"
            ),
            self.env.cr.savepoint(),
        ):
            Account.create({"name": "Hainan", "app_id": "wx00000000000000cc", "token": False})
        with (
            self.assertRaisesRegex(ValidationError, "Island Tours .* Token"),
            self.env.cr.savepoint(),
        ):
            self.account.token = False
        archived = Account.create(
            {"name": "Sanya", "app_id": "wx00000000000000dd", "token": False, "active": False}
        )
        with self.assertRaisesRegex(ValidationError, "Sanya .* Token"), self.env.cr.savepoint():
            archived.action_unarchive()
        archived.invalidate_recordset()
        self.assertFalse(archived.active)
        archived.token = "sanya-token"
        archived.action_unarchive()
        self.assertTrue(archived.active)

    def test_manager_creates_an_account_with_its_own_token_and_key(self):
        accounts = (
            self.env["omnichannel.wechat.account"]
            .with_user(self.manager)
            .create(
                [
                    {"name": "Hainan", "app_id": "wx00000000000000bb"},
                    {"name": "Haikou", "app_id": "wx00000000000000ee"},
                ]
            )
        )
        self.assertEqual(accounts.mapped("message_mode"), ["plain", "plain"])
        # Only Settings administrators read them, to copy into the WeChat console.
        tokens = accounts.sudo().mapped("token")
        self.assertRegex(tokens[0], r"^[0-9a-f]{32}$")
        self.assertNotEqual(tokens[0], tokens[1])
        self.assertRegex(accounts[0].sudo().encoding_aes_key, r"^[A-Za-z0-9]{43}$")
        copied = accounts[0].sudo().copy({"app_id": "wx00000000000000ff"})
        self.assertNotEqual(copied.token, tokens[0], "a copy signs with its own Token")
