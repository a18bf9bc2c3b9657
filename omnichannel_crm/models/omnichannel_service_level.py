# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class OmnichannelServiceLevel(models.Model):
    """How well a customer is served (Standard, Silver, Gold, VIP): the SLA policies that apply to
    their tickets, the working time they are counted in, and the priority lane."""

    _name = "omnichannel.service.level"
    _description = "Service Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(string="Rank", default=10, help="Higher levels come later.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    priority_boost = fields.Integer(
        help="Steps added to the priority of this level's tickets (3 makes every ticket Very High)."
    )
    account_manager_required = fields.Boolean(
        string="Dedicated account manager",
        help="Customers at this level have an account manager, who gets their new tickets first.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Priority team",
        help="Team of this level's tickets when the customer has no account manager.",
    )
    allowed_channel_ids = fields.Many2many(
        "helpdesk.ticket.channel",
        string="Allowed channels",
        help="Channels this level's customers are notified and answered on (notifications, "
        "agents' replies sent on another channel); empty for all.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working time",
        help="Time in which this level's SLA deadlines are counted (e.g. 24×7 for VIP); the team's "
        "working hours when empty.",
    )
    sla_ids = fields.One2many(
        "helpdesk.sla",
        "omnichannel_service_level_id",
        string="Targets",
        context={"active_test": False},
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    def _served_channels(self):
        """The channels (codes) this level is served on, None for every channel (also when no
        level)."""
        if not self.allowed_channel_ids:
            return None
        self.ensure_one()
        return frozenset(self.allowed_channel_ids.mapped("omnichannel_channel"))

    @api.constrains("priority_boost")
    def _check_priority_boost(self):
        for level in self:
            if not 0 <= level.priority_boost <= 3:
                raise ValidationError(self.env._("The priority boost goes from 0 to 3 steps."))

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("omnichannel_service_level_id", "in", self.ids), ("parent_id", "=", False)],
                ["omnichannel_service_level_id"],
                ["__count"],
            )
        )
        for level in self:
            level.partner_count = counts.get(level, 0)
