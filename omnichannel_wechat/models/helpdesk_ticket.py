# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _omnichannel_reply_channel(self):
        if self._omnichannel_channel() == "wechat" and self._wechat_account():
            return "wechat"
        return super()._omnichannel_reply_channel()

    def _wechat_account(self):
        return self.env["omnichannel.wechat.account"].sudo()._for_partner_reply(self)

    def message_post(self, **kwargs):
        """An agent's public reply on a WeChat ticket goes to the follower through the outbox
        (customer-service message within 48 hours); its delivery state is on the timeline."""
        message = super().message_post(**kwargs)
        interaction = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("source_ref", "=", f"mail.message,{message.id}"),
                    ("channel", "=", "wechat"),
                    ("direction", "=", "outbound"),
                ],
                limit=1,
            )
        )
        if interaction:
            account = self._wechat_account()
            interaction._wechat_queue(account, account._openid_of(interaction.partner_id))
        return message
