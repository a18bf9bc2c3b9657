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

from ..tools.message_xml import MAX_BODY_BYTES, WechatXmlError

_logger = logging.getLogger(__name__)


class WechatCallbackController(http.Controller):
    """The WeChat platform calls here: verify, decrypt, translate into an inbound contact, store it,
    answer well within the platform's 5 seconds."""

    @webhook_route("/omnichannel/wechat/<int:account_id>", method="GET")
    def verify(self, account_id, signature=None, timestamp=None, nonce=None, echostr="", **_kw):
        account = webhook_record("omnichannel.wechat.account", account_id)
        if not account:
            return text_response("unknown account", 404)
        if not account._verify_server(timestamp, nonce, signature):
            return text_response("invalid signature", 403)
        return text_response(echostr)

    @webhook_route("/omnichannel/wechat/<int:account_id>", max_body=MAX_BODY_BYTES)
    def receive(self, account_id, **_kw):
        account = webhook_record("omnichannel.wechat.account", account_id)
        if not account:
            return text_response("unknown account", 404)
        params = request.httprequest.args
        try:
            message, encrypted = account._open_callback(params, request.httprequest.get_data())
            contact = account._inbound_contact(message)
        except PermissionError as error:
            _logger.warning("WeChat account %s: refused callback (%s)", account.id, error)
            return text_response("forbidden", 403)
        except (ValueError, WechatXmlError) as error:
            return text_response(f"bad request: {error}", 400)
        reply = account._edge_reply(contact, message)
        # Stored once (a redelivery is ignored) and committed before WeChat gets the answer; the
        # pipeline does the rest right after.
        request.env["omnichannel.inbound.event"].sudo()._store([contact])
        if not reply:
            return text_response("success")
        return text_response(
            account._seal_reply(reply, encrypted, params.get("nonce", "")),
            content_type="application/xml; charset=utf-8",
        )
