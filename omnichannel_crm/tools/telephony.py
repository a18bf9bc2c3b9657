# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The telephony webhook's contract: how a request is signed and what its JSON body holds. This is
what a PBX or call-centre integrator implements; nothing here touches the database."""

import hashlib
import hmac

from odoo import _, fields
from odoo.exceptions import ValidationError

SIGNATURE_HEADER = "X-Omnichannel-Signature"
TIMESTAMP_HEADER = "X-Omnichannel-Timestamp"
CALL_OUTCOMES = ("answered", "missed", "voicemail", "busy")


def sign_payload(secret, timestamp, body):
    """The signature a telephony system sends with a request: what integrators implement."""
    if isinstance(body, str):
        body = body.encode()
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_matches(secret, timestamp, body, signature):
    """True when `signature` is the one `sign_payload` makes. Compared as bytes, in constant time:
    a signature in any script is refused, not an error."""
    if not secret or not signature:
        return False
    expected = sign_payload(secret, timestamp, body).encode()
    return hmac.compare_digest(expected, signature.strip().encode())


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
