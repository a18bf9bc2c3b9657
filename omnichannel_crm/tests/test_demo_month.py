# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter
from datetime import datetime, timedelta

from odoo.tests import BaseCase, TransactionCase, tagged

from ..tools.demo_month import CHANNEL_MIX, plan_month, waves


class TestDemoMonthPlan(BaseCase):
    def test_plan_is_deterministic_and_sized(self):
        now = datetime(2026, 10, 20, 15, 0)
        customers, conversations = plan_month(now.date(), now)
        again = plan_month(now.date(), now)
        self.assertEqual((customers, conversations), again)
        self.assertEqual(len(customers), 40)
        self.assertTrue(150 <= len(conversations) <= 250)
        inbound = sum(
            1 for conv in conversations for _m, author, _t in conv.messages if author == "customer"
        )
        self.assertTrue(600 <= inbound <= 1000, inbound)
        self.assertEqual(set(Counter(conv.channel for conv in conversations)), set(CHANNEL_MIX))
        self.assertTrue(all(conv.start < now for conv in conversations))
        # Golden Week is in the window: its days are the busiest.
        busiest = Counter(conv.start.date() for conv in conversations).most_common(3)
        self.assertTrue(all(day.month == 10 and day.day <= 7 for day, _count in busiest))

    def test_a_customers_conversations_on_a_channel_are_played_one_wave_after_the_other(self):
        now = datetime(2026, 12, 3, 9, 0)
        _customers, conversations = plan_month(now.date(), now)
        played = waves(conversations)
        self.assertEqual(sum(len(wave) for wave in played), len(conversations))
        last = {}
        for index, wave in enumerate(played):
            pairs = [(conv.customer.key, conv.channel) for conv in wave]
            self.assertEqual(len(pairs), len(set(pairs)), "once per customer and channel")
            for conv, pair in zip(wave, pairs, strict=True):
                if pair in last:
                    self.assertLess(last[pair][0], index)
                    self.assertLess(last[pair][1], conv.start)
                last[pair] = (index, conv.start)
        closed = [conv for conv in conversations if conv.outcome in ("done", "cancelled")]
        self.assertTrue(all(conv.messages[-1][1] == "agent" for conv in closed))


@tagged("post_install", "-at_install")
class TestDemoMonth(TransactionCase):
    """On the demo database the test run installs: what a newcomer sees."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "omnichannel_crm.demo_ticket_category_refund", raise_if_not_found=False
        ):
            self.skipTest("installed without demo data")
        self.month_start = datetime.now() - timedelta(days=32)

    def test_contacts_per_channel_as_planned(self):
        """Each installed connector played its channels' share of the month."""
        Interaction = self.env["omnichannel.interaction"]
        counts = Counter(
            Interaction.search([("direction", "=", "inbound"), ("date", ">=", self.month_start)])
            .filtered(lambda each: each.partner_id.omnichannel_member_number)
            .mapped("channel")
        )
        installed = {"phone", "email"}
        modules = {
            "omnichannel_wechat": {"wechat", "wecom"},
            "omnichannel_sms": {"sms"},
            "omnichannel_livechat": {"chat"},
        }
        for module, channels in modules.items():
            if self.env["ir.module.module"]._get(module).state == "installed":
                installed |= channels
        for channel in installed:
            self.assertGreater(counts[channel], 10, (channel, counts))
        if installed == set(CHANNEL_MIX):
            self.assertTrue(600 <= sum(counts.values()) <= 1000, counts)

    def test_tickets_in_every_stage_and_targets_in_each_status(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.search([("category_id.name", "!=", False)])
        for xmlid in (
            "helpdesk_mgmt.helpdesk_ticket_stage_new",
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
            "helpdesk_mgmt.helpdesk_ticket_stage_done",
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
        ):
            self.assertIn(self.env.ref(xmlid), tickets.stage_id)
        statuses = set(tickets.ticket_sla_ids.mapped("omnichannel_status"))
        self.assertTrue({"met", "breached", "at_risk", "on_track"} <= statuses, statuses)
        self.assertTrue(150 <= len(tickets) <= 300, len(tickets))

    def test_ratings_nps_tiers_and_segments(self):
        ratings = self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("consumed", "=", True)]
        )
        self.assertGreater(len(ratings), 20)
        self.assertTrue({1, 5} <= set(ratings.mapped(lambda rating: int(rating.rating))))
        # Complaints are the exception, and one customer complained twice: an escalation.
        Ticket = self.env["helpdesk.ticket"]
        month = Ticket.search([("category_id.name", "!=", False)])
        complaints = month.filtered("omnichannel_complaint")
        self.assertTrue(0 < len(complaints) < len(month) / 5, (len(complaints), len(month)))
        escalations = Ticket.search_count([("omnichannel_is_escalation", "=", True)])
        self.assertTrue(1 <= escalations <= 6, escalations)
        survey = self.env.ref("omnichannel_crm.demo_nps_survey")
        answered = survey.response_ids.filtered("answered")
        self.assertTrue(set(answered.mapped("category")) == {"promoter", "passive", "detractor"})
        self.assertTrue(0 < survey.nps < 100, survey.nps)
        members = self.env["res.partner"].search(
            [("omnichannel_member_number", "=like", "IT-DEMO-%")]
        )
        self.assertEqual(len(members), 40)
        self.assertGreaterEqual(len(members.omnichannel_loyalty_tier_id), 3)
        self.assertGreaterEqual(len(set(members.mapped("omnichannel_rfm_segment"))), 4)

    def test_the_month_is_history(self):
        """What the month sent went out then: nothing is left to send to its made-up addresses,
        and no live chat of the month is still open."""
        members = self.env["res.partner"].search(
            [("omnichannel_member_number", "=like", "IT-DEMO-%")]
        )
        tickets = self.env["helpdesk.ticket"].search([("partner_id", "in", members.ids)])
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    ("state", "in", ("outgoing", "exception")),
                ]
            )
        )
        self.assertFalse(
            self.env["omnichannel.interaction"].search(
                [("state", "=", "queued"), ("date", "<", datetime.now() - timedelta(days=1))]
            )
        )
        if "discuss.channel" in self.env and "livechat_active" in self.env["discuss.channel"]:
            sessions = self.env["discuss.channel"].search(
                [("channel_type", "=", "livechat"), ("omnichannel_partner_id", "!=", False)]
            )
            self.assertFalse(sessions.filtered("livechat_active"))

    def test_dashboard_figures(self):
        Report = self.env["omnichannel.kpi.report"]
        totals = Report.read_group(
            [],
            [
                "contacts_in:sum",
                "tickets_solved:sum",
                "first_response_minutes:avg",
                "sla_met_pct:avg",
                "csat:avg",
            ],
            [],
        )[0]
        self.assertGreater(totals["contacts_in"], 100)
        self.assertGreater(totals["tickets_solved"], 10)
        self.assertTrue(totals["first_response_minutes"])
        self.assertTrue(0 < totals["sla_met_pct"] < 100)
        self.assertTrue(3 < totals["csat"] <= 5)
        top = Report.read_group(
            [("category_id", "!=", False)],
            ["tickets_created:sum"],
            ["category_id"],
            orderby="tickets_created desc",
            limit=5,
        )
        ours = (
            self.env["ir.model.data"]
            .search(
                [("module", "=", "omnichannel_crm"), ("model", "=", "helpdesk.ticket.category")]
            )
            .mapped("res_id")
        )
        self.assertTrue(all(row["category_id"][0] in ours for row in top), top)

    def test_story_tickets_are_conversations(self):
        """The story's WeChat tickets, played by the WeChat addon's demo on their channel."""
        if self.env["ir.module.module"]._get("omnichannel_wechat").state != "installed":
            self.assertFalse(
                self.env.ref("omnichannel_crm.demo_ticket_flight_delay", raise_if_not_found=False)
            )
            return
        for xmlid, customer_text, agent_text in (
            ("omnichannel_crm.demo_ticket_flight_delay", "航班延误了", "HU7281 改为 10:40"),
            ("omnichannel_crm.demo_ticket_island_tour", "儿童座椅吗", "已为您预留两个儿童座椅"),
        ):
            ticket = self.env.ref(xmlid)
            thread = ticket.message_ids.filtered(lambda m: m.message_type == "comment").sorted("id")
            bodies = thread.mapped("body")
            first = next(i for i, body in enumerate(bodies) if customer_text in body)
            answer = next(i for i, body in enumerate(bodies) if agent_text in body)
            self.assertLess(first, answer)
            self.assertEqual(thread[first].author_id, ticket.partner_id)
            self.assertTrue(ticket.omnichannel_recent_interaction_ids)

    def test_the_flight_delay_is_a_bulk_send_with_its_log(self):
        if "omnichannel.sms.provider" not in self.env:
            return  # sent by the SMS addon's demo, on its provider
        batches = self.env["omnichannel.notification.batch"].search(
            [("scenario_id", "=", self.env.ref("omnichannel_crm.demo_scenario_flight_delay").id)]
        )
        self.assertEqual(batches.state, "done")
        self.assertGreater(batches.recipient_count, 10)
        self.assertIn("sms", batches.notification_ids.mapped("channel"))
        self.assertTrue(batches.message_ids.filtered(lambda m: "recipients notified" in m.body))
        reminder = self.env["omnichannel.notification.batch"].search(
            [("scenario_id", "=", self.env.ref("omnichannel_crm.demo_scenario_pretrip").id)]
        )
        # The travellers live in three time zones: it is night for some of them, whenever.
        deferred = reminder.notification_ids.filtered(lambda n: n.state == "deferred")
        self.assertTrue(deferred)
        self.assertTrue(all(n.scheduled_date for n in deferred))
