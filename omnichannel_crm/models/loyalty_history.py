# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import float_round


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("omnichannel_tier_bonus"):
            lines._add_tier_bonus()
        return lines

    def _add_tier_bonus(self):
        """Points earned on a card of a tier with a multiplier get the bonus as a line of its own, so
        that the ledger shows what was earned and what the tier added."""
        bonuses = []
        for line in self:
            tier = line.card_id.omnichannel_tier_id
            if line.issued <= 0 or not tier or tier.points_multiplier <= 1:
                continue
            bonus = float_round(line.issued * (tier.points_multiplier - 1), precision_digits=2)
            # Formatted beforehand: the term extractor only reads plain arguments.
            multiplier = f"{tier.points_multiplier:g}"
            bonuses.append(
                {
                    "card_id": line.card_id.id,
                    "description": self.env._(
                        "%(tier)s tier bonus (×%(multiplier)s) on: %(line)s",
                        tier=tier.name,
                        multiplier=multiplier,
                        line=line.description,
                    ),
                    "issued": bonus,
                    "order_model": line.order_model,
                    "order_id": line.order_id,
                }
            )
        if not bonuses:
            return
        created = self.with_context(omnichannel_tier_bonus=True).create(bonuses)
        for line in created:
            line.card_id.points += line.issued
