# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An SMS's state only moves forward, whatever comes first: the provider's answer to the send
call, or its delivery receipt (posted over real HTTP and applied by the inbound pipeline, as its
worker does). A provider that hangs costs the queue one timeout, and the queue moves on."""

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.omnichannel_crm.tests.loopback import LoopbackTimeoutsMixin
from odoo.addons.omnichannel_crm.tools.outbox import API_TIMEOUT_PARAM

from .common import SmsProvidersMixin, aliyun_report
from .fake_sms_providers import FakeSmsProviders

MOBILE = "+8613712345678"
ALIYUN_SEND = "/aliyun/"


@tagged("post_install", "-at_install")
class TestSmsOutbox(LoopbackTimeoutsMixin, SmsProvidersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.partner = cls.env["res.partner"].create({"name": "Zhang Wei", "mobile": MOBILE})
        cls.SmsSms = cls.env["sms.sms"]

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.accepted.clear()
        self.addCleanup(setattr, self.fake, "before_reply", None)

    def _sms(self, number=MOBILE):
        return self.SmsSms.create(
            {"number": number, "body": "您的船票：9点码头集合", "partner_id": self.partner.id}
        )

    def _receipt_delivered(self, provider, biz_id, out_id, number="13712345678"):
        """What the provider and the receipts' worker do: the receipt posted to the status
        webhook, then applied by the inbound pipeline in a transaction of its own."""
        url = urlsplit(provider._webhook_url("status"))
        response = self.url_open(
            f"{url.path}?{url.query}",
            data=json.dumps(
                [aliyun_report(biz_id, out_id, delivered=True, number=number)]
            ).encode(),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["omnichannel.inbound.event"]._process_pending()

    def _deliver_before_answering(self, provider, number):
        """Aliyun, once it has taken a SendSms call, delivers it to `number` and pushes that
        receipt (BizId and OutId of the call) before it answers the call. Returns the BizIds of
        the receipts so applied."""
        delivered_first = []

        def deliver_before_answering(request, _status, body):
            if request.path == ALIYUN_SEND:
                biz_id = json.loads(body)["BizId"]
                out_id = dict(parse_qsl(request.body.decode()))["OutId"]
                self._receipt_delivered(provider, biz_id, out_id, number)
                delivered_first.append(biz_id)

        self.fake.before_reply = deliver_before_answering
        return delivered_first

    def test_a_receipt_before_the_send_answer_is_kept(self):
        """Aliyun delivers the SMS and pushes its receipt before its answer to the send call
        reaches Odoo: the answer, applied last, does not take the SMS back to "sent"."""
        provider = self.use("aliyun")
        sms = self._sms()
        delivered_first = self._deliver_before_answering(provider, "13712345678")
        sms.send()
        self.assertEqual(len(delivered_first), 1, "the receipt was applied before the answer")
        self.env.invalidate_all()
        self.assertEqual(sms.state, "sent", "delivered, as the receipt said")
        self.assertEqual(sms.omnichannel_provider_ref, delivered_first[0])
        self.assertEqual(sms.omnichannel_interaction_id.state, "delivered")

    def test_a_receipt_after_the_send_answer_moves_it_forward(self):
        provider = self.use("aliyun")
        sms = self._sms()
        sms.send()
        self.assertEqual(sms.state, "pending")
        self._receipt_delivered(provider, sms.omnichannel_provider_ref, sms.uuid)
        self.env.invalidate_all()
        self.assertEqual(sms.state, "sent")
        self.assertEqual(sms.omnichannel_interaction_id.state, "delivered")

    def _batch(self):
        """Three SMS with the same text, sent in one Aliyun SendSms call."""
        return self._sms("+8613712340001") | self._sms("+8613712340002") | self._sms(MOBILE)

    def test_a_receipt_for_a_batch_sent_sms_updates_that_sms_only(self):
        provider = self.use("aliyun")
        sms = self._batch()
        sms.send()
        self.assertEqual(len(self.fake.calls(ALIYUN_SEND)), 1, "one call for the three")
        self.assertEqual(len(set(sms.mapped("omnichannel_provider_ref"))), 1, "one BizId")
        second = sms[1]
        self._receipt_delivered(
            provider, second.omnichannel_provider_ref, second.omnichannel_call_ref, "13712340002"
        )
        self.env.invalidate_all()
        self.assertEqual(second.state, "sent")
        self.assertEqual(second.omnichannel_interaction_id.state, "delivered")
        self.assertEqual(set((sms - second).mapped("state")), {"pending"}, "the others untouched")
        # The same BizId's receipt for another number is another receipt, not a duplicate.
        self._receipt_delivered(provider, second.omnichannel_provider_ref, "", "13712345678")
        self.env.invalidate_all()
        self.assertEqual(sms.mapped("state"), ["pending", "sent", "sent"])

    def test_a_receipt_before_a_batch_answer_is_kept(self):
        """Aliyun delivers one SMS of a call and pushes its receipt before its answer to the call
        reaches Odoo: the receipt finds that SMS by the call's reference (OutId) and its number."""
        provider = self.use("aliyun")
        sms = self._batch()
        delivered_first = self._deliver_before_answering(provider, "13712340001")
        sms.send()
        self.assertEqual(len(delivered_first), 1)
        self.env.invalidate_all()
        self.assertEqual(sms.mapped("state"), ["sent", "pending", "pending"])
        self.assertEqual(set(sms.mapped("omnichannel_provider_ref")), set(delivered_first))

    def test_a_provider_that_hangs_costs_one_timeout_and_the_queue_moves_on(self):
        """The gateway accepts connections and answers nothing: its SMS waits for the timeout
        and is tried again later; the other provider's SMS goes meanwhile."""
        self.env["ir.config_parameter"].set_param(API_TIMEOUT_PARAM, "1")
        hanging = FakeSmsProviders().__enter__()
        self.addCleanup(hanging.__exit__, None, None, None)
        gateway = self.providers["http"]
        gateway.endpoint = f"{hanging.url}/gateway/send"
        hanging.hold()
        stuck = self._sms()
        stuck.omnichannel_provider_id = gateway
        moving = self._sms()
        self.use("twilio")
        self.SmsSms._process_queue()
        self.assertEqual(len(hanging.held), 1)
        self.assertEqual(moving.state, "pending")
        self.assertEqual((stuck.state, stuck.omnichannel_error_code), ("outgoing", "network"))
        self.assertIn("timed out", stuck.omnichannel_error_message)
        hanging.release()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=5)):
            self.SmsSms._process_queue()
        self.assertEqual(stuck.state, "pending")
        self.assertEqual(stuck.omnichannel_attempts, 2)
