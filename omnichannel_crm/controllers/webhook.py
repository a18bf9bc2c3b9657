# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the webhooks of every connector share: their plain answers. (Their body limit is the route
key `omnichannel_max_body`, checked by ir.http before Odoo reads the body.)"""

from odoo.http import request


def text_response(body, status=200, content_type="text/plain; charset=utf-8"):
    """A plain answer, as the platforms read it ("success", "ok", an echo string, an error)."""
    return request.make_response(body, headers=[("Content-Type", content_type)], status=status)
