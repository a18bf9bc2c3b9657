# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import time
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from ..tools import identity as identity_tools
from ..tools.demo_month import plan_month, waves
from ..tools.demo_story import plan_story
from ..tools.inbound import CALL, InboundContact

_logger = logging.getLogger(__name__)

# A late first answer: the first-response target is breached by the SLA job before it comes.
LATE_MINUTES = 60


class OmnichannelDemo(models.AbstractModel):
    """The demo's month at the travel agency, played through the product at install (demo data
    only, called from each addon's demo XML for its own channels): customers' messages and calls
    go through the inbound pipeline, agents answer on the tickets, tickets move through the stages,
    customers rate them through the rating flow, and the SLA, tier, churn and KPI jobs run on the
    result.

    Everything happens "now"; what the screens read as a date is then moved back to the planned
    moment with SQL (`omnichannel.demo._demo_backdate`): helpdesk_ticket.create_date and
    closed_date, the SLA targets' start, deadline, at-risk and met dates, mail_message.date,
    omnichannel_interaction.date, rating_rating.create_date/write_date. The customers' messages
    carry their date through the pipeline (InboundContact.date), the agents' through message_post."""

    _name = "omnichannel.demo"
    _description = "Omnichannel demo data"

    # ----------------------------------------------------------------------------------------------
    # What each channel's contacts look like (connectors extend)
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _demo_source(self, channel):
        """The record ("model,id") the channel's demo contacts arrive through."""
        return f"{self._name},{channel}"

    @api.model
    def _demo_ref(self, conversation, number, channel):
        """The platform's id of a conversation's `number`th customer message."""
        return f"demo-month-{conversation.key}-{number}"

    @api.model
    def _demo_identifiers(self, customer, channel):
        """The sender's identifier as the channel's platform gives it; None when the contact names
        its customer (a visitor the operator verified)."""
        if channel in ("phone", "sms"):
            return [(identity_tools.PHONE, identity_tools.normalize_phone(customer.mobile))]
        if channel == "email":
            return [(identity_tools.EMAIL, customer.email)]
        if channel == "wechat":
            return [(identity_tools.WECHAT_OPENID, f"oDemo{customer.key}TravelAgency0000000")]
        return None

    @api.model
    def _demo_settle(self, since):
        """The month's outgoing messages are history: the demo customers' addresses are made up,
        so what the month queued for them is not sent (`since`: the ids before the month)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_mail SET state = 'cancel' WHERE id > %s AND state IN ('outgoing', 'exception')",
            (since["mail_mail"],),
        )
        # On the timeline, what the agents sent then went out then.
        self.env.cr.execute(
            "UPDATE omnichannel_interaction SET state = 'sent' WHERE id > %s AND state = 'queued'",
            (since["omnichannel_interaction"],),
        )
        self.env["omnichannel.interaction"].invalidate_model(["state"])

    # ----------------------------------------------------------------------------------------------
    # The month
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _demo_clock(self):
        """The company's time zone and local time now: the month is planned in it."""
        company = self.env.ref("base.main_company")
        # The agency works in China: its service team's hours are Beijing time.
        team = self.env.ref("omnichannel_crm.demo_team_travel_care")
        tz = pytz.timezone(team.resource_calendar_id.tz or "Asia/Shanghai")
        return company, tz, datetime.now(pytz.utc).astimezone(tz).replace(tzinfo=None)

    @api.model
    def _generate_month(self, channels):
        """Play the month's conversations on `channels` (the ones the calling addon brings)."""
        started = time.monotonic()
        company, tz, now_local = self._demo_clock()
        customers, conversations = plan_month(now_local.date(), now_local)
        conversations = [conv for conv in conversations if conv.channel in channels]
        if not conversations:
            return
        partners = self._demo_customers(customers, company)
        self._demo_bind(customers, partners, channels)
        tickets = self._demo_run(conversations, partners, company, tz)
        _logger.info(
            "demo month on %s: %s conversations, %s tickets, generated in %.1f s",
            ", ".join(channels),
            len(conversations),
            len(tickets),
            time.monotonic() - started,
        )

    @api.model
    def _tell_story(self):
        """The story's WeChat conversations, through the same paths: each customer's first message
        opens their ticket, which the agent then names and takes (the demo's
        `demo_ticket_island_tour` and `demo_ticket_flight_delay`)."""
        company, tz, now_local = self._demo_clock()
        partners = {
            "zhang": self.env.ref("omnichannel_crm.demo_partner_zhang_family"),
            "chen": self.env.ref("omnichannel_crm.demo_partner_chen_jing"),
        }
        tickets = self._demo_run(plan_story(now_local), partners, company, tz)
        team = self.env.ref("omnichannel_crm.demo_team_travel_care")
        for key, xmlid, name, user, priority in (
            (
                "s01",
                "demo_ticket_island_tour",
                "Summer island family tour: child seats on the airport transfer",
                "base.user_demo",
                "1",
            ),
            (
                "s02",
                "demo_ticket_flight_delay",
                "Flight HU7281 delayed: hotel transfer for the island tour",
                "base.user_admin",
                "2",
            ),
        ):
            ticket = tickets[key]
            # Named and taken before the customers' messages are read: no notice of it now.
            ticket.with_context(tracking_disable=True, mail_auto_subscribe_no_notify=True).write(
                {
                    "name": name,
                    "team_id": team.id,
                    "user_id": self.env.ref(user).id,
                    "priority": priority,
                }
            )
            self.env["ir.model.data"].create(
                {
                    "module": "omnichannel_crm",
                    "name": xmlid,
                    "model": ticket._name,
                    "res_id": ticket.id,
                    "noupdate": True,
                }
            )

    @api.model
    def _demo_run(self, conversations, partners, company, tz):
        """Play `conversations` of `partners` (by customer key); returns their tickets by key."""

        def utc(local):
            return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

        since = self._demo_marks()
        Ticket = self.env["helpdesk.ticket"]
        last_ticket = Ticket.search([], order="id desc", limit=1).id
        tickets = {}
        for wave in waves(conversations):
            # On time first, closed before the SLA job runs; then the late and unanswered ones,
            # whose running targets the job finds past their deadline.
            on_time = [c for c in wave if c.answer_minutes and c.answer_minutes <= LATE_MINUTES]
            late = [c for c in wave if c not in on_time]
            for group in (on_time, late):
                if group:
                    self._demo_play(group, partners, company, utc, tickets)
                    self._demo_close(group, tickets, utc)
                    self.env["helpdesk.ticket"]._cron_update_sla_status()
        self._demo_rate(conversations, tickets, utc)
        # The stage changes' notes and e-mails (OCA's stage templates) are posted with the
        # tracking when the transaction ends: posted now, they are dated and settled too.
        self.env.cr.precommit.run()
        self._demo_backdate(since, tickets, conversations, utc)
        self._demo_settle(since)
        self._demo_jobs()
        # The conversations' tickets and the escalations their ratings and complaints led to.
        self._demo_own(Ticket.search([("id", ">", last_ticket)]))
        return tickets

    @api.model
    def _demo_own(self, records):
        """Demo data of the addon, as its XML demo records are: removed when it is uninstalled
        (the month's tickets and cards hold on to the addon's SLA policies and loyalty program,
        which could not be removed otherwise)."""
        Data = self.env["ir.model.data"]
        names = {f"demo_month_{records._table}_{record.id}": record for record in records}
        owned = set(
            Data.search([("module", "=", "omnichannel_crm"), ("name", "in", list(names))]).mapped(
                "name"
            )
        )
        Data.create(
            [
                {
                    "module": "omnichannel_crm",
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
                for name, record in names.items()
                if name not in owned
            ]
        )

    @api.model
    def _demo_tables(self):
        """The tables the month adds to (connectors add theirs)."""
        return ("mail_mail", "mail_message", "omnichannel_interaction", "rating_rating")

    @api.model
    def _demo_marks(self):
        """The last id of the tables the month adds to: what the month made is above it."""
        self.env.flush_all()
        marks = {}
        for table in self._demo_tables():
            self.env.cr.execute(SQL("SELECT COALESCE(max(id), 0) FROM %s", SQL.identifier(table)))
            marks[table] = self.env.cr.fetchone()[0]
        marks["now"] = fields.Datetime.now()
        return marks

    # ----------------------------------------------------------------------------------------------
    # Conversations
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _demo_turns(self, conversation):
        """The conversation as turns: consecutive messages of the same author."""
        turns = []
        for minutes, author, text in conversation.messages:
            if turns and turns[-1][0] == author:
                turns[-1][1].append((minutes, text))
            else:
                turns.append((author, [(minutes, text)]))
        return turns

    @api.model
    def _demo_play(self, conversations, partners, company, utc, tickets):
        """Turn by turn across the conversations: the customers' turns through the pipeline, in
        one batch each, the agents' on the tickets, so that each thread reads in order."""
        run = {
            "partners": partners,
            "company": company,
            "utc": utc,
            "tickets": tickets,
            "agents": {
                "admin": self.env.ref("base.user_admin"),
                "demo": self.env.ref("base.user_demo"),
            },
        }
        turns = {conv.key: self._demo_turns(conv) for conv in conversations}
        for index in range(max(len(each) for each in turns.values())):
            contacts = []
            for conv in conversations:
                if index >= len(turns[conv.key]):
                    continue
                author, messages = turns[conv.key][index]
                numbered = list(enumerate(messages, start=index * 10))
                if author == "customer":
                    contacts += self._demo_customer_turn(conv, numbered, run)
                else:
                    self._demo_agent_turn(conv, numbered, run)
            self._demo_receive(contacts)
            if index == 0:
                tickets.update(self._demo_tickets(conversations, run))

    @api.model
    def _demo_customer_turn(self, conv, messages, run):
        """The contacts of a customer's turn, for the pipeline (connectors may post them where
        their platform does instead, and return none)."""
        return [
            self._demo_contact(conv, number, minutes, text, run)
            for number, (minutes, text) in messages
        ]

    @api.model
    def _demo_agent_turn(self, conv, messages, run):
        """The agent answers on the ticket: Odoo and the connectors deliver it on its channel."""
        ticket = run["tickets"].get(conv.key)
        for _number, (minutes, text) in messages if ticket else ():
            ticket.with_user(run["agents"][conv.agent]).message_post(
                body=plaintext2html(text),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                date=run["utc"](conv.start + timedelta(minutes=minutes)),
            )

    @api.model
    def _demo_contact(self, conv, number, minutes, text, run):
        identifiers = self._demo_identifiers(conv.customer, conv.channel)
        call = None
        if conv.channel == "phone":
            # Answered when the agent answered in time (the first answer), else a missed call.
            answered = bool(conv.answer_minutes) and conv.answer_minutes <= LATE_MINUTES
            agent = run["agents"][conv.agent]
            call = {
                "outcome": "answered" if answered else "missed",
                "duration_minutes": 4.5 if answered else 0.0,
                "wait_seconds": 25 if answered else None,
                "agent_email": agent.login if answered else None,
            }
        return InboundContact(
            channel=conv.channel,
            source=self._demo_source(conv.channel),
            external_ref=self._demo_ref(conv, number, conv.channel),
            company_id=run["company"].id,
            identifiers=identifiers or [],
            partner_id=None if identifiers else run["partners"][conv.customer.key].id,
            kind=CALL if call else "message",
            date=run["utc"](conv.start + timedelta(minutes=minutes)),
            text=text,
            sender_name=conv.customer.name,
            call=call,
        )

    @api.model
    def _demo_receive(self, contacts):
        """Store the contacts as the webhooks do and process them as the lanes do."""
        if contacts:
            self.env["omnichannel.inbound.event"]._store(contacts)
        self.env["omnichannel.inbound.event"]._process_pending()

    @api.model
    def _demo_opened_tickets(self, conversations, run):
        """The ticket each conversation's first contact opened, by conversation key."""
        refs = {self._demo_ref(conv, 0, conv.channel): conv for conv in conversations}
        interactions = self.env["omnichannel.interaction"].search(
            [("external_ref", "in", list(refs)), ("ticket_id", "!=", False)]
        )
        return {refs[each.external_ref].key: each.ticket_id for each in interactions}

    @api.model
    def _demo_tickets(self, conversations, run):
        """The tickets the conversations' first contacts opened, dated by that contact, with their
        targets started then (their deadlines planned again from there) and their category."""
        utc = run["utc"]
        tickets = self._demo_opened_tickets(conversations, run)
        self.env.flush_all()
        cr = self.env.cr
        for conv_key, ticket in tickets.items():
            conv = next(conv for conv in conversations if conv.key == conv_key)
            category = self.env.ref(f"omnichannel_crm.demo_ticket_category_{conv.category}")
            ticket.with_context(omnichannel_skip_capture=True).write({"category_id": category.id})
            cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                (utc(conv.start), ticket.id),
            )
            cr.execute(
                """
                UPDATE helpdesk_ticket_sla
                   SET omnichannel_start_date = %(start)s, last_state_date = %(start)s
                 WHERE ticket_id = %(ticket)s AND omnichannel_start_date IS NOT NULL
                """,
                {"start": utc(conv.start), "ticket": ticket.id},
            )
        Ticket = self.env["helpdesk.ticket"].browse([t.id for t in tickets.values()])
        Ticket.invalidate_recordset()
        lines = Ticket.ticket_sla_ids
        lines.invalidate_recordset()
        Sla = self.env["helpdesk.ticket.sla"]
        self.env.add_to_compute(Sla._fields["deadline"], lines)
        self.env.add_to_compute(Sla._fields["omnichannel_at_risk_date"], lines)
        self.env.flush_all()
        return tickets
