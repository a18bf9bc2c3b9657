"""KPI benchmark (omnichannel_crm): the KPI pivot (every measure, by channel) over 1,000,000
interactions and 200,000 tickets, against a plain read_group counting the same helpdesk tickets by
channel, in the same run."""

import time

from odoo.addons.omnichannel_crm.report.omnichannel_kpi_report import MEASURES

from .common import insert_partners

INTERACTIONS = 1_000_000
TICKETS = 200_000
CUSTOMERS = 50_000
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
    for table in ("helpdesk_ticket", "omnichannel_interaction", "res_partner"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    Report = env["omnichannel.kpi.report"]
    Ticket = env["helpdesk.ticket"]
    ours = _best(lambda: Report.read_group([], MEASURES, ["channel"]))
    baseline = _best(lambda: Ticket.read_group([], ["__count"], ["channel_id"]))
    (totals,) = Report.read_group([], ["contacts_in:sum", "tickets_created:sum"], [])
    print(f"\n8. KPI pivot over {INTERACTIONS:,} interactions and {TICKETS:,} tickets")
    print(
        f"  KPI pivot, every measure by channel: {ours:.2f} s "
        f"({totals['contacts_in']:,} contacts in, {totals['tickets_created']:,} tickets)"
    )
    print(f"  read_group of the tickets by channel (count): {baseline:.2f} s")
    print(f"  ratio {ours / baseline:.1f}")
    return ours / baseline


BENCHMARKS = [bench_kpi_pivot]
