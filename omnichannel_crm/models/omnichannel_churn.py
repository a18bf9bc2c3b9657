# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from .omnichannel_data import TREND_DAYS, TREND_MIN_PREVIOUS

# The segment of each cell of the recency (R) by frequency (F) grid of scores, as
# (segment, (lowest R, highest R), (lowest F, highest F)). The cells are disjoint and cover the
# grid, so that every customer is in exactly one segment:
#
#            F=1            F=2            F=3             F=4        F=5
#   R=5      Promising      Promising      Need attention  Champions  Champions
#   R=4      Promising      Promising      Need attention  Champions  Champions
#   R=3      Need attention Need attention Need attention  Loyal      Loyal
#   R=2      Hibernating    Hibernating    At risk         At risk    At risk
#   R=1      Hibernating    Hibernating    At risk         At risk    At risk
RFM_SEGMENT_GRID = [
    ("champions", (4, 5), (4, 5)),
    ("loyal", (3, 3), (4, 5)),
    ("promising", (4, 5), (1, 2)),
    ("need_attention", (3, 3), (1, 3)),
    ("need_attention", (4, 5), (3, 3)),
    ("at_risk", (1, 2), (3, 5)),
    ("hibernating", (1, 2), (1, 2)),
]

# Frequency and monetary value count over this window.
RFM_WINDOW_DAYS = 365
# Satisfaction is low when the average of the ratings given in this window is below LOW_CSAT (of 5).
CSAT_WINDOW_DAYS = 180
LOW_CSAT = 3
# An open ticket flagged as a complaint, or of this priority (Very High), is a complaint.
COMPLAINT_PRIORITY = "3"
# The churn score adds these points per signal (at most 100 in all).
LOW_RECENCY_SCORE = 2  # the signal: a recency score at or below this
CHURN_POINTS = {"dormant": 30, "declining": 25, "unhappy": 25, "complaint": 20}


class OmnichannelChurn(models.AbstractModel):
    """The nightly customer scoring: RFM scores and segment, and a churn risk score with its
    reasons, for every customer, in set-wise SQL. A customer is a partner without parent, active,
    with at least one interaction or loyalty card. When a customer's score reaches the threshold
    of their company, their account manager gets a retention to-do."""

    _name = "omnichannel.churn"
    _description = "Customer Churn and RFM Scoring"

    @api.model
    def _cron_compute(self):
        self._alert_crossing(self._compute_scores())

    @api.model
    def _compute_scores(self):
        """Score every customer in one statement, and clear the scores of partners that are no
        longer customers (archived, or now a company's contact). Returns the customers whose score
        reached their company's threshold in this run (at risk now, not at the previous run)."""
        self.env.flush_all()
        self.env.cr.execute(self._scoring_query(fields.Datetime.now()))
        crossing = self.env["res.partner"].browse([row[0] for row in self.env.cr.fetchall()])
        self.env["res.partner"].invalidate_model(
            [
                "omnichannel_rfm_recency",
                "omnichannel_rfm_frequency",
                "omnichannel_rfm_monetary",
                "omnichannel_rfm_segment",
                "omnichannel_churn_score",
                "omnichannel_churn_reasons",
                "omnichannel_churn_risk",
            ]
        )
        return crossing

    def _scoring_query(self, now):
        segment = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL(
                    "WHEN r BETWEEN %s AND %s AND f BETWEEN %s AND %s THEN %s",
                    r_low,
                    r_high,
                    f_low,
                    f_high,
                    name,
                )
                for name, (r_low, r_high), (f_low, f_high) in RFM_SEGMENT_GRID
            ),
        )
        # Reasons are built in SQL from translated fragments; their {placeholders} are replaced
        # there by each customer's figures.
        return SQL(
            """
            WITH contacts AS (
                -- Events (ticket opened, tier changed) repeat a contact or are ours: not counted.
                SELECT commercial_partner_id AS partner_id,
                       MAX(date) FILTER (WHERE contact) AS last_contact,
                       COUNT(*) FILTER (WHERE contact AND date >= %(year_ago)s) AS frequency,
                       COUNT(*) FILTER (WHERE contact AND date >= %(trend_start)s) AS recent,
                       COUNT(*) FILTER (WHERE contact AND date >= %(previous_start)s
                                          AND date < %(trend_start)s) AS previous
                  FROM (SELECT commercial_partner_id, date,
                               direction = 'inbound' AND interaction_type != 'event' AS contact
                          FROM omnichannel_interaction) interaction
                 GROUP BY commercial_partner_id
            ), points AS (
                SELECT holder.commercial_partner_id AS partner_id,
                       COALESCE(SUM(history.issued) FILTER (
                           WHERE history.create_date >= %(year_ago)s), 0) AS monetary
                  FROM loyalty_card card
                  JOIN loyalty_program program ON program.id = card.program_id
                  JOIN res_partner holder ON holder.id = card.partner_id
                  LEFT JOIN loyalty_history history ON history.card_id = card.id
                       -- what the customer earned by buying, not what we gave them
                       AND history.order_model IS DISTINCT FROM 'omnichannel.compensation'
                 WHERE program.program_type = 'loyalty'
                 GROUP BY holder.commercial_partner_id
            ), customers AS (
                SELECT partner.id, COALESCE(partner.company_id, %(company)s) AS company_id,
                       COALESCE(partner.omnichannel_churn_risk, FALSE) AS was_at_risk,
                       contacts.last_contact, COALESCE(contacts.frequency, 0) AS frequency,
                       COALESCE(contacts.recent, 0) AS recent,
                       COALESCE(contacts.previous, 0) AS previous,
                       COALESCE(points.monetary, 0) AS monetary
                  FROM res_partner partner
                  LEFT JOIN contacts ON contacts.partner_id = partner.id
                  LEFT JOIN points ON points.partner_id = partner.id
                 WHERE partner.parent_id IS NULL AND partner.active
                   AND (contacts.partner_id IS NOT NULL OR points.partner_id IS NOT NULL)
            ), ranked AS (
                -- Ties go by id, so that a rerun on the same data gives the same scores.
                SELECT customers.*,
                       ntile(5) OVER (ORDER BY last_contact ASC NULLS FIRST, id) AS r,
                       ntile(5) OVER (ORDER BY frequency, id) AS f,
                       ntile(5) OVER (ORDER BY monetary, id) AS m
                  FROM customers
            ), satisfaction AS (
                SELECT rater.commercial_partner_id AS partner_id, AVG(rating.rating) AS csat
                  FROM rating_rating rating
                  JOIN res_partner rater ON rater.id = rating.partner_id
                 WHERE rating.consumed AND rating.rating > 0
                   AND rating.write_date >= %(csat_start)s
                 GROUP BY rater.commercial_partner_id
            ), complaints AS (
                SELECT ticket.commercial_partner_id AS partner_id, COUNT(*) AS open_complaints
                  FROM helpdesk_ticket ticket
                  JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                 WHERE (ticket.priority = %(complaint_priority)s OR ticket.omnichannel_complaint)
                   AND ticket.active
                   AND NOT stage.closed
                 GROUP BY ticket.commercial_partner_id
            ), signals AS (
                SELECT ranked.*, company.omnichannel_churn_threshold AS threshold,
                       ranked.r <= %(low_recency)s AS dormant,
                       ranked.previous >= %(min_previous)s
                           AND ranked.recent * 2 < ranked.previous AS declining,
                       satisfaction.csat,
                       COALESCE(satisfaction.csat < %(low_csat)s, FALSE) AS unhappy,
                       COALESCE(complaints.open_complaints, 0) AS complaints
                  FROM ranked
                  JOIN res_company company ON company.id = ranked.company_id
                  LEFT JOIN satisfaction ON satisfaction.partner_id = ranked.id
                  LEFT JOIN complaints ON complaints.partner_id = ranked.id
            ), scored AS (
                SELECT id, r, f, m, was_at_risk, threshold, %(segment)s AS segment,
                       LEAST(100, CASE WHEN dormant THEN %(dormant_points)s ELSE 0 END
                                + CASE WHEN declining THEN %(declining_points)s ELSE 0 END
                                + CASE WHEN unhappy THEN %(unhappy_points)s ELSE 0 END
                                + CASE WHEN complaints > 0 THEN %(complaint_points)s ELSE 0 END
                       ) AS score,
                       NULLIF(concat_ws('; ',
                           CASE WHEN dormant AND last_contact IS NULL THEN %(never_text)s
                                WHEN dormant THEN replace(%(dormant_text)s, '{days}',
                                    EXTRACT(DAY FROM %(now)s - last_contact)::int::text)
                           END,
                           CASE WHEN declining THEN %(declining_text)s END,
                           CASE WHEN unhappy THEN
                                replace(%(unhappy_text)s, '{csat}', to_char(csat, 'FM0.0'))
                           END,
                           CASE WHEN complaints > 0 THEN
                                replace(%(complaint_text)s, '{count}', complaints::text)
                           END), '') AS reasons
                  FROM signals
            ), targets AS (
                -- The customers, and the partners scored before that no longer are: cleared.
                SELECT partner.id, scored.r, scored.f, scored.m, scored.segment, scored.score,
                       scored.reasons,
                       CASE WHEN scored.score >= scored.threshold THEN TRUE END AS at_risk,
                       COALESCE(scored.score >= scored.threshold AND NOT scored.was_at_risk,
                                FALSE) AS crossing
                  FROM res_partner partner
                  LEFT JOIN scored ON scored.id = partner.id
                 WHERE scored.id IS NOT NULL OR partner.omnichannel_rfm_segment IS NOT NULL
            ), updated AS (
                -- "At risk" is TRUE or NULL, never FALSE: its index holds the few at risk only.
                UPDATE res_partner partner
                   SET omnichannel_rfm_recency = targets.r,
                       omnichannel_rfm_frequency = targets.f,
                       omnichannel_rfm_monetary = targets.m,
                       omnichannel_rfm_segment = targets.segment,
                       omnichannel_churn_score = targets.score,
                       omnichannel_churn_reasons = targets.reasons,
                       omnichannel_churn_risk = targets.at_risk
                  FROM targets
                 WHERE partner.id = targets.id
                   AND (partner.omnichannel_rfm_recency, partner.omnichannel_rfm_frequency,
                        partner.omnichannel_rfm_monetary, partner.omnichannel_rfm_segment,
                        partner.omnichannel_churn_score, partner.omnichannel_churn_reasons,
                        partner.omnichannel_churn_risk)
                       IS DISTINCT FROM
                       (targets.r, targets.f, targets.m, targets.segment::varchar, targets.score,
                        targets.reasons::varchar, targets.at_risk)
             RETURNING partner.id, targets.crossing
            )
            SELECT id FROM updated WHERE crossing ORDER BY id
            """,
            now=now,
            year_ago=now - timedelta(days=RFM_WINDOW_DAYS),
            trend_start=now - timedelta(days=TREND_DAYS),
            previous_start=now - timedelta(days=2 * TREND_DAYS),
            csat_start=now - timedelta(days=CSAT_WINDOW_DAYS),
            company=self.env.company.id,
            complaint_priority=COMPLAINT_PRIORITY,
            low_recency=LOW_RECENCY_SCORE,
            min_previous=TREND_MIN_PREVIOUS,
            low_csat=LOW_CSAT,
            segment=segment,
            dormant_points=CHURN_POINTS["dormant"],
            declining_points=CHURN_POINTS["declining"],
            unhappy_points=CHURN_POINTS["unhappy"],
            complaint_points=CHURN_POINTS["complaint"],
            never_text=self.env._("No contact from the customer yet"),
            dormant_text=self.env._("No contact for %(days)s days", days="{days}"),
            declining_text=self.env._("contacts halved"),
            unhappy_text=self.env._("low satisfaction (%(csat)s/5)", csat="{csat}"),
            complaint_text=self.env._("open complaints: %(count)s", count="{count}"),
        )

    @api.model
    def _alert_crossing(self, customers):
        """A retention to-do for the account manager of each customer who just became at risk
        (customers without one are skipped), and the date of the crossing, written through the ORM
        so that automated actions on it run, for these few customers only."""
        if not customers:
            return
        for customer in customers:
            manager = customer._omnichannel_account_manager()
            if not manager:
                continue
            customer.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Retention: %(customer)s", customer=customer.display_name),
                note=plaintext2html(
                    self.env._(
                        "Churn risk %(score)s/100: %(reasons)s",
                        score=customer.omnichannel_churn_score,
                        reasons=customer.omnichannel_churn_reasons,
                    )
                ),
                user_id=manager.id,
            )
        customers.write({"omnichannel_churn_date": fields.Datetime.now()})
