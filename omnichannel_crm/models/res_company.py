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
    omnichannel_quiet_hours = fields.Boolean(
        string="Quiet hours",
        default=True,
        help="Customers are not notified in these hours (in their timezone), except by urgent "
        "scenarios; a notification waits for the end of the quiet hours.",
    )
    omnichannel_quiet_start = fields.Float(string="Quiet from", default=21.0)
    omnichannel_quiet_end = fields.Float(string="Quiet until", default=8.0)
