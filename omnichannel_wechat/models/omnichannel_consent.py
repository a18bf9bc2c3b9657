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

    @api.model
    def _addresses(self, channel, partners):
        if channel == "wecom":
            # WeCom reaches the customers who wrote to a customer-service account: their ID there.
            routes = self.env["omnichannel.wecom.kf"].sudo()._routes_to(partners)
            return {partner_id: userid for partner_id, (_kf, userid) in routes.items() if userid}
        if channel == "wechat":
            return self._wechat_addresses(partners)
        return super()._addresses(channel, partners)

    def _wechat_addresses(self, partners):
        """WeChat reaches the customers who follow the account: their OpenID; False for those who
        unfollowed it."""
        identities = (
            self.env["omnichannel.identity"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("kind", "=", "wechat_openid"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="id desc",
            )
        )
        addresses = {}
        for identity in identities:
            followed = identity.wechat_subscribed or not identity.wechat_unsubscribed_date
            if addresses.get(identity.partner_id.id) is None or followed:
                addresses[identity.partner_id.id] = followed and identity.identifier
        return addresses
