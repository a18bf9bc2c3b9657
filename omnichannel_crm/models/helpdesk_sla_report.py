# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .omnichannel_data import SLA_TARGETS


class HelpdeskSlaReport(models.Model):
    """SLA compliance by channel, service level and target kind, besides the team."""

    _inherit = "helpdesk.sla.report"

    omnichannel_channel_id = fields.Many2one(
        "helpdesk.ticket.channel", string="Channel", readonly=True
    )
    omnichannel_service_level_id = fields.Many2one(
        "omnichannel.service.level", string="Service level", readonly=True
    )
    omnichannel_target = fields.Selection(SLA_TARGETS, string="Target", readonly=True)
    omnichannel_met = fields.Integer(string="Met", readonly=True)
    omnichannel_breached = fields.Integer(string="Breached", readonly=True)

    def _select_sla(self):
        return (
            super()._select_sla()
            + """,
            ht.channel_id AS omnichannel_channel_id,
            ht.omnichannel_service_level_id AS omnichannel_service_level_id,
            hts.omnichannel_target AS omnichannel_target,
            (hts.omnichannel_status = 'met')::int AS omnichannel_met,
            (hts.omnichannel_status = 'breached')::int AS omnichannel_breached
            """
        )

    def _where_sla(self):
        # A cancelled target no longer applied to its ticket: neither met nor breached nor ongoing.
        return f"({super()._where_sla()}) AND hts.omnichannel_status IS DISTINCT FROM 'cancelled'"
