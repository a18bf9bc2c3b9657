# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import OmnichannelUsersMixin, create_staff, sms_through_the_pipeline

MOBILE = "+8613655550188"


@tagged("post_install", "-at_install")
class TestCompensation(OmnichannelUsersMixin, TransactionCase):
    """An agent compensates a customer from the ticket their SMS opened: loyalty points or a
    coupon, within the limit of the agent's role, on the customer's card, the ticket, the
    timeline and the KPIs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Island care", "user_ids": [Command.set((cls.agent | cls.manager).ids)]}
        )
        cls.env.company.write(
            {
                "omnichannel_default_team_id": cls.team.id,
                "omnichannel_compensation_user_limit": 100.0,
                "omnichannel_compensation_manager_limit": 500.0,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "王芳", "mobile": MOBILE, "email": "wang.fang@example.com"}
        )
        # A mile is worth 0.5 (200 miles: 100); a coupon point 50.
        cls.club = cls.env["loyalty.program"].create(
            {
                "name": "Island Club",
                "program_type": "loyalty",
                "portal_point_name": "Miles",
                "omnichannel_point_value": 0.5,
            }
        )
        cls.vouchers = cls.env["loyalty.program"].create(
            {"name": "Apology vouchers", "program_type": "coupons", "omnichannel_point_value": 50}
        )
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.club.id, "partner_id": cls.customer.id, "points": 300}
        )
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.Report = cls.env["omnichannel.kpi.report"]

    def _ticket_from_sms(self, text):
        """The ticket the customer's SMS opens, stored as the SMS webhook stores it and processed
        by the inbound pipeline."""
        ticket = sms_through_the_pipeline(self.env, MOBILE, text).ticket_id
        self.assertTrue(ticket, "the SMS opened a ticket")
        return ticket

    def _grant(self, user, ticket, program, points, reason):
        """What `user` does: Grant a compensation on the ticket, fill in the wizard, Grant."""
        wizard_form = Form(
            self.env["omnichannel.compensation.wizard"]
            .with_user(user)
            .with_context(active_model="helpdesk.ticket", active_id=ticket.id)
        )
        wizard_form.program_id = program
        wizard_form.points = points
        wizard_form.reason = reason
        wizard = wizard_form.save()
        wizard.action_grant()
        return wizard

    def _kpis_per_channel(self):
        self.Report._refresh()
        return {
            group["channel"]: (group["compensations"], group["compensation_value"])
            for group in self.Report.with_user(self.manager).read_group(
                [("kind", "=", "compensation")],
                ["compensations:sum", "compensation_value:sum"],
                ["channel"],
            )
        }

    def test_an_agent_grants_points_within_their_limit(self):
        ticket = self._ticket_from_sms("接送司机没来，我们在机场等了两个小时！")
        self.assertEqual(ticket._omnichannel_channel(), "sms")
        self.assertEqual(ticket.partner_id, self.customer)
        self.Report._refresh(full=True)

        wizard = self._grant(self.agent, ticket, self.club, 200, "Driver missed the pick-up")

        self.assertEqual(wizard.value, 100.0)
        self.assertEqual(wizard.limit, 100.0)
        self.assertEqual(self.card.points, 500, "300 miles, and the 200 granted")
        line = self.card.history_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.issued, 200)
        self.assertEqual(line.description, "Driver missed the pick-up")
        grant = self.env["omnichannel.compensation"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual((line.order_model, line.order_id), ("omnichannel.compensation", grant.id))
        self.assertRecordValues(
            grant,
            [
                {
                    "user_id": self.agent.id,
                    "partner_id": self.customer.id,
                    "program_id": self.club.id,
                    "points": 200,
                    "value": 100.0,
                    "reason": "Driver missed the pick-up",
                    "coupon_code": False,
                }
            ],
        )
        self.assertEqual(ticket.with_user(self.agent).omnichannel_compensation_count, 1)
        # On the customer's timeline, as an event of the ticket's channel.
        event = self.env["omnichannel.interaction"].search(
            [("source_ref", "=", f"omnichannel.compensation,{grant.id}")]
        )
        self.assertRecordValues(
            event,
            [
                {
                    "interaction_type": "event",
                    "channel": "sms",
                    "ticket_id": ticket.id,
                    "commercial_partner_id": self.customer.id,
                    "user_id": self.agent.id,
                }
            ],
        )
        self.assertIn("Compensation granted: 200 Miles from Island Club", event.summary)
        # On the ticket, a note by the agent.
        note = ticket.message_ids.filtered(lambda message: "Compensation granted" in message.body)
        self.assertEqual(note.author_id, self.agent.partner_id)
        self.assertIn("Driver missed the pick-up", note.body)
        # In the KPIs: one compensation worth 100 on the SMS channel.
        self.assertEqual(self._kpis_per_channel(), {"sms": (1, 100.0)})

    def test_above_the_limit_an_agent_is_refused_and_a_manager_grants_it(self):
        ticket = self._ticket_from_sms("投诉！酒店房间和预订的不一样，我要退款！！！")
        with self.assertRaisesRegex(UserError, "more than the .* you may grant at once"):
            self._grant(self.agent, ticket, self.club, 300, "Wrong hotel room")
        # The model refuses it too, whatever the client.
        with self.assertRaisesRegex(UserError, "more than the"):
            self.env["omnichannel.compensation"].with_user(self.agent).create(
                {
                    "ticket_id": ticket.id,
                    "program_id": self.club.id,
                    "points": 300,
                    "reason": "Wrong hotel room",
                }
            )
        self.assertEqual(self.card.points, 300)
        self.assertFalse(
            self.env["omnichannel.compensation"].search([("ticket_id", "=", ticket.id)])
        )

        self._grant(self.manager, ticket, self.club, 300, "Wrong hotel room")
        self.assertEqual(self.card.points, 600)
        with self.assertRaisesRegex(UserError, "more than the"):
            self._grant(self.manager, ticket, self.club, 1200, "Wrong hotel room, again")
        self.env.company.omnichannel_compensation_manager_limit = 0
        self._grant(self.manager, ticket, self.club, 1200, "Wrong hotel room, again")
        self.assertEqual(self.card.points, 1800, "no limit for managers")
        self.assertEqual(self._kpis_per_channel(), {"sms": (2, 750.0)})

    def test_an_agent_grants_a_coupon(self):
        ticket = self._ticket_from_sms("导游迟到了一个小时")
        self._grant(self.agent, ticket, self.vouchers, 1, "Guide an hour late")
        coupon = self.env["loyalty.card"].search(
            [("program_id", "=", self.vouchers.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(coupon.points, 1)
        grant = ticket.with_user(self.agent).omnichannel_compensation_ids
        self.assertEqual(grant.coupon_code, coupon.code)
        self.assertEqual(grant.value, 50.0)
        self.assertTrue(
            ticket.message_ids.filtered(lambda message: coupon.code in message.body),
            "the agent finds the code on the ticket to give the customer",
        )

    def test_only_omnichannel_users_grant(self):
        ticket = self._ticket_from_sms("行李丢了")
        helpdesk_only = create_staff(
            self.env, "helpdesk_only", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        with self.assertRaises(AccessError):
            self.env["omnichannel.compensation"].with_user(helpdesk_only).create(
                {"ticket_id": ticket.id, "program_id": self.club.id, "points": 10, "reason": "x"}
            )
        # A program without a value of a point is not one to grant from.
        self.club.omnichannel_point_value = 0
        with self.assertRaisesRegex(UserError, "has no value of a point"):
            self._grant(self.agent, ticket, self.club, 10, "Lost luggage")

    def test_another_companys_agents_do_not_see_the_grants(self):
        ticket = self._ticket_from_sms("航班取消了")
        self._grant(self.agent, ticket, self.club, 20, "Flight cancelled")
        other = self.env["res.company"].create({"name": "Island Tours Hainan"})
        hainan_agent = create_staff(
            self.env, "hainan_agent", company_id=other.id, company_ids=[Command.set(other.ids)]
        )
        Compensation = self.env["omnichannel.compensation"]
        self.assertEqual(len(Compensation.with_user(self.agent).search([])), 1)
        self.assertFalse(Compensation.with_user(hainan_agent).search([]))

    def test_compensation_points_buy_no_tier(self):
        """Points given are no points earned: they count towards no tier (nor the RFM score)."""
        self.env["omnichannel.loyalty.tier"].create(
            {"name": "Silver", "program_id": self.club.id, "min_points": 150}
        )
        ticket = self._ticket_from_sms("接送车没来")
        self._grant(self.agent, ticket, self.club, 200, "Missed transfer")
        self.env["omnichannel.loyalty.tier"]._recompute_program(self.club)
        self.assertEqual(self.card.points, 500)
        self.assertFalse(self.card.omnichannel_tier_id)
        self.assertEqual(self.card.omnichannel_tier_gap, 150)

    def test_the_ticket_offers_the_grant_to_omnichannel_users_only(self):
        def form_arch(user):
            views = self.env["helpdesk.ticket"].with_user(user).get_views([(False, "form")])
            return views["views"]["form"]["arch"]

        self.assertIn('string="Grant a compensation"', form_arch(self.agent))
        self.assertIn("omnichannel_compensation_count", form_arch(self.agent))
        helpdesk_only = create_staff(
            self.env, "helpdesk_only", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        self.assertNotIn("Grant a compensation", form_arch(helpdesk_only))
        self.assertNotIn("omnichannel_compensation_count", form_arch(helpdesk_only))
