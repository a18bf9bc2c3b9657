# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import plaintext2html


class OmnichannelScenarioChannel(models.Model):
    _inherit = "omnichannel.scenario.channel"

    sms_template_id = fields.Many2one(
        "sms.template", string="SMS template", domain="[('model', '=', model)]"
    )

    def _template(self):
        return self.sms_template_id if self.channel == "sms" else super()._template()

    def _send_sms(self, notifications, numbers):
        """Queue the text in Odoo's SMS queue, rendered in the customer's language; the company's
        provider sends it, and an undelivered one makes the notification fall back."""
        template = self.sms_template_id
        if not template:
            return dict.fromkeys(notifications, self.env._("no template"))
        bodies = {}
        for (lang, _model), by_document in notifications._group_for_rendering().items():
            rendered = template.with_context(lang=lang)._render_field(
                "body", list(by_document), compute_lang=False
            )
            for res_id, group in by_document.items():
                for notification in group:
                    bodies[notification] = rendered[res_id]
        interactions = notifications._log_interactions(
            "sms", bodies, {n: {"body": plaintext2html(bodies[n])} for n in notifications}
        )
        self.env["sms.sms"].sudo().create(
            [
                {
                    "number": numbers[notification.partner_id.id],
                    "partner_id": notification.partner_id.id,
                    "body": bodies[notification],
                    "omnichannel_company_id": notification.company_id.id,
                    "omnichannel_template_id": template.id,
                    "omnichannel_res_model": notification.res_model,
                    "omnichannel_res_id": notification.res_id,
                    "omnichannel_interaction_id": interaction.id,
                }
                for notification, interaction in zip(notifications, interactions, strict=True)
            ]
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        return {}
