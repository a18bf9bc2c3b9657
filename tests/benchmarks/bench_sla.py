"""SLA status benchmark (omnichannel_crm): moving the targets of 100,000 open tickets to at risk and
breached with the set-wise job, against helpdesk_mgmt_sla's own per-ticket recomputation
(`helpdesk.ticket.sla._stage_recompute`, OCA's code called as it is) on the same data, same run.

The per-ticket recomputation is timed on a sample of the same tickets and scaled to all of them:
its cost per ticket does not depend on how many there are, and running it on 100,000 tickets would
take the better part of an hour. The default automated actions are switched off for both, so that
the states' update is measured, not the reminders it triggers."""

import os
import time

from odoo import Command, fields

from odoo.addons.helpdesk_mgmt_sla.models.helpdesk_ticket_sla import (
    HelpdeskTicketSla as OcaTicketSla,
)

TICKETS = int(os.environ.get("OMNI_BENCH_SLA_TICKETS", "100000"))
SAMPLE = 2_000


def _insert_tickets(env, team, sla, now):
    """TICKETS open tickets, each with a running resolution target: a third already past its
    deadline, a third past its at-risk point, a third on track."""
    cr = env.cr
    env.flush_all()
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
        (stage.id, team.id, team.company_id.id or env.company.id, now, now, TICKETS),
    )
    cr.execute(
        """
        INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, state, omnichannel_status,
                                         omnichannel_target, hours, consumed_time, last_state_date,
                                         omnichannel_start_date, deadline,
                                         omnichannel_at_risk_date, create_uid, write_uid,
                                         create_date, write_date)
        SELECT id, %s, 'in_progress', 'on_track', 'resolution', 4, 0, %s - interval '3 hours',
               %s - interval '3 hours',
               %s + (CASE id %% 3 WHEN 0 THEN -60 WHEN 1 THEN 30 ELSE 120 END)
                  * interval '1 minute',
               %s + (CASE id %% 3 WHEN 0 THEN -108 WHEN 1 THEN -18 ELSE 72 END)
                  * interval '1 minute',
               1, 1, %s, %s
          FROM helpdesk_ticket WHERE id > %s
        """,
        (sla.id, now, now, now, now, now, now, first_id),
    )
    for table in ("helpdesk_ticket", "helpdesk_ticket_sla"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return first_id


def bench_sla_status(env):
    for xmlid in (
        "omnichannel_crm.automation_sla_at_risk",
        "omnichannel_crm.automation_sla_breached",
    ):
        env.ref(xmlid).active = False
    team = env["helpdesk.ticket.team"].create({"name": "Bench SLA", "use_sla": True})
    sla = env["helpdesk.sla"].create(
        {
            "name": "Bench resolution",
            "hours": 4,
            "team_ids": [Command.set(team.ids)],
            "omnichannel_target": "resolution",
            "stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id,
        }
    )
    now = fields.Datetime.now()
    first_id = _insert_tickets(env, team, sla, now)
    Ticket = env["helpdesk.ticket"]

    cr = env.cr
    cr.execute("SAVEPOINT bench_sla")
    start = time.perf_counter()
    changed = Ticket._cron_update_sla_status()
    env.flush_all()
    ours = time.perf_counter() - start
    cr.execute(
        "SELECT omnichannel_status, count(*) FROM helpdesk_ticket_sla WHERE ticket_id > %s "
        "GROUP BY 1 ORDER BY 1",
        (first_id,),
    )
    counts = dict(cr.fetchall())
    cr.execute("ROLLBACK TO SAVEPOINT bench_sla")
    env.invalidate_all()

    lines = env["helpdesk.ticket.sla"].search([("sla_id", "=", sla.id)], limit=SAMPLE)
    start = time.perf_counter()
    for line in lines:
        OcaTicketSla._stage_recompute(line)
    env.flush_all()
    sample = time.perf_counter() - start
    baseline = sample * TICKETS / len(lines)

    print(f"\n7. SLA states of {TICKETS:,} open tickets")
    print(
        f"  set-wise job: {ours:.2f} s ({changed:,} tickets changed: "
        + ", ".join(f"{status} {count:,}" for status, count in counts.items())
        + ")"
    )
    print(
        f"  helpdesk_mgmt_sla per-ticket _stage_recompute: {sample:.2f} s for {len(lines):,} "
        f"tickets, {baseline:.0f} s for {TICKETS:,}"
    )
    ratio = baseline / ours if ours else float("inf")
    verdict = "within target" if ratio >= 10 else "UNDER target"
    print(f"  speed-up {ratio:.0f}x (target >= 10x): {verdict}")
    return ratio


BENCHMARKS = [bench_sla_status]
