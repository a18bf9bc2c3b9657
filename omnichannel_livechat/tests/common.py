# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Live chat sessions, visitors and operators, as the tests build them."""

import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.omnichannel_crm.tests.common import create_staff
from odoo.addons.omnichannel_crm.tests.media_samples import png_bytes


class LivechatCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.operator = create_staff(
            cls.env,
            "chat_operator",
            "Lin Operator",
            groups="omnichannel_crm.group_omnichannel_user,im_livechat.im_livechat_group_user",
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Island chat",
                "use_sla": True,
                "user_ids": [Command.set(cls.operator.ids)],
                "resource_calendar_id": cls.env.ref("omnichannel_crm.resource_calendar_24x7").id,
            }
        )
        cls.env.company.omnichannel_default_team_id = cls.team
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Island Tours chat", "user_ids": [Command.set(cls.operator.ids)]}
        )
        cls.Event = cls.env["omnichannel.inbound.event"]

    def _session(self, visitor_user=None):
        members = [Command.create({"partner_id": self.operator.partner_id.id})]
        if visitor_user:
            members.append(Command.create({"partner_id": visitor_user.partner_id.id}))
        session = self.env["discuss.channel"].create(
            {
                "name": "Visitor, Lin Operator",
                "channel_type": "livechat",
                "livechat_active": True,
                "livechat_channel_id": self.livechat.id,
                "livechat_operator_id": self.operator.partner_id.id,
                "anonymous_name": False if visitor_user else "Visitor 42",
                "channel_member_ids": members,
            }
        )
        guest = self.env["mail.guest"]
        if not visitor_user:
            guest = guest.create({"name": "Visitor 42"})
            session.add_members(guest_ids=guest.ids)
        return session, guest

    def _portal_visitor(self, login, name, email, **values):
        """A logged-in visitor (a portal user) and their chat session."""
        portal = new_test_user(
            self.env, login=login, name=name, email=email, groups="base.group_portal", **values
        )
        session, _guest = self._session(visitor_user=portal)
        return portal, session

    def _visitor_says(self, session, guest, text, user=None):
        if user:
            session.with_user(user).message_post(
                body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            return
        public = self.env.ref("base.public_user")
        session.with_user(public).with_context(guest=guest).sudo().message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _visitor_sends_file(
        self, session, portal=None, text="", guest=None, name="passport-page.png", process=True
    ):
        """What the live chat does when a visitor (a portal user, else the guest) attaches a
        picture: the upload is a pending attachment of the composer, then the message posted with
        it makes it the session's. The pipeline runs unless `process` is false."""
        author = portal or self.env.ref("base.public_user")
        attachment = (
            self.env["ir.attachment"]
            .with_user(author)
            .sudo()
            .create(
                {
                    "name": name,
                    "raw": png_bytes(),
                    "res_model": "mail.compose.message",
                    "res_id": 0,
                }
            )
        )
        poster = session.with_user(author)
        if not portal:
            poster = poster.with_context(guest=guest).sudo()
        poster.message_post(
            body=text,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachment.ids,
        )
        if process:
            self.Event._process_pending()
        return attachment

    def _operator_says(self, session, text):
        session.with_user(self.operator).message_post(
            body=text, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _events(self, session):
        return self.Event.search([("source", "=", f"discuss.channel,{session.id}")])

    def _code_sent_to(self, address):
        """The one-time code in the newest email or SMS sent to `address`, as its owner reads it."""
        mail = self.env["mail.mail"].search([("email_to", "=", address)], order="id desc", limit=1)
        text = mail.body_html if mail else ""
        if not mail and "sms.sms" in self.env:
            text = (
                self.env["sms.sms"]
                .search([("number", "=", address)], order="id desc", limit=1)
                .body
            )
        code = re.search(r"\b(\d{6})\b", text or "")
        self.assertTrue(code, f"a code was sent to {address}")
        return code.group(1)
