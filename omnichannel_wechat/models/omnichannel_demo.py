# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..tools.wecom_client import EXTERNAL_USERID_KIND

ACCOUNTS = {
    "wechat": "omnichannel_wechat.demo_wechat_account_island_tours",
    "wecom": "omnichannel_wechat.demo_wecom_kf_island_tours",
}


class OmnichannelDemo(models.AbstractModel):
    """The month's WeChat and WeCom conversations arrive through the agency's demo accounts; the
    agents' answers go into those channels' outboxes."""

    _inherit = "omnichannel.demo"

    @api.model
    def _demo_source(self, channel):
        if channel in ACCOUNTS:
            account = self.env.ref(ACCOUNTS[channel])
            return f"{account._name},{account.id}"
        return super()._demo_source(channel)

    @api.model
    def _demo_ref(self, conversation, number, channel):
        """As the connectors prefix a message's id: the AppID, the WeCom CorpID."""
        ref = super()._demo_ref(conversation, number, channel)
        if channel == "wechat":
            return f"{self.env.ref(ACCOUNTS['wechat']).app_id}:{ref}"
        if channel == "wecom":
            return f"{self.env.ref(ACCOUNTS['wecom']).account_id.corp_id}:{ref}"
        return ref

    @api.model
    def _demo_identifiers(self, customer, channel):
        if channel == "wecom":
            return [(EXTERNAL_USERID_KIND, f"wmDemo{customer.key}TravelAgency00000")]
        return super()._demo_identifiers(customer, channel)
