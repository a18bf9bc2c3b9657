# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import UTC, timedelta, timezone

from odoo.tests import HttpCase, tagged

from .common import create_staff, create_team, post_call


def iso(moment, offset_hours=0):
    """`moment` (naive UTC) as a telephony system writes it, in UTC or at an offset."""
    aware = moment.replace(tzinfo=UTC)
    return aware.astimezone(timezone(timedelta(hours=offset_hours))).isoformat()


@tagged("post_install", "-at_install")
class TestCallAnswers(HttpCase):
    """A call an agent picked up is an answer: reported by the telephony system over its real
    webhook, processed by the inbound pipeline, it meets the ticket's response targets, and the
    KPIs report how long customers' calls rang (the speed of answer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.agent = create_staff(cls.env, "pbx_agent", "Li Na", email="li.na@example.com")
        cls.team = create_team(cls.env, "Phone desk", cls.agent)
        cls.integration = cls.env["omnichannel.phone.integration"].create(
            {"name": "Shanghai PBX", "create_tickets": True}
        )
        cls.Event = cls.env["omnichannel.inbound.event"]

    def _post(self, payload):
        return post_call(self, self.integration, payload)

    def _call(self, call_id, **values):
        """The call as the telephony system reports it, processed by the pipeline: its entry."""
        payload = {
            "call_id": call_id,
            "customer_number": "+86 135 1234 5678",
            "customer_name": "Chen Jing",
            "direction": "inbound",
            "status": "answered",
            "duration_seconds": 240,
            **values,
        }
        response = self._post(payload)
        self.assertEqual(response.status_code, 200, response.text)
        self.Event._process_pending()
        event = self.Event.browse(response.json()["event_id"])
        self.assertEqual(event.state, "done", event.error)
        return event.interaction_id

    def _response_targets(self, ticket):
        return ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target in ("first_response", "next_response")
        )

    def test_an_answered_call_meets_the_first_response_and_shows_its_speed_of_answer(self):
        # Before the transaction that records it began, as a call reported after it ended.
        rang = self.env.cr.now().replace(microsecond=0) - timedelta(seconds=90)
        call = self._call(
            "pbx-answer-1",
            started_at=iso(rang),
            # picked up after 20 seconds, written in Shanghai time
            answered_at=iso(rang + timedelta(seconds=20), offset_hours=8),
            agent_email="li.na@example.com",
        )
        self.assertEqual(call.user_id, self.agent)
        self.assertEqual(call.call_wait_seconds, 20)
        ticket = call.ticket_id
        self.assertTrue(ticket, "the integration opens tickets")
        first = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "first_response"
        )
        self.assertEqual(len(first), 1, "the 5-minute first answer on the phone")
        self.assertEqual(first.omnichannel_status, "met", "the agent spoke to the customer")
        self.assertEqual(first.omnichannel_met_date, rang + timedelta(seconds=20))
        self.assertEqual(ticket.omnichannel_sla_status, "met")

        # The customer calls again and the agent picks up after 40 seconds: the later question
        # is answered at once too.
        again = self._call(
            "pbx-answer-2",
            started_at=iso(rang + timedelta(seconds=60)),
            wait_seconds=40,
            agent_email="li.na@example.com",
        )
        self.assertEqual(again.ticket_id, ticket)
        self.assertTrue(self._response_targets(ticket))
        self.assertEqual(
            set(self._response_targets(ticket).mapped("omnichannel_status")),
            {"met"},
            "the first answer and the later question",
        )

        Report = self.env["omnichannel.kpi.report"]
        Report._refresh()
        today = [("company_id", "=", self.env.company.id), ("partner_id", "=", call.partner_id.id)]
        [(speed, first_response)] = Report._read_group(
            today, [], ["speed_of_answer_seconds:avg", "first_response_minutes:avg"]
        )
        self.assertEqual(speed, 30.0, "20 and 40 seconds of ringing")
        self.assertEqual(first_response, 0.0, "answered before the pipeline opened the ticket")
        # Per channel, from the totals the pivot reads (the phone desk's: the demo has calls too).
        desk = [("company_id", "=", self.env.company.id), ("team_id", "=", self.team.id)]
        by_channel = dict(
            Report._read_group(
                desk,
                ["channel"],
                ["speed_of_answer_seconds:avg"],
            )
        )
        self.assertTrue(
            self.env["omnichannel.kpi.total"]._answers(
                desk,
                ["channel"],
                ["speed_of_answer_seconds:avg"],
                (),
                None,
            )
        )
        self.assertEqual(by_channel["phone"], 30.0)

    def test_an_agent_calling_back_answers_the_open_ticket(self):
        missed = self._call("pbx-missed-1", status="missed")
        ticket = missed.ticket_id
        first = ticket.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "first_response"
        )
        self.assertIn(first.omnichannel_status, ("on_track", "at_risk", "paused"))
        call_back = self._call(
            "pbx-out-1", direction="outbound", wait_seconds=8, agent_email="li.na@example.com"
        )
        self.assertEqual(call_back.ticket_id, ticket, "the call back belongs to the open ticket")
        self.assertEqual(first.omnichannel_status, "met")

    def test_an_agents_call_without_an_open_ticket_is_on_the_timeline_only(self):
        call = self._call(
            "pbx-out-3", direction="outbound", wait_seconds=5, agent_email="li.na@example.com"
        )
        self.assertFalse(call.ticket_id, "an agent's call opens no ticket")
        self.assertEqual(call.call_wait_seconds, 5)

    def test_a_call_nobody_answered_is_no_answer(self):
        self._call("pbx-missed-2", status="missed")
        call_back = self._call(
            "pbx-out-2", direction="outbound", status="busy", agent_email="li.na@example.com"
        )
        first = call_back.partner_id.helpdesk_ticket_ids.ticket_sla_ids.filtered(
            lambda line: line.omnichannel_target == "first_response"
        )
        self.assertNotEqual(first.omnichannel_status, "met")
        self.assertFalse(call_back.call_wait_seconds)

    def test_bad_ring_times_are_refused(self):
        base = {
            "call_id": "pbx-bad",
            "customer_number": "+86 135 1234 5678",
            "direction": "inbound",
            "status": "answered",
            "started_at": "2026-07-12T08:30:00Z",
        }
        for values, message in (
            ({"wait_seconds": "soon"}, "wait_seconds must be a number"),
            ({"wait_seconds": -3}, "wait_seconds must be zero or more"),
            ({"answered_at": "12/07/2026 08:30"}, "answered_at must be an ISO 8601"),
            ({"answered_at": "2026-07-12T08:29:00Z"}, "must not be before started_at"),
            (
                {"answered_at": "2026-07-12T08:30:20Z", "wait_seconds": 20},
                "not both",
            ),
            (
                {"answered_at": "2026-07-12T08:30:20Z", "started_at": None},
                "answered_at needs started_at",
            ),
        ):
            with self.subTest(values=values):
                response = self._post({**base, **values})
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["error"])
        self.assertFalse(self.Event.search([("external_ref", "=", "pbx-bad")]))
