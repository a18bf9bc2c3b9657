# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import create_staff, receive

# Wednesday 15 July 2026, 10:00 in Shanghai: within every contact window.
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)


@tagged("post_install", "-at_install")
class TestInteractionAccess(TransactionCase):
    """What a helpdesk user may not open on a ticket, they may not read on the timeline either;
    an entry without a ticket is as visible as its contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        Team = cls.env["helpdesk.ticket.team"]
        cls.island_team, cls.visa_team = Team.create([{"name": "Island care"}, {"name": "Visas"}])
        cls.personal = create_staff(
            cls.env, "acl_personal", groups="helpdesk_mgmt.group_helpdesk_user_own"
        )
        cls.teammate = create_staff(
            cls.env, "acl_teammate", groups="helpdesk_mgmt.group_helpdesk_user_team"
        )
        cls.visa_agent = create_staff(cls.env, "acl_visa_agent")
        cls.island_team.user_ids = [Command.set((cls.personal | cls.teammate).ids)]
        cls.visa_team.user_ids = [Command.set(cls.visa_agent.ids)]
        cls.mine_customer, cls.visa_customer = cls.env["res.partner"].create(
            [
                {"name": "周敏", "mobile": "+8613655550101"},
                {"name": "Li Lei", "mobile": "+8613655550102"},
            ]
        )
        cls.mine = cls._contact("+8613655550101", "Where is my driver?", cls.island_team)
        cls.mine.ticket_id.user_id = cls.personal
        cls.visa = cls._contact("+8613655550102", "My passport number is E12345678", cls.visa_team)
        cls.visa.ticket_id.user_id = cls.visa_agent
        # Assigned to someone else on the personal user's own team: theirs to see as a team member.
        cls.island_other = cls._contact("+8613655550101", "And the hotel?", cls.island_team)
        cls.island_other.ticket_id.user_id = cls.visa_agent
        cls.Interaction = cls.env["omnichannel.interaction"]

    @classmethod
    def _contact(cls, number, text, team):
        """An SMS from the customer, routed to a new ticket of `team`."""
        cls.env.company.omnichannel_ticket_window_hours = 0  # each message its own ticket
        return receive(cls.env, "sms", number, summary=text, team=team)

    def test_personal_user_reads_their_tickets_timeline_only(self):
        self.assertEqual(
            self.env["helpdesk.ticket"].with_user(self.personal).search([]),
            self.mine.ticket_id,
            "the helpdesk's own rules: their ticket only",
        )
        Interaction = self.Interaction.with_user(self.personal)
        customers = (self.mine_customer | self.visa_customer).ids
        self.assertEqual(
            Interaction.search([("commercial_partner_id", "in", customers)]), self.mine
        )
        self.assertFalse(Interaction.search([("ticket_id", "=", self.visa.ticket_id.id)]))
        self.assertFalse(Interaction.search([("summary", "ilike", "passport")]))
        with self.assertRaises(AccessError):
            self.visa.with_user(self.personal).read(["body"])
        with self.assertRaises(AccessError):
            self.island_other.with_user(self.personal).read(["summary"])
        self.assertIn("driver", self.mine.with_user(self.personal).summary)

    def test_team_user_reads_the_teams_tickets_timeline(self):
        Interaction = self.Interaction.with_user(self.teammate)
        customers = (self.mine_customer | self.visa_customer).ids
        self.assertEqual(
            Interaction.search([("commercial_partner_id", "in", customers)]),
            self.mine | self.island_other,
        )
        with self.assertRaises(AccessError):
            self.visa.with_user(self.teammate).read(["body"])

    def test_following_a_ticket_opens_its_timeline(self):
        self.visa.ticket_id.message_subscribe(partner_ids=self.personal.partner_id.ids)
        self.assertEqual(
            self.Interaction.with_user(self.personal).search(
                [("ticket_id", "=", self.visa.ticket_id.id)]
            ),
            self.visa,
        )

    @freeze_time(WEDNESDAY_1000)
    def test_rating_link_of_another_teams_ticket_is_hidden(self):
        ticket = self.visa.ticket_id
        ticket.partner_id.email = "li.lei@example.com"
        self.env["omnichannel.service.quality"]._request_ratings(ticket)
        request = self.env["omnichannel.notification"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(request.interaction_id.ticket_id, ticket, request.reason)
        self.assertIn("/omnichannel/rate/", request.interaction_id.body or "")
        self.assertFalse(
            self.Interaction.with_user(self.personal).search(
                [("id", "=", request.interaction_id.id)]
            )
        )
        with self.assertRaises(AccessError):
            request.interaction_id.with_user(self.personal).read(["summary"])

    def test_customer_counts_and_timeline_button_show_the_visible_entries_only(self):
        # A contact without a ticket (an automated answer, an event) follows its customer.
        note = self.Interaction.create(
            {
                "partner_id": self.visa_customer.id,
                "channel": "sms",
                "direction": "outbound",
                "summary": "Your visa appointment is on Monday",
            }
        )
        customer = self.visa_customer.with_user(self.personal)
        self.assertEqual(customer.omnichannel_interaction_count, 1)
        action = customer.action_view_omnichannel_interactions()
        self.assertEqual(self.Interaction.with_user(self.personal).search(action["domain"]), note)
        self.env.invalidate_all()  # the count as another user sees it
        self.assertEqual(
            self.visa_customer.with_user(self.visa_agent).omnichannel_interaction_count, 2
        )

    def test_contact_of_another_company_stays_hidden_without_a_ticket(self):
        other_company = self.env["res.company"].create({"name": "Hainan Tours"})
        stranger = self.env["res.partner"].create(
            {"name": "Wang Fang", "company_id": other_company.id}
        )
        entry = self.Interaction.create(
            {"partner_id": stranger.id, "channel": "sms", "summary": "Hello"}
        )
        for user in (self.personal, self.visa_agent):
            with self.subTest(user=user.login):
                self.assertFalse(self.Interaction.with_user(user).search([("id", "=", entry.id)]))

    def test_kpi_report_is_for_managers(self):
        for model in ("omnichannel.kpi.report", "omnichannel.kpi.total"):
            for user in (self.personal, self.visa_agent):
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([], limit=1)
