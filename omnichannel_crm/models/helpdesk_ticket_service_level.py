# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .omnichannel_data import SLA_OPEN_STATUSES


class HelpdeskTicket(models.Model):
    """How a ticket is served: the lane of the customer's service level, and the SLA targets each
    contact on the ticket meets (an agent's answer) or starts (the customer's next question)."""

    _inherit = "helpdesk.ticket"

    @api.model
    def _omnichannel_service_lane(self, vals):
        """The customer's service level raises the priority and sends the ticket to their account
        manager, or the level's team, first."""
        partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        level = partner.omnichannel_service_level_id
        if not level:
            return
        if level.priority_boost:
            priority = int(vals.get("priority") or self._fields["priority"].default(self) or 0)
            vals["priority"] = str(min(3, priority + level.priority_boost))
        if (
            level.account_manager_required
            and partner.omnichannel_account_manager_id
            and not vals.get("user_id")
        ):
            vals["user_id"] = partner.omnichannel_account_manager_id.id
        elif level.team_id and not vals.get("user_id"):
            vals["team_id"] = level.team_id.id

    def _omnichannel_on_contact(self, interaction):
        """Response targets follow the conversation: an agent's answer on any channel (a message,
        an answered call) meets the running ones; a customer's message or call after an answer
        starts a next-response target, which an agent picking up that call meets at once."""
        self.ensure_one()
        started = interaction.direction == "inbound" and self._omnichannel_start_next_response(
            interaction
        )
        answered_at = interaction._omnichannel_answer_date()
        if answered_at:
            self.ticket_sla_ids.filtered(
                lambda line: (
                    line.omnichannel_target in ("first_response", "next_response")
                    and line.omnichannel_status in ("on_track", "at_risk", "paused", "breached")
                    and not line.omnichannel_met_date
                )
            )._omnichannel_meet(answered_at)
        if started or answered_at:
            self._omnichannel_refresh_sla_status()

    def _omnichannel_start_next_response(self, interaction):
        """The customer wrote or called again after an answer: the next-response targets that
        apply now start counting. False when the customer's contact starts none (not answered
        yet, a target running, no SLA on the team)."""
        lines = self.ticket_sla_ids
        answered = lines.filtered(
            lambda line: line.omnichannel_target == "first_response" and line.omnichannel_met_date
        )
        running = lines.filtered(
            lambda line: (
                line.omnichannel_target == "next_response"
                and line.omnichannel_status in SLA_OPEN_STATUSES
            )
        )
        if not answered or running or not self.team_id.use_sla:
            return False
        # The policies that apply now, not those of earlier answers: the priority may have
        # changed since.
        for policy in self._omnichannel_matching_slas()[self].filtered(
            lambda policy: policy.omnichannel_target == "next_response"
        ):
            waiting = lines.filtered(
                lambda line, policy=policy: (
                    line.sla_id == policy and line.omnichannel_status == "waiting"
                )
            )[:1]
            if not waiting:
                waiting = (
                    self.env["helpdesk.ticket.sla"]
                    .sudo()
                    .create({"ticket_id": self.id, "sla_id": policy.id})
                )
            waiting._omnichannel_start(interaction.date)
        return True
