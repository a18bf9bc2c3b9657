# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelScenarioChannel(models.Model):
    _inherit = "omnichannel.scenario.channel"

    sms_template_id = fields.Many2one(
        "sms.template", string="SMS template", domain="[('model', '=', model)]"
    )

    def _template(self):
        return self.sms_template_id if self.channel == "sms" else super()._template()
