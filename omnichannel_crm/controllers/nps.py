# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import werkzeug

from odoo import http
from odoo.http import request
from odoo.tools.misc import get_lang


class OmnichannelNps(http.Controller):
    """The NPS answer page linked from the survey: 0 to 10 on one tap, then an optional comment."""

    def _response(self, token):
        response = (
            request.env["omnichannel.nps.response"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        if not response:
            raise werkzeug.exceptions.NotFound()
        return response

    def _render(self, template, response, **values):
        lang = response.partner_id.lang or get_lang(request.env).code
        return (
            request.env["ir.ui.view"]
            .with_context(lang=lang)
            ._render_template(template, {"response": response, **values})
        )

    @http.route("/omnichannel/nps/<string:token>", type="http", auth="public", methods=["GET"])
    def nps_page(self, token, **_kwargs):
        response = self._response(token)
        return self._render("omnichannel_crm.nps_page", response, token=token, scores=range(11))

    @http.route("/omnichannel/nps/<string:token>", type="http", auth="public", methods=["POST"])
    def nps_submit(self, token, score=None, comment=None, **_kwargs):
        response = self._response(token)
        try:
            score = int(score)
        except (TypeError, ValueError) as error:
            raise werkzeug.exceptions.BadRequest() from error
        if not 0 <= score <= 10:
            raise werkzeug.exceptions.BadRequest()
        response._answer(score, "link", comment)
        return self._render("omnichannel_crm.nps_thanks", response)
