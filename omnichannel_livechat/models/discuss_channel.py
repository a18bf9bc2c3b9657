# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext

from odoo.addons.omnichannel_crm.tools.inbound import InboundContact


class DiscussChannel(models.Model):
    """A live chat session is one more channel on the pipeline: its messages are inbound contacts
    (the visitor's) and outbound ones (the operator's) of channel `chat`, recorded once the visitor
    is known: logged in, or verified (discuss_channel_visitor.py). An address the visitor typed is
    only a claim until then: nothing is recorded on anyone's timeline."""

    _inherit = "discuss.channel"

    # The customer's context is for the staff: a visitor (portal user or guest) reads none of it.
    omnichannel_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
    )
    omnichannel_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        readonly=True,
        index="btree_not_null",
        copy=False,
        groups="base.group_user",
    )
    # The last message handed to the pipeline: each message is recorded once.
    omnichannel_recorded_message_id = fields.Integer(
        string="Last recorded message", readonly=True, copy=False, groups="base.group_user"
    )
    omnichannel_service_level_id = fields.Many2one(
        related="omnichannel_partner_id.commercial_partner_id.omnichannel_service_level_id",
        string="Service level",
        groups="base.group_user",
    )
    omnichannel_loyalty_tier_id = fields.Many2one(
        related="omnichannel_partner_id.commercial_partner_id.omnichannel_loyalty_tier_id",
        string="Loyalty tier",
        groups="base.group_user",
    )
    omnichannel_open_ticket_ids = fields.Many2many(
        related="omnichannel_ticket_id.omnichannel_open_ticket_ids",
        string="Other open tickets",
        groups="base.group_user",
    )
    omnichannel_recent_interaction_ids = fields.Many2many(
        related="omnichannel_ticket_id.omnichannel_recent_interaction_ids",
        string="Recent interactions",
        groups="base.group_user",
    )

    # What the access rule on sessions reads (security/ir_rule.xml).
    omnichannel_ticket_readable = fields.Boolean(
        string="On a ticket I may read",
        compute="_compute_omnichannel_ticket_readable",
        search="_search_omnichannel_ticket_readable",
    )

    # The user's own answer, and none while their access without it is asked (message_post).
    @api.depends_context("uid", "omnichannel_without_ticket_access")
    def _compute_omnichannel_ticket_readable(self):
        Ticket = self._omnichannel_user_tickets()
        sessions = self.sudo()
        readable = (
            Ticket.search([("id", "in", sessions.omnichannel_ticket_id.ids)])
            if Ticket.has_access("read")
            and not self.env.context.get("omnichannel_without_ticket_access")
            else Ticket
        )
        for session, session_sudo in zip(self, sessions, strict=True):
            session.omnichannel_ticket_readable = session_sudo.omnichannel_ticket_id in readable

    def _search_omnichannel_ticket_readable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        if self.env.context.get("omnichannel_without_ticket_access"):
            # The access one has to the sessions without the rule on their tickets.
            return [("id", "=", False)] if (operator == "=") == value else []
        Ticket = self._omnichannel_user_tickets()
        tickets = Ticket._search([]) if Ticket.has_access("read") else []
        if (operator == "=") == value:
            return [("omnichannel_ticket_id", "in", tickets)]
        return [
            "|",
            ("omnichannel_ticket_id", "=", False),
            ("omnichannel_ticket_id", "not in", tickets),
        ]

    def _omnichannel_user_tickets(self):
        """Tickets as the current user sees them: rules on sessions are applied as superuser, the
        ticket's own rules for the user decide here."""
        return self.env["helpdesk.ticket"].with_user(self.env.uid)

    def message_post(self, **kwargs):
        # Reading a session through its ticket is not taking part in it: posting in the visitor's
        # chat takes what it took before (being in the chat, managing live chat), since Odoo lets
        # whoever reads a channel post in it.
        if (
            self.channel_type == "livechat"
            and not self.env.su
            and not self.with_context(omnichannel_without_ticket_access=True).has_access("read")
        ):
            raise AccessError(
                self.env._(
                    "Only the people in this live chat can write in it; answer on the ticket."
                )
            )
        return super().message_post(**kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self.channel_type == "livechat" and message.message_type == "comment":
            if not self._omnichannel_is_operator(message):
                self._omnichannel_read_visitor_message(message)
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

    def _omnichannel_company(self):
        operator = self.livechat_operator_id.user_ids[:1]
        return operator.company_id or self.env.company

    def _omnichannel_record(self):
        """Hand the session's new messages to the pipeline, once the visitor is known: the messages
        written before they were go too, in order, each once."""
        self.ensure_one()
        session = self.sudo()
        customer = session.omnichannel_partner_id
        if not customer:
            visitor = self._omnichannel_visitor()
            if not visitor:
                return
            # A logged-in visitor is their own partner, whoever else shares their email or phone.
            session.write(
                {
                    "omnichannel_partner_id": visitor.id,
                    "omnichannel_verification": "login",
                    "omnichannel_verified_date": fields.Datetime.now(),
                }
            )
            customer = visitor
        # Only the messages not recorded yet are read: a long session's history is not loaded
        # again at every post.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("id", ">", session.omnichannel_recorded_message_id),
                    ("message_type", "=", "comment"),
                ],
                order="id",
            )
            .filtered(
                lambda message: message.attachment_ids or html2plaintext(message.body or "").strip()
            )
        )
        if not messages:
            return
        company = self._omnichannel_company()
        contacts = []
        for message in messages:
            operator = self._omnichannel_is_operator(message)
            author_user = message.author_id.user_ids.filtered(lambda user: not user.share)[:1]
            files = message.attachment_ids
            # The visitor's files are on the message already: the timeline entry and the
            # ticket link them (omnichannel_inbound_event.py).
            data = {"author_user_id": author_user.id} if operator else {"attachment_ids": files.ids}
            text = html2plaintext(message.body or "").strip() or ", ".join(files.mapped("name"))
            contacts.append(
                InboundContact(
                    channel="chat",
                    source=f"{self._name},{self.id}",
                    external_ref=f"livechat-message:{message.id}",
                    company_id=company.id,
                    partner_id=customer.id,
                    direction="outbound" if operator else "inbound",
                    date=message.date,
                    text=text,
                    open_ticket=not operator,
                    data=data,
                )
            )
        session.omnichannel_recorded_message_id = messages[-1].id
        self.env["omnichannel.inbound.event"].sudo()._store(contacts)

    # ----------------------------------------------------------------------------------------------
    # Ticket
    # ----------------------------------------------------------------------------------------------

    def execute_command_ticket(self, **kwargs):
        """/ticket: the session joins the customer's chat ticket (one is opened when there is
        none), and the operator sees it with the customer's context."""
        self.ensure_one()
        self._omnichannel_check_staff()
        ticket = self._omnichannel_ticket()
        if not ticket:
            message = self._omnichannel_unknown_visitor_message()
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
        self._omnichannel_check_staff()
        ticket = self._omnichannel_ticket()
        if not ticket:
            return self.execute_command_ticket()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket.id,
            "view_mode": "form",
        }

    def _omnichannel_check_staff(self):
        """The session's customer and ticket are for the staff, not for the visitor calling the
        same method over RPC."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._(
                    "Only staff can link a live chat session to a ticket or verify a visitor."
                )
            )

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
        conversation = (
            self.env["omnichannel.interaction"]
            .sudo()
            .search(
                [
                    ("channel", "=", "chat"),
                    ("ticket_id", "=", False),
                    (
                        "external_ref",
                        "in",
                        [f"livechat-message:{id_}" for id_ in session.message_ids.ids],
                    ),
                ]
            )
        )
        conversation.write({"ticket_id": ticket.id})
        # The description holds the conversation's words; the files the visitor sent go on
        # the ticket beside it, as they are (the session's attachments).
        files = conversation.media_ids.attachment_id
        if files:
            ticket._message_log(
                body=self.env._("Files the customer sent in the live chat before this ticket."),
                message_type="comment",
                author_id=self.env.ref("base.partner_root").id,
                attachment_ids=files.ids,
            )
        return ticket
