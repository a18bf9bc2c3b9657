# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The telephony webhook's contract: how a request is signed and what its JSON body holds. This is
what a PBX or call-centre integrator implements; nothing here touches the database."""

import hashlib
import hmac
from datetime import UTC, datetime

from odoo import _
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


def _utc_datetime(payload, key):
    """The payload's ISO 8601 date and time `key` in UTC (naive, as Odoo stores them): an offset
    is honoured, none means UTC. None when absent."""
    value = payload.get(key)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError(
            _(
                "%(field)s must be an ISO 8601 date and time like 2026-07-12T08:30:00Z.",
                field=key,
            )
        ) from error
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _wait_seconds(payload, started_at):
    """How long the call rang, from `answered_at` or `wait_seconds`; None when neither is given."""
    answered_at = _utc_datetime(payload, "answered_at")
    wait_seconds = payload.get("wait_seconds")
    if answered_at and wait_seconds not in (None, ""):
        raise ValidationError(_("Give answered_at or wait_seconds, not both."))
    if answered_at:
        if not started_at:
            raise ValidationError(_("answered_at needs started_at, when the call began ringing."))
        wait_seconds = (answered_at - started_at).total_seconds()
        if wait_seconds < 0:
            raise ValidationError(_("answered_at must not be before started_at."))
    elif wait_seconds not in (None, ""):
        try:
            wait_seconds = float(wait_seconds)
        except (TypeError, ValueError) as error:
            raise ValidationError(_("wait_seconds must be a number of seconds.")) from error
        if not 0 <= wait_seconds < float("inf"):
            raise ValidationError(_("wait_seconds must be zero or more."))
    else:
        wait_seconds = None
    return wait_seconds


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
    started_at = _utc_datetime(payload, "started_at")
    wait_seconds = _wait_seconds(payload, started_at)
    return {
        "call_id": str(payload["call_id"]),
        "customer_number": str(payload["customer_number"]),
        "customer_name": payload.get("customer_name") or None,
        "direction": payload["direction"],
        "status": payload["status"],
        "duration_seconds": max(duration, 0.0),
        "started_at": started_at or None,
        # How long the customer heard it ring: an answered call's speed of answer.
        "wait_seconds": wait_seconds if payload["status"] == "answered" else None,
        "agent_email": payload.get("agent_email") or None,
        "notes": payload.get("notes") or None,
    }
