# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import OmnichannelUsersMixin, create_staff, create_team

MONDAY_1000 = datetime(2026, 7, 13, 2, 0)  # Monday 10:00 in Shanghai, within the service hours


@tagged("post_install", "-at_install")
class TestSlaReactions(OmnichannelUsersMixin, TransactionCase):
    """The job's automated actions on many tickets at once, and what a changed priority keeps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()
        cls.leader = create_staff(cls.env, "sla_leader", "Team Leader")
        cls.team = create_team(cls.env, "Island care", cls.agent | cls.leader)
        cls.team.user_id = cls.leader
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhou Min", "mobile": "+8613655550001", "email": "zhou.min@example.com"}
        )
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.Ticket = cls.env["helpdesk.ticket"]

    def _tickets(self, count, **values):
        return self.Ticket.create(
            [
                {
                    "name": f"Transfer {index} from Sanya airport",
                    "description": "<p>Where is the driver?</p>",
                    "partner_id": self.customer.id,
                    "team_id": self.team.id,
                    "channel_id": self.phone.id,
                    **values,
                }
                for index in range(count)
            ]
        )

    def _job(self, moment):
        with freeze_time(moment):
            self.Ticket._cron_update_sla_status()

    def _post_count_action(self, automation, batch):
        """An admin's action on the breach: each ticket notes how many tickets the run had."""
        return self.env["ir.actions.server"].create(
            {
                "name": "Note the run's size",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "base_automation_id": automation.id,
                "state": "code",
                "omnichannel_batch": batch,
                "code": "for ticket in records:\n"
                f"    ticket.message_post(body='run {batch}: %s tickets' % len(records))",
            }
        )

    def test_the_default_reactions_run_once_for_all_the_tickets_the_job_moves(self):
        breached = self.env.ref("omnichannel_crm.automation_sla_breached")
        self.assertTrue(breached.action_server_ids.omnichannel_batch)
        self._post_count_action(breached, batch=True)
        self._post_count_action(breached, batch=False)
        with freeze_time(MONDAY_1000):
            tickets = self._tickets(3, user_id=self.agent.id, priority="1")
        self._job(datetime(2026, 7, 13, 2, 4, 30))  # 80 % of the 5 minutes gone
        for ticket in tickets:
            self.assertEqual(ticket.omnichannel_sla_status, "at_risk")
            self.assertEqual(ticket.activity_ids.user_id, self.agent, "one reminder each")
            self.assertEqual(ticket.activity_ids.summary, "SLA at risk: answer the customer")
        self._job(datetime(2026, 7, 13, 2, 7))
        for ticket in tickets:
            self.assertEqual(ticket.omnichannel_sla_status, "breached")
            self.assertEqual(ticket.priority, "2", "raised once")
            bodies = ticket.message_ids.mapped("body")
            breach_notes = ticket.message_ids.filtered(lambda m: "SLA breached" in m.body)
            self.assertEqual(len(breach_notes), 1)
            self.assertIn(self.leader.partner_id, breach_notes.partner_ids)
            self.assertIn("<p>run True: 3 tickets</p>", bodies, "a batched action: one run")
            self.assertIn("<p>run False: 1 tickets</p>", bodies, "else Odoo's, once per ticket")
            self.assertEqual(len(ticket.activity_ids), 1)

    def test_a_raised_priority_matches_again_and_keeps_the_running_deadlines(self):
        night = self.team.copy(
            {
                "name": "Night desk",
                "resource_calendar_id": self.env.ref("omnichannel_crm.resource_calendar_24x7").id,
            }
        )
        self.env["helpdesk.sla"].create(
            {
                "name": "Resolution: 12 hours",
                "omnichannel_target": "resolution",
                "hours": 12,
                "team_ids": [Command.set((self.team | night).ids)],
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
        with freeze_time(MONDAY_1000):
            ticket = self._tickets(1, priority="1")
        resolution = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "resolution"
        )
        promised = datetime(2026, 7, 14, 2, 0)  # 11 hours on Monday until 21:00, 1 on Tuesday
        self.assertEqual(resolution.deadline, promised)
        # The team's hours change afterwards: what the customer was promised stays.
        self.team.resource_calendar_id = night.resource_calendar_id
        with freeze_time(datetime(2026, 7, 13, 2, 30)):
            ticket.priority = "3"
        self.assertEqual(resolution.omnichannel_status, "on_track")
        self.assertEqual(resolution.deadline, promised)
        self.assertEqual(
            ticket.ticket_sla_ids.filtered(
                lambda line: line.omnichannel_target == "next_response"
            ).sla_id,
            self.env.ref("omnichannel_crm.sla_next_response_urgent"),
            "the urgent next response replaces the routine one",
        )
        # Another team brings its own working time: the running targets are planned again in it.
        with freeze_time(datetime(2026, 7, 13, 2, 30)):
            ticket.team_id = night
        self.assertEqual(resolution.deadline, datetime(2026, 7, 13, 14, 0), "around the clock")

    def test_a_holiday_added_moves_the_deadlines_planned_afterwards(self):
        calendar = self.env.ref("omnichannel_crm.resource_calendar_service_hours")
        self.assertEqual(
            calendar._omnichannel_plan_hours_many([2], MONDAY_1000)[2],
            datetime(2026, 7, 13, 4, 0),
            "Monday 12:00 in Shanghai",
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Typhoon day",
                "calendar_id": calendar.id,
                "date_from": datetime(2026, 7, 13, 1, 0),
                "date_to": datetime(2026, 7, 13, 13, 0),
            }
        )
        self.assertEqual(
            calendar._omnichannel_plan_hours_many([2], MONDAY_1000)[2],
            datetime(2026, 7, 14, 3, 0),
            "Monday closed: Tuesday 11:00",
        )
