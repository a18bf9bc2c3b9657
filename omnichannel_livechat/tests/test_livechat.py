# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo live chat sessions on the pipeline: the visitor's and the operator's messages on the
customer's timeline, the session's ticket, the operator's view."""

from odoo.tests import tagged

from .common import LivechatCase


@tagged("post_install", "-at_install")
class TestLivechat(LivechatCase):
    def test_an_anonymous_visitor_is_recorded_once_they_prove_their_email(self):
        session, guest = self._session()
        self._visitor_says(session, guest, "你好，想问三亚的亲子酒店")
        self._operator_says(session, "您好！方便留一个邮箱吗？我把酒店清单发给您。")
        self.assertFalse(self._events(session), "an unknown visitor is on nobody's timeline yet")
        self._visitor_says(session, guest, "好的 zhao.lan.family@example.com")
        self.assertFalse(self._events(session), "a typed address is a claim, not proof")
        self.assertEqual(
            session.omnichannel_visitor_status,
            "Claims to be zhao.lan.family@example.com (unverified)",
        )
        session.with_user(self.operator).execute_command_verify()
        self._visitor_says(session, guest, self._code_sent_to("zhao.lan.family@example.com"))
        self.assertEqual(session.omnichannel_verification, "code")
        # The conversation so far (the code included), once, and the verification itself.
        self.assertEqual(len(self._events(session)), 5)
        self.Event._process_pending()
        customer = session.omnichannel_partner_id
        self.assertEqual(customer.email, "zhao.lan.family@example.com")
        identities = self.env["omnichannel.identity"].search([("partner_id", "=", customer.id)])
        self.assertEqual(
            identities.mapped("kind"), ["email"], "nothing but what the visitor proved"
        )
        timeline = self.env["omnichannel.interaction"].search(
            [
                ("partner_id", "=", customer.id),
                ("channel", "=", "chat"),
                ("interaction_type", "=", "message"),
            ],
            order="date, id",
        )
        self.assertEqual(
            timeline.mapped("direction"), ["inbound", "outbound", "inbound", "inbound"]
        )
        ticket = session.omnichannel_ticket_id
        self.assertTrue(ticket)
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(timeline.ticket_id, ticket)
        self.assertEqual(timeline[1].user_id, self.operator)
        # Later messages are recorded as they come, each once.
        self._visitor_says(session, guest, "谢谢")
        self.assertEqual(len(self._events(session)), 6)

    def test_a_logged_in_visitor_is_the_customer_and_the_operators_answer_meets_the_sla(self):
        portal, session = self._portal_visitor(
            "wang.lei", "Wang Lei", "wang.lei.portal@example.com"
        )
        self._visitor_says(session, None, "航班延误了，接机怎么办？", user=portal)
        self.Event._process_pending()
        self.assertEqual(session.omnichannel_partner_id, portal.partner_id)
        ticket = session.omnichannel_ticket_id
        first_response = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "first_response"
        )
        self.assertTrue(first_response, "live chat is answered within the core target")
        self.assertFalse(first_response.omnichannel_met_date)
        self._operator_says(session, "司机会等您，请放心。")
        self.Event._process_pending()
        self.assertTrue(first_response.omnichannel_met_date, "met by the operator's first answer")
        self.assertEqual(first_response.omnichannel_status, "met")

    def test_the_ticket_command_links_the_session_and_tells_the_operator(self):
        session, guest = self._session()
        self._visitor_says(session, guest, "还没想好问什么")
        session.with_user(self.operator).execute_command_ticket()
        self.assertFalse(session.omnichannel_ticket_id, "no ticket for a visitor nobody knows")
        self._visitor_says(session, guest, "我的手机 13655550123")
        session.with_user(self.operator).execute_command_ticket()
        self.assertFalse(session.omnichannel_ticket_id, "nor for one who only claims a number")
        session.with_user(self.operator).action_omnichannel_confirm_identity()
        self.assertEqual(session.omnichannel_verified_by_id, self.operator)
        session.with_user(self.operator).execute_command_ticket()
        ticket = session.omnichannel_ticket_id
        self.assertTrue(ticket)
        phones = self.env["omnichannel.identity"].search(
            [("partner_id", "=", ticket.partner_id.id), ("kind", "=", "phone")]
        )
        self.assertEqual(phones.mapped("identifier"), ["+8613655550123"])
        confirmed = self.env["omnichannel.interaction"].search(
            [("partner_id", "=", ticket.partner_id.id), ("interaction_type", "=", "event")]
        )
        self.assertIn(
            "confirmed by Lin Operator", confirmed.summary, "who confirmed, on the timeline"
        )
        action = session.with_user(self.operator).action_omnichannel_ticket()
        self.assertEqual((action["res_model"], action["res_id"]), ("helpdesk.ticket", ticket.id))

    def test_the_operator_sees_the_customer_and_the_ticket_on_the_session(self):
        portal, session = self._portal_visitor("sun.mei", "Sun Mei", "sun.mei.portal@example.com")
        self._visitor_says(session, None, "酒店可以提前入住吗？", user=portal)
        self.Event._process_pending()
        self.start_tour(
            f"/odoo/action-im_livechat.discuss_channel_action/{session.id}",
            "omnichannel_livechat_session",
            login="admin",
        )
