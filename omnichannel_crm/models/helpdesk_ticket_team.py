# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

import pytz

from odoo import api, fields, models

# How much an open ticket weighs on its agent's load, by priority.
PRIORITY_WEIGHT = {"0": 1, "1": 2, "2": 3, "3": 5}


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    omnichannel_auto_assign = fields.Boolean(
        string="Assign automatically",
        help="New tickets go to the available member with the lightest load (open tickets "
        "weighted by priority); VIP customers' tickets to their account manager first. Tickets "
        "that find nobody available wait, VIP first, for the next agent to start work.",
    )
    omnichannel_reassign_silent = fields.Boolean(
        string="Reassign silent tickets",
        help="A ticket whose assignee has not answered when its first-response target is at risk "
        "goes to another available member.",
    )

    def _omnichannel_available_agents(self, now=None):
        """The members working now: per their working hours when they have some, else always."""
        self.ensure_one()
        now = pytz.utc.localize(now or fields.Datetime.now())
        available = self.env["res.users"]
        for user in self.user_ids.filtered(lambda user: user.active and not user.share):
            calendar = user.resource_calendar_id
            if calendar:
                intervals = calendar._work_intervals_batch(now, now + timedelta(minutes=1))[False]
                if not list(intervals):
                    continue
            available |= user
        return available

    def _omnichannel_loads(self, users):
        """{user: open tickets weighted by priority}."""
        loads = dict.fromkeys(users, 0)
        for user, priority, count in (
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [("user_id", "in", users.ids), ("closed", "=", False)],
                ["user_id", "priority"],
                ["__count"],
            )
        ):
            loads[user] += PRIORITY_WEIGHT.get(priority, 1) * count
        return loads

    def _omnichannel_pick_agent(self, exclude=None):
        """The available member with the lightest load (the longest-serving on a tie), or no one."""
        self.ensure_one()
        candidates = self._omnichannel_available_agents() - (exclude or self.env["res.users"])
        if not candidates:
            return candidates
        loads = self._omnichannel_loads(candidates)
        return min(candidates, key=lambda user: (loads[user], user.id))


class HelpdeskTicket(models.Model):
    """Automatic assignment of tickets, next to the team's choice of agent."""

    _inherit = "helpdesk.ticket"

    def _omnichannel_awaiting_answer(self):
        """A response target of the ticket is at risk and not met: the customer waits."""
        self.ensure_one()
        return any(
            line.omnichannel_target in ("first_response", "next_response")
            and line.omnichannel_status == "at_risk"
            and not line.omnichannel_met_date
            for line in self.ticket_sla_ids
        )

    def _omnichannel_assign(self, reassign=False):
        """Give each ticket to the least-loaded available member of its team (another one than the
        silent assignee when reassigning); a ticket that finds nobody waits in the queue."""
        for ticket in self:
            previous = ticket.user_id
            agent = ticket.team_id._omnichannel_pick_agent(exclude=previous if reassign else None)
            if not agent:
                continue
            ticket.sudo().user_id = agent
            if reassign and previous:
                ticket.message_post(
                    body=self.env._(
                        "Reassigned from %(previous)s to %(agent)s: no answer to the customer "
                        "before the response target.",
                        previous=previous.name,
                        agent=agent.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _cron_assign_queue(self):
        """Unassigned open tickets of auto-assigning teams, VIP and urgent first, go to the agents
        who became available."""
        queue = self.sudo().search(
            [
                ("user_id", "=", False),
                ("closed", "=", False),
                ("team_id.omnichannel_auto_assign", "=", True),
            ],
            order="priority desc, create_date, id",
        )
        ranked = queue.sorted(lambda ticket: -(ticket.omnichannel_service_level_id.sequence or 0))
        ranked._omnichannel_assign()
