# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, models
from odoo.tools import plaintext2html


class OmnichannelNotification(models.Model):
    _inherit = "omnichannel.notification"

    @api.model
    def _addresses(self, channel, partners):
        """WeChat reaches the customers who follow the account: their OpenID; False for those who
        unfollowed it."""
        if channel != "wechat":
            return super()._addresses(channel, partners)
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

    def _send_wechat(self, step, openids):
        """Queue the WeChat message; the outbox job sends it right after the commit."""
        template = step.wechat_template_id
        if not template:
            return dict.fromkeys(self, self.env._("no template"))
        summaries, extra = {}, {}
        for (lang, _model), by_document in self._group_for_rendering().items():
            payloads = template.with_context(lang=lang)._payloads(list(by_document))
            for res_id, notifications in by_document.items():
                text, message = payloads[res_id]
                for notification in notifications:
                    summaries[notification] = text or template.name
                    extra[notification] = {
                        "body": plaintext2html(text) if text else False,
                        "wechat_account_id": template.account_id.id,
                        "wechat_openid": openids[notification.partner_id.id],
                        "wechat_payload": json.dumps(message, ensure_ascii=False)
                        if message
                        else False,
                    }
        self._log_interactions("wechat", summaries, extra)
        self.env.ref("omnichannel_wechat.ir_cron_wechat_outbox").sudo()._trigger()
        return {}
