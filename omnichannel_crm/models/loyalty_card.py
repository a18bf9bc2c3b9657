# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    omnichannel_tier_id = fields.Many2one(
        "omnichannel.loyalty.tier", string="Tier", readonly=True, index="btree_not_null", copy=False
    )
    omnichannel_tier_since = fields.Datetime(string="Tier since", readonly=True, copy=False)
    omnichannel_tier_below_since = fields.Date(
        string="Below tier since",
        readonly=True,
        copy=False,
        help="The day the points earned fell below the tier's threshold; the grace period runs from it.",
    )
    omnichannel_next_tier_id = fields.Many2one(
        "omnichannel.loyalty.tier", string="Next tier", compute="_compute_omnichannel_next_tier"
    )
    omnichannel_tier_gap = fields.Float(
        string="Points to next tier", compute="_compute_omnichannel_next_tier"
    )

    @api.depends("omnichannel_tier_id", "program_id", "history_ids.issued")
    def _compute_omnichannel_next_tier(self):
        Tier = self.env["omnichannel.loyalty.tier"]
        for card in self:
            tiers = Tier.search([("program_id", "=", card.program_id.id)], order="sequence, id")
            current = card.omnichannel_tier_id
            higher = tiers.filtered(
                lambda tier: tier.min_points > (current.min_points if current else -1)
            )
            card.omnichannel_next_tier_id = higher[:1]
            if not higher or not card.id:
                card.omnichannel_tier_gap = 0.0
                continue
            since = fields.Datetime.now() - relativedelta(months=higher[0].window_months)
            earned = sum(
                card.history_ids.filtered(lambda line: line.create_date >= since).mapped("issued")
            )
            card.omnichannel_tier_gap = max(higher[0].min_points - earned, 0.0)
