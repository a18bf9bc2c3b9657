# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class OmnichannelConsent(models.Model):
    _inherit = "omnichannel.consent"

    @api.model_create_multi
    def create(self, vals_list):
        """Following or unfollowing shows on the follower's OpenID too."""
        consents = super().create(vals_list)
        for consent in consents.filtered(
            lambda consent: consent.channel == "wechat" and consent.source == "wechat"
        ):
            self.env["omnichannel.identity"].sudo().search(
                [
                    ("kind", "=", "wechat_openid"),
                    ("identifier", "=", consent.address),
                    ("partner_id", "=", consent.partner_id.id),
                ]
            )._wechat_set_subscription(consent.granted, consent.date)
        return consents
