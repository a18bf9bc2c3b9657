# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from .omnichannel_data import (
    LIFECYCLE_STAGES,
    NEW_CUSTOMER_DAYS,
    PARTNER_IDENTITY_FIELDS,
    RFM_SEGMENTS,
    TREND_DAYS,
    TREND_MIN_PREVIOUS,
)

SERVICE_LEVEL_SOURCES = {"omnichannel_service_level_override_id", "parent_id", "is_company"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    omnichannel_member_number = fields.Char(
        string="Member number",
        index="btree_not_null",
        copy=False,
        help="Loyalty or membership number of the customer.",
    )
    # The timeline and identities are for helpdesk users: other users and portal users never see them.
    omnichannel_identity_ids = fields.One2many(
        "omnichannel.identity",
        "partner_id",
        string="Identities",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    omnichannel_identity_holder_ids = fields.Many2many(
        "res.partner",
        string="Identifies",
        compute="_compute_omnichannel_identity_holder_ids",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
        help="Other customers already identified by a phone number, email or member number of "
        "this contact: contacts from it reach them, not this contact, until the two are merged.",
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
    omnichannel_service_level_override_id = fields.Many2one(
        "omnichannel.service.level",
        string="Service level (manual)",
        help="Sets the customer's service level, whatever their loyalty tier.",
    )
    omnichannel_service_level_id = fields.Many2one(
        "omnichannel.service.level",
        string="Service level",
        compute="_compute_service_level_id",
        store=True,
        index="btree_not_null",
        help="The manual service level of the customer (the company for its people), else the one "
        "of their loyalty tier.",
    )
    omnichannel_account_manager_id = fields.Many2one(
        "res.users",
        string="Account manager",
        domain=[("share", "=", False)],
        help="Looks after the customer: gets their new tickets first when their service level asks "
        "for a dedicated account manager, and is told of SLA breaches.",
    )
    omnichannel_channel_preference_ids = fields.One2many(
        "omnichannel.channel.preference",
        "partner_id",
        string="Preferred channels",
        help="The channels the customer wants to be contacted on, favourite first.",
    )
    omnichannel_contact_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Contact window",
        help="When the customer may be contacted (days and hours, read in the customer's "
        "timezone); notifications outside it wait for its next opening. Empty: any time outside "
        "quiet hours.",
    )
    omnichannel_own_quiet_hours = fields.Boolean(
        string="Own quiet hours", help="Use these quiet hours instead of the company's."
    )
    omnichannel_quiet_start = fields.Float(string="Quiet from", default=21.0)
    omnichannel_quiet_end = fields.Float(string="Quiet until", default=8.0)
    omnichannel_consent_ids = fields.One2many(
        "omnichannel.consent",
        "partner_id",
        string="Consents",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    omnichannel_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        string="Lifecycle stage",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="Updated daily: new in the first month after the first contact, declining when the "
        "customer contacts us less than half as often as in the period before.",
    )
    omnichannel_loyalty_tier_history_ids = fields.One2many(
        "omnichannel.loyalty.tier.history",
        "partner_id",
        string="Tier history",
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    # RFM and churn risk: written by the nightly scoring job (omnichannel.churn), set-wise.
    omnichannel_rfm_recency = fields.Integer(
        string="Recency",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="1 to 5: the fifth of customers the last contact from the customer falls in (5: the "
        "most recent).",
    )
    omnichannel_rfm_frequency = fields.Integer(
        string="Frequency",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="1 to 5: the fifth of customers the customer's contacts over the last 12 months fall "
        "in (5: the most frequent).",
    )
    omnichannel_rfm_monetary = fields.Integer(
        string="Monetary",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="1 to 5: the fifth of customers the loyalty points the customer earned over the last "
        "12 months fall in (5: the most).",
    )
    omnichannel_rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="From the recency and frequency scores, updated nightly.",
    )
    omnichannel_churn_score = fields.Integer(
        string="Churn risk",
        readonly=True,
        copy=False,
        index="btree_not_null",
        aggregator="avg",
        help="0 to 100, updated nightly: no recent contact 30, contacts halved 25, low "
        "satisfaction 25, open Very High tickets 20.",
    )
    omnichannel_churn_reasons = fields.Char(string="Churn reasons", readonly=True, copy=False)
    omnichannel_churn_risk = fields.Boolean(
        string="At risk of churn",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The churn risk is at or above the company's threshold.",
    )
    omnichannel_churn_date = fields.Datetime(
        string="Churn alert on",
        readonly=True,
        copy=False,
        help="When the churn risk last reached the company's threshold.",
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
        levels = {partner: partner.omnichannel_service_level_id for partner in self}
        self.invalidate_recordset(["omnichannel_loyalty_tier_id", "omnichannel_loyalty_tier_since"])
        # The tier sets the service level: recompute it, and re-target the open tickets it changes.
        self.modified(["omnichannel_loyalty_tier_id"])
        self.env.flush_all()
        self._omnichannel_retarget_if_changed(levels)

    @api.model
    def _update_omnichannel_lifecycle_stage(self):
        """Set-wise, for every customer with contacts or an account manager."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH stats AS (
                SELECT partner.id,
                       LEAST(partner.create_date, MIN(interaction.date)) AS since,
                       COUNT(interaction.id) FILTER (
                           WHERE interaction.direction = 'inbound'
                             AND interaction.date >= %(now)s - %(trend)s) AS recent,
                       COUNT(interaction.id) FILTER (
                           WHERE interaction.direction = 'inbound'
                             AND interaction.date >= %(now)s - 2 * %(trend)s
                             AND interaction.date < %(now)s - %(trend)s) AS previous
                  FROM res_partner partner
                  LEFT JOIN omnichannel_interaction interaction
                         ON interaction.commercial_partner_id = partner.id
                 WHERE partner.parent_id IS NULL
                 GROUP BY partner.id
                HAVING COUNT(interaction.id) > 0
                    OR BOOL_OR(COALESCE(partner.omnichannel_account_manager_id, partner.user_id) IS NOT NULL)
            ), staged AS (
                SELECT id, CASE
                           WHEN since >= %(now)s - %(new)s THEN 'new'
                           WHEN previous >= %(min_previous)s AND recent * 2 < previous THEN 'declining'
                           ELSE 'stable' END AS stage
                  FROM stats
            )
            UPDATE res_partner partner
               SET omnichannel_lifecycle_stage = staged.stage
              FROM staged
             WHERE partner.id = staged.id
               AND partner.omnichannel_lifecycle_stage IS DISTINCT FROM staged.stage
            """,
            {
                "now": fields.Datetime.now(),
                "trend": timedelta(days=TREND_DAYS),
                "min_previous": TREND_MIN_PREVIOUS,
                "new": timedelta(days=NEW_CUSTOMER_DAYS),
            },
        )
        self.invalidate_model(["omnichannel_lifecycle_stage"])

    @api.depends(*PARTNER_IDENTITY_FIELDS, "company_id", "country_id")
    def _compute_omnichannel_identity_holder_ids(self):
        holders = self.env["omnichannel.identity"]._other_holders(self)
        for partner in self:
            partner.omnichannel_identity_holder_ids = holders.get(partner, self.browse())

    def action_omnichannel_view_identity_holders(self):
        self.ensure_one()
        holders = self.omnichannel_identity_holder_ids
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Identified by %(contact)s's details", contact=self.display_name),
            "res_model": "res.partner",
        }
        if len(holders) == 1:
            return {**action, "view_mode": "form", "res_id": holders.id}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", holders.ids)]}

    def action_omnichannel_merge_identity_holders(self):
        """Odoo's merge wizard on this contact and the customers holding its identifiers."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_partner_merge")
        action["context"] = {
            "active_model": "res.partner",
            "active_ids": (self | self.omnichannel_identity_holder_ids).ids,
        }
        return action

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

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "omnichannel_service_level_override_id",
            "omnichannel_account_manager_id",
        ]

    @api.depends(
        "commercial_partner_id.omnichannel_service_level_override_id",
        "commercial_partner_id.omnichannel_loyalty_tier_id.service_level_id",
    )
    def _compute_service_level_id(self):
        for partner in self:
            customer = partner.commercial_partner_id
            partner.omnichannel_service_level_id = (
                customer.omnichannel_service_level_override_id
                or customer.omnichannel_loyalty_tier_id.service_level_id
            )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("omnichannel_skip_identity_sync"):
            self.env["omnichannel.identity"]._sync_partner_identities(partners, created=True)
        return partners

    def write(self, vals):
        # Only these change whose service level a contact has (the tier job updates levels itself).
        levels = (
            {partner: partner.omnichannel_service_level_id for partner in self}
            if set(vals) & SERVICE_LEVEL_SOURCES
            else None
        )
        result = super().write(vals)
        if levels is not None:
            self._omnichannel_retarget_if_changed(levels)
        if set(vals) & (set(PARTNER_IDENTITY_FIELDS) | {"company_id"}):
            self.env["omnichannel.identity"]._sync_partner_identities(self)
        return result

    def _omnichannel_account_manager(self):
        """The user who looks after this customer: the account manager of the commercial partner,
        else its salesperson."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return customer.omnichannel_account_manager_id or customer.user_id

    def _omnichannel_quiet_hours(self):
        """(start, end) local hours in which the customer is not disturbed, None for none."""
        self.ensure_one()
        if self.omnichannel_own_quiet_hours:
            start, end = self.omnichannel_quiet_start, self.omnichannel_quiet_end
        elif self.env.company.omnichannel_quiet_hours:
            start, end = (
                self.env.company.omnichannel_quiet_start,
                self.env.company.omnichannel_quiet_end,
            )
        else:
            return None
        return (start, end) if start != end else None

    def _omnichannel_nps_url(self):
        """The page where the customer answers their pending NPS survey."""
        self.ensure_one()
        response = self.env["omnichannel.nps.response"]._pending_for(self)
        return f"{self.get_base_url()}/omnichannel/nps/{response.access_token}" if response else ""

    def _omnichannel_retarget_if_changed(self, levels_before):
        """Open tickets of customers whose service level changed get the targets of the new level."""
        changed = self.filtered(
            lambda partner: partner.omnichannel_service_level_id != levels_before.get(partner)
        )
        if changed:
            self.env["helpdesk.ticket"].sudo().search(
                [
                    ("commercial_partner_id", "in", changed.commercial_partner_id.ids),
                    ("closed", "=", False),
                ]
            )._omnichannel_retarget()

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
