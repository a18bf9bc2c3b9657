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

from ..tools.message_xml import MAX_BODY_BYTES

_logger = logging.getLogger(__name__)


class WecomCallbackController(http.Controller):
    """WeCom calls here: the URL check, and the news that customer-service messages wait (the
    messages themselves are pulled by the sync job, right after this answer)."""

    @webhook_route("/omnichannel/wecom/<int:account_id>", method="GET")
    def verify(self, account_id, echostr=None, **_kw):
        account = webhook_record("omnichannel.wecom.account", account_id)
        if not account:
            return text_response("unknown account", 404)
        try:
            plain = account._open(request.httprequest.args, echostr)
        except PermissionError as error:
            _logger.warning("WeCom account %s: refused URL check (%s)", account.id, error)
            return text_response("forbidden", 403)
        except ValueError:
            return text_response("malformed request", 400)
        return text_response(plain)

    @webhook_route("/omnichannel/wecom/<int:account_id>", max_body=MAX_BODY_BYTES)
    def receive(self, account_id, **_kw):
        account = webhook_record("omnichannel.wecom.account", account_id)
        if not account:
            return text_response("unknown account", 404)
        try:
            event = account._open_event(request.httprequest.args, request.httprequest.get_data())
        except PermissionError as error:
            _logger.warning("WeCom account %s: refused callback (%s)", account.id, error)
            return text_response("forbidden", 403)
        except ValueError:
            return text_response("malformed request", 400)
        account._kf_event(event)
        return text_response("success")
