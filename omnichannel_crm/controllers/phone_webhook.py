# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..tools.telephony import SIGNATURE_HEADER, TIMESTAMP_HEADER
from .webhook import webhook_route

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # one call report is well under a kilobyte


class PhoneWebhookController(http.Controller):
    """Telephony systems report calls here: verify, translate into an inbound contact, store it
    once, answer. The inbound pipeline records it right after."""

    @webhook_route("/omnichannel/phone/<string:token>", max_body=MAX_BODY_BYTES)
    def phone_call(self, token, **_kwargs):
        integration = (
            request.env["omnichannel.phone.integration"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )
        if not integration:
            return request.make_json_response({"error": "unknown integration"}, status=404)
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        if not integration._verify_signature(
            body, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
        ):
            _logger.warning(
                "telephony integration %s: request with a bad signature", integration.id
            )
            return request.make_json_response({"error": "invalid signature"}, status=403)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return request.make_json_response({"error": f"malformed JSON: {error}"}, status=400)
        try:
            contact = integration._inbound_contact(payload)
        except ValidationError as error:
            return request.make_json_response({"error": str(error)}, status=400)
        [(event_id, _stored)] = request.env["omnichannel.inbound.event"].sudo()._store([contact])
        # Stored, not yet processed: the call reaches the timeline right after this answer.
        return request.make_json_response({"status": "ok", "event_id": event_id}, status=200)
