# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import create_staff, written_tables

INBOUND_EMAIL = """Return-Path: <zhang.wei@family.example.org>
From: Zhang Wei <zhang.wei@family.example.org>
To: care@island-tours.example.com
Subject: Passport names for the island tour
Message-ID: <passport-names-1@mail.example.com>
Date: Sun, 12 Jul 2026 08:00:00 +0800
Content-Type: text/plain; charset="utf-8"

Here are the passport names of the children.
"""


@tagged("post_install", "-at_install")
class TestAutomaticCapture(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Numbers without a country code are read in the company's country.
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.Interaction = cls.env["omnichannel.interaction"]
        cls.zhang = cls.env["res.partner"].create(
            {"name": "Zhang Wei", "email": "zhang.wei@family.example.org"}
        )
        cls.agent = create_staff(cls.env, "capture_agent")
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Island tour", "description": "<p>Family tour</p>", "partner_id": cls.zhang.id}
        )

    def _timeline(self, **domain):
        return self.Interaction.search(
            [("commercial_partner_id", "=", self.zhang.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def test_ticket_opening_and_closing_are_on_the_timeline(self):
        events = self._timeline(interaction_type="event", ticket_id=self.ticket.id)
        self.assertEqual(len(events), 1)
        self.assertIn("Ticket opened", events.summary)
        closed = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        self.ticket.stage_id = closed
        events = self._timeline(interaction_type="event", ticket_id=self.ticket.id)
        self.assertEqual(len(events), 2)
        self.assertIn("Ticket closed", events[0].summary)

    def test_inbound_email_through_the_mail_gateway_is_captured_once(self):
        self.env["mail.thread"].message_process("helpdesk.ticket", INBOUND_EMAIL)
        emails = self._timeline(channel="email", direction="inbound")
        self.assertEqual(len(emails), 1)
        self.assertEqual(emails.summary, "Passport names for the island tour")
        self.assertEqual(emails.external_ref, "<passport-names-1@mail.example.com>")
        self.assertTrue(emails.ticket_id)
        self.assertEqual(emails.source_ref._name, "mail.message")
        # The same email delivered again (a retry of the mail server) adds nothing.
        self.env["mail.thread"].message_process("helpdesk.ticket", INBOUND_EMAIL)
        self.assertEqual(len(self._timeline(channel="email", direction="inbound")), 1)

    def test_agent_replies_are_outbound_and_internal_notes_are_not_contacts(self):
        ticket = self.ticket.with_user(self.agent)
        ticket.message_post(
            body="Two child seats are booked.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        ticket.message_post(
            body="Remember to call the resort.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        outbound = self._timeline(channel="email", direction="outbound")
        self.assertEqual(len(outbound), 1)
        self.assertEqual(outbound.user_id, self.agent)
        self.assertEqual(outbound.ticket_id, self.ticket)
        self.assertIn("child seats", outbound.summary)

    def test_messages_posted_on_the_customer_are_captured(self):
        self.zhang.message_post(
            body="Your visa documents are ready.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.agent.partner_id.id,
        )
        outbound = self._timeline(channel="email", direction="outbound")
        self.assertEqual(len(outbound), 1)
        self.assertFalse(outbound.ticket_id)

    def _writes_of_a_reply(self, record, capture):
        """The tables an agent's reply posted on `record` writes to."""
        # As the agent (the author), with the rights to post on a customer too.
        record = (
            record.with_user(self.agent).sudo().with_context(omnichannel_skip_capture=not capture)
        )
        record.message_post(body="Warm-up", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.env.flush_all()
        with written_tables(self.env) as tables:
            record.message_post(
                body="The ferry leaves at nine.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return tables

    def test_capturing_a_posted_message_adds_one_insert(self):
        """Odoo's message posting pays for the capture one INSERT, the timeline entry: no UPDATE
        after it (the customer is computed into the INSERT)."""
        email = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        self.ticket.channel_id = email
        for record in (self.ticket, self.zhang):
            with self.subTest(model=record._name):
                stock = self._writes_of_a_reply(record, capture=False)
                ours = self._writes_of_a_reply(record, capture=True)
                self.assertEqual(
                    sorted(ours), sorted([*stock, "omnichannel_interaction"]), f"{stock} {ours}"
                )
