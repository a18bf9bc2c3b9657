# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_mail_template, create_scenario

from .common import SmsProvidersMixin

MOBILE = "+8613712345678"
# Wednesday 15 July 2026, 10:00 in Shanghai.
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)


@tagged("post_install", "-at_install")
class TestSmsOrchestration(SmsProvidersMixin, TransactionCase):
    """The SMS channel of notification scenarios, through the company's provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Zhang Wei",
                "mobile": "+86 137 1234 5678",
                "email": "zhang.wei@example.com",
                "tz": "Asia/Shanghai",
            }
        )
        model = cls.env.ref("base.model_res_partner")
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Flight delay",
                "model_id": model.id,
                "body": "{{ object.name }}: flight HU7181 leaves at 18:40 instead of 14:10.",
            }
        )
        cls.mail_template = create_mail_template(
            cls.env, "Flight delay", "Flight HU7181 delayed", "<p>New departure 18:40.</p>"
        )
        cls.scenario = create_scenario(
            cls.env,
            "Flight delay",
            [
                {"channel": "sms", "sms_template_id": cls.sms_template.id},
                {"channel": "email", "mail_template_id": cls.mail_template.id},
            ],
            urgent=True,
        )

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.accepted.clear()
        self.fake.refuse_numbers.clear()

    def _notify(self):
        with freeze_time(WEDNESDAY_1000):
            return self.scenario.notify(self.partner)

    def test_sms_goes_through_the_provider(self):
        provider = self.use("twilio")
        notification = self._notify()
        self.assertEqual((notification.state, notification.channel), ("sent", "sms"))
        sms = self.env["sms.sms"].search(
            [("omnichannel_interaction_id", "=", notification.interaction_id.id)]
        )
        self.assertEqual(sms.state, "outgoing", "queued with the notification, sent by the queue")
        self.env["sms.sms"]._process_queue()
        self.assertEqual(
            self.fake.accepted,
            [("twilio", MOBILE, "Zhang Wei: flight HU7181 leaves at 18:40 instead of 14:10.")],
        )
        self.assertEqual(sms.omnichannel_provider_id, provider)
        self.assertEqual(notification.interaction_id.state, "sent")
        self.assertEqual(notification.state, "sent")

    def test_refused_sms_falls_back_to_email(self):
        self.use("aliyun")
        self.fake.refuse_numbers["13712345678"] = "isv.MOBILE_NUMBER_ILLEGAL"
        notification = self._notify()
        self.env["sms.sms"]._process_queue()
        self.env["omnichannel.notification"]._cron_process()
        self.assertEqual((notification.state, notification.channel), ("fallback", "email"))
        self.assertEqual(notification.tried_channels, "sms,email")
        timeline = self.env["omnichannel.interaction"].search(
            [("partner_id", "=", self.partner.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(
            sorted(timeline.mapped(lambda i: (i.channel, i.state))),
            [("email", "queued"), ("sms", "failed")],
        )

    def test_sms_opt_out_moves_to_the_next_channel(self):
        self.use("twilio")
        self.env["phone.blacklist"]._add([MOBILE])
        notification = self._notify()
        self.assertEqual((notification.state, notification.channel), ("sent", "email"))
        self.assertEqual(notification.reason, "SMS: opted out")
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", self.partner.id)]))
