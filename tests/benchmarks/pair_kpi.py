"""KPIs: the KPI pivot with every measure by channel, over the interactions, tickets, their SLA
targets and ratings, against a plain read_group counting the same tickets by channel on the stock
database (the data both databases share: customers, tickets, SLA targets, ratings)."""

import time

from odoo import Command

from .common import insert_partners
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
    # Both pairs read the same data: generated once.
    if not env["helpdesk.ticket.team"].search_count([("name", "=", "KPI bench")]):
        insert_kpi_data(env, *SIZES[size], ours=not stock)
        if not stock:
            env["omnichannel.kpi.report"]._refresh(full=True)
    return {}


def _pair(groupby, baseline_groupby, title):
    def measure(env, _state, stock):
        # As a manager in China opens it.
        env = env(context={"tz": "Asia/Shanghai"})
        start = time.perf_counter()
        if stock:
            env["helpdesk.ticket"].read_group([], ["__count"], [baseline_groupby])
        else:
            from odoo.addons.omnichannel_crm.report.omnichannel_kpi_report import (  # noqa: PLC0415
                MEASURES,
            )

            env["omnichannel.kpi.report"].read_group([], MEASURES, [groupby])
        return time.perf_counter() - start

    return Pair(
        key="kpi" if groupby == "channel" else f"kpi-{groupby.split(':')[-1]}",
        title=f"KPI pivot, every measure by {title}",
        ours_label="KPI report read_group",
        stock_label=f"helpdesk.ticket read_group count by {title}",
        prepare=_prepare,
        measure=measure,
        goal=3.0,
        reps=7,
        notes="100,000 interactions, 20,000 tickets, 60,000 SLA targets, 5,000 ratings (reduced); "
        "1,000,000, 200,000, 600,000 and 50,000 (full).",
    )


PAIRS = [
    _pair("channel", "channel_id", "channel"),
    _pair("date:week", "create_date:week", "week"),
]
