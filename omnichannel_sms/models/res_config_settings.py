# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omnichannel_sms_opt_out_keywords = fields.Char(
        related="company_id.omnichannel_sms_opt_out_keywords", readonly=False
    )
    omnichannel_sms_opt_in_keywords = fields.Char(
        related="company_id.omnichannel_sms_opt_in_keywords", readonly=False
    )
    omnichannel_sms_opt_out_reply = fields.Char(
        related="company_id.omnichannel_sms_opt_out_reply", readonly=False
    )
