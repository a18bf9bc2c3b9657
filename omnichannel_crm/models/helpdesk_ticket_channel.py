# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .omnichannel_data import CHANNELS


class HelpdeskTicketChannel(models.Model):
    # Activities: the managers' to-do when a channel falls below a KPI target (omnichannel.kpi.target).
    _name = "helpdesk.ticket.channel"
    _inherit = ["helpdesk.ticket.channel", "mail.thread", "mail.activity.mixin"]

    omnichannel_channel = fields.Selection(
        CHANNELS,
        string="Omnichannel channel",
        help="Tickets opened by contacts on this channel get this ticket channel.",
    )
    omnichannel_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Team",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Team of the tickets opened by contacts on this channel; the company's default team "
        "when empty.",
    )

    @api.model
    def _for_omnichannel(self, channel, company):
        """The ticket channel of `channel` in `company`, created on first use."""
        ticket_channel = self.search(
            [("omnichannel_channel", "=", channel), ("company_id", "in", [company.id, False])],
            order="company_id, sequence, id",
            limit=1,
        )
        if not ticket_channel:
            label = dict(self._fields["omnichannel_channel"]._description_selection(self.env))
            ticket_channel = self.create(
                {"name": label[channel], "omnichannel_channel": channel, "company_id": company.id}
            )
        return ticket_channel
