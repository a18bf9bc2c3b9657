# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Nobody becomes someone else's customer by typing their address in a chat: a typed identifier
is a claim until a code, the website's signature or an operator proves it."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.visitor_identity import identity_signature
from .common import LivechatCase


@tagged("post_install", "-at_install")
class TestVisitorIdentity(LivechatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.victim = cls.env["res.partner"].create(
            {"name": "Lin Yue", "email": "lin.yue.family@example.com", "mobile": "+8613911112222"}
        )
        cls.Identity = cls.env["omnichannel.identity"]

    def _victims_identities(self):
        return sorted(
            self.Identity.search([("partner_id", "=", self.victim.id)]).mapped("identifier")
        )

    def test_a_typed_email_does_not_make_the_visitor_its_customer(self):
        before = self._victims_identities()
        session, guest = self._session()
        self._visitor_says(session, guest, "我的邮箱是lin.yue.family@example.com，手机 13800991234")
        self.assertEqual(
            session.with_user(self.operator).omnichannel_visitor_status,
            "Claims to be lin.yue.family@example.com (unverified)",
        )
        self._visitor_says(session, guest, "我的手机 13800991234")
        self.assertEqual(
            session.with_user(self.operator).omnichannel_visitor_status,
            "Claims to be +8613800991234 (unverified)",
            "the visitor's latest claim",
        )
        self.assertFalse(self._events(session), "nothing goes on anyone's timeline")
        self.Event._process_pending()
        self.assertFalse(session.omnichannel_partner_id)
        self.assertFalse(session.omnichannel_service_level_id, "no customer context is shown")
        self.assertFalse(session.omnichannel_recent_interaction_ids)
        self.assertEqual(self._victims_identities(), before, "no number is linked to the victim")
        self.assertFalse(
            self.Identity.search([("identifier", "=", "+8613800991234")]),
            "nor to anyone else",
        )
        session.with_user(self.operator).execute_command_ticket()
        self.assertFalse(session.omnichannel_ticket_id, "no ticket of the claimed customer")
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("partner_id", "=", self.victim.id)]),
        )

    def test_a_one_time_code_proves_the_address_and_is_bounded(self):
        session, guest = self._session()
        self._visitor_says(session, guest, "lin.yue.family@example.com")
        session.with_user(self.operator).action_omnichannel_send_code()
        code = self._code_sent_to("lin.yue.family@example.com")
        with self.assertRaisesRegex(UserError, "less than a minute ago"):
            session.with_user(self.operator).action_omnichannel_send_code()
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _attempt in range(4):
            self._visitor_says(session, guest, wrong)
        self.assertFalse(session.omnichannel_partner_id, "a wrong code proves nothing")
        self._visitor_says(session, guest, wrong)
        self._visitor_says(session, guest, code)
        self.assertFalse(session.omnichannel_partner_id, "five wrong codes void the code")
        # A new code, once it expired, proves nothing either.
        session.sudo().omnichannel_code_sent_date = fields.Datetime.now() - timedelta(minutes=2)
        session.with_user(self.operator).action_omnichannel_send_code()
        code = self._code_sent_to("lin.yue.family@example.com")
        session.sudo().omnichannel_code_expiry = fields.Datetime.now() - timedelta(seconds=1)
        self._visitor_says(session, guest, code)
        self.assertFalse(session.omnichannel_partner_id, "an expired code proves nothing")
        session.sudo().omnichannel_code_sent_date = fields.Datetime.now() - timedelta(minutes=2)
        session.with_user(self.operator).action_omnichannel_send_code()
        self._visitor_says(session, guest, f"是 {self._code_sent_to('lin.yue.family@example.com')}")
        self.assertEqual(session.omnichannel_partner_id, self.victim, "the right code, in time")
        self.assertEqual(session.omnichannel_verification, "code")
        session.sudo().omnichannel_code_sent_date = fields.Datetime.now() - timedelta(minutes=2)
        with self.assertRaisesRegex(UserError, "already verified"):
            session.with_user(self.operator).action_omnichannel_send_code()

    def test_codes_per_session_and_per_address_are_limited(self):
        session, guest = self._session()
        self._visitor_says(session, guest, "lin.yue.family@example.com")
        for _code in range(3):
            session.sudo().omnichannel_code_sent_date = fields.Datetime.now() - timedelta(minutes=2)
            session.with_user(self.operator).action_omnichannel_send_code()
        session.sudo().omnichannel_code_sent_date = fields.Datetime.now() - timedelta(minutes=2)
        with self.assertRaisesRegex(UserError, "codes were already sent"):
            session.with_user(self.operator).action_omnichannel_send_code()
        # Many chats claiming one address do not flood its mailbox.
        for _chat in range(4):
            other, other_guest = self._session()
            self._visitor_says(other, other_guest, "lin.yue.family@example.com")
            other.with_user(self.operator).action_omnichannel_send_code()
        other, other_guest = self._session()
        self._visitor_says(other, other_guest, "lin.yue.family@example.com")
        with self.assertRaisesRegex(UserError, "Too many codes"):
            other.with_user(self.operator).action_omnichannel_send_code()

    def test_verifying_merges_the_conversation_onto_the_customer_once(self):
        session, guest = self._session()
        self._visitor_says(session, guest, "行李在机场丢了")
        self._operator_says(session, "请留下您的手机号")
        self._visitor_says(session, guest, "13911112222")
        session.with_user(self.operator).action_omnichannel_confirm_identity()
        session.with_user(self.operator).action_omnichannel_ticket()
        self._visitor_says(session, guest, "谢谢")
        self.Event._process_pending()
        messages = self.env["omnichannel.interaction"].search(
            [("partner_id", "=", self.victim.id), ("interaction_type", "=", "message")]
        )
        self.assertEqual(
            messages.mapped("summary"),
            ["谢谢", "13911112222", "请留下您的手机号", "行李在机场丢了"],
        )
        self.assertEqual(messages.ticket_id, session.omnichannel_ticket_id)

    def test_the_website_signs_its_visitors_identity(self):
        secret = "island-tours-website-secret"
        self.livechat.omnichannel_identity_secret = secret
        session, guest = self._session()
        self.opener.cookies["dgid"] = f"{guest.id}|{guest.sudo().access_token}"

        def identify(**params):
            response = self.url_open(
                "/omnichannel/livechat/identify",
                data=json.dumps({"params": {"channel_id": session.id, **params}}),
                headers={"Content-Type": "application/json"},
            )
            self.assertEqual(response.status_code, 200)
            return response.json()["result"]["verified"]

        email = "lin.yue.family@example.com"
        self.assertFalse(identify(email=email, signature="0" * 64))
        self.assertFalse(identify(email=email, signature="签名" * 32), "non-ASCII: refused")
        self.assertFalse(identify(email=email, signature=identity_signature("other", email)))
        self.assertFalse(session.omnichannel_partner_id)
        # Another guest, not in the session, cannot verify it even with a good signature.
        stranger = self.env["mail.guest"].create({"name": "Stranger"})
        self.opener.cookies["dgid"] = f"{stranger.id}|{stranger.sudo().access_token}"
        self.assertFalse(identify(email=email, signature=identity_signature(secret, email)))
        self.assertFalse(session.omnichannel_partner_id)
        self.opener.cookies["dgid"] = f"{guest.id}|{guest.sudo().access_token}"
        # An oversized request is refused before Odoo reads it.
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/omnichannel/livechat/identify",
                data=json.dumps(
                    {"params": {"channel_id": session.id, "email": email, "pad": "x" * 10000}}
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertFalse(response.ok and response.json().get("result"), "nothing read")
        self.assertFalse(session.omnichannel_partner_id)
        self.assertTrue(identify(email=email, signature=identity_signature(secret, email)))
        session.invalidate_recordset()
        self.assertEqual(session.omnichannel_partner_id, self.victim)
        self.assertEqual(session.omnichannel_verification, "signed")

    def test_a_channel_without_a_secret_accepts_no_signature(self):
        session, _guest = self._session()
        self.assertFalse(
            session._omnichannel_verify_signed(
                email="lin.yue.family@example.com", signature=identity_signature("", "x")
            )
        )
        self.assertFalse(session.omnichannel_partner_id)

    def test_a_logged_in_visitor_is_their_own_partner(self):
        portal, session = self._portal_visitor(
            "lin.yue.twin", "Lin Yue (portal)", "lin.yue.family@example.com"
        )
        portal.partner_id.phone = "not a phone"
        self._visitor_says(session, None, "我的订单呢？", user=portal)
        self.Event._process_pending()
        self.assertEqual(session.omnichannel_partner_id, portal.partner_id)
        self.assertEqual(session.omnichannel_verification, "login")
        interaction = self.env["omnichannel.interaction"].search(
            [("external_ref", "like", "livechat-message:"), ("summary", "=", "我的订单呢？")]
        )
        self.assertEqual(interaction.partner_id, portal.partner_id, "not the other Lin Yue")
        self.assertFalse(self.Event.search([("state", "=", "failed")]), "nothing parked")

    def test_the_scan_reads_only_the_new_message_and_stops_once_known(self):
        session, guest = self._session()
        filler = "行程" * 30000
        self._visitor_says(session, guest, f"{filler} lin.yue.family@example.com")
        self.assertFalse(session.omnichannel_claim, "only the beginning of a message is read")
        self._visitor_says(session, guest, "订单号 2026071200123，出发日期 2026-07-12，航班 HU7281")
        self.assertFalse(session.omnichannel_claim, "order numbers and dates are no phone")
        self._visitor_says(session, guest, "我的手机13655550123")
        self.assertEqual(session.omnichannel_claim, "+8613655550123")
        session.with_user(self.operator).action_omnichannel_confirm_identity()
        customer = session.omnichannel_partner_id
        self._visitor_says(session, guest, "也可以发到 lin.yue.family@example.com")
        self.assertEqual(
            session.omnichannel_partner_id, customer, "a known visitor stays who they are"
        )
        self.assertEqual(session.omnichannel_claim, "+8613655550123")

    def test_the_ticket_and_context_are_for_staff_only(self):
        portal, session = self._portal_visitor(
            "zhou.min", "Zhou Min", "zhou.min.portal@example.com", password="zhou.min.portal.pw"
        )
        self._visitor_says(session, None, "在吗", user=portal)
        with self.assertRaises(AccessError):
            session.with_user(portal).execute_command_ticket()
        self.authenticate("zhou.min", "zhou.min.portal.pw")
        for method in ("execute_command_ticket", "action_omnichannel_confirm_identity"):
            with mute_logger("odoo.http"):
                response = self.url_open(
                    "/web/dataset/call_kw",
                    data=json.dumps(
                        {
                            "params": {
                                "model": "discuss.channel",
                                "method": method,
                                "args": [[session.id]],
                                "kwargs": {},
                            }
                        }
                    ),
                    headers={"Content-Type": "application/json"},
                )
            error = response.json().get("error")
            self.assertTrue(error, f"{method} over RPC is refused to a portal user")
            self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        with self.assertRaises(AccessError):
            session.with_user(portal).read(["omnichannel_partner_id"])
