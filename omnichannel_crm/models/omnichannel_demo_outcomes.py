# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.demo_month import DAYS, plan_nps

# The recommendation survey went out this long before the install.
NPS_ASKED_BEFORE = timedelta(days=12)

# How long after the last message a solved ticket is closed, and its rating given.
CLOSE_AFTER = timedelta(hours=2)
RATED_AFTER = timedelta(hours=5)
STAGES = {
    "new": "helpdesk_mgmt.helpdesk_ticket_stage_new",
    "in_progress": "helpdesk_mgmt.helpdesk_ticket_stage_in_progress",
    "awaiting": "helpdesk_mgmt.helpdesk_ticket_stage_awaiting",
    "done": "helpdesk_mgmt.helpdesk_ticket_stage_done",
    "cancelled": "helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
    "rejected": "helpdesk_mgmt.helpdesk_ticket_stage_rejected",
}


def _last_message(conversation):
    return conversation.start + timedelta(minutes=conversation.messages[-1][0])


class OmnichannelDemo(models.AbstractModel):
    """What became of the month's tickets: their stages, ratings and dates, and the jobs that
    read them."""

    _inherit = "omnichannel.demo"

    @api.model
    def _demo_close(self, conversations, tickets, utc):
        """Each ticket to its planned stage, one write per stage (a solved ticket asks for its
        rating), then its closing dated after its last message."""
        by_stage = defaultdict(list)
        for conv in conversations:
            if conv.key in tickets and conv.outcome != "new":
                by_stage[conv.outcome].append(tickets[conv.key].id)
        for outcome, ids in by_stage.items():
            stage = self.env.ref(STAGES[outcome])
            self.env["helpdesk.ticket"].browse(ids).write({"stage_id": stage.id})
        self.env.flush_all()
        now = fields.Datetime.now()
        for conv in conversations:
            if conv.key in tickets and conv.outcome in ("done", "cancelled", "rejected"):
                self.env.cr.execute(
                    "UPDATE helpdesk_ticket SET closed_date = %s WHERE id = %s",
                    (min(utc(_last_message(conv) + CLOSE_AFTER), now), tickets[conv.key].id),
                )
        self.env["helpdesk.ticket"].invalidate_model(["closed_date"])
        # The call-backs of the closed tickets were made: their to-dos are done.
        closed = [
            tickets[conv.key].id
            for conv in conversations
            if conv.key in tickets and conv.outcome in ("done", "cancelled", "rejected")
        ]
        self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", closed),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
            ]
        ).action_feedback(feedback="Called back.")

    @api.model
    def _demo_rate(self, conversations, tickets, utc):
        """The customers who answered the satisfaction request, through the ticket's rating."""
        rated = []
        now = fields.Datetime.now()
        for conv in conversations:
            ticket = tickets.get(conv.key)
            if not ticket or not conv.rating:
                continue
            token = ticket.sudo()._rating_get_access_token(ticket.partner_id)
            rating = ticket.rating_apply(conv.rating, token=token, feedback=conv.feedback or None)
            rated.append((rating.id, min(utc(_last_message(conv) + RATED_AFTER), now)))
        self.env.flush_all()
        for rating_id, when in rated:
            self.env.cr.execute(
                "UPDATE rating_rating SET create_date = %s, write_date = %s WHERE id = %s",
                (when, when, rating_id),
            )
        self.env["rating.rating"].invalidate_model()

    @api.model
    def _demo_backdate(self, since, tickets, conversations, utc):
        """What the month made "now" goes back to its ticket's moment: the timeline entries and the
        thread's notes and stage changes to the closing (or the last message) of their ticket."""
        cr = self.env.cr
        self.env.flush_all()
        ends = [
            (tickets[conv.key].id, min(utc(_last_message(conv) + CLOSE_AFTER), since["now"]))
            for conv in conversations
            if conv.key in tickets
        ]
        if not ends:
            return
        cr.execute(
            """
            CREATE TEMPORARY TABLE omnichannel_demo_end (ticket_id int, ends timestamp)
            ON COMMIT DROP
            """
        )
        cr.execute(
            "INSERT INTO omnichannel_demo_end SELECT * FROM unnest(%s::int[], %s::timestamp[])",
            ([ticket for ticket, _end in ends], [end for _ticket, end in ends]),
        )
        # The customers' messages on the tickets: at the contact's date.
        cr.execute(
            """
            UPDATE mail_message m SET date = i.date
              FROM omnichannel_interaction i
             WHERE i.ticket_message_id = m.id AND i.id > %s
            """,
            (since["omnichannel_interaction"],),
        )
        for table, column, model_filter in (
            ("mail_message", "res_id", SQL("AND r.model = 'helpdesk.ticket'")),
            ("omnichannel_interaction", "ticket_id", SQL()),
        ):
            cr.execute(
                SQL(
                    """
                    UPDATE %(table)s r SET date = COALESCE(t.closed_date, e.ends)
                      FROM omnichannel_demo_end e
                      JOIN helpdesk_ticket t ON t.id = e.ticket_id
                     WHERE %(column)s = e.ticket_id AND r.id > %(since)s AND r.date >= %(now)s
                           %(model_filter)s
                    """,
                    table=SQL.identifier(table),
                    column=SQL.identifier("r", column),
                    since=since[table],
                    now=since["now"],
                    model_filter=model_filter,
                )
            )
        # Resolution targets met when the ticket was closed.
        cr.execute(
            """
            UPDATE helpdesk_ticket_sla l SET omnichannel_met_date = t.closed_date
              FROM helpdesk_ticket t
             WHERE t.id = l.ticket_id AND l.ticket_id = ANY(%s) AND t.closed_date IS NOT NULL
               AND l.omnichannel_met_date >= %s AND l.omnichannel_target = 'resolution'
            """,
            ([ticket for ticket, _end in ends], since["now"]),
        )
        cr.execute("DROP TABLE omnichannel_demo_end")
        self.env.invalidate_all()

    @api.model
    def _demo_jobs(self):
        """The jobs that read the month: loyalty tiers (the members had theirs before the month),
        churn scores and segments, the KPI rows."""
        since = self._demo_marks()
        self.env["omnichannel.loyalty.tier"]._cron_recompute()
        self._demo_redate(since, since["now"] - timedelta(days=DAYS + 1))
        self.env["omnichannel.churn"]._cron_compute()
        self.env["omnichannel.kpi.report"]._refresh(full=True)

    @api.model
    def _demo_redate(self, since, when):
        """What a step made "now" (`since`: the marks before it) happened at `when`: its timeline
        entries and its messages."""
        self.env.flush_all()
        for table in ("omnichannel_interaction", "mail_message"):
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET date = %s WHERE id > %s AND date >= %s",
                    SQL.identifier(table),
                    when,
                    since[table],
                    since["now"],
                )
            )
        self.env.invalidate_all()

    @api.model
    def _send_flight_delay_alert(self):
        """Flight HU7281 is delayed: the agent sends the urgent alert to everyone on the trip as a
        bulk notification, and the next day's pre-trip reminder too, which waits for the end of
        the night of the travellers in their quiet hours. Their logs are on the bulk sends;
        nothing actually leaves (the addresses are made up)."""
        since = self._demo_marks()
        trip = self.env.ref("omnichannel_crm.demo_category_trip_sanya_july")
        travellers = self.env["res.partner"].search([("category_id", "in", trip.ids)])
        Batch = self.env["omnichannel.notification.batch"]
        _company, tz, now_local = self._demo_clock()
        # Two days ago, as the airline told the agency, 40 minutes before Chen Jing wrote.
        delayed = datetime.combine(now_local.date() - timedelta(days=2), time(8, 40))
        delayed = tz.localize(delayed).astimezone(pytz.utc).replace(tzinfo=None)
        for name, scenario in (
            ("Flight HU7281 delayed: all travellers", "demo_scenario_flight_delay"),
            ("Island tour: one week to go", "demo_scenario_pretrip"),
        ):
            step = self._demo_marks()
            batch = Batch.create(
                {"name": name, "scenario_id": self.env.ref(f"omnichannel_crm.{scenario}").id}
            )
            batch._add_recipients(travellers.ids)
            batch.action_start()
            # What the bulk send job does with each chunk, in the install's transaction.
            batch.notification_ids.with_company(batch.company_id)._dispatch()
            batch._check_done()
            if scenario == "demo_scenario_flight_delay":
                self._demo_redate(step, delayed)
                self.env.cr.execute(
                    """
                    UPDATE omnichannel_notification SET create_date = %(when)s,
                           date_sent = CASE WHEN date_sent IS NULL THEN NULL ELSE %(when)s END
                     WHERE batch_id = %(batch)s;
                    UPDATE omnichannel_notification_batch SET create_date = %(when)s
                     WHERE id = %(batch)s;
                    """,
                    {"when": delayed, "batch": batch.id},
                )
                self.env.invalidate_all()
        self._demo_settle(since)
        self.env["omnichannel.kpi.report"]._refresh(full=True)

    @api.model
    def _demo_nps(self):
        """The recommendation survey, asked of the agency's members before the month's end: most
        answered on the survey page within three days (the link of the e-mail)."""
        since = self._demo_marks()
        survey = self.env.ref("omnichannel_crm.demo_nps_survey")
        survey.action_run()
        responses = survey.response_ids.sorted("id")
        asked = since["now"] - NPS_ASKED_BEFORE
        dates = []
        for response, answer in zip(responses, plan_nps(len(responses)), strict=True):
            if answer:
                score, hours = answer
                response._answer(score, "link")
                dates.append((response.id, asked + timedelta(hours=hours)))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE omnichannel_nps_response SET create_date = %s WHERE id = ANY(%s)",
            (asked, responses.ids),
        )
        for response_id, when in dates:
            self.env.cr.execute(
                "UPDATE omnichannel_nps_response SET answer_date = %s WHERE id = %s",
                (when, response_id),
            )
        self.env["omnichannel.nps.response"].invalidate_model()
        self._demo_redate(since, asked)
        self._demo_settle(since)
        self.env["omnichannel.kpi.report"]._refresh(full=True)
