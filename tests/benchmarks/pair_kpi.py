"""KPIs: the KPI pivot with every measure by channel (and by week), over the interactions,
tickets, their SLA targets and ratings, against the stock equivalent over the same tickets,
targets and ratings (the data both databases share): one SQL query computing the ticket measures
the stock tables can give (tickets created, solved and open, resolution hours, SLA targets met,
ratings and their average) by the same grouping, as a report written for a database without our
addons would. Ours is read two ways: from the KPI rows (`omnichannel.kpi.report`, one per
contact, ticket event and finished target) and from their totals per hour (what the pivot reads),
whose upkeep is timed too: the refresh after an hour of a busy desk (1,000 contacts, 200 tickets
changed, 50 ratings), which runs every 5 minutes (so the totals are up to 5 minutes and a refresh
old; the stock query is live)."""

import time

from odoo import Command

from .common import Sample, insert_partners
from .pairs import Pair

# (interactions, tickets, customers, ratings)
SIZES = {"reduced": (100_000, 20_000, 5_000, 5_000), "full": (1_000_000, 200_000, 50_000, 50_000)}


def insert_kpi_data(env, interactions, tickets_count, customers_count, ratings, ours=True):
    """Customers; tickets over 90 days, a quarter still open, each with three finished SLA targets
    (one in five breached); a rating on every fourth ticket up to `ratings`; with `ours`, the
    interactions: each ticket's customer message and agent answer, the rest without ticket.
    Returns the customers' ids."""
    cr = env.cr
    first_partner = insert_partners(env, customers_count, "KPI customer")
    # Ids as inserted: a sequence need not continue from the highest id.
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_partner WHERE id > %s", (first_partner,))
    customers = cr.fetchone()[0]
    team = env["helpdesk.ticket.team"].create({"name": "KPI bench"})
    stages = env["helpdesk.ticket.stage"].search([])
    open_stage = stages.filtered(lambda stage: not stage.closed)[:1]
    closed_stage = stages.filtered("closed")[:1]
    channels = env["helpdesk.ticket.channel"].search([]).ids
    policies = [
        env["helpdesk.sla"]
        .create({"name": f"KPI {k}", "hours": 4, "team_ids": [Command.set(team.ids)]})
        .id
        for k in range(3)
    ]
    env.flush_all()
    cr.execute("SELECT COALESCE(max(id), 0) FROM helpdesk_ticket")
    first_ticket = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, stage_id, team_id, company_id,
                                     channel_id, partner_id, commercial_partner_id, priority,
                                     active, create_uid, write_uid, create_date, write_date,
                                     closed_date)
        SELECT 'KPI' || g, 'Ticket ' || g, '<p>bench</p>',
               CASE WHEN g %% 4 = 0 THEN %(open)s ELSE %(closed)s END, %(team)s, %(company)s,
               (%(channels)s::int[])[1 + g %% %(nchannels)s],
               (%(customers)s::int[])[1 + g %% %(ncustomers)s],
               (%(customers)s::int[])[1 + g %% %(ncustomers)s], '1', TRUE, 1, 1,
               now() - (g %% 129600 || ' minutes')::interval, now(),
               now() - (g %% 129600 || ' minutes')::interval + interval '3 hours'
          FROM generate_series(1, %(tickets)s) g
        """,
        {
            "open": open_stage.id,
            "closed": closed_stage.id,
            "team": team.id,
            "company": env.company.id,
            "channels": channels,
            "nchannels": len(channels),
            "customers": customers,
            "ncustomers": len(customers),
            "tickets": tickets_count,
        },
    )
    cr.execute(
        "SELECT array_agg(id ORDER BY id) FROM helpdesk_ticket WHERE id > %s", (first_ticket,)
    )
    tickets = cr.fetchone()[0]
    ours_columns = (
        ", omnichannel_status, omnichannel_start_date, omnichannel_met_date" if ours else ""
    )
    ours_values = (
        """, CASE WHEN (t + k) %% 5 = 0 THEN 'breached' ELSE 'met' END, created,
             CASE WHEN (t + k) %% 5 = 0 THEN NULL ELSE created + interval '1 hour' END"""
        if ours
        else ""
    )
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, state, deadline, hours, consumed_time,
                                         create_uid, write_uid, create_date, write_date
                                         {ours_columns})
        SELECT t, (%(policies)s::int[])[k], 'accomplished', created + interval '4 hours', 4, 0,
               1, 1, now(), now() {ours_values}
          FROM (SELECT id AS t, create_date AS created FROM helpdesk_ticket WHERE id > %(first)s) x,
               generate_series(1, 3) k
        """,
        {"policies": policies, "first": first_ticket},
    )
    model = env["ir.model"]._get_id("helpdesk.ticket")
    cr.execute(
        """
        INSERT INTO rating_rating (res_model_id, res_model, res_id, rating, consumed, partner_id,
                                   access_token, create_uid, write_uid, create_date, write_date)
        SELECT %(model)s, 'helpdesk.ticket', t, 1 + t %% 5, TRUE, NULL, md5(t::text),
               1, 1, now(), now() - (t %% 129600 || ' minutes')::interval
          FROM unnest((%(tickets)s::int[])[1:%(ratings)s]) t
        """,
        {"model": model, "tickets": tickets[::4], "ratings": ratings},
    )
    if ours:
        cr.execute(
            """
            INSERT INTO omnichannel_interaction
                (partner_id, commercial_partner_id, channel, direction, interaction_type, date,
                 summary, ticket_id, user_id, company_id, create_uid, write_uid, create_date,
                 write_date)
            SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
                   CASE WHEN g %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message',
                   now() - (g %% 129600 || ' minutes')::interval, 'Message ' || g,
                   CASE WHEN g <= %(linked)s THEN (%(tickets)s::int[])[1 + (g - 1) / 2] END,
                   CASE WHEN g %% 2 = 1 THEN 2 END, %(company)s, 1, 1, now(), now()
              FROM (SELECT g, (%(customers)s::int[])[1 + g %% %(ncustomers)s] AS p
                      FROM generate_series(1, %(interactions)s) g) rows
            """,
            {
                "linked": 2 * tickets_count,
                "tickets": tickets,
                "company": env.company.id,
                "customers": customers,
                "ncustomers": len(customers),
                "interactions": interactions,
            },
        )
    env.invalidate_all()
    return customers


def _prepare(env, size, stock):
    insert_kpi_data(env, *SIZES[size], ours=not stock)
    if not stock:
        # Written before the rows were built, as a desk's history is: the next refresh takes only
        # what changed since (the data and the full refresh share this transaction's now()).
        for table in (
            "helpdesk_ticket",
            "helpdesk_ticket_sla",
            "omnichannel_interaction",
            "rating_rating",
        ):
            env.cr.execute(f"UPDATE {table} SET write_date = write_date - interval '1 hour'")
        env["omnichannel.kpi.report"]._refresh(full=True)
    return {}


# The stock equivalent: the measures the stock tables give, grouped as the pivot is.
STOCK_QUERY = """
    WITH targets AS (
        SELECT ticket_id, count(*) AS targets,
               count(*) FILTER (WHERE state = 'accomplished' AND deadline IS NOT NULL) AS met
          FROM helpdesk_ticket_sla GROUP BY ticket_id
    ), ratings AS (
        SELECT res_id, avg(rating) AS rating, count(*) AS ratings
          FROM rating_rating WHERE res_model = 'helpdesk.ticket' AND consumed GROUP BY res_id
    )
    SELECT {group} AS grouped, count(*) AS created,
           count(*) FILTER (WHERE stage.closed) AS solved,
           count(*) FILTER (WHERE NOT stage.closed) AS backlog,
           avg(EXTRACT(epoch FROM t.closed_date - t.create_date) / 3600)
               FILTER (WHERE stage.closed) AS resolution_hours,
           100.0 * sum(targets.met) / NULLIF(sum(targets.targets), 0) AS sla_met_pct,
           sum(ratings.rating * ratings.ratings) / NULLIF(sum(ratings.ratings), 0) AS csat,
           sum(ratings.ratings) AS csat_count
      FROM helpdesk_ticket t
      JOIN helpdesk_ticket_stage stage ON stage.id = t.stage_id
      LEFT JOIN targets ON targets.ticket_id = t.id
      LEFT JOIN ratings ON ratings.res_id = t.id
     GROUP BY 1
"""
STOCK_GROUPS = {
    "channel": "t.channel_id",
    "date:week": "date_trunc('week', t.create_date AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')",
}


def _rows_read_group(Report, groupby, aggregates):
    """The KPI rows' own read, past the one that answers from the totals when it can."""
    from odoo.addons.omnichannel_crm.report import omnichannel_kpi_reading  # noqa: PLC0415

    reading = next(
        cls for cls in type(Report).__mro__ if cls.__module__ == omnichannel_kpi_reading.__name__
    )
    with Report._without_jit():
        return super(reading, Report)._read_group([], [groupby], aggregates)


def _busy_hour(env):
    """An hour of a busy desk: 1,000 contacts, 200 tickets solved, 50 ratings."""
    cr = env.cr
    cr.execute(
        "SELECT array_agg(id) FROM (SELECT id FROM res_partner ORDER BY id DESC LIMIT 1000) p"
    )
    customers = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO omnichannel_interaction
            (partner_id, commercial_partner_id, channel, direction, interaction_type, date,
             summary, company_id, create_uid, write_uid, create_date, write_date)
        SELECT p, p, 'wechat', 'inbound', 'message', now(), 'New ' || p, %s, 1, 1, now(), now()
          FROM unnest(%s::int[]) p
        """,
        (env.company.id, customers),
    )
    closed = env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
    cr.execute(
        """
        UPDATE helpdesk_ticket SET stage_id = %s, closed_date = now(), write_date = now()
         WHERE id IN (SELECT t.id FROM helpdesk_ticket t
                        JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                       WHERE NOT s.closed ORDER BY t.id LIMIT 200)
        RETURNING id
        """,
        (closed.id,),
    )
    solved = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO rating_rating (res_model_id, res_model, res_id, rating, consumed,
                                   access_token, create_uid, write_uid, create_date, write_date)
        SELECT %s, 'helpdesk.ticket', t, 5, TRUE, md5('hour' || t), 1, 1, now(), now()
          FROM unnest(%s::int[]) t
        """,
        (env["ir.model"]._get_id("helpdesk.ticket"), solved[:50]),
    )
    env.invalidate_all()


def _pair(groupby, title, source):
    def measure(env, _state, stock):
        # As a manager in China opens it.
        env = env(context={"tz": "Asia/Shanghai"})
        parts = {}
        if not stock and source == "totals":
            _busy_hour(env)
            start = time.perf_counter()
            env["omnichannel.kpi.report"]._refresh()
            parts["upkeep: refresh after the busy hour (not in the read's time)"] = (
                time.perf_counter() - start
            )
        start = time.perf_counter()
        if stock:
            env.cr.execute(STOCK_QUERY.format(group=STOCK_GROUPS[groupby]))
            env.cr.fetchall()
        else:
            from odoo.addons.omnichannel_crm.report.omnichannel_kpi_report import (  # noqa: PLC0415
                MEASURES,
            )

            Report = env["omnichannel.kpi.report"]
            if source == "rows":
                _rows_read_group(Report, groupby, MEASURES)
            else:
                Report.read_group([], MEASURES, [groupby])
        return Sample(time.perf_counter() - start, parts=parts)

    return Pair(
        key=f"kpi-{source}" + ("" if groupby == "channel" else "-week"),
        title=f"KPI pivot, every measure by {title}, from our {source}",
        ours_label=f"KPI {source} read_group",
        stock_label=f"stock SQL over tickets, targets, ratings by {title}",
        prepare=_prepare,
        measure=measure,
        goal=3.0,
        reps=7,
        dataset="kpi",
        notes="100,000 interactions, 20,000 tickets, 60,000 SLA targets, 5,000 ratings (reduced); "
        "1,000,000, 200,000, 600,000 and 50,000 (full). The totals are kept up by a refresh every "
        "5 minutes: up to 5 minutes and a refresh old; the stock query reads the tickets live."
        if groupby == "channel" and source == "totals"
        else "",
    )


PAIRS = [
    _pair("channel", "channel", "totals"),
    _pair("channel", "channel", "rows"),
    _pair("date:week", "week", "totals"),
    _pair("date:week", "week", "rows"),
]
