# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_sms_with_template(self, template=False, template_xmlid=False, **kwargs):
        if not template and template_xmlid:
            template = self.env.ref(template_xmlid, raise_if_not_found=False)
        return super(
            MailThread,
            self.with_context(omnichannel_sms_template_id=template.id if template else False),
        )._message_sms_with_template(template=template, template_xmlid=template_xmlid, **kwargs)
