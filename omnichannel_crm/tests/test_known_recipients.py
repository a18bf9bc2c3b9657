# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged

from .common import create_staff


@tagged("post_install", "-at_install")
class TestKnownRecipients(TransactionCase):
    """The batch posting reads the recipients of its tickets' messages once: each message gets
    its own copy of them, and outside the batch they are read as Odoo reads them."""

    def test_recipients_read_once_for_a_batch_are_copies_and_forgotten_after_it(self):
        Followers = self.env["mail.followers"]
        subtype = self.env.ref("mail.mt_comment").id
        agent = create_staff(self.env, "known_agent", notification_type="inbox").partner_id
        colleague = create_staff(self.env, "known_colleague", notification_type="inbox").partner_id
        tickets = self.env["helpdesk.ticket"].create(
            [{"name": "Ferry", "description": "Late"}, {"name": "Hotel", "description": "Noisy"}]
        )
        tickets.message_subscribe(partner_ids=agent.ids)
        with Followers._omnichannel_known_recipients(tickets, "comment", subtype):
            for ticket in tickets:
                first = Followers._get_recipient_data(ticket, "comment", subtype)[ticket.id]
                self.assertIn(agent.id, first)
                # A notification method marks its recipients' data for its message only.
                first[agent.id]["notif"] = "sms"
                again = Followers._get_recipient_data(ticket, "comment", subtype)[ticket.id]
                self.assertEqual(again[agent.id]["notif"], "inbox")
            # Another message type, or given partners, are read as usual.
            given = Followers._get_recipient_data(tickets[0], "comment", subtype, colleague.ids)
            self.assertIn(colleague.id, given[tickets[0].id])
        tickets[0].message_subscribe(partner_ids=colleague.ids)
        after = Followers._get_recipient_data(tickets[0], "comment", subtype)[tickets[0].id]
        self.assertIn(colleague.id, after, "after the batch, the followers are read anew")
