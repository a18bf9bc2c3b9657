# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSmsProvider(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Island Tours Hainan"})
        cls.manager = new_test_user(
            cls.env,
            login="sms_manager",
            groups="base.group_user,omnichannel_crm.group_omnichannel_manager",
        )
        cls.provider = cls.env["omnichannel.sms.provider"].create(
            {
                "name": "Aliyun Shanghai",
                "provider_type": "aliyun",
                "sender": "海岛旅行",
                "account": "LTAI-demo-key-id",
                "secret": "demo-secret-value",
                "is_default": True,
            }
        )

    def test_secrets_are_for_settings_admins_only(self):
        as_manager = self.provider.with_user(self.manager)
        self.assertEqual(as_manager.sender, "海岛旅行")
        with self.assertRaises(AccessError):
            as_manager.read(["secret"])
        with self.assertRaises(AccessError):
            as_manager.write({"account": "stolen"})
        self.assertEqual(self.provider.secret, "demo-secret-value")
        # A generic gateway's URL and body template may carry its key.
        for field_name in ("endpoint", "http_body_template"):
            with self.subTest(field=field_name), self.assertRaises(AccessError):
                as_manager.read([field_name])

    def test_where_credentials_go_is_for_settings_admins_only(self):
        as_manager = self.provider.with_user(self.manager)
        for values in (
            {"endpoint": "https://collector.example.com/"},
            {"http_auth_header": "Authorization: Bearer stolen"},
            {"webhook_token": "known-to-the-manager"},
            # Twilio's API would get the Aliyun AccessKey in clear.
            {"provider_type": "twilio"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_manager.write(values)
        # The manager keeps the form, without the connection page, and what it holds.
        with Form(as_manager) as form:
            form.rate_limit = 5
        self.assertEqual(self.provider.rate_limit, 5)
        unconfigured = (
            self.env["omnichannel.sms.provider"]
            .with_user(self.manager)
            .create({"name": "Tencent Haikou", "provider_type": "aliyun"})
        )
        unconfigured.provider_type = "tencent"  # no credentials yet: nothing to send elsewhere
        self.provider.write({"provider_type": "twilio", "endpoint": "https://api.twilio.com"})
        self.assertEqual(self.provider.endpoint, "https://api.twilio.com")

    def test_one_default_provider_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["omnichannel.sms.provider"].create(
                    {"name": "Twilio", "provider_type": "twilio", "is_default": True}
                )
        other = self.env["omnichannel.sms.provider"].create(
            {
                "name": "Tencent Haikou",
                "provider_type": "tencent",
                "is_default": True,
                "company_id": self.company_b.id,
            }
        )
        self.assertTrue(other.is_default)

    def test_providers_of_other_companies_are_hidden(self):
        self.env["omnichannel.sms.provider"].create(
            {"name": "Tencent Haikou", "provider_type": "tencent", "company_id": self.company_b.id}
        )
        visible = self.env["omnichannel.sms.provider"].with_user(self.manager).search([])
        self.assertEqual(visible.company_id, self.env.company)
