# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import html2plaintext

from ..tools import text_signals
from .omnichannel_data import LOW_RATING

# This many inbound contacts within 24 hours read as an upset customer.
REPEATED_CONTACTS = 3


class OmnichannelServiceQuality(models.AbstractModel):
    """The quality loop on tickets: a complaint read from the customer's words raises the priority,
    solved tickets ask for a rating, and a customer who rates us low twice gets an escalation."""

    _name = "omnichannel.service.quality"
    _description = "Service Quality"

    @api.model
    def _check_complaint(self, ticket, interaction):
        """Read the customer's new message on `ticket`: a complaint raises the priority once and
        flags the ticket, with the signals found."""
        if ticket.omnichannel_complaint:
            return
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
        repeats = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search_count(
                [
                    ("commercial_partner_id", "=", interaction.commercial_partner_id.id),
                    ("direction", "=", "inbound"),
                    ("interaction_type", "!=", "event"),
                    ("date", ">=", interaction.date - timedelta(hours=24)),
                ]
            )
        )
        if repeats >= REPEATED_CONTACTS:
            signals.append(env._("%(count)s contacts within 24 hours", count=repeats))
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
    def _escalate_if_repeated(self, ticket):
        """A second low rating from the customer of `ticket` within the window opens one escalation
        ticket for the cross-department team, linked to the low-rated tickets; later low ratings
        join it while it is open. The account manager is told."""
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
        Ticket = self.env["helpdesk.ticket"].sudo()
        rated = Ticket.browse(low.mapped("res_id")).exists()
        if len(rated) < 2:
            return
        escalation = Ticket.search(
            [
                ("omnichannel_is_escalation", "=", True),
                ("commercial_partner_id", "=", customer.id),
                ("closed", "=", False),
            ],
            limit=1,
        )
        if escalation:
            escalation.omnichannel_escalated_ticket_ids = [Command.link(t.id) for t in rated]
            return
        manager = customer.omnichannel_account_manager_id or customer.user_id
        lines = Markup("").join(
            Markup("<li>%s: %s/5 %s</li>")
            % (low_rated.display_name, f"{rating.rating:g}", rating.feedback or "")
            for low_rated in rated
            for rating in low.filtered(lambda r, low_rated=low_rated: r.res_id == low_rated.id)[:1]
        )
        escalation = Ticket.with_context(omnichannel_skip_capture=True).create(
            {
                "name": env._(
                    "Escalation: %(customer)s rated us low twice", customer=customer.name
                ),
                "description": Markup("<p>%s</p><ul>%s</ul>") % (env._("Low ratings:"), lines),
                "partner_id": customer.id,
                "team_id": company.omnichannel_escalation_team_id.id,
                "company_id": company.id,
                "priority": "3",
                "omnichannel_is_escalation": True,
                "omnichannel_escalated_ticket_ids": [Command.set(rated.ids)],
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
