# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_mail_template, create_scenario, receive

from .common import APP_ID, create_test_account, start_fake_wechat

CUSTOM = "/cgi-bin/message/custom/send"
TEMPLATE = "/cgi-bin/message/template/send"


@tagged("post_install", "-at_install")
class TestWechatNotifications(TransactionCase):
    """The WeChat channel of notification scenarios: a customer-service text within 48 hours, the
    approved template message after, through a local stand-in of the WeChat API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = start_fake_wechat(cls)
        cls.account = create_test_account(cls.env)
        cls.openid = "oNotifyFollower0000000000001"
        cls.template = cls.env["omnichannel.wechat.template"].create(
            {
                "name": "Flight delay",
                "account_id": cls.account.id,
                "text": "{{ object.name }}，您的航班HU7181改为18:40起飞。",
                "wechat_template_id": "TPL-FLIGHT-DELAY",
                "url": "https://tours.example.com/trips/hainan",
                "field_ids": [
                    Command.create({"key": "first", "value": "{{ object.name }}，航班有变"}),
                    Command.create({"key": "keyword1", "value": "HU7181"}),
                    Command.create({"key": "keyword2", "value": "18:40"}),
                ],
            }
        )
        cls.mail_template = create_mail_template(
            cls.env, "Flight delay", "Flight HU7181 delayed", "<p>18:40</p>"
        )
        cls.scenario = create_scenario(
            cls.env,
            "Flight delay",
            [
                {"channel": "wechat", "wechat_template_id": cls.template.id},
                {"channel": "email", "mail_template_id": cls.mail_template.id},
            ],
            urgent=True,
        )

    def setUp(self):
        super().setUp()
        self.api.requests.clear()
        self.api.queued_errors.clear()
        first = receive(
            self.env,
            "wechat",
            self.openid,
            summary="subscribe",
            kind="event",
            external_ref=f"{APP_ID}:{self.openid}:subscribe",
            open_ticket=False,
        )
        self.customer = first.partner_id
        self.customer.write({"name": "周敏", "email": "zhou.min@example.com"})
        self.identity = first.identity_id

    def _customer_wrote(self, hours_ago):
        receive(
            self.env,
            "wechat",
            self.openid,
            summary="还有座位吗？",
            open_ticket=False,
            external_ref=f"{APP_ID}:msg{hours_ago}",
            date=fields.Datetime.now() - timedelta(hours=hours_ago),
        )

    def _notify_and_send(self):
        notification = self.scenario.notify(self.customer)
        self.env["omnichannel.interaction"]._cron_send_wechat_outbox()
        return notification

    def test_within_48_hours_a_customer_service_text(self):
        self._customer_wrote(hours_ago=2)
        notification = self._notify_and_send()
        self.assertEqual((notification.state, notification.channel), ("sent", "wechat"))
        [call] = self.api.calls(CUSTOM)
        self.assertEqual(call.json["touser"], self.openid)
        self.assertEqual(call.json["text"]["content"], "周敏，您的航班HU7181改为18:40起飞。")
        self.assertEqual(notification.interaction_id.state, "sent")
        self.assertFalse(self.api.calls(TEMPLATE))

    def test_after_48_hours_the_template_message(self):
        self._customer_wrote(hours_ago=60)
        notification = self._notify_and_send()
        [call] = self.api.calls(TEMPLATE)
        self.assertEqual(
            call.json,
            {
                "touser": self.openid,
                "template_id": "TPL-FLIGHT-DELAY",
                "url": "https://tours.example.com/trips/hainan",
                # The same at every attempt: WeChat sends it once.
                "client_msg_id": f"odoo-{notification.interaction_id.id}",
                "data": {
                    "first": {"value": "周敏，航班有变"},
                    "keyword1": {"value": "HU7181"},
                    "keyword2": {"value": "18:40"},
                },
            },
        )
        self.assertEqual(notification.interaction_id.state, "sent")

    def test_refused_by_wechat_falls_back_to_email(self):
        self.api.queued_errors.append((TEMPLATE, 43004, "require subscribe"))
        notification = self._notify_and_send()
        self.env["omnichannel.notification"]._cron_process()
        self.assertEqual((notification.state, notification.channel), ("fallback", "email"))
        self.assertIn("43004", notification.reason)
        self.assertTrue(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))

    def test_unfollowed_customers_are_not_sent_to(self):
        self.identity._wechat_set_subscription(False, fields.Datetime.now())
        notification = self._notify_and_send()
        self.assertEqual((notification.state, notification.channel), ("sent", "email"))
        self.assertEqual(notification.reason, "WeChat: opted out")
        self.assertFalse(self.api.requests)
