# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff, receive

from .common import APP_ID, create_test_account, follower_message, start_fake_wechat

SEND = "/cgi-bin/message/custom/send"
TEMPLATE = "/cgi-bin/message/template/send"
TOKEN_PATH = "/cgi-bin/token"


@tagged("post_install", "-at_install")
class TestWechatReplies(TransactionCase):
    """Agents answer WeChat tickets from Odoo; the WeChat API is a local stand-in on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = start_fake_wechat(cls)
        cls.account = create_test_account(cls.env)
        cls.agent = create_staff(cls.env, "wechat_agent")
        cls.openid = "oReplyFollower00000000000001"

    def setUp(self):
        super().setUp()
        self.api.requests.clear()
        self.api.queued_errors.clear()

    def _customer_writes(self, msg_id, hours_ago=0):
        return receive(
            self.env,
            "wechat",
            self.openid,
            summary="酒店接送怎么办？",
            external_ref=f"{APP_ID}:{msg_id}",
            date=fields.Datetime.now() - timedelta(hours=hours_ago),
        )

    def _agent_replies(self, ticket, text="Your transfer waits for you at the airport."):
        sent_before = len(self.api.calls(SEND))
        ticket.with_user(self.agent).message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        reply = self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("direction", "=", "outbound")], limit=1
        )
        # The agent's request only queues it: the outbox sends, as it sends notifications.
        self.assertEqual(reply.state, "queued")
        self.assertEqual(len(self.api.calls(SEND)), sent_before)
        self.env["omnichannel.interaction"]._cron_send_wechat_outbox()
        return reply

    def test_reply_within_48_hours_goes_through_the_customer_service_api(self):
        ticket = self._customer_writes("m1").ticket_id
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.channel, "wechat")
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        sent = self.api.calls(SEND)
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0].json["touser"], self.openid)
        self.assertEqual(sent[0].json["msgtype"], "text")
        self.assertIn("transfer waits", sent[0].json["text"]["content"])

    def test_after_48_hours_nothing_is_sent_and_the_timeline_says_why(self):
        ticket = self._customer_writes("m2", hours_ago=49).ticket_id
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.state, "failed")
        self.assertIn("48-hour", reply.failure_reason)
        self.assertFalse(self.api.calls(SEND))

    def test_a_message_to_another_companys_account_opens_no_window_here(self):
        """The customer, shared by two companies, wrote to this company's account 49 hours ago and
        to the other company's an hour ago: this account's window is closed."""
        customer = self.env["res.partner"].create({"name": "Wang Fang"})
        self.env["omnichannel.identity"].create(
            {"kind": "wechat_openid", "identifier": self.openid, "partner_id": customer.id}
        )
        resort = self.env["res.company"].create({"name": "Resort Sanya"})
        resort_app = "wx00000000resort01"
        create_test_account(self.env, name="Resort Sanya", app_id=resort_app, company_id=resort.id)
        ticket = self._customer_writes("m-tours", hours_ago=49).ticket_id
        receive(
            self.env,
            "wechat",
            self.openid,
            summary="房间有加床吗？",
            external_ref=f"{resort_app}:m-resort",
            company=resort,
            date=fields.Datetime.now() - timedelta(hours=1),
        )
        self.assertEqual(ticket.partner_id, customer)
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.wechat_account_id, self.account)
        self.assertFalse(self.api.calls(SEND))
        self.assertEqual(reply.state, "failed")
        self.assertIn("48-hour", reply.failure_reason)

    def test_window_closed_by_the_platform(self):
        ticket = self._customer_writes("m3").ticket_id
        self.api.queued_errors.append((SEND, 45015, "response out of time limit"))
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.state, "failed")
        self.assertIn("45015", reply.failure_reason)

    def test_access_token_is_fetched_once_then_refreshed_once_when_revoked(self):
        ticket = self._customer_writes("m4").ticket_id
        self._agent_replies(ticket, "first")
        self._agent_replies(ticket, "second")
        self.assertEqual(len(self.api.calls(TOKEN_PATH)), 1, "the cached token serves both")
        # WeChat revoked the token (40001): one refresh, one retry, delivered.
        self.api.queued_errors.append((SEND, 40001, "invalid credential"))
        reply = self._agent_replies(ticket, "third")
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(len(self.api.calls(TOKEN_PATH)), 2)
        self.assertEqual(len(self.api.calls(SEND)), 4)
        # A second consecutive refusal is reported, not retried forever.
        self.api.queued_errors.extend([(SEND, 42001, "expired"), (SEND, 42001, "expired")])
        reply = self._agent_replies(ticket, "fourth")
        self.assertEqual(reply.state, "failed")
        self.assertIn("42001", reply.failure_reason)
        self.assertEqual(len(self.api.calls(TOKEN_PATH)), 3)

    def test_wrong_app_secret_is_a_clear_error(self):
        self.account.app_secret = "wrong"
        with self.assertRaisesRegex(Exception, "40125"):
            self.account.action_test_connection()

    def test_a_menu_number_is_answered_by_the_pipeline_through_the_outbox(self):
        self.env.company.omnichannel_faq_enabled = True
        self.env["omnichannel.faq"].search([]).action_archive()
        self.env["omnichannel.faq"].create(
            {
                "name": "行李可以带多少？",
                "keywords": "行李",
                "answer": "经济舱每人可托运20公斤行李。",
                "menu_number": 1,
            }
        )
        message = follower_message(
            self.openid, MsgType="text", Content="1", MsgId="7100000000000000001"
        )
        contact = self.account._inbound_contact(message)
        self.assertIsNone(
            self.account._edge_reply(contact, message), "a number may answer a survey: it waits"
        )
        Event = self.env["omnichannel.inbound.event"]
        Event._store([contact])
        Event._process_pending()
        question = self.env["omnichannel.interaction"].search(
            [("external_ref", "=", contact.external_ref)]
        )
        self.assertEqual(question.reply_id.state, "queued")
        self.assertFalse(question.ticket_id)
        self.env["omnichannel.interaction"]._cron_send_wechat_outbox()
        self.assertEqual(question.reply_id.state, "sent", question.reply_id.failure_reason)
        [sent] = self.api.calls(SEND)
        self.assertEqual(sent.json["touser"], self.openid)
        self.assertEqual(sent.json["text"]["content"], "经济舱每人可托运20公斤行李。")

    # ----------------------------------------------------------------------------------------------
    # Replies after the 48-hour window
    # ----------------------------------------------------------------------------------------------

    def _late_reply_template(self):
        template = self.env["omnichannel.wechat.template"].create(
            {
                "name": "Reply to your request",
                "account_id": self.account.id,
                "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "wechat_template_id": "TPL-SERVICE-REPLY",
                "field_ids": [Command.create({"key": "keyword1", "value": "{{ object.name }}"})],
            }
        )
        self.account.write({"reply_template_id": template.id, "reply_keyword": "keyword2"})
        return template

    def _notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))

    def test_a_late_reply_goes_as_the_template_message_for_late_replies(self):
        template = self._late_reply_template()
        ticket = self._customer_writes("m5", hours_ago=49).ticket_id
        reply = self._agent_replies(ticket, "Your driver waits at gate 3.")
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertFalse(self.api.calls(SEND), "no customer-service text outside the window")
        [sent] = self.api.calls(TEMPLATE)
        self.assertEqual(sent.json["touser"], self.openid)
        self.assertEqual(sent.json["template_id"], "TPL-SERVICE-REPLY")
        self.assertEqual(sent.json["data"]["keyword1"]["value"], ticket.name)
        self.assertEqual(sent.json["data"]["keyword2"]["value"], "Your driver waits at gate 3.")
        self.assertIn(template.name, self._notes(ticket)[:1].body)

    def test_the_platforms_quota_error_sends_the_template_instead(self):
        self._late_reply_template()
        ticket = self._customer_writes("m6").ticket_id
        self.api.queued_errors.append((SEND, 45047, "out of response count limit"))
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(len(self.api.calls(TEMPLATE)), 1)
        self.assertIn("45047", self._notes(ticket)[:1].body)

    def test_a_late_reply_without_a_template_goes_by_email_and_the_agent_is_told(self):
        ticket = self._customer_writes("m7", hours_ago=49).ticket_id
        ticket.partner_id.email = "wang.fang@example.com"
        reply = self._agent_replies(ticket, "Your driver waits at gate 3.")
        self.assertFalse(self.api.calls(SEND) or self.api.calls(TEMPLATE))
        self.assertEqual(reply.state, "failed")
        self.assertIn("Sent by Email instead", reply.failure_reason)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", ticket.partner_id.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("gate 3", mail.body_html)
        forwarded = self.env["omnichannel.interaction"].search(
            [
                ("ticket_id", "=", ticket.id),
                ("channel", "=", "email"),
                ("direction", "=", "outbound"),
            ]
        )
        self.assertEqual(forwarded.source_ref, mail.mail_message_id)
        self.assertIn("Sent by Email instead", self._notes(ticket)[:1].body)

    def test_a_refused_template_falls_back_to_the_next_channel_with_the_reason(self):
        self._late_reply_template()
        ticket = self._customer_writes("m8", hours_ago=49).ticket_id
        ticket.partner_id.email = "wang.fang@example.com"
        self.api.queued_errors.append((TEMPLATE, 43101, "user refuse to accept the msg"))
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.state, "failed")
        self.assertIn("43101", reply.failure_reason)
        self.assertIn("refused the Official Account's template messages", reply.failure_reason)
        self.assertIn("Sent by Email instead", reply.failure_reason)

    def test_a_late_reply_nobody_else_can_take_says_so(self):
        ticket = self._customer_writes("m9", hours_ago=49).ticket_id
        reply = self._agent_replies(ticket)
        self.assertEqual(reply.state, "failed")
        self.assertIn("No other channel reaches the customer", reply.failure_reason)
        self.assertIn("No other channel", self._notes(ticket)[:1].body)

    def test_a_reply_goes_from_the_account_the_customer_wrote_to_with_its_openid(self):
        """The customer follows two Official Accounts of the company (an OpenID for each, linked
        by their UnionID): the reply goes from the one they wrote to on this ticket, to the OpenID
        they have there, not to the first OpenID of any account (which it would refuse)."""
        self.api.delivered.clear()
        hotel_app = "wx00000000hotel001"
        hotel = create_test_account(self.env, name="Island Hotel", app_id=hotel_app)
        customer = self.env["res.partner"].create({"name": "Wang Fang"})
        tours_openid, hotel_openid = "oAAAToursFollower00000001", "oZZZHotelFollower00000001"
        for openid in (tours_openid, hotel_openid):
            self.env["omnichannel.identity"].create(
                {"kind": "wechat_openid", "identifier": openid, "partner_id": customer.id}
            )
        self.api.followers.update({APP_ID: {tours_openid}, hotel_app: {hotel_openid}})
        self.addCleanup(self.api.followers.clear)
        ticket = receive(
            self.env,
            "wechat",
            hotel_openid,
            summary="房间可以延迟退房吗？",
            external_ref=f"{hotel_app}:m-hotel",
        ).ticket_id
        self.assertEqual(ticket.partner_id, customer)
        reply = self._agent_replies(ticket, "可以，延迟到下午两点。")
        self.assertEqual((reply.wechat_account_id, reply.wechat_openid), (hotel, hotel_openid))
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(self.api.delivered, [(hotel_app, SEND, hotel_openid)])
