# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms(self):
        # Providers that send approved templates only need to know which template the text is.
        return super(
            SmsComposer, self.with_context(omnichannel_sms_template_id=self.template_id.id)
        )._action_send_sms()

    def _prepare_mass_sms_values(self, records):
        values = super()._prepare_mass_sms_values(records)
        for record in records:
            values[record.id].update(
                omnichannel_res_model=records._name, omnichannel_res_id=record.id
            )
            if "company_id" in record._fields and record.company_id:
                values[record.id]["omnichannel_company_id"] = record.company_id.id
        return values
