# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import html2plaintext

from ..tools import text_signals
from .omnichannel_data import LOW_RATING

# This many inbound contacts within 24 hours, none of them answered, read as an upset customer.
REPEATED_CONTACTS = 3
# ... spread over at least this long: the customer kept writing, not typed three lines at once.
REPEATED_CONTACTS_SPAN = timedelta(minutes=30)
# Complaints on this many tickets of one customer within the company's window escalate.
REPEATED_COMPLAINTS = 2
# A single low rating: the account manager follows it up within this many hours.
LOW_RATING_FOLLOW_UP_HOURS = 72


class OmnichannelServiceQuality(models.AbstractModel):
    """The quality loop on tickets: a complaint read from the customer's words raises the priority,
    solved tickets ask for a rating, a low rating is followed up by the account manager, and a
    customer who rates us low twice, or complains on two tickets, gets an escalation."""

    _name = "omnichannel.service.quality"
    _description = "Service Quality"

    @api.model
    def _check_complaints(self, pairs):
        """Read each customer's new message on its ticket ([(ticket, interaction)], in order): a
        complaint raises the priority once and flags the ticket, with the signals found. The
        customers' contacts of the last 24 hours that no agent answered yet (since an agent's last
        message or answered call to them) are counted for all of them in one query: a customer
        chatting with an agent is not upset, one writing again and again to nobody is."""
        pairs = [
            (ticket, interaction)
            for ticket, interaction in pairs
            if not ticket.omnichannel_complaint
        ]
        if not pairs:
            return
        Interaction = self.env["omnichannel.interaction"].sudo()
        Interaction.flush_model(
            ["commercial_partner_id", "direction", "interaction_type", "date", "user_id"]
        )
        self.env.cr.execute(
            """
            SELECT wanted.id, unanswered.count, wanted.at - unanswered.first
              FROM unnest(%s::int[], %s::int[], %s::timestamp[], %s::timestamp[])
                   AS wanted(id, customer, since, at)
              CROSS JOIN LATERAL (
                   SELECT count(*) AS count, min(interaction.date) AS first
                     FROM omnichannel_interaction interaction
                    WHERE interaction.commercial_partner_id = wanted.customer
                      AND interaction.direction = 'inbound'
                      AND interaction.interaction_type != 'event'
                      AND interaction.date <= wanted.at
                      AND interaction.date >= GREATEST(wanted.since, COALESCE((
                          SELECT max(answer.date) FROM omnichannel_interaction answer
                           WHERE answer.commercial_partner_id = wanted.customer
                             AND answer.direction = 'outbound'
                             AND answer.interaction_type != 'event'
                             AND answer.user_id IS NOT NULL
                             AND answer.date <= wanted.at), wanted.since))
              ) AS unanswered
            """,
            (
                [interaction.id for _ticket, interaction in pairs],
                [interaction.commercial_partner_id.id for _ticket, interaction in pairs],
                [interaction.date - timedelta(hours=24) for _ticket, interaction in pairs],
                [interaction.date for _ticket, interaction in pairs],
            ),
        )
        # A burst of lines typed at once is one contact, not an upset customer.
        repeats = {
            interaction_id: count if span and span >= REPEATED_CONTACTS_SPAN else 0
            for interaction_id, count, span in self.env.cr.fetchall()
        }
        for ticket, interaction in pairs:
            if not ticket.omnichannel_complaint:  # flagged by a message before this one
                self._flag_complaint(ticket, interaction, repeats[interaction.id])

    @api.model
    def _flag_complaint(self, ticket, interaction, repeats):
        company = ticket.company_id or self.env.company
        env = company._omnichannel_agents_env()  # read by the agents
        text = html2plaintext(interaction.body or "") or interaction.summary
        keywords = text_signals.keyword_list(company.omnichannel_complaint_keywords)
        signals = [
            env._("keyword “%(word)s”", word=detail)
            if kind == "keyword"
            else env._("%(count)s exclamation marks", count=detail)
            for kind, detail in text_signals.complaint_signals(text, keywords)
        ]
        if repeats >= REPEATED_CONTACTS:
            signals.append(
                env._("%(count)s contacts without an answer within 24 hours", count=repeats)
            )
        if not signals:
            return
        ticket.sudo().write(
            {
                "omnichannel_complaint": True,
                "omnichannel_complaint_reason": "; ".join(signals),
                "priority": str(min(3, int(ticket.priority or 0) + 1)),
            }
        )

    @api.model
    def _request_ratings(self, tickets):
        """Ask the customers of solved `tickets` how it went, on their preferred channel."""
        for ticket in tickets.filtered("partner_id"):
            company = ticket.company_id or self.env.company
            scenario = company.omnichannel_csat_scenario_id
            if not scenario or ticket.omnichannel_is_escalation:
                continue
            ticket.sudo()._rating_get_access_token(ticket.partner_id)
            self.env["omnichannel.notification"].notify(ticket.partner_id, scenario, record=ticket)

    @api.model
    def _follow_up_low_rating(self, ticket, rating):
        """A rating below 4 on `ticket`: a second one from the customer within the window
        escalates; a single one is a to-do for the account manager (else the team leader, else the
        ticket's agent), due within 72 hours, with the rating and the ticket."""
        if self._escalate_low_ratings(ticket):
            return
        user = (
            ticket.partner_id._omnichannel_account_manager()
            if ticket.partner_id
            else self.env["res.users"]
        ) or (ticket.team_id.user_id or ticket.user_id)
        if not user:
            return
        user_env = ticket.with_context(lang=user.lang, tz=user.tz or self.env.user.tz).env
        customer = ticket.commercial_partner_id.display_name or ticket.partner_id.display_name
        rated = user_env._(
            "%(ticket)s was rated %(rating)s/5.",
            ticket=ticket.display_name,
            rating=f"{rating.rating:g}",
        )
        ticket.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(
                ticket.with_env(user_env),
                fields.Datetime.now() + timedelta(hours=LOW_RATING_FOLLOW_UP_HOURS),
            ),
            summary=user_env._("Low rating: call %(customer)s back", customer=customer),
            note=Markup("<p>%s</p><p>%s</p>") % (rated, rating.feedback or ""),
            user_id=user.id,
        )

    @api.model
    def _escalate_low_ratings(self, ticket):
        """A second low rating from the customer of `ticket` within the window escalates, linked
        to the low-rated tickets. Returns whether it did."""
        company = ticket.company_id or self.env.company
        env = company._omnichannel_agents_env()  # read by the agents
        customer = ticket.commercial_partner_id
        since = fields.Datetime.now() - timedelta(days=company.omnichannel_escalation_days)
        low = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", ticket._name),
                    ("consumed", "=", True),
                    ("rating", "<", LOW_RATING),
                    ("partner_id.commercial_partner_id", "=", customer.id),
                    ("write_date", ">=", since),
                ]
            )
        )
        rated = self.env["helpdesk.ticket"].sudo().browse(low.mapped("res_id")).exists()
        if len(rated) < 2:
            return False
        lines = [
            f"{low_rated.display_name}: {rating.rating:g}/5 {rating.feedback or ''}"
            for low_rated in rated
            for rating in low.filtered(lambda r, low_rated=low_rated: r.res_id == low_rated.id)[:1]
        ]
        self._escalate(
            customer,
            company,
            rated,
            env._("Escalation: %(customer)s rated us low twice", customer=customer.name),
            env._("Low ratings:"),
            lines,
        )
        return True

    @api.model
    def _escalate_repeated_complaints(self, tickets):
        """Tickets just flagged as complaints: a customer complaining on a second ticket within the
        window escalates, linked to the complaint tickets."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        for ticket in tickets.filtered(
            lambda ticket: ticket.commercial_partner_id and not ticket.omnichannel_is_escalation
        ):
            company = ticket.company_id or self.env.company
            customer = ticket.commercial_partner_id
            since = fields.Datetime.now() - timedelta(
                days=company.omnichannel_complaint_escalation_days
            )
            complaints = Ticket.search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("omnichannel_complaint", "=", True),
                    ("omnichannel_is_escalation", "=", False),
                    ("omnichannel_complaint_date", ">=", since),
                ]
            )
            if len(complaints) < REPEATED_COMPLAINTS:
                continue
            env = company._omnichannel_agents_env()  # read by the agents
            self._escalate(
                customer,
                company,
                complaints,
                env._("Escalation: %(customer)s complained twice", customer=customer.name),
                env._("Complaints:"),
                [
                    f"{complaint.display_name}: {complaint.omnichannel_complaint_reason or ''}"
                    for complaint in complaints
                ],
            )

    @api.model
    def _escalate(self, customer, company, tickets, name, heading, lines):
        """One open escalation ticket per customer for the cross-department team, about `tickets`
        (later ones join it while it is open); the account manager gets a to-do."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        escalation = Ticket.search(
            [
                ("omnichannel_is_escalation", "=", True),
                ("commercial_partner_id", "=", customer.id),
                ("closed", "=", False),
            ],
            limit=1,
        )
        if escalation:
            escalation.omnichannel_escalated_ticket_ids = [Command.link(t.id) for t in tickets]
            return
        manager = customer.omnichannel_account_manager_id or customer.user_id
        items = Markup("").join(Markup("<li>%s</li>") % line for line in lines)
        escalation = Ticket.with_context(omnichannel_skip_capture=True).create(
            {
                "name": name,
                "description": Markup("<p>%s</p><ul>%s</ul>") % (heading, items),
                "partner_id": customer.id,
                "team_id": company.omnichannel_escalation_team_id.id,
                "company_id": company.id,
                "priority": "3",
                "omnichannel_is_escalation": True,
                "omnichannel_escalated_ticket_ids": [Command.set(tickets.ids)],
            }
        )
        if manager:
            escalation.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=escalation.with_context(lang=manager.lang).env._(
                    "Escalation: call %(customer)s", customer=customer.name
                ),
                user_id=manager.id,
            )
