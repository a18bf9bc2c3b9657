# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.mail.models.discuss.mail_guest import add_guest_to_context


class LivechatVisitorIdentity(http.Controller):
    # An email or an account id and a signature: a few hundred bytes, read no further.
    @http.route(
        "/omnichannel/livechat/identify",
        type="json",
        auth="public",
        methods=["POST"],
        omnichannel_max_body=4096,
    )
    @add_guest_to_context
    def identify(self, channel_id, signature, email=None, external_id=None):
        """The website tells who its logged-in visitor is, signed with the live chat channel's
        secret. Only a member of the session (its guest or logged-in visitor) reaches it."""
        session = request.env["discuss.channel"].search(
            [("id", "=", int(channel_id)), ("channel_type", "=", "livechat")]
        )
        if not session:
            return {"verified": False, "error": "unknown session"}
        verified = session.sudo()._omnichannel_verify_signed(
            email=email, external_id=external_id, signature=signature
        )
        return {"verified": verified}
