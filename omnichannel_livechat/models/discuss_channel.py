# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import html2plaintext

from odoo.addons.omnichannel_crm.tools.identity import (
    EMAIL,
    PHONE,
    InvalidIdentifier,
    normalize_identifier,
)
from odoo.addons.omnichannel_crm.tools.inbound import InboundContact

# What a visitor may type to be recognised: an email address, a phone number.
TYPED_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TYPED_PHONE_RE = re.compile(r"\+?\d[\d ()-]{5,18}\d")


class DiscussChannel(models.Model):
    """A live chat session is one more channel on the pipeline: its messages are inbound contacts
    (the visitor's) and outbound ones (the operator's) of channel `chat`, recorded once the visitor
    is known: logged in, or by the email or phone number they typed in the chat."""

    _inherit = "discuss.channel"

    omnichannel_partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index="btree_not_null", copy=False
    )
    omnichannel_ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Ticket", readonly=True, index="btree_not_null", copy=False
    )
    # The last message handed to the pipeline: each message is recorded once.
    omnichannel_recorded_message_id = fields.Integer(
        string="Last recorded message", readonly=True, copy=False
    )
    omnichannel_service_level_id = fields.Many2one(
        related="omnichannel_partner_id.commercial_partner_id.omnichannel_service_level_id",
        string="Service level",
    )
    omnichannel_loyalty_tier_id = fields.Many2one(
        related="omnichannel_partner_id.commercial_partner_id.omnichannel_loyalty_tier_id",
        string="Loyalty tier",
    )
    omnichannel_open_ticket_ids = fields.Many2many(
        related="omnichannel_ticket_id.omnichannel_open_ticket_ids", string="Other open tickets"
    )
    omnichannel_recent_interaction_ids = fields.Many2many(
        related="omnichannel_ticket_id.omnichannel_recent_interaction_ids",
        string="Recent interactions",
    )

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self.channel_type == "livechat" and message.message_type == "comment":
            self._omnichannel_record()
        return result

    # ----------------------------------------------------------------------------------------------
    # Translation
    # ----------------------------------------------------------------------------------------------

    def _omnichannel_is_operator(self, message):
        """Written by the operator (an internal user) or by the session's chatbot."""
        author = message.author_id
        return bool(author) and (
            author == self.livechat_operator_id
            or bool(author.with_context(active_test=False).user_ids.filtered(lambda u: not u.share))
        )

    def _omnichannel_visitor(self):
        """The logged-in visitor's partner (a portal user), if any: Odoo adds a visitor to the
        session's members only when they are logged in."""
        staff = self.env.ref("base.partner_root") | self.livechat_operator_id
        return self.channel_member_ids.partner_id.filtered(
            lambda partner: (
                partner not in staff
                and (users := partner.with_context(active_test=False).user_ids)
                and all(user.share for user in users)
            )
        )[:1]

    def _omnichannel_identifiers(self):
        """The visitor's identifiers: a logged-in visitor's email and phone; an anonymous visitor's
        are only what they typed in this chat."""
        visitor = self._omnichannel_visitor()
        if visitor:
            return [(EMAIL, visitor.email), (PHONE, visitor.mobile or visitor.phone)]
        typed = " ".join(
            html2plaintext(message.body or "")
            for message in self.message_ids
            if message.message_type == "comment" and not self._omnichannel_is_operator(message)
        )
        region = self.env["omnichannel.identity"]._region_for(self._omnichannel_company())
        identifiers = []
        for kind, pattern in ((EMAIL, TYPED_EMAIL_RE), (PHONE, TYPED_PHONE_RE)):
            for candidate in pattern.findall(typed):
                try:
                    normalize_identifier(kind, candidate, region)
                except InvalidIdentifier:
                    continue
                identifiers.append((kind, candidate))
                break
        return identifiers

    def _omnichannel_company(self):
        operator = self.livechat_operator_id.user_ids[:1]
        return operator.company_id or self.env.company

    def _omnichannel_record(self):
        """Hand the session's new messages to the pipeline, once the visitor is known: the messages
        written before they were go too, in order."""
        self.ensure_one()
        identifiers = self._omnichannel_identifiers()
        if not any(value for _kind, value in identifiers):
            return
        messages = self.message_ids.filtered(
            lambda message: (
                message.id > self.omnichannel_recorded_message_id
                and message.message_type == "comment"
                and html2plaintext(message.body or "").strip()
            )
        ).sorted("id")
        if not messages:
            return
        company = self._omnichannel_company()
        visitor_name = self._omnichannel_visitor().name or self.anonymous_name or None
        contacts = []
        for message in messages:
            operator = self._omnichannel_is_operator(message)
            author_user = message.author_id.user_ids.filtered(lambda user: not user.share)[:1]
            contacts.append(
                InboundContact(
                    channel="chat",
                    source=f"{self._name},{self.id}",
                    external_ref=f"livechat-message:{message.id}",
                    company_id=company.id,
                    identifiers=identifiers,
                    direction="outbound" if operator else "inbound",
                    date=message.date,
                    text=html2plaintext(message.body or "").strip(),
                    sender_name=visitor_name,
                    open_ticket=not operator,
                    data={"author_user_id": author_user.id} if operator else {},
                )
            )
        self.sudo().omnichannel_recorded_message_id = messages[-1].id
        self.env["omnichannel.inbound.event"].sudo()._store(contacts)

    # ----------------------------------------------------------------------------------------------
    # Ticket
    # ----------------------------------------------------------------------------------------------

    def execute_command_ticket(self, **kwargs):
        """/ticket: the session joins the customer's chat ticket (one is opened when there is
        none), and the operator sees it with the customer's context."""
        self.ensure_one()
        ticket = self._omnichannel_ticket()
        if not ticket:
            message = self.env._(
                "The visitor is not known yet: ask for their email address or phone number, then "
                "type /ticket again."
            )
        else:
            customer = ticket.commercial_partner_id
            message = self.env._(
                "Ticket %(ticket)s for %(customer)s (service level: %(level)s, other open tickets: "
                "%(open)s).",
                ticket=Markup('<a href="/odoo/helpdesk.ticket/%s">%s</a>')
                % (ticket.id, ticket.display_name),
                customer=customer.display_name,
                level=customer.omnichannel_service_level_id.name or "-",
                open=len(ticket.omnichannel_open_ticket_ids),
            )
        self.env.user._bus_send_transient_message(self, message)

    def action_omnichannel_ticket(self):
        """The button of the session form: the session's ticket, opened when there is none."""
        self.ensure_one()
        ticket = self._omnichannel_ticket()
        if not ticket:
            return self.execute_command_ticket()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def _omnichannel_ticket(self):
        """The session's ticket: recorded by the pipeline, else one opened now for the known
        customer with the conversation so far; an empty recordset while the visitor is unknown."""
        self._omnichannel_record()
        # Claimed as a lane claims them: a lane working on the same events meanwhile is skipped.
        self.env["omnichannel.inbound.event"].sudo()._process_pending(
            source=f"{self._name},{self.id}"
        )
        session = self.sudo()
        if session.omnichannel_ticket_id or not session.omnichannel_partner_id:
            return session.omnichannel_ticket_id
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Live chat with %(customer)s",
                        customer=session.omnichannel_partner_id.display_name,
                    ),
                    "partner_id": session.omnichannel_partner_id.id,
                    "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web").id,
                    "description": self._get_channel_history(),
                    "company_id": self._omnichannel_company().id,
                }
            )
        )
        session.omnichannel_ticket_id = ticket
        # The conversation recorded so far belongs to the ticket.
        self.env["omnichannel.interaction"].sudo().search(
            [
                ("channel", "=", "chat"),
                ("ticket_id", "=", False),
                (
                    "external_ref",
                    "in",
                    [f"livechat-message:{id_}" for id_ in session.message_ids.ids],
                ),
            ]
        ).write({"ticket_id": ticket.id})
        return ticket
