# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An SMS provider's secrets (its credentials, its webhook token) reach nobody but the provider:
not the recipient of an SMS, not an error text users read, not the access log."""

import json
import logging

from odoo.tests import HttpCase, tagged

from odoo.addons.omnichannel_crm.tests.loopback import closed_url

from .common import SmsProvidersMixin, aliyun_report
from .fake_sms_providers import HTTP_TOKEN

MOBILE = "+8613712345678"
GATEWAY_KEY = "gw-key-5up3r-s3cr3t"
# A gateway body that gives the provider our receipt URL, as the readme suggests.
BODY_WITH_STATUS_URL = (
    '{"to": "{{number}}", "text": "{{body}}", "ref": "{{reference}}", "callback": "{{status_url}}"}'
)


@tagged("post_install", "-at_install")
class TestSmsSecrets(SmsProvidersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.partner = cls.env["res.partner"].create({"name": "Zhang Wei", "mobile": MOBILE})
        cls.gateway = cls.providers["http"]
        cls.token = cls.gateway.webhook_token

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.accepted.clear()

    def _send(self, body):
        self.use("http")
        sms = self.env["sms.sms"].create(
            {"number": MOBILE, "body": body, "partner_id": self.partner.id}
        )
        sms.send()
        return sms

    def assertNoSecret(self, text):
        self.assertTrue(text)
        for secret in (self.token, GATEWAY_KEY, HTTP_TOKEN, HTTP_TOKEN.split()[-1]):
            self.assertNotIn(secret, text)

    def test_a_message_naming_the_status_url_placeholder_is_sent_as_written(self):
        self.gateway.http_body_template = BODY_WITH_STATUS_URL
        sms = self._send("Hello {{status_url}}, your boat leaves at 9:00 {{sender}}")
        self.assertEqual(sms.state, "pending")
        sent = self.fake.calls("/gateway/send")[-1].json
        self.assertEqual(sent["text"], "Hello {{status_url}}, your boat leaves at 9:00 {{sender}}")
        self.assertEqual(sent["callback"], self.gateway.status_url, "the template's own is filled")
        self.assertNotIn(self.token, sent["text"])

    def test_an_unreachable_gateway_leaves_no_key_in_the_error(self):
        self.gateway.write(
            {"endpoint": f"{closed_url()}/send?api_key={GATEWAY_KEY}", "max_attempts": 1}
        )
        sms = self._send("Your transfer is confirmed")
        self.assertEqual((sms.state, sms.omnichannel_error_code), ("error", "network"))
        self.assertIn("api_key=***", sms.omnichannel_error_message)
        self.assertNoSecret(sms.omnichannel_error_message)
        self.assertEqual(sms.omnichannel_interaction_id.state, "failed")
        self.assertNoSecret(sms.omnichannel_interaction_id.failure_reason)

    def test_a_refusal_that_quotes_the_request_leaves_no_secret_in_the_error(self):
        self.gateway.write(
            {
                "endpoint": f"{self.fake.url}/gateway/echo",
                "http_body_template": BODY_WITH_STATUS_URL,
            }
        )
        sms = self._send("Your transfer is confirmed")
        self.assertEqual((sms.state, sms.omnichannel_error_code), ("error", "400"))
        self.assertIn("invalid request", sms.omnichannel_error_message)
        self.assertNoSecret(sms.omnichannel_error_message)

    def test_the_webhook_token_can_come_in_a_header_and_never_stays_in_the_access_log(self):
        provider = self.providers["aliyun"]
        self.use("aliyun")
        sms = self.env["sms.sms"].create(
            {"number": MOBILE, "body": "Hi", "partner_id": self.partner.id}
        )
        sms.send()
        receipt = json.dumps([aliyun_report(sms.omnichannel_provider_ref, sms.uuid, True)])
        path = f"/omnichannel/sms/{provider.id}/status"
        headers = {"Content-Type": "application/json"}
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            in_url = self.url_open(
                f"{path}?token={provider.webhook_token}", receipt, headers=headers
            )
        self.assertEqual(in_url.status_code, 200)
        self.assertIn(f"{path}?token=***", "\n".join(logs.output))
        self.assertNotIn(provider.webhook_token, "\n".join(logs.output))
        by_header = self.url_open(
            path, receipt, headers={**headers, "Authorization": f"Bearer {provider.webhook_token}"}
        )
        self.assertEqual(by_header.status_code, 200)
        self.env["omnichannel.inbound.event"]._process_pending()
        self.assertEqual(sms.state, "sent")
