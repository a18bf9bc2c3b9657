# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .omnichannel_identity import PARTNER_IDENTITY_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    member_number = fields.Char(
        index="btree_not_null", copy=False, help="Loyalty or membership number of the customer."
    )
    # The timeline and identities are for helpdesk users: other users and portal users never see them.
    omnichannel_identity_ids = fields.One2many(
        "omnichannel.identity",
        "partner_id",
        string="Identities",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    omnichannel_interaction_count = fields.Integer(
        string="Interactions",
        compute="_compute_omnichannel_interaction_count",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )

    omnichannel_loyalty_tier_id = fields.Many2one(
        "omnichannel.loyalty.tier",
        string="Loyalty tier",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The highest tier of the customer's loyalty cards.",
    )
    omnichannel_loyalty_tier_since = fields.Datetime(string="Tier since", readonly=True, copy=False)
    omnichannel_loyalty_tier_history_ids = fields.One2many(
        "omnichannel.loyalty.tier.history", "partner_id", string="Tier history"
    )

    def _update_omnichannel_loyalty_tier(self):
        """Store the best tier of each partner's cards: a summary to search and group customers by.
        Set-wise, for the tier job; automated actions react to the tier history records instead."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE res_partner partner
               SET omnichannel_loyalty_tier_id = best.tier_id,
                   omnichannel_loyalty_tier_since = best.since
              FROM (SELECT member.id AS partner_id, ranked.tier_id, ranked.since
                      FROM unnest(%s::int[]) AS member(id)
                      LEFT JOIN (
                           SELECT DISTINCT ON (card.partner_id) card.partner_id,
                                  card.omnichannel_tier_id AS tier_id,
                                  card.omnichannel_tier_since AS since
                             FROM loyalty_card card
                             JOIN omnichannel_loyalty_tier tier ON tier.id = card.omnichannel_tier_id
                            WHERE card.partner_id = ANY(%s)
                            ORDER BY card.partner_id, tier.sequence DESC, tier.id DESC) ranked
                        ON ranked.partner_id = member.id) best
             WHERE partner.id = best.partner_id
            """,
            (self.ids, self.ids),
        )
        self.invalidate_recordset(["omnichannel_loyalty_tier_id", "omnichannel_loyalty_tier_since"])

    def _compute_omnichannel_interaction_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["omnichannel.interaction"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.omnichannel_interaction_count = counts.get(partner.commercial_partner_id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        self.env["omnichannel.identity"]._sync_partner_identities(partners)
        return partners

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & (set(PARTNER_IDENTITY_FIELDS) | {"company_id"}):
            self.env["omnichannel.identity"]._sync_partner_identities(self)
        return result

    def _omnichannel_account_manager(self):
        """The user who looks after this customer: the salesperson of the commercial partner."""
        self.ensure_one()
        return self.commercial_partner_id.user_id

    def action_view_omnichannel_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omnichannel_crm.action_omnichannel_interaction"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_group_by_day": 1,
        }
        return action
