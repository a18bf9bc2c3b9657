# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

SLA_STATUSES = [
    ("waiting", "Waiting"),  # a next-response target before the customer writes again
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
    ("paused", "Paused"),
    ("cancelled", "Cancelled"),  # its policy no longer applies to the ticket
]


def _to_second(moment):
    """Deadlines to the second: working-time arithmetic in floating hours leaves stray microseconds."""
    return moment and (moment + timedelta(microseconds=500000)).replace(microsecond=0)


def _ticket_sla_status(lines):
    """A ticket's SLA status from its targets: a breach not answered yet first, then at risk, on
    track, paused; met when its targets were all reached (late or not); none without target."""
    statuses = set(lines.mapped("omnichannel_status"))
    if any(
        line.omnichannel_status == "breached" and not line.omnichannel_met_date for line in lines
    ):
        return "breached"
    for status in ("at_risk", "on_track", "paused"):
        if status in statuses:
            return status
    return "met" if statuses & {"met", "breached"} else False


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
        # Running targets are planned here, once each, in their own calendar; OCA's compute (which
        # would plan them a first time in the team's calendar) only keeps the others' deadlines.
        planned = self.filtered(
            lambda line: (
                line.state not in ("accomplished", "expired")
                and line._omnichannel_calendar()
                and (line.last_state_date or line.ticket_id.create_date)
            )
        )
        others = self - planned
        res = super(HelpdeskTicketSla, others)._compute_deadline()
        for line in others:
            if not line.omnichannel_at_risk_date:
                line.omnichannel_at_risk_date = line.deadline
        # The lines of one ticket share calendar and start: their dates are planned in one walk.
        groups = defaultdict(list)
        for line in planned:
            start = line.last_state_date or line.ticket_id.create_date
            remaining = max(line.hours - line.consumed_time, 0.0)
            at_risk = max(
                line.hours * line.sla_id.omnichannel_at_risk_ratio - line.consumed_time, 0
            )
            groups[line._omnichannel_calendar(), start].append((line, remaining, at_risk))
        for (calendar, start), lines in groups.items():
            dates = calendar._omnichannel_plan_hours_many(
                [hours for _line, remaining, at_risk in lines for hours in (remaining, at_risk)],
                start,
            )
            for line, remaining, at_risk in lines:
                line.deadline = _to_second(dates[remaining])
                line.omnichannel_at_risk_date = _to_second(dates[at_risk])
        return res

    def _omnichannel_status_at(self, now):  # noqa: PLR0911 -- one answer per state
        """The status this line has at `now`, from its OCA state and dates."""
        self.ensure_one()
        if self.omnichannel_status in ("met", "breached", "cancelled"):
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
        breached = self.filtered(lambda line: line.omnichannel_status == "breached")
        breached.write({"omnichannel_met_date": when})
        (self - breached).write(
            {"omnichannel_met_date": when, "omnichannel_status": "met", "state": "accomplished"}
        )


class HelpdeskTicket(models.Model):
    """The ticket's side of its SLA targets: the status rolled up from them, the job that moves
    them to at risk and breached, and the default reactions, next to the target model."""

    _inherit = "helpdesk.ticket"

    @api.depends(
        "ticket_sla_ids.deadline",
        "ticket_sla_ids.omnichannel_status",
        "ticket_sla_ids.omnichannel_met_date",
    )
    def _compute_omnichannel_sla_deciding_id(self):
        # The order of the ticket's status: a breached target first, then at risk, then on track;
        # the earliest deadline among equals. Targets met (late or not) decide nothing.
        rank = {"breached": 0, "at_risk": 1, "on_track": 2}
        for ticket in self:
            running = ticket.ticket_sla_ids.filtered(
                lambda line: (
                    line.omnichannel_status in rank
                    and line.deadline
                    and not line.omnichannel_met_date
                )
            )
            deciding = running.sorted(lambda line: (rank[line.omnichannel_status], line.deadline))[
                :1
            ]
            ticket.omnichannel_sla_deciding_id = deciding
            ticket.omnichannel_sla_deadline = deciding.deadline
            ticket.omnichannel_sla_deadline_target = deciding.omnichannel_target

    def _omnichannel_refresh_sla_status(self):
        """Set each ticket's SLA status from its targets (read from what this transaction already
        holds, a ticket's new targets among them); tickets are written grouped by new status (one
        UPDATE each), so automated actions see the changes."""
        changes = defaultdict(list)
        for ticket in self.sudo():
            status = _ticket_sla_status(ticket.ticket_sla_ids)
            if status != (ticket.omnichannel_sla_status or False):
                changes[status].append(ticket.id)
        for status, ticket_ids in changes.items():
            self.browse(ticket_ids).sudo().write({"omnichannel_sla_status": status})

    @api.model
    def _cron_update_sla_status(self):
        """Move running targets to at risk and breached, set-wise: one UPDATE per status over all
        open targets, then the tickets whose status changed are written grouped by status."""
        now = fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            UPDATE helpdesk_ticket_sla
               SET omnichannel_status = 'breached', state = 'expired',
                   write_date = now() AT TIME ZONE 'UTC'
             WHERE state = 'in_progress' AND omnichannel_status IN ('on_track', 'at_risk')
               AND deadline <= %s
         RETURNING ticket_id
            """,
            (now,),
        )
        changed = {row[0] for row in cr.fetchall()}
        cr.execute(
            """
            UPDATE helpdesk_ticket_sla
               SET omnichannel_status = 'at_risk'
             WHERE state = 'in_progress' AND omnichannel_status = 'on_track'
               AND omnichannel_at_risk_date <= %s
         RETURNING ticket_id
            """,
            (now,),
        )
        changed |= {row[0] for row in cr.fetchall()}
        self.env["helpdesk.ticket.sla"].invalidate_model(["omnichannel_status", "state"])
        self.browse(sorted(changed))._omnichannel_refresh_sla_status()
        return len(changed)

    def _omnichannel_sla_at_risk(self):
        """Default reaction to a target at risk: a silent assignee's ticket (or one nobody has) goes
        to an available agent when the team says so; a to-do, due today, for the assignee, else
        the team leader; a ticket with neither is pointed out to the team's members."""
        self.filtered(
            lambda ticket: (
                ticket.team_id.omnichannel_reassign_silent and ticket._omnichannel_awaiting_answer()
            )
        )._omnichannel_assign(reassign=True)
        reminded = defaultdict(list)  # (user, whether the ticket is theirs): ticket ids
        for ticket in self:
            user = ticket.user_id or ticket.team_id.user_id
            if user:
                reminded[user, bool(ticket.user_id)].append(ticket.id)
            elif members := ticket.team_id.user_ids.partner_id:
                env = ticket.company_id._omnichannel_agents_env()
                ticket.message_post(
                    body=env._(
                        "SLA at risk on %(ticket)s, and nobody has it: take it and answer the "
                        "customer.",
                        ticket=ticket.display_name,
                    ),
                    partner_ids=members.ids,
                    subtype_xmlid="mail.mt_note",
                )
        # The to-dos of one user are created together.
        for (user, assigned), ticket_ids in reminded.items():
            # A to-do is a message to its user: in their language.
            user_env = self.with_context(lang=user.lang).env
            self.browse(ticket_ids).activity_schedule(
                "mail.mail_activity_data_todo",
                summary=user_env._("SLA at risk: answer the customer")
                if assigned
                else user_env._("SLA at risk: nobody has this ticket"),
                user_id=user.id,
            )

    def _omnichannel_sla_breached(self):
        """Default reaction to a breach: raise the priority, and tell the team leader and the
        customer's account manager."""
        # One write per new priority: the tickets' targets are matched again together.
        raised = self.filtered(lambda ticket: ticket.priority != "3")
        for priority, tickets in raised.grouped(
            lambda ticket: str(int(ticket.priority or 0) + 1)
        ).items():
            tickets.priority = priority
        for ticket in self:
            users = (
                ticket.team_id.user_id | ticket.commercial_partner_id.omnichannel_account_manager_id
            )
            partners = users.partner_id
            if partners:
                env = ticket.company_id._omnichannel_agents_env()
                ticket.message_post(
                    body=env._("SLA breached on %(ticket)s.", ticket=ticket.display_name),
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_note",
                )
