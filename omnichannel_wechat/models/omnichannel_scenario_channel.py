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

    wecom_text = fields.Text(
        string="WeCom message",
        translate=True,
        help="Sent by the customer-service account the customer last wrote to, within the 48 hours "
        "after their last message, e.g. Dear {{ object.name }}, your flight now leaves at 18:40.",
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

    def _send_wecom(self, notifications, external_userids):
        """Queue the WeCom message for the outbox, rendered in each customer's language."""
        if not self.wecom_text:
            return dict.fromkeys(notifications, self.env._("no message"))
        routes = self.env["omnichannel.wecom.kf"].sudo()._routes_to(notifications.partner_id)
        texts = {}
        for (lang, model), by_document in notifications._group_for_rendering().items():
            rendered = self.env["mail.render.mixin"]._render_template(
                self.with_context(lang=lang).wecom_text,
                model,
                list(by_document),
                engine="inline_template",
            )
            for res_id, group in by_document.items():
                for notification in group:
                    texts[notification] = rendered[res_id]
        # Queued for the WeCom outbox with the account each customer last wrote to.
        notifications._log_interactions(
            "wecom",
            texts,
            {
                n: {
                    "body": plaintext2html(texts[n]),
                    "wecom_kf_id": routes[n.partner_id.id][0].id,
                    "wecom_external_userid": external_userids[n.partner_id.id],
                }
                for n in notifications
            },
        )
        self.env.ref("omnichannel_wechat.ir_cron_wecom_outbox").sudo()._trigger()
        return {}
