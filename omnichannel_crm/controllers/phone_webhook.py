# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.omnichannel_phone_integration import SIGNATURE_HEADER, TIMESTAMP_HEADER
from .webhook import json_response

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # one call report is well under a kilobyte


class PhoneWebhookController(http.Controller):
    """Telephony systems report calls here: verify, translate into an inbound contact, store it
    once, answer. The inbound pipeline records it right after."""

    @http.route(
        "/omnichannel/phone/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        omnichannel_max_body=MAX_BODY_BYTES,
    )
    def phone_call(self, token, **_kwargs):
        integration = (
            request.env["omnichannel.phone.integration"]
            .sudo()
            .search([("token", "=", token)], limit=1)
        )
        if not integration:
            return json_response({"error": "unknown integration"}, 404)
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        if not integration._verify_signature(
            body, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
        ):
            _logger.warning(
                "telephony integration %s: request with a bad signature", integration.id
            )
            return json_response({"error": "invalid signature"}, 403)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return json_response({"error": f"malformed JSON: {error}"}, 400)
        try:
            contact = integration._inbound_contact(payload)
        except ValidationError as error:
            return json_response({"error": str(error)}, 400)
        [(event_id, _stored)] = request.env["omnichannel.inbound.event"].sudo()._store([contact])
        # Stored, not yet processed: the call reaches the timeline right after this answer.
        return json_response({"status": "ok", "event_id": event_id}, 200)
