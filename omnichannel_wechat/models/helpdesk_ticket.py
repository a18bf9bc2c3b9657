# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _omnichannel_reply_channel(self):
        channel = self._omnichannel_channel()
        if channel == "wechat" and self._wechat_account():
            return "wechat"
        if channel == "wecom" and self._wecom_route()[0]:
            return "wecom"
        return super()._omnichannel_reply_channel()

    def _wecom_route(self):
        """(customer-service account, customer's external_userid) the customer last wrote from,
        among the accounts of the ticket's company."""
        return (
            self.env["omnichannel.wecom.kf"]
            .sudo()
            ._route_to(self.partner_id, self.company_id or self.env.company)
        )

    def _wechat_account(self):
        return self.env["omnichannel.wechat.account"].sudo()._for_partner_reply(self)

    def message_post(self, **kwargs):
        """An agent's public reply on a WeChat or WeCom ticket goes to the customer through the
        channel's outbox; its delivery state is on the timeline."""
        message = super().message_post(**kwargs)
        if self._omnichannel_channel() not in ("wechat", "wecom"):
            return message  # the reply went by another channel: nothing to queue here
        interaction = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("source_ref", "=", f"mail.message,{message.id}"),
                    ("channel", "in", ("wechat", "wecom")),
                    ("direction", "=", "outbound"),
                ],
                limit=1,
            )
        )
        if interaction.channel == "wechat":
            account = self._wechat_account()
            interaction._wechat_queue(account, account._openid_of(interaction.partner_id))
        elif interaction.channel == "wecom":
            interaction._wecom_queue(*self._wecom_route())
        return message
