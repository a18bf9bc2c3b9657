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
    omnichannel_ticket_window_hours = fields.Integer(
        string="Ticket window (hours)",
        default=72,
        help="A new contact joins the customer's open ticket on the same channel when that ticket had a "
        "contact within this many hours; otherwise it opens a new ticket. 0 always opens a new one.",
    )
    omnichannel_churn_threshold = fields.Integer(
        string="Churn alert threshold",
        default=60,
        help="A customer whose churn risk (0 to 100) reaches this is at risk of churn: their "
        "account manager gets a retention to-do.",
    )

    _sql_constraints = [
        (
            "omnichannel_churn_threshold_range",
            "CHECK(omnichannel_churn_threshold BETWEEN 1 AND 100)",
            "The churn alert threshold is between 1 and 100.",
        ),
    ]
