# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets
import time

from odoo import api, fields, models

from ..tools.inbound import CALL, InboundContact
from ..tools.telephony import parse_call_payload, signature_matches


class OmnichannelPhoneIntegration(models.Model):
    """A telephony system (PBX, call centre) that reports its calls to Odoo through a signed webhook."""

    _name = "omnichannel.phone.integration"
    _description = "Telephony Integration"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Gets call-back activities for missed calls of customers without an account manager.",
    )
    create_tickets = fields.Boolean(
        help="Incoming calls also join or open a ticket, like messages on other channels."
    )
    # The token names the integration in its URL; the secret signs every request. Both are secrets.
    token = fields.Char(
        required=True,
        copy=False,
        index=True,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(24),
    )
    secret = fields.Char(
        string="Signing secret",
        required=True,
        copy=False,
        groups="base.group_system",
        default=lambda self: secrets.token_hex(32),
    )
    signature_tolerance = fields.Integer(
        string="Signature tolerance (seconds)",
        default=300,
        help="Requests signed longer ago than this are refused (replays).",
    )
    webhook_url = fields.Char(compute="_compute_webhook_url", groups="base.group_system")

    _sql_constraints = [("token_unique", "unique(token)", "This token is already used.")]

    @api.depends("token")
    def _compute_webhook_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for integration in self:
            integration.webhook_url = f"{base_url}/omnichannel/phone/{integration.token}"

    def action_regenerate_secrets(self):
        for integration in self:
            integration.write({"token": secrets.token_urlsafe(24), "secret": secrets.token_hex(32)})

    def _verify_signature(self, body, timestamp, signature, now=None):
        """True when `signature` is "sha256=" + HMAC-SHA256(secret, timestamp + "." + body) and the
        timestamp is recent."""
        self.ensure_one()
        if not signature or not timestamp:
            return False
        try:
            age = abs((now or time.time()) - int(timestamp))
        except ValueError:
            return False
        if age > self.signature_tolerance:
            return False
        return signature_matches(self.sudo().secret, timestamp, body, signature)

    def _inbound_contact(self, payload):
        """The call a telephony system reported, as an inbound contact; a ValidationError says what
        is wrong with the payload."""
        self.ensure_one()
        call = parse_call_payload(payload)
        number = self.env["omnichannel.identity"].normalize(
            "phone", call["customer_number"], self.company_id
        )
        outcome_label = dict(
            self.env["omnichannel.interaction"]
            ._fields["call_outcome"]
            ._description_selection(self.env)
        )[call["status"]]
        labels = {"number": call["customer_number"], "outcome": outcome_label}
        text = (
            self.env._("Call from %(number)s: %(outcome)s", **labels)
            if call["direction"] == "inbound"
            else self.env._("Call to %(number)s: %(outcome)s", **labels)
        )
        return InboundContact(
            channel="phone",
            source=f"{self._name},{self.id}",
            external_ref=call["call_id"],
            company_id=self.company_id.id,
            identifiers=[("phone", number)],
            kind=CALL,
            direction=call["direction"],
            date=call["started_at"],
            text=text,
            body=call["notes"],
            sender_name=call["customer_name"],
            open_ticket=self.create_tickets,
            call={
                "outcome": call["status"],
                "duration_minutes": call["duration_seconds"] / 60.0,
                "wait_seconds": call["wait_seconds"],
                "agent_email": call["agent_email"],
                "fallback_user_id": self.user_id.id,
            },
            raw=payload,
        )
