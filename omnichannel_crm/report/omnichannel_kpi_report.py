# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL

from ..models.omnichannel_data import CHANNELS
from .omnichannel_kpi_fact import AVERAGED_MEASURES, SUMMED_MEASURES

# A customer who contacts again within this many days after a ticket is solved was not helped at the
# first contact.
FCR_DAYS = 7
# Every measure with its aggregate, as a pivot asks for them.
MEASURES = [
    *(f"{measure}:sum" for measure in SUMMED_MEASURES),
    *(f"{measure}:avg" for measure in AVERAGED_MEASURES),
]


class OmnichannelKpiReport(models.Model):
    """Customer service KPIs per channel, team, agent, service level, loyalty tier and day, over the
    timeline, tickets, SLA targets and ratings: a fact table, one row per contact, ticket event
    (created, first answer, solved, rated) and finished SLA target, each dated by the event it
    measures, so that a past period never changes when a later ticket is solved. Each measure is set
    on the rows it is about, so that sums and averages of any grouping are exact (an average ignores
    the rows where its measure is empty).

    The rows are written set-wise by `_refresh`: what changed since the last refresh (a job every
    few minutes, or *Refresh now*) is deleted and inserted again. Rows go with their contact,
    ticket or target (cascade). The pivot, graph, dashboard and digests read the rows' totals per
    hour (`omnichannel.kpi.total`, kept by the database as rows come and go) whenever their
    grouping and filters allow, the rows themselves otherwise."""

    _name = "omnichannel.kpi.report"
    _inherit = "omnichannel.kpi.fact"
    _description = "Customer Service KPIs"
    _order = "date desc"
    _rec_name = "date"
    _log_access = False

    channel = fields.Selection(CHANNELS, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    interaction_id = fields.Many2one(
        "omnichannel.interaction", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    sla_line_id = fields.Many2one(
        "helpdesk.ticket.sla",
        string="SLA target",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    compensation_id = fields.Many2one(
        "omnichannel.compensation", readonly=True, index="btree_not_null", ondelete="cascade"
    )

    def init(self):
        cr = self.env.cr
        # When the last refresh saw the sources: one row.
        cr.execute(
            "CREATE TABLE IF NOT EXISTS omnichannel_kpi_refresh"
            " (id int PRIMARY KEY, refreshed_at timestamp NOT NULL)"
        )
        # What changed since then is found by its write date.
        for table in ("omnichannel_interaction", "helpdesk_ticket", "helpdesk_ticket_sla"):
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (write_date)",
                    SQL.identifier(f"{table}_omnichannel_kpi_write_date_index"),
                    SQL.identifier(table),
                )
            )

    # ----------------------------------------------------------------------------------------------
    # Refresh
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _refreshed_at(self):
        self.env.cr.execute("SELECT refreshed_at FROM omnichannel_kpi_refresh WHERE id = 1")
        row = self.env.cr.fetchone()
        return row and row[0]

    @api.model
    def _refresh(self, full=False):
        """Bring the rows up to date: everything on the first run (or with `full`), else only the
        contacts and tickets written since the last refresh. Returns the number of rows written."""
        cr = self.env.cr
        self.env.flush_all()
        # One refresh at a time (the job and a manager's *Refresh now*).
        cr.execute("SELECT pg_advisory_xact_lock(hashtext('omnichannel_kpi_refresh'))")
        since = self._refreshed_at()
        # The next refresh starts from the oldest transaction still open: a change that commits
        # after this refresh carries a write date at least that old, so none is missed.
        cr.execute(
            """
            SELECT LEAST(now(), COALESCE(min(xact_start), now())) AT TIME ZONE 'UTC'
              FROM pg_stat_activity
             WHERE datname = current_database() AND xact_start IS NOT NULL
               AND pid != pg_backend_pid()
            """
        )
        next_since = cr.fetchone()[0]
        if full or since is None:
            cr.execute("TRUNCATE omnichannel_kpi_report, omnichannel_kpi_total")
            written = (
                self._insert_contacts(SQL("TRUE"))
                + self._insert_ticket_rows(SQL("TRUE"))
                + self._insert_compensations(SQL("TRUE"))
            )
        else:
            written = self._refresh_changes(since)
        cr.execute(
            """
            INSERT INTO omnichannel_kpi_refresh (id, refreshed_at) VALUES (1, %s)
            ON CONFLICT (id) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at
            """,
            (next_since,),
        )
        self.invalidate_model()
        return written

    def _refresh_changes(self, since):
        cr = self.env.cr
        # Tickets whose rows may change: written, or their targets, answers or ratings were; and
        # the solved tickets whose customer wrote again (first-contact resolution).
        cr.execute(
            """
            SELECT id FROM helpdesk_ticket WHERE write_date >= %(since)s
            UNION SELECT ticket_id FROM helpdesk_ticket_sla WHERE write_date >= %(since)s
            UNION SELECT ticket_id FROM omnichannel_compensation WHERE write_date >= %(since)s
            UNION SELECT ticket_id FROM omnichannel_interaction
                   WHERE write_date >= %(since)s AND ticket_id IS NOT NULL
            UNION SELECT res_id FROM rating_rating
                   WHERE write_date >= %(since)s AND res_model = 'helpdesk.ticket'
            UNION SELECT t.id
                    FROM omnichannel_interaction i
                    JOIN helpdesk_ticket t ON t.commercial_partner_id = i.commercial_partner_id
                   WHERE i.write_date >= %(since)s AND i.direction = 'inbound'
                     AND t.closed_date < i.date
                     AND t.closed_date >= i.date - %(fcr_days)s * interval '1 day'
            """,
            {"since": since, "fcr_days": FCR_DAYS},
        )
        tickets = [row[0] for row in cr.fetchall() if row[0]]
        # Two selects rather than an OR: each uses its index (write date, ticket).
        cr.execute(
            """
            SELECT id FROM omnichannel_interaction WHERE write_date >= %s
            UNION SELECT id FROM omnichannel_interaction WHERE ticket_id = ANY(%s)
            """,
            (since, tickets),
        )
        return self._refresh_records([row[0] for row in cr.fetchall()], tickets)

    @api.model
    def _refresh_records(self, contacts, tickets):
        """Write again the rows of these interactions and tickets (ids)."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM omnichannel_kpi_report WHERE interaction_id = ANY(%s)", (contacts,))
        cr.execute("DELETE FROM omnichannel_kpi_report WHERE ticket_id = ANY(%s)", (tickets,))
        return (
            self._insert_contacts(SQL("i.id = ANY(%s)", contacts))
            + self._insert_ticket_rows(SQL("t.id = ANY(%s)", tickets))
            + self._insert_compensations(SQL("t.id = ANY(%s)", tickets))
        )

    def _insert_contacts(self, where):
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO omnichannel_kpi_report
                   (kind, date, company_id, channel, team_id, user_id, partner_id,
                    service_level_id, loyalty_tier_id, category_id, interaction_id,
                    contacts_in, contacts_out, speed_of_answer_seconds)
            SELECT 'contact', i.date, i.company_id, i.channel, t.team_id, i.user_id,
                   i.commercial_partner_id, p.omnichannel_service_level_id, p.omnichannel_loyalty_tier_id,
                   t.category_id, i.id,
                   (i.direction = 'inbound')::int, (i.direction = 'outbound')::int,
                   -- how long a customer's answered call rang, when the telephony system said
                   CASE WHEN i.interaction_type = 'call' AND i.direction = 'inbound'
                             AND i.call_outcome = 'answered' AND i.call_wait_seconds IS NOT NULL
                        THEN i.call_wait_seconds END
              FROM omnichannel_interaction i
              JOIN res_partner p ON p.id = i.commercial_partner_id
              LEFT JOIN helpdesk_ticket t ON t.id = i.ticket_id
             WHERE i.interaction_type != 'event' AND %s
                """,
                where,
            )
        )
        return self.env.cr.rowcount

    def _insert_ticket_rows(self, where):
        """The rows of the tickets matching `where` (on `t`): created, first answer, solved, rated,
        and each finished SLA target, each on its own date."""
        self.env.cr.execute(
            SQL(
                """
            WITH ticket AS (
                SELECT t.id, t.create_date, t.closed_date, t.company_id,
                       COALESCE(ch.omnichannel_channel, 'other') AS channel, t.team_id, t.user_id,
                       t.commercial_partner_id AS partner_id,
                       t.omnichannel_service_level_id AS service_level_id,
                       p.omnichannel_loyalty_tier_id AS loyalty_tier_id, t.category_id,
                       COALESCE(stage.closed, FALSE) AS closed
                  FROM helpdesk_ticket t
                  LEFT JOIN res_partner p ON p.id = t.commercial_partner_id
                  LEFT JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
                  LEFT JOIN helpdesk_ticket_channel ch ON ch.id = t.channel_id
                 WHERE t.active AND %(where)s
            ), answer AS (
                -- as omnichannel.interaction._omnichannel_answer_date: an agent's message out,
                -- or an answered call with an agent once it stopped ringing
                SELECT i.ticket_id,
                       min(i.date + COALESCE(i.call_wait_seconds, 0) * interval '1 second')
                           AS first_date
                  FROM omnichannel_interaction i
                  JOIN ticket ON ticket.id = i.ticket_id
                  JOIN res_users u ON u.id = i.user_id
                 WHERE NOT u.share AND u.id != %(superuser)s
                   AND CASE i.interaction_type
                           WHEN 'message' THEN i.direction = 'outbound'
                           WHEN 'call' THEN i.call_outcome = 'answered'
                           ELSE FALSE END
                 GROUP BY i.ticket_id
            ), rating AS (
                SELECT DISTINCT ON (r.res_id) r.res_id, r.rating AS value, r.write_date
                  FROM rating_rating r
                  JOIN ticket ON ticket.id = r.res_id
                 WHERE r.res_model = 'helpdesk.ticket' AND r.consumed AND r.rating > 0
                 ORDER BY r.res_id, r.write_date DESC, r.id DESC
            ), fact AS (
                SELECT 'ticket' AS kind, ticket.create_date AS date, ticket.id AS ticket_id,
                       NULL::int AS sla_line_id, 1 AS tickets_created, 0 AS tickets_solved,
                       (NOT ticket.closed)::int AS backlog, NULL::float AS first_response_minutes,
                       NULL::float AS resolution_hours, NULL::float AS sla_met_pct,
                       NULL::float AS csat, 0 AS csat_count, NULL::float AS fcr_pct
                  FROM ticket
                UNION ALL
                SELECT 'response', answer.first_date, ticket.id, NULL, 0, 0, 0,
                       -- a call answered before the pipeline opened its ticket: at once
                       GREATEST(EXTRACT(EPOCH FROM answer.first_date - ticket.create_date), 0)
                           / 60.0,
                       NULL, NULL, NULL, 0, NULL
                  FROM ticket JOIN answer ON answer.ticket_id = ticket.id
                UNION ALL
                SELECT 'solved', ticket.closed_date, ticket.id, NULL, 0, 1, 0, NULL,
                       EXTRACT(EPOCH FROM ticket.closed_date - ticket.create_date) / 3600.0,
                       NULL, NULL, 0,
                       CASE WHEN EXISTS (
                            SELECT 1 FROM omnichannel_interaction i
                             WHERE i.commercial_partner_id = ticket.partner_id
                               AND i.direction = 'inbound' AND i.interaction_type != 'event'
                               AND i.date > ticket.closed_date
                               AND i.date <= ticket.closed_date + %(fcr_days)s * interval '1 day'
                            ) THEN 0.0 ELSE 100.0 END
                  FROM ticket
                 WHERE ticket.closed AND ticket.closed_date IS NOT NULL
                UNION ALL
                SELECT 'rating', rating.write_date, ticket.id, NULL, 0, 0, 0, NULL, NULL, NULL,
                       rating.value, 1, NULL
                  FROM ticket JOIN rating ON rating.res_id = ticket.id
                UNION ALL
                -- a target finishes when it is met, or at its deadline when breached
                SELECT 'sla',
                       CASE WHEN line.omnichannel_status = 'met'
                            THEN COALESCE(line.omnichannel_met_date, line.deadline,
                                          line.omnichannel_start_date)
                            ELSE COALESCE(line.deadline, line.omnichannel_start_date) END,
                       ticket.id, line.id, 0, 0, 0, NULL, NULL,
                       CASE WHEN line.omnichannel_status = 'met' THEN 100.0 ELSE 0.0 END,
                       NULL, 0, NULL
                  FROM ticket JOIN helpdesk_ticket_sla line ON line.ticket_id = ticket.id
                 WHERE line.omnichannel_status IN ('met', 'breached')
            )
            INSERT INTO omnichannel_kpi_report
                   (kind, date, company_id, channel, team_id, user_id, partner_id,
                    service_level_id, loyalty_tier_id, category_id, ticket_id, sla_line_id,
                    tickets_created, tickets_solved, backlog, first_response_minutes,
                    resolution_hours, sla_met_pct, csat, csat_count, fcr_pct)
            SELECT fact.kind, fact.date, ticket.company_id, ticket.channel, ticket.team_id,
                   ticket.user_id, ticket.partner_id, ticket.service_level_id,
                   ticket.loyalty_tier_id, ticket.category_id, ticket.id, fact.sla_line_id,
                   fact.tickets_created, fact.tickets_solved, fact.backlog,
                   fact.first_response_minutes, fact.resolution_hours, fact.sla_met_pct,
                   fact.csat, fact.csat_count, fact.fcr_pct
              FROM fact JOIN ticket ON ticket.id = fact.ticket_id
                """,
                where=where,
                fcr_days=FCR_DAYS,
                superuser=SUPERUSER_ID,
            )
        )
        return self.env.cr.rowcount

    def _insert_compensations(self, where):
        """A row per compensation granted on the tickets matching `where` (on `t`), dated when it
        was granted, on the ticket's channel and by the agent who granted it."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO omnichannel_kpi_report
                   (kind, date, company_id, channel, team_id, user_id, partner_id,
                    service_level_id, loyalty_tier_id, category_id, ticket_id, compensation_id,
                    compensations, compensation_value)
            SELECT 'compensation', c.date, c.company_id, COALESCE(ch.omnichannel_channel, 'other'),
                   t.team_id, c.user_id, t.commercial_partner_id, t.omnichannel_service_level_id,
                   p.omnichannel_loyalty_tier_id, t.category_id, t.id, c.id, 1, c.value
              FROM omnichannel_compensation c
              JOIN helpdesk_ticket t ON t.id = c.ticket_id
              LEFT JOIN res_partner p ON p.id = t.commercial_partner_id
              LEFT JOIN helpdesk_ticket_channel ch ON ch.id = t.channel_id
             WHERE t.active AND %s
                """,
                where,
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _cron_refresh(self):
        self._refresh()
