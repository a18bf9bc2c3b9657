# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    omnichannel_point_value = fields.Monetary(
        string="Compensation value of a point",
        help="What one point of this program is worth to the customer: a compensation granted "
        "from a ticket is valued at its points times this, and checked against the agent's "
        "limit. Agents grant only from coupon and loyalty programs with a value.",
    )
