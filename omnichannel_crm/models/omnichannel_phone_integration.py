# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
import secrets
import time

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.inbound import CALL, InboundContact

SIGNATURE_HEADER = "X-Omnichannel-Signature"
TIMESTAMP_HEADER = "X-Omnichannel-Timestamp"
CALL_OUTCOMES = ("answered", "missed", "voicemail", "busy")


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
        expected = sign_payload(self.sudo().secret, timestamp, body)
        return hmac.compare_digest(expected, signature.strip())

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
            _("Call from %(number)s: %(outcome)s", **labels)
            if call["direction"] == "inbound"
            else _("Call to %(number)s: %(outcome)s", **labels)
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
                "agent_email": call["agent_email"],
                "fallback_user_id": self.user_id.id,
            },
            raw=payload,
        )


def sign_payload(secret, timestamp, body):
    """The signature a telephony system sends with a request: what integrators implement."""
    if isinstance(body, str):
        body = body.encode()
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def parse_call_payload(payload):
    """Validate the JSON a telephony system posts; a ValidationError says what is wrong."""
    if not isinstance(payload, dict):
        raise ValidationError(_("The body must be a JSON object."))
    missing = [
        key for key in ("call_id", "customer_number", "direction", "status") if not payload.get(key)
    ]
    if missing:
        raise ValidationError(_("Missing fields: %(fields)s.", fields=", ".join(missing)))
    if payload["direction"] not in ("inbound", "outbound"):
        raise ValidationError(_("direction must be 'inbound' or 'outbound'."))
    if payload["status"] not in CALL_OUTCOMES:
        raise ValidationError(
            _("status must be one of %(values)s.", values=", ".join(CALL_OUTCOMES))
        )
    try:
        duration = float(payload.get("duration_seconds") or 0)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("duration_seconds must be a number.")) from error
    started_at = payload.get("started_at")
    if started_at:
        try:
            started_at = fields.Datetime.to_datetime(
                str(started_at).replace("T", " ").replace("Z", "")[:19]
            )
        except ValueError as error:
            raise ValidationError(
                _("started_at must be a UTC date and time like 2026-07-12T08:30:00Z.")
            ) from error
    return {
        "call_id": str(payload["call_id"]),
        "customer_number": str(payload["customer_number"]),
        "customer_name": payload.get("customer_name") or None,
        "direction": payload["direction"],
        "status": payload["status"],
        "duration_seconds": max(duration, 0.0),
        "started_at": started_at or None,
        "agent_email": payload.get("agent_email") or None,
        "notes": payload.get("notes") or None,
    }
