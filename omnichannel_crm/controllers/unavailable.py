# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

RETRY_AFTER_SECONDS = 30


class WebhooksWithoutDatabase(http.Controller):
    """When Odoo cannot reach its database (PostgreSQL restarting, out of connections) it serves
    requests without one, and answers every route it then lacks 404: a platform reads that as
    "no such webhook" and drops the delivery. With omnichannel_crm among Odoo's server-wide
    modules, the webhooks answer 503 instead, and the platform delivers again."""

    @http.route(
        "/omnichannel/<path:subpath>", type="http", auth="none", csrf=False, save_session=False
    )
    def webhook_without_database(self, subpath, **_params):
        if request.db:
            raise NotFound()
        return request.make_response(
            "database unavailable, deliver again later",
            headers=[
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Retry-After", str(RETRY_AFTER_SECONDS)),
            ],
            status=503,
        )
