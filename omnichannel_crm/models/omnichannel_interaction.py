# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext, mute_logger, plaintext2html

from .omnichannel_data import CHANNELS

_logger = logging.getLogger(__name__)


SUMMARY_LENGTH = 120


class OmnichannelInteraction(models.Model):
    """One contact with a customer, on any channel: the rows of the customer's timeline."""

    _name = "omnichannel.interaction"
    _description = "Customer Interaction"
    _order = "date desc, id desc"
    _rec_name = "summary"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        # In the row's INSERT, not an UPDATE after it.
        precompute=True,
        index=True,
    )
    channel = fields.Selection(CHANNELS, required=True, index=True)
    direction = fields.Selection(
        [("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="inbound"
    )
    interaction_type = fields.Selection(
        [("message", "Message"), ("call", "Call"), ("event", "Event")],
        string="Type",
        required=True,
        default="message",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    summary = fields.Char(required=True)
    body = fields.Html(sanitize=True)
    # Joined, not a sub-select over every ticket: the record rules read the ticket's assignee,
    # team and followers for each timeline row (see security/omnichannel_security.xml).
    ticket_id = fields.Many2one(
        "helpdesk.ticket", index="btree_not_null", ondelete="set null", auto_join=True
    )
    user_id = fields.Many2one("res.users", string="Agent", index="btree_not_null")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    external_ref = fields.Char(
        string="External reference",
        help="The channel's own id of this contact (message id, call id): a contact delivered twice is "
        "stored once.",
    )
    source_ref = fields.Reference(
        selection="_selection_source_models",
        string="Source",
        index="btree_not_null",
        help="The Odoo record this contact comes from (email, SMS, ...).",
    )
    identity_id = fields.Many2one("omnichannel.identity", ondelete="set null")
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("failed", "Failed"),
            ("read", "Read"),
        ],
        help="Delivery state of outbound contacts.",
    )
    failure_reason = fields.Char()
    reply_id = fields.Many2one(
        "omnichannel.interaction",
        string="Automatic answer",
        ondelete="set null",
        readonly=True,
        help="The answer the FAQ gave this message at once.",
    )
    faq_id = fields.Many2one(
        "omnichannel.faq",
        string="FAQ answered",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="On an automatic answer: the FAQ entry it came from.",
    )
    call_duration = fields.Float(string="Duration (minutes)")
    call_outcome = fields.Selection(
        [
            ("answered", "Answered"),
            ("missed", "Missed"),
            ("voicemail", "Voicemail"),
            ("busy", "Busy / no answer"),
        ],
        string="Call outcome",
    )
    call_wait_seconds = fields.Float(
        string="Speed of answer (s)",
        help="How long the customer heard an answered call ring, as the telephony system reported it.",
    )

    _sql_constraints = [
        (
            "external_ref_unique",
            "unique(company_id, channel, external_ref)",
            "This contact was already recorded.",
        ),
    ]

    def init(self):
        # The timeline of one customer, newest first.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS omnichannel_interaction_timeline_idx
                ON omnichannel_interaction (commercial_partner_id, date DESC, id DESC)
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        for interaction in interactions.filtered("ticket_id"):
            interaction._omnichannel_update_ticket_sla()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "failed":
            # An undelivered notification goes on to its next channel.
            self.env["omnichannel.notification"].sudo().search(
                [("interaction_id", "in", self.ids)]
            )._fall_back()
        return result

    def _omnichannel_update_ticket_sla(self):
        """Messages and calls, not events, move the ticket's response targets."""
        if self.interaction_type != "event":
            self.ticket_id.sudo()._omnichannel_on_contact(self)

    def _omnichannel_answer_date(self):
        """When an agent answered the customer with this contact, or None: an agent's message
        out, or an answered call with an agent (the customer's or the agent's, once it stopped
        ringing). Automatic messages and calls nobody picked up are no answers. The KPI report's
        first answers (`_insert_ticket_rows`) follow the same rule."""
        self.ensure_one()
        author = self.user_id
        if self.interaction_type == "event" or not author or author.share or author._is_superuser():
            return None
        if self.interaction_type == "call":
            if self.call_outcome != "answered":
                return None
            return self.date + timedelta(seconds=self.call_wait_seconds or 0.0)
        return self.date if self.direction == "outbound" else None

    @api.model
    def _selection_source_models(self):
        models_ = [
            "mail.message",
            "helpdesk.ticket",
            "mail.activity",
            "loyalty.card",
            "omnichannel.compensation",
        ]
        return [(model, self.env[model]._description) for model in models_ if model in self.env]

    # ----------------------------------------------------------------------------------------------
    # Recording
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _summary_from(self, summary, body):
        text = summary or html2plaintext(body or "")
        text = " ".join(text.split())
        return text[:SUMMARY_LENGTH] or self.env._("(no content)")

    @api.model
    def _create_deduplicated(self, vals):
        """Create the interaction unless its external reference was already recorded, in which case
        the existing row is returned (empty when a concurrent transaction holds it, not yet visible).
        Returns (interaction, created)."""
        vals = dict(vals, summary=self._summary_from(vals.get("summary"), vals.get("body")))
        vals.setdefault("company_id", self.env.company.id)
        ref = vals.get("external_ref")
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return self.sudo().create(vals), True
        except UniqueViolation:
            _logger.info("duplicate %s contact %s ignored", vals["channel"], ref)
            return self._find_by_external_ref(vals["company_id"], vals["channel"], ref), False

    @api.model
    def _of_messages(self, messages, domain=()):
        """The timeline entries recorded from these chatter messages."""
        messages = messages._omnichannel_captured()
        if not messages:
            return self.browse()
        refs = [f"mail.message,{message_id}" for message_id in messages.ids]
        return self.sudo().search([("source_ref", "in", refs), *domain])

    @api.model
    def _find_by_external_ref(self, company_id, channel, ref):
        return self.sudo().search(
            [
                ("company_id", "=", company_id),
                ("channel", "=", channel),
                ("external_ref", "=", ref),
            ],
            limit=1,
        )

    @api.model
    def _receive(self, contact):
        """The inbound pipeline: what one contact from a customer means, whatever its channel.

        Resolves the customer from every identifier the contact carries (a customer is created, with
        the identities, when nobody is known by any of them), records the consent signal it carries,
        stores the contact once per external reference, answers it from the FAQ (or records the
        answer the connector already gave) and routes it to a ticket: the customer's open ticket
        with a contact on this channel within the company's window, else a new one. A missed call
        becomes a call-back activity. Returns the timeline entry."""
        company = self.env["res.company"].browse(contact.company_id)
        self = self.sudo().with_company(company)  # noqa: PLW0642 -- everything below is for this company
        if contact.partner_id:
            identity = self.env["omnichannel.identity"]
            partner = self.env["res.partner"].browse(contact.partner_id).exists()
            if not partner:
                raise ValidationError(self.env._("The customer of this contact no longer exists."))
        else:
            identity = self.env["omnichannel.identity"]._resolve_all(
                contact.identifiers,
                company,
                namespace=contact.namespace or contact.channel,
                partner_name=contact.sender_name,
            )
            partner = identity.partner_id
        # One contact of a customer at a time, whatever channel and sender it came from.
        self.env["omnichannel.customer.turn"]._take(partner)
        call = contact.call or {}
        inbound = contact.direction == "inbound"
        vals = {
            "partner_id": partner.id,
            "channel": contact.channel,
            "direction": contact.direction,
            "interaction_type": contact.kind,
            "date": contact.date or fields.Datetime.now(),
            "summary": contact.text,
            "body": contact.body,
            "external_ref": contact.external_ref,
            "identity_id": identity.id,
            "company_id": company.id,
            "state": False if inbound else "sent",
        }
        if call:
            vals.update(self._call_values(call))
        interaction, created = self._create_deduplicated(vals)
        if not created:
            return interaction
        # Once per contact: a redelivered STOP does not log the opt-out again.
        if contact.consent:
            self.env["omnichannel.consent"]._record_signal(contact, partner, identity)
        answer = None
        if contact.answered:
            answer = self.env["omnichannel.faq"]._answer_given(contact.answered)
        elif contact.auto_reply and inbound:
            answer = self.env["omnichannel.faq"]._prepare_answer(
                contact.channel, partner, contact.text, company
            )
        if contact.open_ticket:
            interaction._join_ticket(contact, answer)
        interaction._schedule_callbacks(
            fallback_user=self.env["res.users"].browse(call.get("fallback_user_id"))
        )
        if answer:
            reply = self.env["omnichannel.faq"]._apply_answer(interaction, answer)
            if contact.answered:
                reply.state = "sent"  # delivered by the connector within the platform's request
            interaction.reply_id = reply
        return interaction

    # ----------------------------------------------------------------------------------------------
    # Ticket routing
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _call_values(self, call):
        """A reported call's fields: its agent found by the e-mail the telephony system gave."""
        agent = self.env["res.users"]
        if call.get("agent_email"):
            agent = agent.search(
                ["|", ("login", "=", call["agent_email"]), ("email", "=", call["agent_email"])],
                limit=1,
            )
        values = {
            "call_duration": call.get("duration_minutes") or 0.0,
            "call_outcome": call.get("outcome"),
            "user_id": agent.id,
        }
        if call.get("wait_seconds") is not None:
            # Left empty, not 0, when unknown: the speed of answer averages known waits.
            values["call_wait_seconds"] = call["wait_seconds"]
        return values

    def _join_ticket(self, contact, answer):
        """Messages and calls go to an agent, unless answered (the customer asking for one is
        not); an agent's answered call to the customer answers their open ticket on the channel."""
        self.ensure_one()
        if self.direction == "inbound" and contact.kind in ("message", "call"):
            if not answer or answer.kind == "human":
                self._route_to_ticket(team=self.env["helpdesk.ticket.team"].browse(contact.team_id))
        elif contact.kind == "call" and self._omnichannel_answer_date():
            ticket = self._find_active_ticket()
            if ticket:
                self.ticket_id = ticket
                self._omnichannel_update_ticket_sla()

    def _route_to_ticket(self, team=None):
        """Attach this inbound contact to the customer's active ticket on its channel, or open one in
        `team`, else the channel's team, else the company's default team."""
        self.ensure_one()
        ticket = self._find_active_ticket()
        if not ticket:
            ticket_channel = (
                self.env["helpdesk.ticket.channel"]
                .sudo()
                ._for_omnichannel(self.channel, self.company_id)
            )
            team = (
                team
                or ticket_channel.omnichannel_team_id
                or self.company_id.omnichannel_default_team_id
            )
            ticket = (
                self.env["helpdesk.ticket"]
                .sudo()
                .with_company(self.company_id)
                .with_context(omnichannel_skip_capture=True, mail_create_nolog=True)
                .create(
                    {
                        "name": self.summary,
                        "description": self.body or plaintext2html(self.summary),
                        "partner_id": self.partner_id.id,
                        # Assignment is routing's job, not whoever delivered the contact.
                        "user_id": False,
                        "team_id": team.id,
                        "channel_id": ticket_channel.id,
                        "company_id": self.company_id.id,
                    }
                )
            )
        self.ticket_id = ticket
        self._omnichannel_update_ticket_sla()
        self.env["omnichannel.service.quality"]._check_complaint(ticket, self)
        # The customer's words on the ticket, where agents read and answer them.
        ticket.with_context(omnichannel_skip_capture=True).message_post(
            body=self.body or plaintext2html(self.summary),
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return ticket

    def _find_active_ticket(self):
        """The customer's open ticket with a contact on this channel within the company's window."""
        window = self.company_id.omnichannel_ticket_window_hours
        if not window:
            return self.env["helpdesk.ticket"]
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT interaction.ticket_id
              FROM omnichannel_interaction interaction
              JOIN helpdesk_ticket ticket ON ticket.id = interaction.ticket_id
              LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             WHERE interaction.commercial_partner_id = %s
               AND interaction.channel = %s
               AND interaction.company_id = %s
               AND interaction.date >= %s
               AND interaction.id != %s
               AND NOT COALESCE(stage.closed, FALSE)
             ORDER BY interaction.date DESC, interaction.id DESC
             LIMIT 1
            """,
            (
                self.commercial_partner_id.id,
                self.channel,
                self.company_id.id,
                self.date - timedelta(hours=window),
                self.id,
            ),
        )
        row = self.env.cr.fetchone()
        return self.env["helpdesk.ticket"].sudo().browse(row[0] if row else [])

    # ----------------------------------------------------------------------------------------------
    # Calls
    # ----------------------------------------------------------------------------------------------

    def _schedule_callbacks(self, fallback_user=None):
        """A call the customer could not get through on becomes a call-back activity for the account
        manager (or the ticket's agent, or `fallback_user`)."""
        unanswered = self.filtered(
            lambda call: (
                call.interaction_type == "call"
                and call.direction == "inbound"
                and call.call_outcome in ("missed", "voicemail", "busy")
            )
        )
        for call in unanswered:
            user = (
                call.partner_id._omnichannel_account_manager()
                or call.ticket_id.user_id
                or fallback_user
                or self.env.user
            )
            phone_identities = call.partner_id.omnichannel_identity_ids.filtered(
                lambda identity: identity.kind == "phone"
            )
            number = (call.identity_id or phone_identities[:1]).identifier or (
                call.partner_id.mobile or call.partner_id.phone
            )
            record = call.ticket_id or call.partner_id
            user_env = call.with_context(lang=user.lang).env  # a to-do: in its user's language
            record.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(self),
                summary=user_env._("Call back %(customer)s", customer=call.partner_id.display_name),
                note=user_env._(
                    "Missed call from %(number)s at %(date)s.",
                    number=number or "-",
                    date=fields.Datetime.to_string(call.date),
                ),
                user_id=user.id,
            )
