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

    def _wants_ticket(self, contact, answer):
        """Messages and calls go to an agent, unless answered (the customer asking for one is
        not)."""
        self.ensure_one()
        return (
            self.direction == "inbound"
            and contact.kind in ("message", "call")
            and (not answer or answer.kind == "human")
        )

    def _join_answered_call(self, contact):
        """An agent's answered call to the customer answers their open ticket on the channel."""
        self.ensure_one()
        if (
            self.direction != "inbound"
            and contact.kind == "call"
            and self._omnichannel_answer_date()
        ):
            ticket = self._find_active_ticket()
            if ticket:
                self.ticket_id = ticket
                self._omnichannel_update_ticket_sla()

    def _route_to_tickets(self, teams):
        """Attach inbound contacts of different customers (one each) to each customer's active
        ticket on its channel, or open one in its team of `teams` (an empty one: the channel's
        team, else the company's default team): the active tickets found in one query, the new
        ones opened in one create (their SLA targets and automated actions run once for all), then
        each contact joins its ticket and is posted on it, in order. Returns the tickets."""
        customers = [(entry.commercial_partner_id, entry.channel) for entry in self]
        if len(set(customers)) < len(customers):
            raise ValueError("one contact per customer and channel at a time")
        active = self._find_active_tickets()
        active.update(
            self.browse()
            .union(*(entry for entry in self if not active[entry]))
            ._open_tickets(dict(zip(self, teams, strict=True)))
        )
        tickets = self.env["helpdesk.ticket"].sudo().union(*(active[entry] for entry in self))
        # What the contacts read of their tickets' targets, read for all of them at once.
        tickets.fetch(["ticket_sla_ids"])
        for entry in self:
            entry.ticket_id = active[entry]
            entry._omnichannel_update_ticket_sla()
        self.env["omnichannel.service.quality"]._check_complaints(
            [(active[entry], entry) for entry in self]
        )
        # The customers' words on their tickets, where agents read and answer them (and see the
        # files they sent, attached to these messages once downloaded).
        posts = [
            (active[entry], entry.body or plaintext2html(entry.summary), entry.partner_id.id)
            for entry in self
        ]
        messages = tickets.with_context(omnichannel_skip_capture=True)._omnichannel_post_comments(
            posts
        )
        for entry, message in zip(self, messages, strict=True):
            entry.ticket_message_id = message
        return tickets

    def _open_tickets(self, team_of):
        """{interaction: its new ticket}, opened in `team_of[interaction]`, else the channel's team,
        else the company's default team: one create per company."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        opened, ticket_channels = {}, {}
        for company, entries in self.grouped("company_id").items():
            vals_list = []
            for entry in entries:
                key = (entry.channel, company)
                if key not in ticket_channels:
                    ticket_channels[key] = (
                        self.env["helpdesk.ticket.channel"]
                        .sudo()
                        ._for_omnichannel(entry.channel, company)
                    )
                ticket_channel = ticket_channels[key]
                team = (
                    team_of[entry]
                    or ticket_channel.omnichannel_team_id
                    or company.omnichannel_default_team_id
                )
                vals_list.append(
                    {
                        "name": entry.summary,
                        "description": entry.body or plaintext2html(entry.summary),
                        "partner_id": entry.partner_id.id,
                        # Assignment is routing's job, not whoever delivered the contact.
                        "user_id": False,
                        "team_id": team.id,
                        "channel_id": ticket_channel.id,
                        "company_id": company.id,
                    }
                )
            tickets = (
                Ticket.with_company(company)
                .with_context(omnichannel_skip_capture=True, mail_create_nolog=True)
                .create(vals_list)
            )
            opened.update(zip(entries, tickets, strict=True))
        return opened

    def _find_active_ticket(self):
        """The customer's open ticket with a contact on this channel within the company's window."""
        self.ensure_one()
        return self._find_active_tickets()[self]

    def _find_active_tickets(self):
        """{interaction: the customer's open ticket with a contact on its channel within the
        company's window, or an empty one}, for all of them in one query."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        found = dict.fromkeys(self, Ticket)
        windowed = self.filtered(lambda entry: entry.company_id.omnichannel_ticket_window_hours)
        if not windowed:
            return found
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT wanted.id, (
                   SELECT interaction.ticket_id
                     FROM omnichannel_interaction interaction
                     JOIN helpdesk_ticket ticket ON ticket.id = interaction.ticket_id
                     LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                    WHERE interaction.commercial_partner_id = wanted.customer
                      AND interaction.channel = wanted.channel
                      AND interaction.company_id = wanted.company
                      AND interaction.date >= wanted.since
                      AND interaction.id != wanted.id
                      AND NOT COALESCE(stage.closed, FALSE)
                    ORDER BY interaction.date DESC, interaction.id DESC
                    LIMIT 1)
              FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::int[], %s::timestamp[])
                   AS wanted(id, customer, channel, company, since)
            """,
            (
                windowed.ids,
                [entry.commercial_partner_id.id for entry in windowed],
                [entry.channel for entry in windowed],
                [entry.company_id.id for entry in windowed],
                [
                    entry.date - timedelta(hours=entry.company_id.omnichannel_ticket_window_hours)
                    for entry in windowed
                ],
            ),
        )
        ticket_ids = dict(self.env.cr.fetchall())
        # Browsed together: what is read of one of them next is read for all.
        tickets = {
            ticket.id: ticket for ticket in Ticket.browse(sorted(set(ticket_ids.values()) - {None}))
        }
        for entry in windowed:
            found[entry] = tickets.get(ticket_ids[entry.id], Ticket)
        return found

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
