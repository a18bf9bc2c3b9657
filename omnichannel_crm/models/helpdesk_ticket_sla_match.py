# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools.safe_eval import safe_eval

from .omnichannel_data import SLA_OPEN_STATUSES, SLA_RUNNING_STATUSES

# What a policy matches on: a ticket write touching one of these matches its targets again.
SLA_MATCH_TRIGGERS = {
    "team_id",
    "tag_ids",
    "category_id",
    "channel_id",
    "priority",
    "company_id",
    "partner_id",  # the customer, and so their service level
    "omnichannel_complaint",
}
# What a running target's working time depends on besides its policy (the team's calendar, the
# customer's level's): a write touching only the other triggers keeps the kept targets' deadlines.
SLA_PLAN_TRIGGERS = {"team_id", "partner_id"}


class HelpdeskTicket(models.Model):
    """Which SLA policies apply to a ticket, worked out for many tickets at once: at creation, and
    again whenever what the policies match on changes (priority, tags, category, team, channel, the
    complaint flag, the customer's service level)."""

    _inherit = "helpdesk.ticket"

    # Cancelled targets stay on record but are no longer the ticket's: nothing reads or shows them.
    ticket_sla_ids = fields.One2many(domain=[("omnichannel_status", "!=", "cancelled")])

    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        level = (
            self.omnichannel_service_level_id
            or self.commercial_partner_id.omnichannel_service_level_id
        )
        return [
            *domain,
            "|",
            ("omnichannel_service_level_id", "=", False),
            ("omnichannel_service_level_id", "=", level.id),
            "|",
            ("omnichannel_channel_ids", "=", False),
            ("omnichannel_channel_ids", "=", self.channel_id.id),
            "|",
            ("omnichannel_priority", "=", False),
            ("omnichannel_priority", "=", self.priority),
            "|",
            ("company_id", "=", False),
            ("company_id", "=", self.company_id.id),
            *([] if self.omnichannel_complaint else [("omnichannel_complaint", "=", False)]),
        ]

    def _omnichannel_sla_key(self):
        """Everything `_get_sla_ticket_domain` reads of the ticket: tickets with the same key are
        matched by the same search."""
        return (
            self.team_id.id,
            frozenset(self.tag_ids.ids),
            self.category_id.id,
            (
                self.omnichannel_service_level_id
                or self.commercial_partner_id.omnichannel_service_level_id
            ).id,
            self.channel_id.id,
            self.priority,
            self.company_id.id,
            self.omnichannel_complaint,
        )

    def _omnichannel_matching_slas(self):
        """{ticket: the SLA policies that apply to it now}, set-wise: one search per kind of ticket,
        and each policy's own filter evaluated once on all the tickets it may apply to.

        A service level's own policy of a target kind (first response, next response, resolution)
        replaces the policies of that kind set for every level: a VIP ticket is held to the VIP
        answer time, not to the channel's or the one its raised priority would bring."""
        Sla = self.env["helpdesk.sla"]
        by_key = defaultdict(list)
        for ticket in self:
            by_key[ticket._omnichannel_sla_key()].append(ticket.id)
        candidates = defaultdict(list)  # policy: ids of the tickets it may apply to
        for ticket_ids in by_key.values():
            for policy in Sla.search(self.browse(ticket_ids[0])._get_sla_ticket_domain()):
                candidates[policy].extend(ticket_ids)
        matched = defaultdict(list)  # ticket id: policy ids
        for policy, ticket_ids in candidates.items():
            tickets = self.browse(ticket_ids)
            if policy.domain:
                tickets = tickets.filtered_domain(safe_eval(policy.domain))
            for ticket_id in tickets.ids:
                matched[ticket_id].append(policy.id)
        result = {}
        for ticket in self:
            policies = Sla.browse(matched[ticket.id])
            levelled = {
                policy.omnichannel_target
                for policy in policies
                if policy.omnichannel_service_level_id
            }
            result[ticket] = policies.filtered(
                lambda policy, levelled=levelled: (
                    policy.omnichannel_service_level_id or policy.omnichannel_target not in levelled
                )
            )
        return result

    def write(self, vals):
        result = super().write(vals)
        if SLA_MATCH_TRIGGERS & set(vals):
            self._omnichannel_retarget(replan=bool(SLA_PLAN_TRIGGERS & set(vals)))
        return result

    def _get_sla(self):
        self.ensure_one()
        return self._omnichannel_matching_slas()[self]

    def set_sla(self):
        """As OCA's, with every target of the tickets created in one go (OCA creates them one by
        one): the deadlines of a ticket's targets are then planned in one walk of each calendar."""
        self.ticket_sla_ids.unlink()
        matching = self.filtered("team_id.use_sla")._omnichannel_matching_slas()
        self.env["helpdesk.ticket.sla"].create(
            [
                {"ticket_id": ticket.id, "sla_id": policy.id}
                for ticket, policies in matching.items()
                for policy in policies
            ]
        )

    def refresh_sla(self):
        """OCA's *Set SLA* button: match the targets again, keeping the ones met or breached."""
        self._omnichannel_retarget()

    def _compute_sla_fits(self):
        matching = self._omnichannel_matching_slas()
        for ticket in self:
            policies = matching[ticket]
            running = ticket.ticket_sla_ids.filtered(
                lambda line: line.omnichannel_status in SLA_RUNNING_STATUSES
            )
            ticket.sla_fits = not (policies - ticket.ticket_sla_ids.sla_id) and not (
                running.sla_id - policies
            )

    def _omnichannel_retarget(self, replan=True):
        """Match the open tickets' targets again, set-wise. A policy that now applies and has no
        target on the ticket gets one, counted from now: a first response already given meets it
        at once, a next response starts when the customer is waiting for an answer (else when they
        write). The running targets of policies that no longer apply are cancelled, not breached;
        met and breached targets stay as they were. With `replan`, running targets are planned
        again (the customer's level or the team may bring another working time)."""
        tickets = self.filtered(lambda ticket: not ticket.closed)
        if not tickets:
            return
        Line = self.env["helpdesk.ticket.sla"].sudo()
        # A team without SLAs: none applies.
        matching = tickets.filtered("team_id.use_sla")._omnichannel_matching_slas()
        no_policy = self.env["helpdesk.sla"]
        now = fields.Datetime.now()
        cancelled, kept, new_vals, answered_at = [], [], [], []
        for ticket in tickets:
            policies = matching.get(ticket, no_policy)
            lines = ticket.ticket_sla_ids
            for line in lines.filtered(
                lambda line: line.omnichannel_status in SLA_RUNNING_STATUSES
            ):
                (kept if line.sla_id in policies else cancelled).append(line.id)
            first_answer = min(
                lines.filtered(
                    lambda line: (
                        line.omnichannel_target == "first_response" and line.omnichannel_met_date
                    )
                ).mapped("omnichannel_met_date"),
                default=None,
            )
            waiting_answer = any(
                line.omnichannel_target == "next_response"
                and line.omnichannel_status in SLA_OPEN_STATUSES
                for line in lines
            )
            for policy in policies - lines.sla_id:
                vals = {"ticket_id": ticket.id, "sla_id": policy.id}
                if policy.omnichannel_target == "next_response" and waiting_answer:
                    vals["omnichannel_start_date"] = now
                new_vals.append(vals)
                answered_at.append(
                    first_answer if policy.omnichannel_target == "first_response" else None
                )
        Line.browse(cancelled).write({"omnichannel_status": "cancelled", "state": "on_hold"})
        if replan:
            Line.browse(kept).filtered(
                lambda line: line.omnichannel_status in ("on_track", "at_risk")
            )._compute_deadline()
        by_answer = defaultdict(list)
        for line, answered in zip(Line.create(new_vals), answered_at, strict=True):
            if answered:
                by_answer[answered].append(line.id)
        for answered, line_ids in by_answer.items():
            Line.browse(line_ids)._omnichannel_meet(answered)
        tickets._omnichannel_refresh_sla_status()
