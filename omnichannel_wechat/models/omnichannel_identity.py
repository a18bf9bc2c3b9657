# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelIdentity(models.Model):
    _inherit = "omnichannel.identity"

    # Following the account is the follower's consent to hear from it on WeChat; unfollowing opts out.
    wechat_subscribed = fields.Boolean(string="Follows on WeChat", readonly=True)
    wechat_subscribed_date = fields.Datetime(string="Followed on", readonly=True)
    wechat_unsubscribed_date = fields.Datetime(string="Unfollowed on", readonly=True)

    def _wechat_set_subscription(self, subscribed, date):
        values = {"wechat_subscribed": subscribed}
        values["wechat_subscribed_date" if subscribed else "wechat_unsubscribed_date"] = date
        self.sudo().write(values)
