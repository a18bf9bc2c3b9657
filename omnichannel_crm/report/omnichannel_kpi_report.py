# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL

from ..models.omnichannel_interaction import CHANNELS

# A customer who contacts again within this many days after a ticket is solved was not helped at the
# first contact.
FCR_DAYS = 7
# Every measure with its aggregate, as a pivot asks for them.
MEASURES = [
    "contacts_in:sum",
    "contacts_out:sum",
    "tickets_created:sum",
    "tickets_solved:sum",
    "backlog:sum",
    "first_response_minutes:avg",
    "resolution_hours:avg",
    "sla_met_pct:avg",
    "csat:avg",
    "csat_count:sum",
    "fcr_pct:avg",
]


class OmnichannelKpiReport(models.Model):
    """Customer service KPIs per channel, team, agent, service level, loyalty tier and day, over the
    timeline, tickets, SLA targets and ratings. One row per contact, ticket or SLA target; each
    measure is set on the rows it is about, so that sums and averages of any grouping are exact
    (an average ignores the rows where its measure is empty)."""

    _name = "omnichannel.kpi.report"
    _description = "Customer Service KPIs"
    _auto = False
    _order = "date desc"
    _rec_name = "date"

    kind = fields.Selection(
        [("contact", "Contact"), ("ticket", "Ticket"), ("sla", "SLA target")], readonly=True
    )
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    service_level_id = fields.Many2one(
        "omnichannel.service.level", string="Service level", readonly=True
    )
    loyalty_tier_id = fields.Many2one(
        "omnichannel.loyalty.tier", string="Loyalty tier", readonly=True
    )
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    contacts_in = fields.Integer(string="Contacts in", readonly=True)
    contacts_out = fields.Integer(string="Contacts out", readonly=True)
    tickets_created = fields.Integer(string="Tickets created", readonly=True)
    tickets_solved = fields.Integer(string="Tickets solved", readonly=True)
    backlog = fields.Integer(string="Open tickets", readonly=True)
    first_response_minutes = fields.Float(
        string="First response (min)", aggregator="avg", readonly=True
    )
    resolution_hours = fields.Float(string="Resolution (h)", aggregator="avg", readonly=True)
    sla_met_pct = fields.Float(string="SLA met %", aggregator="avg", readonly=True)
    csat = fields.Float(string="CSAT", aggregator="avg", readonly=True)
    csat_count = fields.Integer(string="Ratings", readonly=True)
    fcr_pct = fields.Float(string="First-contact resolution %", aggregator="avg", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT row_number() OVER () AS id, rows.*
              FROM (
            -- one row per contact
            SELECT 'contact' AS kind, i.date, i.company_id, i.channel,
                   t.team_id, i.user_id, i.commercial_partner_id AS partner_id,
                   p.service_level_id, p.omnichannel_loyalty_tier_id AS loyalty_tier_id,
                   t.category_id,
                   (i.direction = 'inbound')::int AS contacts_in,
                   (i.direction = 'outbound')::int AS contacts_out,
                   0 AS tickets_created, 0 AS tickets_solved, 0 AS backlog,
                   NULL::float AS first_response_minutes, NULL::float AS resolution_hours,
                   NULL::float AS sla_met_pct, NULL::float AS csat, 0 AS csat_count,
                   NULL::float AS fcr_pct
              FROM omnichannel_interaction i
              JOIN res_partner p ON p.id = i.commercial_partner_id
              LEFT JOIN helpdesk_ticket t ON t.id = i.ticket_id
             WHERE i.interaction_type != 'event'
            UNION ALL
            -- one row per ticket
            SELECT 'ticket', t.create_date, t.company_id, COALESCE(ch.omnichannel_channel, 'other'),
                   t.team_id, t.user_id, t.commercial_partner_id,
                   t.omnichannel_service_level_id, p.omnichannel_loyalty_tier_id, t.category_id,
                   0, 0, 1, COALESCE(stage.closed, FALSE)::int,
                   (NOT COALESCE(stage.closed, FALSE))::int,
                   EXTRACT(EPOCH FROM answer.first_date - t.create_date) / 60.0,
                   CASE WHEN stage.closed THEN
                        EXTRACT(EPOCH FROM t.closed_date - t.create_date) / 3600.0 END,
                   NULL, rating.value, (rating.value IS NOT NULL)::int,
                   CASE WHEN stage.closed THEN
                        CASE WHEN recontact.found THEN 0.0 ELSE 100.0 END END
              FROM helpdesk_ticket t
              LEFT JOIN res_partner p ON p.id = t.commercial_partner_id
              LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
              LEFT JOIN helpdesk_ticket_channel ch ON ch.id = t.channel_id
              -- set-wise: one pass over the answers and the ratings, not one lookup per ticket
              LEFT JOIN (
                   SELECT i.ticket_id, min(i.date) AS first_date
                     FROM omnichannel_interaction i
                     JOIN res_users u ON u.id = i.user_id
                    WHERE i.ticket_id IS NOT NULL AND i.direction = 'outbound'
                      AND i.interaction_type != 'event' AND NOT u.share
                      AND u.id != %(superuser)s
                    GROUP BY i.ticket_id
                   ) answer ON answer.ticket_id = t.id
              LEFT JOIN (
                   SELECT DISTINCT ON (r.res_id) r.res_id, r.rating AS value
                     FROM rating_rating r
                    WHERE r.res_model = 'helpdesk.ticket' AND r.consumed AND r.rating > 0
                    ORDER BY r.res_id, r.write_date DESC, r.id DESC
                   ) rating ON rating.res_id = t.id
              LEFT JOIN LATERAL (
                   SELECT TRUE AS found
                     FROM omnichannel_interaction i
                    WHERE stage.closed AND i.commercial_partner_id = t.commercial_partner_id
                      AND i.direction = 'inbound' AND i.interaction_type != 'event'
                      AND i.date > t.closed_date
                      AND i.date <= t.closed_date + %(fcr_days)s * interval '1 day'
                    LIMIT 1
                   ) recontact ON TRUE
             WHERE t.active
            UNION ALL
            -- one row per finished SLA target (met or breached)
            SELECT 'sla', line.omnichannel_start_date, t.company_id,
                   COALESCE(ch.omnichannel_channel, 'other'),
                   t.team_id, t.user_id, t.commercial_partner_id,
                   t.omnichannel_service_level_id, p.omnichannel_loyalty_tier_id, t.category_id,
                   0, 0, 0, 0, 0, NULL, NULL,
                   CASE WHEN line.omnichannel_status = 'met' THEN 100.0 ELSE 0.0 END,
                   NULL, 0, NULL
              FROM helpdesk_ticket_sla line
              JOIN helpdesk_ticket t ON t.id = line.ticket_id
              LEFT JOIN res_partner p ON p.id = t.commercial_partner_id
              LEFT JOIN helpdesk_ticket_channel ch ON ch.id = t.channel_id
             WHERE line.omnichannel_status IN ('met', 'breached') AND t.active
              ) rows
            """,
            fcr_days=FCR_DAYS,
            superuser=SUPERUSER_ID,
        )

    @contextmanager
    def _without_jit(self):
        """PostgreSQL's JIT compiler spends seconds compiling this large query before running it
        (2.8 of 5.9 s over 1,000,000 contacts): turned off for the query, then set back."""
        cr = self.env.cr
        cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        previous = cr.fetchone()[0]
        try:
            yield
        finally:
            cr.execute("SELECT set_config('jit', %s, true)", (previous,))

    @api.model
    def _read_group(self, *args, **kwargs):
        with self._without_jit():
            return super()._read_group(*args, **kwargs)

    @api.model
    def _time_distribution(self, measure, domain=None):
        """Mean, median and 90th percentile of a time measure ("first_response_minutes" or
        "resolution_hours") over the rows of `domain`: what a pivot's average cannot show."""
        if measure not in ("first_response_minutes", "resolution_hours"):
            raise ValueError(measure)
        query = self._search(domain or [])
        with self._without_jit():
            self.env.cr.execute(
                SQL(
                    """
                SELECT avg(%(col)s), percentile_cont(0.5) WITHIN GROUP (ORDER BY %(col)s),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY %(col)s), count(*)
                  FROM %(from)s WHERE %(where)s AND %(col)s IS NOT NULL
                """,
                    col=SQL.identifier(self._table, measure),
                    **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
                )
            )
            mean, median, p90, count = self.env.cr.fetchone()
        return {"mean": mean, "median": median, "p90": p90, "count": count}
