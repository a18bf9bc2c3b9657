# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

BATCH_SIZE = 10_000


class OmnichannelLoyaltyTier(models.Model):
    """A rung of a loyalty program's membership ladder (bronze, silver, gold): customers qualify by
    the points they earned over a rolling window, and higher tiers earn points faster."""

    _name = "omnichannel.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, sequence, min_points, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Rank: a higher tier comes later.")
    active = fields.Boolean(default=True)
    program_id = fields.Many2one(
        "loyalty.program", string="Loyalty program", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True, index=True)
    min_points = fields.Float(
        string="Points to qualify",
        help="Points earned in the program over the qualification window to reach this tier.",
    )
    window_months = fields.Integer(string="Qualification window (months)", default=12)
    points_multiplier = fields.Float(
        default=1.0, help="Points earned are multiplied by this; the bonus is its own history line."
    )
    grace_days = fields.Integer(
        string="Grace period (days)",
        default=30,
        help="A customer below this tier's threshold keeps it this many days before moving down.",
    )
    privileges = fields.Html(translate=True)
    color = fields.Integer()
    service_level_id = fields.Many2one(
        "omnichannel.service.level",
        string="Service level",
        help="The service level of the tier's members (e.g. Gold: the 48-hour complaint lane), "
        "unless set on the customer by hand.",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "multiplier_positive",
            "CHECK(points_multiplier >= 1)",
            "The points multiplier is at least 1.",
        ),
        (
            "window_positive",
            "CHECK(window_months > 0)",
            "The qualification window is at least a month.",
        ),
        ("grace_positive", "CHECK(grace_days >= 0)", "The grace period cannot be negative."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("omnichannel_tier_id", "in", self.ids)], ["omnichannel_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.constrains("program_id", "min_points", "sequence")
    def _check_ladder(self):
        for program in self.program_id:
            tiers = self.search([("program_id", "=", program.id)], order="sequence, id")
            thresholds = tiers.mapped("min_points")
            if thresholds != sorted(thresholds) or len(set(thresholds)) != len(thresholds):
                raise ValidationError(
                    self.env._(
                        "The tiers of %(program)s must need more points as their rank rises, each "
                        "a different amount.",
                        program=program.display_name,
                    )
                )

    def write(self, vals):
        # The tier grants its members a service level: when it grants another one, their open
        # tickets take the targets of the new level.
        members = levels = None
        if "service_level_id" in vals:
            members = self.env["res.partner"].search(
                [("commercial_partner_id.omnichannel_loyalty_tier_id", "in", self.ids)]
            )
            levels = {partner: partner.omnichannel_service_level_id for partner in members}
        result = super().write(vals)
        if members:
            self.env.flush_all()
            members._omnichannel_retarget_if_changed(levels)
        return result

    # ----------------------------------------------------------------------------------------------
    # Promotion and demotion
    # ----------------------------------------------------------------------------------------------

    def _window_start(self, today):
        """Since when points count towards this tier: the one rule of the tier job and of the
        card's points to go."""
        self.ensure_one()
        return fields.Datetime.to_datetime(today - relativedelta(months=self.window_months))

    @api.model
    def _cron_recompute(self):
        programs = self.search([]).program_id
        for program in programs:
            self._recompute_program(program)

    @api.model
    def _recompute_program(self, program, today=None):
        """Set each card of `program` to the tier its points earned over the window qualify it for:
        promotion at once, demotion only after the current tier's grace period. Set-wise: one query
        for the points of every card, then one update per batch. Returns the cards that changed."""
        # Tier names and timeline events in the language of the program's company's agents.
        tiers = self.with_context(lang=program.company_id._omnichannel_lang()).search(
            [("program_id", "=", program.id)], order="sequence, id"
        )
        if not tiers:
            return self.env["loyalty.card"]
        today = today or fields.Date.context_today(self)
        # Each tier counts the points of its own window: one sum per distinct window, in one query.
        starts = sorted({tier._window_start(today) for tier in tiers})
        sums = ", ".join(
            "COALESCE(SUM(history.issued) FILTER (WHERE history.create_date >= %s), 0)"
            for _start in starts
        )
        self.env.flush_all()
        self.env.cr.execute(
            f"""
            SELECT card.id, card.omnichannel_tier_id, card.omnichannel_tier_below_since, {sums}
              FROM loyalty_card card
              LEFT JOIN loyalty_history history
                     ON history.card_id = card.id AND history.create_date >= %s
                    -- a compensation's points are a gesture, not earned: they buy no tier
                    AND history.order_model IS DISTINCT FROM 'omnichannel.compensation'
             WHERE card.program_id = %s AND card.partner_id IS NOT NULL
             GROUP BY card.id
            """,
            (*starts, starts[0], program.id),
        )
        rank = {tier.id: index for index, tier in enumerate(tiers)}
        thresholds = [
            (tier.id, tier.min_points, starts.index(tier._window_start(today))) for tier in tiers
        ]
        window_of = {tier_id: window for tier_id, _min_points, window in thresholds}
        grace = {tier.id: tier.grace_days for tier in tiers}
        changes, below_set, below_cleared = [], [], []
        for card_id, current, below_since, *points_since in self.env.cr.fetchall():
            qualified = None
            for tier_id, min_points, window in thresholds:
                if points_since[window] >= min_points:
                    qualified = tier_id
            # What the history shows: the points that qualify, else those of the longest window.
            points = points_since[window_of.get(qualified, 0)]
            if qualified == current:
                if below_since:
                    below_cleared.append(card_id)
                continue
            if current is None or (qualified is not None and rank[qualified] > rank[current]):
                changes.append((card_id, current, qualified, points))
            elif not below_since:
                below_set.append(card_id)
            elif (today - below_since).days >= grace[current]:
                changes.append((card_id, current, qualified, points))
        tiers._write_tier_states(changes, below_set, below_cleared, today)
        return self.env["loyalty.card"].browse([change[0] for change in changes])

    def _write_tier_states(self, changes, below_set, below_cleared, today):
        cr = self.env.cr
        now = fields.Datetime.now()
        for start in range(0, len(changes), BATCH_SIZE):
            batch = changes[start : start + BATCH_SIZE]
            cr.execute(
                """
                UPDATE loyalty_card card
                   SET omnichannel_tier_id = change.tier_id, omnichannel_tier_since = %s,
                       omnichannel_tier_below_since = NULL
                  FROM (SELECT unnest(%s::int[]) AS card_id, unnest(%s::int[]) AS tier_id) change
                 WHERE card.id = change.card_id
                """,
                (now, [c[0] for c in batch], [c[2] for c in batch]),
            )
        if below_set:
            cr.execute(
                "UPDATE loyalty_card SET omnichannel_tier_below_since = %s WHERE id = ANY(%s)",
                (today, below_set),
            )
        if below_cleared:
            cr.execute(
                "UPDATE loyalty_card SET omnichannel_tier_below_since = NULL WHERE id = ANY(%s)",
                (below_cleared,),
            )
        self.env["loyalty.card"].invalidate_model(
            ["omnichannel_tier_id", "omnichannel_tier_since", "omnichannel_tier_below_since"]
        )
        if changes:
            self._record_tier_changes(changes, now)

    def _record_tier_changes(self, changes, when):
        """History and timeline rows of the changes, inserted set-wise; the partners' tier follows
        their cards. (Automated actions react to a tier change with a time-based trigger on the
        partner's "Tier since".)"""
        cards = self.env["loyalty.card"].browse([change[0] for change in changes])
        tiers = self.browse({c[1] for c in changes if c[1]} | {c[2] for c in changes if c[2]})
        rank = {tier.id: (tier.sequence, tier.id) for tier in tiers}
        names = {tier.id: tier.name for tier in tiers}
        texts = {}  # one translation per (direction, tier), not per change
        summaries = []
        for _card_id, old, new, _points in changes:
            promoted = bool(new and (not old or rank[new] > rank[old]))
            if (promoted, new) not in texts:
                name = names[new] if new else self.env._("no tier")
                texts[promoted, new] = (
                    self.env._("Promoted to %(tier)s", tier=name)
                    if promoted
                    else self.env._("Moved down to %(tier)s", tier=name)
                )
            summaries.append(texts[promoted, new])
        cr = self.env.cr
        for start in range(0, len(changes), BATCH_SIZE):
            batch = changes[start : start + BATCH_SIZE]
            params = {
                "cards": [c[0] for c in batch],
                "olds": [c[1] for c in batch],
                "news": [c[2] for c in batch],
                "points": [c[3] for c in batch],
                "summaries": summaries[start : start + BATCH_SIZE],
                "when": when,
                "uid": self.env.uid,
                "company": self.env.company.id,
            }
            cr.execute(
                """
                INSERT INTO omnichannel_loyalty_tier_history
                       (card_id, partner_id, program_id, company_id, old_tier_id, new_tier_id, date,
                        points, create_uid, write_uid, create_date, write_date)
                SELECT card.id, card.partner_id, card.program_id, card.company_id, change.old,
                       change.new, %(when)s, change.points, %(uid)s, %(uid)s, %(when)s, %(when)s
                  FROM unnest(%(cards)s::int[], %(olds)s::int[], %(news)s::int[],
                              %(points)s::float[]) AS change(card, old, new, points)
                  JOIN loyalty_card card ON card.id = change.card
                """,
                params,
            )
            cr.execute(
                """
                INSERT INTO omnichannel_interaction
                       (partner_id, commercial_partner_id, channel, direction, interaction_type,
                        date, summary, company_id, source_ref, create_uid, write_uid, create_date,
                        write_date)
                SELECT card.partner_id, partner.commercial_partner_id, 'other', 'outbound', 'event',
                       %(when)s, change.summary, COALESCE(card.company_id, %(company)s),
                       'loyalty.card,' || card.id, %(uid)s, %(uid)s, %(when)s, %(when)s
                  FROM unnest(%(cards)s::int[], %(summaries)s::varchar[]) AS change(card, summary)
                  JOIN loyalty_card card ON card.id = change.card
                  JOIN res_partner partner ON partner.id = card.partner_id
                """,
                params,
            )
        self.env["omnichannel.loyalty.tier.history"].invalidate_model()
        self.env["omnichannel.interaction"].invalidate_model()
        cards.partner_id._update_omnichannel_loyalty_tier()
