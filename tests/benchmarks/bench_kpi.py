"""KPI benchmark (omnichannel_crm): the KPI pivot (every measure, by channel and by week) over
1,000,000 interactions, 200,000 tickets, their SLA targets and 50,000 ratings, against a plain
read_group counting the same helpdesk tickets by channel, in the same run; the full build of the
KPI rows, and the refresh after 1,000 new contacts."""

import time

from odoo.addons.omnichannel_crm.report.omnichannel_kpi_report import MEASURES

from .common import insert_partners

INTERACTIONS = 1_000_000
TICKETS = 200_000
CUSTOMERS = 50_000
RATINGS = 50_000
NEW_CONTACTS = 1_000
RUNS = 3


def _best(operation):
    durations = []
    for _run in range(RUNS):
        start = time.perf_counter()
        operation()
        durations.append(time.perf_counter() - start)
    return min(durations)


def bench_kpi_pivot(env):
    cr = env.cr
    first_partner = insert_partners(env, CUSTOMERS, "KPI customer")
    # Ids as inserted: a sequence need not continue from the highest id.
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_partner WHERE id > %s", (first_partner,))
    customers = cr.fetchone()[0]
    team = env["helpdesk.ticket.team"].create({"name": "KPI bench"})
    stages = env["helpdesk.ticket.stage"].search([])
    open_stage = stages.filtered(lambda stage: not stage.closed)[:1]
    closed_stage = stages.filtered("closed")[:1]
    channels = env["helpdesk.ticket.channel"].search([("omnichannel_channel", "!=", False)]).ids
    cr.execute("SELECT COALESCE(max(id), 0) FROM helpdesk_ticket")
    first_ticket = cr.fetchone()[0]
    # Tickets over 90 days, a quarter still open.
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
            "tickets": TICKETS,
        },
    )
    cr.execute(
        "SELECT array_agg(id ORDER BY id) FROM helpdesk_ticket WHERE id > %s", (first_ticket,)
    )
    tickets = cr.fetchone()[0]
    # Interactions: each ticket's customer message and agent answer, the rest without ticket.
    cr.execute(
        """
        INSERT INTO omnichannel_interaction
            (partner_id, commercial_partner_id, channel, direction, interaction_type, date, summary,
             ticket_id, user_id, company_id, create_uid, write_uid, create_date, write_date)
        SELECT p, p, (ARRAY['phone','wechat','email','sms'])[1 + g %% 4],
               CASE WHEN g %% 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message',
               now() - (g %% 129600 || ' minutes')::interval, 'Message ' || g,
               CASE WHEN g <= %(linked)s THEN (%(tickets)s::int[])[1 + (g - 1) / 2] END,
               CASE WHEN g %% 2 = 1 THEN 2 END, %(company)s, 1, 1, now(), now()
          FROM (SELECT g, (%(customers)s::int[])[1 + g %% %(ncustomers)s] AS p
                  FROM generate_series(1, %(interactions)s) g) rows
        """,
        {
            "linked": 2 * TICKETS,
            "tickets": tickets,
            "company": env.company.id,
            "customers": customers,
            "ncustomers": len(customers),
            "interactions": INTERACTIONS,
        },
    )
    # Three finished SLA targets per ticket (first response, next response, resolution), one in
    # five breached; a quarter of the tickets rated.
    policies = env["helpdesk.sla"].search([], limit=3).ids
    cr.execute(
        """
        INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, state, omnichannel_status,
                                         omnichannel_start_date, deadline, omnichannel_met_date,
                                         create_uid, write_uid, create_date, write_date)
        SELECT t, (%(policies)s::int[])[k], 'accomplished',
               CASE WHEN (t + k) %% 5 = 0 THEN 'breached' ELSE 'met' END,
               created, created + interval '4 hours',
               CASE WHEN (t + k) %% 5 = 0 THEN NULL ELSE created + interval '1 hour' END,
               1, 1, now(), now()
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
        {"model": model, "tickets": tickets[::4], "ratings": RATINGS},
    )
    for table in (
        "helpdesk_ticket",
        "omnichannel_interaction",
        "res_partner",
        "helpdesk_ticket_sla",
        "rating_rating",
    ):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    Report = env["omnichannel.kpi.report"]
    Ticket = env["helpdesk.ticket"]
    start = time.perf_counter()
    rows = Report._refresh(full=True)
    build = time.perf_counter() - start
    cr.execute("ANALYZE omnichannel_kpi_report")
    by_channel = _best(lambda: Report.read_group([], MEASURES, ["channel"]))
    by_week = _best(lambda: Report.read_group([], MEASURES, ["date:week"]))
    baseline = _best(lambda: Ticket.read_group([], ["__count"], ["channel_id"]))
    (totals,) = Report.read_group(
        [], ["contacts_in:sum", "tickets_created:sum", "csat_count:sum"], []
    )
    # Then 1,000 new contacts, and the refresh that brings the rows up to date.
    cr.execute(
        """
        INSERT INTO omnichannel_interaction
            (partner_id, commercial_partner_id, channel, direction, interaction_type, date, summary,
             company_id, create_uid, write_uid, create_date, write_date)
        SELECT p, p, 'wechat', 'inbound', 'message', now(), 'New ' || g, %(company)s, 1, 1,
               now(), now() AT TIME ZONE 'UTC' + interval '1 minute'
          FROM (SELECT g, (%(customers)s::int[])[1 + g %% %(ncustomers)s] AS p
                  FROM generate_series(1, %(new)s) g) rows
        """,
        {
            "company": env.company.id,
            "customers": customers,
            "ncustomers": len(customers),
            "new": NEW_CONTACTS,
        },
    )
    cr.execute(
        "UPDATE omnichannel_kpi_refresh SET refreshed_at = now() AT TIME ZONE 'UTC' + interval '1 minute'"
    )
    start = time.perf_counter()
    refreshed = Report._refresh()
    refresh = time.perf_counter() - start
    print(
        f"\n8. KPI pivot over {INTERACTIONS:,} interactions, {TICKETS:,} tickets, "
        f"{3 * TICKETS:,} SLA targets and {RATINGS:,} ratings ({rows:,} KPI rows)"
    )
    print(f"  full build of the KPI rows: {build:.2f} s")
    print(
        f"  KPI pivot, every measure by channel: {by_channel:.3f} s; by week: {by_week:.3f} s "
        f"({totals['contacts_in']:,} contacts in, {totals['tickets_created']:,} tickets, "
        f"{totals['csat_count']:,} ratings)"
    )
    print(f"  read_group of the tickets by channel (count): {baseline:.3f} s")
    print(
        f"  ratio by channel {by_channel / baseline:.1f}, by week {by_week / baseline:.1f} "
        "(goal: within 3)"
    )
    print(
        f"  refresh after {NEW_CONTACTS:,} new contacts: {refresh:.3f} s, {refreshed:,} rows "
        "(goal: under 1 s)"
    )
    return by_channel / baseline


BENCHMARKS = [bench_kpi_pivot]
