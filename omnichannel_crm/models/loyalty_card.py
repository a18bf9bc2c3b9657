# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
            floor = card.omnichannel_tier_id.min_points if card.omnichannel_tier_id else -1
            next_tier = Tier.search(
                [("program_id", "=", card.program_id.id), ("min_points", ">", floor)],
                order="sequence, id",
                limit=1,
            )
            card.omnichannel_next_tier_id = next_tier
            card.omnichannel_tier_gap = (
                max(next_tier.min_points - card._omnichannel_points_since(next_tier), 0.0)
                if next_tier and card.id
                else 0.0
            )

    def _omnichannel_points_since(self, tier):
        """Points earned on this card within `tier`'s qualification window (a compensation's points
        are given, not earned)."""
        since = tier._window_start(fields.Date.context_today(self))
        return sum(
            line.issued
            for line in self.history_ids
            if line.create_date >= since and line.order_model != "omnichannel.compensation"
        )
