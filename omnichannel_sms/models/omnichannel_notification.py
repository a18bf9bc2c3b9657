# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import plaintext2html


class OmnichannelNotification(models.Model):
    _inherit = "omnichannel.notification"

    def _send_sms(self, step, numbers):
        """Queue the text in Odoo's SMS queue, rendered in the customer's language; the company's
        provider sends it, and an undelivered one makes the notification fall back."""
        template = step.sms_template_id
        if not template:
            return dict.fromkeys(self, self.env._("no template"))
        bodies = {}
        for (lang, _model), by_document in self._group_for_rendering().items():
            rendered = template.with_context(lang=lang)._render_field(
                "body", list(by_document), compute_lang=False
            )
            for res_id, notifications in by_document.items():
                for notification in notifications:
                    bodies[notification] = rendered[res_id]
        interactions = self._log_interactions(
            "sms", bodies, {n: {"body": plaintext2html(bodies[n])} for n in self}
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
                for notification, interaction in zip(self, interactions, strict=True)
            ]
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        return {}
