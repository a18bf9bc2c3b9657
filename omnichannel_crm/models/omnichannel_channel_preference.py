# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .omnichannel_data import CONSENT_CHANNELS


class OmnichannelChannelPreference(models.Model):
    """A channel the customer prefers to be contacted on; the first one is their favourite."""

    _name = "omnichannel.channel.preference"
    _description = "Preferred Contact Channel"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)

    _sql_constraints = [
        (
            "channel_unique",
            "unique(partner_id, channel)",
            "A channel is listed once among the customer's preferences.",
        ),
    ]
