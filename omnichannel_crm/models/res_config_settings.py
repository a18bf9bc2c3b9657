# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    omnichannel_default_team_id = fields.Many2one(
        related="company_id.omnichannel_default_team_id",
        readonly=False,
    )
    omnichannel_ticket_window_hours = fields.Integer(
        related="company_id.omnichannel_ticket_window_hours",
        readonly=False,
    )
    omnichannel_churn_threshold = fields.Integer(
        related="company_id.omnichannel_churn_threshold",
        readonly=False,
    )
