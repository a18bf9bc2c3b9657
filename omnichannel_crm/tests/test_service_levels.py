# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from .common import OmnichannelUsersMixin, create_staff, receive

# Saturday 11 July 2026, 20:58 in Shanghai (UTC+8): two minutes before the end of the working day of
# the Mon-Sat 9:00-21:00 calendar; Sunday is off.
SATURDAY_EVENING = datetime(2026, 7, 11, 12, 58)
WEDNESDAY_MORNING = datetime(2026, 7, 15, 2, 0)  # 10:00 in Shanghai, outside the quiet hours
MONDAY_0902 = datetime(2026, 7, 13, 1, 2)
MONDAY_0903 = datetime(2026, 7, 13, 1, 3)


@tagged("post_install", "-at_install")
class TestServiceLevels(OmnichannelUsersMixin, TransactionCase):
    """SLA targets per service level and channel, on the default policies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()
        cls.leader = cls.manager
        cls.account_manager = create_staff(cls.env, "sla_am", "Account Manager")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Island care",
                "use_sla": True,
                "user_id": cls.leader.id,
                "user_ids": [Command.set((cls.agent | cls.leader | cls.account_manager).ids)],
                "resource_calendar_id": cls.env.ref(
                    "omnichannel_crm.resource_calendar_service_hours"
                ).id,
            }
        )
        cls.env.company.omnichannel_default_team_id = cls.team
        cls.customer = cls.env["res.partner"].create(
            # (an email address: the customer's words on a ticket are emailed to its followers)
            {"name": "Zhou Min", "mobile": "+8613655550001", "email": "zhou.min@example.com"}
        )
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        cls.Interaction = cls.env["omnichannel.interaction"]
        cls.vip = cls.env.ref("omnichannel_crm.service_level_vip")

    def _ticket(self, channel=None, **values):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Transfer from Sanya airport",
                "description": "<p>Where is the driver?</p>",
                "partner_id": self.customer.id,
                "team_id": self.team.id,
                "channel_id": (channel or self.phone).id,
                **values,
            }
        )

    def _target(self, ticket, kind):
        return ticket.ticket_sla_ids.filtered(lambda line: line.omnichannel_target == kind)

    def _answer(self, ticket, channel, user=None):
        """An agent's answer reaching the customer on `channel` (as the connectors record it)."""
        return self.Interaction.create(
            {
                "partner_id": self.customer.id,
                "ticket_id": ticket.id,
                "channel": channel,
                "direction": "outbound",
                "summary": "The driver waits at gate 3",
                "user_id": (user or self.agent).id,
            }
        )

    @freeze_time(WEDNESDAY_MORNING)
    def test_a_planned_call_is_no_answer_until_the_call_happens(self):
        self.customer.omnichannel_account_manager_id = self.account_manager
        ticket = self._ticket()
        first = self._target(ticket, "first_response")
        self.assertTrue(first)
        scenario = self.env["omnichannel.scenario"].create(
            {
                "name": "Call back about the transfer",
                "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
                "channel_ids": [Command.create({"channel": "phone", "call_note": "Driver waits."})],
            }
        )
        notification = self.env["omnichannel.notification"].notify(
            self.customer, scenario, record=ticket
        )
        self.assertEqual((notification.state, notification.channel), ("sent", "phone"))
        self.assertTrue(ticket.activity_ids, "a call is planned for the account manager")
        self.assertFalse(
            any(first.mapped("omnichannel_met_date")), "planning a call answers nothing"
        )
        self._answer(ticket, "phone", user=self.account_manager)  # the call, logged
        self.assertTrue(all(first.mapped("omnichannel_met_date")))

    def test_a_tickets_targets_are_planned_in_one_walk_as_plan_hours_would(self):
        calendar = self.env.ref("omnichannel_crm.resource_calendar_service_hours")
        amounts = [0, 0.25, 1, 3.9, 4, 11.5, 24, 60]
        for start in (
            datetime(2026, 7, 15, 2, 0),  # Wednesday 10:00 in Shanghai
            datetime(2026, 7, 18, 12, 59),  # Saturday 20:59, a minute before closing
            datetime(2026, 7, 19, 3, 0),  # Sunday: closed
        ):
            planned = calendar._omnichannel_plan_hours_many(amounts, start)
            for hours in amounts:
                expected = calendar.plan_hours(hours, start, compute_leaves=True)
                self.assertLess(abs((planned[hours] - expected).total_seconds()), 1, (start, hours))

    def test_deadlines_are_counted_in_working_hours_across_the_weekend(self):
        with freeze_time(SATURDAY_EVENING):
            ticket = self._ticket()
        first = self._target(ticket, "first_response")
        self.assertEqual(first.sla_id, self.env.ref("omnichannel_crm.sla_first_response_core"))
        # 2 minutes on Saturday, none on Sunday, 3 on Monday from 9:00.
        self.assertEqual(first.deadline, MONDAY_0903)
        self.assertEqual(first.omnichannel_at_risk_date, MONDAY_0902, "80% of 5 minutes")
        self.assertEqual(ticket.omnichannel_sla_status, "on_track")

    def test_first_reply_by_sms_or_wechat_meets_the_first_response(self):
        for channel, ticket_channel in (
            ("sms", "omnichannel_crm.helpdesk_ticket_channel_sms"),
            ("wechat", "omnichannel_crm.helpdesk_ticket_channel_wechat"),
        ):
            with self.subTest(channel=channel):
                ticket = self._ticket(self.env.ref(ticket_channel))
                first = self._target(ticket, "first_response")
                self.assertEqual(first.omnichannel_status, "on_track")
                self._answer(ticket, channel)
                self.assertEqual(first.omnichannel_status, "met")
                self.assertTrue(first.omnichannel_met_date)
                self.assertEqual(
                    ticket.omnichannel_sla_status, "met", "nothing else due before a follow-up"
                )

    def test_automatic_messages_do_not_answer(self):
        ticket = self._ticket()
        self._answer(ticket, "phone", user=self.env.ref("base.user_root"))
        self.assertEqual(self._target(ticket, "first_response").omnichannel_status, "on_track")

    def test_at_risk_then_breach_fire_automated_actions_once_each(self):
        with freeze_time(datetime(2026, 7, 13, 2, 0)):  # Monday 10:00 in Shanghai
            ticket = self._ticket(user_id=self.agent.id, priority="1")
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time(datetime(2026, 7, 13, 2, 3)):  # 3 of 5 minutes: on track
            Ticket._cron_update_sla_status()
        self.assertEqual(ticket.omnichannel_sla_status, "on_track")
        self.assertFalse(ticket.activity_ids)
        for minute in (4, 4):  # 80% of the time gone, the job runs twice
            with freeze_time(datetime(2026, 7, 13, 2, minute, 30)):
                Ticket._cron_update_sla_status()
        self.assertEqual(ticket.omnichannel_sla_status, "at_risk")
        self.assertEqual(len(ticket.activity_ids), 1, "one reminder to the assignee")
        self.assertEqual(ticket.activity_ids.user_id, self.agent)
        notes = ticket.message_ids
        for minute in (6, 7):
            with freeze_time(datetime(2026, 7, 13, 2, minute)):
                Ticket._cron_update_sla_status()
        self.assertEqual(ticket.omnichannel_sla_status, "breached")
        self.assertEqual(ticket.priority, "2", "raised once")
        breach_notes = ticket.message_ids - notes
        self.assertEqual(len(breach_notes.filtered(lambda m: "SLA breached" in m.body)), 1)
        self.assertIn(self.leader.partner_id, breach_notes.partner_ids)
        self.assertEqual(len(ticket.activity_ids), 1)

    def test_the_deadline_shown_is_the_one_of_the_target_that_decides_the_status(self):
        self.env["helpdesk.sla"].create(
            {
                "name": "Resolution: 8 hours",
                "hours": 8,
                "team_ids": [Command.set(self.team.ids)],
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
        with freeze_time(datetime(2026, 7, 13, 2, 0)):  # Monday 10:00 in Shanghai
            ticket = self._ticket()
        first = self._target(ticket, "first_response")
        self.assertEqual(ticket.omnichannel_sla_deciding_id, first, "the next one due")
        with freeze_time(datetime(2026, 7, 13, 2, 7)):
            self.env["helpdesk.ticket"]._cron_update_sla_status()
        self.assertEqual(first.omnichannel_status, "breached")
        self.assertEqual(ticket.omnichannel_sla_status, "breached")
        later = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_status == "on_track" and line.deadline > first.deadline
        )
        self.assertTrue(later, "a later target still runs (OCA's own deadline shows it)")
        self.assertEqual(ticket.sla_deadline, min(later.mapped("deadline")))
        self.assertEqual(ticket.omnichannel_sla_deadline, first.deadline)
        self.assertEqual(ticket.omnichannel_sla_deadline_target, "first_response")
        self._answer(ticket, "phone")  # met late: it decides nothing any more
        self.assertIn(ticket.omnichannel_sla_deciding_id, later)
        self.assertEqual(ticket.omnichannel_sla_deadline, min(later.mapped("deadline")))
        list_view = self.env["helpdesk.ticket"].get_view(view_type="list")["arch"]
        self.assertIn('name="omnichannel_sla_deadline"', list_view)
        self.assertNotIn('name="sla_deadline"', list_view)

    def test_follow_up_opens_a_next_response_target(self):
        contact = receive(
            self.env,
            "phone",
            "+8613655550001",
            summary="Where is the driver?",
            external_ref="call-1",
        )
        ticket = contact.ticket_id
        self.assertTrue(ticket)
        self.assertFalse(
            self._target(ticket, "next_response").filtered(
                lambda line: line.omnichannel_status != "waiting"
            ),
            "nothing to answer again before a first answer",
        )
        self._answer(ticket, "phone")
        follow_up = receive(
            self.env, "phone", "+8613655550001", summary="Still no driver", external_ref="call-2"
        )
        self.assertEqual(follow_up.ticket_id, ticket)
        running = self._target(ticket, "next_response").filtered(
            lambda line: line.omnichannel_status == "on_track"
        )
        self.assertEqual(len(running), 1)
        self.assertEqual(running.omnichannel_start_date, follow_up.date)
        self._answer(ticket, "phone")
        self.assertEqual(running.omnichannel_status, "met")
        # The customer writes again: a new target, the met one stays as it was.
        receive(
            self.env, "phone", "+8613655550001", summary="Thanks, found him", external_ref="call-3"
        )
        lines = self._target(ticket, "next_response")
        self.assertEqual(sorted(lines.mapped("omnichannel_status")), ["met", "on_track"])

    def test_vip_ticket_goes_to_the_account_manager_with_top_priority(self):
        self.customer.write(
            {
                "omnichannel_service_level_override_id": self.vip.id,
                "omnichannel_account_manager_id": self.account_manager.id,
            }
        )
        contact = receive(
            self.env,
            "phone",
            "+8613655550001",
            summary="Our flight is cancelled",
            external_ref="call-vip",
        )
        ticket = contact.ticket_id
        self.assertEqual(ticket.user_id, self.account_manager)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.omnichannel_service_level_id, self.vip)
        vip_response = self._target(ticket, "first_response").filtered(
            lambda line: line.sla_id == self.env.ref("omnichannel_crm.sla_vip_response")
        )
        self.assertTrue(vip_response)

    def test_changing_the_service_level_retargets_open_tickets(self):
        with freeze_time(SATURDAY_EVENING):
            ticket = self._ticket()
            self.assertFalse(ticket.ticket_sla_ids.sla_id.omnichannel_service_level_id)
            self.customer.omnichannel_service_level_override_id = self.vip
        self.assertEqual(ticket.omnichannel_service_level_id, self.vip)
        vip_line = ticket.ticket_sla_ids.filtered(
            lambda line: line.sla_id == self.env.ref("omnichannel_crm.sla_vip_response")
        )
        self.assertTrue(vip_line, "the VIP target is added")
        # VIP time runs around the clock: 24 hours from Saturday 20:58.
        self.assertEqual(vip_line.deadline, datetime(2026, 7, 12, 12, 58))
        self.customer.omnichannel_service_level_override_id = False
        self.assertFalse(
            ticket.ticket_sla_ids.filtered(
                lambda line: line.sla_id == self.env.ref("omnichannel_crm.sla_vip_response")
            )
        )

    def test_a_tier_granting_another_level_retargets_its_members_open_tickets(self):
        program = self.env["loyalty.program"].create({"name": "Club", "program_type": "loyalty"})
        gold = self.env["omnichannel.loyalty.tier"].create(
            {"name": "Gold", "program_id": program.id, "min_points": 100}
        )
        card = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": self.customer.id, "points": 150}
        )
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Sanya trip", "issued": 150}
        )
        self.env["omnichannel.loyalty.tier"]._recompute_program(program)
        self.assertEqual(self.customer.omnichannel_loyalty_tier_id, gold)
        vip_response = self.env.ref("omnichannel_crm.sla_vip_response")
        with freeze_time(SATURDAY_EVENING):
            ticket = self._ticket()
            self.assertNotIn(vip_response, ticket.ticket_sla_ids.sla_id)
            gold.service_level_id = self.vip
        self.assertEqual(self.customer.omnichannel_service_level_id, self.vip)
        self.assertEqual(ticket.omnichannel_service_level_id, self.vip)
        vip_line = ticket.ticket_sla_ids.filtered(lambda line: line.sla_id == vip_response)
        self.assertEqual(
            vip_line.deadline, datetime(2026, 7, 12, 12, 58), "VIP: 24 h round the clock"
        )
        gold.service_level_id = False
        self.assertNotIn(vip_response, ticket.ticket_sla_ids.sla_id)

    def test_children_share_the_company_service_level(self):
        company = self.env["res.partner"].create(
            {
                "name": "Sanya Resorts Ltd",
                "is_company": True,
                "omnichannel_service_level_override_id": self.vip.id,
                "omnichannel_account_manager_id": self.account_manager.id,
            }
        )
        employee = self.env["res.partner"].create({"name": "Guest", "parent_id": company.id})
        self.assertEqual(employee.omnichannel_service_level_id, self.vip)
        self.assertEqual(employee.omnichannel_account_manager_id, self.account_manager)
