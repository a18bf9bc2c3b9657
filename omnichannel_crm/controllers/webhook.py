# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the webhooks of every connector share: their route and their plain answers."""

from odoo import http
from odoo.http import request


def webhook_route(path, method="POST", max_body=None):
    """The route of a platform's webhook: public, no CSRF token (platforms sign their requests
    instead), no session cookie, and a body limit (route key `omnichannel_max_body`) that ir.http
    checks before Odoo reads the body."""
    return http.route(
        path,
        type="http",
        auth="public",
        methods=[method],
        csrf=False,
        save_session=False,
        omnichannel_max_body=max_body,
    )


def text_response(body, status=200, content_type="text/plain; charset=utf-8"):
    """A plain answer, as the platforms read it ("success", "ok", an echo string, an error)."""
    return request.make_response(body, headers=[("Content-Type", content_type)], status=status)


def webhook_record(model, record_id, domain=()):
    """The record a webhook's URL names (an account, a provider), or an empty recordset: the URL is
    public, so the record is read as superuser and an unknown id is no error."""
    return request.env[model].sudo().search([("id", "=", record_id), *domain], limit=1)
