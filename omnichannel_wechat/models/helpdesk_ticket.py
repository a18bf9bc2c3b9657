# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.omnichannel_crm.tools.identity import WECHAT_OPENID


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _omnichannel_reply_channel(self):
        channel = self._omnichannel_channel()
        if channel == "wechat" and self._wechat_route()[0]:
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

    def _wechat_route(self):
        """(Official Account, OpenID) of the customer's last WeChat message on this ticket, else
        of their last one to an account of the ticket's company, or two empty values. An OpenID is
        one account's own (another account refuses it, 40003): both come from the same message."""
        company = self.company_id or self.env.company
        Interaction = self.env["omnichannel.interaction"].sudo()
        wrote = [
            ("channel", "=", "wechat"),
            ("direction", "=", "inbound"),
            ("interaction_type", "=", "message"),
            ("company_id", "=", company.id),
            ("identity_id.kind", "=", WECHAT_OPENID),
            ("external_ref", "!=", False),
        ]
        last = Interaction.search([*wrote, ("ticket_id", "=", self.id)], limit=1)
        if not last:
            customer = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
            last = Interaction.search([*wrote, *customer], limit=1)
        # The account's AppID prefixes the message's external reference.
        app_id = (last.external_ref or "").split(":", 1)[0]
        account = self.env["omnichannel.wechat.account"].sudo()
        if last:
            account = account.search([("company_id", "=", company.id), ("app_id", "=", app_id)])
        if not account:
            return account, False
        return account[:1], last.identity_id.identifier

    def message_post(self, **kwargs):
        """An agent's public reply on a WeChat or WeCom ticket goes to the customer through the
        channel's outbox, its attachments as images, voice, videos or files; their delivery
        states are on the timeline."""
        message = super().message_post(**kwargs)
        if self.env.context.get("omnichannel_skip_capture"):
            return message  # not a reply to the customer (their own words, posted by the pipeline)
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
        if not interaction:
            return message
        # Its attachments go after its text, each one a message of its own.
        entries = interaction._with_media(message.sudo().attachment_ids)
        if interaction.channel == "wechat":
            entries._wechat_queue(*self._wechat_route())
        else:
            entries._wecom_queue(*self._wecom_route())
        return message
