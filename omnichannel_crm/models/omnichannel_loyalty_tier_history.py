# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class OmnichannelLoyaltyTierHistory(models.Model):
    _name = "omnichannel.loyalty.tier.history"
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"

    card_id = fields.Many2one("loyalty.card", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    old_tier_id = fields.Many2one("omnichannel.loyalty.tier", string="From", ondelete="set null")
    new_tier_id = fields.Many2one("omnichannel.loyalty.tier", string="To", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    points = fields.Float(string="Qualifying points")
