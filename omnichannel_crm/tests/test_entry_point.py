# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import create_staff, receive


@tagged("post_install", "-at_install")
class TestRecordContact(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.Interaction = cls.env["omnichannel.interaction"]
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "Island Care"})
        cls.env.company.write(
            {"omnichannel_default_team_id": cls.team.id, "omnichannel_ticket_window_hours": 72}
        )
        cls.zhang = cls.env["res.partner"].create(
            {"name": "Zhang Wei", "mobile": "13600136000", "email": "zhang.wei@family.example.org"}
        )

    def test_one_customer_one_timeline_whatever_the_channel(self):
        # An agent links the WeChat follower to the customer (Identities tab).
        self.env["omnichannel.identity"].create(
            {
                "kind": "wechat_openid",
                "identifier": "oZhangWeiTestOpenId00000001",
                "partner_id": self.zhang.id,
            }
        )
        partners_before = self.env["res.partner"].search_count([])
        contacts = [
            ("phone", "+86 136 0013 6000", "call-1"),
            ("sms", "136-0013-6000", "sms-1"),
            ("email", '"Zhang Wei" <ZHANG.WEI@family.example.org>', "<mail-1@example.com>"),
            ("wechat", "oZhangWeiTestOpenId00000001", "wx-1"),
        ]
        for channel, identifier, ref in contacts:
            receive(self.env, channel, identifier, summary=f"Hello on {channel}", external_ref=ref)
        timeline = self.Interaction.search(
            [("commercial_partner_id", "=", self.zhang.id), ("interaction_type", "=", "message")]
        )
        self.assertEqual(set(timeline.mapped("channel")), {"phone", "sms", "email", "wechat"})
        self.assertEqual(timeline.partner_id, self.zhang)
        self.assertEqual(
            self.zhang.omnichannel_interaction_count,
            len(self.Interaction.search([("commercial_partner_id", "=", self.zhang.id)])),
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)

    def test_unknown_sender_becomes_a_customer_with_the_identity(self):
        interaction = receive(
            self.env,
            "sms",
            "13512345678",
            summary="Is the island tour still available?",
            external_ref="s-9",
        )
        partner = interaction.partner_id
        self.assertEqual(partner.mobile, "+8613512345678")
        self.assertEqual(
            self.env["omnichannel.identity"].find_partner("phone", "135 1234 5678"), partner
        )
        again = receive(self.env, "sms", "+8613512345678", summary="Hello?")
        self.assertEqual(again.partner_id, partner)

    def test_the_same_contact_delivered_twice_is_stored_once(self):
        first = receive(
            self.env, "wechat", "oNewFollowerOpenId000000001", summary="你好", external_ref="msg-42"
        )
        second = receive(
            self.env, "wechat", "oNewFollowerOpenId000000001", summary="你好", external_ref="msg-42"
        )
        self.assertEqual(first, second)
        self.assertEqual(self.Interaction.search_count([("external_ref", "=", "msg-42")]), 1)
        self.assertEqual(len(first.ticket_id.message_ids.filtered(lambda m: "你好" in m.body)), 1)

    def test_contacts_join_the_active_ticket_on_their_channel(self):
        first = receive(self.env, "sms", "13600136000", summary="Child seats?")
        ticket = first.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel_id.omnichannel_channel, "sms")
        self.assertEqual(ticket.partner_id, self.zhang)
        second = receive(self.env, "sms", "13600136000", summary="Two of them")
        self.assertEqual(second.ticket_id, ticket)
        # Another channel is another conversation.
        wechat_first = receive(
            self.env, "email", "zhang.wei@family.example.org", summary="Invoice please"
        )
        self.assertNotEqual(wechat_first.ticket_id, ticket)

    def test_contacts_after_the_window_or_on_a_closed_ticket_open_a_new_ticket(self):
        old = receive(
            self.env,
            "sms",
            "13600136000",
            summary="Last year's trip",
            date=fields.Datetime.now() - timedelta(hours=100),
        )
        late = receive(self.env, "sms", "13600136000", summary="New trip")
        self.assertNotEqual(late.ticket_id, old.ticket_id)
        closed_stage = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        late.ticket_id.stage_id = closed_stage
        after_close = receive(self.env, "sms", "13600136000", summary="One more")
        self.assertNotEqual(after_close.ticket_id, late.ticket_id)

    def test_a_channel_team_takes_precedence_over_the_default_team(self):
        wechat_team = self.env["helpdesk.ticket.team"].create({"name": "WeChat desk"})
        channel = self.env.ref("omnichannel_crm.helpdesk_ticket_channel_wechat")
        channel.omnichannel_team_id = wechat_team
        interaction = receive(self.env, "wechat", "oAnotherFollower0000000001", summary="在吗")
        self.assertEqual(interaction.ticket_id.team_id, wechat_team)

    def test_contacts_without_ticket_stay_on_the_timeline_only(self):
        interaction = receive(
            self.env,
            "wechat",
            "oSubscriberOpenId0000000001",
            summary="Subscribed",
            open_ticket=False,
            kind="event",
        )
        self.assertFalse(interaction.ticket_id)


@tagged("post_install", "-at_install")
class TestInteractionAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Island Tours Hainan"})
        cls.row_a = receive(
            cls.env,
            "sms",
            "13800000001",
            summary="Shanghai",
            open_ticket=False,
            company=cls.company_a,
        )
        cls.row_b = receive(
            cls.env,
            "sms",
            "13800000002",
            summary="Hainan",
            open_ticket=False,
            company=cls.company_b,
        )
        cls.agent_a = create_staff(
            cls.env,
            "agent_a",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.portal = new_test_user(cls.env, login="portal_zhang", groups="base.group_portal")

    def test_users_see_the_rows_of_their_companies_only(self):
        visible = self.env["omnichannel.interaction"].with_user(self.agent_a).search([])
        self.assertIn(self.row_a, visible)
        self.assertNotIn(self.row_b, visible)

    def test_portal_users_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["omnichannel.interaction"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.env["omnichannel.identity"].with_user(self.portal).search([])
