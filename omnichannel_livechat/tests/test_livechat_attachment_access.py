# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A visitor's file stays the chat session's attachment: an agent who may open the ticket reads
the session that became it, so opens the file from the ticket's chatter; whoever may not open the
ticket gets nothing of it."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.omnichannel_crm.tests.common import create_staff

from .common import LivechatCase


@tagged("post_install", "-at_install")
class TestLivechatAttachmentAccess(LivechatCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Team tickets: not in the chat, so the session itself is closed to them.
        cls.agent = create_staff(
            cls.env, "ticket_agent", "Zhou Agent", groups="helpdesk_mgmt.group_helpdesk_user_team"
        )
        cls.team.user_ids = [Command.link(cls.agent.id)]
        cls.outsider = create_staff(
            cls.env,
            "other_team_agent",
            "Qin Other Team",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.env["helpdesk.ticket.team"].create(
            {"name": "Mainland desk", "user_ids": [Command.set(cls.outsider.ids)]}
        )
        cls.employee = create_staff(
            cls.env, "plain_employee", "Plain Employee", groups="base.group_user"
        )
        cls.stranger_portal = new_test_user(
            cls.env,
            login="other.portal",
            email="other.portal@example.com",
            groups="base.group_portal",
        )

    def setUp(self):
        super().setUp()
        portal, self.chat = self._portal_visitor(
            "chen.jia", "Chen Jia", "chen.jia.portal@example.com"
        )
        self.attachment = self._visitor_sends_file(self.chat, portal, text="行李箱坏了")
        self.ticket = self.chat.omnichannel_ticket_id
        self.assertTrue(self.ticket)
        self.assertEqual(
            (self.attachment.res_model, self.attachment.res_id),
            ("discuss.channel", self.chat.id),
        )

    def _get(self, url, login=None):
        if login:
            self.authenticate(login, login)
        else:
            self.logout()
        return self.url_open(url)

    def test_an_agent_who_may_open_the_ticket_opens_the_file(self):
        self.assertFalse(self.chat.with_user(self.agent).is_member, "not in the chat")
        self.assertTrue(self.ticket.with_user(self.agent).has_access("read"))
        # The session is the ticket's conversation: read, not written or posted in by them.
        self.assertTrue(self.chat.with_user(self.agent).has_access("read"))
        self.assertFalse(self.chat.with_user(self.agent).has_access("write"))
        with self.assertRaises(AccessError):
            self.chat.with_user(self.agent).message_post(
                body="不在会话中", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertNotIn("不在会话中", self.chat.message_ids.mapped("body"))
        content = self._get(f"/web/content/{self.attachment.id}?download=true", "ticket_agent")
        self.assertEqual(content.status_code, 200)
        self.assertEqual(content.content, self.attachment.raw)
        image = self.url_open(f"/web/image/{self.attachment.id}")
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        # The ticket's chatter, as the agent's browser loads it, lists the file.
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "helpdesk.ticket", "thread_id": self.ticket.id},
        )
        listed = [file["id"] for file in result["data"].get("ir.attachment", [])]
        self.assertIn(self.attachment.id, listed)
        # Found by a search too (the attachments of the ticket's messages), one page at a time.
        Attachment = self.env["ir.attachment"].with_user(self.agent)
        self.assertIn(self.attachment, Attachment.search([("name", "=", "passport-page.png")]))
        self.assertEqual(
            Attachment.search([("id", "=", self.attachment.id)], limit=1, offset=0),
            self.attachment,
        )
        self.assertFalse(Attachment.search([("id", "=", self.attachment.id)], offset=1))

    def test_the_agent_may_read_the_file_not_change_or_delete_it(self):
        file = self.attachment.with_user(self.agent)
        self.assertEqual(file.name, "passport-page.png")
        with self.assertRaises(AccessError):
            file.write({"name": "renamed.png"})
        with self.assertRaises(AccessError):
            file.unlink()
        self.assertEqual(self.attachment.name, "passport-page.png")

    def test_who_may_not_open_the_ticket_gets_nothing(self):
        url = f"/web/content/{self.attachment.id}?download=true"
        for login in ("other_team_agent", "plain_employee", "other.portal", None):
            with self.subTest(login=login):
                self.assertNotEqual(self._get(url, login).status_code, 200)
                # Odoo answers an image it may not show with its placeholder picture.
                image = self.url_open(f"/web/image/{self.attachment.id}")
                self.assertNotEqual(image.content, self.attachment.raw)
        for user in (self.outsider, self.employee, self.stranger_portal):
            with self.subTest(user=user.login):
                self.assertFalse(self.ticket.with_user(user).has_access("read"))
                self.assertFalse(self.chat.with_user(user).has_access("read"))
                if not user.share:
                    Attachment = self.env["ir.attachment"].with_user(user)
                    self.assertFalse(Attachment.search([("id", "=", self.attachment.id)]))
                with self.assertRaises(AccessError):
                    self.attachment.with_user(user).check("read")
