"""SLA: bringing the states of the open tickets' targets up to date. Ours: the set-wise job moving
them to at risk and breached. Stock: helpdesk_mgmt_sla's own recomputation of each target
(`helpdesk.ticket.sla._stage_recompute`, OCA's code as it is; the addon has no job of its own),
run over every ticket, not extrapolated. A third of the targets are past their deadline, a third
past their at-risk point, a third on track."""

import time

from odoo import Command, fields

from .pairs import Pair

SIZES = {"reduced": 1_000, "full": 100_000}


def _prepare(env, size, stock):
    cr = env.cr
    count = SIZES[size]
    team = env["helpdesk.ticket.team"].create({"name": "Bench SLA", "use_sla": True})
    policy = {
        "name": "Bench resolution",
        "hours": 4,
        "team_ids": [Command.set(team.ids)],
        "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
    }
    if not stock:
        policy["omnichannel_target"] = "resolution"
        # The default reactions to at risk and breached are not what is measured.
        for xmlid in ("automation_sla_at_risk", "automation_sla_breached"):
            env.ref(f"omnichannel_crm.{xmlid}").active = False
    sla = env["helpdesk.sla"].create(policy)
    env.flush_all()
    now = fields.Datetime.now()
    stage = team._get_applicable_stages()[:1] or env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    cr.execute("SELECT COALESCE(max(id), 0) FROM helpdesk_ticket")
    first_id = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, stage_id, team_id, company_id,
                                     priority, active, create_uid, write_uid, create_date,
                                     write_date)
        SELECT 'BENCH' || g, 'Ticket ' || g, '<p>bench</p>', %s, %s, %s, '1', TRUE, 1, 1, %s, %s
          FROM generate_series(1, %s) g
        """,
        (stage.id, team.id, env.company.id, now, now, count),
    )
    # Deadline and at-risk point: -60/-108, +30/-18 or +120/+72 minutes from now, by ticket.
    ours_columns, ours_values = "", ""
    if not stock:
        ours_columns = ", omnichannel_status, omnichannel_target, omnichannel_start_date, "
        ours_columns += "omnichannel_at_risk_date"
        ours_values = ", 'on_track', 'resolution', %(now)s - interval '3 hours', %(now)s + "
        ours_values += "(CASE id %% 3 WHEN 0 THEN -108 WHEN 1 THEN -18 ELSE 72 END) "
        ours_values += "* interval '1 minute'"
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, state, hours, consumed_time,
                                         last_state_date, deadline, create_uid, write_uid,
                                         create_date, write_date{ours_columns})
        SELECT id, %(sla)s, 'in_progress', 4, 0, %(now)s - interval '3 hours',
               %(now)s + (CASE id %% 3 WHEN 0 THEN -60 WHEN 1 THEN 30 ELSE 120 END)
                  * interval '1 minute',
               1, 1, %(now)s, %(now)s{ours_values}
          FROM helpdesk_ticket WHERE id > %(first)s
        """,
        {"sla": sla.id, "now": now, "first": first_id},
    )
    return {"sla": sla.id}


def _measure(env, state, stock):
    start = time.perf_counter()
    if stock:
        for line in env["helpdesk.ticket.sla"].search([("sla_id", "=", state["sla"])]):
            line._stage_recompute()
    else:
        env["helpdesk.ticket"]._cron_update_sla_status()
    env.flush_all()
    return time.perf_counter() - start


PAIR = Pair(
    key="sla",
    title="SLA states of the open tickets",
    ours_label="set-wise job",
    stock_label="helpdesk_mgmt_sla _stage_recompute per target",
    prepare=_prepare,
    measure=_measure,
    goal=10.0,
    speedup=True,
    reps=3,
    notes="whole runs over 1,000 (reduced) or 100,000 (full) open tickets.",
)
