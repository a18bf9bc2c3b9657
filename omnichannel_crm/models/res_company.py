# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    omnichannel_default_team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        string="Default Omnichannel Team",
        domain="[('company_id', 'in', [id, False])]",
        help="Helpdesk team that receives tickets from channels that have no team of their own.",
    )
