# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import http
from odoo.http import request

from ..tools.message_xml import MAX_BODY_BYTES, WechatXmlError

_logger = logging.getLogger(__name__)


class WechatCallbackController(http.Controller):
    """The WeChat platform calls here: verify, decrypt, translate into an inbound contact, store it,
    answer well within the platform's 5 seconds."""

    def _account(self, account_id):
        return (
            request.env["omnichannel.wechat.account"]
            .sudo()
            .search([("id", "=", account_id)], limit=1)
        )

    def _text(self, body, status=200, content_type="text/plain; charset=utf-8"):
        return request.make_response(body, headers=[("Content-Type", content_type)], status=status)

    @http.route(
        "/omnichannel/wechat/<int:account_id>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def verify(self, account_id, signature=None, timestamp=None, nonce=None, echostr="", **_kw):
        account = self._account(account_id)
        if not account:
            return self._text("unknown account", 404)
        if not account._verify_server(timestamp, nonce, signature):
            return self._text("invalid signature", 403)
        return self._text(echostr)

    @http.route(
        "/omnichannel/wechat/<int:account_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        omnichannel_max_body=MAX_BODY_BYTES,
    )
    def receive(self, account_id, **_kw):
        account = self._account(account_id)
        if not account:
            return self._text("unknown account", 404)
        params = request.httprequest.args
        try:
            message, encrypted = account._open_callback(params, request.httprequest.get_data())
            contact = account._inbound_contact(message)
        except PermissionError as error:
            _logger.warning("WeChat account %s: refused callback (%s)", account.id, error)
            return self._text("forbidden", 403)
        except (ValueError, WechatXmlError) as error:
            return self._text(f"bad request: {error}", 400)
        reply = account._edge_reply(contact, message)
        # Stored once (a redelivery is ignored) and committed before WeChat gets the answer; the
        # pipeline does the rest right after.
        request.env["omnichannel.inbound.event"].sudo()._store([contact])
        if not reply:
            return self._text("success")
        return self._text(
            account._seal_reply(reply, encrypted, params.get("nonce", "")),
            content_type="application/xml; charset=utf-8",
        )
