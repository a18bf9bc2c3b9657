# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import receive

# Wednesday 15 July 2026, 10:00 in Shanghai.
WEDNESDAY_1000 = datetime(2026, 7, 15, 2, 0)


class QualityMixin:
    @classmethod
    def _setup_quality(cls):
        cls.env.company.country_id = cls.env.ref("base.cn")
        agents = [
            new_test_user(
                cls.env,
                login=f"quality_{name}",
                name=name.title(),
                groups="base.group_user,omnichannel_crm.group_omnichannel_user",
            )
            for name in ("anna", "bo", "chen", "manager")
        ]
        cls.anna, cls.bo, cls.chen, cls.account_manager = agents
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Island care",
                "user_ids": [Command.set((cls.anna | cls.bo | cls.chen).ids)],
                "omnichannel_auto_assign": True,
                "omnichannel_reassign_silent": True,
            }
        )
        cls.env.company.omnichannel_default_team_id = cls.team
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "周敏",
                "mobile": "+8613655550001",
                "email": "zhou.min@example.com",
                "omnichannel_account_manager_id": cls.account_manager.id,
            }
        )

    def _ticket(self, partner=None, **values):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Transfer",
                "description": "<p>Where is the driver?</p>",
                "partner_id": (partner or self.customer).id,
                "team_id": self.team.id,
                **values,
            }
        )


@tagged("post_install", "-at_install")
class TestServiceQuality(QualityMixin, TransactionCase):
    """Routing by load and availability, FAQ answers, complaints, ratings and escalations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_quality()
        # Chen works on Mondays only: on a Wednesday he is not available.
        mondays = cls.env["resource.calendar"].create(
            {
                "name": "Mondays",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "name": "Monday",
                            "dayofweek": "0",
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        }
                    ),
                ],
            }
        )
        cls.env["resource.resource"].create(
            {"name": "Chen", "user_id": cls.chen.id, "calendar_id": mondays.id}
        )
        cls.Faq = cls.env["omnichannel.faq"]
        cls.Faq.search([]).action_archive()  # the demo's questions
        cls.luggage = cls.Faq.create(
            {
                "name": "行李可以带多少？",
                "keywords": "行李, 托运, luggage",
                "answer": "经济舱每人可托运20公斤行李。",
                "sms_answer": "托运20公斤。",
                "menu_number": 1,
            }
        )
        cls.delay = cls.Faq.create(
            {"name": "航班延误了怎么办？", "answer": "航班延误时，接送车会等您。", "menu_number": 2}
        )

    # Routing -------------------------------------------------------------------------------------

    def test_least_loaded_available_agent_gets_the_ticket(self):
        with freeze_time(WEDNESDAY_1000):
            # Anna: two medium tickets (load 4); Bo: one very high (load 5); Chen: off today.
            self._ticket(user_id=self.anna.id, priority="1")
            self._ticket(user_id=self.anna.id, priority="1")
            self._ticket(user_id=self.bo.id, priority="3")
            ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.anna)

    def test_vip_tickets_go_to_the_account_manager(self):
        self.customer.omnichannel_service_level_override_id = self.env.ref(
            "omnichannel_crm.service_level_vip"
        )
        with freeze_time(WEDNESDAY_1000):
            ticket = self._ticket()
        self.assertEqual(ticket.user_id, self.account_manager)

    def test_nobody_available_then_the_queue_serves_vip_first(self):
        self.team.user_ids = self.chen
        regular = self.env["res.partner"].create({"name": "Li Lei"})
        with freeze_time(WEDNESDAY_1000):
            first = self._ticket(partner=regular)
            vip_ticket = self._ticket(
                partner=self.env["res.partner"].create(
                    {
                        "name": "Wang Fang",
                        "omnichannel_service_level_override_id": self.env.ref(
                            "omnichannel_crm.service_level_gold"
                        ).id,
                    }
                )
            )
        self.assertFalse(first.user_id | vip_ticket.user_id, "nobody works on Wednesdays")
        # Anna and Bo start work, both free: the gold customer's ticket, though newer, is served
        # first (Anna, the longest-serving), the regular one next (Bo, now the lighter load).
        self.team.user_ids = self.anna | self.bo
        with freeze_time(WEDNESDAY_1000):
            self.env["helpdesk.ticket"]._cron_assign_queue()
        self.assertEqual((vip_ticket.user_id, first.user_id), (self.anna, self.bo))

    def test_silent_assignee_is_replaced_at_risk(self):
        with freeze_time(WEDNESDAY_1000):
            ticket = self._ticket(user_id=self.anna.id)
            sla = self.env["helpdesk.sla"].create(
                {
                    "name": "First answer: 5 minutes",
                    "omnichannel_target": "first_response",
                    "omnichannel_minutes": 5,
                    "team_ids": [Command.set(self.team.ids)],
                }
            )
            line = self.env["helpdesk.ticket.sla"].create(
                {"ticket_id": ticket.id, "sla_id": sla.id}
            )
            line.omnichannel_status = "at_risk"
            ticket._omnichannel_sla_at_risk()
        self.assertEqual(ticket.user_id, self.bo)
        self.assertIn("Reassigned from Anna to Bo", ticket.message_ids[0].body)

    # FAQ -----------------------------------------------------------------------------------------

    def _chat(self, text, ref, number="+8613655550001", **options):
        return receive(
            self.env, "sms", number, summary=text, external_ref=ref, auto_reply=True, **options
        )

    def test_faq_answers_without_a_ticket(self):
        cases = [
            ("请问行李可以托运多少？", "托运20公斤。"),  # keyword, short SMS answer
            ("航班延误了，怎么办", "航班延误时，接送车会等您。"),  # close to the question
            ("菜单", "1. 行李可以带多少？\n2. 航班延误了怎么办？\nReply with a number"),
            ("2", "航班延误时，接送车会等您。"),  # menu choice
        ]
        for index, (text, expected) in enumerate(cases):
            with self.subTest(text):
                message = self._chat(text, f"faq-{index}")
                self.assertTrue(message.reply_id.body, text)
                self.assertIn(expected, str(message.reply_id.body).replace("<br>", "\n"))
                self.assertEqual(message.reply_id.direction, "outbound")
                self.assertFalse(message.ticket_id)
        self.assertEqual((self.luggage.answer_count, self.delay.answer_count), (1, 2))

    def test_unknown_question_and_person_requests_go_to_an_agent(self):
        question = self._chat("我想改签到下周三", "q-1")
        self.assertFalse(question.reply_id)
        self.assertTrue(question.ticket_id)
        person = self._chat("转人工", "q-2")
        self.assertIn("An agent will answer you shortly.", person.reply_id.body)
        self.assertEqual(person.ticket_id, question.ticket_id)

    # Complaints ----------------------------------------------------------------------------------

    def test_chinese_anger_raises_priority(self):
        calm = self._chat("你好，请问接送几点到？", "c-1").ticket_id
        self.assertFalse(calm.omnichannel_complaint)
        self.assertEqual(calm.priority, "1")
        # (an email address: the customer's words on a ticket are emailed to its followers)
        self.env["res.partner"].create(
            {"name": "Angry Traveller", "mobile": "+8613655550009", "email": "angry@example.com"}
        )
        angry = self._chat("你们服务太差了，我要投诉！！！", "c-2", "+8613655550009").ticket_id
        self.assertTrue(angry.omnichannel_complaint)
        self.assertEqual(angry.priority, "2")
        self.assertIn("投诉", angry.omnichannel_complaint_reason)
        self.assertIn("3 exclamation marks", angry.omnichannel_complaint_reason)

    def test_repeated_contacts_read_as_a_complaint(self):
        start = fields.Datetime.now() - timedelta(hours=2)
        for index in range(3):
            ticket = self._chat(
                f"还没有回复吗 {index}", f"r-{index}", date=start + timedelta(minutes=20 * index)
            ).ticket_id
        self.assertTrue(ticket.omnichannel_complaint)
        self.assertIn(
            "3 contacts without an answer within 24 hours", ticket.omnichannel_complaint_reason
        )

    def test_lines_typed_at_once_are_no_complaint(self):
        """Three lines in two minutes: one contact typed in pieces, not an upset customer."""
        start = fields.Datetime.now() - timedelta(hours=1)
        for index in range(3):
            ticket = self._chat(
                f"订单 IT1234{index}", f"b-{index}", date=start + timedelta(minutes=index)
            ).ticket_id
        self.assertEqual(len(ticket.omnichannel_interaction_ids), 3)
        self.assertFalse(ticket.omnichannel_complaint)

    def test_a_conversation_with_an_agent_is_no_complaint(self):
        """Three messages in 24 hours, the agent answering in between: a conversation."""
        start = fields.Datetime.now() - timedelta(hours=3)
        for index in range(3):
            ticket = self._chat(
                f"好的，还有一个问题 {index}",
                f"q-{index}",
                date=start + timedelta(minutes=20 * index),
            ).ticket_id
            if index < 2:
                ticket.with_user(self.anna).message_post(
                    body=f"回复 {index}",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    date=start + timedelta(minutes=20 * index + 10),
                )
        inbound = ticket.omnichannel_interaction_ids.filtered(
            lambda entry: entry.direction == "inbound"
        )
        self.assertEqual(len(inbound), 3)
        self.assertFalse(ticket.omnichannel_complaint)

    # Satisfaction and escalations ----------------------------------------------------------------

    def _solve(self, ticket):
        ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        return self.env["rating.rating"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def test_solved_ticket_asks_for_a_rating(self):
        ticket = self._ticket()
        rating = self._solve(ticket)
        self.assertFalse(rating.consumed)
        notification = self.env["omnichannel.notification"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(notification.scenario_id, self.env.company.omnichannel_csat_scenario_id)
        self.assertIn(notification.state, ("sent", "deferred"))
        self.assertEqual(ticket._omnichannel_rating_url().rsplit("/", 1)[1], rating.access_token)

    def test_digit_reply_is_the_rating(self):
        ticket = self._ticket()
        rating = self._solve(ticket)
        reply = self._chat("4", "d-1")
        self.assertEqual((rating.consumed, rating.rating), (True, 4))
        self.assertIn("4/5", reply.reply_id.body)
        self.assertFalse(reply.ticket_id)

    def test_a_digit_rates_the_senders_own_ticket_not_a_colleagues(self):
        agency = self.env["res.partner"].create({"name": "三亚假日旅行社", "is_company": True})
        self.customer.parent_id = agency
        colleague = self.env["res.partner"].create(
            {"name": "林涛", "mobile": "+8613655550009", "parent_id": agency.id}
        )
        rating = self._solve(self._ticket())
        self._chat("2", "c-1", colleague.mobile)
        self.assertFalse(rating.consumed, "the colleague was not asked")
        self._chat("5", "c-2")
        self.assertEqual((rating.consumed, rating.rating), (True, 5))

    @freeze_time(WEDNESDAY_1000)
    def test_second_low_rating_opens_one_escalation(self):
        first, second, third = self._ticket(), self._ticket(), self._ticket()
        Ticket = self.env["helpdesk.ticket"]
        escalations = [
            ("omnichannel_is_escalation", "=", True),
            ("partner_id", "=", self.customer.id),
        ]
        for ticket in (first, second, third):
            self._solve(ticket)
        first.rating_apply(2, token=first._rating_get_access_token(self.customer))
        self.assertFalse(Ticket.search(escalations))
        second.rating_apply(3, token=second._rating_get_access_token(self.customer))
        escalation = Ticket.search(escalations)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(
            escalation.team_id, self.env.ref("omnichannel_crm.helpdesk_team_escalations")
        )
        self.assertEqual(escalation.omnichannel_escalated_ticket_ids, first | second)
        self.assertEqual(escalation.priority, "3")
        self.assertEqual(escalation.activity_ids.user_id, self.account_manager)
        targets = escalation.ticket_sla_ids.filtered(
            lambda line: line.sla_id.omnichannel_target == "resolution"
        )
        self.assertEqual(
            targets.sla_id,
            self.env.ref("omnichannel_crm.sla_escalation_resolution"),
            "the 48-hour escalation target, not the urgent or routine ones",
        )
        self.assertEqual(targets.deadline, WEDNESDAY_1000 + timedelta(hours=48))
        third.rating_apply(1, token=third._rating_get_access_token(self.customer))
        self.assertEqual(Ticket.search_count(escalations), 1)
        self.assertEqual(escalation.omnichannel_escalated_ticket_ids, first | second | third)

    # NPS -----------------------------------------------------------------------------------------

    def test_nps_survey_answers_and_score(self):
        """Three customers asked; 9 and 10 are promoters, 3 a detractor: NPS = (2 - 1) / 3 = 33.3."""
        others = self.env["res.partner"].create(
            [
                {"name": "Li Lei", "mobile": "+8613655550002", "email": "li.lei@example.com"},
                {"name": "Wang Fang", "mobile": "+8613655550003", "email": "wang@example.com"},
            ]
        )
        customers = self.customer | others
        survey = self.env["omnichannel.nps.survey"].create(
            {
                "name": "Family travellers",
                "scenario_id": self.env.ref("omnichannel_crm.scenario_nps").id,
                "segment_domain": repr([("id", "in", customers.ids)]),
            }
        )
        with freeze_time(WEDNESDAY_1000):
            survey.action_run()
        responses = survey.response_ids
        self.assertEqual(responses.partner_id, customers)
        self.assertEqual(
            len(
                self.env["omnichannel.notification"].search(
                    [("partner_id", "in", customers.ids), ("scenario_id.name", "ilike", "NPS")]
                )
            ),
            3,
        )
        self.assertIn(
            responses.filtered(lambda r: r.partner_id == self.customer).access_token,
            self.customer._omnichannel_nps_url(),
        )
        with freeze_time(WEDNESDAY_1000 + timedelta(days=1)):
            survey.action_run()
            self.assertEqual(len(survey.response_ids), 3, "asked once per interval")
            self.assertIn("10/10", self._chat(" 10 ", "n-1").reply_id.body)
            self._chat("9", "n-2", "+8613655550002")
            self._chat("3", "n-3", "+8613655550003")
        self.assertEqual(
            sorted(responses.mapped(lambda r: (r.score, r.category))),
            [(3, "detractor"), (9, "promoter"), (10, "promoter")],
        )
        self.assertAlmostEqual(survey.nps, 33.333, places=2)

    def test_pending_rating_takes_a_digit_before_the_survey(self):
        ticket = self._ticket()
        rating = self._solve(ticket)
        self.env["omnichannel.nps.response"].create(
            {
                "survey_id": self.env["omnichannel.nps.survey"]
                .create(
                    {"name": "All", "scenario_id": self.env.ref("omnichannel_crm.scenario_nps").id}
                )
                .id,
                "partner_id": self.customer.id,
            }
        )
        self._chat("5", "p-1")
        self.assertEqual((rating.rating, rating.consumed), (5, True))
        self._chat("8", "p-2")
        self.assertEqual(
            self.env["omnichannel.nps.response"]
            .search([("partner_id", "=", self.customer.id)])
            .score,
            8,
        )


@tagged("post_install", "-at_install")
class TestRatingPage(QualityMixin, HttpCase):
    """The short rating page that SMS and WeChat link to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_quality()

    def test_rate_from_the_link(self):
        ticket = self._ticket()
        url = ticket._omnichannel_rating_url().replace(ticket.get_base_url(), "")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(len(re.findall(r'name="score"', page.text)), 5)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(url, data={"csrf_token": csrf, "score": "5", "feedback": "很好"})
        self.assertEqual(answer.status_code, 200)
        rating = self.env["rating.rating"].search(
            [("res_id", "=", ticket.id), ("res_model", "=", "helpdesk.ticket")]
        )
        self.assertEqual((rating.rating, rating.feedback, rating.consumed), (5, "很好", True))
        self.assertEqual(self.url_open(url.replace(url.rsplit("/", 1)[1], "nope")).status_code, 404)

    def test_nps_from_the_link(self):
        survey = self.env["omnichannel.nps.survey"].create(
            {"name": "All", "scenario_id": self.env.ref("omnichannel_crm.scenario_nps").id}
        )
        response = self.env["omnichannel.nps.response"].create(
            {"survey_id": survey.id, "partner_id": self.customer.id}
        )
        url = f"/omnichannel/nps/{response.access_token}"
        page = self.url_open(url)
        self.assertEqual(len(re.findall(r'name="score"', page.text)), 11)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.url_open(url, data={"csrf_token": csrf, "score": "7", "comment": "Good guides"})
        self.assertEqual(
            (response.score, response.category, response.channel, response.comment),
            (7, "passive", "link", "Good guides"),
        )
