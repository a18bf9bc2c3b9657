# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelScenarioChannel(models.Model):
    _inherit = "omnichannel.scenario.channel"

    wechat_template_id = fields.Many2one(
        "omnichannel.wechat.template", string="WeChat template", domain="[('model', '=', model)]"
    )

    def _template(self):
        return self.wechat_template_id if self.channel == "wechat" else super()._template()
