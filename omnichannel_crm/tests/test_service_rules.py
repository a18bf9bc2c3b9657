# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import os
import re
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import SQL

from ..tools.inbound import InboundContact
from .common import CHANNEL_IDENTIFIER_KIND, OmnichannelUsersMixin, create_staff

# Wednesday 15 July 2026 in Shanghai (UTC+8), inside the Mon-Sat 9:00-21:00 service hours.
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)
# Sunday 19 July 2026, 3:00 in Shanghai: the service hours are closed until Monday 9:00.
SUNDAY_0300 = datetime(2026, 7, 18, 19, 0)
MONDAY_0905 = datetime(2026, 7, 20, 1, 5)


def minutes(moment, count):
    return moment + timedelta(minutes=count)


@contextmanager
def policy_searches(env):
    """Yields the list, filled as it goes, of the searches for SLA policies run in the block."""
    cr = env.cr
    statements = []
    execute = cr.execute

    def watch(query, params=None, log_exceptions=True):
        statement = query.code if isinstance(query, SQL) else str(query)
        if re.match(r'\s*SELECT "helpdesk_sla"\."id" FROM "helpdesk_sla"', statement):
            statements.append(statement)
        return execute(query, params, log_exceptions)

    cr.execute = watch
    try:
        yield statements
    finally:
        cr.execute = execute


@tagged("post_install", "-at_install")
class TestServiceRules(OmnichannelUsersMixin, TransactionCase):
    """The service rules the customers were promised, on the default service levels, SLA policies
    and automated actions, each as a customer triggers it: a contact stored as a connector's
    webhook stores it, then processed by the inbound pipeline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls._create_omnichannel_users()
        cls.leader = cls.manager
        cls.account_manager = create_staff(cls.env, "rules_am", "Account Manager")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Island care",
                "use_sla": True,
                "user_id": cls.leader.id,
                "user_ids": [Command.set((cls.agent | cls.leader).ids)],
                "resource_calendar_id": cls.env.ref(
                    "omnichannel_crm.resource_calendar_service_hours"
                ).id,
            }
        )
        cls.env.company.omnichannel_default_team_id = cls.team
        cls.Event = cls.env["omnichannel.inbound.event"]
        cls.Ticket = cls.env["helpdesk.ticket"]

    def _customer(self, name, mobile, level=None, **values):
        """A customer (with an email: their words on a ticket are emailed to its followers)."""
        return self.env["res.partner"].create(
            {
                "name": name,
                "mobile": mobile,
                "email": f"{mobile[-4:]}@example.com",
                "tz": "Asia/Shanghai",
                "omnichannel_service_level_override_id": level
                and self.env.ref(f"omnichannel_crm.service_level_{level}").id,
                **values,
            }
        )

    def _contact(self, channel, identifier, text, auto_reply=False):
        """The customer's message, stored as the channel's webhook stores it and processed by the
        pipeline (answered from the FAQ and surveys with `auto_reply`): its timeline entry."""
        ref = uuid.uuid4().hex
        self.Event._store(
            [
                InboundContact(
                    channel=channel,
                    source="test,0",
                    external_ref=ref,
                    company_id=self.env.company.id,
                    identifiers=[(CHANNEL_IDENTIFIER_KIND[channel], identifier)],
                    text=text,
                    auto_reply=auto_reply,
                )
            ]
        )
        self.Event._process_pending()
        return self.env["omnichannel.interaction"].search(
            [("channel", "=", channel), ("external_ref", "=", ref)]
        )

    def _answer(self, ticket, channel, user=None):
        """An agent's answer reaching the customer on `channel`, as the connectors record it."""
        return self.env["omnichannel.interaction"].create(
            {
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "channel": channel,
                "direction": "outbound",
                "summary": "The driver waits at gate 3",
                "user_id": (user or self.agent).id,
            }
        )

    def _targets(self, ticket, xmlid):
        """The ticket's targets of the default policy `xmlid`."""
        policy = self.env.ref(f"omnichannel_crm.{xmlid}")
        return ticket.ticket_sla_ids.filtered(lambda line: line.sla_id == policy)

    def _running(self, ticket, xmlid):
        return self._targets(ticket, xmlid).filtered(
            lambda line: line.omnichannel_status in ("on_track", "at_risk")
        )

    # 1. Complaint lanes ---------------------------------------------------------------------------

    @freeze_time(WEDNESDAY_1000)
    def test_a_gold_members_complaint_gets_the_48_hour_lane(self):
        self._customer("王芳", "+8613655550101", "gold")
        ticket = self._contact(
            "sms", "+8613655550101", "投诉！行程安排太差了，我要退款！！！"
        ).ticket_id
        self.assertTrue(ticket.omnichannel_complaint)
        self.assertEqual(ticket.priority, "3", "Gold's step up, and the complaint's")
        lane = self._targets(ticket, "sla_gold_complaint")
        self.assertEqual(lane.omnichannel_status, "on_track")
        self.assertEqual(lane.deadline, WEDNESDAY_1000 + timedelta(hours=48), "around the clock")
        self.assertEqual(ticket.omnichannel_sla_status, "on_track")

    @freeze_time(WEDNESDAY_1000)
    def test_a_ticket_an_agent_flags_as_a_complaint_gets_its_levels_lane(self):
        self._customer("王芳", "+8613655550101", "gold")
        ticket = self._contact("sms", "+8613655550101", "请问接送几点到？").ticket_id
        self.assertFalse(ticket.omnichannel_complaint)
        self.assertFalse(self._targets(ticket, "sla_gold_complaint"))
        with Form(ticket.with_user(self.agent)) as form:
            form.omnichannel_complaint = True
        self.assertEqual(ticket.omnichannel_complaint_reason, "flagged by Omnichannel Agent")
        lane = self._targets(ticket, "sla_gold_complaint")
        self.assertEqual(lane.deadline, WEDNESDAY_1000 + timedelta(hours=48))
        # A Standard customer's complaint has no lane: Standard promises none.
        self._customer("李雷", "+8613655550102", "standard")
        standard = self._contact("sms", "+8613655550102", "太差了，我要投诉").ticket_id
        self.assertTrue(standard.omnichannel_complaint)
        self.assertFalse(
            standard.ticket_sla_ids.filtered(lambda line: line.omnichannel_target == "resolution")
        )

    # 2. Targets matched again ---------------------------------------------------------------------

    def test_raising_the_priority_brings_the_urgent_answer_target(self):
        self._customer("周敏", "+8613655550103")
        with freeze_time(WEDNESDAY_1000):
            ticket = self._contact("sms", "+8613655550103", "请问接送几点到？").ticket_id
        first = self._targets(ticket, "sla_first_response_auxiliary")
        with freeze_time(minutes(WEDNESDAY_1000, 5)):
            self._answer(ticket, "sms")
        self.assertEqual(first.omnichannel_status, "met")
        with freeze_time(minutes(WEDNESDAY_1000, 10)):
            self._contact("sms", "+8613655550103", "司机在哪里？")
        routine = self._running(ticket, "sla_next_response")
        self.assertEqual(routine.deadline, minutes(WEDNESDAY_1000, 250), "routine: 4 hours")
        with freeze_time(minutes(WEDNESDAY_1000, 20)), Form(ticket.with_user(self.agent)) as form:
            form.priority = "3"
        self.assertEqual(routine.omnichannel_status, "cancelled", "no longer applies, not breached")
        self.assertNotIn(routine, ticket.ticket_sla_ids)
        urgent = self._running(ticket, "sla_next_response_urgent")
        self.assertEqual(urgent.deadline, minutes(WEDNESDAY_1000, 50), "30 minutes from the raise")
        self.assertEqual(first.omnichannel_status, "met", "a target met stays met")
        self.assertEqual(ticket.omnichannel_sla_deadline, urgent.deadline)
        with freeze_time(minutes(WEDNESDAY_1000, 30)):
            ticket.priority = "1"
        self.assertEqual(urgent.omnichannel_status, "cancelled")
        self.assertEqual(
            self._running(ticket, "sla_next_response").deadline, minutes(WEDNESDAY_1000, 270)
        )
        self.assertEqual(
            self.env["helpdesk.sla.report"].search_count([("ticket_id", "=", ticket.id)]),
            len(ticket.ticket_sla_ids),
            "cancelled targets are not in the SLA report",
        )

    @freeze_time(WEDNESDAY_1000)
    def test_a_category_or_team_change_matches_the_targets_again(self):
        visa = self.env["helpdesk.ticket.category"].create({"name": "Visa"})
        visa_resolution = self.env["helpdesk.sla"].create(
            {
                "name": "Visa: 3 days",
                "days": 3,
                "category_ids": [Command.set(visa.ids)],
                "stage_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
            }
        )
        self._customer("周敏", "+8613655550103")
        ticket = self._contact("sms", "+8613655550103", "签证需要多久？").ticket_id
        self.assertNotIn(visa_resolution, ticket.ticket_sla_ids.sla_id)
        ticket.category_id = visa
        self.assertIn(visa_resolution, ticket.ticket_sla_ids.sla_id)
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Visa desk"})
        lines = ticket.ticket_sla_ids
        ticket.team_id = other_team  # a team without SLAs: nothing runs any more
        self.assertEqual(set(lines.mapped("omnichannel_status")), {"cancelled"})
        self.assertFalse(ticket.ticket_sla_ids)
        self.assertFalse(ticket.omnichannel_sla_status)

    @freeze_time(WEDNESDAY_1000)
    def test_targets_of_many_tickets_are_matched_with_one_search_per_kind_of_ticket(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Traveller {index}"} for index in range(30)]
        )
        tickets = self.Ticket.create(
            [
                {
                    "name": "Transfer",
                    "description": "<p>Where is the driver?</p>",
                    "partner_id": customer.id,
                    "team_id": self.team.id,
                }
                for customer in customers
            ]
        )
        with policy_searches(self.env) as searches:
            tickets.priority = "3"
        self.assertEqual(len(searches), 1)
        self.assertEqual(
            len(tickets.ticket_sla_ids.sla_id.filtered(lambda sla: sla.omnichannel_priority)), 1
        )
        self.assertEqual(
            len(tickets.ticket_sla_ids.filtered(lambda line: line.sla_id.omnichannel_priority)),
            30,
        )

    # 4. At-risk warnings --------------------------------------------------------------------------

    def test_an_unassigned_ticket_at_risk_warns_the_team_leader_else_the_members(self):
        self._customer("周敏", "+8613655550103")
        self._customer("李雷", "+8613655550102")
        with freeze_time(WEDNESDAY_1000):
            ticket = self._contact("sms", "+8613655550103", "请问接送几点到？").ticket_id
        self.assertFalse(ticket.user_id)
        with freeze_time(minutes(WEDNESDAY_1000, 13)):  # 80% of the 15 minutes gone
            self.Ticket._cron_update_sla_status()
        self.assertEqual(ticket.omnichannel_sla_status, "at_risk")
        self.assertEqual(ticket.activity_ids.user_id, self.leader)
        self.assertEqual(ticket.activity_ids.summary, "SLA at risk: nobody has this ticket")
        self.team.user_id = False
        with freeze_time(WEDNESDAY_1000):
            other = self._contact("sms", "+8613655550102", "行李可以带多少？").ticket_id
        with freeze_time(minutes(WEDNESDAY_1000, 13)):
            self.Ticket._cron_update_sla_status()
        warning = other.message_ids.filtered(lambda message: "nobody has it" in message.body)
        self.assertEqual(warning.partner_ids, (self.agent | self.leader).partner_id)

    # 5. Answer times by priority ------------------------------------------------------------------

    def test_questions_are_answered_within_30_minutes_when_urgent_and_4_hours_otherwise(self):
        self._customer("周敏", "+8613655550103")
        self._customer("王芳", "+8613655550101", "gold")
        with freeze_time(WEDNESDAY_1000):
            routine = self._contact("sms", "+8613655550103", "请问接送几点到？").ticket_id
            urgent = self._contact("sms", "+8613655550101", "太差了！我要投诉！").ticket_id
        self.assertEqual((routine.priority, urgent.priority), ("1", "3"))
        for ticket in routine | urgent:
            self.assertEqual(
                ticket.ticket_sla_ids.filtered(
                    lambda line: line.omnichannel_target == "first_response"
                ).sla_id,
                self.env.ref("omnichannel_crm.sla_first_response_auxiliary"),
                "the first answer on the channel's target",
            )
        self.assertFalse(
            routine.ticket_sla_ids.filtered(lambda line: line.omnichannel_target == "resolution"),
            "no resolution target was promised",
        )
        with freeze_time(minutes(WEDNESDAY_1000, 5)):
            self._answer(routine, "sms")
            self._answer(urgent, "sms")
        with freeze_time(minutes(WEDNESDAY_1000, 10)):
            self._contact("sms", "+8613655550103", "司机在哪里？")
            self._contact("sms", "+8613655550101", "还是没人来！")
        asked = minutes(WEDNESDAY_1000, 10)
        self.assertEqual(
            self._running(routine, "sla_next_response").deadline, asked + timedelta(hours=4)
        )
        urgent_answer = self._running(urgent, "sla_next_response_urgent")
        self.assertEqual(urgent_answer.deadline, minutes(asked, 30))
        with freeze_time(minutes(WEDNESDAY_1000, 25)):
            self._answer(urgent, "sms")
        self.assertEqual(urgent_answer.omnichannel_status, "met")

    # 6. and 7. VIP ------------------------------------------------------------------------------

    def _vip(self):
        vip = self._customer(
            "陈静",
            "+8613655550104",
            "vip",
            omnichannel_account_manager_id=self.account_manager.id,
        )
        self.env["omnichannel.identity"].create(
            {"kind": "wechat_openid", "identifier": "oChenJingOpenId", "partner_id": vip.id}
        )
        return vip

    def test_vip_tickets_are_held_to_the_vip_answer_time_not_the_urgent_one(self):
        self._vip()
        with freeze_time(WEDNESDAY_1000):
            ticket = self._contact("wechat", "oChenJingOpenId", "航班取消了").ticket_id
        self.assertEqual((ticket.user_id, ticket.priority), (self.account_manager, "3"))
        vip_first = self.env.ref("omnichannel_crm.sla_vip_response")
        vip_next = self.env.ref("omnichannel_crm.sla_vip_next_response")
        self.assertEqual(ticket.ticket_sla_ids.sla_id, vip_first | vip_next)
        with freeze_time(minutes(WEDNESDAY_1000, 60)):
            self._answer(ticket, "wechat", user=self.account_manager)
        with freeze_time(minutes(WEDNESDAY_1000, 70)):
            self._contact("wechat", "oChenJingOpenId", "改签到明天可以吗？")
        self.assertEqual(
            ticket.ticket_sla_ids.filtered(
                lambda line: line.omnichannel_status == "on_track"
            ).mapped(lambda line: (line.sla_id, line.deadline)),
            [(vip_next, minutes(WEDNESDAY_1000, 70) + timedelta(hours=24))],
        )

    def test_a_vip_is_answered_around_the_clock_others_in_service_hours(self):
        self._vip()
        self.env["omnichannel.identity"].create(
            {
                "kind": "wechat_openid",
                "identifier": "oLiLeiOpenId",
                "partner_id": self._customer("李雷", "+8613655550102", "gold").id,
            }
        )
        with freeze_time(SUNDAY_0300):
            vip_ticket = self._contact("wechat", "oChenJingOpenId", "护照丢了").ticket_id
            gold_ticket = self._contact("wechat", "oLiLeiOpenId", "护照丢了").ticket_id
        self.assertEqual(
            set(
                vip_ticket.ticket_sla_ids.filtered(
                    lambda line: line.omnichannel_status == "on_track"
                ).mapped("deadline")
            ),
            {SUNDAY_0300 + timedelta(hours=24)},
            "no VIP target waits for Monday's service hours",
        )
        self.assertEqual(vip_ticket.omnichannel_sla_deadline, SUNDAY_0300 + timedelta(hours=24))
        self.assertEqual(gold_ticket.omnichannel_sla_deadline, MONDAY_0905, "5 minutes from 9:00")

    # 8. Silver --------------------------------------------------------------------------------------

    @freeze_time(WEDNESDAY_1000)
    def test_silver_customers_get_priority_service(self):
        self._customer("李雷", "+8613655550102", "standard")
        self._customer("孙丽", "+8613655550105", "silver")
        standard = self._contact("sms", "+8613655550102", "请问接送几点到？").ticket_id
        silver = self._contact("sms", "+8613655550105", "请问接送几点到？").ticket_id
        self.assertEqual((standard.priority, silver.priority), ("1", "2"))
        self._contact("sms", "+8613655550102", "太差了，我要投诉")
        self._contact("sms", "+8613655550105", "太差了，我要投诉")
        self.assertEqual((standard.priority, silver.priority), ("2", "3"))
        self.assertTrue(self._targets(silver, "sla_next_response_urgent"))
        self.assertFalse(self._targets(standard, "sla_next_response_urgent"))

    # 9. Allowed channels --------------------------------------------------------------------------

    @freeze_time(WEDNESDAY_1000)
    def test_notifications_go_only_on_the_channels_of_the_customers_level(self):
        gold = self.env.ref("omnichannel_crm.service_level_gold")
        gold.allowed_channel_ids = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        survey = self.env.company.omnichannel_csat_scenario_id
        survey.channel_ids = [
            Command.create({"sequence": 1, "channel": "phone", "call_note": "How did we do?"})
        ]
        self._customer(
            "王芳", "+8613655550101", "gold", omnichannel_account_manager_id=self.account_manager.id
        )
        ticket = self._contact("sms", "+8613655550101", "请问接送几点到？").ticket_id
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        notification = self.env["omnichannel.notification"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual((notification.state, notification.channel), ("sent", "email"))
        self.assertIn("Phone: not a channel of their service level", notification.reason)
        self.assertFalse(ticket.activity_ids, "no call planned for the account manager")

    # 10. and 11. Low ratings and repeated complaints ---------------------------------------------

    def _solve_and_rate(self, ticket, number, digit):
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # The customer's reply to the satisfaction survey.
        self._contact("sms", number, digit, auto_reply=True)
        return self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    @freeze_time(WEDNESDAY_1000)
    def test_a_single_low_rating_is_followed_up_within_72_hours(self):
        customer = self._customer(
            "周敏", "+8613655550103", omnichannel_account_manager_id=self.account_manager.id
        )
        ticket = self._contact("sms", "+8613655550103", "请问接送几点到？").ticket_id
        rating = self._solve_and_rate(ticket, "+8613655550103", "2")
        self.assertEqual((rating.rating, rating.consumed), (2, True))
        follow_up = ticket.activity_ids
        self.assertEqual(follow_up.user_id, self.account_manager)
        self.assertEqual(follow_up.summary, "Low rating: call 周敏 back")
        self.assertEqual(follow_up.date_deadline, date(2026, 7, 18), "72 hours")
        self.assertIn(f"{ticket.display_name} was rated 2/5.", follow_up.note)
        self.assertFalse(
            self.Ticket.search(
                [("omnichannel_is_escalation", "=", True), ("partner_id", "=", customer.id)]
            )
        )
        # Without an account manager, the team leader follows it up; a good rating needs none.
        self._customer("李雷", "+8613655550102")
        other = self._contact("sms", "+8613655550102", "行李可以带多少？").ticket_id
        self._solve_and_rate(other, "+8613655550102", "3")
        self.assertEqual(other.activity_ids.user_id, self.leader)
        self._customer("孙丽", "+8613655550105")
        happy = self._contact("sms", "+8613655550105", "行李可以带多少？").ticket_id
        self._solve_and_rate(happy, "+8613655550105", "5")
        self.assertFalse(happy.activity_ids)

    def test_complaints_on_two_tickets_within_30_days_escalate(self):
        customer = self._customer(
            "周敏", "+8613655550103", omnichannel_account_manager_id=self.account_manager.id
        )
        self.env["omnichannel.identity"].create(
            {"kind": "wechat_openid", "identifier": "oZhouMinOpenId", "partner_id": customer.id}
        )
        Escalation = self.Ticket
        escalations = [("omnichannel_is_escalation", "=", True), ("partner_id", "=", customer.id)]
        with freeze_time(WEDNESDAY_1000):
            first = self._contact("sms", "+8613655550103", "导游态度太差了！我要投诉！").ticket_id
        self.assertTrue(first.omnichannel_complaint)
        self.assertFalse(Escalation.search(escalations))
        with freeze_time(WEDNESDAY_1000 + timedelta(days=20)):
            second = self._contact("wechat", "oZhouMinOpenId", "退款还没到账，太差了！").ticket_id
        self.assertNotEqual(second, first)
        self.assertTrue(second.omnichannel_complaint)
        escalation = Escalation.search(escalations)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.name, "Escalation: 周敏 complained twice")
        self.assertEqual(
            escalation.team_id, self.env.ref("omnichannel_crm.helpdesk_team_escalations")
        )
        self.assertEqual(escalation.omnichannel_escalated_ticket_ids, first | second)
        self.assertEqual(escalation.activity_ids.user_id, self.account_manager)
        self.assertIn("投诉", escalation.description)

    def test_complaints_further_apart_than_the_window_do_not_escalate(self):
        customer = self._customer("周敏", "+8613655550103")
        with freeze_time(WEDNESDAY_1000):
            first = self._contact("sms", "+8613655550103", "导游态度太差了！我要投诉！").ticket_id
        first.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        with freeze_time(WEDNESDAY_1000 + timedelta(days=31)):
            second = self._contact("sms", "+8613655550103", "退款还没到账，太差了！").ticket_id
        self.assertTrue(second.omnichannel_complaint)
        self.assertFalse(
            self.Ticket.search(
                [("omnichannel_is_escalation", "=", True), ("partner_id", "=", customer.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestServiceRulesUpgrade(TransactionCase):
    """A database of the previous version gets the new default rules on the records still as they
    were shipped, and keeps what an admin changed."""

    def _post_migrate(self):
        path = os.path.join(
            get_module_path("omnichannel_crm"), "migrations", "18.0.1.4.0", "post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("omnichannel_crm_post_migrate", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_the_defaults_still_as_shipped_follow_the_rules_an_admins_changes_stay(self):
        env = self.env
        migration = self._post_migrate()
        # The previous version's defaults, as a database has them before the update.
        next_response = env.ref("omnichannel_crm.sla_next_response")
        next_response.write(
            {
                "name": "Next response: 15 minutes",
                "hours": 0,
                "omnichannel_minutes": 15,
                "domain": "[]",
            }
        )
        Sla = env["helpdesk.sla"]
        urgent = Sla.create(
            {
                "name": "Urgent resolution: 30 minutes",
                "omnichannel_priority": "3",
                "omnichannel_minutes": 30,
            }
        )
        routine = Sla.create({"name": "Routine resolution: 4 hours", "hours": 6})  # an admin's
        tag = env["helpdesk.ticket.tag"].create({"name": "Complaint"})
        env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"omnichannel_crm.{name}", "record": record, "noupdate": True}
                for name, record in (
                    ("sla_resolution_urgent", urgent),
                    ("sla_resolution_routine", routine),
                    ("helpdesk_ticket_tag_complaint", tag),
                )
            ]
        )
        lane = env.ref("omnichannel_crm.sla_gold_complaint")
        lane.write({"omnichannel_complaint": False, "tag_ids": [Command.set(tag.ids)]})
        silver = env.ref("omnichannel_crm.service_level_silver")
        silver.priority_boost = 0
        at_risk = env.ref("omnichannel_crm.automation_sla_at_risk")
        at_risk.write(
            {
                "name": "SLA at risk: remind the assignee",
                "filter_domain": migration.AT_RISK_FILTER_BEFORE,
            }
        )
        action = env.ref("omnichannel_crm.action_sla_at_risk_activity")
        action.name = "Remind the assignee"
        env.flush_all()
        migration.migrate(env.cr, "18.0.1.3.0")
        env.invalidate_all()
        self.assertEqual(
            (next_response.name, next_response.hours, next_response.omnichannel_minutes),
            ("Routine questions answered: 4 hours", 4, 0),
        )
        self.assertEqual(next_response.domain, '[("priority", "!=", "3")]')
        self.assertEqual((urgent.active, routine.active), (False, True))
        self.assertTrue(lane.omnichannel_complaint)
        self.assertFalse(lane.tag_ids)
        self.assertEqual(silver.priority_boost, 1)
        self.assertEqual(at_risk.filter_domain, '[("omnichannel_sla_status", "=", "at_risk")]')
        self.assertEqual(
            (at_risk.name, action.name),
            (
                "SLA at risk: remind the assignee, else the team leader",
                "Remind the assignee, else the team leader",
            ),
        )
