# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.tools import html2plaintext, mute_logger

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
    def _create_deduplicated_many(self, vals_list):
        """`_create_deduplicated` for several interactions, in one insert: the references already
        recorded (or twice among them) are looked up first, in one query. Returns (interaction,
        created) in the order of `vals_list`."""
        if len(vals_list) < 2:
            return [self._create_deduplicated(vals) for vals in vals_list]
        company_id = self.env.company.id
        vals_list = [
            dict(
                vals,
                summary=self._summary_from(vals.get("summary"), vals.get("body")),
                company_id=vals.get("company_id") or company_id,
            )
            for vals in vals_list
        ]
        keys = [
            (vals["company_id"], vals["channel"], vals["external_ref"])
            if vals.get("external_ref")
            else None
            for vals in vals_list
        ]
        recorded = {}
        if any(keys):
            self.flush_model(["company_id", "channel", "external_ref"])
            self.env.cr.execute(
                "SELECT company_id, channel, external_ref, id FROM omnichannel_interaction"
                " WHERE (company_id, channel, external_ref) IN %s",
                (tuple({key for key in keys if key}),),
            )
            recorded = {tuple(row[:3]): self.browse(row[3]) for row in self.env.cr.fetchall()}
        first = {}
        new = []
        for index, key in enumerate(keys):
            if key in recorded:
                _logger.info("duplicate %s contact %s ignored", key[1], key[2])
            elif key:
                first.setdefault(key, index)
                new += [index] if first[key] == index else []
            else:
                new.append(index)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                created = self.sudo().create([vals_list[index] for index in new])
        except UniqueViolation:
            # A concurrent transaction recorded one of them meanwhile: one at a time.
            results = {index: self._create_deduplicated(vals_list[index]) for index in new}
        else:
            results = {index: (record, True) for index, record in zip(new, created, strict=True)}
        return [
            results[index]
            if index in results
            else (recorded.get(key) or results[first[key]][0], False)
            for index, key in enumerate(keys)
        ]

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
