# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import SmsProvidersMixin


@tagged("post_install", "-at_install")
class TestSmsParallelCalls(SmsProvidersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.setup_fake_providers()

    def setUp(self):
        super().setUp()
        self.reset_fake()

    def test_twilio_bulk_sms_keeps_more_calls_in_flight(self):
        """Twilio takes one message a call and queues them itself: a bulk SMS keeps more calls
        going at once than through a provider of batch calls (each message still sent once)."""
        self.use("twilio")
        self.fake.latency = 0.05
        partners = self.env["res.partner"].create(
            [
                {"name": f"Traveller {index}", "mobile": f"+861390013{index:04d}"}
                for index in range(40)
            ]
        )
        sms = self.env["sms.sms"].create(
            [
                {"number": partner.mobile, "body": "Flight HU7281 now leaves at 18:40"}
                for partner in partners
            ]
        )
        sms.send()
        self.assertGreater(self.fake.most_in_flight, 8)
        self.assertEqual(len(self.fake.accepted), 40)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
