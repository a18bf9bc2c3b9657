# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omnichannel_crm.tools.inbound import MESSAGE, RECEIPT, START, STOP

from ..tools.gateways.base import WebhookRequest
from .common import SmsProvidersMixin, aliyun_report

# Aliyun's documented push of replies (SmsUp).
ALIYUN_REPLIES = [
    {
        "phone_number": "13712345678",
        "send_time": "2026-07-01 11:00:00",
        "content": "我们的接送车在哪里？",
        "sign_name": "海岛旅行",
        "dest_code": "1234",
        "sequence_id": 1001,
    },
    {
        "phone_number": "13712345678",
        "send_time": "2026-07-01 11:05:00",
        "content": "退订",
        "sign_name": "海岛旅行",
        "dest_code": "1234",
        "sequence_id": 1002,
    },
    {
        "phone_number": "13712345678",
        "send_time": "2026-07-01 11:06:00",
        "content": "订阅",
        "sign_name": "海岛旅行",
        "dest_code": "1234",
        "sequence_id": 1003,
    },
    {
        "phone_number": "not a number",
        "send_time": "2026-07-01 11:07:00",
        "content": "?",
        "sign_name": "海岛旅行",
        "dest_code": "1234",
        "sequence_id": 1004,
    },
]
ALIYUN_REPORT = [aliyun_report("900619746936498440^0", "6c1f3d2a")]


@tagged("post_install", "-at_install")
class TestSmsTranslation(SmsProvidersMixin, TransactionCase):
    """A provider's webhook payload only becomes inbound contacts; the pipeline does the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.provider = cls.providers["aliyun"]

    def _webhook(self, payload):
        body = json.dumps(payload, ensure_ascii=False).encode()
        return WebhookRequest(url="", headers={}, form={}, query={}, body=body)

    def test_replies_become_contacts_with_their_consent_signal(self):
        items = self.provider._gateway().parse_inbound(self._webhook(ALIYUN_REPLIES))
        with mute_logger("odoo.addons.omnichannel_sms.models.omnichannel_sms_provider_inbound"):
            contacts = self.provider._inbound_contacts(items)
        self.assertEqual(len(contacts), 3, "the unreadable sender is skipped, not the batch")
        question, stop, start = contacts
        self.assertEqual(question.identifiers, [("phone", "+8613712345678")])
        self.assertEqual((question.kind, question.consent), (MESSAGE, None))
        self.assertTrue(question.open_ticket and question.auto_reply)
        self.assertEqual(question.text, "我们的接送车在哪里？")
        self.assertEqual(question.source, f"omnichannel.sms.provider,{self.provider.id}")
        self.assertTrue(question.external_ref.startswith(f"{self.provider.id}:"))
        self.assertEqual((stop.consent, stop.open_ticket, stop.auto_reply), (STOP, False, False))
        self.assertEqual(start.consent, START)

    def test_a_receipt_becomes_an_event_for_the_pipeline(self):
        receipts = self.provider._gateway().parse_receipts(self._webhook(ALIYUN_REPORT))
        [contact] = self.provider._receipt_contacts(receipts)
        self.assertEqual(contact.kind, RECEIPT)
        self.assertEqual(contact.data["provider_ref"], "900619746936498440^0")
        self.assertEqual(contact.data["error_code"], "MK:0001")
        self.assertIn("900619746936498440^0", contact.external_ref)
