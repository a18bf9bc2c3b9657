# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

SLA_STATUSES = [
    ("waiting", "Waiting"),  # a next-response target before the customer writes again
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("paused", "Paused"),
]


def _to_second(moment):
    """Deadlines to the second: working-time arithmetic in floating hours leaves stray microseconds."""
    return moment and (moment + timedelta(microseconds=500000)).replace(microsecond=0)


class HelpdeskTicketSla(models.Model):
    """One target of a ticket. The OCA line carries the deadline and the pauses (stages ignored by
    the policy stop the clock); this adds the target kind, the at-risk point counted in the policy's
    working time, and a status the scheduled job moves set-wise: on track → at risk → breached, or
    met when the target is reached."""

    _inherit = "helpdesk.ticket.sla"

    omnichannel_target = fields.Selection(
        related="sla_id.omnichannel_target", store=True, string="Target"
    )
    omnichannel_status = fields.Selection(
        SLA_STATUSES, string="SLA status", index=True, copy=False, readonly=True
    )
    omnichannel_start_date = fields.Datetime(
        string="Started",
        readonly=True,
        help="When the clock started: the customer's message for a "
        "next response, else the ticket's creation.",
    )
    omnichannel_at_risk_date = fields.Datetime(
        string="At risk from", compute="_compute_deadline", store=True, index="btree_not_null"
    )
    omnichannel_met_date = fields.Datetime(string="Met on", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            policy = self.env["helpdesk.sla"].browse(vals.get("sla_id"))
            if policy.omnichannel_target != "next_response":
                vals.setdefault("omnichannel_start_date", now)
        lines = super().create(vals_list)
        for line in lines:
            if line.omnichannel_target == "next_response" and not line.omnichannel_start_date:
                line.omnichannel_status = "waiting"
            else:
                line.omnichannel_status = line._omnichannel_status_at(now)
        return lines

    def _omnichannel_calendar(self):
        self.ensure_one()
        return (
            self.sla_id.omnichannel_calendar_id
            or self.ticket_id.omnichannel_service_level_id.calendar_id
            or self.ticket_id.team_id.resource_calendar_id
        )

    @api.depends("sla_id", "omnichannel_start_date")
    def _compute_sla_data(self):
        res = super()._compute_sla_data()
        for line in self:
            line.hours = line.sla_id._omnichannel_hours(line._omnichannel_calendar())
            paused = line.ticket_id.stage_id in line.sla_id.ignore_stage_ids
            if line.omnichannel_target == "next_response" and not line.omnichannel_start_date:
                line.state = "on_hold"  # not started before the customer writes again
            elif line.omnichannel_target != "resolution":
                # Reached by an answer, not by a stage.
                line.state = "on_hold" if paused else "in_progress"
            if line.omnichannel_start_date and not paused:
                line.last_state_date = line.omnichannel_start_date
        return res

    @api.depends("hours", "consumed_time", "ticket_id", "last_state_date", "state")
    def _compute_deadline(self):
        res = super()._compute_deadline()
        for line in self:
            calendar = line._omnichannel_calendar()
            start = line.last_state_date or line.ticket_id.create_date
            if not (calendar and start) or line.state in ("accomplished", "expired"):
                if not line.omnichannel_at_risk_date:
                    line.omnichannel_at_risk_date = line.deadline
                continue
            remaining = max(line.hours - line.consumed_time, 0.0)
            at_risk = max(
                line.hours * line.sla_id.omnichannel_at_risk_ratio - line.consumed_time, 0
            )
            line.deadline = _to_second(calendar.plan_hours(remaining, start, compute_leaves=True))
            line.omnichannel_at_risk_date = _to_second(
                calendar.plan_hours(at_risk, start, compute_leaves=True)
            )
        return res

    def _omnichannel_status_at(self, now):  # noqa: PLR0911 -- one answer per state
        """The status this line has at `now`, from its OCA state and dates."""
        self.ensure_one()
        if self.omnichannel_status in ("met", "breached"):
            return self.omnichannel_status
        if self.state == "accomplished":
            return "met"
        if self.state == "expired":
            return "breached"
        if self.state == "on_hold":
            return "waiting" if self.omnichannel_status == "waiting" else "paused"
        if self.deadline and self.deadline <= now:
            return "breached"
        if self.omnichannel_at_risk_date and self.omnichannel_at_risk_date <= now:
            return "at_risk"
        return "on_track"

    def _stage_recompute(self):  # pylint: disable=missing-return
        if self.omnichannel_target == "resolution":
            super()._stage_recompute()
        elif self.state in ("in_progress", "on_hold") and self.omnichannel_status != "waiting":
            # A response is reached by an answer, not a stage; stages only pause its clock.
            now = fields.Datetime.now()
            if self.state == "in_progress" and self.last_state_date:
                self.consumed_time += self._omnichannel_calendar().get_work_hours_count(
                    self.last_state_date, now, compute_leaves=True
                )
            paused = self.ticket_id.stage_id in self.sla_id.ignore_stage_ids
            self.state = "on_hold" if paused else "in_progress"
            self.last_state_date = now
        self.omnichannel_status = self._omnichannel_status_at(fields.Datetime.now())

    def _omnichannel_start(self, when):
        """Start this next-response target at `when` (the customer's message)."""
        self.write(
            {
                "omnichannel_start_date": when,
                "omnichannel_status": "on_track",
                "omnichannel_met_date": False,
                "consumed_time": 0.0,
                "state": "in_progress",
                "last_state_date": when,
            }
        )

    def _omnichannel_meet(self, when):
        """The agent answered at `when`: running response targets are met (a breached one keeps
        its status, with the time it was answered)."""
        for line in self:
            values = {"omnichannel_met_date": when}
            if line.omnichannel_status != "breached":
                values.update(omnichannel_status="met", state="accomplished")
            line.write(values)
