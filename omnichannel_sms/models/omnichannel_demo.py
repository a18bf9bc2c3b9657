# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class OmnichannelDemo(models.AbstractModel):
    """The month's text messages arrive through the agency's Aliyun account."""

    _inherit = "omnichannel.demo"

    @api.model
    def _demo_source(self, channel):
        if channel == "sms":
            provider = self.env.ref("omnichannel_sms.demo_sms_provider_aliyun")
            return f"{provider._name},{provider.id}"
        return super()._demo_source(channel)

    @api.model
    def _demo_tables(self):
        return (*super()._demo_tables(), "sms_sms")

    @api.model
    def _demo_settle(self, since):
        """The demo customers' numbers are made up: what the month queued for them is not sent."""
        result = super()._demo_settle(since)
        self.env.cr.execute(
            "UPDATE sms_sms SET state = 'canceled' WHERE id > %s AND state = 'outgoing'",
            (since["sms_sms"],),
        )
        self.env["sms.sms"].invalidate_model(["state"])
        return result
