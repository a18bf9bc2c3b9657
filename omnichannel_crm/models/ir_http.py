# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import LengthRequired, RequestEntityTooLarge

from odoo import models
from odoo.http import request

# Routing key of the webhooks: the most bytes of body they read, e.g.
# @webhook_route(path, max_body=64 * 1024) (controllers/webhook.py).
MAX_BODY_ROUTING_KEY = "omnichannel_max_body"


class IrHttp(models.AbstractModel):
    """Webhooks read at most their declared body size, whatever the headers say. Checked before
    Odoo parses the body (a form is parsed before the controller runs): a body without a length
    (chunked) is refused with 411 as platforms send one, a longer one with 413, and the body stream
    is limited to the length announced."""

    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        super()._pre_dispatch(rule, args)
        limit = rule.endpoint.routing.get(MAX_BODY_ROUTING_KEY)
        if not limit or request.httprequest.method in ("GET", "HEAD", "OPTIONS"):
            return
        length = request.httprequest.content_length
        if length is None:
            raise LengthRequired()
        if length > limit:
            raise RequestEntityTooLarge()
