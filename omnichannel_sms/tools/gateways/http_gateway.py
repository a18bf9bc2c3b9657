# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Any HTTP SMS gateway: a JSON body built from a template, an optional auth header, the message id
read from the answer at a configured path. Receipts and replies come back in one documented JSON
shape (see the addon's readme)."""

import json
import re

from .base import (
    ACCEPTED,
    DELIVERED,
    FAILED,
    SENT,
    InboundSms,
    Receipt,
    SendResult,
    SmsGateway,
    WebhookError,
    json_path,
    parse_items,
)

DEFAULT_BODY = (
    '{"to": "{{number}}", "text": "{{body}}", "from": "{{sender}}", "ref": "{{reference}}"}'
)
STATUS = {"sent": SENT, "delivered": DELIVERED, "failed": FAILED, "undelivered": FAILED}


PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render_body(template, values):
    """The JSON body: each {{name}} of the template replaced by its value, JSON-escaped so any
    text stays valid. One pass over the template: the values are never read for placeholders, so a
    message (or a customer's name in it) that says "{{status_url}}" is sent as written, not with
    the webhook URL and its token."""

    def substitute(match):
        name = match.group(1)
        return json.dumps(str(values[name]))[1:-1] if name in values else match.group(0)

    return PLACEHOLDER.sub(substitute, template or DEFAULT_BODY)


class HttpGateway(SmsGateway):
    def _send(self, message):
        config = self.config
        headers = {"Content-Type": "application/json"}
        if ":" in (config.http_auth_header or ""):
            name, value = config.http_auth_header.split(":", 1)
            headers[name.strip()] = value.strip()
        body = render_body(
            config.http_body_template,
            {
                "number": message.number,
                "body": message.body,
                "sender": config.sender,
                "reference": message.reference,
                "status_url": config.status_url,
            },
        )
        response = self.session.post(
            config.endpoint, data=body.encode(), headers=headers, timeout=config.timeout
        )
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if 200 <= response.status_code < 300:
            ref = json_path(answer, config.http_id_path) if config.http_id_path else None
            return SendResult(ACCEPTED, provider_ref=str(ref or message.reference))
        return self.refusal(response, str(response.status_code), response.text)

    def parse_receipts(self, request):
        return parse_items(request, ("id", "status"), self._receipt)

    @staticmethod
    def _receipt(item):
        status = STATUS.get(str(item["status"]).lower())
        if not status:
            raise WebhookError(f"unknown status {item['status']!r}")
        return Receipt(
            status,
            provider_ref=str(item["id"]),
            reference=str(item.get("ref") or ""),
            error_code=str(item.get("error_code") or ""),
            error_message=str(item.get("error_message") or ""),
        )

    def parse_inbound(self, request):
        return parse_items(request, ("id", "from"), self._inbound)

    @staticmethod
    def _inbound(item):
        return InboundSms(
            number=str(item["from"]),
            body=str(item.get("text") or ""),
            external_ref=str(item["id"]),
            to_number=str(item.get("to") or ""),
        )
