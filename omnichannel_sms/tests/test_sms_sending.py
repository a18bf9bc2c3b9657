# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta
from urllib.parse import parse_qsl

from freezegun import freeze_time

from odoo import Command, fields
from odoo.modules.neutralize import neutralize_database
from odoo.tests import Form, TransactionCase, tagged

from ..tools.gateways.base import DELIVERED, Receipt
from .common import SmsProvidersMixin

MOBILE = "+8613712345678"


@tagged("post_install", "-at_install")
class TestSmsSending(SmsProvidersMixin, TransactionCase):
    """Odoo's own SMS features, sent through the company's provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_fake_providers()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Zhang Wei", "mobile": "+86 137 1234 5678"}
        )
        cls.SmsSms = cls.env["sms.sms"]

    def setUp(self):
        super().setUp()
        self.reset_fake()

    def _compose_on_partner(self, body, partner=None, template=None):
        """The "Send SMS" button of a contact, as a user clicks it."""
        partner = partner or self.partner
        composer = Form(
            self.env["sms.composer"].with_context(
                active_model="res.partner",
                active_id=partner.id,
                default_composition_mode="comment",
                default_template_id=template.id if template else False,
            )
        )
        if body:
            composer.body = body
        composer.save().action_send_sms()
        return self.SmsSms.search([("partner_id", "=", partner.id)], order="id desc", limit=1)

    def test_composer_sends_through_each_provider(self):
        for kind in ("twilio", "aliyun", "tencent", "http"):
            with self.subTest(provider=kind):
                provider = self.use(kind)
                self.fake.accepted.clear()
                sms = self._compose_on_partner(f"Your island tour starts tomorrow ({kind})")
                self.assertEqual(len(self.fake.accepted), 1, "the provider got the message once")
                self.assertEqual(sms.omnichannel_provider_id, provider)
                self.assertEqual(sms.state, "pending", "accepted by the provider: sent")
                self.assertTrue(sms.omnichannel_provider_ref)
                interaction = sms.omnichannel_interaction_id
                self.assertEqual(interaction.partner_id, self.partner)
                self.assertEqual((interaction.channel, interaction.direction), ("sms", "outbound"))
                self.assertEqual(interaction.state, "sent")
                notification = self.env["mail.notification"].search(
                    [("mail_message_id", "=", sms.mail_message_id.id)]
                )
                self.assertEqual(notification.notification_status, "pending")

    def test_provider_requests_follow_the_documented_formats(self):
        self.use("twilio")
        self._compose_on_partner("Twilio body")
        twilio = parse_qsl(self.fake.requests[-1].body.decode())
        self.assertIn(("To", MOBILE), twilio)
        self.assertIn(("From", "+15005550006"), twilio)
        callback = dict(twilio)["StatusCallback"]
        self.assertTrue(
            callback.endswith(
                f"/omnichannel/sms/{self.providers['twilio'].id}/status"
                f"?ref={self.SmsSms.search([], limit=1).uuid}"
            )
        )
        self.use("aliyun")
        sms = self._compose_on_partner("阿里云 body")
        aliyun = self.fake.last_aliyun
        self.assertEqual(aliyun["PhoneNumbers"], "13712345678", "mainland numbers without +86")
        self.assertEqual(aliyun["TemplateCode"], "SMS_100000001")
        self.assertEqual(json.loads(aliyun["TemplateParam"]), {"content": "阿里云 body"})
        self.assertEqual(aliyun["OutId"], sms.uuid)
        self.assertEqual((aliyun["Action"], aliyun["Version"]), ("SendSms", "2017-05-25"))
        self.use("tencent")
        sms = self._compose_on_partner("腾讯云 body")
        tencent = self.fake.last_tencent
        self.assertEqual(tencent["PhoneNumberSet"], [MOBILE])
        self.assertEqual(tencent["SmsSdkAppId"], "1400006666")
        self.assertEqual(tencent["TemplateParamSet"], ["腾讯云 body"])
        self.assertEqual(tencent["SessionContext"], sms.uuid)
        request = self.fake.requests[-1]
        self.assertEqual(request.headers["x-tc-action"], "SendSms")
        self.assertEqual(request.headers["x-tc-version"], "2021-01-11")

    def test_approved_template_parameters_come_from_the_document(self):
        provider = self.use("aliyun")
        template = self.env["sms.template"].create(
            {
                "name": "Departure reminder",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Dear {{ object.name }}, your tour leaves tomorrow.",
            }
        )
        self.env["omnichannel.sms.template.code"].create(
            {
                "provider_id": provider.id,
                "sms_template_id": template.id,
                "template_code": "SMS_200000002",
                "param_ids": [Command.create({"name": "customer", "value": "{{ object.name }}"})],
            }
        )
        sms = self._compose_on_partner(None, template=template)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(self.fake.last_aliyun["TemplateCode"], "SMS_200000002")
        self.assertEqual(
            json.loads(self.fake.last_aliyun["TemplateParam"]), {"customer": "Zhang Wei"}
        )

    def test_template_provider_without_template_fails_with_its_reason(self):
        provider = self.use("tencent")
        provider.default_template_code = False
        sms = self._compose_on_partner("No approved template for this")
        self.assertFalse(self.fake.accepted)
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.omnichannel_error_code, "no_template")
        self.assertIn("approved templates only", sms.omnichannel_error_message)
        self.assertEqual(sms.omnichannel_interaction_id.state, "failed")

    def test_mass_sms_invalid_number_fails_only_itself(self):
        self.use("twilio")
        good = self.partner | self.env["res.partner"].create(
            {"name": "Li Na", "mobile": "+8613900139000"}
        )
        bad = self.env["res.partner"].create({"name": "Typo", "mobile": "+86 12"})
        sms = self.SmsSms.create(
            [
                {
                    "number": partner.mobile,
                    "body": "Flight HU7281 delayed by 3 hours",
                    "partner_id": partner.id,
                }
                for partner in good | bad
            ]
        )
        sms.send()
        self.assertEqual(sorted(self.fake.accepted_numbers()), ["13712345678", "13900139000"])
        by_partner = {message.partner_id: message for message in sms}
        self.assertEqual(by_partner[bad].state, "error")
        self.assertEqual(by_partner[bad].failure_type, "sms_number_format")
        self.assertIn("+86 12", by_partner[bad].omnichannel_error_message)
        self.assertEqual(set((sms - by_partner[bad]).mapped("state")), {"pending"})

    def test_bulk_sms_keeps_several_provider_calls_in_flight(self):
        """A provider's API answers one message per call, after its round trip: a bulk SMS keeps
        several calls going at once (each message still sent once, each state its own)."""
        self.use("http")
        self.fake.latency = 0.05
        partners = self.env["res.partner"].create(
            [
                {"name": f"Traveller {index}", "mobile": f"+861390013{index:04d}"}
                for index in range(20)
            ]
        )
        sms = self.SmsSms.create(
            [
                {
                    "number": partner.mobile,
                    "body": "Flight HU7281 now leaves at 18:40",
                    "partner_id": partner.id,
                }
                for partner in partners
            ]
        )
        sms.send()
        self.assertGreater(self.fake.most_in_flight, 1)
        self.assertEqual(
            sorted(self.fake.accepted_numbers()),
            sorted(number[-11:] for number in partners.mapped("mobile")),
        )
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertEqual(len(set(sms.mapped("omnichannel_provider_ref"))), 20)

    def test_mass_composer_goes_through_the_provider(self):
        self.use("http")
        partners = self.partner | self.env["res.partner"].create(
            {"name": "Li Na", "mobile": "+8613900139000"}
        )
        composer = (
            self.env["sms.composer"]
            .with_context(
                active_model="res.partner",
                active_ids=partners.ids,
                default_composition_mode="mass",
            )
            .create(
                {
                    "body": "Typhoon warning: tomorrow's boat trip moves to Friday",
                    "mass_force_send": True,
                    "mass_keep_log": False,
                }
            )
        )
        composer.action_send_sms()
        self.assertEqual(len(self.fake.accepted), 2)
        sent = self.SmsSms.search([("partner_id", "in", partners.ids)])
        self.assertEqual(set(sent.mapped("state")), {"pending"})
        self.assertEqual(set(sent.mapped("omnichannel_res_model")), {"res.partner"})
        self.assertEqual(
            len(sent.omnichannel_interaction_id), 2, "each customer's timeline shows it"
        )

    def test_opted_out_number_is_skipped(self):
        self.use("aliyun")
        self.env["phone.blacklist"].sudo().add(MOBILE)
        sms = self.SmsSms.create({"number": MOBILE, "body": "Promo", "partner_id": self.partner.id})
        sms.send()
        self.assertFalse(self.fake.accepted)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_blacklist"))

    def test_permanent_refusal_is_not_retried(self):
        self.use("aliyun")
        self.fake.refuse_numbers["13712345678"] = "isv.MOBILE_NUMBER_ILLEGAL"
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello", "partner_id": self.partner.id})
        sms.send()
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_number_format"))
        self.assertEqual(sms.omnichannel_error_code, "isv.MOBILE_NUMBER_ILLEGAL")
        self.env["sms.sms"]._process_queue()
        self.assertEqual(len(self.fake.requests), 1, "never tried again")

    def test_twilio_unsubscribed_recipient_is_blacklisted(self):
        self.use("twilio")
        self.fake.refuse_numbers[MOBILE] = "21610"
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello", "partner_id": self.partner.id})
        sms.send()
        self.assertEqual(sms.failure_type, "sms_blacklist")
        self.assertTrue(self.env["phone.blacklist"].sudo().search([("number", "=", MOBILE)]))

    def test_retries_are_bounded(self):
        provider = self.use("http")
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello"})
        self.fake.down_for = 100
        now = fields.Datetime.now()
        for hour in range(12):
            with freeze_time(now + timedelta(hours=hour)):
                self.SmsSms._process_queue()
        self.assertEqual(len(self.fake.requests), provider.max_attempts)
        self.assertEqual((sms.state, sms.failure_type), ("error", "sms_server"))
        self.assertEqual(sms.omnichannel_error_code, "503")

    def test_interrupted_send_is_not_sent_again(self):
        """A crash after the provider was called leaves the message "Processing": it is closed as
        failed with the reason, never sent twice; a later receipt still settles it."""
        provider = self.use("aliyun")
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello", "partner_id": self.partner.id})
        sms.write(
            {"state": "process", "omnichannel_provider_id": provider.id, "omnichannel_attempts": 1}
        )
        with freeze_time(fields.Datetime.now() + timedelta(minutes=20)):
            self.SmsSms._process_queue()
        self.assertFalse(self.fake.requests)
        self.assertEqual((sms.state, sms.omnichannel_error_code), ("error", "interrupted"))
        self.SmsSms._apply_receipts(provider, [Receipt(DELIVERED, "123^0", sms.uuid)])
        self.assertEqual(sms.state, "sent", "the provider's receipt tells it was delivered")

    def test_a_neutralized_database_sends_no_queued_sms(self):
        """A copy of the database neutralized for testing keeps the SMS queued in production from
        reaching customers: no provider is called, not even Odoo IAP, and each SMS says why."""
        self.use("twilio")
        sms = self.SmsSms.create({"number": MOBILE, "body": "Your ferry leaves at 9:00"})
        neutralize_database(self.env.cr)
        self.env.invalidate_all()
        self.SmsSms._process_queue()
        self.assertFalse(self.fake.requests)
        self.assertEqual((sms.state, sms.omnichannel_error_code), ("error", "provider_archived"))
        self.assertIn("Twilio test is archived", sms.omnichannel_error_message)
        self.assertIn("Twilio test is archived", sms.omnichannel_interaction_id.failure_reason)

    def test_a_retry_never_goes_through_an_archived_provider(self):
        aliyun = self.use("aliyun")
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello", "partner_id": self.partner.id})
        self.fake.down_for = 1
        sms.send()
        self.assertEqual((sms.state, sms.omnichannel_provider_id), ("outgoing", aliyun))
        aliyun.action_archive()
        later = fields.Datetime.now() + timedelta(hours=1)
        with freeze_time(later):
            self.SmsSms._process_queue()
        self.assertEqual(len(self.fake.requests), 1, "the first attempt only")
        self.assertEqual(sms.omnichannel_error_code, "provider_archived")
        # Sent again (Odoo's "Resend") once the company has an active provider: through that one.
        twilio = self.use("twilio")
        with freeze_time(later):
            sms.resend_failed()
        self.assertEqual((sms.state, sms.omnichannel_provider_id), ("pending", twilio))
        self.assertEqual([kind for kind, _number, _body in self.fake.accepted], ["twilio"])

    def test_without_provider_odoo_iap_is_used(self):
        self.env["omnichannel.sms.provider"].search([]).write({"is_default": False})
        sms = self.SmsSms.create({"number": MOBILE, "body": "Hello"})
        sms.send()  # Odoo's IAP path, unreachable in tests: a server error, nothing through ours
        self.assertFalse(self.fake.requests)
        self.assertFalse(sms.omnichannel_provider_id)
        self.assertEqual(sms.failure_type, "sms_server")

    def test_each_company_sends_through_its_own_provider(self):
        self.use("aliyun")
        company_b = self.env["res.company"].create({"name": "Island Tours Hong Kong"})
        twilio_b = self.providers["twilio"].copy(
            {"name": "Twilio HK", "company_id": company_b.id, "is_default": True}
        )
        twilio_b.write(
            {"account": self.providers["twilio"].account, "secret": self.providers["twilio"].secret}
        )
        sms = self.SmsSms.create(
            [
                {"number": MOBILE, "body": "From Shanghai"},
                {
                    "number": MOBILE,
                    "body": "From Hong Kong",
                    "omnichannel_company_id": company_b.id,
                },
            ]
        )
        sms.send()
        self.assertEqual(sms.mapped("omnichannel_provider_id"), self.providers["aliyun"] | twilio_b)
        self.assertEqual(
            sorted(kind for kind, _number, _ref in self.fake.accepted), ["aliyun", "twilio"]
        )

    def test_send_test_button(self):
        provider = self.use("twilio")
        provider.test_number = MOBILE
        action = provider.action_send_test()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(len(self.fake.accepted), 1)
        self.fake.down_for = 1
        action = provider.action_send_test()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("503", action["params"]["message"])

    def test_sms_answer_on_a_ticket_meets_its_first_response(self):
        self.use("twilio")
        agent = self.env["res.users"].create(
            {
                "name": "Wang Fang",
                "login": "sms_sla_agent",
                "email": "wang.fang@example.com",
                "notification_type": "inbox",
                "groups_id": [
                    Command.set([self.env.ref("omnichannel_crm.group_omnichannel_user").id])
                ],
            }
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "SMS care", "use_sla": True, "user_ids": [Command.set(agent.ids)]}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Refund of the boat trip",
                "description": "<p>Cancelled by the typhoon</p>",
                "partner_id": self.partner.id,
                "team_id": team.id,
                "channel_id": self.env.ref("omnichannel_crm.helpdesk_ticket_channel_sms").id,
            }
        )
        first = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "first_response"
        )
        self.assertEqual(first.omnichannel_status, "on_track")
        composer = Form(
            self.env["sms.composer"]
            .with_user(agent)
            .with_context(
                active_model="helpdesk.ticket",
                active_id=ticket.id,
                default_composition_mode="comment",
                default_res_model="helpdesk.ticket",
                default_res_id=ticket.id,
            )
        )
        composer.body = "Your refund is on its way"
        composer.save().action_send_sms()
        self.assertEqual(len(self.fake.accepted), 1)
        self.assertEqual(first.omnichannel_status, "met")
