# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import escape

from odoo import models


class HelpdeskTicket(models.Model):
    """Customers' messages posted on their tickets many at a time, as the inbound lanes receive
    them in batches."""

    _inherit = "helpdesk.ticket"

    def _omnichannel_post_comments(self, posts):
        """Post each customer's message on its ticket as `message_post` posts a comment of its
        author: the message on the ticket's thread, its author following the ticket, the post hook,
        the followers notified. What message_post reads and writes per message is done here once
        for all: the messages created in one go, the threads' first messages and the followers
        read in one query each. Each message is still notified on its own by Odoo's
        `_notify_thread`.

        `posts`: [(ticket, body, author id)], the tickets being of `self`; returns the messages, in
        the same order."""
        if not posts:
            return self.env["mail.message"]
        tickets = self._fallback_lang()
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        authors = self.env["res.partner"].browse({author_id for _t, _b, author_id in posts})
        emails = {author.id: author.email_formatted for author in authors}
        companies = tickets._mail_get_companies(default=self.env.company)
        alias_domains = tickets._mail_get_alias_domains(default_company=self.env.company)
        # The reply-to message_post gives each message: its ticket's, defaulting to its author.
        tickets_of_email = defaultdict(set)
        for ticket, _body, author_id in posts:
            tickets_of_email[emails[author_id]].add(ticket.id)
        reply_to = {}
        for email_from, ticket_ids in tickets_of_email.items():
            reply_to.update(tickets.browse(ticket_ids)._notify_get_reply_to(default=email_from))
        # A flat thread's messages answer its first one (message_post's parent).
        first_messages = self._omnichannel_first_messages() if self._mail_flat_thread else {}
        vals_list = []
        for ticket, body, author_id in posts:
            vals_list.append(
                {
                    "email_add_signature": True,
                    "record_name": ticket.sudo().display_name,
                    "author_id": author_id,
                    "author_guest_id": False,
                    "email_from": emails[author_id],
                    "model": self._name,
                    "res_id": ticket.id,
                    "body": escape(body),
                    "message_type": "comment",
                    "parent_id": first_messages.get(ticket.id, False),
                    "subject": False,
                    "subtype_id": subtype_id,
                    "partner_ids": [],
                    "record_alias_domain_id": alias_domains[ticket.id].id,
                    "record_company_id": companies[ticket.id].id,
                    "reply_to": reply_to[ticket.id],
                    "attachment_ids": [],
                }
            )
        messages = tickets._message_create(vals_list)
        for (ticket, _body, _author), message in zip(posts, messages, strict=True):
            # Two messages on a flat thread that had none: the second one answers the first.
            first = first_messages.setdefault(ticket.id, message.id)
            if self._mail_flat_thread and first != message.id and not message.parent_id:
                message.parent_id = first
        tickets._omnichannel_subscribe_authors(posts, authors)
        # Odoo's sms module turns each message's HTML back into text for its SMS notifications,
        # whether or not a follower is notified by SMS: the text is at hand.
        with_text = "sms_content" in tickets._get_notify_valid_parameters()
        with self.env["mail.followers"]._omnichannel_known_recipients(
            tickets, "comment", subtype_id
        ):
            for (posted_on, body, _author), message, msg_values in zip(
                posts, messages, vals_list, strict=True
            ):
                ticket = tickets.browse(posted_on.id)
                ticket._message_post_after_hook(message, msg_values)
                ticket._notify_thread(
                    message, msg_values, **({"sms_content": body} if with_text else {})
                )
        return messages

    def _omnichannel_first_messages(self):
        """{ticket id: id of its thread's first message}, for those of these tickets that have one."""
        return dict(
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("message_type", "!=", "user_notification"),
                ],
                ["res_id"],
                ["id:min"],
            )
        )

    def _omnichannel_subscribe_authors(self, posts, authors):
        """The authors of `posts` follow their tickets so that they receive the answers, as
        message_post subscribes its author: the running user when active, else the message's
        author. Those already following are found in one query, the others added in one go."""
        if self.env.context.get("mail_create_nosubscribe"):
            return
        user = self.env.user
        active_authors = set(authors.filtered("active").ids)
        wanted = set()
        for ticket, _body, author_id in posts:
            if user.active:
                wanted.add((ticket.id, user.partner_id.id))
            elif author_id in active_authors:
                wanted.add((ticket.id, author_id))
        if not wanted:
            return
        following = {
            (follower.res_id, follower.partner_id.id)
            for follower in self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", list({ticket_id for ticket_id, _p in wanted})),
                    ("partner_id", "in", list({partner_id for _t, partner_id in wanted})),
                ]
            )
        }
        # What message_subscribe adds (Odoo's default subtypes: the external ones for customers),
        # added for all the tickets and authors at once.
        missing = sorted(wanted - following)
        if not missing:
            return
        Followers = self.env["mail.followers"].sudo().with_context(default_partner_id=False)
        partner_ids = list({partner_id for _t, partner_id in missing})
        customer_ids = (
            self.env["res.partner"]
            .sudo()
            .search([("id", "in", partner_ids), ("partner_share", "=", True)])
            .ids
        )
        by_partner = {}
        for ticket_id, partner_id in missing:
            by_partner.setdefault(partner_id, []).append(ticket_id)
        vals_list = []
        for partner_id, ticket_ids in by_partner.items():
            new, _update = Followers._add_default_followers(
                self._name, ticket_ids, [partner_id], customer_ids, check_existing=False
            )
            vals_list += [
                dict(values, res_id=res_id)
                for res_id, of_record in new.items()
                for values in of_record
            ]
        Followers.create(vals_list)
