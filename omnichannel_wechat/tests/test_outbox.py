# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox of WeChat and WeCom messages: sent once the platform accepted them, tried again with
the same idempotency key when the platform is busy, down, slow or the job stopped, and failed with
the reason, on the customer's next channel and with a note to the agent, when it refuses them or
something else goes wrong. The platforms are loopback stand-ins on 127.0.0.1."""

import threading
import time
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.omnichannel_crm.tests.common import create_scenario, create_staff, receive
from odoo.addons.omnichannel_crm.tests.loopback import LoopbackTimeoutsMixin
from odoo.addons.omnichannel_crm.tools.outbox import API_TIMEOUT_PARAM

from ..models.omnichannel_interaction_outbox import MAX_ATTEMPTS
from .common import (
    APP_ID,
    create_test_account,
    run_outbox,
    start_fake_wechat,
    start_fake_wecom,
)
from .fake_wecom_api import CORP_ID, OPEN_KFID

SEND = "/cgi-bin/message/custom/send"
KF_SEND = "/cgi-bin/kf/send_msg"
OUTBOX_LOGGER = "odoo.addons.omnichannel_wechat.models.omnichannel_interaction_outbox"
CUSTOMER = "wmIslandFamilyChen00001"


class OutboxCase(LoopbackTimeoutsMixin, TransactionCase):
    """An agent answering a customer's ticket."""

    def _notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))

    def _agent_replies(self, ticket, text):
        ticket.with_user(self.agent).message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        return self.env["omnichannel.interaction"].search(
            [("ticket_id", "=", ticket.id), ("direction", "=", "outbound")], limit=1
        )

    def _mails_to(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])

    def assertForwardedByEmail(self, reply, reason):
        """The reply failed with `reason`, went by email, and the agent was told on the ticket."""
        self.assertEqual(reply.state, "failed")
        self.assertIn(reason, reply.failure_reason)
        self.assertIn("Sent by Email instead", reply.failure_reason)
        self.assertEqual(len(self._mails_to(reply.partner_id)), 1)
        [note] = self._notes(reply.ticket_id)
        self.assertIn(reason, note.body)


@tagged("post_install", "-at_install")
class TestWechatOutbox(OutboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = start_fake_wechat(cls)
        cls.account = create_test_account(cls.env)
        cls.agent = create_staff(cls.env, "outbox_agent")
        cls.openid = "oOutboxFollower000000000001"

    def setUp(self):
        super().setUp()
        self.api.requests.clear()
        self.api.queued_errors.clear()
        self.api.delivered.clear()
        self.api.down_for = 0

    def _ticket(self, msg_id="m1", openid=None):
        ticket = receive(
            self.env,
            "wechat",
            openid or self.openid,
            summary="接机的司机在哪里？",
            external_ref=f"{APP_ID}:{msg_id}",
        ).ticket_id
        ticket.partner_id.email = "chen.jing@example.com"
        return ticket

    def test_a_busy_platform_is_tried_again_until_it_takes_the_reply(self):
        reply = self._agent_replies(self._ticket(), "司机在三号门等您。")
        self.api.queued_errors += [(SEND, -1, "system error"), (SEND, -1, "system error")]
        run_outbox(self.env, "wechat")
        self.assertEqual((reply.state, reply.outbox_attempts), ("queued", 1))
        self.assertGreater(reply.outbox_next_try, fields.Datetime.now())
        self.assertIn("-1", reply.failure_reason)
        self.assertIn("tried again", reply.failure_reason)
        run_outbox(self.env, "wechat", runs=3)
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(reply.outbox_attempts, 3)
        self.assertFalse(reply.failure_reason)
        self.assertEqual(len(self.api.delivered), 1)
        self.assertFalse(self._mails_to(reply.partner_id), "no other channel while retrying")
        self.assertFalse(self._notes(reply.ticket_id))

    def test_a_platform_down_for_good_gives_up_after_the_last_attempt(self):
        reply = self._agent_replies(self._ticket(), "司机在三号门等您。")
        self.api.down_for = 100  # HTTP 503
        run_outbox(self.env, "wechat", runs=MAX_ATTEMPTS + 2)
        self.assertEqual(reply.outbox_attempts, MAX_ATTEMPTS)
        self.assertForwardedByEmail(reply, "503")
        self.assertFalse(self.api.delivered)

    def test_an_openid_the_platform_refuses_goes_by_the_next_channel_with_a_note(self):
        reply = self._agent_replies(self._ticket(), "司机在三号门等您。")
        self.api.queued_errors.append((SEND, 40003, "invalid openid"))
        run_outbox(self.env, "wechat")
        self.assertForwardedByEmail(reply, "The customer's OpenID does not belong to this")
        self.assertEqual(reply.outbox_attempts, 1, "a refusal is not tried again")

    def test_a_template_that_cannot_render_fails_the_reply_with_its_reason(self):
        template = self.env["omnichannel.wechat.template"].create(
            {
                "name": "Reply to your request",
                "account_id": self.account.id,
                "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "wechat_template_id": "TPL-SERVICE-REPLY",
                "field_ids": [
                    Command.create({"key": "keyword1", "value": "{{ object.name.upper( }}"})
                ],
            }
        )
        self.account.reply_template_id = template
        ticket = receive(
            self.env,
            "wechat",
            self.openid,
            summary="还在吗？",
            external_ref=f"{APP_ID}:m-late",
            date=fields.Datetime.now() - timedelta(hours=49),
        ).ticket_id
        ticket.partner_id.email = "chen.jing@example.com"
        reply = self._agent_replies(ticket, "司机在三号门等您。")
        with mute_logger(OUTBOX_LOGGER):
            run_outbox(self.env, "wechat")
        self.assertForwardedByEmail(reply, "The message could not be sent")
        self.assertFalse(self.api.delivered)

    def test_a_bad_stored_template_message_falls_back_by_the_scenario(self):
        first = receive(
            self.env,
            "wechat",
            self.openid,
            summary="subscribe",
            kind="event",
            external_ref=f"{APP_ID}:{self.openid}:subscribe",
            open_ticket=False,
        )
        customer = first.partner_id
        customer.email = "chen.jing@example.com"
        template = self.env["omnichannel.wechat.template"].create(
            {
                "name": "Flight delay",
                "account_id": self.account.id,
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "wechat_template_id": "TPL-FLIGHT-DELAY",
            }
        )
        mail_template = self.env["mail.template"].create(
            {
                "name": "Flight delay",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Flight HU7181 delayed",
                "body_html": "<p>18:40</p>",
            }
        )
        scenario = create_scenario(
            self.env,
            "Flight delay",
            [
                {"channel": "wechat", "wechat_template_id": template.id},
                {"channel": "email", "mail_template_id": mail_template.id},
            ],
            urgent=True,
        )
        notification = scenario.notify(customer)
        notification.interaction_id.wechat_payload = "{'template_id': 'TPL-FLIGHT-DELAY'"
        with mute_logger(OUTBOX_LOGGER):
            run_outbox(self.env, "wechat")
        self.assertEqual(notification.interaction_id.state, "failed")
        self.assertIn("could not be sent", notification.interaction_id.failure_reason)
        self.env["omnichannel.notification"]._cron_process()
        self.assertEqual((notification.state, notification.channel), ("fallback", "email"))
        self.assertTrue(self._mails_to(customer))

    def test_a_platform_that_hangs_costs_the_job_one_timeout(self):
        """WeChat accepts the connections and answers nothing: the first message waits for the
        timeout and is tried again later, the next one of the account waits with it, untried,
        and the job ends; once WeChat answers again both go."""
        self.env["ir.config_parameter"].set_param(API_TIMEOUT_PARAM, "1")
        first = self._agent_replies(self._ticket("m1"), "第一条回复")
        second = self._agent_replies(
            self._ticket("m2", openid="oOutboxFollower000000000002"), "第二条回复"
        )
        self.api.hold(SEND)
        self.addCleanup(self.api.release)
        run_outbox(self.env, "wechat")
        self.assertEqual(len(self.api.held), 1, "one call, one timeout")
        self.assertEqual((first.state, first.outbox_attempts), ("queued", 1))
        self.assertIn("unreachable", first.failure_reason)
        self.assertEqual((second.state, second.outbox_attempts), ("queued", 0))
        self.assertEqual(second.outbox_next_try, first.outbox_next_try)
        self.api.release()
        self.api.held.clear()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=10)):
            self.env["omnichannel.interaction"]._cron_send_wechat_outbox()
        self.assertEqual((first.state, second.state), ("sent", "sent"))


@tagged("post_install", "-at_install")
class TestWecomOutbox(OutboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api, cls.account, cls.kf = start_fake_wecom(cls)
        cls.agent = create_staff(cls.env, "wecom_outbox_agent")

    def setUp(self):
        super().setUp()
        self.api.reset()
        self.api.before_reply = None

    def _sync(self):
        self.kf._request_sync()
        self.env["omnichannel.wecom.kf"]._cron_sync()
        self.env["omnichannel.inbound.event"]._process_pending()

    def _ticket(self):
        self.api.customer_writes("msg-1", CUSTOMER, "几点出发？", int(time.time()))
        self._sync()
        ticket = (
            self.env["omnichannel.interaction"]
            .search([("external_ref", "=", f"{CORP_ID}:msg-1")])
            .ticket_id
        )
        ticket.partner_id.email = "chen.jing@example.com"
        return ticket

    def _msgids_sent(self):
        return [call.json["msgid"] for call in self.api.calls(KF_SEND)]

    def test_an_answer_lost_on_the_way_is_sent_again_with_the_same_msgid(self):
        """WeCom takes the message but its answer never arrives (the client times out): the
        message is sent again with its msgid, and the customer receives it once."""
        self.env["ir.config_parameter"].set_param(API_TIMEOUT_PARAM, "1")
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        answer_lost = threading.Event()
        self.addCleanup(answer_lost.set)
        self.api.before_reply = lambda request, status, body: (
            request.path == KF_SEND and answer_lost.wait(30)
        )
        run_outbox(self.env, "wecom")
        self.assertEqual((reply.state, reply.outbox_attempts), ("queued", 1))
        self.assertFalse(self._mails_to(reply.partner_id), "not forwarded meanwhile")
        answer_lost.set()
        self.api.before_reply = None
        run_outbox(self.env, "wecom", runs=2)
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(self._msgids_sent(), [f"odoo-{reply.id}"] * 2)
        self.assertEqual(len(self.api.delivered), 1, "delivered once")
        self.assertEqual(reply.external_ref, f"{CORP_ID}:odoo-{reply.id}")

    def test_a_job_stopped_after_the_call_leaves_a_claim_sent_again_with_the_same_msgid(self):
        """A sending job killed between WeCom's answer and its commit: the message stays
        "Sending" until the claim's lease is over, then goes again with its msgid."""
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        # What the stopped job did: claimed the message, committed, and called WeCom.
        self.assertTrue(reply._outbox_claim())
        self.account._with_token(
            lambda client, token: client.send_text(
                token, OPEN_KFID, CUSTOMER, reply._outbox_key(), "八点在酒店门口出发。"
            )
        )
        run_outbox(self.env, "wecom")
        self.assertEqual(reply.state, "sending", "claimed: another run leaves it alone")
        self.assertEqual(len(self.api.calls(KF_SEND)), 1)
        with freeze_time(fields.Datetime.now() + timedelta(minutes=3)):
            self.env["omnichannel.interaction"]._cron_send_wecom_outbox()
        self.assertEqual((reply.state, reply.outbox_attempts), ("sent", 2))
        self.assertEqual(self._msgids_sent(), [f"odoo-{reply.id}"] * 2)
        self.assertEqual(len(self.api.delivered), 1)

    def test_a_message_interrupted_at_every_attempt_fails_and_goes_by_the_next_channel(self):
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        reply.write(
            {
                "state": "sending",
                "outbox_attempts": MAX_ATTEMPTS,
                "outbox_next_try": fields.Datetime.now() - timedelta(minutes=1),
            }
        )
        run_outbox(self.env, "wecom")
        self.assertForwardedByEmail(reply, f"Sending was interrupted {MAX_ATTEMPTS} times")
        self.assertFalse(self.api.calls(KF_SEND))

    def test_an_account_without_its_secret_fails_the_reply_with_the_reason(self):
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        self.account.write({"secret": False, "access_token": False})
        with mute_logger(OUTBOX_LOGGER):
            run_outbox(self.env, "wecom")
        self.assertForwardedByEmail(reply, "Enter the customer service secret")

    def test_a_busy_platform_is_tried_again_before_any_other_channel(self):
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        self.api.queued_errors += [(KF_SEND, -1, "system busy")] * 2
        run_outbox(self.env, "wecom")
        self.assertEqual((reply.state, reply.outbox_attempts), ("queued", 1))
        self.assertFalse(self._mails_to(reply.partner_id))
        run_outbox(self.env, "wecom", runs=3)
        self.assertEqual(reply.state, "sent", reply.failure_reason)
        self.assertEqual(len(self.api.delivered), 1)
        self.assertFalse(self._mails_to(reply.partner_id))

    def test_a_delivery_failure_reported_later_goes_by_the_next_channel_with_a_note(self):
        reply = self._agent_replies(self._ticket(), "八点在酒店门口出发。")
        run_outbox(self.env, "wecom")
        self.assertEqual(reply.state, "sent")
        fail = {
            "event_type": "msg_send_fail",
            "external_userid": CUSTOMER,
            "fail_msgid": f"odoo-{reply.id}",
            "fail_type": 4,
        }
        self.api.event("ev-fail", fail, int(time.time()))
        self._sync()
        self.assertForwardedByEmail(reply, "failure type 4")
        mail = self._mails_to(reply.partner_id)
        self.assertIn("八点在酒店门口出发", mail.body_html)
        # The platform reports it again (another event): nothing more is sent.
        self.api.event("ev-fail-again", fail, int(time.time()))
        self._sync()
        self.assertEqual(len(self._mails_to(reply.partner_id)), 1)
        self.assertEqual(len(self._notes(reply.ticket_id)), 1)
