# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, Command, api

AT_RISK_FILTER_BEFORE = '[("omnichannel_sla_status", "=", "at_risk"), ("user_id", "!=", False)]'


def migrate(cr, version):
    """The default service rules as the customers were promised them, on the records still as they
    were shipped (a record an admin changed keeps the change):

    - the 15-minute next response becomes the routine one (4 hours, below urgent priority); the
      urgent one (30 minutes) is new;
    - the urgent (30 minutes) and routine (4 hours) resolution targets, which were meant as answer
      times, are archived: new tickets no longer get them, running ones are cancelled when their
      ticket's targets are matched again;
    - the Gold complaint lane matches the tickets flagged as complaints instead of a tag nothing set;
    - Silver customers are served before Standard ones (a priority step);
    - the at-risk automated action also warns about tickets nobody has.

    New defaults (the urgent and VIP next responses, the VIP complaint lane) are created by the
    update itself."""
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US", "active_test": False})

    def shipped(xmlid, **values):
        """The record of `xmlid` if it still has these values, else nothing."""
        record = env.ref(f"omnichannel_crm.{xmlid}", raise_if_not_found=False)
        if record and all(record[name] == value for name, value in values.items()):
            return record
        return None

    def rename(record, name):
        # The shipped name's translations describe the old rule: dropped, the update's
        # translations give the new name's.
        record.flush_recordset(["name"])
        cr.execute(
            f"UPDATE {record._table} SET name = jsonb_build_object('en_US', %s) WHERE id = %s",
            (name, record.id),
        )
        record.invalidate_recordset(["name"])

    next_response = shipped(
        "sla_next_response",
        name="Next response: 15 minutes",
        omnichannel_target="next_response",
        days=0,
        hours=0,
        omnichannel_minutes=15,
        domain="[]",
        omnichannel_priority=False,
        omnichannel_service_level_id=env["omnichannel.service.level"],
        omnichannel_channel_ids=env["helpdesk.ticket.channel"],
    )
    if next_response:
        next_response.write(
            {"hours": 4, "omnichannel_minutes": 0, "domain": '[("priority", "!=", "3")]'}
        )
        rename(next_response, "Routine questions answered: 4 hours")
    for xmlid, values in (
        (
            "sla_resolution_urgent",
            {"name": "Urgent resolution: 30 minutes", "omnichannel_priority": "3", "hours": 0},
        ),
        ("sla_resolution_routine", {"name": "Routine resolution: 4 hours", "hours": 4}),
    ):
        resolution = shipped(
            xmlid,
            **values,
            omnichannel_target="resolution",
            omnichannel_minutes=30 if "omnichannel_priority" in values else 0,
            days=0,
            omnichannel_service_level_id=env["omnichannel.service.level"],
            active=True,
        )
        if resolution:
            resolution.active = False
    complaint_tag = env.ref("omnichannel_crm.helpdesk_ticket_tag_complaint", False)
    if complaint_tag and (
        lane := shipped("sla_gold_complaint", tag_ids=complaint_tag, omnichannel_complaint=False)
    ):
        lane.write({"omnichannel_complaint": True, "tag_ids": [Command.clear()]})
    if silver := shipped("service_level_silver", priority_boost=0):
        silver.priority_boost = 1
    if at_risk := shipped("automation_sla_at_risk", filter_domain=AT_RISK_FILTER_BEFORE):
        at_risk.filter_domain = '[("omnichannel_sla_status", "=", "at_risk")]'
        if at_risk.name == "SLA at risk: remind the assignee":
            rename(at_risk, "SLA at risk: remind the assignee, else the team leader")
        if action := shipped("action_sla_at_risk_activity", name="Remind the assignee"):
            rename(action, "Remind the assignee, else the team leader")
