# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import fields, models


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    # The website signs its logged-in visitors' identities with it: whoever holds it can make a
    # visitor anyone, so only Settings administrators read or change it.
    omnichannel_identity_secret = fields.Char(
        string="Identity verification secret",
        groups="base.group_system",
        copy=False,
        help="Your website signs the email address (or its own id) of each logged-in visitor with "
        "this secret (hex HMAC-SHA256) and passes it to the chat: the visitor is then recognised as "
        "that customer without a code. Leave empty to verify visitors by code or by an operator.",
    )

    def action_omnichannel_generate_identity_secret(self):
        for channel in self:
            channel.omnichannel_identity_secret = secrets.token_hex(32)
