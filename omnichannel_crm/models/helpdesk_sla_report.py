# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .omnichannel_data import SLA_TARGETS


class HelpdeskSlaReport(models.Model):
    """SLA compliance by channel, service level and target kind, besides the team."""

    _inherit = "helpdesk.sla.report"

    channel_id = fields.Many2one("helpdesk.ticket.channel", readonly=True)
    service_level_id = fields.Many2one("omnichannel.service.level", readonly=True)
    target = fields.Selection(SLA_TARGETS, readonly=True)
    met = fields.Integer(readonly=True)
    breached = fields.Integer(readonly=True)

    def _select_sla(self):
        return (
            super()._select_sla()
            + """,
            ht.channel_id AS channel_id,
            ht.omnichannel_service_level_id AS service_level_id,
            hts.omnichannel_target AS target,
            (hts.omnichannel_status = 'met')::int AS met,
            (hts.omnichannel_status = 'breached')::int AS breached
            """
        )
