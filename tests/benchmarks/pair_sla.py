"""SLA: bringing the states of the open tickets' targets up to date. Ours: the set-wise job moving
them to at risk and breached, with its default automated actions on (a reminder to the assignee
of a ticket at risk; a breached one's priority raised and its team leader told). Stock: the same
set-wise work with OCA's model (helpdesk_mgmt_sla has no job of its own): the targets past their
deadline that are still running, searched with OCA's `expired` and written `expired` in one go.
A third of the targets are past their deadline, a third past their at-risk point (ours only:
OCA has no at-risk state), a third on track."""

import time

from odoo import Command, fields

from .common import Sample, Stopwatch
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
        # The default reactions to at risk and breached run, as they do for our users.
        for xmlid in ("automation_sla_at_risk", "automation_sla_breached"):
            if not env.ref(f"omnichannel_crm.{xmlid}").active:
                raise AssertionError(f"the automated action {xmlid} is off")
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
    # Every ticket also has the target our default policies give it, waiting for the customer to
    # write again (else the first write of a ticket, the breach's raised priority, would add it);
    # on the stock database a plain OCA policy's target on hold, so both tables hold as many.
    if stock:
        waiting = env["helpdesk.sla"].create(
            {"name": "Routine questions answered: 4 hours", "hours": 4}
        )
        waiting_columns, waiting_values = "", ""
    else:
        waiting = env.ref("omnichannel_crm.sla_next_response")
        waiting_columns = ", omnichannel_status, omnichannel_target"
        waiting_values = ", 'waiting', 'next_response'"
        cr.execute(
            "UPDATE helpdesk_ticket SET omnichannel_sla_status = 'on_track' WHERE id > %s",
            (first_id,),
        )
    cr.execute(
        f"""
        INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, state, hours, consumed_time,
                                         create_uid, write_uid, create_date, write_date
                                         {waiting_columns})
        SELECT id, %(sla)s, 'on_hold', 4, 0, 1, 1, %(now)s, %(now)s{waiting_values}
          FROM helpdesk_ticket WHERE id > %(first)s
        """,
        {"sla": waiting.id, "now": now, "first": first_id},
    )
    return {"sla": sla.id}


PARTS = {
    "our job, in all": (
        "helpdesk.ticket",
        "_cron_update_sla_status",
    ),
    "of which tickets' SLA status written": ("helpdesk.ticket", "_omnichannel_refresh_sla_status"),
    "of which automated actions run": ("base.automation", "_process"),
    "of which at-risk reminders": ("helpdesk.ticket", "_omnichannel_sla_at_risk"),
    "of which breaches: priority raised, leader told": (
        "helpdesk.ticket",
        "_omnichannel_sla_breached",
    ),
}


def _measure(env, state, stock):
    with Stopwatch(env, {} if stock else PARTS) as stopwatch:
        start = time.perf_counter()
        if stock:
            Line = env["helpdesk.ticket.sla"]
            Line.search([("expired", "=", True), ("state", "=", "in_progress")]).write(
                {"state": "expired"}
            )
        else:
            env["helpdesk.ticket"]._cron_update_sla_status()
        env.flush_all()
        seconds = time.perf_counter() - start
    expired = env["helpdesk.ticket.sla"].search_count(
        [("sla_id", "=", state["sla"]), ("state", "=", "expired")]
    )
    return Sample(seconds, parts=stopwatch.totals, counts={"targets expired": expired})


PAIRS = [
    Pair(
        key="sla",
        title="SLA states of the open tickets",
        ours_label="set-wise job",
        stock_label="OCA targets: search expired, write in one go",
        prepare=_prepare,
        measure=_measure,
        goal=1.0,
        reps=3,
        notes="whole runs over 1,000 (reduced) or 100,000 (full) open tickets, a third of them "
        "breached (ours also notifies and raises their priority, and reminds the assignees of the "
        "third at risk).",
    )
]
