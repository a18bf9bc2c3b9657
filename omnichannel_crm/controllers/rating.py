# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import werkzeug

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang

SCORES = (1, 2, 3, 4, 5)


class OmnichannelRating(http.Controller):
    """The short satisfaction page linked from SMS and WeChat: five scores on one tap, then an
    optional comment."""

    def _rating(self, token):
        rating = request.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
        if not rating or rating.res_model != "helpdesk.ticket":
            raise werkzeug.exceptions.NotFound()
        return rating

    @http.route("/omnichannel/rate/<string:token>", type="http", auth="public", methods=["GET"])
    def rate_page(self, token, **_kwargs):
        rating = self._rating(token)
        lang = rating.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(
                "omnichannel_crm.rating_page",
                {"rating": rating, "token": token, "scores": SCORES},
            )
        )

    @http.route("/omnichannel/rate/<string:token>", type="http", auth="public", methods=["POST"])
    def rate_submit(self, token, score=None, feedback=None, **_kwargs):
        rating = self._rating(token)
        try:
            score = int(score)
        except (TypeError, ValueError) as error:
            raise werkzeug.exceptions.BadRequest() from error
        if score not in SCORES:
            raise werkzeug.exceptions.BadRequest()
        ticket = request.env["helpdesk.ticket"].sudo().browse(rating.res_id)
        ticket.rating_apply(score, rating=rating, feedback=feedback)
        lang = rating.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template("omnichannel_crm.rating_thanks", {"rating": rating})
        )
