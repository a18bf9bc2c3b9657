# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import plaintext2html


class OmnichannelInteraction(models.Model):
    """Where an inbound contact goes: the customer's active ticket on its channel or a new one, and
    the call-back a missed call needs."""

    _inherit = "omnichannel.interaction"

    # ----------------------------------------------------------------------------------------------
    # Ticket routing
    # ----------------------------------------------------------------------------------------------

    @api.model
    def _call_values(self, call):
        """A reported call's fields: its agent found by the e-mail the telephony system gave."""
        agent = self.env["res.users"]
        if call.get("agent_email"):
            agent = agent.search(
                ["|", ("login", "=", call["agent_email"]), ("email", "=", call["agent_email"])],
                limit=1,
            )
        values = {
            "call_duration": call.get("duration_minutes") or 0.0,
            "call_outcome": call.get("outcome"),
            "user_id": agent.id,
        }
        if call.get("wait_seconds") is not None:
            # Left empty, not 0, when unknown: the speed of answer averages known waits.
            values["call_wait_seconds"] = call["wait_seconds"]
        return values

    def _join_ticket(self, contact, answer):
        """Messages and calls go to an agent, unless answered (the customer asking for one is
        not); an agent's answered call to the customer answers their open ticket on the channel."""
        self.ensure_one()
        if self.direction == "inbound" and contact.kind in ("message", "call"):
            if not answer or answer.kind == "human":
                self._route_to_ticket(team=self.env["helpdesk.ticket.team"].browse(contact.team_id))
        elif contact.kind == "call" and self._omnichannel_answer_date():
            ticket = self._find_active_ticket()
            if ticket:
                self.ticket_id = ticket
                self._omnichannel_update_ticket_sla()

    def _route_to_ticket(self, team=None):
        """Attach this inbound contact to the customer's active ticket on its channel, or open one in
        `team`, else the channel's team, else the company's default team."""
        self.ensure_one()
        ticket = self._find_active_ticket()
        if not ticket:
            ticket_channel = (
                self.env["helpdesk.ticket.channel"]
                .sudo()
                ._for_omnichannel(self.channel, self.company_id)
            )
            team = (
                team
                or ticket_channel.omnichannel_team_id
                or self.company_id.omnichannel_default_team_id
            )
            ticket = (
                self.env["helpdesk.ticket"]
                .sudo()
                .with_company(self.company_id)
                .with_context(omnichannel_skip_capture=True, mail_create_nolog=True)
                .create(
                    {
                        "name": self.summary,
                        "description": self.body or plaintext2html(self.summary),
                        "partner_id": self.partner_id.id,
                        # Assignment is routing's job, not whoever delivered the contact.
                        "user_id": False,
                        "team_id": team.id,
                        "channel_id": ticket_channel.id,
                        "company_id": self.company_id.id,
                    }
                )
            )
        self.ticket_id = ticket
        self._omnichannel_update_ticket_sla()
        self.env["omnichannel.service.quality"]._check_complaint(ticket, self)
        # The customer's words on the ticket, where agents read and answer them (and see the
        # files they sent, attached to this message once downloaded).
        self.ticket_message_id = ticket.with_context(omnichannel_skip_capture=True).message_post(
            body=self.body or plaintext2html(self.summary),
            author_id=self.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return ticket

    def _find_active_ticket(self):
        """The customer's open ticket with a contact on this channel within the company's window."""
        window = self.company_id.omnichannel_ticket_window_hours
        if not window:
            return self.env["helpdesk.ticket"]
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT interaction.ticket_id
              FROM omnichannel_interaction interaction
              JOIN helpdesk_ticket ticket ON ticket.id = interaction.ticket_id
              LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             WHERE interaction.commercial_partner_id = %s
               AND interaction.channel = %s
               AND interaction.company_id = %s
               AND interaction.date >= %s
               AND interaction.id != %s
               AND NOT COALESCE(stage.closed, FALSE)
             ORDER BY interaction.date DESC, interaction.id DESC
             LIMIT 1
            """,
            (
                self.commercial_partner_id.id,
                self.channel,
                self.company_id.id,
                self.date - timedelta(hours=window),
                self.id,
            ),
        )
        row = self.env.cr.fetchone()
        return self.env["helpdesk.ticket"].sudo().browse(row[0] if row else [])

    # ----------------------------------------------------------------------------------------------
    # Calls
    # ----------------------------------------------------------------------------------------------

    def _schedule_callbacks(self, fallback_user=None):
        """A call the customer could not get through on becomes a call-back activity for the account
        manager (or the ticket's agent, or `fallback_user`)."""
        unanswered = self.filtered(
            lambda call: (
                call.interaction_type == "call"
                and call.direction == "inbound"
                and call.call_outcome in ("missed", "voicemail", "busy")
            )
        )
        for call in unanswered:
            user = (
                call.partner_id._omnichannel_account_manager()
                or call.ticket_id.user_id
                or fallback_user
                or self.env.user
            )
            phone_identities = call.partner_id.omnichannel_identity_ids.filtered(
                lambda identity: identity.kind == "phone"
            )
            number = (call.identity_id or phone_identities[:1]).identifier or (
                call.partner_id.mobile or call.partner_id.phone
            )
            record = call.ticket_id or call.partner_id
            user_env = call.with_context(lang=user.lang).env  # a to-do: in its user's language
            record.sudo().activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=fields.Date.context_today(self),
                summary=user_env._("Call back %(customer)s", customer=call.partner_id.display_name),
                note=user_env._(
                    "Missed call from %(number)s at %(date)s.",
                    number=number or "-",
                    date=fields.Datetime.to_string(call.date),
                ),
                user_id=user.id,
            )
