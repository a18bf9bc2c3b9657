# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A visitor's file in a live chat session: the same attachment on their timeline entry and on
their message on the ticket."""

from odoo.tests import tagged

from odoo.addons.omnichannel_crm.tools.inbound import InboundContact

from .common import LivechatCase


@tagged("post_install", "-at_install")
class TestLivechatAttachments(LivechatCase):
    def _interaction(self, session, attachment):
        message = self.env["mail.message"].search([("attachment_ids", "in", attachment.ids)])
        return self.env["omnichannel.interaction"].search(
            [("external_ref", "in", [f"livechat-message:{id_}" for id_ in message.ids])]
        )

    def test_a_visitors_file_is_linked_to_the_timeline_and_the_ticket_not_copied(self):
        portal, session = self._portal_visitor("qian.yu", "Qian Yu", "qian.yu.portal@example.com")
        attachment = self._visitor_sends_file(session, portal)
        interaction = self._interaction(session, attachment)
        self.assertEqual(interaction.summary, "passport-page.png", "a file without text")
        self.assertEqual(interaction.attachment_ids, attachment, "the same record")
        self.assertEqual(interaction.media_ids.state, "done")
        self.assertEqual(interaction.media_ids.kind, "image")
        ticket = session.omnichannel_ticket_id
        self.assertEqual(interaction.ticket_id, ticket)
        self.assertEqual(interaction.ticket_message_id.attachment_ids, attachment)
        self.assertEqual(
            (attachment.res_model, attachment.res_id),
            ("discuss.channel", session.id),
            "still the session's: the visitor keeps it in the chat",
        )
        copies = self.env["ir.attachment"].search([("checksum", "=", attachment.checksum)])
        self.assertEqual(copies, attachment, "never copied")
        # Handed over again (a redelivered event): linked once.
        self.env["omnichannel.interaction.media"]._link_stored(
            interaction, f"discuss.channel,{session.id}", attachment
        )
        self.assertEqual(len(interaction.media_ids), 1)
        self.assertEqual(interaction.ticket_message_id.attachment_ids, attachment)

    def test_only_the_sessions_own_files_are_linked(self):
        portal, session = self._portal_visitor("wu.lei", "Wu Lei", "wu.lei.portal@example.com")
        elsewhere = self.env["ir.attachment"].create(
            {
                "name": "contract.pdf",
                "raw": b"%PDF-1.4 contract",
                "res_model": "res.partner",
                "res_id": self.env.company.partner_id.id,
            }
        )
        self.Event._store(
            [
                InboundContact(
                    channel="chat",
                    source=f"discuss.channel,{session.id}",
                    external_ref="livechat-message:elsewhere-1",
                    company_id=self.env.company.id,
                    partner_id=portal.partner_id.id,
                    text="see the contract",
                    data={"attachment_ids": [elsewhere.id]},
                )
            ]
        )
        self.Event._process_pending()
        interaction = self.env["omnichannel.interaction"].search(
            [("external_ref", "=", "livechat-message:elsewhere-1")]
        )
        self.assertTrue(interaction, "the message is on the timeline")
        self.assertFalse(interaction.media_ids, "a file of another record is not linked")
        self.assertNotIn(elsewhere, interaction.ticket_message_id.attachment_ids)

    def test_a_file_with_text_keeps_the_text(self):
        portal, session = self._portal_visitor("he.jun", "He Jun", "he.jun.portal@example.com")
        attachment = self._visitor_sends_file(session, portal, text="这是我的护照页")
        interaction = self._interaction(session, attachment)
        self.assertEqual(interaction.summary, "这是我的护照页")
        self.assertEqual(interaction.ticket_message_id.attachment_ids, attachment)

    def test_files_recorded_before_the_ticket_join_it_with_ticket(self):
        """A file the pipeline recorded without a ticket (no agent was asked for yet): /ticket
        opens one with the conversation and shows the file on it, still the session's."""
        portal, session = self._portal_visitor("lu.fang", "Lu Fang", "lu.fang.portal@example.com")
        attachment = self._visitor_sends_file(session, portal, process=False)
        # Recorded as the pipeline would without asking for an agent.
        self._events(session).unlink()
        message = session.message_ids.filtered("attachment_ids")
        self.Event._store(
            [
                InboundContact(
                    channel="chat",
                    source=f"discuss.channel,{session.id}",
                    external_ref=f"livechat-message:{message.id}",
                    company_id=self.env.company.id,
                    partner_id=portal.partner_id.id,
                    text="passport-page.png",
                    data={"attachment_ids": attachment.ids},
                    open_ticket=False,
                )
            ]
        )
        self.Event._process_pending()
        self.assertFalse(session.omnichannel_ticket_id)
        session.with_user(self.operator).execute_command_ticket()
        ticket = session.omnichannel_ticket_id
        self.assertTrue(ticket)
        note = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(note.attachment_ids, attachment)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual((attachment.res_model, attachment.res_id), ("discuss.channel", session.id))
