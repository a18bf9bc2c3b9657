# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import fields, models
from odoo.tools import plaintext2html


class OmnichannelScenarioChannel(models.Model):
    _inherit = "omnichannel.scenario.channel"

    wechat_template_id = fields.Many2one(
        "omnichannel.wechat.template", string="WeChat template", domain="[('model', '=', model)]"
    )

    def _template(self):
        return self.wechat_template_id if self.channel == "wechat" else super()._template()

    def _send_wechat(self, notifications, openids):
        """Queue the WeChat message; the outbox job sends it right after the commit."""
        template = self.wechat_template_id
        if not template:
            return dict.fromkeys(notifications, self.env._("no template"))
        summaries, extra = {}, {}
        for (lang, _model), by_document in notifications._group_for_rendering().items():
            payloads = template.with_context(lang=lang)._payloads(list(by_document))
            for res_id, group in by_document.items():
                text, message = payloads[res_id]
                for notification in group:
                    summaries[notification] = text or template.name
                    extra[notification] = {
                        "body": plaintext2html(text) if text else False,
                        "wechat_account_id": template.account_id.id,
                        "wechat_openid": openids[notification.partner_id.id],
                        "wechat_payload": json.dumps(message, ensure_ascii=False)
                        if message
                        else False,
                    }
        notifications._log_interactions("wechat", summaries, extra)
        self.env.ref("omnichannel_wechat.ir_cron_wechat_outbox").sudo()._trigger()
        return {}
