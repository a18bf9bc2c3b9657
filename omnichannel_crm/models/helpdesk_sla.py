# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .omnichannel_data import SLA_TARGETS, TICKET_PRIORITIES


class HelpdeskSla(models.Model):
    """SLA policies also match the customer's service level, the ticket's channel, priority and
    complaint flag, and may target the first response and each next response instead of the
    resolution. A level's own policy of a target kind replaces the every-level ones of that kind."""

    _inherit = "helpdesk.sla"
    _order = "omnichannel_service_level_id, omnichannel_target, id"

    # Shown on every ticket's badges: in the agent's language.
    name = fields.Char(translate=True)

    omnichannel_target = fields.Selection(
        SLA_TARGETS,
        string="Target",
        default="resolution",
        required=True,
        help="Resolution: reaching the target stage. First response: the first public answer of an "
        "agent, on any channel. Next response: an agent's answer to each new customer message.",
    )
    omnichannel_minutes = fields.Integer(
        string="Minutes", help="Added to the days and hours of the target."
    )
    omnichannel_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        string="Service level",
        ondelete="cascade",
        index="btree_not_null",
        help="Only tickets of customers at this level; all levels when empty.",
    )
    omnichannel_channel_ids = fields.Many2many(
        "helpdesk.ticket.channel", string="Channels", help="Only tickets of these channels."
    )
    omnichannel_priority = fields.Selection(
        TICKET_PRIORITIES, string="Priority", help="Only tickets of this priority."
    )
    omnichannel_complaint = fields.Boolean(
        string="Complaints only",
        help="Only tickets flagged as complaints, by complaint detection or by an agent: the "
        "complaint lane of a service level.",
    )
    omnichannel_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working time",
        help="Time the target is counted in; else the service level's, else the team's.",
    )
    omnichannel_at_risk_ratio = fields.Float(
        string="At risk after",
        default=0.8,
        help="Share of the target's time after which it is at risk (0.8: 80%).",
    )

    @api.constrains("omnichannel_at_risk_ratio")
    def _check_omnichannel_at_risk_ratio(self):
        for sla in self:
            if not 0 < sla.omnichannel_at_risk_ratio <= 1:
                raise ValidationError(self.env._("The at-risk share is between 0 and 1."))

    def _omnichannel_hours(self, calendar):
        """Length of the target in working hours of `calendar`."""
        self.ensure_one()
        hours_per_day = calendar.hours_per_day if calendar else 24.0
        return self.days * hours_per_day + self.hours + self.omnichannel_minutes / 60.0
