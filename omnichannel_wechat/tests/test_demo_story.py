# Copyright 2026 Omnichannel for Odoo contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(HttpCase):
    """The demo's story in a real browser: the delayed-flight ticket opens on its WeChat
    conversation, for the agent who has it."""

    def test_the_flight_delay_ticket_is_a_conversation(self):
        ticket = self.env.ref("omnichannel_crm.demo_ticket_flight_delay", raise_if_not_found=False)
        if not ticket:
            self.skipTest("installed without demo data")
        self.assertEqual(ticket.user_id, self.env.ref("base.user_admin"))
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}", "omnichannel_demo_story", login="admin"
        )
