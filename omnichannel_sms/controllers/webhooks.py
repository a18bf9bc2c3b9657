# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import http
from odoo.http import request

from odoo.addons.omnichannel_crm.controllers.webhook import (
    text_response,
    webhook_record,
    webhook_route,
)

from ..tools.gateways.base import WebhookError, WebhookRequest

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # a batch of receipts is a few hundred bytes each


class SmsWebhookController(http.Controller):
    """Providers call here with delivery receipts and inbound SMS. A request that cannot be
    authenticated is refused with 403 and nothing written; an unreadable one with 400."""

    def _open(self, provider_id, kind):
        """(provider, gateway, webhook request) or an error response."""
        provider = webhook_record(
            "omnichannel.sms.provider", provider_id, [("provider_type", "!=", "iap")]
        )
        if not provider:
            return text_response("unknown provider", 404)
        http_request = request.httprequest
        if not provider._webhook_address_allowed(http_request.remote_addr):
            _logger.warning(
                "SMS provider %s: %s webhook from %s refused (address not allowed)",
                provider.id,
                kind,
                http_request.remote_addr,
            )
            return text_response("forbidden", 403)
        public_url = provider._webhook_url(kind)
        query = http_request.query_string.decode()
        webhook = WebhookRequest(
            url=http_request.url,
            headers={name.lower(): value for name, value in http_request.headers.items()},
            form=http_request.form.to_dict(),
            query=http_request.args.to_dict(),
            body=http_request.get_data(),
            public_urls=(
                public_url,
                f"{public_url.split('?')[0]}?{query}" if query else public_url,
            ),
        )
        gateway = provider._gateway()
        if not gateway.verify_webhook(webhook):
            _logger.warning(
                "SMS provider %s: %s webhook with a bad signature refused", provider.id, kind
            )
            return text_response("forbidden", 403)
        return provider, gateway, webhook

    def _handle(self, provider_id, kind):
        """Authenticate and read a webhook call of `kind`, then apply what it says."""
        opened = self._open(provider_id, kind)
        if not isinstance(opened, tuple):
            return opened
        provider, gateway, webhook = opened
        parse = gateway.parse_receipts if kind == "status" else gateway.parse_inbound
        try:
            items = parse(webhook)
        except WebhookError as error:
            return text_response(f"bad request: {error}", 400)
        if webhook.rejected:
            _logger.warning(
                "SMS provider %s: %d %s item(s) skipped: %s",
                provider.id,
                len(webhook.rejected),
                kind,
                "; ".join(webhook.rejected[:3]),
            )
        # Stored once each and committed before the provider gets its answer; the inbound pipeline
        # applies them right after (no SMS is sent, no provider called, within this request).
        contacts = (
            provider._receipt_contacts(items)
            if kind == "status"
            else provider._inbound_contacts(items)
        )
        request.env["omnichannel.inbound.event"].sudo()._store(contacts)
        body, content_type = gateway.webhook_answer
        return text_response(body, content_type=content_type)

    @webhook_route("/omnichannel/sms/<int:provider_id>/status", max_body=MAX_BODY_BYTES)
    def status(self, provider_id, **_kw):
        return self._handle(provider_id, "status")

    @webhook_route("/omnichannel/sms/<int:provider_id>/inbound", max_body=MAX_BODY_BYTES)
    def inbound(self, provider_id, **_kw):
        return self._handle(provider_id, "inbound")
